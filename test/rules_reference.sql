-- qe.spc_rules (window) and qe.rule_violations (aggregate) against a
-- deliberately naive reference written here in PL/pgSQL from the test
-- definitions: for every point it rescans the last 16 points of its series.
-- Thousands of random series with planted shifts, trends, alternations,
-- stratification, mixtures, exact ties / zone boundaries and NULL values,
-- under random rule configurations.
BEGIN;
SELECT plan(21);

CREATE TEMP TABLE cfgs AS
SELECT s AS series,
       CASE WHEN random() < 0.3 THEN qe.rule_set('nelson')
            ELSE ROW((1 + floor(random() * 255))::int,
                     1 + floor(random() * 6)::int, 7 + floor(random() * 5)::int,
                     5 + floor(random() * 4)::int, 12 + floor(random() * 3)::int,
                     2 + floor(random() * 3)::int, 3 + floor(random() * 4)::int,
                     12 + floor(random() * 4)::int, 6 + floor(random() * 5)::int)::qe.rule_config
       END AS cfg,
       (s % 3 = 0) AS real_units,     -- centre 74, sigma 0.013 instead of 0 / 1
       (s % 2 = 0) AS gridded         -- values on a 0.25 sigma grid: ties, exact boundaries
  FROM (SELECT setseed(0.42)) AS seed, generate_series(1, 2500) AS s;

-- segments of 1..25 points of one kind each
CREATE TEMP TABLE pts AS
WITH seg AS (
    SELECT c.series, g AS seg, floor(random() * 7)::int AS kind, 1 + floor(random() * 25)::int AS len,
           (random() - 0.5) * 4 AS shift, (random() - 0.5) * 0.8 AS slope, (random() - 0.5) * 2 AS base
      FROM cfgs c, generate_series(1, 1 + floor(random() * 4)::int) AS g
), raw AS (
    SELECT s.series, s.seg, j, s.kind,
           CASE s.kind
             WHEN 0 THEN (random() + random() + random() + random() - 2) * 1.7
             WHEN 1 THEN s.shift + (random() - 0.5)
             WHEN 2 THEN s.base + s.slope * j + (random() - 0.5) * 0.1
             WHEN 3 THEN s.shift + (CASE WHEN j % 2 = 0 THEN 1 ELSE -1 END) * (0.5 + random())
             WHEN 4 THEN (random() - 0.5) * 0.8
             WHEN 5 THEN (CASE WHEN random() < 0.5 THEN -2 ELSE 2 END) + (random() - 0.5)
             ELSE (floor(random() * 29) - 14) * 0.25
           END AS z
      FROM seg s, generate_series(1, s.len) AS j
)
SELECT r.series,
       row_number() OVER (PARTITION BY r.series ORDER BY r.seg, r.j) AS i,
       CASE WHEN random() < 0.03 THEN NULL
            ELSE (CASE WHEN c.real_units THEN 74 ELSE 0 END)
                 + (CASE WHEN c.gridded THEN floor(r.z * 4) / 4 ELSE r.z END)
                 * (CASE WHEN c.real_units THEN 0.013 ELSE 1 END)
       END AS x,
       CASE WHEN c.real_units THEN 74 ELSE 0 END::float8 AS c,
       CASE WHEN c.real_units THEN 0.013 ELSE 1 END::float8 AS s
  FROM raw r JOIN cfgs c USING (series);

-- The reference: xs holds the last (up to 16) non-NULL points, oldest first.
CREATE FUNCTION pg_temp.ref_bits(xs float8[], c float8, s float8, cfg qe.rule_config)
RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    n int := array_length(xs, 1);
    x float8 := xs[n];
    bits int := 0;
    ok boolean;
    ok2 boolean;
    cnt_a int;
    cnt_b int;
