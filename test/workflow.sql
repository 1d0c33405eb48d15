-- pgTAP: the workflow engine, audit trail, signatures, NCR/CAPA workflows and MRB gates.
BEGIN;
SELECT plan(117);

-- run a statement as a role; 'ok' or 'SQLSTATE: message | detail | hint'
CREATE FUNCTION pg_temp.run_as(r text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; m text; d text; h text;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    BEGIN
        EXECUTE stmt;
        st := 'ok';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
        st := st || ': ' || m || ' | ' || coalesce(d, '') || ' | ' || coalesce(h, '');
    END;
    RESET ROLE;
    RETURN st;
END $$;

-- people are roles that can log in (qe.sign refuses a group role as signer)
CREATE ROLE tap_ines LOGIN;  GRANT qe_inspector TO tap_ines;
CREATE ROLE tap_quinn LOGIN; GRANT qe_engineer TO tap_quinn;
CREATE ROLE tap_mara LOGIN;  GRANT qe_mrb TO tap_mara;
CREATE ROLE tap_dev LOGIN;   GRANT qe_design_authority TO tap_dev;
CREATE ROLE tap_nobody LOGIN;

-- roles ------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM pg_roles WHERE rolname IN ('qe_viewer', 'qe_inspector', 'qe_engineer', 'qe_mrb',
                                                            'qe_design_authority', 'qe_admin') AND NOT rolcanlogin),
          6::bigint, 'the six quality roles exist and are NOLOGIN');
SELECT ok(pg_has_role('qe_mrb', 'qe_engineer', 'USAGE') AND pg_has_role('qe_engineer', 'qe_inspector', 'USAGE')
          AND NOT pg_has_role('qe_design_authority', 'qe_mrb', 'USAGE'),
          'MRB holds quality-engineer authority; the design authority does not hold MRB authority');
SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
            JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quality_escape' WHERE p.prosecdef),
          0::bigint, 'no SECURITY DEFINER function');

-- NCR lifecycle on qe.ncr ---------------------------------------------------------
INSERT INTO qe.part VALUES ('TP-1', 'A', 'test part', false, false);
SELECT is(pg_temp.run_as('tap_ines', $$INSERT INTO qe.ncr (id, description, part_number, part_revision, quantity)
                                         VALUES (9001, 'scratch', 'TP-1', 'A', 5)$$), 'ok', 'an inspector creates a draft NCR');
SELECT matches(pg_temp.run_as('tap_ines', $$INSERT INTO qe.ncr (id, status, description) VALUES (9002, 'closed', 'x')$$),
               '^23514: workflow "ncr" refuses new qe.ncr row 9002 in state "closed" \| A new row must start in an initial state. \| Initial states: draft, open',
               'a new NCR cannot start closed (23514, lists the initial states)');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'dispositioned' WHERE id = 9001$$),
               '^23514: workflow "ncr" refuses qe.ncr row 9001: "draft" -> "dispositioned" \| There is no transition from "draft" to "dispositioned". \| Allowed next states from "draft": open, cancelled.$',
               'a skipped step names from, to and the allowed next states');
SELECT is((SELECT status FROM qe.ncr WHERE id = 9001), 'draft', 'the refused row stays as it was');
SELECT matches(pg_temp.run_as('tap_nobody', $$UPDATE qe.ncr SET status = 'open' WHERE id = 9001$$),
               '^42501: permission denied', 'without table privileges nothing happens');
GRANT SELECT, UPDATE ON qe.ncr TO tap_nobody;
SELECT matches(pg_temp.run_as('tap_nobody', $$UPDATE qe.ncr SET status = 'open' WHERE id = 9001$$),
               '^42501: workflow "ncr" refuses qe.ncr row 9001: "draft" -> "open" \| Missing: role qe_inspector \(current user tap_nobody is not a member\).',
               'the role gate refuses with 42501 and names the role');
UPDATE qe.ncr SET description = NULL WHERE id = 9001;
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'open' WHERE id = 9001$$),
               '^23514: .* \| Missing: column description.',
               'a missing required column is named');
UPDATE qe.ncr SET description = 'scratch on face A' WHERE id = 9001;
SELECT is(pg_temp.run_as('tap_ines', $$SET LOCAL quality_escape.reason = 'seen at final inspection';
                                        UPDATE qe.ncr SET status = 'open' WHERE id = 9001$$), 'ok', 'draft -> open accepted');
SELECT ok((SELECT opened_at = now() FROM qe.ncr WHERE id = 9001), 'opened_at stamped by the engine on entry to open');
SELECT is((SELECT ARRAY[from_state, to_state, current_user_name, reason, event] FROM qe.audit_trail
            WHERE table_name = 'qe.ncr' AND row_key = '9001' ORDER BY id DESC LIMIT 1),
          ARRAY['draft', 'open', 'tap_ines', 'seen at final inspection', 'transition'],
          'the audit record holds from, to, who and the reason');
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9001'), 2::bigint,
          'creation and one transition audited; refused attempts leave no record');
SELECT is(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET quantity = 6 WHERE id = 9001$$), 'ok',
          'an update that does not change the state passes without a gate');
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9001'), 2::bigint,
          '... and writes no audit record');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = NULL WHERE id = 9001$$),
               '^23502: ', 'a NULL state is refused');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'limbo' WHERE id = 9001$$),
               '^23514: .* \| "limbo" is not a state of workflow "ncr".', 'an unknown state is refused');
SELECT is(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'containment', containment_action = 'tagged' WHERE id = 9001$$),
          'ok', 'open -> containment');
SELECT is(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'mrb_review', spec_violated = 'dwg 7 note 2',
                                         measurement_data = '{"scratch_mm": 3}' WHERE id = 9001$$), 'ok', 'containment -> mrb_review');

