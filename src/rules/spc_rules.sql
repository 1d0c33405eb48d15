-- Tests for special causes (Nelson / Minitab numbering, Western Electric):
-- streaming window functions, the report aggregate and the catalogue.

-- ------------------------------------------------------------ configuration

CREATE TYPE @extschema@.rule_config AS (
    tests int,   -- enabled tests as a bit set (bit i-1 = test i)
    k1 int,      -- test 1: 1 point beyond k1 sigma             (3;  1..6)
    k2 int,      -- test 2: k2 in a row on one side             (9;  7..11)
    k3 int,      -- test 3: k3 in a row up or down              (6;  5..8)
    k4 int,      -- test 4: k4 in a row alternating             (14; 12..14)
    k5 int,      -- test 5: k5 of k5+1 beyond 2 sigma, same side (2;  2..4)
    k6 int,      -- test 6: k6 of k6+1 beyond 1 sigma, same side (4;  3..6)
    k7 int,      -- test 7: k7 in a row within 1 sigma          (15; 12..15)
    k8 int       -- test 8: k8 in a row beyond 1 sigma          (8;  6..10)
);
COMMENT ON TYPE @extschema@.rule_config IS
  'Which tests for special causes run and their K values; build it with qe.rule_config(...) or qe.rule_set(name)';

CREATE FUNCTION @extschema@.rule_config(
    tests int[] DEFAULT '{1,2,3,4,5,6,7,8}',
    k1 int DEFAULT 3, k2 int DEFAULT 9, k3 int DEFAULT 6, k4 int DEFAULT 14,
    k5 int DEFAULT 2, k6 int DEFAULT 4, k7 int DEFAULT 15, k8 int DEFAULT 8)
RETURNS @extschema@.rule_config
AS 'MODULE_PATHNAME', 'qe_rules_config'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rule_config(int[], int, int, int, int, int, int, int, int) IS
  'A rule configuration: the tests to run (numbers 1 to 8) and K of each test, validated against Minitab''s ranges; e.g. qe.rule_config(tests => ''{1,2,3,4}'', k2 => 7)';

CREATE FUNCTION @extschema@.rule_set(name text)
RETURNS @extschema@.rule_config
AS 'MODULE_PATHNAME', 'qe_rules_set'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rule_set(text) IS
  'Named rule sets: ''nelson'' (all eight tests, default K), ''western_electric'' (WE rules 1-4 = tests 1, 5, 6 and test 2 with K = 8), ''attribute'' (tests 1 to 4, as seed section 4.2 and Minitab''s attribute charts)';

-- --------------------------------------------------------- window functions

CREATE FUNCTION @extschema@.spc_rules(value double precision, center double precision,
                                      sigma double precision)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_sigma'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, double precision, double precision) IS
  'Window function: the tests for special causes (all eight, default K) that this row completes, as a bit set (bit i-1 = test i); the window ORDER BY is the chart order; NULL value gives NULL and leaves the runs untouched';

CREATE FUNCTION @extschema@.spc_rules(value double precision, center double precision,
                                      sigma double precision, config @extschema@.rule_config)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_sigma'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, double precision, double precision, @extschema@.rule_config) IS
  'Window function: the tests of config that this row completes, as a bit set (bit i-1 = test i); config is read from the first row of each partition';

CREATE FUNCTION @extschema@.spc_rules(value double precision, lcl double precision,
                                      center double precision, ucl double precision)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_limits'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, double precision, double precision, double precision) IS
  'Window function for per-point limits (p and u charts with variable n): sigma of each point = (ucl - center)/3; test 1 = beyond the row''s own lcl/ucl; bit i-1 = test i';

CREATE FUNCTION @extschema@.spc_rules(value double precision, lcl double precision,
                                      center double precision, ucl double precision,
                                      config @extschema@.rule_config)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_limits'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, double precision, double precision, double precision, @extschema@.rule_config) IS
  'Window function for per-point limits with a rule configuration (read from the first row of each partition)';

CREATE FUNCTION @extschema@.spc_rules(value double precision, limits @extschema@.control_limits)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_cl'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, @extschema@.control_limits) IS
  'Window function over the limits of a control-limit aggregate: zones from (ucl - center)/3, test 1 = beyond lcl/ucl; bit i-1 = test i';

CREATE FUNCTION @extschema@.spc_rules(value double precision, limits @extschema@.control_limits,
                                      config @extschema@.rule_config)
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_window_cl'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_rules(double precision, @extschema@.control_limits, @extschema@.rule_config) IS
  'Window function over the limits of a control-limit aggregate, with a rule configuration';

-- ----------------------------------------------------------- names and bits

CREATE FUNCTION @extschema@.rule_names(bits int)
RETURNS text[]
AS 'MODULE_PATHNAME', 'qe_rules_names'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rule_names(int) IS
  'Names of the tests in a bit set, in test order: beyond_limits, run, trend, alternating, zone_a, zone_b, stratification, mixture';

CREATE FUNCTION @extschema@.rule_bits(names text[])
RETURNS int
AS 'MODULE_PATHNAME', 'qe_rules_bits'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rule_bits(text[]) IS
  'The bit set of tests given by name or number (''trend'' or ''3''); the reverse of qe.rule_names';

