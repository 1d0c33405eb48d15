-- Control-chart constants for any subgroup size.

CREATE TYPE @extschema@.spc_constants AS (
    n     bigint,
    d2    double precision,
    d3    double precision,
    c4    double precision,
    "A"   double precision,
    "A2"  double precision,
    "A3"  double precision,
    "B3"  double precision,
    "B4"  double precision,
    "B5"  double precision,
    "B6"  double precision,
    "D1"  double precision,
    "D2"  double precision,
    "D3"  double precision,
    "D4"  double precision,
    "E2"  double precision
);
COMMENT ON TYPE @extschema@.spc_constants IS
  'Control-chart constants for one subgroup size: d2, d3, c4 (lower case) and the chart factors A, A2, A3, B3-B6, D1-D4, E2 (quoted upper case, as printed in the tables)';

CREATE FUNCTION @extschema@.spc_constants(n bigint)
RETURNS @extschema@.spc_constants
AS 'MODULE_PATHNAME', 'qe_spc_constants'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spc_constants(bigint) IS
  'Control-chart constants for subgroup size n >= 2, computed (d2, d3 by integrating the range distribution; c4 from the gamma function), not looked up';
