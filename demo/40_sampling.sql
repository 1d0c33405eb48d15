-- Receiving inspection with Z1.4 (issue 4): the plan for each incoming lot,
-- the decision on the count found, and the switching rules over a supplier's
-- history.

\echo
\echo '== The plan for three incoming lots (general level II, normal inspection) =='
SELECT v.part, v.lot_size, v.aql, p.code_letter, p.plan_code_letter, p.sample_size, p.ac, p.re, p.full_inspection
  FROM (VALUES ('housing', 1000, 1.0), ('gasket', 5000, 0.65), ('label', 8, 0.65)) v(part, lot_size, aql),
       qe.aql_plan(v.lot_size, v.aql) p;

\echo
\echo '== A receiving log: each lot is inspected under the severity in force when it arrives =='
CREATE TABLE receiving (
    supplier     text,
    part         text,
    received_at  timestamptz,
    lot_size     bigint,
    aql          numeric,
    defects      bigint,
    inspection   text,
    sample_size  integer,
    ac           integer,
    re           integer,
    decision     text
);

-- Incoming lots with the number of nonconforming units the inspector finds.
CREATE TEMP TABLE arrivals (supplier text, part text, received_at timestamptz, lot_size bigint, aql numeric, defects bigint);
INSERT INTO arrivals
SELECT 'Acme Castings', 'housing', timestamptz '2026-03-02 08:00' + (k - 1) * interval '1 day', 1000, 1.0,
       (ARRAY[0, 1, 3, 0, 4, 0, 0, 1, 0, 0, 2, 0])[k]
  FROM generate_series(1, 12) k
UNION ALL
SELECT 'Bolt & Co', 'fastener', timestamptz '2026-03-02 09:00' + (k - 1) * interval '1 day', 3000, 1.0,
       (ARRAY[0, 1, 0, 2, 0, 1, 0, 0, 1, 0, 0, 3])[k]
  FROM generate_series(1, 12) k;

DO $$
DECLARE
    a record;
    st qe.inspection_state;
    p qe.sampling_plan;
BEGIN
    FOR a IN SELECT * FROM arrivals ORDER BY received_at LOOP
        -- the state after this supplier/part's earlier lots: what is in force now
        st := (SELECT qe.inspection_state(r.decision <> 'reject', r.defects, r.ac, true, true ORDER BY r.received_at)
                 FROM receiving r WHERE r.supplier = a.supplier AND r.part = a.part);
        IF st.severity = 'discontinued' THEN
            RAISE NOTICE '% %: inspection discontinued, lot held', a.supplier, a.part;
            CONTINUE;
        END IF;
        p := qe.aql_plan(a.lot_size, a.aql, 'II', st.severity);
        INSERT INTO receiving VALUES (a.supplier, a.part, a.received_at, a.lot_size, a.aql, a.defects,
                                      p.inspection, p.sample_size, p.ac, p.re, qe.lot_decision(p, a.defects));
    END LOOP;
END $$;

SELECT supplier, to_char(received_at, 'Mon DD') AS received, inspection, sample_size AS n, ac, re,
       defects, decision
  FROM receiving ORDER BY supplier, received_at;

\echo
\echo '== The switching history: why each switch happened (window form) =='
SELECT supplier, to_char(received_at, 'Mon DD') AS received, decision,
       (s).severity AS severity_next_lot, (s).consecutive_accepted AS run_accepted,
       (s).not_accepted_in_last_5 AS rejected_last_5, (s).last_switch
  FROM (SELECT *, qe.inspection_state(decision <> 'reject', defects, ac, true, true)
                    OVER (PARTITION BY supplier, part ORDER BY received_at) AS s
          FROM receiving) h
 WHERE supplier = 'Acme Castings'
 ORDER BY received_at;

\echo
\echo '== Where each supplier stands now =='
SELECT supplier, part, (s).severity, (s).lots, (s).consecutive_accepted, (s).last_switch
  FROM (SELECT supplier, part, qe.inspection_state(received_at, decision <> 'reject', defects, ac, true, true, 'z1.4', 5) AS s
          FROM receiving GROUP BY supplier, part) x
 ORDER BY supplier;

\echo
\echo '== How well does the normal plan J 80 2/3 protect us? =='
SELECT round(p_at_pa95::numeric, 4) AS "p at Pa 0.95", round(p_at_pa10::numeric, 4) AS "LTPD (Pa 0.10)",
       round(aoql::numeric, 4) AS aoql
  FROM qe.oc_summary(qe.aql_plan(1000, 1.0));
SELECT round(p::numeric, 3) AS p, round(pa::numeric, 3) AS pa, round(aoq::numeric, 4) AS aoq, round(ati) AS ati
  FROM qe.oc_curve(qe.aql_plan(1000, 1.0), 0, 0.08, 8);

\echo
\echo '== Incoming inspection level for a new supplier of a key part (seed 5.1) =='
SELECT * FROM qe.inspection_points(supplier_status => 'new', part_criticality => 'key',
                                   regulatory_requirement => 'iso9001');