CREATE VIEW @extschema@.spc_tests (test, bit, name, definition, default_k, k_min, k_max, western_electric_rule) AS
VALUES
  (1, 1,   'beyond_limits',  '1 point more than K sigma from the centre line',                      3,  1, 6,  1),
  (2, 2,   'run',            'K points in a row on the same side of the centre line',               9,  7, 11, 4),
  (3, 4,   'trend',          'K points in a row, all increasing or all decreasing',                 6,  5, 8,  NULL),
  (4, 8,   'alternating',    'K points in a row, alternating up and down',                          14, 12, 14, NULL),
  (5, 16,  'zone_a',         'K out of K+1 points more than 2 sigma from the centre line, same side', 2, 2, 4,  2),
  (6, 32,  'zone_b',         'K out of K+1 points more than 1 sigma from the centre line, same side', 4, 3, 6,  3),
  (7, 64,  'stratification', 'K points in a row within 1 sigma of the centre line, either side',    15, 12, 15, NULL),
  (8, 128, 'mixture',        'K points in a row more than 1 sigma from the centre line, either side', 8, 6, 10, NULL);
COMMENT ON VIEW @extschema@.spc_tests IS
  'The eight tests for special causes: number, bit value, name, definition, default K and Minitab''s allowed range, and the Western Electric rule each one implements (WE rule 4 = test 2 with K = 8)';

-- -------------------------------------------------------- report aggregate

CREATE TYPE @extschema@.rule_violation AS (
    t     timestamptz,
    value double precision,
    bits  int
);
COMMENT ON TYPE @extschema@.rule_violation IS
  'One violating point returned by qe.rule_violations: its time, value and the tests it fails (bit i-1 = test i)';

CREATE FUNCTION @extschema@._rule_violations_trans(internal, double precision, timestamptz,
                                                   double precision, double precision)
RETURNS internal
AS 'MODULE_PATHNAME', 'qe_rules_viol_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_trans(internal, double precision, timestamptz, double precision, double precision) IS
  'Transition function of qe.rule_violations (collects the points)';

CREATE FUNCTION @extschema@._rule_violations_trans(internal, double precision, timestamptz,
                                                   double precision, double precision,
                                                   @extschema@.rule_config)
RETURNS internal
AS 'MODULE_PATHNAME', 'qe_rules_viol_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_trans(internal, double precision, timestamptz, double precision, double precision, @extschema@.rule_config) IS
  'Transition function of qe.rule_violations with a rule configuration';

CREATE FUNCTION @extschema@._rule_violations_final(internal)
RETURNS @extschema@.rule_violation[]
AS 'MODULE_PATHNAME', 'qe_rules_viol_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_final(internal) IS
  'Final function of qe.rule_violations (sorts by t, runs the tests)';

CREATE FUNCTION @extschema@._rule_violations_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'qe_rules_viol_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_combine(internal, internal) IS
  'Combine function of qe.rule_violations (concatenates partial states; the final function sorts)';

CREATE FUNCTION @extschema@._rule_violations_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'qe_rules_viol_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_serial(internal) IS
  'Serialisation function of qe.rule_violations';

CREATE FUNCTION @extschema@._rule_violations_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'qe_rules_viol_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._rule_violations_deserial(bytea, internal) IS
  'Deserialisation function of qe.rule_violations (validates every field)';

CREATE AGGREGATE @extschema@.rule_violations(value double precision, t timestamptz,
                                             center double precision, sigma double precision) (
    SFUNC = @extschema@._rule_violations_trans,
    STYPE = internal,
    FINALFUNC = @extschema@._rule_violations_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@._rule_violations_combine,
    SERIALFUNC = @extschema@._rule_violations_serial,
    DESERIALFUNC = @extschema@._rule_violations_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rule_violations(double precision, timestamptz, double precision, double precision) IS
  'The points of a chart that fail a test for special causes (all eight, default K), ordered by t inside the aggregate: qe.rule_violation[] of (t, value, bits); NULL values skipped, equal t is an error';

CREATE AGGREGATE @extschema@.rule_violations(value double precision, t timestamptz,
                                             center double precision, sigma double precision,
                                             config @extschema@.rule_config) (
    SFUNC = @extschema@._rule_violations_trans,
    STYPE = internal,
    FINALFUNC = @extschema@._rule_violations_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@._rule_violations_combine,
    SERIALFUNC = @extschema@._rule_violations_serial,
    DESERIALFUNC = @extschema@._rule_violations_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rule_violations(double precision, timestamptz, double precision, double precision, @extschema@.rule_config) IS
  'The points of a chart that fail the tests of config, ordered by t inside the aggregate: qe.rule_violation[] of (t, value, bits)';

CREATE FUNCTION @extschema@.violation_rows(violations @extschema@.rule_violation[])
RETURNS TABLE (t timestamptz, value double precision, bits int, rules text[])
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT v.t, v.value, v.bits, @extschema@.rule_names(v.bits)
    FROM pg_catalog.unnest(violations) WITH ORDINALITY AS v(t, value, bits, ord)
   ORDER BY v.ord;
END;
COMMENT ON FUNCTION @extschema@.violation_rows(@extschema@.rule_violation[]) IS
  'Unnests the result of qe.rule_violations into rows (t, value, bits, rule names), in t order';
