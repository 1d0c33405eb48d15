-- pgTAP: qe.aql_plan against EVERY row of the Z1.4 reference tables
-- (test/data/z14 = ../shared/reference/z14), lot_decision, overloads, errors.
BEGIN;
SELECT plan(53);

CREATE TEMP TABLE ref_letters (lot_min bigint, lot_max bigint, level text, code_letter text);
CREATE TEMP TABLE ref_plans (inspection text, code_letter text, aql text, plan_code_letter text,
                             sample_size int, ac int, re int);
\copy ref_letters FROM 'test/data/z14/code_letters.csv' WITH (FORMAT csv, HEADER true)
\copy ref_plans FROM 'test/data/z14/resolved_plans.csv' WITH (FORMAT csv, HEADER true)

SELECT is((SELECT count(*) FROM ref_letters), 105::bigint, 'code_letters.csv: 105 rows loaded');
SELECT is((SELECT count(*) FROM ref_plans), 1248::bigint, 'resolved_plans.csv: 1248 rows loaded');

-- Table I: every cell at both ends of its lot range (the open range at 10^12)
SELECT is(
  (SELECT string_agg(format('%s-%s %s: want %s, got %s at %s', l.lot_min, l.lot_max, l.level,
                            l.code_letter, p.code_letter, x.lot), '; ')
     FROM ref_letters l,
          unnest(ARRAY[l.lot_min, coalesce(l.lot_max, 1000000000000)]) x(lot),
          qe.aql_plan(x.lot, '1.0', l.level) p
    WHERE p.code_letter IS DISTINCT FROM l.code_letter),
  NULL, 'Table I: all 105 code letters, at the first and last lot size of every range');

-- every resolved plan, reached through every (lot range, level) that gives its
-- code letter, at both range ends: plan letter, Ac, Re exact; sample size is the
-- plan's, or the lot size when the plan's sample size reaches the lot (100 %)
CREATE TEMP TABLE got AS
SELECT r.*, x.lot, l.level, p.plan_code_letter AS g_letter, p.sample_size AS g_n,
       p.ac AS g_ac, p.re AS g_re, p.full_inspection AS g_full, p.aql AS g_aql
  FROM ref_plans r
  JOIN ref_letters l ON l.code_letter = r.code_letter
  CROSS JOIN LATERAL unnest(ARRAY[l.lot_min, coalesce(l.lot_max, 1000000000000)]) x(lot)
  CROSS JOIN LATERAL qe.aql_plan(x.lot, r.aql, l.level, r.inspection) p;

SELECT is((SELECT count(DISTINCT (inspection, code_letter, aql)) FROM got), 1248::bigint,
          'every one of the 1248 resolved plans is reached from some lot size and level');
SELECT is(
  (SELECT string_agg(DISTINCT format('%s %s AQL %s: want %s %s/%s, got %s %s/%s', inspection, code_letter,
                                     aql, plan_code_letter, ac, re, g_letter, g_ac, g_re), '; ')
     FROM got
    WHERE (g_letter, g_ac, g_re) IS DISTINCT FROM (plan_code_letter, ac, re)),
  NULL, 'all 1248 resolved plans: plan code letter, Ac and Re exactly as in resolved_plans.csv');
SELECT is(
  (SELECT string_agg(DISTINCT format('%s %s AQL %s lot %s: want n %s, got %s (full %s)', inspection,
                                     code_letter, aql, lot, least(sample_size, lot), g_n, g_full), '; ')
     FROM got
    WHERE g_n <> least(sample_size, lot) OR g_full <> (sample_size >= lot)),
  NULL, 'all 1248 resolved plans: sample size of the plan reached, or the lot size and full_inspection when n >= lot size');
SELECT is((SELECT count(*) FROM got WHERE g_aql::text <> aql), 0::bigint,
          'the aql field keeps the printed spelling (0.010, 1.0, 1000)');
SELECT ok((SELECT count(*) FROM got WHERE g_full) > 0 AND (SELECT count(*) FROM got WHERE NOT g_full) > 0,
          'the sweep covers both sampled and 100 % inspected lots');