BEGIN
    -- 1: beyond k1 sigma
    IF x > c + cfg.k1 * s OR x < c - cfg.k1 * s THEN bits := bits | 1; END IF;
    -- 2: the last k2 all above, or all below
    IF n >= cfg.k2 THEN
        ok := true; ok2 := true;
        FOR j IN n - cfg.k2 + 1 .. n LOOP
            ok := ok AND xs[j] > c; ok2 := ok2 AND xs[j] < c;
        END LOOP;
        IF ok OR ok2 THEN bits := bits | 2; END IF;
    END IF;
    -- 3: the last k3 strictly increasing or strictly decreasing
    IF n >= cfg.k3 THEN
        ok := true; ok2 := true;
        FOR j IN n - cfg.k3 + 2 .. n LOOP
            ok := ok AND xs[j] > xs[j - 1]; ok2 := ok2 AND xs[j] < xs[j - 1];
        END LOOP;
        IF ok OR ok2 THEN bits := bits | 4; END IF;
    END IF;
    -- 4: the last k4 alternate: every step nonzero, each opposite to the one before
    IF n >= cfg.k4 THEN
        ok := true;
        FOR j IN n - cfg.k4 + 2 .. n LOOP
            IF xs[j] = xs[j - 1] THEN ok := false; END IF;
            IF j > n - cfg.k4 + 2 AND (xs[j] > xs[j - 1]) = (xs[j - 1] > xs[j - 2]) THEN ok := false; END IF;
        END LOOP;
        IF ok THEN bits := bits | 8; END IF;
    END IF;
    -- 5: this point beyond 2 sigma and k5 of the last k5+1 beyond, same side
    cnt_a := 0; cnt_b := 0;
    FOR j IN greatest(1, n - cfg.k5) .. n LOOP
        IF xs[j] > c + 2 * s THEN cnt_a := cnt_a + 1; END IF;
        IF xs[j] < c - 2 * s THEN cnt_b := cnt_b + 1; END IF;
    END LOOP;
    IF (x > c + 2 * s AND cnt_a >= cfg.k5) OR (x < c - 2 * s AND cnt_b >= cfg.k5) THEN bits := bits | 16; END IF;
    -- 6: the same with 1 sigma and k6
    cnt_a := 0; cnt_b := 0;
    FOR j IN greatest(1, n - cfg.k6) .. n LOOP
        IF xs[j] > c + s THEN cnt_a := cnt_a + 1; END IF;
        IF xs[j] < c - s THEN cnt_b := cnt_b + 1; END IF;
    END LOOP;
    IF (x > c + s AND cnt_a >= cfg.k6) OR (x < c - s AND cnt_b >= cfg.k6) THEN bits := bits | 32; END IF;
    -- 7: the last k7 within 1 sigma; 8: the last k8 beyond 1 sigma
    IF n >= cfg.k7 THEN
        ok := true;
        FOR j IN n - cfg.k7 + 1 .. n LOOP
            ok := ok AND NOT (xs[j] > c + s OR xs[j] < c - s);
        END LOOP;
        IF ok THEN bits := bits | 64; END IF;
    END IF;
    IF n >= cfg.k8 THEN
        ok := true;
        FOR j IN n - cfg.k8 + 1 .. n LOOP
            ok := ok AND (xs[j] > c + s OR xs[j] < c - s);
        END LOOP;
        IF ok THEN bits := bits | 128; END IF;
    END IF;
    RETURN bits & cfg.tests;
END $$;

CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN ' || q LOOP RETURN NEXT l; END LOOP;
END $$;

CREATE TEMP TABLE ref AS
SELECT series, i, pg_temp.ref_bits(xs, c, s, cfg) AS bits
  FROM (SELECT p.series, p.i, p.c, p.s, c.cfg,
               array_agg(p.x) OVER (PARTITION BY p.series ORDER BY p.i
                                    ROWS BETWEEN 15 PRECEDING AND CURRENT ROW) AS xs
          FROM pts p JOIN cfgs c USING (series)
         WHERE p.x IS NOT NULL) q;

CREATE TEMP TABLE got AS
SELECT p.series, p.i, p.x,
       qe.spc_rules(p.x, p.c, p.s, c.cfg) OVER (PARTITION BY p.series ORDER BY p.i) AS bits
  FROM pts p JOIN cfgs c USING (series);

SELECT cmp_ok((SELECT count(*) FROM pts), '>', 50000::bigint, 'more than 50,000 random points in 2,500 series');

SELECT is((SELECT count(*) FROM got g FULL JOIN ref r USING (series, i)
            WHERE g.x IS NOT NULL AND g.bits IS DISTINCT FROM r.bits),
          0::bigint, 'window function = naive reference on every non-NULL point');

SELECT is((SELECT count(*) FROM got WHERE x IS NULL AND bits IS NOT NULL), 0::bigint,
          'NULL values give NULL (and are skipped by the runs, as the reference which never sees them)');

