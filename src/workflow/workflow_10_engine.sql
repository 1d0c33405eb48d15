-- Workflow engine: workflows as data, enforced by one C trigger function.
--
-- A workflow is a row of qe.workflow, its states rows of qe.workflow_state
-- (initial / terminal, and the column stamped on entry), its allowed moves
-- rows of qe.workflow_transition, each with its gate: the columns that must
-- be filled, the role the user must hold, and an optional check function
-- (jsonb) -> text|boolean.  Admins change behaviour with INSERT/UPDATE here.
--
-- Rows shipped by the extension carry shipped = true and are not dumped
-- (pg_extension_config_dump ... WHERE NOT shipped); editing one clears the
-- flag, and inserting a row whose key matches a still-shipped row replaces
-- it, so a dump restores an admin's edits over the freshly installed rows.

CREATE TABLE @extschema@.workflow (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    description text,
    audit       boolean NOT NULL DEFAULT true,
    shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE @extschema@.workflow IS
  'Workflow definitions (state machines) enforced by qe.enforce_workflow(); audit = false skips the audit trail (not for regulated records); shipped = true marks rows installed by the extension';

CREATE TABLE @extschema@.workflow_state (
    workflow     text NOT NULL REFERENCES @extschema@.workflow (name) ON UPDATE CASCADE ON DELETE CASCADE,
    state        text NOT NULL CHECK (state <> ''),
    is_initial   boolean NOT NULL DEFAULT false,
    is_terminal  boolean NOT NULL DEFAULT false,
    stamp_column text,
    frozen_columns text[],
    sort_order   integer NOT NULL DEFAULT 0,
    description  text,
    shipped      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workflow, state)
);
COMMENT ON TABLE @extschema@.workflow_state IS
  'States of a workflow: a new row must start in an is_initial state; stamp_column (timestamptz, if the table has it) is set to now() on entry and written by the engine only; frozen_columns may not change while a row is in the state';

CREATE TABLE @extschema@.workflow_transition (
    workflow         text NOT NULL,
    from_state       text NOT NULL,
    to_state         text NOT NULL,
    required_columns text[] NOT NULL DEFAULT '{}',
    required_role    name,
    check_function   regprocedure,
    description      text,
    shipped          boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workflow, from_state, to_state),
    FOREIGN KEY (workflow, from_state) REFERENCES @extschema@.workflow_state (workflow, state)
        ON UPDATE CASCADE ON DELETE CASCADE,
    FOREIGN KEY (workflow, to_state) REFERENCES @extschema@.workflow_state (workflow, state)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CHECK (from_state <> to_state),
    CHECK (array_position(required_columns, NULL) IS NULL)
);
COMMENT ON TABLE @extschema@.workflow_transition IS
  'Allowed moves of a workflow and their gates: required_columns non-null in the new row, current_user a member of required_role, check_function(jsonb) returning NULL/true to pass or text saying what is missing';

-- Validate a gate's check function when it is written, not at the first row.
CREATE FUNCTION @extschema@.workflow_transition_validate()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p pg_catalog.pg_proc%ROWTYPE;
BEGIN
    IF NEW.check_function IS NOT NULL THEN
        SELECT * INTO p FROM pg_catalog.pg_proc WHERE oid = NEW.check_function::oid;
        IF p.pronargs <> 1 OR p.proargtypes[0] <> 'jsonb'::regtype
           OR p.prorettype NOT IN ('text'::regtype, 'boolean'::regtype) OR p.proretset
           OR p.prokind <> 'f' THEN
            RAISE EXCEPTION 'check function % must be a function (not an aggregate or procedure) taking (jsonb) and returning text or boolean', NEW.check_function
                USING ERRCODE = 'invalid_function_definition',
                      HINT = 'It receives the new row as jsonb and returns NULL (or true) to pass, or text explaining what is missing.';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@.workflow_transition_validate() IS
  'Trigger: a gate''s check function must be f(jsonb) returning text or boolean';

CREATE TRIGGER workflow_transition_validate
    BEFORE INSERT OR UPDATE OF check_function ON @extschema@.workflow_transition
    FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_transition_validate();

