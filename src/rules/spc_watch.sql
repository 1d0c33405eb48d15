-- Real-time signals: limits per characteristic, the signal log, the trigger.

CREATE TABLE @extschema@.spc_limits (
    characteristic text PRIMARY KEY,
    center     double precision NOT NULL
               CHECK (center > '-Infinity' AND center < 'Infinity'),
    sigma      double precision NOT NULL
               CHECK (sigma > 0 AND sigma < 'Infinity'),
    config     @extschema@.rule_config NOT NULL DEFAULT @extschema@.rule_set('nelson')
);
COMMENT ON TABLE @extschema@.spc_limits IS
  'Limits watched by qe.spc_watch: per characteristic the centre line, the sigma of one plotted point ((ucl - center)/3 of a chart) and the tests to run; changing center, sigma or config restarts the runs';

-- The streaming state of each watched characteristic, kept apart from the
-- limits: it is rewritten on every insert, and a table without CHECK
-- constraints, triggers or a unique index keeps that rewrite O(1) even when
-- one transaction inserts many rows (see rules_watch_pg.c).  qe.spc_watch
-- creates the row on a characteristic's first measurement, under a lock on
-- its qe.spc_limits row, so there is one per characteristic.
CREATE TABLE @extschema@.spc_state (
    characteristic text NOT NULL
                   REFERENCES @extschema@.spc_limits ON DELETE CASCADE ON UPDATE CASCADE,
    state          bytea,            -- engine state; NULL = start the runs afresh
    n_points       bigint NOT NULL DEFAULT 0
);
-- Not unique, on purpose: a transaction that inserts many statements'
-- worth of measurements updates each state row once per statement, and
-- once the page is full those updates cannot be HOT (no version of an open
-- transaction can be pruned).  Each then adds an index entry, and a unique
-- index would check every earlier entry of the key against the heap: O(n^2)
-- per transaction (50,000 single-row INSERTs in one transaction took 0.6 ms
-- a row instead of 30 us).  One row per characteristic is kept by the
-- trigger, which creates it under the qe.spc_limits row's lock.
CREATE INDEX spc_state_characteristic_idx ON @extschema@.spc_state (characteristic);
COMMENT ON TABLE @extschema@.spc_state IS
  'Streaming state of the runs of each characteristic watched by qe.spc_watch (maintained by the trigger; set state to NULL to restart the runs), and the number of measurements it has processed';

CREATE TABLE @extschema@.spc_signal (
    signal_id      bigserial PRIMARY KEY,
    characteristic text NOT NULL,
    table_name     text NOT NULL,            -- schema-qualified table the row went into
    row_ref        text,                     -- key column value, or the ctid '(block,offset)'
    test           int NOT NULL CHECK (test BETWEEN 1 AND 8),
    rule           text NOT NULL,            -- qe.rule_names name of the test
    value          double precision NOT NULL,
    t              timestamptz,              -- the time column of the row, if any
    detected_at    timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX spc_signal_characteristic_idx ON @extschema@.spc_signal (characteristic, signal_id);
COMMENT ON TABLE @extschema@.spc_signal IS
  'One row per test failed by a measurement inserted under a qe.spc_watch trigger; a NOTIFY on channel qe_spc_signal announces each failing point';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.spc_limits', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spc_state', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spc_signal', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spc_signal_signal_id_seq', '');

-- A new centre, sigma or rule set starts a new phase of the chart: the runs
-- of the old limits must not continue under the new ones.
CREATE FUNCTION @extschema@._spc_limits_reset()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE @extschema@.spc_state SET state = NULL WHERE characteristic = NEW.characteristic;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._spc_limits_reset() IS
  'Trigger on qe.spc_limits: clears the stored rule state when center, sigma or config change';

CREATE TRIGGER spc_limits_reset
    AFTER UPDATE OF center, sigma, config ON @extschema@.spc_limits
    FOR EACH ROW
    WHEN (OLD.center IS DISTINCT FROM NEW.center OR OLD.sigma IS DISTINCT FROM NEW.sigma
          OR OLD.config IS DISTINCT FROM NEW.config)
    EXECUTE FUNCTION @extschema@._spc_limits_reset();

CREATE FUNCTION @extschema@.spc_watch()
RETURNS trigger
AS 'MODULE_PATHNAME', 'qe_rules_spc_watch'
LANGUAGE C;   -- pins search_path to pg_catalog itself, around the queries it runs (rules_watch_pg.c)
COMMENT ON FUNCTION @extschema@.spc_watch() IS
  'AFTER INSERT FOR EACH ROW trigger: qe.spc_watch(characteristic_column, value_column [, time_column [, key_column]]) runs the tests of qe.spc_limits on each new measurement, logs failures in qe.spc_signal and NOTIFYs channel qe_spc_signal with a JSON payload';
