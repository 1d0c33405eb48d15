-- Acceptance sampling: Z1.4 plans, decisions, switching, OC, incoming level.
-- Expected values are cited in the comments.

-- The sanity list of ../shared/reference/z14/README.md (checked against both
-- full sources: AQLSchemes and the MIL-STD-105E legible copy).
SELECT lot_size, level, inspection, aql, code_letter, plan_code_letter AS plan,
       sample_size AS n, ac, re, full_inspection AS full
  FROM (VALUES (1000::bigint, 1.0, 'II', 'normal'),     -- J, J 80 2/3
               (1000, 1.0, 'II', 'tightened'),          -- J, J 80 1/2
               (1000, 1.0, 'II', 'reduced'),            -- J, J 32 1/3
               (1000, 2.5, 'II', 'normal'),             -- J, J 80 5/6
               (1000, 0.40, 'II', 'normal'),            -- J, down to K 125 1/2
               (5000, 1.5, 'II', 'normal'),             -- L, L 200 7/8
               (5000, 1.5, 'II', 'tightened'),          -- L, L 200 5/6
               (100, 2.5, 'II', 'normal'),              -- F, F 20 1/2
               (5000, 0.65, 'II', 'normal'),            -- L, L 200 3/4
               (8, 0.65, 'II', 'normal'),               -- A, down to F 20 0/1 -> 100 %: n = 8
               (600000, 0.010, 'III', 'normal'),        -- R, up to Q 1250 0/1
               (600000, 0.015, 'III', 'normal'),        -- R, up to P 800 0/1
               (600000, 0.015, 'III', 'reduced'),       -- R, up to P 315 0/1
               (600000, 0.025, 'III', 'tightened'),     -- R, down to S 3150 1/2
               (400, 4.0, 'II', 'reduced'),             -- H, H 20 2/5
               (12, 1000, 'II', 'normal')               -- B, B 3 44/45
       ) v(lot, a, lv, insp),
       qe.aql_plan(lot, a, lv, insp);

-- AQL spellings: one column
SELECT (qe.aql_plan(1000, '1.0')).ac AS text_10, (qe.aql_plan(1000, 1.0)).ac AS numeric_10,
       (qe.aql_plan(1000, 1)).ac AS integer_1, (qe.aql_plan(1000, '1')).ac AS text_1;

-- Decisions on J 80 2/3 (normal) and J 32 1/3 (reduced; 2 is in the gap)
SELECT d, qe.lot_decision(qe.aql_plan(1000, 1.0), d) AS normal,
       qe.lot_decision(qe.aql_plan(1000, 1.0, inspection => 'reduced'), d) AS reduced
  FROM generate_series(0, 3) d;

-- Errors list the valid values
SELECT qe.aql_plan(1, 1.0);
SELECT qe.aql_plan(1000, 0.6);
SELECT qe.aql_plan(1000, 1.0, 'IV');
SELECT qe.aql_plan(1000, 1.0, 'II', 'strict');
SELECT qe.lot_decision(qe.aql_plan(1000, 1.0), -1);

-- Switching: a supplier's lots (A accepted, R not accepted).  Lots 2 and 4
-- are 2 not accepted within 5 consecutive: tightened from lot 5; lots 5-9
-- are 5 consecutive accepted on tightened: normal again from lot 10.
SELECT i, substr('ARARAAAAAA', i, 1) AS result,
       (qe.inspection_state(substr('ARARAAAAAA', i, 1) = 'A') OVER w).last_lot_severity AS inspected_on,
       (qe.inspection_state(substr('ARARAAAAAA', i, 1) = 'A') OVER w).severity AS next_lot
  FROM generate_series(1, 10) i
WINDOW w AS (ORDER BY i);

-- Operating characteristic, Montgomery's plan n = 89, c = 2, N = 10 000:
-- Pa(0.01) = 0.9397, AOQ(0.01) = 0.0093, ATI(0.01) = 687 (Introduction to
-- Statistical Quality Control, ch. 15); AOQL 0.0152 at p = 0.0253, risk
-- points 0.00925 (Pa 0.95) and 0.0587 (Pa 0.10) by 50-digit computation.
SELECT round(qe.oc_pa(89, 2, 0.01)::numeric, 4) AS pa,
       round(qe.aoq(89, 2, 0.01, 10000)::numeric, 4) AS aoq,
       round(qe.ati(89, 2, 0.01, 10000)::numeric, 0) AS ati;
SELECT round(p_at_pa95::numeric, 5) AS p95, round(p_at_pa10::numeric, 4) AS p10,
       round(aoql::numeric, 4) AS aoql, round(aoql_at_p::numeric, 4) AS at_p
  FROM qe.oc_summary(89, 2, 10000);
-- Binomial Pa by hand: 0.98^89 = 0.1656, 89(0.02)(0.98^88) = 0.3008,
-- C(89,2)(0.02^2)(0.98^87) = 0.2701: Pa(0.02) = 0.7366; likewise Pa(0.04) = 0.3042.
SELECT round(p::numeric, 2) AS p, round(pa::numeric, 4) AS pa
  FROM qe.oc_curve(89, 2, NULL, 0, 0.04, 4);

-- Incoming inspection level (seed §5.1): 3 + 3 + 3 = 9 -> tightened (level III);
-- 0 + 1 + 1 = 2 -> reduced / skip-lot; 5 + 5 + 5 + 3 = 18 -> 100 %.
SELECT points, inspection_level, aql_level
  FROM qe.inspection_points('qualified', 'key', 'automotive', supplier_ppm => 2500);
SELECT points, inspection_level FROM qe.inspection_points('preferred', 'standard', 'iso9001', supplier_ppm => 20);
SELECT points, inspection_level
  FROM qe.inspection_points('new', 'safety-critical', 'fda', ncr_issued => true);
-- Skip-lot (seed §5.3)
SELECT qualified, criteria_not_met FROM qe.skip_lot_qualification('qualified', 12, 1.5, 1.4, 1, true, true);
SELECT * FROM qe.skip_lot_frequency('skip-lot 3');
SELECT qe.skip_lot_reverts('skip-lot 1', 'cpk below 1.33') AS sl1, qe.skip_lot_reverts('skip-lot 2', 'cpk below 1.33') AS sl2;