SELECT ok((SELECT bool_and(n > 100) FROM (SELECT t, count(*) AS n FROM ref, generate_series(0, 7) t
                                           WHERE bits & (1 << t) <> 0 GROUP BY t) q)
          AND (SELECT count(DISTINCT t) FROM ref, generate_series(0, 7) t WHERE bits & (1 << t) <> 0) = 8,
          'every one of the eight tests fires more than 100 times in the random data');

-- The report aggregate: same violations, although it is fed in random order
-- and sorts by t itself.
CREATE TEMP TABLE agg AS
SELECT p.series, (qe.violation_rows(qe.rule_violations(p.x, '2020-01-01'::timestamptz + p.i * interval '1 second',
                                                       p.c, p.s, c.cfg))).*
  FROM (SELECT * FROM pts ORDER BY random()) p JOIN cfgs c USING (series)
 GROUP BY p.series;

SELECT is((SELECT count(*) FROM (
             (SELECT series, '2020-01-01'::timestamptz + i * interval '1 second' AS t, x, bits FROM got WHERE bits <> 0
              EXCEPT ALL SELECT series, t, value, bits FROM agg)
             UNION ALL
             (SELECT series, t, value, bits FROM agg
              EXCEPT ALL SELECT series, '2020-01-01'::timestamptz + i * interval '1 second', x, bits FROM got WHERE bits <> 0)) d),
          0::bigint, 'qe.rule_violations (unordered input) = the violating rows of the window function');

SELECT is((SELECT count(*) FROM agg), (SELECT count(*) FROM got WHERE bits <> 0),
          'qe.rule_violations returns only the violating points, each once');

-- Per-row limits and qe.control_limits on the 0 / 1 series: ucl = 3, lcl = -3,
-- so sigma = (ucl - center)/3 = 1 exactly and the results must be identical.
SELECT is((SELECT count(*) FROM (
             SELECT p.series, p.i,
                    qe.spc_rules(p.x, p.c, p.s, c.cfg) OVER w AS a,
                    qe.spc_rules(p.x, p.c - 3 * p.s, p.c, p.c + 3 * p.s, c.cfg) OVER w AS b,
                    qe.spc_rules(p.x, ROW('I-MR', p.c, p.c - 3 * p.s, p.c + 3 * p.s, p.s, 0, 0, 1,
                                          NULL, NULL, NULL, NULL)::qe.control_limits, c.cfg) OVER w AS d
               FROM pts p JOIN cfgs c USING (series)
              WHERE NOT c.real_units
             WINDOW w AS (PARTITION BY p.series ORDER BY p.i)) q
            WHERE a IS DISTINCT FROM b OR a IS DISTINCT FROM d),
          0::bigint, 'per-row limits and qe.control_limits variants agree with centre/sigma when sigma = (ucl - center)/3');

-- One big partition: the state never leaks across partitions, and a single
-- partition of all points (in series order) still matches when each series'
-- config is the same: use Nelson defaults over everything.
SELECT is((SELECT count(*) FROM (
             SELECT qe.spc_rules(x, 0, 1) OVER (PARTITION BY series ORDER BY i) AS a,
                    qe.spc_rules(x, 0, 1) OVER (PARTITION BY series ORDER BY i DESC) AS r
               FROM pts WHERE series % 2 = 0 AND x IS NOT NULL) q WHERE a IS NULL OR r IS NULL), 0::bigint,
          'two windows with different orders over the same rows both evaluate every row');

-- Parallel aggregation (combine / serialise / deserialise): the same result
-- as a serial run; the partial states are sorted by the final function.
CREATE TABLE public.rules_par AS
SELECT g, '2020-01-01'::timestamptz + i * interval '1 second' AS t,
       (random() + random() + random() + random() - 2) * 1.7 + CASE WHEN i % 300 < 20 THEN 1.5 ELSE 0 END AS x
  FROM generate_series(1, 50000) i, generate_series(1, 4) g
 ORDER BY random();
ANALYZE public.rules_par;
CREATE TEMP TABLE serial_res AS
SELECT g, (qe.violation_rows(qe.rule_violations(x, t, 0, 1))).* FROM public.rules_par GROUP BY g;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
SELECT ok(EXISTS (SELECT 1 FROM (SELECT pg_temp.explain_lines($$SELECT g, qe.rule_violations(x, t, 0, 1) FROM public.rules_par GROUP BY g$$) AS l) q
                   WHERE l LIKE '%Partial GroupAggregate%' OR l LIKE '%Partial HashAggregate%'),
          'qe.rule_violations runs as a partial (parallel) aggregate');
