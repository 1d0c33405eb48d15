-- Attribute control charts and qe.limits_at on textbook data.
-- Source: Montgomery, Introduction to Statistical Quality Control, chapter
-- "Control Charts for Attributes" (the same data ship with the R package qcc
-- as orangejuice, circuit, pcmanufact and dyedcloth).

-- Orange-juice concentrate cans: 30 samples of n = 50 cans, 347 nonconforming.
-- Montgomery: pbar = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23 out.
CREATE TABLE oj (sample int, d int, n int);
INSERT INTO oj SELECT i, d, 50
  FROM unnest('{12,15,8,10,4,7,16,9,14,10,5,6,17,12,22,8,10,5,13,11,20,18,24,15,9,12,7,13,9,6}'::int[])
       WITH ORDINALITY AS u(d, i);
SELECT chart, round(center::numeric, 4) AS center, round(lcl::numeric, 4) AS lcl,
       round(ucl::numeric, 4) AS ucl, n_points, n_values, avg_sample_size
  FROM (SELECT (qe.p_chart(d, n)).* FROM oj) s;
SELECT sample, d, round(d / 50.0, 2) AS p
  FROM oj, (SELECT qe.p_chart(d, n) AS cl FROM oj) l
 WHERE d::float8 / n > (l.cl).ucl OR d::float8 / n < (l.cl).lcl
 ORDER BY sample;

-- np chart of the same data: n pbar = 347/30 = 11.5667,
-- 3 sqrt(50 * 0.231333 * 0.768667) = 8.9453, so UCL 20.5120, LCL 2.6214.
SELECT chart, round(center::numeric, 4) AS center, round(lcl::numeric, 4) AS lcl,
       round(ucl::numeric, 4) AS ucl, round(sigma::numeric, 4) AS sigma_unit
  FROM (SELECT (qe.np_chart(d, n)).* FROM oj) s;

-- Printed circuit boards: nonconformities in 26 samples of 100 boards (516 in
-- all).  cbar = 19.85, LCL = 6.48; the text prints UCL 33.22, computed from the
-- rounded cbar (19.85 + 3 sqrt(19.85) = 33.216); from cbar = 516/26 it is 33.21.
SELECT chart, round(center::numeric, 2) AS center, round(lcl::numeric, 2) AS lcl,
       round(ucl::numeric, 2) AS ucl, n_points, n_values, avg_sample_size
  FROM (SELECT (qe.c_chart(x)).*
          FROM unnest('{21,24,16,12,15,5,28,20,31,25,20,24,16,19,10,17,13,22,18,39,30,24,16,19,17,15}'::int[]) x) s;

-- Personal computers: nonconformities in 20 samples of 5 computers (193 in all).
-- Montgomery: ubar = 1.93, UCL = 3.79, LCL = 0.07.
SELECT chart, round(center::numeric, 2) AS center, round(lcl::numeric, 2) AS lcl,
       round(ucl::numeric, 2) AS ucl, n_points, n_values
  FROM (SELECT (qe.u_chart(x, 5)).*
          FROM unnest('{10,12,8,14,10,16,11,7,10,15,9,5,7,11,12,6,8,10,7,5}'::int[]) x) s;

-- Dyed cloth: nonconformities in 10 rolls of varying area (units of 50 m^2,
-- fractional).  ubar = 153/107.5 = 1.42; each roll has its own limits
-- ubar +- 3 sqrt(ubar / n_i) from qe.limits_at.  The text works from ubar
-- rounded to 1.42 (n = 8: 1.42 +- 3 sqrt(1.42 / 8) = 0.16 / 2.68); from the
-- exact ubar = 1.42326 the limits are, checked by hand: n = 8: 0.16 / 2.69,
-- 9.5: 0.26 / 2.58, 10: 0.29 / 2.56, 10.5: 0.32 / 2.53, 12: 0.39 / 2.46,
-- 12.5: 0.41 / 2.44, 13: 0.43 / 2.42.  No roll is out of control.
CREATE TABLE cloth (roll int, x int, units float8);
INSERT INTO cloth SELECT i, x, u
  FROM unnest('{14,12,20,11,7,10,21,16,19,23}'::int[],
              '{10,8,13,10,9.5,10,12,10.5,12,12.5}'::float8[]) WITH ORDINALITY AS t(x, u, i);
SELECT round(center::numeric, 4) AS ubar, n_points, n_values AS n_values_null_when_fractional,
       avg_sample_size
  FROM (SELECT (qe.u_chart(x, units)).* FROM cloth) s;
SELECT roll, units, round((x / units)::numeric, 2) AS u,
       round((l).lcl::numeric, 2) AS lcl, round((l).ucl::numeric, 2) AS ucl,
       x / units > (l).ucl OR x / units < (l).lcl AS out_of_control
  FROM cloth, LATERAL (SELECT qe.limits_at((SELECT qe.u_chart(x, units) FROM cloth), units) AS l) z
 ORDER BY roll;

-- limits_at on a variables chart (piston-ring diameters, Montgomery: grand
-- mean 74.001, R-bar = 0.023 with n = 5, so sigma = R-bar / d2(5)):
-- X-bar 73.988 / 74.014, R chart centre 0.023, LCL 0, UCL 0.049.
SELECT chart, round(center::numeric, 3) AS center, round(lcl::numeric, 3) AS lcl,
       round(ucl::numeric, 3) AS ucl, disp_chart, round(disp_center::numeric, 3) AS r_center,
       round(disp_lcl::numeric, 3) AS r_lcl, round(disp_ucl::numeric, 3) AS r_ucl
  FROM qe.limits_at(row('Xbar-R', 74.001, NULL, NULL, 0.023 / (qe.spc_constants(5)).d2,
                        25, 125, 5, 'R', NULL, NULL, NULL)::qe.control_limits, 5);
-- the c chart does not depend on n: returned unchanged
SELECT qe.limits_at(row('c', 2, 0, 6.24, 1.41, 10, 10, 1, NULL, NULL, NULL, NULL)::qe.control_limits, 7)
     = row('c', 2, 0, 6.24, 1.41, 10, 10, 1, NULL, NULL, NULL, NULL)::qe.control_limits AS c_unchanged;

-- NULL rows are skipped as avg skips them; fewer than two samples give NULL.
SELECT (qe.p_chart(d, n)).n_points FROM (VALUES (1, 10), (NULL, 10), (2, NULL), (3, 10)) v(d, n);
SELECT qe.p_chart(d, n) IS NULL AS one_sample FROM (VALUES (1, 10)) v(d, n);
SELECT qe.c_chart(x) IS NULL AS no_rows FROM (SELECT 1 WHERE false) z(x);

-- Errors: clear messages with hints.
SELECT qe.p_chart(d, n) FROM (VALUES (3, 2), (1, 2)) v(d, n);
SELECT qe.np_chart(d, n) FROM (VALUES (1, 50), (2, 40)) v(d, n);
SELECT qe.u_chart(x, u) FROM (VALUES (1, 2.0), (1, 0.0)) v(x, u);
SELECT qe.limits_at(row('Xbar-S', 10, NULL, NULL, 1, 5, 25, 5, 'S', NULL, NULL, NULL)::qe.control_limits, 4.5);
