-- pgTAP: variables control charts and capability: errors (SQLSTATE), NULL
-- handling, parallel plans with the same answer as serial runs, rollup of
-- stored summaries == aggregate of the raw rows, numerical stability.
BEGIN;
SELECT plan(87);

-- relative closeness of two doubles (NULLs equal)
CREATE FUNCTION pg_temp.close(a float8, b float8, tol float8 DEFAULT 1e-12) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT (a IS NULL AND b IS NULL) OR a = b OR abs(a - b) <= tol * greatest(abs(a), abs(b))
$$;
CREATE FUNCTION pg_temp.same_limits(a qe.control_limits, b qe.control_limits) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT a.chart = b.chart AND a.n_points = b.n_points AND a.n_values = b.n_values
     AND pg_temp.close(a.center, b.center) AND pg_temp.close(a.lcl, b.lcl) AND pg_temp.close(a.ucl, b.ucl)
     AND pg_temp.close(a.sigma, b.sigma) AND pg_temp.close(a.avg_sample_size, b.avg_sample_size)
     AND pg_temp.close(a.disp_center, b.disp_center) AND pg_temp.close(a.disp_ucl, b.disp_ucl)
$$;
CREATE FUNCTION pg_temp.same_cap(a qe.capability, b qe.capability) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT a.n = b.n AND pg_temp.close(a.cp, b.cp) AND pg_temp.close(a.cpk, b.cpk)
     AND pg_temp.close(a.pp, b.pp) AND pg_temp.close(a.ppk, b.ppk) AND pg_temp.close(a.cpm, b.cpm)
     AND pg_temp.close(a.mean, b.mean) AND pg_temp.close(a.sigma_within, b.sigma_within)
     AND pg_temp.close(a.sigma_overall, b.sigma_overall)
$$;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; acc text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP acc := acc || r || E'\n'; END LOOP;
  RETURN acc;
END $$;

-- ------------------------------------------------------------ errors
SELECT throws_ok($$SELECT qe.imr_chart(x, t) FROM (VALUES ('NaN'::float8, 1), (1, 2)) v(x, t)$$,
                 '22003', NULL, 'NaN value: 22003');
SELECT throws_ok($$SELECT qe.capability(x, t, 0, 1) FROM (VALUES ('Infinity'::float8, 1), (1, 2)) v(x, t)$$,
                 '22003', NULL, 'Infinity value: 22003');
SELECT throws_ok($$SELECT qe.xbar_r_chart(x, g) FROM (VALUES ('-Infinity'::float8, 1), (1, 1)) v(x, g)$$,
                 '22003', NULL, '-Infinity in a subgroup chart: 22003');
SELECT throws_ok($$SELECT qe.capability(x, t, 'NaN', 1) FROM (VALUES (1::float8, 1), (1, 2)) v(x, t)$$,
                 '22003', NULL, 'NaN limit: 22003');
SELECT throws_ok($$SELECT qe.imr_chart(x, t) FROM (VALUES (1::float8, 7), (2, 3), (3, 7)) v(x, t)$$,
                 '21000', NULL, 'two values at one t: 21000');
SELECT throws_ok($$SELECT qe.capability_summary(x, t) FROM (VALUES (1::float8, now()), (2, now())) v(x, t)$$,
                 '21000', NULL, 'ties in a summary: 21000');
SELECT throws_ok($$SELECT qe.xbar_r_chart(x, g) FROM (VALUES (1::float8, 1), (2, 1), (3, 2)) v(x, g)$$,
                 '22000', NULL, 'X-bar/R subgroup of one: 22000');
SELECT throws_ok($$SELECT qe.xbar_s_chart(x, g) FROM (VALUES (1::float8, 'a'), (2, 'b'), (3, 'b')) v(x, g)$$,
                 '22000', NULL, 'X-bar/S subgroup of one: 22000');
SELECT throws_ok($$SELECT qe.capability(x, g, 0, 9, NULL, 'pooled') FROM (VALUES (1::float8, 1), (2, 1), (3, 2)) v(x, g)$$,
                 '22000', NULL, 'subgrouped capability, subgroup of one: 22000');
SELECT throws_ok($$SELECT qe.capability(x, t, 5, 5) FROM (VALUES (1::float8, 1), (2, 2)) v(x, t)$$,
                 '22023', NULL, 'lsl = usl: 22023');
