-- pgTAP: attribute control charts and qe.limits_at: signatures, markings,
-- every error's SQLSTATE, and the parallel (Partial Aggregate) plan giving
-- the same answer as a serial run.
BEGIN;
SELECT plan(49);

-- signatures and markings
SELECT has_function('qe', 'p_chart', ARRAY['bigint', 'bigint'], 'qe.p_chart(bigint, bigint) exists');
SELECT has_function('qe', 'np_chart', ARRAY['bigint', 'bigint'], 'qe.np_chart(bigint, bigint) exists');
SELECT has_function('qe', 'c_chart', ARRAY['bigint'], 'qe.c_chart(bigint) exists');
SELECT has_function('qe', 'u_chart', ARRAY['bigint', 'double precision'], 'qe.u_chart(bigint, float8) exists');
SELECT function_returns('qe', 'limits_at', ARRAY['qe.control_limits', 'double precision'], 'qe.control_limits');
SELECT is((SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_aggregate a
             JOIN pg_proc p ON p.oid = a.aggfnoid
            WHERE p.proname IN ('p_chart', 'np_chart', 'c_chart', 'u_chart')
              AND p.pronamespace = 'qe'::regnamespace
              AND a.aggcombinefn <> 0 AND p.proparallel = 's'
              AND a.aggtranstype = 'double precision[]'::regtype),
          'c_chart,np_chart,p_chart,u_chart',
          'the four aggregates have a float8[] state, a combine function and are PARALLEL SAFE');
SELECT ok((SELECT provolatile = 'i' AND proisstrict AND proparallel = 's'
             FROM pg_proc WHERE oid = 'qe.limits_at(qe.control_limits, double precision)'::regprocedure),
          'qe.limits_at is IMMUTABLE STRICT PARALLEL SAFE');

-- input errors (SQLSTATE 22003: value out of range; 22023: inconsistent values)
SELECT throws_ok($$SELECT qe.p_chart(-1, 50)$$, '22003', NULL, 'p: negative defectives -> 22003');
SELECT throws_ok($$SELECT qe.np_chart(-1, 50)$$, '22003', NULL, 'np: negative defectives -> 22003');
SELECT throws_ok($$SELECT qe.c_chart(-2)$$, '22003', NULL, 'c: negative defects -> 22003');
SELECT throws_ok($$SELECT qe.u_chart(-2, 1.5)$$, '22003', NULL, 'u: negative defects -> 22003');
SELECT throws_ok($$SELECT qe.p_chart(0, 0)$$, '22003', NULL, 'p: zero sample size -> 22003');
SELECT throws_ok($$SELECT qe.np_chart(0, -10)$$, '22003', NULL, 'np: negative sample size -> 22003');
SELECT throws_ok($$SELECT qe.u_chart(1, 0)$$, '22003', NULL, 'u: zero units -> 22003');
SELECT throws_ok($$SELECT qe.u_chart(1, 'NaN')$$, '22003', NULL, 'u: NaN units -> 22003');
SELECT throws_ok($$SELECT qe.u_chart(1, 'Infinity')$$, '22003', NULL, 'u: infinite units -> 22003');
SELECT throws_ok($$SELECT qe.c_chart(x) FROM (VALUES (9007199254740000::bigint), (1000)) v(x)$$,
                 '22003', NULL, 'c: sum of counts reaching 2^53 -> 22003');
SELECT throws_ok($$SELECT qe.p_chart(51, 50)$$, '22023', 'defectives (51) exceed the sample size (50)',
                 'p: defectives > sample size -> 22023');
SELECT throws_ok($$SELECT qe.np_chart(d, n) FROM (VALUES (1, 50), (2, 40)) v(d, n)$$, '22023',
                 'np chart needs a constant sample size', 'np: varying sample size -> 22023 (hint: use qe.p_chart)');

-- states that did not come from the transitions (the support functions are callable)
SELECT throws_ok($$SELECT qe._p_chart_final('{1,2,3}')$$, '22023', NULL, 'state of the wrong length -> 22023');
SELECT throws_ok($$SELECT qe._p_chart_final('{{0,0,0},{0,0,0}}')$$, '22023', NULL, 'two-dimensional state -> 22023');
SELECT throws_ok($$SELECT qe._c_chart_final('{2.5,3,2.5,0,1,1}')$$, '22023', NULL, 'fractional sample count -> 22023');
SELECT throws_ok($$SELECT qe._p_chart_final('{2,500,100,0,50,50}')$$, '22023', NULL, 'more defectives than units -> 22023');
SELECT throws_ok($$SELECT qe._np_chart_final('{2,5,100,0,40,60}')$$, '22023', NULL, 'np state with two sample sizes -> 22023');
SELECT throws_ok($$SELECT qe._u_chart_trans('{0,0,0,0,0,NaN}', 1, 1)$$, '22023', NULL, 'NaN in a state -> 22023');
SELECT throws_ok($$SELECT qe._np_chart_combine('{2,5,100,0,50,50}', '{2,5,80,0,40,40}')$$, '22023', NULL,
                 'combining np states of different sample sizes -> 22023');