-- MRB gate (seed 8.2) and authority (seed 1.2) --------------------------------------
SELECT is(qe.ncr_mrb_missing(n), ARRAY['disposition decision', 'cost impact'], 'the MRB data package lists what is missing')
  FROM qe.ncr n WHERE id = 9001;
UPDATE qe.ncr SET disposition = 'use_as_is', disposition_rationale = 'cosmetic', cost_impact = 0,
                  safety_related = true, photos_applicable = true WHERE id = 9001;
SELECT is(qe.ncr_mrb_missing(n),
          ARRAY['photographs', 'engineering justification (use-as-is or repair)', 'risk assessment',
                'customer approval reference',
                'approved signature by a member of qe_design_authority', 'approved signature by a member of qe_mrb'],
          'safety-related use-as-is: photographs, justification, risk assessment, customer approval (seed 1.1), MRB + design authority signatures (seed 1.2)')
  FROM qe.ncr n WHERE id = 9001;
SELECT matches(pg_temp.run_as('tap_quinn', $$UPDATE qe.ncr SET status = 'dispositioned' WHERE id = 9001$$),
               '^23514: .* \| Missing: qe.ncr_mrb_gate\(jsonb\): photographs; engineering justification',
               'the disposition is refused while documentation is missing, the check says what');
SELECT matches(pg_temp.run_as('tap_quinn', $$SELECT qe.sign('qe.ncr', '9001', 'approved', 'qe_mrb')$$),
               '^42501: tap_quinn cannot sign as qe_mrb', 'a quality engineer cannot sign for the MRB');
SELECT matches(pg_temp.run_as('tap_mara', $$SELECT qe.sign('qe.ncr', '9001', 'endorsed', 'qe_mrb')$$),
               '^22023: ', 'a signature meaning outside authored/reviewed/approved is refused');
SELECT is(pg_temp.run_as('tap_mara', $$SET ROLE qe_mrb; SELECT qe.sign('qe.ncr', '9001', 'approved', 'qe_mrb')$$),
          '42501: role "qe_mrb" cannot sign: it cannot log in, so it is a group, not a person | The signer is current_user, and an electronic signature must name the individual who signs. | Sign as yourself (RESET ROLE after SET ROLE) and pass the group role as signed_as.',
          'Part 11: a group role (NOLOGIN) cannot be the signer: after SET ROLE qe_mrb the signature is refused');
-- a SECURITY DEFINER wrapper would sign as its owner, whoever calls it
CREATE SCHEMA tap_sd;
GRANT USAGE ON SCHEMA tap_sd TO tap_ines;
CREATE FUNCTION tap_sd.sign_for_me(k text) RETURNS bigint LANGUAGE sql SECURITY DEFINER
  AS $f$ SELECT qe.sign('qe.ncr', k, 'approved', 'qe_mrb') $f$;
ALTER FUNCTION tap_sd.sign_for_me(text) OWNER TO tap_mara;
SELECT is(pg_temp.run_as('tap_ines', $$SELECT tap_sd.sign_for_me('9001')$$),
          '42501: qe.sign cannot be called by a function that runs as another role | The signer is current_user, here role "tap_mara", the owner of a SECURITY DEFINER function (or of the object being maintained), not the person who called it. | Call qe.sign directly as the person signing, not from a SECURITY DEFINER function.',
          'Part 11: an inspector calling a SECURITY DEFINER function owned by an MRB member cannot sign as that member');
SELECT is((SELECT count(*) FROM qe.signature WHERE row_key = '9001'), 0::bigint,
          'the refused signatures wrote nothing');
UPDATE qe.ncr SET photo_refs = '{p1.jpg}', engineering_justification = 'non-functional face',
                  risk_assessment = 'RA-12: negligible', customer_approval_ref = 'CUST-DEV-7' WHERE id = 9001;
SELECT is(pg_temp.run_as('tap_mara', $$SELECT qe.sign('qe.ncr', '9001', 'approved', 'qe_mrb', 'MRB 47')$$), 'ok', 'the MRB signs');
SELECT is(qe.ncr_mrb_missing(n), ARRAY['approved signature by a member of qe_design_authority'],
          'one signature still missing') FROM qe.ncr n WHERE id = 9001;
SELECT is(pg_temp.run_as('tap_dev', $$SELECT qe.sign('qe.ncr', '9001', 'approved', 'qe_design_authority')$$), 'ok',
          'the design authority signs');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'dispositioned' WHERE id = 9001$$),
               '^42501: .*Missing: role qe_engineer', 'an inspector cannot record the disposition');
SELECT is(pg_temp.run_as('tap_quinn', $$UPDATE qe.ncr SET status = 'dispositioned' WHERE id = 9001$$), 'ok',
          'documentation complete and every required member signed: dispositioned');
SELECT ok((SELECT dispositioned_at IS NOT NULL AND contained_at IS NOT NULL FROM qe.ncr WHERE id = 9001),
          'contained_at and dispositioned_at stamped');

-- signatures: immutable, bound to their record -----------------------------------------
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON qe.signature, qe.audit_trail TO tap_quinn;
SELECT matches(pg_temp.run_as('tap_quinn', $$UPDATE qe.signature SET row_key = '1' WHERE row_key = '9001'$$),
               '^42501: signature is append-only: UPDATE refused', 'a signature cannot be moved to another record, even with UPDATE privilege');
SELECT matches(pg_temp.run_as('tap_quinn', $$DELETE FROM qe.signature$$),
               '^42501: signature is append-only: DELETE refused', 'signatures cannot be deleted');