SELECT throws_ok($$SELECT qe.capability(x, t, 6, 5, 5.5) FROM (VALUES (1::float8, 1), (2, 2)) v(x, t)$$,
                 '22023', NULL, 'lsl > usl: 22023');
SELECT throws_ok($$SELECT qe.capability(x, t, 0, 5, 7) FROM (VALUES (1::float8, 1), (2, 2)) v(x, t)$$,
                 '22023', NULL, 'target outside the limits: 22023');
SELECT throws_ok($$SELECT qe.capability(x, t, 0, 5 + t) FROM (VALUES (1::float8, 1), (2, 2)) v(x, t)$$,
                 '22023', NULL, 'limits changing within a group: 22023');
SELECT throws_ok($$SELECT qe.capability(x, t, CASE WHEN t = 1 THEN 0 END, 5) FROM (VALUES (1::float8, 1), (2, 2)) v(x, t)$$,
                 '22023', NULL, 'a limit turning NULL within a group: 22023');
SELECT throws_ok($$SELECT qe.capability(x, g, 0, 9, NULL, 'nope') FROM (VALUES (1::float8, 1), (2, 1)) v(x, g)$$,
                 '22023', NULL, 'unknown sigma method: 22023');
SELECT throws_ok($$SELECT qe.capability(x, g, 0, 9, NULL, CASE WHEN x = 1 THEN 'rbar' ELSE 'sbar' END)
                   FROM (VALUES (1::float8, 1), (2, 1)) v(x, g)$$,
                 '22023', NULL, 'sigma method changing within a group: 22023');
SELECT throws_ok($$SELECT qe.capability_rollup(s) FROM (SELECT qe.capability_summary(x, t) s
                     FROM (VALUES (1::float8, 1), (2, 3), (3, 2), (4, 4)) v(x, t) GROUP BY t % 2) q$$,
                 '22000', NULL, 'overlapping summaries: 22000');
SELECT throws_ok($$SELECT qe.capability_rollup(s) FROM (
                     SELECT qe.capability_summary(1::float8, 1::bigint) s
                     UNION ALL SELECT qe.capability_summary(1::float8, now())) q$$,
                 '42804', NULL, 'rolling up bigint and timestamptz summaries: 42804');
SELECT throws_ok($$SELECT '(1,bigint,2,1,0.5,1,1,5,1,5,2)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary text with an impossible time range: 22P02');
SELECT throws_ok($$SELECT '(1,bigint,2,1,0.5,1,1,5,1'::qe.capability_summary$$,
                 '22P02', NULL, 'truncated summary text: 22P02');
SELECT throws_ok($$SELECT '(1,date,2,1,0.5,1,1,5,1,6,2)'::qe.capability_summary$$,
                 '22P02', NULL, 'unknown t type in summary text: 22P02');
SELECT throws_ok($$SELECT '(1,bigint,1,1,0,0,0,5,2,5,2)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary of one value whose mean is not that value: 22P02');
-- what no series can produce: each value lies within the sum of the moving
-- ranges of the first and the last, so does the mean, and M2 lies between
-- (last - first)^2 / 2 and n (sum of moving ranges)^2 / 4
SELECT throws_ok($$SELECT '(1,bigint,2,0,0,0,1,0,0,1,10)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary of values 0 .. 10 whose moving ranges add up to 0: 22P02');
SELECT throws_ok($$SELECT '(1,bigint,2,5,0,10,1,0,0,1,10)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary of the values 0 and 10 with M2 = 0: 22P02');
SELECT throws_ok($$SELECT '(1,bigint,2,5,500,10,1,0,0,1,10)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary of two values 10 apart with M2 = 500 (at most 2 * 10^2 / 4 = 50): 22P02');
SELECT throws_ok($$SELECT '(1,bigint,2,1e300,0,0,1,0,0,1,0)'::qe.capability_summary$$,
                 '22P02', NULL, 'summary of the values 0 and 0 with mean 1e300: 22P02');
SELECT throws_ok($$SELECT '(1,bigint,1,1e-400,0,0,0,5,1e-400,5,1e-400)'::qe.capability_summary$$,
                 '22P02', NULL, 'a number that underflows double precision is refused, as float8 refuses it, not read as 0');
