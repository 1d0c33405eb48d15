-- Benchmark: qe.evaluate_disposition per row, against reading the same facts.
-- Uses rows / 10 non-conformances (each carries ~35 facts, ~1 kB of jsonb).
-- Baselines, in the same run: (a) fetch one key of each facts object,
-- (b) expand every key of each object (jsonb_each), which is the least any
-- consumer of all the facts has to do.
SELECT greatest(:rows / 10, 1000) AS nrows \gset

CREATE TABLE bench.disp_nc AS
SELECT i, jsonb_build_object(
    'regime', (ARRAY['general', 'fda', 'iatf', 'as9100'])[1 + i % 4],
    'discovered_at', '2026-03-02T08:15:00+01:00',
    'suspected_counterfeit', i % 97 = 0, 'special_characteristic', i % 89 = 0,
    'safety_critical', i % 7 = 0, 'affects_form_fit_function', i % 3 = 0,
    'reworkable', i % 2 = 0, 'repairable', i % 5 = 0, 'contract_requires_customer_approval', i % 2 = 1,
    'rework_cost', i % 100, 'replacement_cost', 100, 'reinspect_cost', 5, 'urgency_premium', 0.2,
    'cosmetic_only', i % 4 = 1, 'customer_cosmetic_spec', i % 3 = 1, 'meets_cosmetic_spec', i % 2 = 1,
    'customer_concession', i % 5 < 3, 'dimensional_within_mrb_authority', i % 2 = 0,
    'affects_assembly_or_performance', i % 3 = 2, 'engineering_justification', true,
    'functional_risk', 0.001 * (i % 20), 'acceptable_risk', 0.01, 'use_as_is_cost', 10, 'sort_or_rework_cost', 50,
    'supplier_caused', i % 2 = 1, 'needed_immediately', i % 3 = 0, 'sort_cost', 300,
    'return_freight_cost', 200, 'production_delay_cost', i % 1000, 'expected_yield', 0.01 * (i % 100),
    'lifecycle_phase', CASE WHEN i % 6 = 0 THEN 'design' ELSE 'production' END,
    'could_affect_safety_or_performance', i % 11 = 0, 'complaint_related', i % 13 = 0,
    'death_or_serious_injury', i % 2 = 0, 'remedial_action_required', i % 3 = 0,
    'shipped_to_customer', i % 10 = 0, 'process_change', i % 17 = 0, 'control_plan_gap', i % 19 = 0,
    'government_contract', i % 23 = 0, 'key_characteristic', i % 29 = 0, 'serialized', i % 31 = 0,
    'occurrences_12m', 1 + i % 3) AS facts
  FROM generate_series(1, :nrows) i;
VACUUM ANALYZE bench.disp_nc;

SELECT (qe.evaluate_disposition(facts)).status, count(*)
  FROM bench.disp_nc GROUP BY 1 ORDER BY 1;

INSERT INTO bench.result (bench, label, ms)
VALUES ('disposition', 'one key of the facts (facts->>regime)',
        bench.time_ms($$SELECT count(facts ->> 'regime') FROM bench.disp_nc$$)),
       ('disposition', 'every key of the facts (jsonb_each)',
        bench.time_ms($$SELECT count(*) FROM bench.disp_nc, jsonb_each(facts)$$)),
       ('disposition', 'qe.evaluate_disposition(facts)',
        bench.time_ms($$SELECT count((qe.evaluate_disposition(facts)).disposition) FROM bench.disp_nc$$));

SELECT label, round(ms::numeric, 1) AS ms,
       round((ms * 1000 / :nrows)::numeric, 2) AS us_per_row,
       round((ms / (SELECT ms FROM bench.result WHERE bench = 'disposition' AND label LIKE 'one key%'))::numeric, 2) AS vs_one_key,
       round((ms / (SELECT ms FROM bench.result WHERE bench = 'disposition' AND label LIKE 'every key%'))::numeric, 2) AS vs_jsonb_each
  FROM bench.result WHERE bench = 'disposition' ORDER BY ms;
DROP TABLE bench.disp_nc;
