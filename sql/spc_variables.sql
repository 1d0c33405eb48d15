-- Variables control charts and capability on small examples whose statistics
-- are worked by hand in the comments (textbook formulas, Montgomery,
-- Introduction to Statistical Quality Control, 6th ed., ch. 6 and 8), plus
-- cross-checks against independent plain-SQL computations.
\pset null '(null)'

-- 1. I-MR.  x = 10, 12, 11, 15, 13 at t = 1..5 (rows given out of order):
--    mean 61/5 = 12.2; MR = 2, 1, 4, 2, MR-bar = 2.25;
--    sigma = 2.25 / d2(2) = 2.25 / 1.128379 = 1.994011;
--    UCL = 12.2 + 3 (1.994011) = 18.182032, LCL = 6.217968;
--    MR chart UCL = D4(2) MR-bar = 3.266531 (2.25) = 7.349697, LCL 0.
CREATE TEMP TABLE ind(t bigint, x float8);
INSERT INTO ind VALUES (5, 13), (1, 10), (4, 15), (2, 12), (3, 11);
SELECT chart, round(center::numeric, 6) AS center, round(lcl::numeric, 6) AS lcl,
       round(ucl::numeric, 6) AS ucl, round(sigma::numeric, 6) AS sigma, n_points, n_values,
       avg_sample_size, disp_chart, disp_center, disp_lcl, round(disp_ucl::numeric, 6) AS disp_ucl
FROM (SELECT (qe.imr_chart(x, t)).* FROM ind) s;
-- the same with timestamp and timestamptz t
SELECT round((qe.imr_chart(x, '2024-01-01'::timestamp + t * interval '1 hour')).ucl::numeric, 6) AS ucl_ts,
       round((qe.imr_chart(x, '2024-01-01'::timestamptz + t * interval '1 hour')).ucl::numeric, 6) AS ucl_tstz
FROM ind;

-- 2. Capability of the same values, LSL 9, USL 15, target 12:
--    Cp = 6 / (6 (1.994011)) = 0.501502; Cpu = 2.8 / 5.982032 = 0.468068;
--    Cpl = 3.2 / 5.982032 = 0.534935; Cpk = 0.468068;
--    s = sqrt(14.8 / 4) = 1.923538: Pp = 0.519875, Ppu = 2.8 / 5.770615 = 0.485217,
--    Ppl = 0.554534, Ppk = 0.485217;
--    Cpm: tau^2 = (14.8 + 5 (0.2)^2) / 4 = 3.75, Cpm = 3 / (3 sqrt 3.75) = 0.516398.
SELECT round(cp::numeric, 6) AS cp, round(cpk::numeric, 6) AS cpk, round(cpl::numeric, 6) AS cpl,
       round(cpu::numeric, 6) AS cpu, round(pp::numeric, 6) AS pp, round(ppk::numeric, 6) AS ppk,
       round(ppl::numeric, 6) AS ppl, round(ppu::numeric, 6) AS ppu, round(cpm::numeric, 6) AS cpm,
       n, mean, round(sigma_within::numeric, 6) AS sw, round(sigma_overall::numeric, 6) AS so,
       lsl, usl, target, within_method
FROM (SELECT (qe.capability(x, t, 9, 15, 12)).* FROM ind) s;
-- one-sided: upper limit only -> Cp, Pp, Cpl, Ppl NULL, Cpk = Cpu, Ppk = Ppu
SELECT cp, round(cpk::numeric, 6) AS cpk, cpl, round(cpu::numeric, 6) AS cpu, pp,
       round(ppk::numeric, 6) AS ppk, cpm
FROM (SELECT (qe.capability(x, t, NULL, 15)).* FROM ind) s;
-- lower limit only
SELECT cp, round(cpk::numeric, 6) AS cpk, round(cpl::numeric, 6) AS cpl, cpu
FROM (SELECT (qe.capability(x, t, 9, NULL)).* FROM ind) s;

