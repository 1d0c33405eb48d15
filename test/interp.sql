-- pgTAP: interpretation helpers (seed section 4): every branch and band
-- boundary, with the seed's wording in the descriptions, and every error.
BEGIN;
SELECT plan(59);

-- 4.1 chart selection
SELECT is((qe.select_chart('variable', 1)).chart, 'I-MR',
          '4.1 "NO (n=1, individual readings) -> Individuals / Moving Range (I-MR) chart"');
SELECT ok((qe.select_chart('variable', 1)).warnings[1] LIKE 'Verify data normality assumption for variable charts: I-MR is sensitive to non-normality%',
          '4.1 I-MR carries "Verify data normality assumption ... I-MR is sensitive to non-normality"');
SELECT is((qe.select_chart('variable', 2)).chart, 'Xbar-R', '4.1 "n = 2 to 9 -> X-bar / R chart" (n = 2)');
SELECT is((qe.select_chart('variable', 9)).chart, 'Xbar-R', '4.1 "n = 2 to 9 -> X-bar / R chart" (n = 9)');
SELECT is((qe.select_chart('variable', 10)).chart, 'Xbar-S', '4.1 "n = 10 to 25 -> X-bar / S chart" (n = 10)');
SELECT is((qe.select_chart('variable', 25)).warnings, ARRAY['Verify data normality assumption for variable charts'],
          '4.1 n = 25: X-bar / S without "consider reducing subgroup size"');
SELECT ok('n > 25: consider reducing subgroup size' = ANY ((qe.select_chart('variable', 26)).warnings),
          '4.1 "n > 25 -> X-bar / S chart (consider reducing subgroup size)" (n = 26)');
SELECT is((qe.select_chart('attribute', 50, 'defectives', true)).chart, 'np',
          '4.1 defectives, "Is the sample size constant? YES -> np-chart"');
SELECT is((qe.select_chart('attribute', 50, 'defectives', false)).chart, 'p',
          '4.1 defectives, "NO -> p-chart (proportion defective, variable sample)"');
SELECT is((qe.select_chart('attribute', 25, 'defects', true)).chart, 'c',
          '4.1 defects, "inspection area/opportunity constant? YES -> c-chart"');
SELECT is((qe.select_chart('attribute', 25, 'defects', false)).chart, 'u',
          '4.1 defects, "NO -> u-chart (defects per unit, variable area)"');
SELECT ok('Verify Poisson assumption for c/u charts' = ANY ((qe.select_chart('attribute', 25, 'defects')).warnings),
          '4.1 c/u: "(Verify Poisson assumption for c/u charts)"');
SELECT is((qe.select_chart('attribute', 50, 'defectives')).warnings, '{}'::text[],
          '4.1 p/np with n = 50: no "minimum ~50" warning');
SELECT ok((qe.select_chart('attribute', 49, 'defectives')).warnings[1] LIKE 'sample size 49 is below the minimum of ~50 for p/np%',
          '4.1 p/np with n = 49: "minimum ~50 for p/np"');
SELECT ok((qe.select_chart('attribute', 24, 'defects')).warnings[2] LIKE 'sample size 24 is below the minimum of ~25 for c/u%',
          '4.1 c/u with n = 24: "minimum ~25 for c/u"');
SELECT is((qe.select_chart(data_kind => 'Discrete', counting => 'Defects')).chart, 'c',
          'named arguments, case-insensitive keywords, unknown sample size');
SELECT throws_ok($$SELECT qe.select_chart('variable')$$, '22004', NULL, 'variable data without subgroup_size -> 22004');
SELECT throws_ok($$SELECT qe.select_chart('variable', 0)$$, '22023', NULL, 'subgroup_size 0 -> 22023');
SELECT throws_ok($$SELECT qe.select_chart('attribute', -1, 'defects')$$, '22023', NULL, 'subgroup_size -1 -> 22023 (only NULL means unknown)');
SELECT throws_ok($$SELECT qe.select_chart('attribute', 50)$$, '22004', NULL, 'attribute data without counting -> 22004');
SELECT throws_ok($$SELECT qe.select_chart('variable', 5, 'defects')$$, '22023', NULL, 'counting with variable data -> 22023');
SELECT throws_ok($$SELECT qe.select_chart('weight', 5)$$, '22023', NULL, 'unknown data_kind -> 22023');
SELECT throws_ok($$SELECT qe.select_chart('attribute', 5, 'scratches')$$, '22023', NULL, 'unknown counting -> 22023');
SELECT throws_ok($$SELECT qe.select_chart(NULL, 5)$$, '22004', NULL, 'NULL data_kind -> 22004');