SELECT matches(pg_temp.run_as('tap_quinn', $$UPDATE qe.audit_trail SET reason = 'edited'$$),
               '^42501: audit_trail is append-only: UPDATE refused', 'audit records cannot be altered');
SELECT matches(pg_temp.run_as('tap_quinn', $$DELETE FROM qe.audit_trail$$),
               '^42501: audit_trail is append-only: DELETE refused', 'audit records cannot be deleted');
SELECT matches(pg_temp.run_as('tap_quinn', $$TRUNCATE qe.audit_trail$$),
               '^42501: audit_trail is append-only: TRUNCATE refused', 'the audit trail cannot be truncated');
SELECT matches(pg_temp.run_as('tap_quinn', $$INSERT INTO qe.audit_trail (id, at, table_name, row_key, stream, seq, event, session_user_name,
                                             current_user_name, hash) VALUES (-1, now(), 'qe.ncr', '1', -1, 1, 'create', 'x', 'x', '\x00')$$),
               '^42501: rows of audit_trail are written only by the workflow engine', 'audit records cannot be forged by INSERT');

-- tamper evidence (as superuser, the documented bypass) ---------------------------------------
SELECT is((SELECT ok FROM qe.verify_audit_trail()), true, 'the chain verifies');
SAVEPOINT tamper;
UPDATE qe.audit_trail SET reason = 'rewritten' WHERE table_name = 'qe.ncr' AND row_key = '9001' AND to_state = 'open';
SELECT is((SELECT ARRAY[first_broken_id::text, problem] FROM qe.verify_audit_trail()),
          ARRAY[(SELECT id::text FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9001' AND to_state = 'open'),
                'the record''s content does not match its hash (it was altered)'],
          'a superuser''s edit is reported at the edited record');
ROLLBACK TO SAVEPOINT tamper;
SAVEPOINT tamper2;
CREATE TEMP TABLE gap AS SELECT stream, seq FROM qe.audit_trail
 WHERE table_name = 'qe.ncr' AND row_key = '9001' AND to_state = 'open';
DELETE FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9001' AND to_state = 'open';
SELECT is((SELECT ARRAY[first_broken_id::text, problem] FROM qe.verify_audit_trail()),
          ARRAY[(SELECT a.id::text FROM qe.audit_trail a JOIN gap g ON a.stream = g.stream AND a.seq = g.seq + 1),
                'records are missing before this one in its stream (a record was removed)'],
          'a deleted record is reported at the next record of its stream');
ROLLBACK TO SAVEPOINT tamper2;

-- streams: one chain per session, following what commits ------------------------------------
CREATE TEMP TABLE head AS SELECT stream, seq, hash FROM qe.audit_trail ORDER BY id DESC LIMIT 1;
SAVEPOINT cut;
UPDATE qe.ncr SET quantity = 7 WHERE id = 9001;          -- no transition: nothing appended
ROLLBACK TO SAVEPOINT cut;
INSERT INTO qe.ncr (id, description) VALUES (9099, 'next');
SELECT is((SELECT ARRAY[stream, seq] FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9099'),
          (SELECT ARRAY[stream, seq + 1] FROM head),
          'one session''s records continue one stream (seq + 1), also past a savepoint rolled back with nothing appended');
SELECT is((SELECT prev_hash FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9099'), (SELECT hash FROM head),
          'each record links to the previous record of its stream');
SAVEPOINT appended;
INSERT INTO qe.ncr (id, description) VALUES (9100, 'rolled back');
ROLLBACK TO SAVEPOINT appended;
INSERT INTO qe.ncr (id, description) VALUES (9101, 'after the rollback');
SELECT is((SELECT ARRAY[(stream > (SELECT stream FROM head))::int, seq, (prev_hash IS NULL)::int] FROM qe.audit_trail
            WHERE table_name = 'qe.ncr' AND row_key = '9101'),
          ARRAY[1, 1, 1], 'after a rolled-back subtransaction that appended, the next record starts a new stream');
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '9100'), 0::bigint,
          'the rolled-back record is gone');
SELECT is((SELECT ok FROM qe.verify_audit_trail()), true, 'both streams verify');
SAVEPOINT tamper3;
UPDATE qe.signature SET row_key = '1' WHERE row_key = '9001' AND signed_as = 'qe_mrb';
SELECT is((SELECT bool_and(qe.signature_is_valid(s)) FROM qe.signature s WHERE signed_as = 'qe_mrb' AND row_key = '1'), false,
          'a signature moved to another record no longer validates');
ROLLBACK TO SAVEPOINT tamper3;
SELECT is((SELECT bool_and(qe.signature_is_valid(s)) FROM qe.signature s WHERE row_key = '9001'), true,
          'the signatures of NCR 9001 validate as written');
SAVEPOINT tamper4;
UPDATE qe.signature SET session_user_name = 'someone_else', reason = 'forged' WHERE row_key = '9001' AND signed_as = 'qe_mrb';
SELECT is((SELECT bool_and(qe.signature_is_valid(s)) FROM qe.signature s WHERE signed_as = 'qe_mrb' AND row_key = '9001'), false,
          'a signature whose session user and reason were edited no longer validates (they were outside its hash)');
ROLLBACK TO SAVEPOINT tamper4;

-- definitions are data: admins tighten a gate, add a state; the cache follows --------------
UPDATE qe.workflow_transition SET required_columns = '{implementation_notes,cost_impact}', required_role = 'qe_mrb'
 WHERE workflow = 'ncr' AND from_state = 'dispositioned' AND to_state = 'disposition_implemented';
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'disposition_implemented', implementation_notes = 'x' WHERE id = 9001$$),
               '^42501: .*Missing: role qe_mrb', 'a tightened gate applies at once (cache invalidated)');