SELECT is(qe._p_chart_final('{2,5,100,0,50,50}'), (SELECT qe.p_chart(d, 50) FROM (VALUES (2), (3)) v(d)),
          'a valid state given to the final function equals the aggregate');

-- limits_at errors
SELECT throws_ok($$SELECT qe.limits_at(row('p', 0.1, 0, 0.2, 0.3, 10, 500, 50, NULL, NULL, NULL, NULL)::qe.control_limits, 0)$$,
                 '22023', NULL, 'limits_at: n = 0 -> 22023');
SELECT throws_ok($$SELECT qe.limits_at(row('c', 4, 0, 10, 2, 10, 10, 1, NULL, NULL, NULL, NULL)::qe.control_limits, -3)$$,
                 '22023', NULL, 'limits_at: n < 0 -> 22023 (even for c)');
SELECT throws_ok($$SELECT qe.limits_at(row('u', 1, 0, 2, 1, 10, 10, 1, NULL, NULL, NULL, NULL)::qe.control_limits, 'NaN')$$,
                 '22023', NULL, 'limits_at: n NaN -> 22023');
SELECT throws_ok($$SELECT qe.limits_at(row('Xbar-R', 10, 9, 11, 1, 25, 125, 5, 'R', 2.3, 0, 4.9)::qe.control_limits, 4.5)$$,
                 '22023', NULL, 'limits_at: non-integer n for Xbar-R -> 22023');
SELECT throws_ok($$SELECT qe.limits_at(row('Xbar-S', 10, 9, 11, 1, 25, 125, 5, 'S', 0.9, 0, 2)::qe.control_limits, 1)$$,
                 '22023', NULL, 'limits_at: n = 1 for Xbar-S -> 22023');
SELECT throws_ok($$SELECT qe.limits_at(row('Xbar-R', 10, 9, 11, NULL, 25, 125, 5, 'R', 2.3, 0, 4.9)::qe.control_limits, 5)$$,
                 '22004', NULL, 'limits_at: Xbar-R without sigma -> 22004');
SELECT throws_ok($$SELECT qe.limits_at(row(NULL, 10, 9, 11, 1, 25, 125, 5, NULL, NULL, NULL, NULL)::qe.control_limits, 5)$$,
                 '22004', NULL, 'limits_at: no chart type -> 22004');
SELECT throws_ok($$SELECT qe.limits_at(row('EWMA', 10, 9, 11, 1, 25, 125, 5, NULL, NULL, NULL, NULL)::qe.control_limits, 5)$$,
                 '22023', NULL, 'limits_at: unknown chart -> 22023');
SELECT throws_ok($$SELECT qe.limits_at(row('p', 1.5, 0, 2, 1, 25, 125, 5, NULL, NULL, NULL, NULL)::qe.control_limits, 5)$$,
                 '22023', NULL, 'limits_at: p chart with center > 1 -> 22023');

-- behaviour
SELECT is((SELECT qe.limits_at(qe.p_chart(d, n), 50) FROM (VALUES (10, 50), (20, 50)) v(d, n)),
          (SELECT qe.p_chart(d, n) FROM (VALUES (10, 50), (20, 50)) v(d, n)),
          'p: limits_at the (constant) sample size reproduces the aggregate exactly');
SELECT is((SELECT qe.limits_at(qe.limits_at(qe.np_chart(d, 50), 80), 20) FROM (VALUES (10), (20)) v(d)),
          (SELECT qe.limits_at(qe.np_chart(d, 50), 20) FROM (VALUES (10), (20)) v(d)),
          'np: limits_at(limits_at(cl, 80), 20) = limits_at(cl, 20)');
SELECT is((SELECT (qe.limits_at(qe.u_chart(x, u), 2)).ucl FROM (VALUES (3, 1.0), (5, 3.0)) v(x, u)),
          5::float8, 'u: ubar = 8/4 = 2, UCL at n = 2 is 2 + 3 sqrt(2/2) = 5');