-- 4.2 out-of-control response
SELECT is((SELECT array_agg(response_level ORDER BY step) FROM qe.ooc_response() WHERE rule = 1),
          ARRAY['Immediate', 'Investigation', 'Containment', 'Correction', 'Documentation'],
          '4.2 rule 1 "Point beyond 3 sigma": Immediate, Investigation, Containment, Correction, Documentation');
SELECT is((SELECT array_agg(response_level ORDER BY step) FROM qe.ooc_response() WHERE rule = 2),
          ARRAY['Investigation', 'Adjustment', 'Recalculation'], '4.2 rule 2 "Nine consecutive points on one side"');
SELECT is((SELECT timeline FROM qe.ooc_response() WHERE rule = 3 AND response_level = 'Projection'),
          'Immediate calculation', '4.2 rule 3 Projection: "Immediate calculation"');
SELECT is((SELECT due_within FROM qe.ooc_response() WHERE rule = 4 AND response_level = 'Stratification'),
          interval '7 days', '4.2 rule 4 Stratification "Within 1 week" -> 7 days');
SELECT is((SELECT count(*) FROM qe.ooc_response() WHERE rule BETWEEN 5 AND 8), 0::bigint,
          '4.2 rules 5-8: the seed gives no protocol, no rows');
SELECT is((SELECT count(*) FROM qe.ooc_response()), 14::bigint, '4.2: 5 + 3 + 3 + 3 response levels');

-- 4.2 rule 3 projection
SELECT is((qe.trend_projection('{1,2,3,4,5}', '{1,2,3,4,5}', 0, 8)).points_to_limit, 3::float8,
          '4.2 "when will the process exceed the specification limit?": v = t reaches 8 three points after t = 5');
SELECT is((qe.trend_projection('{1,2,3,4,5}', '{5,4,3,2,1}', -1, NULL)).towards, 'LSL', 'falling drift heads for the LSL');
SELECT is((qe.trend_projection('{1,2,3,4,5}', '{5,4,3,2,1}', -1, NULL)).time_to_limit, 2::float8, 'v = 6 - t meets -1 at t = 7');
SELECT is((qe.trend_projection('{1,2,3}', '{1,2,3}', 0, 2.5)).points_to_limit, 0::float8, 'already beyond the USL: 0');
SELECT ok((qe.trend_projection('{1,2,3}', '{1,2,3}', 0, NULL)).towards IS NULL, 'rising with no USL: not drifting towards a limit');
SELECT ok(qe.trend_projection('{1}', '{1}', 0, 9) IS NULL, 'one point: NULL');
SELECT is((qe.trend_projection('{1,NULL,2,3}', '{1,5,2,NULL}', 0, 9)).n, 2::bigint, 'pairs with a NULL are skipped');
SELECT throws_ok($$SELECT qe.trend_projection('{1,2}', '{1}', 0, 9)$$, '2202E', NULL, 'arrays of different lengths -> 2202E');
SELECT throws_ok($$SELECT qe.trend_projection('{{1,2},{3,4}}', '{{1,2},{3,4}}', 0, 9)$$, '2202E', NULL, 'two-dimensional arrays -> 2202E');
SELECT throws_ok($$SELECT qe.trend_projection('{1,2}', '{1,NaN}', 0, 9)$$, '22003', NULL, 'NaN value -> 22003');
SELECT throws_ok($$SELECT qe.trend_projection('{1,2}', '{1,2}', 9, 0)$$, '22023', NULL, 'lsl >= usl -> 22023');