-- constant level, inspection and AQL are read once per call site, column values
-- on every row: both give the same plan for every lot of the sweep
SELECT is(
  (SELECT count(*) FROM got g, (VALUES ('S-1', 'reduced'), ('III', 'tightened'), ('II', 'normal')) c(lv, insp)
    WHERE qe.aql_plan(g.lot, g.aql, c.lv, c.insp) IS DISTINCT FROM
          CASE c.lv WHEN 'S-1' THEN qe.aql_plan(g.lot, g.aql, 'S-1', 'reduced')
                    WHEN 'III' THEN qe.aql_plan(g.lot, g.aql, 'III', 'tightened')
                    ELSE qe.aql_plan(g.lot, g.aql) END),
  0::bigint, 'constant level and inspection (read once per call site) give the same plans as per-row values');
SELECT is(
  (SELECT count(*) FROM got g, (VALUES (0.65::numeric, '0.65'), (2.5, '2.5'), (1000, '1000')) c(a, t)
    WHERE qe.aql_plan(g.lot, c.a, g.level, g.inspection) IS DISTINCT FROM
          CASE c.t WHEN '0.65' THEN qe.aql_plan(g.lot, 0.65, g.level, g.inspection)
                   WHEN '2.5' THEN qe.aql_plan(g.lot, '2.5', g.level, g.inspection)
                   ELSE qe.aql_plan(g.lot, 1000.0, g.level, g.inspection) END),
  0::bigint, 'a constant AQL (numeric or text, read once per call site) gives the same plans as per-row values');

-- the README sanity list of the reference data, one by one
SELECT is((SELECT (code_letter, plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(1000, 1.0)),
          '(J,J,80,2,3)', '1000, II, 1.0, normal: J 80 Ac 2 Re 3 (not the seed quick reference 5/6)');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(1000, 1.0, inspection => 'tightened')),
          '(J,80,1,2)', '1000, II, 1.0, tightened: J 80 1/2');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(1000, 1.0, inspection => 'reduced')),
          '(J,32,1,3)', '1000, II, 1.0, reduced: J 32 1/3 (gap kept)');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(1000, 0.40)),
          '(K,125,1,2)', '1000, II, 0.40, normal: arrow down to K, sample size 125');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(5000, 1.5, inspection => 'tightened')),
          '(L,200,5,6)', '3201-10000, II, 1.5, tightened: L 200 5/6');
SELECT is((SELECT (code_letter, plan_code_letter, sample_size, ac, re, full_inspection)::text FROM qe.aql_plan(8, 0.65)),
          '(A,F,8,0,1,t)', '8, II, 0.65: A down to F (n 20 >= 8): 100 % inspection, sample size 8');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(600000, 0.015, 'III', 'reduced')),
          '(P,315,0,1)', '> 500000, III, 0.015, reduced: up to P 315 0/1');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(600000, 0.025, 'III', 'tightened')),
          '(S,3150,1,2)', '> 500000, III, 0.025, tightened: down to S 3150 1/2');
SELECT is((SELECT (plan_code_letter, sample_size, ac, re)::text FROM qe.aql_plan(400, 4.0, inspection => 'reduced')),
          '(H,20,2,5)', '281-500, II, 4.0, reduced: H 20 2/5');

-- AQL spellings: numeric and text reach the same column
SELECT is((SELECT count(DISTINCT p) FROM unnest(ARRAY[qe.aql_plan(1000, '1.0'), qe.aql_plan(1000, 1.0),
              qe.aql_plan(1000, 1), qe.aql_plan(1000, '1'), qe.aql_plan(1000, 1.00::numeric),
              qe.aql_plan(1000, ' 1.000 '::text), qe.aql_plan(1000, 1::bigint)]) p), 1::bigint,
          'qe.aql_plan(1000, ''1.0''), (1000, 1.0), (1000, 1), ''1'', 1.00, '' 1.000 '', 1::bigint: one plan');
SELECT is((SELECT count(DISTINCT p) FROM unnest(ARRAY[qe.aql_plan(500, '0.65'), qe.aql_plan(500, 0.65),
              qe.aql_plan(500, '.65'), qe.aql_plan(500, 0.650)]) p), 1::bigint, '0.65 in four spellings: one plan');
