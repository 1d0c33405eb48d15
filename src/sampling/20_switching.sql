-- Switching rules over a supplier / part's lot history (Z1.4 §8.3-8.4,
-- MIL-STD-105E §4.7-4.8, optionally ISO 2859-1's switching score).

CREATE TYPE @extschema@.inspection_state AS (
    severity                  text,    -- in force for the next lot: normal, tightened, reduced, discontinued
    last_lot_severity         text,    -- severity the last lot counted was inspected under (NULL: no lot yet)
    lots                      bigint,  -- lots counted
    lots_in_severity          bigint,  -- lots inspected under the current severity since it began
    consecutive_accepted      integer, -- consecutive lots accepted under the current severity
    not_accepted_in_last_5    integer, -- normal: lots not accepted among the last (up to) 5 on normal; 2 -> tightened
    not_accepted_on_tightened integer, -- tightened: lots not accepted since tightened began; discontinue_after -> discontinued
    switching_score           integer, -- ISO 2859-1 switching score on normal (needs counts); 30 -> reduced under iso rules
    last_switch               text,    -- the rule that made the last switch, in the standard's words
    last_switch_lot           bigint   -- ordinal (1-based) of the lot after which it switched
);
COMMENT ON TYPE @extschema@.inspection_state IS
  'Inspection severity in force (normal, tightened, reduced, discontinued) after a sequence of lots, with the counters that drive the next switch';

CREATE FUNCTION @extschema@._smp_inspection_state_step(internal, boolean)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_step(internal, boolean) IS
  'Transition function of qe.inspection_state(boolean)';

CREATE FUNCTION @extschema@._smp_inspection_state_step(internal, boolean, bigint, integer, boolean, boolean)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_step(internal, boolean, bigint, integer, boolean, boolean) IS
  'Transition function of qe.inspection_state(boolean, bigint, integer, boolean, boolean)';

CREATE FUNCTION @extschema@._smp_inspection_state_step(internal, boolean, bigint, integer, boolean, boolean, text, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_step(internal, boolean, bigint, integer, boolean, boolean, text, integer) IS
  'Transition function of qe.inspection_state(boolean, bigint, integer, boolean, boolean, text, integer)';

CREATE FUNCTION @extschema@._smp_inspection_state_final(internal)
RETURNS @extschema@.inspection_state AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_final(internal) IS
  'Final function of qe.inspection_state: reads the state without changing it (safe to call after every row of a window)';

CREATE AGGREGATE @extschema@.inspection_state(lot_accepted boolean) (
    SFUNC = @extschema@._smp_inspection_state_step,
    STYPE = internal,
    FINALFUNC = @extschema@._smp_inspection_state_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.inspection_state(boolean) IS
  'Z1.4 switching state after the lots, in order (use ORDER BY received_at, or OVER (... ORDER BY received_at)): normal/tightened/discontinued; reduced needs the five-argument form with production steady and approval';

CREATE AGGREGATE @extschema@.inspection_state(lot_accepted boolean, defects_found bigint, acceptance_number integer,
                                              production_steady boolean, reduced_approved boolean) (
    SFUNC = @extschema@._smp_inspection_state_step,
    STYPE = internal,
    FINALFUNC = @extschema@._smp_inspection_state_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.inspection_state(boolean, bigint, integer, boolean, boolean) IS
  'Z1.4 switching state with the reduced-inspection conditions (production steady, approved by the responsible authority) and the reduced gap rule (defects found vs the plan''s Ac); discontinuation after 5 lots not accepted on tightened';

CREATE AGGREGATE @extschema@.inspection_state(lot_accepted boolean, defects_found bigint, acceptance_number integer,
                                              production_steady boolean, reduced_approved boolean,
                                              rules text, discontinue_after integer) (
    SFUNC = @extschema@._smp_inspection_state_step,
    STYPE = internal,
    FINALFUNC = @extschema@._smp_inspection_state_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.inspection_state(boolean, bigint, integer, boolean, boolean, text, integer) IS
  'Switching state with the rules named: ''z1.4'' (105E / Z1.4-2003: 10 lots accepted) or ''iso2859-1'' (switching score >= 30), and the count of lots not accepted on tightened that discontinues inspection (5 by the current editions, 10 in Z1.4-1993)';

-- The self-ordering form: the receipt time is an argument, so no ORDER BY is
-- needed and the planner may hash the groups.  Lots are kept (9 bytes each, 17
-- with defects and Ac, 32 if rules / discontinue_after vary) and replayed in received_at order when they did not arrive in that order
-- (ties keep their arrival order).  For a window over many lots prefer the
-- forms above with OVER (... ORDER BY received_at): their state is O(1).
CREATE FUNCTION @extschema@._smp_inspection_state_ts_step(internal, timestamptz, boolean)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_ts_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_ts_step(internal, timestamptz, boolean) IS
  'Transition function of qe.inspection_state(timestamptz, boolean)';

CREATE FUNCTION @extschema@._smp_inspection_state_ts_step(internal, timestamptz, boolean, bigint, integer,
                                                          boolean, boolean, text, integer)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_ts_step'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_ts_step(internal, timestamptz, boolean, bigint, integer, boolean, boolean, text, integer) IS
  'Transition function of qe.inspection_state(timestamptz, boolean, bigint, integer, boolean, boolean, text, integer)';

CREATE FUNCTION @extschema@._smp_inspection_state_ts_final(internal)
RETURNS @extschema@.inspection_state AS 'MODULE_PATHNAME', 'qe_smp_inspection_state_ts_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._smp_inspection_state_ts_final(internal) IS
  'Final function of the self-ordering qe.inspection_state: steps the switching rules over the kept lots, on from its previous call while they came in time order, else sorted on a copy; the lots it reads never change';

CREATE AGGREGATE @extschema@.inspection_state(received_at timestamptz, lot_accepted boolean) (
    SFUNC = @extschema@._smp_inspection_state_ts_step,
    STYPE = internal,
    SSPACE = 3200,
    FINALFUNC = @extschema@._smp_inspection_state_ts_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.inspection_state(timestamptz, boolean) IS
  'Z1.4 switching state after the lots taken in received_at order, whatever order they arrive in (no ORDER BY needed: GROUP BY can hash)';

CREATE AGGREGATE @extschema@.inspection_state(received_at timestamptz, lot_accepted boolean, defects_found bigint,
                                              acceptance_number integer, production_steady boolean,
                                              reduced_approved boolean, rules text, discontinue_after integer) (
    SFUNC = @extschema@._smp_inspection_state_ts_step,
    STYPE = internal,
    SSPACE = 3200,
    FINALFUNC = @extschema@._smp_inspection_state_ts_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.inspection_state(timestamptz, boolean, bigint, integer, boolean, boolean, text, integer) IS
  'Switching state with every condition and option (as the seven-argument form), lots taken in received_at order whatever order they arrive in';
