-- Benchmark of the tests for special causes (issue 3), :rows rows.
--   floor:       sum over lag(x) OVER (same window), the cost of a bare window pass
--   pure SQL:    tests 1-4 in plain SQL, two formulations (moving frame counts;
--                gaps and islands); the faster one is the baseline "best SQL"
--   qe.spc_rules as a window (tests 1-4, and all eight)
--   qe.rule_violations per characteristic (tests 1-4)
--   qe.spc_watch: INSERT with the trigger vs the same INSERT without it, and
--                vs the same INSERT with a C AFTER ROW trigger that does nothing
-- in 100 partitions and in one partition.  Every formulation is checked to
-- flag the same number of points before it is timed.
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';
-- timed runs per query (after one warm-up): 3, or 1 at full size (10^7 rows)
SELECT CASE WHEN :rows >= 5000000 THEN 1 ELSE 3 END AS runs \gset

DROP TABLE IF EXISTS bench.rules_m;
CREATE TABLE bench.rules_m AS
SELECT g, i, '2024-01-01'::timestamptz + i * interval '1 second' AS t,
       -- in control, with a shift of +1.2 sigma for 40 points in every 400 and a drift
       (random() + random() + random() + random() - 2) * 1.7
         + CASE WHEN i % 400 < 40 THEN 1.2 ELSE 0 END
         + CASE WHEN i % 1000 BETWEEN 500 AND 507 THEN (i % 1000 - 500) * 0.8 - 3 ELSE 0 END AS x
  FROM generate_series(1, (:rows / 100)::int) AS i, generate_series(1, 100) AS g
 ORDER BY i, g;
ANALYZE bench.rules_m;
-- the same number of points as ONE characteristic (g = 1)
DROP TABLE IF EXISTS bench.rules_m1;
CREATE TABLE bench.rules_m1 AS
SELECT 1 AS g, i, '2024-01-01'::timestamptz + i * interval '1 second' AS t,
       (random() + random() + random() + random() - 2) * 1.7
         + CASE WHEN i % 400 < 40 THEN 1.2 ELSE 0 END
         + CASE WHEN i % 1000 BETWEEN 500 AND 507 THEN (i % 1000 - 500) * 0.8 - 3 ELSE 0 END AS x
  FROM generate_series(1, (:rows)::int) AS i;
ANALYZE bench.rules_m1;

-- pure SQL, tests 1-4, moving frame counts (one sort, moving aggregates)
CREATE FUNCTION bench.sql_frames(tbl text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
WITH d AS (
    SELECT g, i, x, sign(x - lag(x) OVER (PARTITION BY g ORDER BY i)) AS dir FROM %1$s
)
SELECT count(*) FILTER (WHERE f) FROM (
    SELECT abs(x) > 3
        OR count(*) FILTER (WHERE x > 0) OVER w9 = 9 OR count(*) FILTER (WHERE x < 0) OVER w9 = 9
        OR count(*) FILTER (WHERE dir > 0) OVER w5 = 5 OR count(*) FILTER (WHERE dir < 0) OVER w5 = 5
        OR count(*) FILTER (WHERE dir * (1 - 2 * (i %% 2)) > 0) OVER w13 = 13
        OR count(*) FILTER (WHERE dir * (1 - 2 * (i %% 2)) < 0) OVER w13 = 13 AS f
      FROM d
    WINDOW w9 AS (PARTITION BY g ORDER BY i ROWS 8 PRECEDING),
           w5 AS (PARTITION BY g ORDER BY i ROWS 4 PRECEDING),
           w13 AS (PARTITION BY g ORDER BY i ROWS 12 PRECEDING)) q$q$, tbl)
$f$;