-- 3. X-bar/R and X-bar/S, three subgroups of 4:
--    A 10 12 11 13: mean 11.5, R 3, s = sqrt(5/3) = 1.290994
--    B 12 14 13 13: mean 13,   R 2, s = sqrt(2/3) = 0.816497
--    C 11 11 14 12: mean 12,   R 3, s = sqrt(6/3) = 1.414214
--    X-bar-bar = 73/6 = 12.166667; R-bar = 8/3 = 2.666667;
--    A2(4) = 3 / (2 d2(4)) = 3 / 4.117501 = 0.728597:
--    UCL = 12.166667 + 1.942925 = 14.109592, LCL = 10.223741;
--    sigma = R-bar / d2(4) = 2.666667 / 2.058751 = 1.295284;
--    R chart: D3(4) = 0, D4(4) = 1 + 3 d3/d2 = 1 + 3 (0.879808) / 2.058751 = 2.282052:
--    UCL 6.085471 (table D4 = 2.282: 6.085).
--    S-bar = (1.290994 + 0.816497 + 1.414214) / 3 = 1.173902, A3(4) = 3 / (2 c4(4))
--    = 3 / (2 (0.921318)) = 1.628103: UCL = 14.077899, LCL = 10.255434;
--    sigma = S-bar / c4(4) = 1.274155; B4(4) = 1 + 3 sqrt(1 - c4^2) / c4 = 2.266047: UCL 2.660116.
--    (Values checked with an independent 30-digit mpmath computation.)
CREATE TEMP TABLE sg(g bigint, x float8);
INSERT INTO sg VALUES (1, 10), (1, 12), (1, 11), (1, 13), (2, 12), (2, 14), (2, 13), (2, 13),
                      (3, 11), (3, 11), (3, 14), (3, 12);
SELECT chart, round(center::numeric, 6) AS center, round(lcl::numeric, 6) AS lcl,
       round(ucl::numeric, 6) AS ucl, round(sigma::numeric, 6) AS sigma, n_points, n_values,
       avg_sample_size, disp_chart, round(disp_center::numeric, 6) AS disp_center,
       round(disp_lcl::numeric, 6) AS disp_lcl, round(disp_ucl::numeric, 6) AS disp_ucl
FROM (SELECT (qe.xbar_r_chart(x, g)).* FROM sg
      UNION ALL SELECT (qe.xbar_s_chart(x, g)).* FROM sg) s;
-- text and timestamptz subgroup keys give the same limits
SELECT (SELECT qe.xbar_r_chart(x, 'lot-' || g) FROM sg) = (SELECT qe.xbar_r_chart(x, g) FROM sg) AS text_key_same,
       (SELECT qe.xbar_s_chart(x, '2024-01-01'::timestamptz + g * interval '1 day') FROM sg)
         = (SELECT qe.xbar_s_chart(x, g) FROM sg) AS timestamptz_key_same;

-- 4. Unequal subgroup sizes: add a fifth value 15 to subgroup B
--    (B: 12 14 13 13 15, n 5, mean 13.4, R 3, s = sqrt(5.2/4) = 1.140175).
--    Grand mean: the 13 values sum to 46 + 67 + 48 = 161, 161/13 = 12.384615.
--    Mean size 13/3 = 4.333333.
--    R method (ASTM E2587): sigma = (3/2.058751 + 3/2.325929 + 3/2.058751)/3
--      = (1.457195 + 1.289807 + 1.457195)/3 = 1.401399;
--    UCL = 12.384615 + 3 (1.401399)/sqrt(4.333333) = 12.384615 + 2.019631 = 14.404246.
INSERT INTO sg VALUES (2, 15);
SELECT round(center::numeric, 6) AS center, round(ucl::numeric, 6) AS ucl,
       round(sigma::numeric, 6) AS sigma, round(avg_sample_size::numeric, 6) AS nbar
FROM (SELECT (qe.xbar_r_chart(x, g)).* FROM sg) s;