SELECT is((SELECT string_agg(a, ',') FROM unnest(ARRAY['0.010','0.015','0.025','0.040','0.065','0.10','0.15',
              '0.25','0.40','0.65','1.0','1.5','2.5','4.0','6.5','10','15','25','40','65','100','150','250',
              '400','650','1000']) a
            WHERE qe.aql_plan(20000, a) IS DISTINCT FROM qe.aql_plan(20000, a::numeric)
               OR qe.aql_plan(20000, a::numeric) IS DISTINCT FROM qe.aql_plan(20000, a::numeric * 1.000)),
          NULL, 'all 26 AQLs: text, numeric and rescaled numeric agree');
-- one call site meeting 156 spellings of the 26 AQLs in a random order (more
-- than the per-call-site caches hold, some longer than 8 bytes): every row
-- must reach its own column; the aql field names it independently
SELECT is((WITH a(k, canon) AS (SELECT k, x FROM unnest(ARRAY['0.010','0.015','0.025','0.040','0.065','0.10',
                  '0.15','0.25','0.40','0.65','1.0','1.5','2.5','4.0','6.5','10','15','25','40','65','100','150',
                  '250','400','650','1000']) WITH ORDINALITY u(x, k)),
                r AS (SELECT a.canon, CASE WHEN strpos(a.canon, '.') > 0 THEN a.canon ELSE a.canon || '.' END AS dotted,
                             2 + (hashint4(g * 3) & 65535) * 7 AS lot, hashint4(g * 5) & 7 AS sp
                        FROM generate_series(1, 40000) g JOIN a ON a.k = 1 + (hashint4(g) & 1023) % 26),
                s AS (SELECT *, CASE sp WHEN 0 THEN canon WHEN 1 THEN dotted || '000000000' WHEN 2 THEN ' ' || dotted || '0 '
                                        WHEN 3 THEN '+' || canon WHEN 4 THEN (canon::numeric)::text
                                        WHEN 5 THEN dotted || '00000' ELSE dotted || '0' END AS spelled FROM r)
           SELECT format('%s rows, %s spellings, %s text, %s numeric, %s aql field wrong', count(*),
                         count(DISTINCT spelled),
                         count(*) FILTER (WHERE qe.aql_plan(lot, spelled) IS DISTINCT FROM qe.aql_plan(lot, canon)),
                         count(*) FILTER (WHERE qe.aql_plan(lot, spelled::numeric) IS DISTINCT FROM qe.aql_plan(lot, canon::numeric)),
                         count(*) FILTER (WHERE (qe.aql_plan(lot, spelled::numeric)).aql <> canon::numeric))
             FROM s),
          '40000 rows, 156 spellings, 0 text, 0 numeric, 0 aql field wrong',
          'one call site, 156 spellings of the 26 AQLs in random order: each row reaches its own column');
-- every place that keeps results longer than one row sees each row's own
-- lot_size (the fast path patches it into a copy of a cached row)
CREATE TEMP TABLE ring_lots AS SELECT g AS lot FROM generate_series(2, 20001) g;
ANALYZE ring_lots;
SELECT is((WITH m AS MATERIALIZED (SELECT lot, qe.aql_plan(lot * 31, 1.0) AS p FROM ring_lots)
           SELECT format('sort %s, window %s, array %s, hash join %s, cte %s, distinct %s',
             (SELECT count(*) FROM (SELECT lot, qe.aql_plan(lot * 31, 1.0) AS p FROM ring_lots ORDER BY hashint4(lot)) s
               WHERE (p).lot_size <> lot * 31),
             (SELECT count(*) FROM (SELECT lot, lag(p, 100) OVER (ORDER BY lot) AS q
                                      FROM (SELECT lot, qe.aql_plan(lot * 31, 1.0) AS p FROM ring_lots OFFSET 0) s) w
               WHERE lot > 101 AND (q).lot_size <> (lot - 100) * 31),
             (SELECT count(*) FROM unnest((SELECT array_agg(qe.aql_plan(lot * 31, 1.0) ORDER BY lot) FROM ring_lots))
                                   WITH ORDINALITY u(lot_size, sample_size, ac, re, fi, cl, pcl, lv, insp, aql, k)
               WHERE lot_size <> (k + 1) * 31),
             (SELECT count(*) FROM (SELECT lot, qe.aql_plan(lot * 31, 1.0) AS p FROM ring_lots OFFSET 0) a
                                   JOIN (SELECT lot, qe.aql_plan(lot * 31, 1.0) AS p FROM ring_lots OFFSET 0) b USING (lot)
               WHERE (a.p).lot_size <> lot * 31 OR a.p IS DISTINCT FROM b.p),
             (SELECT count(*) FROM m m1 JOIN m m2 USING (lot) WHERE (m1.p).lot_size <> lot * 31 OR m1.p IS DISTINCT FROM m2.p),
             (SELECT count(*) - 20000 FROM (SELECT DISTINCT qe.aql_plan(lot * 31, 1.0) FROM ring_lots) d))),
          'sort 0, window 0, array 0, hash join 0, cte 0, distinct 0',
          'results kept past later rows (sort, window lag 100, array_agg, hash join, CTE, DISTINCT) each keep their own lot size');
