-- Tests for special causes: hand-checked textbook sequences.
-- Centre 0 and sigma 1 unless said otherwise, so a value is its own z score.
-- Each case lists, per point, the tests it completes (Minitab's convention:
-- the point that completes a pattern is flagged, and so is every later point
-- while the pattern goes on).

-- The catalogue and the bit layout (bit i-1 = test i).
SELECT * FROM qe.spc_tests ORDER BY test;
SELECT qe.rule_names(0) AS none, qe.rule_names(1) AS t1, qe.rule_names(255) AS all_eight;
SELECT qe.rule_bits('{trend,zone_a}') AS trend_zone_a, qe.rule_bits('{1,8}') AS t1_t8;
SELECT qe.rule_set('nelson') AS nelson, qe.rule_set('western_electric') AS we, qe.rule_set('attribute') AS attr;
SELECT qe.rule_config(tests => '{2,3}', k2 => 7, k3 => 5);

-- Test 1: point 3 is exactly +3 sigma (on the limit: not beyond); 4 (3.01)
-- and 6 (-3.5) are beyond.  Expected: 4 and 6 flagged {beyond_limits}.
SELECT i, x, qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{1}')) OVER (ORDER BY i)) AS rules
  FROM (VALUES (1, 0.5), (2, -1), (3, 3.0), (4, 3.01), (5, 0), (6, -3.5), (7, -3.0)) v(i, x);

-- Test 2 (K = 9) and Western Electric rule 4 (test 2 with K = 8):
-- points 1-11 above the centre, 12 exactly on it (breaks the run), 13-21 below.
-- Nelson: 9, 10, 11 (9th, 10th, 11th above) and 21 (9th below).
-- WE: 8..11 and 20, 21.
SELECT i, x,
       qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{2}')) OVER w) AS nelson,
       qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{2}', k2 => 8)) OVER w) AS we_rule_4
  FROM (VALUES (1, 0.1), (2, 0.2), (3, 1), (4, 2), (5, 0.5), (6, 0.3), (7, 0.1), (8, 0.9), (9, 0.4),
               (10, 0.2), (11, 0.1), (12, 0), (13, -0.1), (14, -1), (15, -2), (16, -0.5), (17, -0.3),
               (18, -0.2), (19, -0.9), (20, -0.4), (21, -0.3)) v(i, x)
WINDOW w AS (ORDER BY i);

-- Test 3 (K = 6): 1..6 strictly increasing -> 6 flagged (5 rises), 7 too;
-- 8 equals 7 (a tie: neither up nor down) so the trend breaks; 8..13 fall
-- strictly: six points, 13 flagged.
SELECT i, x, qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{3}')) OVER (ORDER BY i)) AS rules
  FROM (VALUES (1, -1), (2, -0.8), (3, -0.5), (4, 0), (5, 0.2), (6, 0.9), (7, 1.0), (8, 1.0),
               (9, 0.8), (10, 0.6), (11, 0.4), (12, 0.2), (13, 0.0)) v(i, x);

-- Test 4 (K = 14): 16 points alternating -0.5, 0.5, ...: 14 (13 alternating
-- steps), 15, 16 flagged; 17 repeats 16 (tie) and breaks it; 18 starts again.
SELECT i, x, qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{4}')) OVER (ORDER BY i)) AS rules
  FROM (SELECT i, CASE WHEN i = 17 THEN 0.5 WHEN i = 18 THEN -0.5
                       WHEN i % 2 = 1 THEN -0.5 ELSE 0.5 END AS x
          FROM generate_series(1, 18) i) v;

-- Test 5 (2 of 3 beyond 2 sigma, same side) and test 6 (4 of 5 beyond 1 sigma):
--   1: 2.5   beyond +2
--   2: 0
--   3: 2.1   beyond +2; 1 and 3 are 2 of the 3 points 1..3 -> test 5
--   4: 0.5   inside: completes nothing (the pattern was complete at 3)
--   5: -2.5  beyond -2
--   6: 2.2   beyond +2, but only 6 of 4..6 is above -> no
--   7: -2.1  beyond -2, with 5 in 5..7 -> test 5
--   8: 2.0   exactly 2 sigma: not beyond 2 (but beyond 1)
--   9: 1.5   beyond +1; 5..9 has 6, 8, 9 above 1 sigma: 3 of 5, no
--  10: 1.2   6..10 has 6, 8, 9, 10 above 1 sigma: 4 of 5 -> test 6
--  11: 0.5   inside
--  12: 1.1   8..12 has 8, 9, 10, 12 -> test 6
--  13: 1.9 -> 9..13: 9, 10, 12, 13 -> test 6
--  14: 1.0 exactly 1 sigma: not beyond
SELECT i, x, qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{5,6}')) OVER (ORDER BY i)) AS rules
  FROM (VALUES (1, 2.5), (2, 0), (3, 2.1), (4, 0.5), (5, -2.5), (6, 2.2), (7, -2.1), (8, 2.0),
               (9, 1.5), (10, 1.2), (11, 0.5), (12, 1.1), (13, 1.9), (14, 1.0)) v(i, x);