SELECT is((SELECT shipped FROM qe.workflow_transition WHERE workflow = 'ncr' AND from_state = 'dispositioned'
             AND to_state = 'disposition_implemented'), false, 'an edited shipped rule becomes user data (dumped)');
INSERT INTO qe.workflow_state (workflow, state, sort_order) VALUES ('ncr', 'on_hold', 55);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_role) VALUES ('ncr', 'dispositioned', 'on_hold', 'qe_inspector');
SELECT is(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET status = 'on_hold' WHERE id = 9001$$), 'ok', 'a state added by INSERT is usable at once');
SELECT throws_ok($$INSERT INTO qe.workflow_transition (workflow, from_state, to_state, check_function)
                   VALUES ('ncr', 'on_hold', 'dispositioned', 'pg_catalog.lower(text)')$$, '42P13', NULL,
                 'a check function of the wrong signature is refused when the rule is written');

-- any table in any schema ------------------------------------------------------------------
CREATE SCHEMA tap_erp;
CREATE TABLE tap_erp.quality_notification (plant int, qn_no varchar(12), qn_status varchar(20) NOT NULL,
    descr text, approver text, extra jsonb, PRIMARY KEY (plant, qn_no));
INSERT INTO qe.workflow VALUES ('tap_qn', 'ERP notification');
INSERT INTO qe.workflow_state (workflow, state, is_initial, is_terminal) VALUES
  ('tap_qn', 'NEW', true, false), ('tap_qn', 'IN WORK', false, false), ('tap_qn', 'DONE', false, true);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_columns) VALUES
  ('tap_qn', 'NEW', 'IN WORK', '{descr}'), ('tap_qn', 'IN WORK', 'DONE', '{approver}');
CREATE TRIGGER qn_workflow BEFORE INSERT OR UPDATE ON tap_erp.quality_notification
    FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'qn_status');
INSERT INTO tap_erp.quality_notification VALUES (1000, 'QN-1', 'NEW', NULL, NULL, '{"any": 1}');
SELECT throws_ok($$UPDATE tap_erp.quality_notification SET qn_status = 'DONE'$$, '23514', NULL,
                 'an ERP table in another schema gains the workflow');
UPDATE tap_erp.quality_notification SET qn_status = 'IN WORK', descr = 'bent';
SELECT is((SELECT row_key FROM qe.audit_trail ORDER BY id DESC LIMIT 1), '(1000,QN-1)',
          'its composite primary key identifies the row in the audit trail');
SELECT is((SELECT table_name FROM qe.audit_trail ORDER BY id DESC LIMIT 1), 'tap_erp.quality_notification',
          'the audit record names the table with its schema');

CREATE FUNCTION tap_erp.approver_not_requester(r jsonb) RETURNS boolean LANGUAGE sql
SET search_path = pg_catalog, pg_temp AS $$ SELECT r->>'approver' <> 'self' $$;
UPDATE qe.workflow_transition SET check_function = 'tap_erp.approver_not_requester(jsonb)'
 WHERE workflow = 'tap_qn' AND from_state = 'IN WORK';
SELECT throws_like($$UPDATE tap_erp.quality_notification SET qn_status = 'DONE', approver = 'self'$$,
                   '%refuses tap_erp.quality_notification row (1000,QN-1): "IN WORK" -> "DONE"%',
                   'a boolean check function that returns false refuses the transition');
CREATE TYPE tap_erp.qn_state AS ENUM ('NEW', 'IN WORK', 'DONE');
CREATE TABLE tap_erp.enum_qn (no int PRIMARY KEY, st tap_erp.qn_state, descr text);
CREATE TRIGGER qn_workflow BEFORE INSERT OR UPDATE ON tap_erp.enum_qn
    FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
INSERT INTO tap_erp.enum_qn VALUES (1, 'NEW');
UPDATE tap_erp.enum_qn SET st = 'IN WORK', descr = 'x';
SELECT is((SELECT to_state FROM qe.audit_trail WHERE table_name = 'tap_erp.enum_qn' ORDER BY id DESC LIMIT 1), 'IN WORK',
          'an enum state column works');
UPDATE qe.workflow SET audit = false WHERE name = 'tap_qn';
INSERT INTO tap_erp.enum_qn VALUES (2, 'NEW');
UPDATE tap_erp.enum_qn SET st = 'IN WORK', descr = 'y' WHERE no = 2;
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE table_name = 'tap_erp.enum_qn' AND row_key = '2'), 0::bigint,
          'a workflow with audit = false enforces its rules but writes no audit records');

-- bad trigger arguments: a clear error at the first row, never a crash --------------------------
CREATE TABLE tap_erp.t (id int PRIMARY KEY, st text, js jsonb, ts text);
CREATE TABLE tap_erp.nopk (st text);
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('no_such_flow', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '42704', 'workflow "no_such_flow" named by trigger "a" does not exist',
                 'unknown workflow');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'status');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '42703', NULL, 'missing state column');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'js');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '42804', NULL, 'state column of the wrong type');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '22023', NULL, 'too few arguments');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a AFTER INSERT ON tap_erp.t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '39P01', NULL, 'an AFTER trigger is refused');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a BEFORE INSERT ON tap_erp.t FOR EACH STATEMENT EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.t VALUES (1, 'NEW')$$, '39P01', NULL, 'a statement-level trigger is refused');
