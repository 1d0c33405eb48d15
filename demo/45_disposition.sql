-- Disposition engine: non-conformances from an ERP table evaluated in place
-- (seed §1.1 universal flow, §7.3 economics, §1.2 FDA, §1.3 IATF, §1.4 AS9100).
\echo
\echo '== Disposition engine: the facts of each non-conformance, the disposition, who may authorise it, and why'
SET TimeZone = 'UTC';

-- An ERP's own non-conformance table, with its own names (not ours).
CREATE SCHEMA erp_demo;
CREATE TABLE erp_demo.nc_report (
    nc_no        text PRIMARY KEY,
    plant_regime text,          -- which regime the plant works to
    found_at     timestamptz,
    descr        text,
    facts        jsonb          -- what the quality engineer has answered so far
);
INSERT INTO erp_demo.nc_report VALUES
 ('NC-101', 'iatf', '2026-03-02 08:15+01', 'Bore 0.03 mm oversize on a shipped lot; reworkable',
  '{"special_characteristic": false, "safety_critical": false, "affects_form_fit_function": true,
    "reworkable": true, "rework_cost": 4.20, "replacement_cost": 11.50, "reinspect_cost": 0.80,
    "urgency_premium": 0.25, "shipped_to_customer": true, "process_change": false,
    "control_plan_gap": true, "occurrences_12m": 3}'),
 ('NC-102', 'fda', '2026-01-10 09:00+00', 'Infusion set: occlusion alarm failure, complaint with serious injury',
  '{"safety_critical": true, "reworkable": false, "lifecycle_phase": "production",
    "could_affect_safety_or_performance": true, "complaint_related": true,
    "death_or_serious_injury": true, "remedial_action_required": false}'),
 ('NC-103', 'as9100', '2026-02-20 14:00+00', 'Fasteners with incorrect head markings, certificate looks altered',
  '{"suspected_counterfeit": true, "supplier_caused": true, "needed_immediately": false,
    "key_characteristic": false, "process_change": false, "occurrences_12m": 1}'),
 ('NC-104', 'general', '2026-03-05 07:00+00', 'Supplier housings: burr on 8 % of the lot, line needs them today',
  '{"safety_critical": false, "affects_form_fit_function": false, "cosmetic_only": false,
    "dimensional_within_mrb_authority": false, "supplier_caused": true, "needed_immediately": true,
    "sort_cost": 360, "return_freight_cost": 250, "production_delay_cost": 6000,
    "expected_yield": 0.92, "occurrences_12m": 1}'),
 ('NC-105', 'general', '2026-03-05 07:30+00', 'Same burr, next delivery, stock for three weeks on hand',
  '{"safety_critical": false, "affects_form_fit_function": false, "cosmetic_only": false,
    "dimensional_within_mrb_authority": false, "supplier_caused": true, "needed_immediately": false,
    "occurrences_12m": 2}'),
 ('NC-106', 'iatf', '2026-03-06 10:00+00', 'Scratch on a visible cover; customer cosmetic spec exists',
  '{"special_characteristic": false, "safety_critical": false, "affects_form_fit_function": false,
    "cosmetic_only": true, "customer_cosmetic_spec": true, "meets_cosmetic_spec": false}');

-- Evaluate every row: our facts = the row's answers + its regime + when it was found.
CREATE TEMP VIEW evaluated AS
SELECT n.nc_no, n.descr,
       qe.evaluate_disposition(n.facts || jsonb_build_object('regime', n.plant_regime,
                                                             'discovered_at', n.found_at)) AS r
  FROM erp_demo.nc_report n;

\echo
\echo '-- Outcome per NC (a NULL disposition means the engine needs an answer first)'
SELECT nc_no, (r).disposition, (r).status, (r).authority, (r).authority_roles AS roles,
       (r).next_fact AS needs
  FROM evaluated ORDER BY nc_no;

\echo
\echo '-- Notifications with their deadlines (IATF 24 h from discovery; FDA MDR 30 calendar days)'
SELECT e.nc_no, m.recipient, m.subject, m.within, m.due_at
  FROM evaluated e, unnest((e.r).notifications) m ORDER BY e.nc_no;

\echo
\echo '-- Approvals and follow-up actions'
SELECT e.nc_no, 'approval' AS kind, a AS item FROM evaluated e, unnest((e.r).approvals) a
UNION ALL
SELECT e.nc_no, 'action', a FROM evaluated e, unnest((e.r).actions) a
ORDER BY 1, 2 DESC;

\echo
\echo '-- Why NC-101 was reworked: the decision path an auditor reads'
SELECT n, step FROM evaluated e, unnest((e.r).decision_path) WITH ORDINALITY AS p(step, n)
 WHERE e.nc_no = 'NC-101' ORDER BY n;

\echo
\echo '-- NC-106 waits for the customer: the question the engine asks'
SELECT nc_no, (r).next_fact, (r).next_question FROM evaluated WHERE (r).status <> 'decided';

\echo
\echo '-- The customer denied the concession; the part can be reworked, at 2.00 against 9.00 new:'
SELECT (r).disposition, (r).authority, (SELECT string_agg(s, E'\n') FROM unnest((r).decision_path) s WHERE s LIKE '§1.1 customer%' OR s LIKE '§7.3%') AS deciding_steps
  FROM erp_demo.nc_report n,
       qe.evaluate_disposition(n.facts || jsonb_build_object('regime', n.plant_regime,
           'customer_concession', false, 'reworkable', true, 'rework_cost', 2.00,
           'replacement_cost', 9.00, 'reinspect_cost', 0.50, 'urgency_premium', 0,
           'shipped_to_customer', false, 'process_change', false, 'control_plan_gap', false,
           'occurrences_12m', 1)) r
 WHERE n.nc_no = 'NC-106';

\echo
\echo '-- Named arguments read well in ad-hoc SQL, too:'
SELECT (r).disposition, (r).approvals
  FROM qe.evaluate_disposition(qe.disposition_facts(
         regime => 'as9100', suspected_counterfeit => false, safety_critical => false,
         affects_form_fit_function => true, reworkable => false, repairable => true,
         government_contract => true, key_characteristic => true, process_change => false,
         occurrences_12m => 1)) r;

SET client_min_messages = warning;
DROP SCHEMA erp_demo CASCADE;
RESET client_min_messages;