-- pure SQL, tests 1-4, gaps and islands (runs numbered by row_number differences)
CREATE FUNCTION bench.sql_islands(tbl text) RETURNS text LANGUAGE sql AS $f$
SELECT format($q$
WITH d AS (
    SELECT g, i, x, sign(x) AS side, sign(x - lag(x) OVER (PARTITION BY g ORDER BY i)) AS dir FROM %1$s
), e AS (
    SELECT *, dir * (1 - 2 * (i %% 2)) AS alt,
           i - row_number() OVER (PARTITION BY g, sign(x) ORDER BY i) AS side_grp
      FROM d
), f AS (
    SELECT *, i - row_number() OVER (PARTITION BY g, dir ORDER BY i) AS dir_grp,
              i - row_number() OVER (PARTITION BY g, alt ORDER BY i) AS alt_grp
      FROM e
)
SELECT count(*) FILTER (WHERE flag) FROM (
    SELECT abs(x) > 3
        OR (side <> 0 AND row_number() OVER (PARTITION BY g, side, side_grp ORDER BY i) >= 9)
        OR (dir <> 0 AND row_number() OVER (PARTITION BY g, dir, dir_grp ORDER BY i) >= 5)
        OR (alt <> 0 AND row_number() OVER (PARTITION BY g, alt, alt_grp ORDER BY i) >= 13) AS flag
      FROM f) q$q$, tbl)
$f$;

-- correctness first: all formulations flag the same points (tests 1-4)
SELECT bench.sql_frames('bench.rules_m') AS q_frames100, bench.sql_islands('bench.rules_m') AS q_islands100,
       bench.sql_frames('bench.rules_m1') AS q_frames1, bench.sql_islands('bench.rules_m1') AS q_islands1 \gset
CREATE TEMP TABLE check_counts AS
SELECT (SELECT count(*) FROM (SELECT qe.spc_rules(x, 0, 1, qe.rule_set('attribute')) OVER (PARTITION BY g ORDER BY i) b
                                FROM bench.rules_m) q WHERE b <> 0) AS window_100,
       (SELECT sum(cardinality(v)) FROM (SELECT qe.rule_violations(x, t, 0, 1, qe.rule_set('attribute')) v
                                           FROM bench.rules_m GROUP BY g) q) AS aggregate_100;
CREATE TEMP TABLE sql_counts (label text, n bigint);
DO $$ DECLARE n bigint; BEGIN
  EXECUTE bench.sql_frames('bench.rules_m') INTO n;  INSERT INTO sql_counts VALUES ('frames', n);
  EXECUTE bench.sql_islands('bench.rules_m') INTO n; INSERT INTO sql_counts VALUES ('islands', n);
END $$;
SELECT c.window_100 AS "window flags (tests 1-4)", c.aggregate_100 AS "aggregate flags",
       (SELECT n FROM sql_counts WHERE label = 'frames') AS "SQL frames flags",
       (SELECT n FROM sql_counts WHERE label = 'islands') AS "SQL islands flags",
       c.window_100 = c.aggregate_100 AND c.window_100 = ALL (SELECT n FROM sql_counts) AS "all agree"
  FROM check_counts c;

-- ------------------------------------------------------------ timings
CREATE TEMP TABLE t (part text, label text, ms float8);
INSERT INTO t VALUES
 ('100', 'lag floor', bench.time_ms($$SELECT sum(l) FROM (SELECT lag(x) OVER (PARTITION BY g ORDER BY i) l FROM bench.rules_m) q$$, :runs)),
 ('100', 'SQL tests 1-4, frames', bench.time_ms(:'q_frames100', :runs)),
 ('100', 'SQL tests 1-4, islands', bench.time_ms(:'q_islands100', :runs)),
 ('100', 'spc_rules tests 1-4', bench.time_ms($$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1, qe.rule_set('attribute')) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m) q$$, :runs)),
 ('100', 'spc_rules all 8', bench.time_ms($$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m) q$$, :runs)),
 ('100', 'rule_violations tests 1-4', bench.time_ms($$SELECT sum(cardinality(v)) FROM (SELECT qe.rule_violations(x, t, 0, 1, qe.rule_set('attribute')) v FROM bench.rules_m GROUP BY g) q$$, :runs)),
 ('1', 'lag floor', bench.time_ms($$SELECT sum(l) FROM (SELECT lag(x) OVER (PARTITION BY g ORDER BY i) l FROM bench.rules_m1) q$$, :runs)),
 ('1', 'SQL tests 1-4, frames', bench.time_ms(:'q_frames1', :runs)),
 ('1', 'SQL tests 1-4, islands', bench.time_ms(:'q_islands1', :runs)),
 ('1', 'spc_rules tests 1-4', bench.time_ms($$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1, qe.rule_set('attribute')) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m1) q$$, :runs)),
 ('1', 'spc_rules all 8', bench.time_ms($$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m1) q$$, :runs)),
 ('1', 'rule_violations tests 1-4', bench.time_ms($$SELECT cardinality(qe.rule_violations(x, t, 0, 1, qe.rule_set('attribute'))) FROM bench.rules_m1$$, :runs));

