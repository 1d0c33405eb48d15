-- Benchmark: variables charts and capability (issue 2) against in-run floors.
--   :rows measurements in 100 characteristics, stored in time order (as
--   measurement tables usually are) and, for the sort-inside aggregates,
--   also a shuffled copy.  Floors: stddev_samp (one order-free pass) and sum
--   over lag() OVER (PARTITION BY ORDER BY t) (one ordered pass); the best
--   plain-SQL formulations of I-MR limits and of Cpk/Ppk (window + CTE).
--   Everything serial first (max_parallel_workers_per_gather = 0), then the
--   parallel speed-up with 2 workers.
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';

CREATE TABLE bench.m AS
  SELECT (i % 100)::int AS ch, i::bigint AS t, (i / 500)::bigint AS sg,
         10 + (i % 100) * 0.1 + 0.02 * (((i::bigint * 2654435761) % 1000) / 1000.0 - 0.5)
           + 0.01 * sin(i / 50000.0) AS x
  FROM generate_series(0, :rows - 1) i;
CREATE TABLE bench.m_shuffled AS SELECT * FROM bench.m ORDER BY md5(t::text);
VACUUM ANALYZE bench.m;
VACUUM ANALYZE bench.m_shuffled;

CREATE FUNCTION bench.run(label text, q text, baseline text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bench.result(bench, label, ms, baseline)
  VALUES ('spc_variables', label, bench.time_ms('SELECT count(q.*) FROM (' || q || ') q', 3), baseline);
END $$;

-- floors
SELECT bench.run('floor: stddev_samp (one pass)', 'SELECT ch, stddev_samp(x) FROM bench.m GROUP BY ch');
SELECT bench.run('floor: sum(lag) ordered pass',
  'SELECT ch, sum(lx) FROM (SELECT ch, lag(x) OVER (PARTITION BY ch ORDER BY t) lx FROM bench.m) s GROUP BY ch');
-- best pure SQL
SELECT bench.run('SQL: I-MR limits', $q$
  WITH d AS (SELECT ch, x, abs(x - lag(x) OVER (PARTITION BY ch ORDER BY t)) mr FROM bench.m)
  SELECT ch, avg(x) AS center, avg(x) - 3 * avg(mr) / 1.1283791670955126 AS lcl,
         avg(x) + 3 * avg(mr) / 1.1283791670955126 AS ucl, 3.2665300070265 * avg(mr) AS mr_ucl
  FROM d GROUP BY ch $q$);
SELECT bench.run('SQL: Cpk/Ppk', $q$
  WITH d AS (SELECT ch, x, abs(x - lag(x) OVER (PARTITION BY ch ORDER BY t)) mr FROM bench.m),
       s AS (SELECT ch, avg(x) m, stddev_samp(x) sd, avg(mr) / 1.1283791670955126 sw FROM d GROUP BY ch)
  SELECT ch, least(20 - m, m - 5) / (3 * sw) AS cpk, least(20 - m, m - 5) / (3 * sd) AS ppk FROM s $q$);
-- ours
SELECT bench.run('qe.imr_chart', 'SELECT ch, qe.imr_chart(x, t) FROM bench.m GROUP BY ch', 'SQL: I-MR limits');
SELECT bench.run('qe.imr_chart (shuffled rows)', 'SELECT ch, qe.imr_chart(x, t) FROM bench.m_shuffled GROUP BY ch', 'SQL: I-MR limits');
SELECT bench.run('qe.capability', 'SELECT ch, qe.capability(x, t, 5, 20) FROM bench.m GROUP BY ch', 'SQL: Cpk/Ppk');
SELECT bench.run('qe.capability (shuffled rows)', 'SELECT ch, qe.capability(x, t, 5, 20) FROM bench.m_shuffled GROUP BY ch', 'SQL: Cpk/Ppk');
SELECT bench.run('qe.capability_summary', 'SELECT ch, qe.capability_summary(x, t) FROM bench.m GROUP BY ch', 'floor: sum(lag) ordered pass');
SELECT bench.run('qe.xbar_r_chart', 'SELECT ch, qe.xbar_r_chart(x, sg) FROM bench.m GROUP BY ch', 'floor: stddev_samp (one pass)');
SELECT bench.run('qe.xbar_s_chart', 'SELECT ch, qe.xbar_s_chart(x, sg) FROM bench.m GROUP BY ch', 'floor: stddev_samp (one pass)');
SELECT bench.run('qe.xbar_r_chart (shuffled rows)', 'SELECT ch, qe.xbar_r_chart(x, sg) FROM bench.m_shuffled GROUP BY ch', 'floor: stddev_samp (one pass)');
SELECT bench.run('qe.capability subgroups pooled', $q$SELECT ch, qe.capability(x, sg, 5, 20, NULL, 'pooled') FROM bench.m GROUP BY ch$q$, 'floor: stddev_samp (one pass)');

-- parallel speed-up: the same query with 0 and 2 workers
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT bench.run('parallel 2: stddev_samp', 'SELECT ch, stddev_samp(x) FROM bench.m GROUP BY ch', 'floor: stddev_samp (one pass)');
SELECT bench.run('parallel 2: qe.imr_chart', 'SELECT ch, qe.imr_chart(x, t) FROM bench.m GROUP BY ch', 'qe.imr_chart');
SELECT bench.run('parallel 2: qe.capability', 'SELECT ch, qe.capability(x, t, 5, 20) FROM bench.m GROUP BY ch', 'qe.capability');
SELECT bench.run('parallel 2: qe.xbar_r_chart', 'SELECT ch, qe.xbar_r_chart(x, sg) FROM bench.m GROUP BY ch', 'qe.xbar_r_chart');
SET max_parallel_workers_per_gather = 0;

UPDATE bench.result r SET ratio = r.ms / b.ms
FROM bench.result b WHERE r.bench = 'spc_variables' AND b.bench = 'spc_variables' AND b.label = r.baseline;
SELECT label, round(ms::numeric, 1) AS ms, baseline, round(ratio::numeric, 2) AS "ms / baseline ms"
FROM bench.result WHERE bench = 'spc_variables' ORDER BY ctid;
-- the order-free check, one pass per row: stddev_samp is the floor;
-- the ordered aggregates vs the pure-SQL formulation (target: speed-up >= 3)
SELECT round(((SELECT ms FROM bench.result WHERE label = 'SQL: I-MR limits') /
              (SELECT ms FROM bench.result WHERE label = 'qe.imr_chart'))::numeric, 2) AS imr_speedup_vs_sql,
       round(((SELECT ms FROM bench.result WHERE label = 'SQL: Cpk/Ppk') /
              (SELECT ms FROM bench.result WHERE label = 'qe.capability'))::numeric, 2) AS capability_speedup_vs_sql,
       round(((SELECT ms FROM bench.result WHERE label = 'qe.imr_chart') /
              (SELECT ms FROM bench.result WHERE label = 'parallel 2: qe.imr_chart'))::numeric, 2) AS imr_parallel_speedup;
