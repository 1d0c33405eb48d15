-- pgTAP: qe.spc_constants behaviour and errors.
BEGIN;
SELECT plan(6);

SELECT function_returns('qe', 'spc_constants', ARRAY['bigint'], 'qe.spc_constants');
SELECT volatility_is('qe', 'spc_constants', ARRAY['bigint'], 'immutable');
SELECT throws_ok('SELECT qe.spc_constants(1)', '22023', NULL, 'n = 1 is refused with invalid_parameter_value');
SELECT throws_ok('SELECT qe.spc_constants(-3)', '22023', NULL, 'negative n is refused');
SELECT ok((SELECT bool_and(abs(d2 - (SELECT d2 FROM qe.spc_constants(k))) = 0)
             FROM generate_series(2, 30) k, qe.spc_constants(k)),
          'repeated calls give the same value (memoised per backend)');
-- the range of n normals grows with n: d2 strictly increasing, d3 decreasing from n = 3
SELECT ok((SELECT bool_and(a.d2 < b.d2 AND (a.n < 3 OR a.d3 > b.d3))
             FROM generate_series(2, 60) k,
                  qe.spc_constants(k) a, qe.spc_constants(k + 1) b),
          'd2 increases and d3 decreases with n');

SELECT * FROM finish();
ROLLBACK;