SELECT part AS partitions, label, round(ms::numeric, 1) AS ms,
       round((ms / (SELECT ms FROM t b WHERE b.part = t.part AND b.label = 'lag floor'))::numeric, 2) AS "x lag floor",
       round(((SELECT least(b.ms, c.ms) FROM t b, t c WHERE b.part = t.part AND c.part = t.part
                 AND b.label = 'SQL tests 1-4, frames' AND c.label = 'SQL tests 1-4, islands') / ms)::numeric, 2)
         AS "best SQL / this"
  FROM t ORDER BY part DESC, label;

-- the targets again by alternation (bench.compare: baseline, candidate,
-- baseline, ...; least of each and the median of the pair ratios), which a
-- change in the machine's load cannot skew towards one side
\o /dev/null
SELECT bench.compare('spc_rules', 'lag floor, 100 partitions',
         $$SELECT sum(l) FROM (SELECT lag(x) OVER (PARTITION BY g ORDER BY i) l FROM bench.rules_m) q$$,
         'spc_rules tests 1-4, 100 partitions',
         $$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1, qe.rule_set('attribute')) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m) q$$);
SELECT bench.compare('spc_rules', 'lag floor, 100 partitions',
         $$SELECT sum(l) FROM (SELECT lag(x) OVER (PARTITION BY g ORDER BY i) l FROM bench.rules_m) q$$,
         'spc_rules all 8, 100 partitions',
         $$SELECT sum(b) FROM (SELECT qe.spc_rules(x, 0, 1) OVER (PARTITION BY g ORDER BY i) b FROM bench.rules_m) q$$);
SELECT bench.compare('spc_rules', 'rule_violations tests 1-4, 100 partitions',
         $$SELECT sum(cardinality(v)) FROM (SELECT qe.rule_violations(x, t, 0, 1, qe.rule_set('attribute')) v FROM bench.rules_m GROUP BY g) q$$,
         'SQL tests 1-4, frames, 100 partitions', :'q_frames100', 3);
\o
SELECT label, round(ms::numeric, 1) AS ms, baseline, round(ratio::numeric, 2) AS "x baseline (alternating)"
  FROM bench.result WHERE bench = 'spc_rules' AND ratio IS NOT NULL ORDER BY ctid;

-- ------------------------------------------------------------ trigger
-- up to 500,000 rows per INSERT: long enough (about 0.5 s) that timer jitter is small
SELECT least(:rows / 2, 500000)::int AS trig_rows \gset
CREATE TABLE bench.meas_plain (part text, t timestamptz, x float8);
CREATE TABLE bench.meas_watch (part text, t timestamptz, x float8);
CREATE TRIGGER watch AFTER INSERT ON bench.meas_watch FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't');
CREATE TABLE bench.meas_watch_stmt (part text, t timestamptz, x float8);
CREATE TRIGGER watch AFTER INSERT ON bench.meas_watch_stmt REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION qe.spc_watch('part', 'x', 't');
-- the floor of any AFTER ROW trigger: contrib's lo_manage, a C trigger that
-- does nothing on INSERT but find its column; PostgreSQL still queues each
-- row's event and fetches the row again to fire it
CREATE EXTENSION IF NOT EXISTS lo;
CREATE TABLE bench.meas_noop (part text, t timestamptz, x float8);
CREATE TRIGGER noop AFTER INSERT ON bench.meas_noop FOR EACH ROW EXECUTE FUNCTION lo_manage('x');
-- an in-control process (about N(0, 1)): signals are occasional, as in a plant
INSERT INTO qe.spc_limits (characteristic, center, sigma)
SELECT 'P' || g, 0, 1 FROM generate_series(1, 100) g;

