-- Acceptance sampling, ANSI/ASQ Z1.4 (MIL-STD-105E numbers; ISO 2859-1
-- Tables I, II-A and II-B): single sampling plans.

-- The fixed-width fields come first so that (plan).sample_size, .ac, .re are
-- read at a cached offset.
CREATE TYPE @extschema@.sampling_plan AS (
    lot_size         bigint,   -- lot (batch) size N
    sample_size      integer,  -- units to inspect; = lot_size under 100 % inspection
    ac               integer,  -- acceptance number
    re               integer,  -- rejection number (reduced plans may leave a gap: Ac 1, Re 3)
    full_inspection  boolean,  -- the plan's sample size equals or exceeds the lot: inspect every unit
    code_letter      text,     -- sample-size code letter from Table I
    plan_code_letter text,     -- letter of the plan used after following the arrows
    level            text,     -- inspection level: S-1 .. S-4, I, II, III
    inspection       text,     -- normal, tightened, reduced
    aql              numeric   -- AQL as printed (0.010 .. 1000)
);
COMMENT ON TYPE @extschema@.sampling_plan IS
  'A Z1.4 single sampling plan for one lot: code letter, the plan reached through the arrows (letter, sample size, Ac, Re) and whether it means 100 % inspection';

CREATE FUNCTION @extschema@.aql_plan(lot_size bigint, aql numeric,
                                     level text DEFAULT 'II', inspection text DEFAULT 'normal')
RETURNS @extschema@.sampling_plan
AS 'MODULE_PATHNAME', 'qe_smp_aql_plan_numeric'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.aql_plan(bigint, numeric, text, text) IS
  'Z1.4 / MIL-STD-105E single sampling plan for a lot size, AQL (one of the 26 printed values), inspection level (default II) and inspection (normal, tightened, reduced): arrows followed, 100 % inspection when n >= lot size';

CREATE FUNCTION @extschema@.aql_plan(lot_size bigint, aql text,
                                     level text DEFAULT 'II', inspection text DEFAULT 'normal')
RETURNS @extschema@.sampling_plan
AS 'MODULE_PATHNAME', 'qe_smp_aql_plan_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.aql_plan(bigint, text, text, text) IS
  'qe.aql_plan with the AQL written as text (''0.65'', ''1.0'', ''1'' all name the same column); same result as the numeric form';

CREATE FUNCTION @extschema@.lot_decision(plan @extschema@.sampling_plan, defects_found bigint)
RETURNS text
AS 'MODULE_PATHNAME', 'qe_smp_lot_decision'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lot_decision(@extschema@.sampling_plan, bigint) IS
  'Lot disposition under a plan: accept (d <= Ac), reject (d >= Re), or, between them on a reduced gap plan, ''accept and return to normal inspection''';