-- 5. Capability from subgroups (LSL 8, USL 16), the three methods on the unequal data:
--    pooled: sum M2 = 5 + 5.2 + 6 = 16.2 over df 3 + 4 + 3 = 10: sd 1.272792,
--      c4(11) = 0.975350: sigma 1.304959, Cp = 8 / (6 (1.304959)) = 1.021743
--    rbar: sigma 1.401399 (as above): Cp = 8 / 8.408392 = 0.951430
--    sbar: weights h = c4^2/(1-c4^2): n 4: 5.614910, n 5: 7.589068;
--      sigma = (h4 (1.290994/0.921318) + h5 (1.140175/0.939986) + h4 (1.414214/0.921318))
--              / (2 h4 + h5) = 1.365226, Cp = 0.976639
--    sigma overall: sd of the 13 values = 1.445595 (all methods)
SELECT m, round(sigma_within::numeric, 6) AS sw, round(cp::numeric, 6) AS cp,
       round(sigma_overall::numeric, 6) AS so, n, round(mean::numeric, 6) AS mean, within_method
FROM unnest(ARRAY['pooled', 'rbar', 'sbar', NULL]) m,
     LATERAL (SELECT (qe.capability(x, g, 8, 16, NULL, m)).* FROM sg) c;

-- 6. Confidence limits.  Montgomery Example 8.4: n = 20, Cp = 2.29:
--    2.29 sqrt(8.91/19) = 1.57 <= Cp <= 2.29 sqrt(32.85/19) = 3.01.
--    Bissell for n = 20, Cpk = 1.33: 1.33 -+ 1.96 sqrt(1/180 + 1.7689/38) = 0.8826 .. 1.7774
SELECT round(lower::numeric, 2) AS lower, round(upper::numeric, 2) AS upper, level, method
FROM qe.cp_confidence(2.29, 20, 0.95);
SELECT round(lower::numeric, 4) AS lower, round(upper::numeric, 4) AS upper, level, method
FROM qe.cpk_confidence(1.33, 20);
-- from a capability value (Cp 0.501502, n 5: chi-square(0.025, 4) = 0.484419,
-- chi-square(0.975, 4) = 11.143287: 0.501502 sqrt(0.484419/4) = 0.174523 .. 0.501502 sqrt(11.143287/4) = 0.837046)
SELECT round(lower::numeric, 6) AS lower, round(upper::numeric, 6) AS upper
FROM (SELECT qe.cp_confidence(qe.capability(x, t, 9, 15), 0.95) c FROM ind) s, LATERAL (SELECT (c).*) i;

-- 7. The stored summary: text form, accessors, rollup
SELECT qe.capability_summary(x, t) FROM ind;
SELECT qe.n(s), qe.mean(s), round(qe.sigma_within(s)::numeric, 6) AS sw,
       round(qe.sigma_overall(s)::numeric, 6) AS so
FROM (SELECT qe.capability_summary(x, t) s FROM ind) q;
-- buckets {1,2}, {3}, {4,5}: boundary MRs |11-12| and |15-11| are added back
SELECT qe.capability_rollup(s) FROM (
  SELECT qe.capability_summary(x, t) s FROM ind GROUP BY (t + 1) / 2) q;
SELECT round((qe.capability(qe.capability_rollup(s), 9, 15)).cpk::numeric, 6) AS rollup_cpk
FROM (SELECT qe.capability_summary(x, t) s FROM ind GROUP BY t < 3) q;
SELECT '(1,bigint,3,2,2,3,2,10,1,30,3)'::qe.capability_summary AS text_round_trip;

-- 8. NULLs are skipped; fewer than two values gives NULL; zero variation
SELECT qe.imr_chart(x, t) IS NULL AS one_value FROM (VALUES (1.0::float8, 1)) v(x, t);
SELECT (qe.imr_chart(x, t)).n_points AS nulls_skipped
FROM (VALUES (1.0::float8, 1::bigint), (NULL, 2), (3, NULL), (4, 4)) v(x, t);
SELECT qe.xbar_r_chart(x, g) IS NULL AS one_subgroup FROM (VALUES (1.0::float8, 1), (2, 1)) v(x, g);
SELECT cp, cpk, cpl, cpu, pp, sigma_within
FROM (SELECT (qe.capability(5.0::float8, t, 4, 6)).* FROM generate_series(1, 10) t) s;
SELECT cpk, cpl, cpu FROM (SELECT (qe.capability(6.0::float8, t, 4, 6)).* FROM generate_series(1, 10) t) s;