SELECT is('(1,bigint,2,5,50,10,1,1,0,2,10)'::qe.capability_summary::text,
          (SELECT qe.capability_summary(x, t)::text FROM (VALUES (0::float8, 1::bigint), (10, 2)) v(x, t)),
          'the summary of the values 0 and 10 (mean 5, M2 50, moving range 10) is accepted');
SELECT is((SELECT count(*) FROM (
             SELECT qe.capability_summary(CASE g % 5 WHEN 0 THEN i::float8 WHEN 1 THEN 42 WHEN 2 THEN 1e9 + sin(i) * 1e-3
                                                      WHEN 3 THEN (i % 2) * 1e-150 ELSE 0.1 * i + 0.7 / 3 END, i::bigint) s
               FROM generate_series(0, 49) g, generate_series(1, 3000) i GROUP BY g) q
            WHERE s::text::qe.capability_summary::text <> s::text), 0::bigint,
          'summaries of monotone, constant, offset, tiny alternating and drifting series all read back as written');
SELECT throws_ok($$SELECT qe.cp_confidence(-1, 10)$$, '22023', NULL, 'a negative Cp: 22023 (Cp = (USL - LSL) / 6 sigma > 0)');
SELECT throws_ok($$SELECT qe.cp_confidence(1, 10, 0)$$, '22023', NULL, 'confidence level 0: 22023');
SELECT throws_ok($$SELECT qe.cpk_confidence(1, 0, 0.9)$$, '22023', NULL, 'n = 0: 22023');

-- ------------------------------------------------------- NULLs, small n
SELECT is((SELECT qe.imr_chart(NULL::float8, t) FROM generate_series(1::bigint, 5) t), NULL,
          'all values NULL: NULL');
SELECT ok((SELECT qe.capability_summary(NULL::float8, t) IS NULL FROM generate_series(1::bigint, 5) t),
          'all values NULL: no summary');
SELECT is((SELECT (qe.capability(x, t, 0, 10)).n FROM (VALUES (1::float8, 1::bigint), (NULL, 2), (3, 3)) v(x, t)),
          2::bigint, 'NULL values are skipped, as avg does');
SELECT is((SELECT qe.capability(qe.capability_summary(1::float8, 1::bigint), 0, 2)), NULL,
          'capability of a one-value summary is NULL');

-- ------------------------------------------------------- window use
SELECT ok((SELECT bool_and(pg_temp.same_limits(w, whole)) FROM (
             SELECT t, qe.imr_chart(x, t) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) w
             FROM (SELECT i::bigint t, sin(i) x FROM generate_series(1, 100) i) d) q,
           (SELECT qe.imr_chart(sin(i), i::bigint) whole FROM generate_series(1, 100) i) a),
          'as a window aggregate over the whole partition');
SELECT is((SELECT (qe.imr_chart(x, t) OVER (ORDER BY t)).n_points
             FROM (SELECT i::bigint t, sin(i) x FROM generate_series(1, 50) i) d ORDER BY t DESC LIMIT 1),
          50::bigint, 'as a running window aggregate');

-- ------------------------------------------------------- parallel == serial
CREATE TABLE qe_tap_meas AS
  SELECT (i % 4) AS ch, i::bigint AS t, '2024-01-01'::timestamptz + i * interval '1 minute' AS ts,
         i / 20 AS sg, 100 + (i % 4) + 0.01 * ((i * 7919) % 1000) + 0.5 * sin(i / 5000.0) AS x
  FROM generate_series(0, 199999) i ORDER BY md5(i::text);
ANALYZE qe_tap_meas;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;

SELECT matches(pg_temp.plan('SELECT ch, qe.imr_chart(x, t) FROM qe_tap_meas GROUP BY ch'),
               'Partial .*Aggregate', 'imr_chart plans a Partial Aggregate');
SELECT matches(pg_temp.plan('SELECT ch, qe.imr_chart(x, t) FROM qe_tap_meas GROUP BY ch'),
               'Workers Planned: 2', 'imr_chart plans 2 workers');
SELECT matches(pg_temp.plan('SELECT qe.capability(x, ts, 90, 120, 105) FROM qe_tap_meas'),
               'Partial Aggregate', 'capability(value, t, ...) plans a Partial Aggregate');
SELECT matches(pg_temp.plan('SELECT ch, qe.xbar_r_chart(x, sg), qe.xbar_s_chart(x, sg) FROM qe_tap_meas GROUP BY ch'),
               'Partial .*Aggregate', 'xbar charts plan a Partial Aggregate');