-- qe.limits_at on the variables charts (issue 2, other branch): at the
-- aggregate's own constant subgroup size it must reproduce the aggregate's
-- limits (A2 R-bar = 3 sigma / sqrt(n), D4 R-bar = D2(n) sigma, ...).
-- Skipped until qe.xbar_r_chart / qe.xbar_s_chart exist.
CREATE FUNCTION pg_temp.limits_at_matches(agg text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE a qe.control_limits; b qe.control_limits;
BEGIN
  EXECUTE format('SELECT (qe.%I(10 + sin(g * 7 + j * 13), g::bigint)).* FROM generate_series(1, 25) g, generate_series(1, 5) j', agg)
     INTO a;
  b := qe.limits_at(a, 5);
  RETURN b.chart = a.chart AND b.center = a.center
     AND abs(b.lcl - a.lcl) <= 1e-12 * abs(a.lcl) AND abs(b.ucl - a.ucl) <= 1e-12 * abs(a.ucl)
     AND abs(b.disp_center - a.disp_center) <= 1e-12 * a.disp_center
     AND abs(b.disp_lcl - a.disp_lcl) <= 1e-12 * a.disp_center
     AND abs(b.disp_ucl - a.disp_ucl) <= 1e-12 * a.disp_ucl;
END $$;
SELECT CASE WHEN to_regprocedure('qe.xbar_r_chart(double precision, bigint)') IS NULL
            THEN skip('qe.xbar_r_chart not installed on this branch')
            ELSE ok(pg_temp.limits_at_matches('xbar_r_chart'), 'limits_at(xbar_r_chart, 5) reproduces the X-bar and R limits') END;
SELECT CASE WHEN to_regprocedure('qe.xbar_s_chart(double precision, bigint)') IS NULL
            THEN skip('qe.xbar_s_chart not installed on this branch')
            ELSE ok(pg_temp.limits_at_matches('xbar_s_chart'), 'limits_at(xbar_s_chart, 5) reproduces the X-bar and S limits') END;

-- parallel plan and parallel == serial
CREATE TABLE attr_par (k int, d bigint, n bigint, x bigint, u float8);
INSERT INTO attr_par
SELECT i % 7, (i * 7919) % 11, 10 + (i % 5), (i * 104729) % 13, 1 + (i % 4)
  FROM generate_series(1::bigint, 200000) i;
ANALYZE attr_par;
SET LOCAL force_parallel_mode = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; s text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP s := s || r."QUERY PLAN" || E'\n'; END LOOP;
  RETURN s;
END $$;
SELECT matches(pg_temp.plan_of('SELECT k, qe.p_chart(d, n), qe.c_chart(x), qe.u_chart(x, u) FROM attr_par GROUP BY k'),
               '(?s)Finalize.*Gather.*Workers Planned: 2.*Partial.*Aggregate',
               'grouped attribute charts plan Finalize / Gather / Partial Aggregate with 2 workers');
SELECT matches(pg_temp.plan_of('SELECT qe.np_chart(d, 10) FROM attr_par'),
               '(?s)Finalize Aggregate.*Gather.*Partial Aggregate', 'np chart plans a Partial Aggregate');
SELECT string_agg(format('%s %s %s %s', k, p, c, u), ';' ORDER BY k) AS par
  FROM (SELECT k, qe.p_chart(d, n) p, qe.c_chart(x) c, qe.u_chart(x, u) u FROM attr_par GROUP BY k) s \gset
SELECT qe.np_chart(d, 10)::text AS par_np FROM attr_par \gset
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL force_parallel_mode = off;
SELECT doesnt_match(pg_temp.plan_of('SELECT qe.np_chart(d, 10) FROM attr_par'), 'Partial', 'serial plan has no Partial Aggregate');
SELECT string_agg(format('%s %s %s %s', k, p, c, u), ';' ORDER BY k) AS ser
  FROM (SELECT k, qe.p_chart(d, n) p, qe.c_chart(x) c, qe.u_chart(x, u) u FROM attr_par GROUP BY k) s \gset
SELECT qe.np_chart(d, 10)::text AS ser_np FROM attr_par \gset
SELECT is(:'par'::text, :'ser'::text, 'p, c and u charts per group: parallel run = serial run, to the last digit');
SELECT is(:'par_np'::text, :'ser_np'::text, 'np chart: parallel run = serial run');

-- limits beyond double precision are an overflow error, not Infinity
SELECT throws_ok($$SELECT qe.u_chart(d, n) FROM (VALUES (1::bigint, 1e-320::float8), (1, 1e-320)) v(d, n)$$, '22003', NULL,
                 'u chart over units near zero: 22003, not a centre of Infinity');
SELECT ok((SELECT abs((qe.limits_at(qe.u_chart(d, n), 1e-320)).ucl::numeric
                      / (2 + 3 * sqrt(2::numeric) / sqrt('1e-320'::float8::numeric)) - 1) < 1e-12
             FROM (VALUES (1::bigint, 1.0::float8), (3, 1.0)) v(d, n)),
          'limits_at a sample size near zero (the denormal nearest 1e-320): UCL = ubar + 3 sqrt(ubar) / sqrt(n), 4.24e160, finite (it was Infinity)');

SELECT ok((SELECT abs(c.ucl::numeric / (1e-300 + 3 * 1e-150 / sqrt(5e299::numeric)) - 1) < 1e-12
             FROM (SELECT (qe.u_chart(d, u)).* FROM (VALUES (0::bigint, 1e-300::float8), (1, 1e300)) v(d, u)) c),
          'u chart with units 1e-300 and 1e300: UCL = ubar + 3 sqrt(ubar / nbar) = 5.24e-300 (ubar / nbar underflowed to 0)');

SELECT * FROM finish();
ROLLBACK;