DROP TRIGGER a ON tap_erp.t;
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.nopk FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.nopk VALUES ('NEW')$$, '22023', NULL, 'no primary key and no key column named');
SELECT throws_ok($$SELECT qe.enforce_workflow()$$, '39P01', 'qe.enforce_workflow() must be called as a trigger', 'calling the trigger function directly is refused');
-- a binding refused at the first row is refused at the second too (a half-made
-- binding was once cached: the second row then passed unchecked, and a later
-- ALTER TABLE crashed the backend)
CREATE TABLE tap_erp.badstamp (id int PRIMARY KEY, status text, opened_at timestamp);
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.badstamp FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('ncr', 'status');
SELECT throws_ok($$INSERT INTO tap_erp.badstamp VALUES (1, 'draft')$$, '42804', NULL, 'a stamp column that is not timestamptz is refused');
SELECT throws_ok($$INSERT INTO tap_erp.badstamp VALUES (1, 'draft')$$, '42804', NULL, '... and refused again at the next row');
ALTER TABLE tap_erp.badstamp ALTER status TYPE int USING 0;
SELECT throws_ok($$INSERT INTO tap_erp.badstamp VALUES (2, 5)$$, '42804', NULL, '... and after ALTER TABLE retypes the state column');
CREATE TABLE tap_erp.genkey (id int, k text GENERATED ALWAYS AS ('K-' || id) STORED PRIMARY KEY, st text);
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.genkey FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.genkey (id, st) VALUES (1, 'NEW')$$, '22023', NULL,
                 'a generated key column is refused (a BEFORE trigger sees it before it is computed)');

-- restore mode ------------------------------------------------------------------------------------
SELECT matches(pg_temp.run_as('tap_ines', $$SET LOCAL quality_escape.restoring = on;
                                            INSERT INTO qe.ncr (id, status) VALUES (9003, 'closed')$$),
               '^42501: quality_escape.restoring = on is honoured for superusers only', 'restore mode is for superusers only');
-- ... also through a superuser's SECURITY DEFINER function (the session's user counts)
CREATE FUNCTION tap_erp.definer_close(i bigint) RETURNS void LANGUAGE sql SECURITY DEFINER
    AS $$ UPDATE qe.ncr SET status = 'closed' WHERE id = i $$;
GRANT USAGE ON SCHEMA tap_erp TO tap_ines;
INSERT INTO qe.ncr (id, description) VALUES (9004, 'definer');
SET LOCAL SESSION AUTHORIZATION tap_ines;
SET LOCAL quality_escape.restoring = on;
SELECT throws_ok($$SELECT tap_erp.definer_close(9004)$$, '42501', 'quality_escape.restoring = on is honoured for superusers only',
                 'restore mode through a superuser''s SECURITY DEFINER function is still refused');
RESET SESSION AUTHORIZATION;
SET LOCAL quality_escape.restoring = 'yes';
INSERT INTO qe.ncr (id, status, closed_at) VALUES (9005, 'closed', '2020-01-01');
SELECT is((SELECT status FROM qe.ncr WHERE id = 9005), 'closed', 'restoring = yes means on, as for any boolean setting');
SET LOCAL quality_escape.restoring = on;
INSERT INTO qe.ncr (id, status, closed_at) VALUES (9003, 'closed', '2020-01-01');
SELECT is((SELECT closed_at FROM qe.ncr WHERE id = 9003), '2020-01-01'::timestamptz,
          'a superuser restoring a dump loads rows in any state, untouched');
SET LOCAL quality_escape.restoring = off;

-- CAPA: recurrence reopens the same CAPA (seed 3.3) ---------------------------------------------
SET LOCAL quality_escape.restoring = on;   -- start from a closed CAPA
INSERT INTO qe.capa (id, status, title, part_number, failure_mode) VALUES (9101, 'closed', 'burr', 'TP-1', 'burr');
SET LOCAL quality_escape.restoring = off;
SELECT throws_ok($$INSERT INTO qe.capa (title, part_number, failure_mode) VALUES ('burr again', 'TP-1', 'burr')$$,
                 '23505', NULL, 'a second CAPA for the same part and failure mode is refused');
SELECT is(pg_temp.run_as('tap_quinn', $$SELECT qe.capa_record_recurrence(9101, 'NCR 9001 shows the burr again')$$), 'ok',
          'recording a recurrence as a quality engineer');
SELECT is((SELECT ARRAY[status, recurrence_count::text] FROM qe.capa WHERE id = 9101), ARRAY['reopened', '1'],
          'the same CAPA is reopened and the recurrence counted');
UPDATE qe.capa SET status = 'investigation' WHERE id = 9101;
UPDATE qe.capa SET status = 'action_plan', root_cause = 'worn die', root_cause_method = '5 Whys' WHERE id = 9101;
SELECT throws_like($$UPDATE qe.capa SET status = 'implementation', action_plan = 'retrain operators', action_rank = 6 WHERE id = 9101$$,
                   '%refuses%', 'training alone (rank 6) needs a justification (seed 3.2)');

-- MRB agenda ordering (seed 8.1) -----------------------------------------------------------------
SET LOCAL quality_escape.restoring = on;
INSERT INTO qe.ncr (id, status, safety_related, production_blocking, opened_at) VALUES
  (9201, 'open', false, false, now() - interval '20 days'),
  (9202, 'open', false, true,  now() - interval '1 day'),
  (9203, 'mrb_review', true, false, now()),
  (9204, 'open', false, true,  now() - interval '3 days');
SET LOCAL quality_escape.restoring = off;
SELECT is((SELECT array_agg(id ORDER BY agenda_item) FROM qe.mrb_agenda WHERE id BETWEEN 9201 AND 9204),
          ARRAY[9203, 9204, 9202, 9201]::bigint[], 'agenda: safety first, then production-blocking, then oldest');
