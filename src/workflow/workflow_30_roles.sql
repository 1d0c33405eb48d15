-- Roles of the quality organisation (NOLOGIN; sites GRANT them to users).
-- Roles are cluster-wide: create each one only if it is missing, so the
-- extension installs in a second database of the same cluster.  DROP
-- EXTENSION leaves them (other databases may use them).
--
--   qe_viewer            read everything
--   qe_inspector         raise NCRs, record containment and measurements     (member of qe_viewer)
--   qe_engineer          quality engineer: scrap / rework / RTV authority      (member of qe_inspector)
--   qe_mrb               material review board: repair, use-as-is with DA      (member of qe_engineer)
--   qe_design_authority  design authority: co-approves use-as-is             (member of qe_viewer)
--   qe_admin             maintains workflow definitions and authority rules   (member of qe_viewer)
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['qe_viewer', 'qe_inspector', 'qe_engineer', 'qe_mrb',
                             'qe_design_authority', 'qe_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- memberships (GRANT of an existing membership is a no-op notice)
    SET LOCAL client_min_messages = warning;
    GRANT qe_viewer TO qe_inspector;
    GRANT qe_inspector TO qe_engineer;
    GRANT qe_engineer TO qe_mrb;
    GRANT qe_viewer TO qe_design_authority;
    GRANT qe_viewer TO qe_admin;
END
$roles$;

-- Anyone who updates a table under a workflow (an ERP user who holds no qe
-- role, say) runs the trigger, which reads the definitions and calls
-- qe.audit_hash: the schema and the (non-secret) definitions are public.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON @extschema@.workflow, @extschema@.workflow_state, @extschema@.workflow_transition,
                @extschema@.workflow_graph TO PUBLIC;
GRANT SELECT ON @extschema@.audit_trail, @extschema@.signature TO qe_viewer;
GRANT INSERT, UPDATE, DELETE ON @extschema@.workflow, @extschema@.workflow_state,
                                @extschema@.workflow_transition TO qe_admin;
-- SPC signals (qe.spc_watch): everyone in the quality organisation reads the
-- limits, states and signals; whoever records measurements into a watched
-- table needs what the trigger does on their behalf (read the limits, lock
-- and write the state, record signals); engineers set the limits.
GRANT SELECT ON @extschema@.spc_limits, @extschema@.spc_state, @extschema@.spc_signal TO qe_viewer;
GRANT INSERT, UPDATE ON @extschema@.spc_state TO qe_inspector;
GRANT INSERT ON @extschema@.spc_signal TO qe_inspector;
GRANT INSERT, UPDATE, DELETE ON @extschema@.spc_limits TO qe_engineer;
