-- Our own quality records: NCR and CAPA, with the light reference tables an
-- ERP maps onto (supplier, part, lot), under the same workflow engine.

CREATE TABLE @extschema@.supplier (
    supplier_code text PRIMARY KEY,
    name          text NOT NULL,
    approved      boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE @extschema@.supplier IS
  'Suppliers (light reference table; map an ERP''s vendor master onto it or replace it)';

CREATE TABLE @extschema@.part (
    part_number     text NOT NULL,
    revision        text NOT NULL,
    description     text,
    safety_critical boolean NOT NULL DEFAULT false,
    key_characteristics boolean NOT NULL DEFAULT false,
    PRIMARY KEY (part_number, revision)
);
COMMENT ON TABLE @extschema@.part IS
  'Parts by number and revision; safety_critical drives the MRB risk-assessment requirement and agenda priority';

CREATE TABLE @extschema@.lot (
    lot_number    text PRIMARY KEY,
    part_number   text NOT NULL,
    revision      text NOT NULL,
    supplier_code text REFERENCES @extschema@.supplier,
    quantity      numeric CHECK (quantity >= 0),
    received_at   timestamptz,
    FOREIGN KEY (part_number, revision) REFERENCES @extschema@.part
);
COMMENT ON TABLE @extschema@.lot IS
  'Lots (batches) of a part revision, optionally from a supplier';

CREATE SEQUENCE @extschema@.capa_number_seq;
COMMENT ON SEQUENCE @extschema@.capa_number_seq IS 'Numbers CAPA-000001, CAPA-000002, ...';

CREATE TABLE @extschema@.capa (
    id                     bigserial PRIMARY KEY,
    capa_number            text NOT NULL UNIQUE
                           DEFAULT 'CAPA-' || lpad(nextval('@extschema@.capa_number_seq')::text, 6, '0'),
    status                 text NOT NULL DEFAULT 'initiated',
    title                  text NOT NULL,
    source                 text CHECK (source IN ('repeat_nonconformance', 'customer_complaint', 'audit_finding',
                                                  'field_failure', 'spc_trend', 'regulatory_change',
                                                  'post_market_surveillance', 'other')),
    part_number            text,
    failure_mode           text,
    problem_statement      text,
    owner                  text,
    root_cause             text,
    root_cause_method      text,
    action_plan            text,
    action_rank            integer CHECK (action_rank BETWEEN 1 AND 6),
    action_rank_justification text,
    implementation_evidence text,
    effectiveness_criteria text,
    effectiveness_result   text CHECK (effectiveness_result IN ('effective', 'improving', 'not_effective')),
    recurrence_count       integer NOT NULL DEFAULT 0,
    reopen_reason          text,
    cancel_reason          text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    initiated_at           timestamptz,
    investigation_at       timestamptz,
    action_plan_at         timestamptz,
    implementation_at      timestamptz,
    verification_started_at timestamptz,
    closed_at              timestamptz,
    reopened_at            timestamptz,
    cancelled_at           timestamptz
);
COMMENT ON TABLE @extschema@.capa IS
  'Corrective and preventive actions (seed section 3) under workflow ''capa''; a recurrence reopens the same CAPA (qe.capa_record_recurrence), never a new one';
-- Seed section 3.3: "Recurrence during monitoring: Reopen CAPA; do NOT close and
-- open new CAPA for same issue" -- one live CAPA per part and failure mode.
CREATE UNIQUE INDEX capa_one_per_failure_mode ON @extschema@.capa (part_number, failure_mode)
    WHERE status <> 'cancelled' AND failure_mode IS NOT NULL;

CREATE SEQUENCE @extschema@.ncr_number_seq;
COMMENT ON SEQUENCE @extschema@.ncr_number_seq IS 'Numbers NCR-000001, NCR-000002, ...';

CREATE TABLE @extschema@.ncr (
    id                     bigserial PRIMARY KEY,
    ncr_number             text NOT NULL UNIQUE
                           DEFAULT 'NCR-' || lpad(nextval('@extschema@.ncr_number_seq')::text, 6, '0'),
    status                 text NOT NULL DEFAULT 'draft',
    description            text,
    regime                 text NOT NULL DEFAULT 'general'
                           CHECK (regime IN ('general', 'fda', 'iatf', 'as9100')),
    part_number            text,
    part_revision          text,
    lot_number             text REFERENCES @extschema@.lot,
    supplier_code          text REFERENCES @extschema@.supplier,
    quantity               numeric CHECK (quantity > 0),
    detected_by            text,
    safety_related         boolean NOT NULL DEFAULT false,
    production_blocking    boolean NOT NULL DEFAULT false,
    spec_violated          text,
    measurement_data       jsonb,
    photos_applicable      boolean NOT NULL DEFAULT false,
    photo_refs             text[],
    containment_action     text,
    disposition            text CHECK (disposition IN ('scrap', 'rework', 'repair', 'use_as_is',
                                                       'return_to_vendor', 'sort_and_use', 'quarantine')),
    disposition_rationale  text,
    engineering_justification text,
    risk_assessment        text,
    customer_approval_required boolean NOT NULL DEFAULT false,
    customer_approval_ref  text,
    cost_impact            numeric,
    capa_required          boolean NOT NULL DEFAULT false,
    capa_id                bigint REFERENCES @extschema@.capa,
    implementation_notes   text,
    verification_notes     text,
    cancel_reason          text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    opened_at              timestamptz,
    contained_at           timestamptz,
    mrb_review_at          timestamptz,
    dispositioned_at       timestamptz,
    implemented_at         timestamptz,
    verified_at            timestamptz,
    closed_at              timestamptz,
    cancelled_at           timestamptz,
    FOREIGN KEY (part_number, part_revision) REFERENCES @extschema@.part
);
COMMENT ON TABLE @extschema@.ncr IS
  'Non-conformance reports under workflow ''ncr'': draft, open, containment, mrb_review, dispositioned, disposition_implemented, verified, closed (or cancelled); entry times stamped by the engine';

-- Disposition authority (seed 1.2 matrix; 1.3/1.4 add customer approval, see
-- qe.ncr_mrb_missing): the approved signatures a disposition needs.
CREATE TABLE @extschema@.disposition_authority (
    disposition text NOT NULL,
    role        name NOT NULL,
    meaning     text NOT NULL DEFAULT 'approved' CHECK (meaning IN ('authored', 'reviewed', 'approved')),
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (disposition, role, meaning)
);
COMMENT ON TABLE @extschema@.disposition_authority IS
  'Who must sign a disposition: for each disposition, a signature with this meaning by a member of each listed role (seed 1.2 authority matrix); admins add rows to tighten';

INSERT INTO @extschema@.disposition_authority (disposition, role, meaning, note, shipped) VALUES
  ('scrap',            'qe_engineer',         'approved', 'Seed 1.2: Scrap - Quality Engineer or above; documented with lot traceability', true),
  ('rework',           'qe_engineer',         'approved', 'Seed 1.2: Rework - Quality Engineer + Manufacturing Engineering; approved rework procedure, re-inspect to original spec', true),
  ('repair',           'qe_mrb',              'approved', 'Seed 1.2: Repair - MRB (Quality + Engineering + Manufacturing); risk assessment per ISO 14971', true),
  ('use_as_is',        'qe_mrb',              'approved', 'Seed 1.2: Use-As-Is - MRB + Design Authority; risk assessment, documented justification', true),
  ('use_as_is',        'qe_design_authority', 'approved', 'Seed 1.2: Use-As-Is - MRB + Design Authority', true),
  ('return_to_vendor', 'qe_engineer',         'approved', 'Seed 1.2: RTV - Quality Engineer + Procurement; SCAR required', true),
  ('sort_and_use',     'qe_engineer',         'approved', 'Seed 1.1: supplier-caused, needed immediately: sort/rework at supplier''s cost + SCAR + debit memo', true),
  ('quarantine',       'qe_engineer',         'approved', 'Seed 1.4: suspect counterfeit material quarantined and retained as evidence, not returned to the supplier', true);

-- Seed 8.2 "MRB Documentation Requirements", 1.1-1.4: what an NCR still
-- lacks before its disposition can be approved (empty array: nothing).
CREATE FUNCTION @extschema@.ncr_mrb_missing(n @extschema@.ncr)
RETURNS text[] LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    miss text[] := '{}';
    a record;
    customer_approval boolean;
BEGIN
    IF n.ncr_number IS NULL OR n.description IS NULL THEN
        miss := miss || text 'NCR number and description';
    END IF;
    IF n.part_number IS NULL OR n.part_revision IS NULL OR n.quantity IS NULL THEN
        miss := miss || text 'part number, revision and quantity';
    END IF;
    IF n.spec_violated IS NULL THEN
        miss := miss || text 'specification violated (clause, dimension, requirement)';
    END IF;
    IF n.measurement_data IS NULL THEN
        miss := miss || text 'measurement data (actuals vs. tolerances)';
    END IF;
    IF n.photos_applicable AND coalesce(cardinality(n.photo_refs), 0) = 0 THEN
        miss := miss || text 'photographs';
    END IF;
    IF n.disposition IS NULL THEN
        miss := miss || text 'disposition decision';
    END IF;
    IF n.disposition IN ('use_as_is', 'repair') AND n.engineering_justification IS NULL THEN
        miss := miss || text 'engineering justification (use-as-is or repair)';
    END IF;
    -- risk assessment: safety-related items (8.2); repair and use-as-is under
    -- 21 CFR 820 / ISO 13485 (1.2 matrix: "Risk assessment per ISO 14971")
    IF (n.safety_related OR (n.regime = 'fda' AND n.disposition IN ('repair', 'use_as_is')))
       AND n.risk_assessment IS NULL THEN
        miss := miss || text 'risk assessment';
    END IF;
    -- customer approval: where the contract requires it; AS9100 use-as-is and
    -- repair always (1.4, AS9100 8.7.1); IATF use-as-is needs a customer
    -- deviation (1.3); safety-critical use-as-is needs regulatory/customer approval (1.1)
    customer_approval := n.customer_approval_required
        OR (n.regime = 'as9100' AND n.disposition IN ('use_as_is', 'repair'))
        OR (n.regime = 'iatf' AND n.disposition = 'use_as_is')
        OR (n.safety_related AND n.disposition = 'use_as_is');
    IF customer_approval AND n.customer_approval_ref IS NULL THEN
        miss := miss || text 'customer approval reference';
    END IF;
    IF n.cost_impact IS NULL THEN
        miss := miss || text 'cost impact';
    END IF;
    IF n.capa_required AND n.capa_id IS NULL THEN
        miss := miss || text 'CAPA reference';
    END IF;
    IF n.disposition IS NOT NULL THEN
        FOR a IN SELECT d.role, d.meaning FROM @extschema@.disposition_authority d
                  WHERE d.disposition = n.disposition ORDER BY d.role, d.meaning LOOP
            IF NOT EXISTS (SELECT 1 FROM @extschema@.signature s
                            WHERE s.table_name = 'qe.ncr' AND s.row_key = n.id::text
                              AND s.meaning = a.meaning AND s.signed_as = a.role
                              AND @extschema@.signature_is_valid(s)) THEN
                miss := miss || format('%s signature by a member of %s', a.meaning, a.role);
            END IF;
        END LOOP;
    END IF;
    RETURN miss;
END $$;
COMMENT ON FUNCTION @extschema@.ncr_mrb_missing(@extschema@.ncr) IS
  'What an NCR still lacks before MRB can approve its disposition (seed 8.2 documentation, 1.2-1.4 approvals, signatures of qe.disposition_authority); empty when complete';

CREATE FUNCTION @extschema@.ncr_mrb_gate(new_row jsonb)
RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN cardinality(m) = 0 THEN NULL ELSE array_to_string(m, '; ') END
      FROM (SELECT @extschema@.ncr_mrb_missing(jsonb_populate_record(NULL::@extschema@.ncr, new_row)) AS m) x
$$;
COMMENT ON FUNCTION @extschema@.ncr_mrb_gate(jsonb) IS
  'Gate of ncr mrb_review -> dispositioned: NULL when qe.ncr_mrb_missing is empty, else the list of what is missing';

CREATE FUNCTION @extschema@.ncr_close_gate(new_row jsonb)
RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN (new_row->>'capa_required')::boolean AND new_row->>'capa_id' IS NULL
                THEN 'CAPA reference (capa_required is set)' END
$$;
COMMENT ON FUNCTION @extschema@.ncr_close_gate(jsonb) IS
  'Gate of ncr verified -> closed: an NCR that requires a CAPA names it';

-- Seed 3.2: "Training alone is never an adequate corrective action for a
-- significant non-conformance"; ranks 5-6 need a reason why 1-4 is infeasible.
CREATE FUNCTION @extschema@.capa_plan_gate(new_row jsonb)
RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN (new_row->>'action_rank')::int >= 5 AND new_row->>'action_rank_justification' IS NULL
                THEN format('action_rank_justification: rank %s (%s) is accepted only with the reason a rank 1-4 action (elimination, substitution, poka-yoke, automated detection) is not feasible',
                            new_row->>'action_rank',
                            CASE (new_row->>'action_rank')::int WHEN 5 THEN 'administrative control' ELSE 'training' END) END
$$;
COMMENT ON FUNCTION @extschema@.capa_plan_gate(jsonb) IS
  'Gate of capa action_plan -> implementation: administrative (5) or training (6) actions need a justification (seed 3.2 action hierarchy)';

CREATE FUNCTION @extschema@.capa_close_gate(new_row jsonb)
RETURNS text LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN new_row->>'effectiveness_result' IS DISTINCT FROM 'effective'
                THEN format('effectiveness_result = effective (got %s): seed 3.3 closes a CAPA only when phase 2 pass criteria are met; improving -> extend monitoring, not effective -> reopen',
                            coalesce(new_row->>'effectiveness_result', 'NULL')) END
$$;
COMMENT ON FUNCTION @extschema@.capa_close_gate(jsonb) IS
  'Gate of capa effectiveness_verification -> closed: the effectiveness verification passed (seed 3.3 phase 3)';

-- Workflow definitions -------------------------------------------------------

INSERT INTO @extschema@.workflow (name, description, shipped) VALUES
  ('ncr',  'Non-conformance report: raise, contain, MRB review, disposition, implement, verify, close', true),
  ('capa', 'Corrective and preventive action: seed section 3 (initiation, investigation, action plan, implementation, effectiveness verification, closure, reopen on recurrence)', true);

-- From dispositioned on, the disposition the MRB approved (and what its gate
-- checked) is frozen: an UPDATE that leaves the state alone cannot change it.
INSERT INTO @extschema@.workflow_state (workflow, state, is_initial, is_terminal, stamp_column, frozen_columns, sort_order, description, shipped) VALUES
  ('ncr', 'draft',                   true,  false, NULL, NULL,               10, 'Being written, not yet a controlled record', true),
  ('ncr', 'open',                    true,  false, 'opened_at', NULL,        20, 'Raised: the non-conformance is documented', true),
  ('ncr', 'containment',             false, false, 'contained_at', NULL,     30, 'Suspect material segregated / quarantined', true),
  ('ncr', 'mrb_review',              false, false, 'mrb_review_at', NULL,    40, 'Pending Material Review Board disposition', true),
  ('ncr', 'dispositioned',           false, false, 'dispositioned_at', '{disposition,disposition_rationale,engineering_justification,risk_assessment,customer_approval_required,customer_approval_ref}', 50, 'Disposition approved by the required authority', true),
  ('ncr', 'disposition_implemented', false, false, 'implemented_at', '{disposition,disposition_rationale,engineering_justification,risk_assessment,customer_approval_required,customer_approval_ref}',   60, 'Disposition carried out (scrapped, reworked, returned ...)', true),
  ('ncr', 'verified',                false, false, 'verified_at', '{disposition,disposition_rationale,engineering_justification,risk_assessment,customer_approval_required,customer_approval_ref}',      70, 'Implementation verified (re-inspection, destruction record ...)', true),
  ('ncr', 'closed',                  false, true,  'closed_at', '{disposition,disposition_rationale,engineering_justification,risk_assessment,customer_approval_required,customer_approval_ref}',        80, 'Closed', true),
  ('ncr', 'cancelled',               false, true,  'cancelled_at', NULL,     90, 'Cancelled (raised in error or duplicate)', true),
  ('capa', 'initiated',                  true,  false, 'initiated_at', NULL,            10, 'Initiated and assigned (seed 3.4: within 5 business days of trigger)', true),
  ('capa', 'investigation',              false, false, 'investigation_at', NULL,        20, 'Investigation and root cause (30 days)', true),
  ('capa', 'action_plan',                false, false, 'action_plan_at', NULL,          30, 'Corrective action plan (45 days)', true),
  ('capa', 'implementation',             false, false, 'implementation_at', NULL,       40, 'Implementation (90 days)', true),
  ('capa', 'effectiveness_verification', false, false, 'verification_started_at', NULL, 50, 'Effectiveness verification (phase 1 evidence, phase 2 90-day monitoring)', true),
  ('capa', 'closed',                     false, true,  'closed_at', NULL,               60, 'Closed: effective', true),
  ('capa', 'reopened',                   false, false, 'reopened_at', NULL,             70, 'Reopened on recurrence or ineffective action (the same CAPA, seed 3.3)', true),
  ('capa', 'cancelled',                  false, true,  'cancelled_at', NULL,            80, 'Cancelled (not a CAPA case per seed 3.1)', true);

INSERT INTO @extschema@.workflow_transition
    (workflow, from_state, to_state, required_columns, required_role, check_function, description, shipped) VALUES
  ('ncr', 'draft', 'open', '{description,part_number,quantity}', 'qe_inspector', NULL, 'Raise the NCR', true),
  ('ncr', 'draft', 'cancelled', '{cancel_reason}', 'qe_inspector', NULL, 'Discard a draft', true),
  ('ncr', 'open', 'containment', '{containment_action}', 'qe_inspector', NULL, 'Segregate / quarantine suspect material', true),
  ('ncr', 'open', 'cancelled', '{cancel_reason}', 'qe_engineer', NULL, 'Cancel (raised in error or duplicate)', true),
  ('ncr', 'containment', 'mrb_review', '{spec_violated,measurement_data}', 'qe_inspector', NULL, 'Submit the data package to the MRB', true),
  ('ncr', 'containment', 'cancelled', '{cancel_reason}', 'qe_engineer', NULL, 'Cancel (material found conforming)', true),
  ('ncr', 'mrb_review', 'containment', '{}', 'qe_engineer', NULL, 'MRB sends it back for more data', true),
  ('ncr', 'mrb_review', 'dispositioned', '{disposition,disposition_rationale}', 'qe_engineer',
        '@extschema@.ncr_mrb_gate(jsonb)'::regprocedure, 'Record the approved disposition (seed 8.2 documentation and signatures)', true),
  ('ncr', 'dispositioned', 'disposition_implemented', '{implementation_notes}', 'qe_inspector', NULL, 'Carry out the disposition', true),
  ('ncr', 'disposition_implemented', 'verified', '{verification_notes}', 'qe_engineer', NULL, 'Verify the implementation', true),
  ('ncr', 'verified', 'closed', '{}', 'qe_engineer', '@extschema@.ncr_close_gate(jsonb)'::regprocedure, 'Close the NCR', true),
  ('capa', 'initiated', 'investigation', '{owner,problem_statement}', 'qe_engineer', NULL, 'Assign an owner, state the problem', true),
  ('capa', 'initiated', 'cancelled', '{cancel_reason}', 'qe_mrb', NULL, 'Not a CAPA case', true),
  ('capa', 'investigation', 'action_plan', '{root_cause,root_cause_method}', 'qe_engineer', NULL, 'Root cause found', true),
  ('capa', 'action_plan', 'implementation', '{action_plan,action_rank}', 'qe_engineer',
        '@extschema@.capa_plan_gate(jsonb)'::regprocedure, 'Plan approved (seed 3.2 hierarchy)', true),
  ('capa', 'implementation', 'effectiveness_verification', '{implementation_evidence,effectiveness_criteria}', 'qe_engineer', NULL, 'Implemented: phase 1 evidence in hand', true),
  ('capa', 'effectiveness_verification', 'closed', '{effectiveness_result}', 'qe_engineer',
        '@extschema@.capa_close_gate(jsonb)'::regprocedure, 'Phase 2 pass criteria met', true),
  ('capa', 'effectiveness_verification', 'reopened', '{reopen_reason}', 'qe_engineer', NULL, 'Recurrence during monitoring or no improvement', true),
  ('capa', 'closed', 'reopened', '{reopen_reason}', 'qe_engineer', NULL, 'Recurrence after closure reopens the same CAPA', true),
  ('capa', 'reopened', 'investigation', '{}', 'qe_engineer', NULL, 'Investigate again: the root cause was incorrect or the action insufficient', true);

CREATE TRIGGER ncr_workflow BEFORE INSERT OR UPDATE ON @extschema@.ncr
    FOR EACH ROW EXECUTE FUNCTION @extschema@.enforce_workflow('ncr', 'status');
CREATE TRIGGER capa_workflow BEFORE INSERT OR UPDATE ON @extschema@.capa
    FOR EACH ROW EXECUTE FUNCTION @extschema@.enforce_workflow('capa', 'status');

-- Seed 3.3: a recurrence reopens the same CAPA.  A live CAPA counts the
-- recurrence; a closed one (or one in effectiveness verification) is reopened
-- through the workflow (gate: qe_engineer, reopen_reason).
CREATE FUNCTION @extschema@.capa_record_recurrence(capa_id bigint, note text)
RETURNS text LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st text;
BEGIN
    SELECT c.status INTO st FROM @extschema@.capa c WHERE c.id = capa_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'CAPA % does not exist', capa_id USING ERRCODE = 'no_data_found';
    END IF;
    IF st = 'cancelled' THEN
        RAISE EXCEPTION 'CAPA % is cancelled', capa_id USING ERRCODE = 'check_violation',
              HINT = 'Initiate a CAPA for the failure mode instead.';
    END IF;
    PERFORM pg_catalog.set_config('quality_escape.reason', coalesce(note, 'recurrence'), true);
    UPDATE @extschema@.capa c
       SET recurrence_count = c.recurrence_count + 1,
           reopen_reason = CASE WHEN st IN ('closed', 'effectiveness_verification') THEN coalesce(note, 'recurrence') ELSE c.reopen_reason END,
           status = CASE WHEN st IN ('closed', 'effectiveness_verification') THEN 'reopened' ELSE c.status END
     WHERE c.id = capa_id;
    PERFORM pg_catalog.set_config('quality_escape.reason', '', true);
    RETURN (SELECT c.status FROM @extschema@.capa c WHERE c.id = capa_id);
END $$;
COMMENT ON FUNCTION @extschema@.capa_record_recurrence(bigint, text) IS
  'Records a recurrence of a CAPA''s failure mode: counts it and, if the CAPA is closed or in effectiveness verification, reopens the same CAPA (seed 3.3); returns the CAPA''s status';

-- Seed 8.1: "Review of new NCRs pending disposition (by priority: safety
-- first, then production-blocking, then age)" and "Review of aging NCRs
-- (> 15 days without disposition)".
CREATE VIEW @extschema@.mrb_agenda AS
SELECT row_number() OVER (ORDER BY n.safety_related DESC, n.production_blocking DESC,
                                   coalesce(n.opened_at, n.created_at), n.id) AS agenda_item,
       n.id, n.ncr_number, n.status, n.part_number, n.part_revision, n.quantity,
       n.safety_related, n.production_blocking,
       now() - coalesce(n.opened_at, n.created_at) AS age,
       now() - coalesce(n.opened_at, n.created_at) > interval '15 days' AS aging,
       @extschema@.ncr_mrb_missing(n) AS missing
  FROM @extschema@.ncr n
 WHERE n.status IN ('open', 'containment', 'mrb_review')
 ORDER BY agenda_item;