CREATE TEMP TABLE par_res AS
SELECT g, (qe.violation_rows(qe.rule_violations(x, t, 0, 1))).* FROM public.rules_par GROUP BY g;
SELECT cmp_ok((SELECT count(*) FROM serial_res), '>', 1000::bigint, 'the parallel test data has violations');
SELECT is((SELECT count(*) FROM ((TABLE serial_res EXCEPT ALL TABLE par_res) UNION ALL (TABLE par_res EXCEPT ALL TABLE serial_res)) d),
          0::bigint, 'parallel qe.rule_violations = serial qe.rule_violations');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;

-- ----------------------------------------------------------------- errors
SELECT throws_ok($$SELECT qe.spc_rules(x, 0, 0) OVER () FROM (VALUES (1.0::float8)) v(x)$$,
                 '22023', 'sigma must be a positive finite number, got 0', 'sigma = 0 is an error');
SELECT throws_ok($$SELECT qe.spc_rules(x, 0, -1) OVER () FROM (VALUES (1.0::float8)) v(x)$$,
                 '22023', NULL, 'negative sigma is an error');
SELECT throws_ok($$SELECT qe.spc_rules(x, NULL, 1) OVER () FROM (VALUES (1.0::float8)) v(x)$$,
                 '22004', 'centre line must not be NULL', 'NULL centre is an error');
SELECT throws_ok($$SELECT qe.rule_config(k4 => 15)$$, '22023',
                 'K of test 4 must be between 12 and 14, got 15', 'K out of Minitab''s range is an error');
SELECT throws_ok($$SELECT qe.spc_rules(x, 0, 1, ROW(255,3,9,6,14,5,4,15,8)::qe.rule_config) OVER () FROM (VALUES (1.0::float8)) v(x)$$,
                 '22023', 'K of test 5 must be between 2 and 4, got 5', 'a hand-made configuration is validated too');
SELECT throws_ok($$SELECT qe.spc_rules(x, 3, 0, 1) OVER () FROM (VALUES (1.0::float8)) v(x)$$,
                 '22023', NULL, 'limits in the wrong order are an error');
SELECT throws_ok($$SELECT qe.rule_violations(x, '2024-01-01', 0, 1) FROM (VALUES (1.0::float8), (2.0)) v(x)$$,
                 '22023', NULL, 'two points at the same t in qe.rule_violations are an error');
SELECT throws_ok($$SELECT qe.spc_rules(x, 0, 1) OVER () FROM (VALUES ('NaN'::float8)) v(x)$$,
                 '22003', NULL, 'a NaN value is an error');

-- one configuration per group: a row that passes another is refused, in a
-- serial plan as in the parallel one's combine (the first row's used to win)
SELECT throws_ok($$SELECT qe.rule_violations(x, t, 0, 1, CASE WHEN i <= 1 THEN qe.rule_config(tests => '{2}')
                                                            ELSE qe.rule_config(tests => '{1}') END)
                     FROM (SELECT i, timestamptz '2024-01-01' + i * interval '1 min' AS t, CASE WHEN i = 5 THEN 9 ELSE 1 END::float8 AS x
                             FROM generate_series(1, 12) i) z$$,
                 '22023', 'qe.rule_violations got different rule configurations within one group',
                 'rule_violations: a second configuration within a group is refused');
SELECT is((SELECT array_agg((v.value, v.bits)::text ORDER BY v.t)
             FROM (SELECT qe.rule_violations(x, t, 0, 1, qe.rule_config(tests => ARRAY[1 + 0 * i])) AS r
                     FROM (SELECT i, timestamptz '2024-01-01' + i * interval '1 min' AS t,
                                  CASE WHEN i = 5 THEN 9 ELSE 1 END::float8 AS x FROM generate_series(1, 12) i) z) a,
                  LATERAL qe.violation_rows(a.r) v),
          ARRAY['(9,1)'],
          'rule_violations: the same configuration on every row (equal values, not one constant) is accepted: the point at 9 sigma');

SELECT * FROM finish();
ROLLBACK;
