-- pgTAP: operating characteristic functions, incoming inspection points and
-- skip-lot functions (SQL layer; the numerics are unit-tested in C).
BEGIN;
SELECT plan(36);

-- Montgomery, Introduction to SQC: n = 89, c = 2, N = 10 000
SELECT is(round(qe.oc_pa(89, 2, 0.01)::numeric, 4), 0.9397, 'Montgomery n=89 c=2: Pa(0.01) = 0.9397');
SELECT is(round(qe.aoq(89, 2, 0.01, 10000)::numeric, 4), 0.0093, 'Montgomery: AOQ(0.01) = 0.0093');
SELECT is(round(qe.ati(89, 2, 0.01, 10000)::numeric, 0), 687::numeric, 'Montgomery: ATI(0.01) = 687');
SELECT is(round(aoql::numeric, 6), 0.015246, 'n=89 c=2 N=10000: AOQL 0.015246 (50-digit golden section)')
  FROM qe.oc_summary(89, 2, 10000);
SELECT is((round(p_at_pa95::numeric, 8), round(p_at_pa10::numeric, 8))::text, '(0.00924939,0.05869398)',
          'n=89 c=2: producer''s risk point 0.00924939, consumer''s (LTPD) 0.05869398')
  FROM qe.oc_summary(89, 2);
SELECT ok(abs(qe.oc_pa(89, 2, p_at_pa95) - 0.95) < 1e-12 AND abs(qe.oc_pa(89, 2, p_at_pa10) - 0.10) < 1e-12,
          'Pa at the risk points is 0.95 and 0.10 to 1e-12') FROM qe.oc_summary(89, 2);
SELECT is(round(qe.oc_pa(80, 2, 0.01, NULL, 'poisson')::numeric, 10), 0.9525774039,
          'Poisson n=80 c=2 p=0.01: exp(-0.8)(1 + 0.8 + 0.32) = 0.9525774039');
SELECT is(round(qe.oc_pa(5, 0, 0.1, 50, 'hypergeometric')::numeric, 10), 0.5766386943,
          'hypergeometric N=50 n=5 c=0 D=5: C(45,5)/C(50,5) = 0.5766386943');
-- large lots and samples, against exact rational sums of math.comb in Python
-- (the log C(N, n) sums these were computed from lost 1e-8 to 1e-6 relative)
SELECT ok(abs(qe.oc_pa(2000, 5, 0.001, 10000000, 'hypergeometric') / 0.98350132267456458 - 1) < 1e-13,
          'hypergeometric N=10^7 n=2000 c=5 D=10^4: Pa = 0.98350132267456458 to 1e-13 relative');
SELECT ok(abs(qe.oc_pa(100000, 0, 0.000005, 1000000, 'hypergeometric') / 0.59048934389828689 - 1) < 1e-13,
          'hypergeometric N=10^6 n=10^5 c=0 D=5: Pa = 0.59048934389828689 to 1e-13 relative');
SELECT ok(abs(qe.oc_pa(125000, 40, 0.0002, 2000000, 'hypergeometric') / 0.99856665924378951 - 1) < 1e-13,
          'hypergeometric N=2x10^6 n=125000 c=40 D=400: Pa = 0.99856665924378951 to 1e-13 relative');
SELECT is(qe.oc_pa(3, 2, 0.8, 5, 'hypergeometric'), 0.6::float8,
          'hypergeometric N=5 n=3 c=2 D=4 (at least 2 defectives in any sample): P(X = 2) = C(4,2) C(1,1) / C(5,3) = 0.6');
SELECT ok((SELECT count(*) = 4 AND bool_and(p >= 0 AND p <= 1.7e308 AND isfinite_ok)
             FROM (SELECT p, p < 'Infinity'::float8 AS isfinite_ok FROM qe.oc_curve(89, 2, NULL, 0, 1.7e308, 3, 'poisson')) c),
          'an OC curve up to p = 1.7e308 steps to it without passing through Infinity');
SELECT is(qe.oc_pa(qe.aql_plan(1000, 1.0), 0.01), qe.oc_pa(80, 2, 0.01),
          'plan form: J 80 2/3 at AQL 1.0 uses the binomial model');
SELECT is(qe.oc_pa(p, 0.2), qe.oc_pa(p.sample_size, p.ac, 0.2, NULL, 'poisson'),
          'plan form: AQL 25 (nonconformities per hundred units) uses the Poisson model')
  FROM qe.aql_plan(1000, 25) p;
SELECT is(qe.oc_pa(qe.aql_plan(8, 0.65), 0.125, 'hypergeometric'), 0::float8,
          '100 % inspection of 8 with Ac 0: one nonconforming unit in the lot is always found');
