-- The disposition engine, readable: a few non-conformances walked through
-- seed §1.1 and the regime rules, with the decision path an auditor reads.
SET TimeZone = 'UTC';
SET IntervalStyle = 'postgres';

-- 1. IATF 16949: a bore out of tolerance affecting fit, shipped to the
--    customer, reworkable for 40 against a replacement of 100 (§1.1 60 %
--    rule: 40 < 60; §7.3: 40 + 5 < 100 x 1.0), found 2026-03-02 08:15 CET.
CREATE TEMP TABLE r1 AS
SELECT (qe.evaluate_disposition('{
  "regime": "iatf", "discovered_at": "2026-03-02T08:15:00+01:00",
  "special_characteristic": false, "safety_critical": false,
  "affects_form_fit_function": true, "reworkable": true,
  "rework_cost": 40, "replacement_cost": 100, "reinspect_cost": 5, "urgency_premium": 0,
  "shipped_to_customer": true, "process_change": false, "control_plan_gap": true,
  "occurrences_12m": 1}')).*;
SELECT disposition, status, authority, authority_roles FROM r1;
SELECT n, step FROM r1, unnest(decision_path) WITH ORDINALITY AS p(step, n) ORDER BY n;
SELECT n, a AS action FROM r1, unnest(actions) WITH ORDINALITY AS x(a, n) ORDER BY n;
SELECT m.* FROM r1, unnest(notifications) m;

-- 2. FDA, post-market: a complaint with a serious injury, remedial action
--    needed (MDR 5 days), the lot cannot be reworked or repaired.
SELECT (r).disposition, (r).authority, m.recipient, m.within, m.due_at, m.basis
  FROM qe.evaluate_disposition(qe.disposition_facts(
         regime => 'fda', safety_critical => true, reworkable => false,
         lifecycle_phase => 'production', could_affect_safety_or_performance => true,
         complaint_related => true, death_or_serious_injury => true,
         remedial_action_required => true,
         discovered_at => '2026-01-10 09:00+00')) r,
       unnest((r).notifications) m;

-- 3. AS9100: incorrect markings raise suspicion of counterfeit material from
--    a supplier; the lot is not needed now, but it must not go back.
SELECT (r).disposition, (r).authority, n, a AS action
  FROM qe.evaluate_disposition('{"regime": "as9100", "suspected_counterfeit": true,
         "supplier_caused": true, "needed_immediately": false,
         "key_characteristic": false, "process_change": false, "occurrences_12m": 1}') r,
       unnest((r).actions) WITH ORDINALITY AS x(a, n)
 ORDER BY n;

-- 4. A fact the path needs is unknown: the engine asks instead of guessing.
\x on
SELECT disposition, status, next_fact, next_question, decision_path[array_upper(decision_path, 1)] AS last_step
  FROM qe.evaluate_disposition('{"regime": "general", "safety_critical": false,
         "affects_form_fit_function": false, "cosmetic_only": true,
         "customer_cosmetic_spec": true, "meets_cosmetic_spec": false}');
\x off

-- 5. Bad input: clear errors with a hint.
SELECT qe.evaluate_disposition('{"regime": "iso9001"}');
SELECT qe.evaluate_disposition('{"regime": "general", "rework_cost": -40}');
SELECT qe.evaluate_disposition('{"regime": "general", "safety_critical": "no"}');
SELECT qe.evaluate_disposition('{"regime": "general", "saftey_critical": false}');

-- 6. The keys an ERP mapper can send.
SELECT ord, key, type, asked FROM qe.disposition_fact_keys() ORDER BY ord;