-- 4.3 bands (boundaries are in pg_regress sql/interp.sql and the unit tests; here the edges)
SELECT is((qe.capability_band(2.00)).interpretation, 'Six Sigma capable; consider reducing inspection frequency',
          '4.3 "Cpk >= 2.00 Six Sigma capable"');
SELECT is((qe.capability_band(1.6699999)).band, 'capable', '4.3 just under 1.67: "1.33 <= Cpk < 1.67 Capable"');
SELECT is((qe.capability_band(0.67)).band, 'not capable', '4.3 0.67: "0.67 <= Cpk < 1.00 Not capable"');
SELECT throws_ok($$SELECT qe.capability_band('NaN')$$, '22023', NULL, 'NaN Cpk -> 22023');

-- 4.3 diagnoses
SELECT is((qe.cp_cpk_diagnosis(1.5, 1.0)).condition, 'Cp high, Cpk low',
          '4.3 "Cp high, Cpk low: Adjust the process mean; do NOT reduce variation"');
SELECT is((qe.cp_cpk_diagnosis(1.0, 0.95)).condition, 'Cp low, Cpk ~ Cp',
          '4.3 "Cp low, Cpk ~ Cp: Reduce variation; centering is not the issue"');
SELECT throws_ok($$SELECT qe.cp_cpk_diagnosis(0, 0)$$, '22023', NULL, 'Cp <= 0 -> 22023');
SELECT throws_ok($$SELECT qe.cp_cpk_diagnosis(1.0, 1.01)$$, '22023', NULL, 'Cpk > Cp -> 22023');
SELECT is((qe.pp_cp_diagnosis(NULL, 1.2, NULL, 0.8)).condition, 'Pp/Ppk < Cp/Cpk',
          '4.3 "Pp/Ppk < Cp/Cpk (common): Process mean is shifting between subgroups" (one-sided: Ppk/Cpk)');
SELECT ok(qe.pp_cp_diagnosis(1.2, NULL, NULL, 0.8) IS NULL, 'no matching pair of indices: NULL');
SELECT throws_ok($$SELECT qe.pp_cp_diagnosis(1, 1, -1, 1)$$, '22023', 'Cp and Pp must be positive',
                 'a negative Pp is refused, not skipped in favour of Ppk / Cpk');

-- §4.3 ratios exactly at the 0.90 and 1.10 thresholds, as the decimals are
-- written (1.08 / 1.2 is 0.9000000000000001 in double precision)
SELECT is((qe.cp_cpk_diagnosis(1.2, 1.08)).condition, 'Cp low, Cpk low', '§4.3 Cpk/Cp exactly 0.90 (1.08 / 1.2) is not above 0.90: Cp low, Cpk low');
SELECT is((qe.cp_cpk_diagnosis(1.2, 1.0801)).condition, 'Cp low, Cpk ~ Cp', 'Cpk/Cp just above 0.90: Cpk ~ Cp');
SELECT is((qe.pp_cp_diagnosis(1.2, NULL, 1.08, NULL)).condition, 'Pp/Ppk < Cp/Cpk', '§4.3 Pp/Cp exactly 0.90: Pp/Ppk < Cp/Cpk');
SELECT is((qe.pp_cp_diagnosis(1.3, NULL, 1.43, NULL)).condition, 'Pp/Ppk > Cp/Cpk', 'Pp/Cp exactly 1.10: Pp/Ppk > Cp/Cpk');
SELECT is((qe.pp_cp_diagnosis(1.3, NULL, 1.4299, NULL)).condition, 'Pp/Ppk ~ Cp/Cpk', 'Pp/Cp just below 1.10: Pp/Ppk ~ Cp/Cpk');
SELECT is((qe.pp_cp_diagnosis('Infinity', NULL, 1.0, NULL)).condition, 'Pp/Ppk < Cp/Cpk',
          '§4.3 Cp infinite (no spread within subgroups) and a finite Pp: ratio 0, "Process mean is shifting between subgroups"');
SELECT throws_ok($$SELECT qe.trend_projection('{-1e308,1e308}', '{0,1}', NULL, 2)$$, '22003', NULL,
                 'times whose mean overflows double precision: 22003, not NULL');

SELECT * FROM finish();
ROLLBACK;