-- 9. Cross-checks against plain SQL on 2000 values stored out of order
CREATE TEMP TABLE big AS
  SELECT i::bigint AS t, 50 + 3 * sin(i) + (i % 7) * 0.1 AS x, i / 5 AS g
  FROM generate_series(1, 2000) i ORDER BY md5(i::text);
WITH m AS (SELECT x, abs(x - lag(x) OVER (ORDER BY t)) AS mr FROM big),
     ref AS (SELECT avg(x) AS mean, avg(mr) / (2 / sqrt(pi())) AS sigma, stddev_samp(x) AS sd FROM m),
     got AS (SELECT qe.imr_chart(x, t) AS l, qe.capability(x, t, 40, 62) AS c FROM big)
SELECT abs((l).center - mean) < 1e-12 AS center_ok, abs((l).sigma / sigma - 1) < 1e-12 AS sigma_ok,
       abs((c).sigma_overall / sd - 1) < 1e-12 AS sd_ok,
       abs((c).cpk - least(62 - mean, mean - 40) / (3 * sigma)) < 1e-12 AS cpk_ok
FROM ref, got;
WITH s AS (SELECT g, avg(x) AS m, max(x) - min(x) AS r, stddev_samp(x) AS sd FROM big
           WHERE g BETWEEN 1 AND 399 GROUP BY g),
     ref AS (SELECT avg(m) AS xbb, avg(r) AS rbar, avg(sd) AS sbar FROM s),
     k AS (SELECT * FROM qe.spc_constants(5))
SELECT abs((qe.xbar_r_chart(x, g)).ucl - (xbb + "A2" * rbar)) < 1e-12 AS xbar_r_ucl_ok,
       abs((qe.xbar_s_chart(x, g)).ucl - (xbb + "A3" * sbar)) < 1e-12 AS xbar_s_ucl_ok
FROM big, ref, k WHERE g BETWEEN 1 AND 399 GROUP BY xbb, rbar, sbar, "A2", "A3";

-- 10. Errors name the problem and say what to pass instead
SELECT qe.imr_chart(x, t) FROM (VALUES ('NaN'::float8, 1), (2, 2)) v(x, t);
SELECT qe.imr_chart(x, t) FROM (VALUES (1.0::float8, 1), (2, 1)) v(x, t);
SELECT qe.xbar_r_chart(x, g) FROM (VALUES (1.0::float8, 1), (2, 1), (3, 2)) v(x, g);
SELECT qe.xbar_s_chart(x, g) FROM (VALUES (1.0::float8, 'a'), (2, 'a'), (3, 'b')) v(x, g);
SELECT qe.capability(x, t, 10, 10) FROM ind;
SELECT qe.capability(x, t, 9, 15, 20) FROM ind;
SELECT qe.capability(x, t, 9, 15 + t) FROM ind;
SELECT qe.capability(x, g, 8, 16, NULL, 'median') FROM sg;
SELECT qe.capability_rollup(s) FROM (
  SELECT qe.capability_summary(x, t) s FROM ind GROUP BY t % 2) q;
SELECT '(1,bigint,3,2,2,3,1,10,1,30,3)'::qe.capability_summary;
SELECT '(1,bigint,3,2,-2,3,2,10,1,30,3)'::qe.capability_summary;
SELECT '(1,bigint,3,2,2,3,2,10,1,11,3)'::qe.capability_summary;
SELECT '(2,bigint,3,2,2,3,2,10,1,30,3)'::qe.capability_summary;
SELECT '(1,bigint,3,2,2,3,2,10,1,30,NaN)'::qe.capability_summary;
SELECT '(1,bigint,3,2,2,3,2,10,1,30,3) x'::qe.capability_summary;
SELECT qe.cp_confidence(1.0, 20, 1.5);
SELECT qe.cpk_confidence(1.0, 1, 0.95);
