-- An NCR story: raised, contained, taken through MRB with signatures,
-- dispositioned, a refused shortcut with its error, the audit trail verified.
\echo
\echo '=== 50 NCR workflow: a burr on a bracket, from inspection to closure ==='

-- The people (login roles granted the extension's NOLOGIN quality roles).
DO $$
DECLARE r text[];
BEGIN
    FOREACH r SLICE 1 IN ARRAY ARRAY[['ines', 'qe_inspector'], ['quinn', 'qe_engineer'],
                                     ['mara', 'qe_mrb'], ['dev', 'qe_design_authority']] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r[1]) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r[1]);
        END IF;
        EXECUTE format('GRANT %I TO %I', r[2], r[1]);
    END LOOP;
END $$;

-- Shows the error a statement raises instead of stopping the demo.
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; d text; h text; c text;
BEGIN
    EXECUTE stmt;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, c = RETURNED_SQLSTATE;
    RETURN format(E'REFUSED [%s] %s\n  detail: %s\n  hint:   %s', c, m, d, h);
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

INSERT INTO qe.supplier VALUES ('ACME', 'Acme Stamping');
INSERT INTO qe.part VALUES ('BRK-100', 'C', 'Mounting bracket', false, false);
INSERT INTO qe.lot VALUES ('L-2411-07', 'BRK-100', 'C', 'ACME', 500, now() - interval '2 days');

\echo '--- Ines (inspector) raises the NCR at receiving inspection'
SET ROLE ines;
INSERT INTO qe.ncr (description, part_number, part_revision, lot_number, supplier_code, quantity, detected_by)
VALUES ('Burr 0.4 mm on the mounting edge, 40 of 500 pieces', 'BRK-100', 'C', 'L-2411-07', 'ACME', 40, 'ines');
SET quality_escape.reason = 'found at receiving inspection';
UPDATE qe.ncr SET status = 'open' WHERE ncr_number = 'NCR-000001';
SET quality_escape.reason = 'pieces moved to MRB cage 3';
UPDATE qe.ncr SET status = 'containment', containment_action = 'Lot quarantined in MRB cage 3' WHERE ncr_number = 'NCR-000001';
RESET quality_escape.reason;

\echo '--- A refused shortcut: Ines tries to skip the MRB and disposition the NCR herself'
SELECT pg_temp.try($$UPDATE qe.ncr SET status = 'dispositioned', disposition = 'use_as_is'
                     WHERE ncr_number = 'NCR-000001'$$) AS shortcut;
SELECT ncr_number, status, disposition FROM qe.ncr;

UPDATE qe.ncr SET status = 'mrb_review', spec_violated = 'Drawing BRK-100 rev C, note 4: edges free of burrs > 0.1 mm',
                  measurement_data = '{"burr_height_mm": [0.38, 0.41, 0.40], "limit_mm": 0.1}',
                  photos_applicable = true, photo_refs = '{IMG_2411_07_01.jpg}'
 WHERE ncr_number = 'NCR-000001';
RESET ROLE;

\echo '--- The MRB agenda (safety first, then production-blocking, then age) and what is still missing'
SELECT agenda_item, ncr_number, status, safety_related, production_blocking, aging, missing FROM qe.mrb_agenda;

-- The disposition engine (qe.evaluate_disposition, src/disposition) walks seed
-- section 1.1 on the facts MRB established for NCR-000001.
\echo '--- The disposition engine on the facts of NCR-000001 (seed 1.1, 7.3, 1.2)'
CREATE TEMP TABLE ncr1_decision AS
SELECT * FROM qe.evaluate_disposition('{"regime": "general", "safety_critical": false,
         "affects_form_fit_function": false, "cosmetic_only": false,
         "dimensional_within_mrb_authority": true, "affects_assembly_or_performance": false,
         "engineering_justification": true, "functional_risk": 0, "acceptable_risk": 10,
         "use_as_is_cost": 0, "sort_or_rework_cost": 400, "occurrences_12m": 1}');
GRANT SELECT ON ncr1_decision TO PUBLIC;
SELECT status, disposition, authority, authority_roles FROM ncr1_decision;
SELECT step FROM ncr1_decision, unnest(decision_path) step;

\echo '--- Quinn (quality engineer) records the engine''s disposition: use-as-is'
SET ROLE quinn;
UPDATE qe.ncr SET disposition = (SELECT disposition FROM ncr1_decision),
                  disposition_rationale = 'Burr on a non-mating edge; no effect on assembly or function',
                  cost_impact = 0
 WHERE ncr_number = 'NCR-000001';
SELECT pg_temp.try($$UPDATE qe.ncr SET status = 'dispositioned' WHERE ncr_number = 'NCR-000001'$$) AS too_early;
\echo '--- Quinn cannot sign for the MRB (authority matrix, seed 1.2)'
SELECT pg_temp.try($$SELECT qe.sign('qe.ncr', '1', 'approved', 'qe_mrb')$$) AS quinn_signs_for_mrb;
UPDATE qe.ncr SET engineering_justification = 'Edge is outside the mating zone (drawing zone B4); tolerance stack unaffected'
 WHERE ncr_number = 'NCR-000001';
RESET ROLE;

\echo '--- Mara signs for the MRB, Dev for the design authority'
SET ROLE mara;
SELECT qe.sign('qe.ncr', '1', 'approved', 'qe_mrb', 'MRB 2026-W47: use-as-is') AS mrb_signature;
RESET ROLE;
SET ROLE dev;
SELECT qe.sign('qe.ncr', '1', 'approved', 'qe_design_authority', 'no functional impact') AS da_signature;
RESET ROLE;

SET ROLE quinn;
SET quality_escape.reason = 'MRB 2026-W47 approved use-as-is';
UPDATE qe.ncr SET status = 'dispositioned' WHERE ncr_number = 'NCR-000001';
RESET quality_escape.reason;
RESET ROLE;
SET ROLE ines;
UPDATE qe.ncr SET status = 'disposition_implemented', implementation_notes = 'Released from cage 3 to stores with concession tag'
 WHERE ncr_number = 'NCR-000001';
RESET ROLE;
SET ROLE quinn;
UPDATE qe.ncr SET status = 'verified', verification_notes = 'Tags checked in stores' WHERE ncr_number = 'NCR-000001';
UPDATE qe.ncr SET status = 'closed' WHERE ncr_number = 'NCR-000001';
RESET ROLE;

\echo '--- The NCR and its lifecycle timestamps'
SELECT ncr_number, status, disposition, opened_at IS NOT NULL AS opened, contained_at IS NOT NULL AS contained,
       dispositioned_at IS NOT NULL AS dispositioned, closed_at IS NOT NULL AS closed
  FROM qe.ncr;

\echo '--- The audit trail of NCR-000001 (who, from, to, why) and its signatures'
SELECT id, event, from_state, to_state, current_user_name AS "user", reason
  FROM qe.audit_trail WHERE table_name = 'qe.ncr' AND row_key = '1' ORDER BY id;
SELECT s.id, s.meaning, s.signer, s.signed_as, qe.signature_is_valid(s) AS valid FROM qe.signature s ORDER BY s.id;

\echo '--- Nobody can rewrite history: Quinn tries to delete the audit trail'
SET ROLE quinn;
SELECT pg_temp.try($$DELETE FROM qe.audit_trail$$) AS delete_audit;
RESET ROLE;

\echo '--- The hash chain is intact'
SELECT * FROM qe.verify_audit_trail();