SELECT is((SELECT array_agg(id ORDER BY id) FROM qe.mrb_agenda WHERE aging AND id BETWEEN 9201 AND 9204),
          ARRAY[9201]::bigint[], 'agenda: only the NCR open for more than 15 days is flagged');

-- dump registration ------------------------------------------------------------------------------
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname::text) FROM pg_extension e, unnest(e.extconfig) x JOIN pg_class c ON c.oid = x
            WHERE e.extname = 'quality_escape' AND c.relkind = 'r' AND c.relnamespace = 'qe'::regnamespace
              AND c.relname IN ('workflow', 'workflow_state', 'workflow_transition', 'audit_trail', 'signature',
                                'ncr', 'capa', 'part', 'lot', 'supplier', 'disposition_authority')),
          ARRAY['audit_trail', 'capa', 'disposition_authority', 'lot', 'ncr', 'part', 'signature', 'supplier',
                'workflow', 'workflow_state', 'workflow_transition'],
          'every table holding user data is registered with pg_extension_config_dump');

-- the executor-free append is taken for the trail as made, not for one that
-- merely has as many constraints: a site's CHECK swapped in is enforced
ALTER TABLE qe.audit_trail DROP CONSTRAINT audit_trail_seq_check;
ALTER TABLE qe.audit_trail ADD CONSTRAINT need_reason CHECK (event <> 'transition' OR reason IS NOT NULL) NOT VALID;
INSERT INTO qe.ncr (id, description, part_number, quantity) VALUES (9303, 'swapped check', 'P-1', 1);
SELECT throws_ok($$UPDATE qe.ncr SET status = 'open' WHERE id = 9303$$, '23514', NULL,
                 'a CHECK constraint swapped in for one of the trail''s own is enforced (counting them missed it)');
ALTER TABLE qe.audit_trail DROP CONSTRAINT need_reason;
ALTER TABLE qe.audit_trail ADD CONSTRAINT audit_trail_seq_check CHECK (seq >= 1);

-- a site's own expression and partial indexes on the trail are kept up to date
-- (the fast append path cannot evaluate them: such a trail takes the executor's)
CREATE INDEX audit_trail_site_lower ON qe.audit_trail (lower(row_key));
CREATE INDEX audit_trail_site_transitions ON qe.audit_trail (row_key) WHERE event = 'transition';
INSERT INTO qe.ncr (id, description, part_number, quantity) VALUES (9301, 'indexed by the site', 'P-1', 1);
UPDATE qe.ncr SET status = 'open' WHERE id = 9301;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE lower(row_key) = '9301'), 2::bigint,
          'an expression index the site added to qe.audit_trail holds the new records');
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE row_key = '9301' AND event = 'transition'), 1::bigint,
          'a partial index the site added holds the transition and not the creation');
RESET enable_seqscan;
RESET enable_bitmapscan;

-- a key written under fixed settings: one row keeps one key whatever the
-- session's DateStyle (it was split across three spellings of one date)
CREATE TABLE tap_erp.dated (d date, n int, st text, descr text, PRIMARY KEY (d, n));
CREATE TRIGGER zz_wf BEFORE INSERT OR UPDATE ON tap_erp.dated FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
UPDATE qe.workflow SET audit = true WHERE name = 'tap_qn';
SET LOCAL DateStyle = 'SQL, DMY';
INSERT INTO tap_erp.dated VALUES ('2024-01-02', 1, 'NEW');
SET LOCAL DateStyle = 'German';
UPDATE tap_erp.dated SET st = 'IN WORK', descr = 'checked';
RESET DateStyle;
SELECT is((SELECT array_agg(DISTINCT row_key) FROM qe.audit_trail WHERE table_name = 'tap_erp.dated'), ARRAY['(2024-01-02,1)'],
          'a date key is written in ISO whatever the DateStyle: one key for the row''s whole history');
CREATE TABLE tap_erp.blobkey (k bytea PRIMARY KEY, st text, descr text);
CREATE TRIGGER zz_wf BEFORE INSERT OR UPDATE ON tap_erp.blobkey FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SET LOCAL bytea_output = 'escape';
INSERT INTO tap_erp.blobkey VALUES ('\x00ff41', 'NEW');
RESET bytea_output;
UPDATE tap_erp.blobkey SET st = 'IN WORK', descr = 'checked';
SELECT is((SELECT array_agg(DISTINCT row_key) FROM qe.audit_trail WHERE table_name = 'tap_erp.blobkey'), ARRAY['\x00ff41'],
          'a bytea key is written in hex whatever bytea_output');

-- a site's own column, CHECK constraint, NOT NULL and trigger on the trail are
-- honoured (records then go through an ordinary INSERT)
CREATE TABLE tap_erp.siem (id bigint, event text);
CREATE FUNCTION tap_erp.siem_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO tap_erp.siem VALUES (NEW.id, NEW.event); RETURN NULL; END $$;
CREATE TRIGGER siem_forward AFTER INSERT ON qe.audit_trail FOR EACH ROW EXECUTE FUNCTION tap_erp.siem_forward();
ALTER TABLE qe.audit_trail ADD COLUMN site text DEFAULT 'plant 7';
ALTER TABLE qe.audit_trail ADD CONSTRAINT transition_has_reason CHECK (event <> 'transition' OR reason IS NOT NULL) NOT VALID;
INSERT INTO qe.ncr (id, description, part_number, quantity) VALUES (9302, 'site rules', 'P-1', 1);
SELECT is((SELECT array_agg(event) FROM tap_erp.siem), ARRAY['create'],
          'a site trigger on the trail sees the new record');
