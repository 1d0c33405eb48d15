-- SPC interpretation helpers (seed section 4).  Every expected row below is
-- the seed's wording (002_cb1ff3f3c703bfcc.txt, 4.1-4.3), with ">=" for its
-- greater-or-equal sign and "~" for its approximately-equal sign.

-- 4.1 Control chart selection: one row per branch of the flowchart.
SELECT s.data_kind, s.n, s.counting, s.constant_size, c.chart, c.aggregate,
       array_length(c.warnings, 1) AS n_warnings
  FROM (VALUES ('variable', 1, NULL, true), ('variable', 2, NULL, true),
               ('variable', 9, NULL, true), ('variable', 10, NULL, true),
               ('variable', 25, NULL, true), ('variable', 26, NULL, true),
               ('attribute', 50, 'defectives', true), ('attribute', 50, 'defectives', false),
               ('attribute', 25, 'defects', true), ('attribute', 25, 'defects', false))
       AS s(data_kind, n, counting, constant_size),
       qe.select_chart(s.data_kind, s.n, s.counting, s.constant_size) c;
SELECT unnest(warnings) AS warning FROM qe.select_chart('variable', subgroup_size => 1);
SELECT unnest(warnings) AS warning FROM qe.select_chart('variable', subgroup_size => 30);
SELECT chart, unnest(warnings) AS warning
  FROM qe.select_chart('attribute', subgroup_size => 20, counting => 'defects', constant_size => false);
SELECT chart, reason FROM qe.select_chart('attribute', counting => 'defectives', subgroup_size => 80);

-- 4.2 Out-of-control response: rule 3's levels, and a join from violations.
SELECT step, response_level, timeline FROM qe.ooc_response() WHERE rule = 3 ORDER BY step;
SELECT v.point, v.rule, r.response_level, r.timeline, r.due_within
  FROM (VALUES (17, 1), (42, 4), (50, 7)) AS v(point, rule)
  LEFT JOIN qe.ooc_response() r ON r.rule = v.rule AND r.step = 1
 ORDER BY v.point;

-- 4.2 rule 3 projection.  Tool wear: 6 points rising 0.01 mm per point,
-- 10.00 .. 10.05, USL 10.10.  The least-squares line is 9.99 + 0.01 t, it
-- reaches 10.10 at t = 11, i.e. 5 points after the last point (t = 6).
SELECT n, round(slope::numeric, 4) AS slope, towards, spec_limit,
       round(t_at_limit::numeric, 6) AS t_at_limit, round(points_to_limit::numeric, 6) AS points
  FROM qe.trend_projection('{1,2,3,4,5,6}', '{10.00,10.01,10.02,10.03,10.04,10.05}', 9.90, 10.10);
-- in hours: one point every 2 hours, same values: 10 hours to the USL
SELECT round(time_to_limit::numeric, 6) AS hours, round(points_to_limit::numeric, 6) AS points
  FROM qe.trend_projection('{0,2,4,6,8,10}', '{10.00,10.01,10.02,10.03,10.04,10.05}', 9.90, 10.10);
-- drifting down but only a USL given: not drifting towards a limit
SELECT towards, points_to_limit FROM qe.trend_projection('{1,2,3}', '{3,2,1}', NULL, 10);

-- 4.3 Cpk bands: both sides of every boundary.
SELECT cpk, b.band, b.cpk_range, b.interpretation, b.action
  FROM unnest('{Infinity,2.00,1.9999,1.67,1.6699,1.33,1.3299,1.00,0.9999,0.67,0.6699,-Infinity}'::float8[])
       WITH ORDINALITY AS u(cpk, i),
       qe.capability_band(cpk) b
 ORDER BY i;

-- 4.3 Cp vs. Cpk (high: >= 1.33; Cpk ~ Cp when Cpk/Cp > 0.90)
SELECT cp, cpk, d.condition, d.meaning, d.action
  FROM (VALUES (2.0, 1.8), (2.0, 1.0), (1.0, 0.95), (1.0, 0.6)) AS v(cp, cpk),
       qe.cp_cpk_diagnosis(cp, cpk) d;

-- 4.3 Pp/Ppk vs. Cp/Cpk (~ when 0.90 < Pp/Cp < 1.10)
SELECT cp, pp, d.condition, d.meaning, d.detail, d.action, round(d.ratio::numeric, 4) AS ratio
  FROM (VALUES (1.5, 1.0), (1.5, 1.45)) AS v(cp, pp),
       qe.pp_cp_diagnosis(cp, NULL, pp, NULL) d;

-- Errors
SELECT qe.select_chart('attribute', 50);
SELECT qe.capability_band('NaN');
SELECT qe.cp_cpk_diagnosis(1.0, 1.2);