SELECT matches(pg_temp.plan('SELECT qe.capability(x, sg::text, 90, 120, NULL, ''rbar'') FROM qe_tap_meas'),
               'Partial Aggregate', 'subgrouped capability plans a Partial Aggregate');
SELECT matches(pg_temp.plan('SELECT qe.capability_summary(x, t) FROM qe_tap_meas'),
               'Partial Aggregate', 'capability_summary plans a Partial Aggregate');

CREATE TEMP TABLE par AS
  SELECT ch, qe.imr_chart(x, t) i, qe.capability(x, ts, 90, 120, 105) c,
         qe.xbar_r_chart(x, sg) r, qe.xbar_s_chart(x, sg::text) s,
         qe.capability(x, sg, 90, 120, 105, 'pooled') cp, qe.capability(x, sg::text, 90, 120, NULL, 'rbar') cr,
         qe.capability(x, '2024-01-01'::timestamptz + sg * interval '1 hour', 90, 120, NULL, 'sbar') cs,
         qe.capability_summary(x, t) sm
  FROM qe_tap_meas GROUP BY ch;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL force_parallel_mode = off;
SELECT doesnt_match(pg_temp.plan('SELECT ch, qe.imr_chart(x, t) FROM qe_tap_meas GROUP BY ch'),
              'Partial', 'the serial plan has no partial aggregation');
CREATE TEMP TABLE ser AS
  SELECT ch, qe.imr_chart(x, t) i, qe.capability(x, ts, 90, 120, 105) c,
         qe.xbar_r_chart(x, sg) r, qe.xbar_s_chart(x, sg::text) s,
         qe.capability(x, sg, 90, 120, 105, 'pooled') cp, qe.capability(x, sg::text, 90, 120, NULL, 'rbar') cr,
         qe.capability(x, '2024-01-01'::timestamptz + sg * interval '1 hour', 90, 120, NULL, 'sbar') cs,
         qe.capability_summary(x, t) sm
  FROM qe_tap_meas GROUP BY ch;
SELECT is((SELECT count(*) FROM par JOIN ser USING (ch)), 4::bigint, 'four characteristics both ways');
SELECT ok((SELECT bool_and(pg_temp.same_limits(par.i, ser.i)) FROM par JOIN ser USING (ch)), 'imr_chart: parallel = serial');
SELECT ok((SELECT bool_and(pg_temp.same_cap(par.c, ser.c)) FROM par JOIN ser USING (ch)), 'capability (individuals): parallel = serial');
SELECT ok((SELECT bool_and(pg_temp.same_limits(par.r, ser.r)) FROM par JOIN ser USING (ch)), 'xbar_r_chart: parallel = serial');
SELECT ok((SELECT bool_and(pg_temp.same_limits(par.s, ser.s)) FROM par JOIN ser USING (ch)), 'xbar_s_chart (text key): parallel = serial');
SELECT ok((SELECT bool_and(pg_temp.same_cap(par.cp, ser.cp) AND pg_temp.same_cap(par.cr, ser.cr)
                           AND pg_temp.same_cap(par.cs, ser.cs)) FROM par JOIN ser USING (ch)),
          'subgrouped capability, three methods and key types: parallel = serial');
SELECT ok((SELECT bool_and(pg_temp.same_cap(qe.capability(par.sm, 90, 120, 105), qe.capability(ser.sm, 90, 120, 105)))
             FROM par JOIN ser USING (ch)), 'capability_summary: parallel = serial');
-- the same on rows stored in time order: each worker's pairs (and subgroup
-- keys) are then sorted runs that the leader merges linearly
CREATE TABLE qe_tap_meas_ord AS
  SELECT ch, t, ts, sg, lpad(sg::text, 8, '0') AS sgt, x FROM qe_tap_meas ORDER BY t;
ANALYZE qe_tap_meas_ord;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
CREATE TEMP TABLE par_ord AS
  SELECT ch, qe.imr_chart(x, t) i, qe.capability(x, ts, 90, 120, 105) c,
         qe.xbar_r_chart(x, sg) r, qe.xbar_s_chart(x, sgt) s,
         qe.capability(x, sg, 90, 120, 105, 'pooled') cp, qe.capability(x, sgt, 90, 120, NULL, 'rbar') cr,
         qe.capability_summary(x, t) sm
  FROM qe_tap_meas_ord GROUP BY ch;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL force_parallel_mode = off;