-- Test 7 (15 within 1 sigma, either side, 1 sigma itself counts as within)
-- and test 8 (8 beyond 1 sigma, either side):
-- points 1-16 cycle 1, -1, 0 (all within) -> 15, 16 test 7;
-- points 17-25 alternate +-1.5 (beyond) -> 24, 25 test 8 (8th and 9th beyond).
SELECT i, x, qe.rule_names(qe.spc_rules(x, 0, 1, qe.rule_config(tests => '{7,8}')) OVER (ORDER BY i)) AS rules
  FROM (SELECT i, CASE WHEN i <= 16 THEN (ARRAY[1.0, -1.0, 0.0])[1 + (i - 1) % 3]
                       WHEN i % 2 = 0 THEN 1.5 ELSE -1.5 END AS x
          FROM generate_series(1, 25) i) v;

-- Real units (centre 10, sigma 0.5) and NULL values: a NULL value is not a
-- point (NULL result, runs untouched): the nine points above the centre
-- (1-4, 6-10) complete test 2 at point 10 although point 5 is NULL.
-- Point 11 = 11.5 = 10 + 3 * 0.5 exactly: on the UCL, not beyond.
SELECT i, x, qe.spc_rules(x, 10, 0.5) OVER (ORDER BY i) AS bits,
       qe.rule_names(qe.spc_rules(x, 10, 0.5) OVER (ORDER BY i)) AS rules
  FROM (VALUES (1, 10.1), (2, 10.2), (3, 10.1), (4, 10.3), (5, NULL), (6, 10.2), (7, 10.05),
               (8, 10.3), (9, 10.1), (10, 10.2), (11, 11.5)) v(i, x);

-- Partitions are independent: the same run split over two characteristics
-- never reaches nine in either.
SELECT k, count(*) FILTER (WHERE b <> 0) AS flagged
  FROM (SELECT k, qe.spc_rules(0.5, 0, 1) OVER (PARTITION BY k ORDER BY i) AS b
          FROM generate_series(1, 16) i, LATERAL (SELECT i % 2 AS k) s) q
 GROUP BY k ORDER BY k;

-- p chart with variable n (per-row limits): pbar = 0.1, limits
-- 0.1 +- 3 sqrt(0.09 / n); n = 100: 0.01 .. 0.19; n = 25: LCL clamped to 0, UCL 0.28.
-- Row 2: 0.20 > 0.19 -> test 1.  Row 3: 0.20 < 0.28 (n = 25) -> not beyond,
-- sigma = 0.06: 0.20 is 1.67 sigma (beyond 1, not 2).  Row 4: 0 with n = 25 is
-- not below a clamped LCL of 0, and only -1.67 sigma.
SELECT i, p, n, qe.spc_rules(p, greatest(0, 0.1 - 3 * sqrt(0.09 / n)), 0.1, 0.1 + 3 * sqrt(0.09 / n)) OVER (ORDER BY i) AS bits
  FROM (VALUES (1, 0.05, 100), (2, 0.20, 100), (3, 0.20, 25), (4, 0.0, 25)) v(i, p, n);

-- qe.control_limits directly: centre 50, LCL 44, UCL 56 (sigma of a point 2).
-- 56 is on the UCL (not beyond), 56.5 beyond (test 1).  2 sigma is 54:
-- 56, 56.5 and 55 are all beyond it, so 56.5 and 55 complete test 5
-- (2 of 3); 50 is the centre.
SELECT i, x, qe.rule_names(qe.spc_rules(x, ROW('I-MR', 50, 44, 56, 2, 4, 4, 1, 'MR', 2.256, 0, 7.37)::qe.control_limits)
                           OVER (ORDER BY i)) AS rules
  FROM (VALUES (1, 56.0), (2, 56.5), (3, 55.0), (4, 50.0)) v(i, x);

-- The report aggregate sorts by t itself: rows given out of order.
SELECT * FROM qe.violation_rows((
    SELECT qe.rule_violations(x, t, 0, 1)
      FROM (VALUES ('2024-01-01 10:03+00'::timestamptz, 2.5), ('2024-01-01 10:01+00', 2.1),
                   ('2024-01-01 10:02+00', 0.0), ('2024-01-01 10:04+00', -3.2)) v(t, x)));

-- Errors, with hints.
\set VERBOSITY default
SELECT qe.spc_rules(x, 0, 0) OVER () FROM (VALUES (1.0::float8)) v(x);
SELECT qe.spc_rules(x, NULL, 1) OVER () FROM (VALUES (1.0::float8)) v(x);
SELECT qe.rule_config(k1 => 7);
SELECT qe.rule_config(tests => '{0}');
SELECT qe.rule_set('montgomery');
SELECT qe.rule_names(256);
SELECT qe.rule_bits('{nope}');
SELECT qe.rule_violations(x, '2024-01-01', 0, 1) FROM (VALUES (1.0::float8), (2.0)) v(x);