-- An edited shipped row becomes the user's (and is dumped); an inserted row
-- whose key matches a still-shipped row replaces it (this is how a restore
-- puts an admin's edit back over the row CREATE EXTENSION just installed).
CREATE FUNCTION @extschema@.workflow_definition_upsert()
RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.shipped AND NEW.shipped THEN
            NEW.shipped := false;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.shipped THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'workflow' THEN
        UPDATE @extschema@.workflow w SET description = NEW.description, audit = NEW.audit, shipped = false
         WHERE w.name = NEW.name AND w.shipped;
    ELSIF TG_TABLE_NAME = 'workflow_state' THEN
        UPDATE @extschema@.workflow_state s
           SET is_initial = NEW.is_initial, is_terminal = NEW.is_terminal, stamp_column = NEW.stamp_column,
               frozen_columns = NEW.frozen_columns,
               sort_order = NEW.sort_order, description = NEW.description, shipped = false
         WHERE s.workflow = NEW.workflow AND s.state = NEW.state AND s.shipped;
    ELSIF TG_TABLE_NAME = 'disposition_authority' THEN
        UPDATE @extschema@.disposition_authority a SET note = NEW.note, shipped = false
         WHERE a.disposition = NEW.disposition AND a.role = NEW.role AND a.meaning = NEW.meaning
           AND a.shipped;
    ELSE
        UPDATE @extschema@.workflow_transition t
           SET required_columns = NEW.required_columns, required_role = NEW.required_role,
               check_function = NEW.check_function, description = NEW.description, shipped = false
         WHERE t.workflow = NEW.workflow AND t.from_state = NEW.from_state AND t.to_state = NEW.to_state
           AND t.shipped;
    END IF;
    IF FOUND THEN
        RETURN NULL;    -- the shipped row now holds the new values
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@.workflow_definition_upsert() IS
  'Trigger: editing a shipped definition row makes it user data; inserting over a still-shipped row replaces it (restores of dumps)';

CREATE TRIGGER workflow_upsert BEFORE INSERT OR UPDATE ON @extschema@.workflow
    FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_definition_upsert();
CREATE TRIGGER workflow_state_upsert BEFORE INSERT OR UPDATE ON @extschema@.workflow_state
    FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_definition_upsert();
CREATE TRIGGER workflow_transition_upsert BEFORE INSERT OR UPDATE ON @extschema@.workflow_transition
    FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_definition_upsert();

CREATE FUNCTION @extschema@.workflow_definition_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'qe_wf_definition_changed'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.workflow_definition_changed() IS
  'Statement trigger on the definition tables: invalidates every backend''s cached workflow definitions (at commit)';

CREATE TRIGGER workflow_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.workflow_definition_changed();
CREATE TRIGGER workflow_state_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow_state
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.workflow_definition_changed();
CREATE TRIGGER workflow_transition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.workflow_transition
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.workflow_definition_changed();

CREATE FUNCTION @extschema@.enforce_workflow()
RETURNS trigger
AS 'MODULE_PATHNAME', 'qe_wf_enforce_workflow'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.enforce_workflow() IS
  'BEFORE INSERT OR UPDATE FOR EACH ROW trigger: qe.enforce_workflow(''workflow'', ''state_column'' [, ''key_column'' ...]) enforces the workflow''s states, transitions and gates on any table and writes the audit trail';

-- The workflow at a glance: one row per transition with its gate.
CREATE VIEW @extschema@.workflow_graph AS
SELECT t.workflow, t.from_state, t.to_state, t.required_columns, t.required_role,
       t.check_function, f.is_initial AS from_initial, s.is_terminal AS to_terminal, t.description
  FROM @extschema@.workflow_transition t
  JOIN @extschema@.workflow_state f ON f.workflow = t.workflow AND f.state = t.from_state
  JOIN @extschema@.workflow_state s ON s.workflow = t.workflow AND s.state = t.to_state;
COMMENT ON VIEW @extschema@.workflow_graph IS
  'Every transition of every workflow with its gate (columns, role, check function)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow_state', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.workflow_transition', 'WHERE NOT shipped');
