-- pgTAP: qe.inspection_state, every switching transition as its own case
-- (names carry the rule's wording), the window form and the errors.
BEGIN;
SELECT plan(41);

-- lots given as a string: A = accepted, R = not accepted, in order of receipt
CREATE FUNCTION pg_temp.lots(seq text) RETURNS TABLE (i int, accepted boolean)
LANGUAGE sql AS $$ SELECT k, substr(seq, k, 1) = 'A' FROM generate_series(1, length(seq)) k $$;

-- Z1.4 form with steady production and approval for reduced
CREATE FUNCTION pg_temp.z14(seq text, steady boolean DEFAULT true, approved boolean DEFAULT true)
RETURNS qe.inspection_state LANGUAGE sql AS $$
  SELECT qe.inspection_state(accepted, NULL, NULL, steady, approved ORDER BY i) FROM pg_temp.lots(seq) $$;

SELECT is((SELECT (qe.inspection_state(accepted ORDER BY i)).severity FROM pg_temp.lots('')), 'normal',
          'no lots yet: inspection starts on normal');

-- normal -> tightened
SELECT is((pg_temp.z14('AAR')).severity, 'normal', 'normal: one lot not accepted stays on normal');
SELECT is((pg_temp.z14('ARR')).severity, 'tightened',
          'normal to tightened: 2 of 2 consecutive lots not accepted on original inspection');
SELECT is((pg_temp.z14('AAARAAAR')).severity, 'tightened',
          'normal to tightened: 2 out of 5 consecutive lots not accepted (1st and 5th of the window)');
SELECT is((pg_temp.z14('RAAAAR')).severity, 'normal',
          'normal: 2 lots not accepted 6 lots apart (not within 5 consecutive) stay on normal');
SELECT is((SELECT (s.not_accepted_in_last_5, s.last_switch, s.last_switch_lot)::text FROM pg_temp.z14('AARAR') s),
          '(0,"normal to tightened: 2 of 5 or fewer consecutive lots not accepted",5)',
          'the switch names its rule and the lot that caused it; the window restarts on tightened');

-- tightened -> normal
SELECT is((pg_temp.z14('RRAAAA')).severity, 'tightened', 'tightened: 4 consecutive lots accepted stay on tightened');
SELECT is((pg_temp.z14('RRAAAAA')).severity, 'normal',
          'tightened to normal: 5 consecutive lots accepted on original inspection');
SELECT is((pg_temp.z14('RRAAAARAAAA')).severity, 'tightened',
          'tightened: a lot not accepted restarts the count of 5 consecutive accepted');

-- tightened -> discontinued
SELECT is((pg_temp.z14('RRRARARRR')).severity, 'discontinued',
          'tightened to discontinued: 5 lots not accepted on tightened inspection (105E §4.8, Z1.4-2003 §8.4, ISO 2859-1)');
SELECT is((pg_temp.z14('RRRARARR')).not_accepted_on_tightened, 4,
          'tightened: 4 lots not accepted counted toward discontinuation');
SELECT is((SELECT (qe.inspection_state(accepted, NULL, NULL, true, true, 'z1.4', 10 ORDER BY i)).severity
             FROM pg_temp.lots('RRRRRRRRRR' || 'R')), 'tightened',
          'discontinue_after => 10 (seed and Z1.4-1993 wording): 9 not accepted on tightened continue');
SELECT is((SELECT (qe.inspection_state(accepted, NULL, NULL, true, true, 'z1.4', 10 ORDER BY i)).severity
             FROM pg_temp.lots('RR' || repeat('R', 10))), 'discontinued',
          'tightened to discontinued: 10 lots not accepted on tightened with discontinue_after => 10');
SELECT is((SELECT (s.severity, s.last_lot_severity, s.last_switch)::text FROM pg_temp.z14('RRRRRRRA') s),
          '(tightened,tightened,"discontinued to tightened: inspection resumed after corrective action")',
          'discontinued to tightened: a lot after discontinuation resumes on tightened inspection');

-- normal -> reduced
SELECT is((pg_temp.z14('AAAAAAAAA')).severity, 'normal', 'normal: 9 consecutive lots accepted stay on normal');
SELECT is((pg_temp.z14('AAAAAAAAAA')).severity, 'reduced',
          'normal to reduced: 10 consecutive lots accepted AND production at steady rate AND approved by responsible authority');
SELECT is((pg_temp.z14('AAAAAAAAAAAA', steady => false)).severity, 'normal',
          'normal: 10 lots accepted but production not steady stay on normal');
SELECT is((pg_temp.z14('AAAAAAAAAAAA', approved => false)).severity, 'normal',
          'normal: 10 lots accepted but not approved by the responsible authority stay on normal');
SELECT is((SELECT (qe.inspection_state(accepted ORDER BY i)).severity FROM pg_temp.lots(repeat('A', 30))), 'normal',
          'one-argument form: no approval, never reduced');

-- reduced -> normal
SELECT is((pg_temp.z14(repeat('A', 10) || 'AAR')).severity, 'normal',
          'reduced to normal: a lot not accepted on reduced inspection');
SELECT is((SELECT (qe.inspection_state(accepted, d, 1, true, true ORDER BY i)).severity
             FROM (VALUES (1, true, 0::bigint), (2, true, 0), (3, true, 0), (4, true, 0), (5, true, 0), (6, true, 0),
                          (7, true, 0), (8, true, 0), (9, true, 0), (10, true, 0), (11, true, 2)) v(i, accepted, d)),
          'normal', 'reduced to normal: lot accepted with defects between Ac and Re (2 on the reduced 1/3 plan)');
SELECT is((SELECT (qe.inspection_state(accepted, d, 1, true, true ORDER BY i)).severity
             FROM (VALUES (1, true, 0::bigint), (2, true, 0), (3, true, 0), (4, true, 0), (5, true, 0), (6, true, 0),
                          (7, true, 0), (8, true, 0), (9, true, 0), (10, true, 0), (11, true, 1)) v(i, accepted, d)),
          'reduced', 'reduced: lot accepted with defects = Ac stays on reduced');
SELECT is((SELECT (qe.inspection_state(accepted, NULL, NULL, i <> 12, true ORDER BY i)).severity
             FROM pg_temp.lots(repeat('A', 12))), 'normal',
          'reduced to normal: production irregular or delayed');
SELECT is((SELECT (qe.inspection_state(accepted, NULL, NULL, true, i <> 12 ORDER BY i)).severity
             FROM pg_temp.lots(repeat('A', 12))), 'normal',
          'reduced to normal: other conditions warrant (responsible authority withdraws approval)');

-- ISO 2859-1 switching score
SELECT is((SELECT (qe.inspection_state(true, 1, 2, true, true, 'iso2859-1', 5 ORDER BY i)).switching_score
             FROM generate_series(1, 9) i), 27,
          'ISO switching score: +3 per lot accepted at one step tighter AQL on an Ac >= 2 plan');
SELECT is((SELECT (qe.inspection_state(true, 1, 2, true, true, 'iso2859-1', 5 ORDER BY i)).severity
             FROM generate_series(1, 10) i), 'reduced',
          'normal to reduced: switching score at least 30 AND production steady AND approved (ISO 2859-1)');
SELECT is((SELECT (qe.inspection_state(true, CASE WHEN i = 9 THEN 2 ELSE 1 END, 2, true, true, 'iso2859-1', 5
                   ORDER BY i)).switching_score FROM generate_series(1, 10) i), 3,
          'ISO switching score: reset to 0 when a lot is accepted but would not be at one step tighter AQL');

-- window form: the severity after every lot, and the one in force for each lot
SELECT is((SELECT string_agg(left((s).severity, 1), '' ORDER BY i)
             FROM (SELECT i, qe.inspection_state(accepted) OVER (ORDER BY i) s
                     FROM pg_temp.lots('ARRAAAAAR')) w),
          'nntttttnn', 'as a window function: the severity after each lot (running state)');
SELECT is((SELECT string_agg(left((s).severity, 1), '' ORDER BY i)
             FROM (SELECT i, qe.inspection_state(accepted) OVER (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) s
                     FROM pg_temp.lots('ARRAAAAAR')) w),
          'nnntttttn', 'as a window function over the preceding lots: the severity in force for each lot');

-- the self-ordering form (received_at as an argument) agrees with ORDER BY on
-- every group, whatever order the lots arrive in
CREATE TEMP TABLE hist AS
SELECT i, i % 37 AS g, timestamptz '2024-01-01' + (i * 7919 % 5000) * interval '1 hour' AS t,
       (hashint4(i) & 7) <> 0 AS accepted, (hashint4(i * 3) & 3)::bigint AS d
  FROM generate_series(1, 5000) i;
SELECT is((SELECT count(*) FROM (
             SELECT g, qe.inspection_state(accepted, d, 2, true, true, 'z1.4', 5 ORDER BY t) a,
                    qe.inspection_state(t, accepted, d, 2, true, true, 'z1.4', 5) b
               FROM hist GROUP BY g) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form, lots out of order: same state as ORDER BY received_at in all 37 groups');
SELECT is((SELECT count(*) FROM (
             SELECT g, qe.inspection_state(accepted ORDER BY t) a, qe.inspection_state(t, accepted) b
               FROM (SELECT * FROM hist ORDER BY t) h GROUP BY g) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form, lots in order: same state as ORDER BY received_at');
SELECT ok((SELECT count(DISTINCT (a).severity) FROM (SELECT qe.inspection_state(accepted ORDER BY t) a FROM hist GROUP BY g) s) >= 2,
          'the random histories reach more than one severity (the comparison is not vacuous)');
-- as a window, the received_at form's final function runs after every row:
-- in time order it steps on from where the previous row stopped; once a lot
-- arrives out of order it replays the lots so far, sorted
SELECT is((SELECT count(*) FROM (
             SELECT qe.inspection_state(accepted) OVER w AS a, qe.inspection_state(t, accepted) OVER w AS b
               FROM hist WINDOW w AS (PARTITION BY g ORDER BY t)) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form as a window over lots in time order: the state after every lot equals the ORDER BY form''s');
SELECT is((SELECT count(*) FROM (
             SELECT h.i, qe.inspection_state(h.t, h.accepted) OVER (PARTITION BY h.g ORDER BY h.i) AS b,
                    (SELECT qe.inspection_state(h2.accepted ORDER BY h2.t) FROM hist h2
                      WHERE h2.g = h.g AND h2.i <= h.i) AS a
               FROM hist h) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form as a window over lots in arrival order (out of time order): the state after every lot is that of the lots so far, sorted');
-- the received_at form keeps lots compactly until a lot does not fit (rules or
-- discontinue_after changing within the group, a count above 2^31), then
-- switches the group to full records; lots without a count come before the
-- first with one.  Every such history still agrees with ORDER BY.
CREATE TEMP TABLE hist2 AS
SELECT i, i % 12 AS g, timestamptz '2024-01-01' + (i * 7919 % 3000) * interval '1 hour' AS t,
       (hashint4(i) & 7) <> 0 AS accepted,
       CASE WHEN i % 12 = 5 AND i % 97 = 0 THEN 3000000000
            WHEN i % 13 = 0 AND i % 3 <> 0 THEN NULL
            ELSE (hashint4(i * 3) & 3)::bigint END AS d,
       CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN 'iso2859-1' ELSE 'z1.4' END AS rules,
       CASE WHEN i % 12 IN (1, 4) AND i % 2 = 0 THEN 10 ELSE 5 END AS disc
  FROM generate_series(1, 3000) i;
SELECT is((SELECT count(*) FROM (
             SELECT g, qe.inspection_state(accepted, d, 2, (i % 5) <> 0, (i % 7) <> 0, rules, disc ORDER BY t) a,
                    qe.inspection_state(t, accepted, d, 2, (i % 5) <> 0, (i % 7) <> 0, rules, disc) b
               FROM hist2 GROUP BY g) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form: mixed rules, mixed discontinue_after, counts above 2^31 and lots without counts agree with ORDER BY in all 12 groups');
SELECT is((SELECT count(*) FROM (
             SELECT g, qe.inspection_state(accepted, d, 2, (i % 5) <> 0, (i % 7) <> 0, 'z1.4', 5 ORDER BY t) a,
                    qe.inspection_state(t, accepted, d, 2, (i % 5) <> 0, (i % 7) <> 0, 'z1.4', 5) b
               FROM hist2 WHERE g <> 5 GROUP BY g) s WHERE a IS DISTINCT FROM b), 0::bigint,
          'received_at form, compact throughout (counts arriving after lots without one): agrees with ORDER BY');
SELECT throws_ok($$SELECT qe.inspection_state(NULL::timestamptz, true)$$, '22004', NULL,
                 'received_at form: a decided lot without receipt time is refused');

-- errors
SELECT throws_ok($$SELECT qe.inspection_state(true, 0, 2, true, true, 'ansi', 5)$$, '22023',
                 'unknown switching rules "ansi"', 'unknown rules are refused');
SELECT throws_ok($$SELECT qe.inspection_state(true, 0, 2, true, true, 'z1.4', 0)$$, '22023', NULL,
                 'discontinue_after 0 is refused');
SELECT throws_ok($$SELECT qe.inspection_state(true, NULL, NULL, true, true, 'iso2859-1', 5)$$, '22004', NULL,
                 'the ISO score without counts is refused');

-- the self-sorting form judges each lot on the inspection in force at its
-- time, whatever order the lots arrive in: a lot on tightened needs no counts
-- for the ISO score, even if it arrived before the rejection that tightened it
SELECT is((SELECT (qe.inspection_state(t, acc, d, ac, true, true, 'iso2859-1', 5)).severity
             FROM (SELECT * FROM (VALUES (1, timestamptz '2024-01-01', false, 3::bigint, 1),
                                         (2, timestamptz '2024-01-03', true, NULL, NULL),
                                         (3, timestamptz '2024-01-02', false, 4, 1)) v(ord, t, acc, d, ac)
                    ORDER BY ord) arrival),
          (SELECT (qe.inspection_state(acc, d, ac, true, true, 'iso2859-1', 5 ORDER BY t)).severity
             FROM (VALUES (timestamptz '2024-01-01', false, 3::bigint, 1), (timestamptz '2024-01-03', true, NULL, NULL),
                          (timestamptz '2024-01-02', false, 4, 1)) v(t, acc, d, ac)),
          'self-sorting form, lots arriving out of time order: the same severity as the ORDER BY form, no error');

SELECT * FROM finish();
ROLLBACK;
