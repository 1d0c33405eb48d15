-- The non-conformance disposition engine (seed §1, §3.1, §7.3).
-- Decision logic: src/disposition/disposition.c (pure C); glue: disposition_pg.c.

CREATE TYPE @extschema@.disposition_notification AS (
    recipient text,          -- who must be told: customer, FDA, GIDEP, design authority
    subject   text,          -- what
    within    interval,      -- deadline counted from discovery (NULL: no fixed deadline)
    due_at    timestamptz,   -- discovered_at + within (NULL when discovered_at is not given)
    basis     text           -- the rule and its seed section
);
COMMENT ON TYPE @extschema@.disposition_notification IS
  'One notification a disposition requires: recipient, subject, deadline as an interval and (given discovered_at) as an absolute due time, and the rule behind it';

CREATE TYPE @extschema@.disposition_result AS (
    disposition     text,      -- scrap, rework, repair, use_as_is, return_to_vendor, sort_and_use, quarantine; NULL until decided
    status          text,      -- decided | question | reassess
    next_fact       text,      -- the fact key to answer next (status question/reassess)
    next_question   text,      -- the question, in the seed's words
    authority       text,      -- who may authorise it (seed §1.2 matrix)
    authority_roles text[],    -- the extension's NOLOGIN roles that hold that authority
    approvals       text[],    -- approvals the disposition needs before it is carried out
    notifications   @extschema@.disposition_notification[],
    actions         text[],    -- follow-up actions (SCAR, debit memo, CAPA, FAI, quarantine, ...)
    decision_path   text[],    -- the steps walked, each citing the seed section, for auditors
    ignored_keys    text[]     -- keys not understood (only with strict => false)
);
COMMENT ON TYPE @extschema@.disposition_result IS
  'Result of qe.evaluate_disposition: the disposition (or the next question), authority and roles, approvals, notifications with deadlines, follow-up actions and the decision path';

CREATE FUNCTION @extschema@.evaluate_disposition(facts jsonb, strict boolean DEFAULT true)
RETURNS @extschema@.disposition_result
AS 'MODULE_PATHNAME', 'qe_disp_evaluate'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.evaluate_disposition(jsonb, boolean) IS
  'Disposition of a non-conformance from its facts (jsonb object, keys in qe.disposition_fact_keys()): walks seed §1.1, the §7.3 economics, the §1.2/§1.3/§1.4 regime rules and §3.1 CAPA criteria; an unknown needed fact returns its question instead of a disposition. strict => false ignores (and lists) keys it does not know, for to_jsonb(erp_row)';

