-- Benchmark: attribute control-chart aggregates against the one-pass floor
-- stddev_samp(value), :rows rows in 100 characteristics, timed in one run.
-- Target (issue 2): order-free aggregates within 1.3x of stddev_samp.
\set QUIET on
SET jit = off;
DROP TABLE IF EXISTS bench.attr;
CREATE TABLE bench.attr AS
SELECT (i % 100)::int AS ch,
       (i * 7919 % 11)::bigint AS defectives,
       (50 + i % 5)::bigint AS sample_size,
       (i * 104729 % 13)::bigint AS defects,
       (1 + (i % 4) * 0.5)::float8 AS units,
       (i * 0.000001 + (i * 2654435761 % 1000) / 1000.0)::float8 AS value
  FROM generate_series(1::bigint, :rows) i;
VACUUM ANALYZE bench.attr;

-- serial: the ratio is per-row work, not the number of workers
SET max_parallel_workers_per_gather = 0;
INSERT INTO bench.result
SELECT 'spc_attribute', label, bench.time_ms(q, 3), NULL, NULL
  FROM (VALUES
    ('stddev_samp(value) (floor)',   'SELECT sum(s) FROM (SELECT ch, stddev_samp(value) s FROM bench.attr GROUP BY ch) z'),
    ('qe.p_chart(defectives, n)',    'SELECT sum((c).ucl) FROM (SELECT ch, qe.p_chart(defectives, sample_size) c FROM bench.attr GROUP BY ch) z'),
    ('qe.np_chart(defectives, 50)',  'SELECT sum((c).ucl) FROM (SELECT ch, qe.np_chart(defectives, 50) c FROM bench.attr GROUP BY ch) z'),
    ('qe.c_chart(defects)',          'SELECT sum((c).ucl) FROM (SELECT ch, qe.c_chart(defects) c FROM bench.attr GROUP BY ch) z'),
    ('qe.u_chart(defects, units)',   'SELECT sum((c).ucl) FROM (SELECT ch, qe.u_chart(defects, units) c FROM bench.attr GROUP BY ch) z')
  ) AS v(label, q);

-- parallel (2 workers): the same p chart and floor, to show the speed-up
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
INSERT INTO bench.result
SELECT 'spc_attribute', label, bench.time_ms(q, 3), NULL, NULL
  FROM (VALUES
    ('parallel: stddev_samp(value) (floor)', 'SELECT sum(s) FROM (SELECT ch, stddev_samp(value) s FROM bench.attr GROUP BY ch) z'),
    ('parallel: qe.p_chart(defectives, n)',  'SELECT sum((c).ucl) FROM (SELECT ch, qe.p_chart(defectives, sample_size) c FROM bench.attr GROUP BY ch) z')
  ) AS v(label, q);

UPDATE bench.result r
   SET baseline = b.label, ratio = r.ms / b.ms
  FROM bench.result b
 WHERE r.bench = 'spc_attribute' AND b.bench = 'spc_attribute'
   AND b.label = CASE WHEN r.label LIKE 'parallel:%' THEN 'parallel: stddev_samp(value) (floor)'
                      ELSE 'stddev_samp(value) (floor)' END;

\set QUIET off
\echo 'attribute charts vs stddev_samp (same rows, same run; target ratio <= 1.3)'
SELECT label, round(ms::numeric, 1) AS ms, baseline, round(ratio::numeric, 2) AS ratio
  FROM bench.result WHERE bench = 'spc_attribute' ORDER BY label LIKE 'parallel:%', label;
SELECT round(((SELECT ms FROM bench.result WHERE label = 'qe.p_chart(defectives, n)')
           / (SELECT ms FROM bench.result WHERE label = 'parallel: qe.p_chart(defectives, n)'))::numeric, 2)
       AS p_chart_parallel_speedup;
DROP TABLE bench.attr;
