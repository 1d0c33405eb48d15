-- Incoming inspection level by points (seed §5.1) and skip-lot (seed §5.3).

CREATE TYPE @extschema@.inspection_points AS (
    points             integer,  -- total
    supplier_points    integer,  -- supplier history: 0-5
    criticality_points integer,  -- part criticality: 0-5
    regulatory_points  integer,  -- regulatory requirement: 1-5
    history_points     integer,  -- recent quality history (last 6 months): 0-10
    inspection_level   text,     -- 0-3 reduced/skip-lot, 4-7 normal, 8-11 tightened, 12+ 100%
    aql_level          text,     -- Z1.4 inspection level the seed names: II (normal), III (tightened), else NULL
    approach           text      -- the seed's typical approach
);
COMMENT ON TYPE @extschema@.inspection_points IS
  'Incoming inspection points per factor, the total, the inspection level band and its typical approach (seed §5.1)';

CREATE FUNCTION @extschema@.inspection_points(supplier_status text, part_criticality text,
                                              regulatory_requirement text,
                                              supplier_ppm double precision DEFAULT NULL,
                                              ncr_issued boolean DEFAULT false,
                                              customer_complaint boolean DEFAULT false,
                                              scar_open boolean DEFAULT false)
RETURNS @extschema@.inspection_points
AS 'MODULE_PATHNAME', 'qe_smp_inspection_points'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.inspection_points(text, text, text, double precision, boolean, boolean, boolean) IS
  'Incoming inspection level decision matrix: supplier status (new, probation, qualified, preferred; PPM for the last two), part criticality, regulatory requirement, recent NCR / complaint / open SCAR -> points, level and approach';

CREATE TYPE @extschema@.skip_lot_qualification AS (
    qualified        boolean,  -- all six criteria met
    criteria_met     text[],
    criteria_not_met text[]
);
COMMENT ON TYPE @extschema@.skip_lot_qualification IS
  'Skip-lot qualification: whether all six criteria of seed §5.3 are met, and which are and are not';

CREATE FUNCTION @extschema@.skip_lot_qualification(supplier_status text, consecutive_lots_accepted integer,
                                                   supplier_cpk double precision, incoming_cpk double precision,
                                                   open_scars integer, qms_certified boolean,
                                                   written_agreement boolean)
RETURNS @extschema@.skip_lot_qualification
AS 'MODULE_PATHNAME', 'qe_smp_skip_lot_qualification'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.skip_lot_qualification(text, integer, double precision, double precision, integer, boolean, boolean) IS
  'Checks the six skip-lot criteria (ASL status, 10 lots accepted on normal, Cpk >= 1.33 by supplier and incoming data, no open SCAR, certified QMS, written agreement); a NULL input fails its criterion';

CREATE TYPE @extschema@.skip_lot_level AS (
    qualification_level   text,
    inspect_every_nth_lot integer,  -- 2, 3, 5; NULL for CoC reliance
    frequency             text,
    reversion_trigger     text
);
COMMENT ON TYPE @extschema@.skip_lot_level IS
  'A skip-lot qualification level: inspection frequency and reversion trigger (seed §5.3)';

CREATE FUNCTION @extschema@.skip_lot_frequency(qualification_level text)
RETURNS @extschema@.skip_lot_level
AS 'MODULE_PATHNAME', 'qe_smp_skip_lot_frequency'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.skip_lot_frequency(text) IS
  'Inspection frequency and reversion trigger of a skip-lot level: skip-lot 1 (every 2nd lot), 2 (3rd), 3 (5th), coc (CoC review only)';

CREATE FUNCTION @extschema@.skip_lot_reverts(qualification_level text, event text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'qe_smp_skip_lot_reverts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.skip_lot_reverts(text, text) IS
  'Whether an event (lot rejection, cpk below 1.33, cpk concern, quality system change, ncr, customer complaint, audit finding) reverts a skip-lot level to normal inspection';