COMMENT ON VIEW @extschema@.mrb_agenda IS
  'MRB agenda (seed 8.1): NCRs pending disposition, safety first, then production-blocking, then oldest; aging = more than 15 days without disposition; missing = data package still incomplete';

-- Dump: the records are user data; shipped authority rows are not.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.supplier', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.part', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.lot', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.capa', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.capa_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.capa_number_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ncr', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ncr_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ncr_number_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.disposition_authority', 'WHERE NOT shipped');

CREATE TRIGGER disposition_authority_upsert BEFORE INSERT OR UPDATE ON @extschema@.disposition_authority
    FOR EACH ROW EXECUTE FUNCTION @extschema@.workflow_definition_upsert();

GRANT SELECT ON @extschema@.supplier, @extschema@.part, @extschema@.lot, @extschema@.capa,
                @extschema@.ncr, @extschema@.disposition_authority, @extschema@.mrb_agenda TO qe_viewer;
GRANT INSERT, UPDATE ON @extschema@.ncr, @extschema@.supplier, @extschema@.part, @extschema@.lot TO qe_inspector;
GRANT INSERT, UPDATE ON @extschema@.capa TO qe_engineer;
GRANT USAGE ON SEQUENCE @extschema@.ncr_id_seq, @extschema@.ncr_number_seq TO qe_inspector;
GRANT USAGE ON SEQUENCE @extschema@.capa_id_seq, @extschema@.capa_number_seq TO qe_engineer;
GRANT INSERT, UPDATE, DELETE ON @extschema@.disposition_authority TO qe_admin;