CREATE FUNCTION bench.rows_plain(n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1 .. n LOOP
    INSERT INTO bench.meas_plain VALUES ('P' || (k % 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7);
  END LOOP;
  RETURN n;
END $$;
CREATE FUNCTION bench.rows_watch(n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1 .. n LOOP
    INSERT INTO bench.meas_watch VALUES ('P' || (k % 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7);
  END LOOP;
  RETURN n;
END $$;

CREATE TEMP TABLE tt (label text, ms float8);
INSERT INTO tt VALUES
 ('batch INSERT, no trigger', bench.time_ms(format($$WITH i AS (INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows))),
 ('batch INSERT, qe.spc_watch', bench.time_ms(format($$WITH i AS (INSERT INTO bench.meas_watch SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows))),
 ('batch INSERT, qe.spc_watch per statement', bench.time_ms(format($$WITH i AS (INSERT INTO bench.meas_watch_stmt SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows))),
 ('row-by-row INSERTs, no trigger', bench.time_ms(format('SELECT bench.rows_plain(%s)', :trig_rows / 10))),
 ('row-by-row INSERTs, qe.spc_watch', bench.time_ms(format('SELECT bench.rows_watch(%s)', :trig_rows / 10)));

SELECT label, round(ms::numeric, 1) AS ms,
       round((ms / (SELECT ms FROM tt b WHERE b.label = regexp_replace(tt.label, 'qe.spc_watch.*', 'no trigger')))::numeric, 2)
         AS "x without trigger",
       round((ms * 1000 / CASE WHEN label LIKE 'batch%' THEN :trig_rows ELSE :trig_rows / 10 END)::numeric, 2) AS "us per row"
  FROM tt ORDER BY label;
-- the trigger ratios again by alternation (bench.compare: plain, trigger,
-- plain, trigger, ...), which a change in the machine's load cannot skew
\o /dev/null
SELECT bench.compare('spc_watch', 'batch INSERT, no trigger',
         format($$WITH i AS (INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows),
         'batch INSERT, qe.spc_watch row-level',
         format($$WITH i AS (INSERT INTO bench.meas_watch SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows));
SELECT bench.compare('spc_watch', 'batch INSERT, no trigger',
         format($$WITH i AS (INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows),
         'batch INSERT, qe.spc_watch per statement',
         format($$WITH i AS (INSERT INTO bench.meas_watch_stmt SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k RETURNING 1) SELECT count(*) FROM i$$, :trig_rows));
SELECT bench.compare('spc_watch', 'row-by-row INSERTs, no trigger', format('SELECT bench.rows_plain(%s)', :trig_rows / 10),
         'row-by-row INSERTs, qe.spc_watch', format('SELECT bench.rows_watch(%s)', :trig_rows / 10), 3);
-- and from an empty table after a checkpoint each time, each INSERT committed
-- on its own (bench.compare_writes): the steadiest of the three timings
CALL bench.compare_writes('spc_watch', 'batch INSERT, no trigger',
         format($$INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'batch INSERT, qe.spc_watch row-level',
         format($$INSERT INTO bench.meas_watch SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'TRUNCATE bench.meas_plain, bench.meas_watch; CHECKPOINT');
CALL bench.compare_writes('spc_watch', 'batch INSERT, no trigger',
         format($$INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'batch INSERT, AFTER ROW C trigger doing nothing (lo_manage)',
         format($$INSERT INTO bench.meas_noop SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'TRUNCATE bench.meas_plain, bench.meas_noop; CHECKPOINT');
CALL bench.compare_writes('spc_watch', 'batch INSERT, AFTER ROW C trigger doing nothing (lo_manage)',
         format($$INSERT INTO bench.meas_noop SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'batch INSERT, qe.spc_watch row-level',
         format($$INSERT INTO bench.meas_watch SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'TRUNCATE bench.meas_noop, bench.meas_watch; CHECKPOINT');
CALL bench.compare_writes('spc_watch', 'batch INSERT, no trigger',
         format($$INSERT INTO bench.meas_plain SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'batch INSERT, qe.spc_watch per statement',
         format($$INSERT INTO bench.meas_watch_stmt SELECT 'P' || (k %% 100 + 1), now(), (random() + random() + random() + random() - 2) * 1.7 FROM generate_series(1, %s) k$$, :trig_rows),
         'TRUNCATE bench.meas_plain, bench.meas_watch_stmt; CHECKPOINT');
\o
SELECT label, round(ms::numeric, 1) AS ms, round(ratio::numeric, 2) AS "x without trigger (alternating)"
  FROM bench.result WHERE bench = 'spc_watch' AND ratio IS NOT NULL ORDER BY ctid;
SELECT count(*) AS signals_recorded, (SELECT sum(n_points) FROM qe.spc_state) AS points_watched FROM qe.spc_signal;