CREATE FUNCTION @extschema@.disposition_fact_keys(
    OUT ord integer, OUT key text, OUT type text, OUT domain text,
    OUT asked boolean, OUT question text, OUT seed text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'qe_disp_fact_keys'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 44;
COMMENT ON FUNCTION @extschema@.disposition_fact_keys() IS
  'The facts qe.evaluate_disposition understands, in the order the engine may ask them: jsonb key, SQL type, accepted values, whether it is ever asked (false: optional), the question and the seed section';

CREATE FUNCTION @extschema@.disposition_facts(
    regime text DEFAULT NULL,
    discovered_at timestamptz DEFAULT NULL,
    suspected_counterfeit boolean DEFAULT NULL,
    counterfeit_confirmed boolean DEFAULT NULL,
    special_characteristic boolean DEFAULT NULL,
    safety_critical boolean DEFAULT NULL,
    affects_form_fit_function boolean DEFAULT NULL,
    reworkable boolean DEFAULT NULL,
    rework_cost numeric DEFAULT NULL,
    replacement_cost numeric DEFAULT NULL,
    reinspect_cost numeric DEFAULT NULL,
    urgency_premium numeric DEFAULT NULL,
    repairable boolean DEFAULT NULL,
    contract_requires_customer_approval boolean DEFAULT NULL,
    cosmetic_only boolean DEFAULT NULL,
    customer_cosmetic_spec boolean DEFAULT NULL,
    meets_cosmetic_spec boolean DEFAULT NULL,
    customer_concession boolean DEFAULT NULL,
    dimensional_within_mrb_authority boolean DEFAULT NULL,
    affects_assembly_or_performance boolean DEFAULT NULL,
    engineering_justification boolean DEFAULT NULL,
    functional_risk numeric DEFAULT NULL,
    acceptable_risk numeric DEFAULT NULL,
    use_as_is_cost numeric DEFAULT NULL,
    sort_or_rework_cost numeric DEFAULT NULL,
    supplier_caused boolean DEFAULT NULL,
    needed_immediately boolean DEFAULT NULL,
    sort_cost numeric DEFAULT NULL,
    return_freight_cost numeric DEFAULT NULL,
    production_delay_cost numeric DEFAULT NULL,
    expected_yield numeric DEFAULT NULL,
    lifecycle_phase text DEFAULT NULL,
    could_affect_safety_or_performance boolean DEFAULT NULL,
    complaint_related boolean DEFAULT NULL,
    death_or_serious_injury boolean DEFAULT NULL,
    remedial_action_required boolean DEFAULT NULL,
    shipped_to_customer boolean DEFAULT NULL,
    process_change boolean DEFAULT NULL,
    control_plan_gap boolean DEFAULT NULL,
    controlled_shipping text DEFAULT NULL,
    government_contract boolean DEFAULT NULL,
    key_characteristic boolean DEFAULT NULL,
    serialized boolean DEFAULT NULL,
    occurrences_12m integer DEFAULT NULL
) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'regime', regime,
        'discovered_at', discovered_at,
        'suspected_counterfeit', suspected_counterfeit,
        'counterfeit_confirmed', counterfeit_confirmed,
        'special_characteristic', special_characteristic,
        'safety_critical', safety_critical,
        'affects_form_fit_function', affects_form_fit_function,
        'reworkable', reworkable,
        'rework_cost', rework_cost,
        'replacement_cost', replacement_cost,
        'reinspect_cost', reinspect_cost,
        'urgency_premium', urgency_premium,
        'repairable', repairable,
        'contract_requires_customer_approval', contract_requires_customer_approval,
        'cosmetic_only', cosmetic_only,
        'customer_cosmetic_spec', customer_cosmetic_spec,
        'meets_cosmetic_spec', meets_cosmetic_spec,
        'customer_concession', customer_concession,
        'dimensional_within_mrb_authority', dimensional_within_mrb_authority,
        'affects_assembly_or_performance', affects_assembly_or_performance,
        'engineering_justification', engineering_justification,
        'functional_risk', functional_risk,
        'acceptable_risk', acceptable_risk,
        'use_as_is_cost', use_as_is_cost,
        'sort_or_rework_cost', sort_or_rework_cost,
        'supplier_caused', supplier_caused,
        'needed_immediately', needed_immediately,
        'sort_cost', sort_cost,
        'return_freight_cost', return_freight_cost,
        'production_delay_cost', production_delay_cost,
        'expected_yield', expected_yield,
        'lifecycle_phase', lifecycle_phase,
        'could_affect_safety_or_performance', could_affect_safety_or_performance,
        'complaint_related', complaint_related,
        'death_or_serious_injury', death_or_serious_injury,
        'remedial_action_required', remedial_action_required,
        'shipped_to_customer', shipped_to_customer,
        'process_change', process_change,
        'control_plan_gap', control_plan_gap,
        'controlled_shipping', controlled_shipping,
        'government_contract', government_contract,
        'key_characteristic', key_characteristic,
        'serialized', serialized,
        'occurrences_12m', occurrences_12m));
COMMENT ON FUNCTION @extschema@.disposition_facts(text, timestamptz, boolean, boolean, boolean, boolean, boolean, boolean, numeric, numeric, numeric, numeric, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, numeric, numeric, numeric, numeric, boolean, boolean, numeric, numeric, numeric, numeric, text, boolean, boolean, boolean, boolean, boolean, boolean, boolean, text, boolean, boolean, boolean, integer) IS
  'Builds the facts jsonb for qe.evaluate_disposition from named arguments (NULL = unknown, left out): qe.evaluate_disposition(qe.disposition_facts(regime => ''iatf'', safety_critical => false, ...)). STABLE only because a timestamptz becomes text';