SELECT is((SELECT site FROM qe.audit_trail WHERE row_key = '9302'), 'plant 7', 'a site column gets its default');
SELECT throws_ok($$UPDATE qe.ncr SET status = 'open' WHERE id = 9302$$, '23514', NULL,
                 'a site CHECK constraint on the trail refuses a transition without a reason, and the row stays as it was');
SET LOCAL quality_escape.reason = 'release';
UPDATE qe.ncr SET status = 'open' WHERE id = 9302;
RESET quality_escape.reason;
SELECT is((SELECT count(*) FROM qe.audit_trail WHERE row_key = '9302'), 2::bigint, '... with a reason it passes');
ALTER TABLE qe.audit_trail DROP CONSTRAINT transition_has_reason;
ALTER TABLE qe.audit_trail DROP COLUMN site;
DROP TRIGGER siem_forward ON qe.audit_trail;
-- (the dropped column keeps the ordinary INSERT in use from here on)
INSERT INTO qe.ncr (id, description, part_number, quantity) VALUES (9304, 'ordinary user', 'P-1', 1);
SELECT is(pg_temp.run_as('tap_ines', $$SET LOCAL quality_escape.reason = 'seen'; UPDATE qe.ncr SET status = 'open' WHERE id = 9304$$),
          'ok', 'through the ordinary INSERT, a user with no privilege on the trail still moves a record (it runs as the trail''s owner)');
CREATE FUNCTION tap_erp.stamp_reason() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.reason := coalesce(NEW.reason, '') || ' [siem]'; RETURN NEW; END $$;
CREATE TRIGGER a_stamp BEFORE INSERT ON qe.audit_trail FOR EACH ROW EXECUTE FUNCTION tap_erp.stamp_reason();
SELECT throws_ok($$UPDATE qe.ncr SET status = 'containment', containment_action = 'tagged' WHERE id = 9304$$, '27000', NULL,
                 'a trigger that changes the record being written is refused (its hash would not match)');
DROP TRIGGER a_stamp ON qe.audit_trail;
SET LOCAL quality_escape.reason = 'moved on';
UPDATE qe.ncr SET status = 'open' WHERE id = 9304 AND status = 'draft';
RESET quality_escape.reason;
CREATE FUNCTION tap_erp.cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.row_key = '9304' AND NEW.event = 'transition' THEN INSERT INTO qe.ncr (id, description) VALUES (9306, 'raised by a trigger'); END IF;
      RETURN NULL; END $$;
CREATE TRIGGER cascade AFTER INSERT ON qe.audit_trail FOR EACH ROW EXECUTE FUNCTION tap_erp.cascade();
UPDATE qe.ncr SET status = 'containment', containment_action = 'tagged' WHERE id = 9304;
DROP TRIGGER cascade ON qe.audit_trail;
SELECT is((SELECT ok FROM qe.verify_audit_trail()), true,
          'a site trigger on the trail that makes another record: the chain verifies (both once held the same place)');

SELECT is((SELECT ok FROM qe.verify_audit_trail()), true, 'after all of this the chain still verifies');

-- found by a fuzzing pass (session 5) ----------------------------------------------------------
-- a site trigger on the trail runs as the trail's owner: under a pinned
-- search_path, so a caller cannot slip in a function of its own
CREATE TABLE public.qe_tap_siem (id bigint, who text);
CREATE FUNCTION public.qe_tap_siem_forward(rec_id bigint) RETURNS void LANGUAGE plpgsql
  AS $f$ BEGIN INSERT INTO public.qe_tap_siem VALUES (rec_id, current_user); END $f$;
CREATE FUNCTION public.qe_tap_to_siem() RETURNS trigger LANGUAGE plpgsql
  AS $f$ BEGIN PERFORM qe_tap_siem_forward(NEW.id); RETURN NULL; END $f$;
CREATE TRIGGER zz_siem AFTER INSERT ON qe.audit_trail FOR EACH ROW EXECUTE FUNCTION public.qe_tap_to_siem();
CREATE ROLE tap_mallory LOGIN; GRANT qe_inspector TO tap_mallory;
CREATE SCHEMA tap_evil AUTHORIZATION tap_mallory;
CREATE FUNCTION tap_evil.qe_tap_siem_forward(rec_id bigint) RETURNS void LANGUAGE plpgsql
  AS $f$ BEGIN EXECUTE 'ALTER ROLE tap_mallory SUPERUSER'; END $f$;
ALTER FUNCTION tap_evil.qe_tap_siem_forward(bigint) OWNER TO tap_mallory;
SELECT matches(pg_temp.run_as('tap_mallory', $$SET LOCAL search_path = tap_evil, public;
                                               INSERT INTO qe.ncr (id, status) VALUES (9401, 'draft')$$),
               '^42883', 'a site trigger on the trail that calls a function unqualified does not find it through the caller''s search_path');
RESET search_path;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'tap_mallory'), false,
          '... so the caller cannot run its own code as the trail''s owner (the fallback INSERT once made it superuser)');
CREATE OR REPLACE FUNCTION public.qe_tap_to_siem() RETURNS trigger LANGUAGE plpgsql
  AS $f$ BEGIN PERFORM public.qe_tap_siem_forward(NEW.id); RETURN NULL; END $f$;
SELECT is(pg_temp.run_as('tap_mallory', $$SET LOCAL search_path = tap_evil, public;
                                          INSERT INTO qe.ncr (id, status) VALUES (9402, 'draft')$$),
          'ok', 'a site trigger on the trail that qualifies its names runs');
RESET search_path;
SELECT is((SELECT count(*) FROM public.qe_tap_siem), 1::bigint, '... and forwarded the record');
DROP TRIGGER zz_siem ON qe.audit_trail;