-- ANALYZE of extended statistics keeps every sample row's value of the
-- expression without copying it, then frees the expression's memory
-- (extended_stats.c, make_build_data): results owned by the call site were
-- overwritten and then freed there (a crash; found by review, never shipped)
CREATE TEMP TABLE stats_lots AS SELECT (g * 31)::bigint AS lot, g % 2 AS k FROM generate_series(2, 2001) g;
CREATE STATISTICS pg_temp.stats_lots_plan (ndistinct, mcv) ON (qe.aql_plan(lot, 1.0)), k FROM stats_lots;
ANALYZE stats_lots;
SELECT is((SELECT n_distinct::text FROM pg_stats_ext WHERE statistics_name = 'stats_lots_plan'),
          '{"2, -1": 2000}',
          'ANALYZE builds extended statistics on qe.aql_plan(lot, 1.0): 2,000 lots of distinct sizes give 2,000 distinct (plan, k) pairs');

-- declarations
SELECT volatility_is('qe', 'aql_plan', ARRAY['bigint', 'numeric', 'text', 'text'], 'immutable',
                     'aql_plan(numeric) is IMMUTABLE');
SELECT volatility_is('qe', 'aql_plan', ARRAY['bigint', 'text', 'text', 'text'], 'immutable',
                     'aql_plan(text) is IMMUTABLE');
SELECT is_strict('qe', 'aql_plan', ARRAY['bigint', 'numeric', 'text', 'text'], 'aql_plan is STRICT');
SELECT is((SELECT string_agg(DISTINCT proparallel::text, '') FROM pg_proc
            WHERE pronamespace = 'qe'::regnamespace AND proname IN ('aql_plan', 'lot_decision')),
          's', 'aql_plan and lot_decision are PARALLEL SAFE');

-- errors: SQLSTATE 22023, naming the valid values
SELECT throws_ok('SELECT qe.aql_plan(1, 1.0)', '22023', 'lot size must be at least 2, got 1', 'lot size 1 is refused');
SELECT throws_ok('SELECT qe.aql_plan(-7, 1.0)', '22023', NULL, 'negative lot size is refused');
SELECT throws_ok('SELECT qe.aql_plan(1000, 0.6)', '22023',
                 'AQL "0.6" is not one of the Z1.4 acceptance quality limits', 'AQL 0.6 is refused');
SELECT throws_ok($$SELECT qe.aql_plan(1000, ''::text)$$, '22023', NULL, 'an empty AQL text is refused (it once matched an unused cache slot: AQL 0.010)');
-- PL/pgSQL keeps one evaluation state for a simple expression and changes its
-- parameters between calls: AQL, level and inspection must be read each time
CREATE FUNCTION pg_temp.plans_in_plpgsql() RETURNS text LANGUAGE plpgsql AS $f$
DECLARE a text; lv text; insp text; out text := ''; r qe.sampling_plan;
BEGIN
  FOR a, lv, insp IN VALUES ('1.0', 'II', 'normal'), ('0.65', 'II', 'normal'), ('1.0', 'S-1', 'normal'), ('1.0', 'II', 'tightened') LOOP
    r := qe.aql_plan(1000, a, lv, insp);
    out := out || r.sample_size || '/' || r.ac || ' ';
  END LOOP;
  RETURN out;