CREATE TEMP TABLE ser_ord AS
  SELECT ch, qe.imr_chart(x, t) i, qe.capability(x, ts, 90, 120, 105) c,
         qe.xbar_r_chart(x, sg) r, qe.xbar_s_chart(x, sgt) s,
         qe.capability(x, sg, 90, 120, 105, 'pooled') cp, qe.capability(x, sgt, 90, 120, NULL, 'rbar') cr,
         qe.capability_summary(x, t) sm
  FROM qe_tap_meas_ord GROUP BY ch;
SELECT ok((SELECT count(*) = 4 AND bool_and(pg_temp.same_limits(p.i, s.i) AND pg_temp.same_cap(p.c, s.c)
                           AND pg_temp.same_limits(p.r, s.r) AND pg_temp.same_limits(p.s, s.s)
                           AND pg_temp.same_cap(p.cp, s.cp) AND pg_temp.same_cap(p.cr, s.cr)
                           AND pg_temp.same_cap(qe.capability(p.sm, 90, 120, 105), qe.capability(s.sm, 90, 120, 105)))
             FROM par_ord p JOIN ser_ord s USING (ch)),
          'time-ordered rows (sorted runs merged): parallel = serial for every aggregate');
INSERT INTO qe_tap_meas_ord SELECT 1, 150001, NULL, NULL, NULL, 1.0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
SELECT throws_ok('SELECT ch, qe.imr_chart(x, t) FROM qe_tap_meas_ord GROUP BY ch', '21000', NULL,
                 'a tie between two sorted runs merged in parallel is still an error');
-- constant subgroups whose values are not binary fractions, each split
-- between the two workers: every worker keeps its own shift, and moving one
-- mean to the other's rounds; serially sigma is exactly 0 (Cp infinite)
CREATE TABLE qe_tap_const AS
  SELECT (i % 1000)::bigint AS k, ((i % 1000) * 0.7)::float8 / 3 AS x FROM generate_series(1, 200000) i;
ANALYZE qe_tap_const;
SET LOCAL parallel_leader_participation = off;
SELECT matches(pg_temp.plan('SELECT qe.xbar_s_chart(x, k) FROM qe_tap_const'),
               'Partial Aggregate', 'constant subgroups: the plan aggregates in parallel workers');