-- a record's key cannot change: its audit records and signatures are filed under it
INSERT INTO qe.ncr (id, status) VALUES (9411, 'draft'), (9412, 'draft');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET id = 9413 WHERE id = 9411$$), '^23000',
               'the id of an NCR under its workflow cannot change (a swap of ids once gave one NCR the other''s MRB approvals)');
SELECT is((SELECT count(*) FROM qe.ncr WHERE id = 9411), 1::bigint, '... and the row is as it was');
SELECT is(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET id = id, description = 'x' WHERE id = 9412$$), 'ok',
          'an UPDATE that sets the key to itself passes');

-- a trigger that cannot see every change is refused at its first row
CREATE TABLE tap_erp.upd_of (id int PRIMARY KEY, st text, note text);
CREATE TRIGGER a BEFORE INSERT OR UPDATE OF note ON tap_erp.upd_of FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.upd_of VALUES (1, 'NEW')$$, '39P01', NULL,
                 'a trigger with a column list (UPDATE OF note) is refused: the state could change unseen');
DROP TRIGGER a ON tap_erp.upd_of;
CREATE TRIGGER a BEFORE INSERT ON tap_erp.upd_of FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.upd_of VALUES (1, 'NEW')$$, '39P01', NULL, 'a BEFORE INSERT trigger without UPDATE is refused');
DROP TRIGGER a ON tap_erp.upd_of;
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.upd_of FOR EACH ROW WHEN (NEW.note IS NULL)
    EXECUTE FUNCTION qe.enforce_workflow('tap_qn', 'st');
SELECT throws_ok($$INSERT INTO tap_erp.upd_of VALUES (1, 'NEW')$$, '39P01', NULL, 'a trigger with a WHEN condition is refused');
DROP TRIGGER a ON tap_erp.upd_of;

-- a row created straight into an initial state passes the gate of the
-- transition into it from another initial state (NCR: draft -> open)
SELECT matches(pg_temp.run_as('tap_ines', $$INSERT INTO qe.ncr (id, status) VALUES (9421, 'open')$$),
               '^23514: .*Missing: columns description, part_number, quantity',
               'an NCR inserted straight as open must pass the draft -> open gate (it once skipped it: no description, part or quantity)');
SELECT is(pg_temp.run_as('tap_ines', $$INSERT INTO qe.ncr (id, status, description, part_number, quantity) VALUES (9422, 'open', 'd', 'P-1', 3)$$),
          'ok', '... and with what that gate requires it is created');
SELECT matches(pg_temp.run_as('tap_nobody', $$INSERT INTO qe.ncr (id, status, description, part_number, quantity) VALUES (9423, 'open', 'd', 'P-1', 3)$$),
               '^42501', '... by a qe_inspector only');

-- what a gate approved stays approved: the NCR disposition is frozen from
-- dispositioned on, and the stamp columns are the workflow's alone
SELECT ok((SELECT count(*) FROM qe.ncr WHERE status IN ('dispositioned', 'disposition_implemented', 'verified', 'closed')) > 0,
          'an NCR past its MRB disposition exists here (the next tests are not vacuous)');
SELECT matches(pg_temp.run_as('tap_ines', format($$UPDATE qe.ncr SET disposition = 'use_as_is', risk_assessment = NULL WHERE id = %s$$,
                 (SELECT min(id) FROM qe.ncr WHERE status IN ('dispositioned', 'disposition_implemented', 'verified', 'closed')))),
               '^23514: .*is frozen in state',
               'after the MRB approved a disposition, an UPDATE that leaves the state alone cannot change it (it once could, unaudited: scrap to use_as_is)');
SELECT is(pg_temp.run_as('tap_ines', format($$UPDATE qe.ncr SET detected_by = 'line 3' WHERE id = %s$$,
                 (SELECT min(id) FROM qe.ncr WHERE status IN ('dispositioned', 'disposition_implemented', 'verified', 'closed')))),
          'ok', '... while columns the state does not freeze may change');
SELECT matches(pg_temp.run_as('tap_ines', $$INSERT INTO qe.ncr (id, status, closed_at) VALUES (9431, 'draft', '2001-01-01')$$),
               '^23514: .*stamped by the workflow', 'a stamp column cannot be written on INSERT (a draft NCR once came in "closed" in 2001)');
SELECT matches(pg_temp.run_as('tap_ines', $$UPDATE qe.ncr SET opened_at = '2001-01-01' WHERE id = 9422$$),
               '^23514: .*stamped by the workflow', 'nor changed by an UPDATE');

CREATE TABLE tap_erp.slim_ncr (id int PRIMARY KEY, status text, description text, part_number text, quantity numeric);
CREATE TRIGGER a BEFORE INSERT OR UPDATE ON tap_erp.slim_ncr FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('ncr', 'status');
SELECT lives_ok($$INSERT INTO tap_erp.slim_ncr VALUES (1, 'draft', 'd', 'P-1', 1); UPDATE tap_erp.slim_ncr SET status = 'open' WHERE id = 1$$,
                'a mapped ERP table without the columns the NCR workflow freezes (disposition ...) still takes the workflow: nothing of them to freeze');

-- an aggregate is no check function
CREATE FUNCTION tap_erp.ck_s(s text, j jsonb) RETURNS text LANGUAGE sql AS 'SELECT s';
CREATE AGGREGATE tap_erp.ck_agg(jsonb) (sfunc = tap_erp.ck_s, stype = text);
SELECT throws_ok($$UPDATE qe.workflow_transition SET check_function = 'tap_erp.ck_agg(jsonb)'::regprocedure WHERE workflow = 'tap_qn'$$,
                 '42P13', NULL, 'an aggregate is refused as a gate''s check function when it is written');

SELECT * FROM finish();
ROLLBACK;