SELECT is((SELECT count(*) FROM qe.oc_curve(89, 2, 10000, 0, 0.1, 20)), 21::bigint, 'oc_curve: steps + 1 points');
SELECT is((SELECT count(*) FROM qe.oc_curve(NULL, 2)), 0::bigint, 'oc_curve with no sample size: no rows (was one row of NULLs)');
SELECT ok((SELECT bool_and(pa <= lag_pa) FROM (SELECT pa, lag(pa) OVER (ORDER BY p) lag_pa
             FROM qe.oc_curve(89, 2, 10000, 0, 0.2, 200)) s WHERE lag_pa IS NOT NULL),
          'oc_curve: Pa never increases with p');
SELECT ok((SELECT max(aoq) <= (SELECT aoql FROM qe.oc_summary(89, 2, 10000)) + 1e-15
             FROM qe.oc_curve(89, 2, 10000, 0, 0.2, 2000)),
          'no point of the AOQ curve exceeds the AOQL');
SELECT is((SELECT round(pa::numeric, 2) FROM qe.oc_curve(qe.aql_plan(1000, 1.0)) ORDER BY p DESC LIMIT 1), 0.01,
          'oc_curve default range ends where Pa falls to 0.01');
SELECT throws_ok('SELECT qe.oc_pa(89, 2, 1.5)', '22023', NULL, 'p above 1 refused for a fraction');
SELECT throws_ok($$SELECT qe.oc_pa(89, 2, 'NaN')$$, '22023', NULL, 'p NaN refused');
SELECT throws_ok($$SELECT qe.oc_pa(89, 2, 0.1, 50, 'hypergeometric')$$, '22023', NULL, 'lot smaller than sample refused');
SELECT throws_ok($$SELECT qe.oc_pa(89, 2, 0.1, NULL, 'gaussian')$$, '22023', NULL, 'unknown model refused');
SELECT throws_ok($$SELECT * FROM qe.oc_curve(89, 2, NULL, 0.5, 0.1)$$, '22023', NULL, 'p_to below p_from refused');

-- incoming inspection points (seed §5.1)
SELECT is((SELECT (points, inspection_level, aql_level)::text
             FROM qe.inspection_points('qualified', 'key', 'automotive', supplier_ppm => 3000)),
          '(9,tightened,III)', 'qualified 1,000-5,000 PPM (3) + key (3) + automotive (3) = 9: tightened, level III');
SELECT is((SELECT (points, inspection_level)::text
             FROM qe.inspection_points('preferred', 'standard', 'iso9001', supplier_ppm => 40)),
          '(2,reduced/skip-lot)', 'preferred < 100 PPM (0) + standard (1) + ISO 9001 (1) = 2: reduced / skip-lot');
SELECT is((SELECT (points, inspection_level)::text
             FROM qe.inspection_points(supplier_status => 'new', part_criticality => 'cosmetic',
                                       regulatory_requirement => 'iso9001', customer_complaint => true)),
          '(10,tightened)', 'new (5) + cosmetic (0) + ISO 9001 (1) + complaint (4) = 10: tightened');
SELECT is((SELECT inspection_level FROM qe.inspection_points('new', 'key', 'aerospace')), '100%',
          'new (5) + key (3) + aerospace (4) = 12: 100 % inspection');
SELECT throws_ok($$SELECT qe.inspection_points('qualified', 'key', 'fda')$$, '22004', NULL,
                 'a qualified supplier needs its PPM');

-- skip-lot (seed §5.3)
SELECT is((SELECT (qualified, cardinality(criteria_met), criteria_not_met[1])::text
             FROM qe.skip_lot_qualification('qualified', 9, 1.5, 1.4, 0, true, true)),
          '(f,5,"2: at least 10 consecutive lots accepted at normal inspection")',
          'skip-lot: 9 lots accepted fails criterion 2 only');
SELECT throws_ok($$SELECT qe.skip_lot_qualification('qualified', 10, 1.4, 1.4, -1, true, true)$$, '22023', NULL,
                 'skip-lot: -1 open SCARs is refused like -2 (it read as unknown, criterion 4 "not met")');
SELECT ok((SELECT qualified FROM qe.skip_lot_qualification('preferred', 10, 1.33, 1.33, 0, true, true)),
          'skip-lot: all six criteria met at the boundaries (10 lots, Cpk 1.33)');
SELECT is((SELECT string_agg(coalesce(inspect_every_nth_lot::text, 'CoC'), ',' ORDER BY k)
             FROM unnest(ARRAY['skip-lot 1', 'skip-lot 2', 'skip-lot 3', 'coc']) WITH ORDINALITY u(l, k),
                  qe.skip_lot_frequency(l)),
          '2,3,5,CoC', 'skip-lot frequencies: every 2nd, 3rd, 5th lot; CoC review only');
SELECT is((SELECT string_agg(qe.skip_lot_reverts(l, 'cpk below 1.33')::text, ',' ORDER BY l)
             FROM unnest(ARRAY['skip-lot 1', 'skip-lot 2', 'skip-lot 3']) l),
          'false,true,true', 'Cpk below 1.33 reverts skip-lot 2 and 3, not 1');

SELECT * FROM finish();
ROLLBACK;