END $f$;
SELECT is(pg_temp.plans_in_plpgsql(), '80/2 80/1 13/0 80/1 ',
          'qe.aql_plan in a PL/pgSQL loop follows its variables (lot 1000, resolved_plans.csv): II normal J 1.0 80/2; J 0.65 80/1; S-1 is C, 1.0 -> E 13/0; tightened J 1.0 80/1');
SELECT throws_ok($$SELECT qe.aql_plan(1000, 'one')$$, '22023', NULL, 'AQL ''one'' is refused');
SELECT throws_ok($$SELECT qe.aql_plan(1000, 'NaN'::numeric)$$, '22023', NULL, 'AQL NaN is refused');
SELECT throws_ok($$SELECT qe.aql_plan(1000, '-Infinity'::numeric)$$, '22023',
                 'AQL "-Infinity" is not one of the Z1.4 acceptance quality limits', 'AQL -Infinity is refused and named as given');
SELECT throws_ok($$SELECT qe.aql_plan(1000, '-1.0')$$, '22023', NULL, 'negative AQL is refused');
SELECT throws_ok($$SELECT qe.aql_plan(1000, 1.0, 'IV')$$, '22023', 'unknown inspection level "IV"',
                 'unknown level is refused');
SELECT throws_ok($$SELECT qe.aql_plan(1000, 1.0, 'II', 'strict')$$, '22023', 'unknown inspection type "strict"',
                 'unknown inspection type is refused');
SELECT is(qe.aql_plan(NULL::bigint, 1.0), NULL, 'STRICT: NULL lot size gives NULL');

-- lot decisions
SELECT is(qe.lot_decision(qe.aql_plan(1000, 1.0), 2), 'accept', 'J 80 2/3 with 2 nonconforming: accept');
SELECT is(qe.lot_decision(qe.aql_plan(1000, 1.0), 3), 'reject', 'J 80 2/3 with 3 nonconforming: reject');
SELECT is(qe.lot_decision(qe.aql_plan(1000, 1.0, inspection => 'reduced'), 2),
          'accept and return to normal inspection', 'reduced J 32 1/3 with 2: accept and return to normal inspection');
SELECT is(qe.lot_decision(qe.aql_plan(1000, 1.0, inspection => 'reduced'), 3), 'reject', 'reduced 1/3 with 3: reject');
SELECT is(qe.lot_decision(qe.aql_plan(1000, 1.0, inspection => 'reduced'), 1), 'accept', 'reduced 1/3 with 1: accept');
SELECT is(qe.lot_decision(qe.aql_plan(10, 1000), 60), 'reject',
          'B 3 44/45 at AQL 1000 counts nonconformities: 60 in 3 units is allowed and rejects');
SELECT throws_ok('SELECT qe.lot_decision(qe.aql_plan(1000, 1.0), -1)', '22023', NULL, 'negative count is refused');
SELECT throws_ok('SELECT qe.lot_decision(qe.aql_plan(1000, 1.0), 81)', '22023',
                 'found 81 nonconforming units in a sample of 80', 'more nonconforming units than the sample is refused');
SELECT throws_ok($$SELECT qe.lot_decision(ROW(100, 20, 3, 2, false, 'F', 'F', 'II', 'normal', 1.0)::qe.sampling_plan, 1)$$,
                 '22023', NULL, 'a hand-made plan with Re <= Ac is refused');
SELECT throws_ok($$SELECT qe.lot_decision(ROW(NULL, 80, 1, 2, NULL, NULL, NULL, NULL, NULL, 0.3)::qe.sampling_plan, 81)$$,
                 '22023', NULL, 'a hand-made plan whose AQL 0.3 is not in the series is refused (it said nothing of what is counted, and 81 in 80 passed as "reject")');
SELECT throws_ok($$SELECT qe.lot_decision(ROW(NULL, 80, 1, 3, NULL, NULL, NULL, NULL, 'normal', 0.65)::qe.sampling_plan, 2)$$,
                 '22023', NULL, 'a gap between Ac and Re on a normal plan is refused: only the reduced tables print gaps');
SELECT is(qe.lot_decision(ROW(NULL, 80, 1, 3, NULL, NULL, NULL, NULL, 'reduced', 0.65)::qe.sampling_plan, 2),
          'accept and return to normal inspection', 'the same gap on a reduced plan: accept and return to normal inspection');

SELECT * FROM finish();
ROLLBACK;