-- (materialised by CREATE TABLE AS, which may run in parallel: a query
-- calling pgTAP's functions may not)
CREATE TEMP TABLE const_par AS
  SELECT (qe.xbar_s_chart(x, k)).sigma AS s, (qe.capability(x, k, 0, 500, NULL, 'pooled')).cp AS cp FROM qe_tap_const;
SELECT is((SELECT s FROM const_par), 0::float8,
          'xbar_s_chart, constant subgroups split between parallel workers: sigma exactly 0, as serially');
SELECT is((SELECT cp FROM const_par), 'Infinity'::float8,
          'capability from constant subgroups split between parallel workers: Cp infinite, as serially');
SET LOCAL parallel_leader_participation = on;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL force_parallel_mode = off;
SELECT is((SELECT (qe.xbar_s_chart(x, k)).sigma FROM qe_tap_const), 0::float8,
          'xbar_s_chart, the same constant subgroups serially: sigma 0');
-- squared deviations that underflow are refused, as qe.imr_chart refuses
-- them, not reported as no spread
SELECT throws_ok($$SELECT qe.xbar_s_chart(x, k) FROM (VALUES (1e-300::float8, 1::bigint), (2e-300, 1), (3e-300, 2), (5e-300, 2)) v(x, k)$$,
                 '22003', NULL, 'subgroups of values about 1e-300: their squared deviations underflow, an error, not sigma 0');
SELECT throws_ok($$SELECT qe.capability(x, k, 0, 1e-299, NULL, 'pooled') FROM (VALUES (1e-300::float8, 1::bigint), (1e-300, 1), (3e-300, 2), (3e-300, 2)) v(x, k)$$,
                 '22003', NULL, 'constant subgroups of different values about 1e-300: the overall spread underflows, an error, not Pp infinite');
-- independent check of the serial numbers: plain SQL over one characteristic
SELECT ok((SELECT pg_temp.close((ser.i).sigma, ref.sigma, 1e-12) AND pg_temp.close((ser.c).sigma_overall, ref.sd, 1e-12)
             FROM ser, (SELECT avg(mr) / (2 / sqrt(pi())) sigma, stddev_samp(x) sd FROM (
                          SELECT x, abs(x - lag(x) OVER (ORDER BY t)) mr FROM qe_tap_meas WHERE ch = 1) m) ref
            WHERE ch = 1), 'imr sigma and sigma overall equal the plain-SQL window computation');

-- ------------------------------------------------------- rollup == raw
CREATE TEMP TABLE daily AS
  SELECT ch, date_trunc('day', ts) AS day, qe.capability_summary(x, ts) s FROM qe_tap_meas GROUP BY 1, 2;
SELECT cmp_ok((SELECT count(*) FROM daily), '>', 500::bigint, 'more than 500 daily summaries');
SELECT ok((SELECT bool_and(pg_temp.same_cap(qe.capability(r.s, 90, 120, 105), raw.c))
             FROM (SELECT ch, qe.capability_rollup(s) s FROM daily GROUP BY ch) r
             JOIN (SELECT ch, qe.capability(x, ts, 90, 120, 105) c FROM qe_tap_meas GROUP BY ch) raw USING (ch)),
          'capability of the rollup of daily summaries = capability of the raw rows');
SELECT ok((SELECT bool_and(pg_temp.same_limits(qe.imr_chart(r.s), raw.l))
             FROM (SELECT ch, qe.capability_rollup(s ORDER BY random()) s FROM daily GROUP BY ch) r
             JOIN (SELECT ch, qe.imr_chart(x, ts) l FROM qe_tap_meas GROUP BY ch) raw USING (ch)),
          'I-MR limits of the rollup (summaries in random order) = those of the raw rows');
-- monthly from weekly from daily: rollups of rollups
SELECT ok((SELECT bool_and(qe.n(m.s) = qe.n(raw.s) AND pg_temp.close(qe.sigma_within(m.s), qe.sigma_within(raw.s))
                           AND pg_temp.close(qe.sigma_overall(m.s), qe.sigma_overall(raw.s))
                           AND pg_temp.close(qe.mean(m.s), qe.mean(raw.s)))
             FROM (SELECT ch, qe.capability_rollup(s) s FROM (
                     SELECT ch, qe.capability_rollup(s) s FROM daily GROUP BY ch, date_trunc('week', day)) w GROUP BY ch) m
             JOIN (SELECT ch, qe.capability_summary(x, ts) s FROM qe_tap_meas GROUP BY ch) raw USING (ch)),
          'a rollup of weekly rollups equals the summary of the raw rows');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
CREATE TABLE qe_tap_daily AS SELECT * FROM daily;
ANALYZE qe_tap_daily;
SELECT matches(pg_temp.plan('SELECT qe.capability_rollup(s) FROM qe_tap_daily'),
               'Partial Aggregate', 'capability_rollup plans a Partial Aggregate');
SELECT ok((SELECT bool_and(pg_temp.same_cap(qe.capability(r.s, 90, 120), qe.capability(ser.sm, 90, 120)))
             FROM (SELECT ch, qe.capability_rollup(s) s FROM qe_tap_daily GROUP BY ch) r JOIN ser USING (ch)),
          'parallel rollup = serial raw summary');
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL force_parallel_mode = off;

-- ------------------------------------------------------- binary I/O
CREATE TEMP TABLE bin_src AS SELECT ch, s FROM daily WHERE day = (SELECT min(day) FROM daily);
COPY bin_src TO '/tmp/qe_tap_summary.bin' WITH (FORMAT binary);
CREATE TEMP TABLE bin_dst (LIKE bin_src);
COPY bin_dst FROM '/tmp/qe_tap_summary.bin' WITH (FORMAT binary);
SELECT is((SELECT string_agg(s::text, ';' ORDER BY ch) FROM bin_dst),
          (SELECT string_agg(s::text, ';' ORDER BY ch) FROM bin_src), 'binary COPY round trip of summaries');
SELECT is((SELECT count(*) FROM bin_src WHERE s::text::qe.capability_summary::text <> s::text), 0::bigint,
          'text round trip is exact');

-- binary receive validates every field: feed it forged bytes through binary COPY
-- of a bytea column (the binary COPY field is the raw send representation)
CREATE TEMP TABLE forged (b bytea);
INSERT INTO forged SELECT overlay(qe._spc_summary_send(s) PLACING '\x00000002'::bytea FROM 1 FOR 4)
  FROM bin_src WHERE ch = 0;
COPY forged TO '/tmp/qe_tap_forged1.bin' WITH (FORMAT binary);
TRUNCATE forged;
INSERT INTO forged SELECT substr(qe._spc_summary_send(s), 1, 79) FROM bin_src WHERE ch = 0;
COPY forged TO '/tmp/qe_tap_forged2.bin' WITH (FORMAT binary);
TRUNCATE forged;
INSERT INTO forged SELECT overlay(qe._spc_summary_send(s) PLACING '\x7fffffffffffffff'::bytea FROM 17 FOR 8)
  FROM bin_src WHERE ch = 0;
COPY forged TO '/tmp/qe_tap_forged3.bin' WITH (FORMAT binary);
TRUNCATE forged;
INSERT INTO forged SELECT overlay(qe._spc_summary_send(s) PLACING '\x0000000000000000'::bytea FROM 49 FOR 8)
  FROM bin_src WHERE ch = 0;
COPY forged TO '/tmp/qe_tap_forged4.bin' WITH (FORMAT binary);
SELECT throws_ok($$COPY bin_dst (s) FROM '/tmp/qe_tap_forged1.bin' WITH (FORMAT binary)$$, '22P03', NULL,
                 'binary summary with an unknown version: 22P03');
SELECT throws_ok($$COPY bin_dst (s) FROM '/tmp/qe_tap_forged2.bin' WITH (FORMAT binary)$$, '22P03', NULL,
                 'truncated binary summary: 22P03');
SELECT throws_ok($$COPY bin_dst (s) FROM '/tmp/qe_tap_forged3.bin' WITH (FORMAT binary)$$, '22P03', NULL,
                 'binary summary with an inconsistent moving-range count: 22P03');
SELECT ok((SELECT qe._spc_summary_send(s) <> overlay(qe._spc_summary_send(s) PLACING '\x0000000000000000'::bytea FROM 49 FOR 8)
             FROM bin_src WHERE ch = 0), 'the forged M2 differs from the real one');
SELECT throws_ok($$COPY bin_dst (s) FROM '/tmp/qe_tap_forged4.bin' WITH (FORMAT binary)$$, '22P03', NULL,
                 'binary summary of a day of varying values with M2 set to 0: 22P03');

-- ------------------------------------------------------- stability
-- 1e9 + noise on a 2^-10 grid (exact doubles): sigma against exact numeric
-- arithmetic on the noise k / 1024 itself (x::numeric would keep only 15 digits)
CREATE TEMP TABLE big9 AS
  SELECT i::bigint t, k, 1e9::float8 + k / 1024.0 AS x
  FROM generate_series(1, 300000) i, LATERAL (SELECT ((i * 2654435761) % 2001) - 1000 AS k) kk;
SELECT ok((SELECT abs((c).sigma_overall / ref.sd - 1) < 1e-9 AND abs((c).sigma_within / ref.sw - 1) < 1e-9
             FROM (SELECT qe.capability(x, t, 1e9 - 5, 1e9 + 5) c FROM big9) a,
                  (SELECT (stddev_samp(k::numeric) / 1024)::float8 sd,
                          (avg(mr) / 1024 / (2 / sqrt(pi()::numeric)))::float8 sw
                     FROM (SELECT k, abs(k - lag(k) OVER (ORDER BY t)) mr FROM big9) m) ref),
          '1e9 + noise: sigma overall and within to 1e-9 relative');
SELECT ok((SELECT abs((c).sigma_overall / ref.sd - 1) < 1e-9
             FROM (SELECT qe.capability(x, t / 5, 1e9 - 5, 1e9 + 5, NULL, 'pooled') c FROM big9 WHERE t >= 5 AND t < 300000) a,
                  (SELECT (stddev_samp(k::numeric) / 1024)::float8 sd FROM big9 WHERE t >= 5 AND t < 300000) ref),
          '1e9 + noise, subgroups: sigma overall to 1e-9 relative');

-- sums beyond double precision are an overflow error (22003), as PostgreSQL's
-- own stddev_samp gives, never an infinite or NaN statistic (found by an
-- adversarial pass: a stored summary then failed its own input on restore)
SELECT throws_ok($$SELECT stddev_samp(x) FROM (VALUES (0::float8), (1e308), (1e308)) v(x)$$, '22003', NULL,
                 'reference: PostgreSQL reports this spread as an overflow');
SELECT throws_ok($$SELECT qe.capability(x, t, -1, 1) FROM (VALUES (0::float8, 1::bigint), (1e308, 2), (1e308, 3)) v(x, t)$$,
                 '22003', NULL, 'capability: overflowing sums are 22003, not sigma 0 and Pp = Infinity');
SELECT throws_ok($$SELECT qe.capability_summary(x, t) FROM (VALUES (1e308::float8, 1::bigint), (-1e308, 2)) v(x, t)$$,
                 '22003', NULL, 'capability_summary: no non-finite summary is ever produced (its input would refuse it)');
SELECT throws_ok($$SELECT qe.imr_chart(x, t) FROM (VALUES (1e308::float8, 1::bigint), (-1e308, 2)) v(x, t)$$,
                 '22003', NULL, 'imr_chart: 22003, not a centre of -Infinity');
SELECT throws_ok($$SELECT qe.xbar_s_chart(x, k) FROM (VALUES (1e308::float8, 1::bigint), (-1e308, 1), (1e308, 2), (-1e308, 2)) v(x, k)$$,
                 '22003', NULL, 'xbar_s_chart: 22003, not NULL limits');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT throws_ok($$SELECT qe.xbar_r_chart(CASE WHEN t % 2 = 0 THEN 1e308 ELSE -1e308 END, sg) FROM qe_tap_meas$$,
                 '22003', NULL, 'xbar_r_chart in a parallel plan: 22003 too, not a corrupt-state error at the leader');
SELECT throws_ok($$SELECT qe.capability_rollup(s) FROM (VALUES
  ('(1,bigint,9223372036854775807,0,0,0,9223372036854775806,-9223372036854775808,0,-1,0)'::qe.capability_summary),
  ('(1,bigint,9223372036854775807,0,0,0,9223372036854775806,0,0,9223372036854775807,0)')) v(s)$$,
                 '22003', NULL, 'capability_rollup: a count beyond 2^63 - 1 is refused, not wrapped to -2');

SELECT throws_ok($$SELECT qe.xbar_r_chart(x, k) FROM (VALUES (1::float8, repeat('a', 59) || 'éé'), (2, 'b'), (3, 'b')) v(x, k)$$,
                 '22000', 'subgroup ''' || repeat('a', 59) || ''' has only one value',
                 'a long subgroup key in a message is cut at a character boundary (60 bytes would split an é)');

-- a timestamp key is taken as it is: cast to timestamptz, two local times in a
-- spring-forward gap became one instant and two subgroups merged
SET LOCAL TimeZone = 'America/New_York';
SELECT is((SELECT (n_points || ' ' || round(sigma::numeric, 4))
             FROM (SELECT (qe.xbar_r_chart(x, k)).* FROM (VALUES (1.0::float8, '2024-03-10 02:30'::timestamp), (2, '2024-03-10 02:30'),
                   (10, '2024-03-10 03:30'), (14, '2024-03-10 03:30'), (5, '2024-03-10 04:30'), (6, '2024-03-10 04:30')) v(x, k)) c),
          '3 1.7725',
          'timestamp subgroups across a DST gap: three subgroups, sigma = mean R / d2(2) = 2 / 1.128 (ranges 1, 4, 1)');
RESET TimeZone;

-- specification limits 3.4e308 apart: Cp is finite (6.39e307), not Infinity;
-- sigma within = MR-bar / d2(2) = 1 / (2 / sqrt(pi))
SELECT ok((SELECT abs(c.cp::numeric / (3.4e308 * (2 / sqrt(pi()::numeric)) / 6) - 1) < 1e-12
             FROM (SELECT (qe.capability(x, t, -1.7e308, 1.7e308)).* FROM (VALUES (1::float8, 1::bigint), (2, 2), (3, 3)) v(x, t)) c),
          'Cp with limits +-1.7e308: (USL - LSL) / 6 sigma computed without overflowing');
-- deviations whose squares underflow: 22003, not sigma 0 and Pp = Infinity
SELECT throws_ok($$SELECT qe.capability(x, t, 0, 1) FROM (VALUES (1e-308::float8, 1::bigint), (2e-308, 2), (1.5e-308, 3), (1.2e-308, 4)) v(x, t)$$,
                 '22003', NULL, 'values near 1e-308 whose spread underflows: 22003');

SELECT * FROM finish();
ROLLBACK;
