-- Benchmark: acceptance sampling.  :rows lots; :rows / 100 supplier/part groups.
--  1. qe.aql_plan per lot vs the same query calling abs(lot_size)      (target <= 2x)
--  2. qe.inspection_state per supplier/part vs count(*), same grouping (target <= 2x):
--     the ORDER BY form (PostgreSQL 15 sorts every group's rows itself: compare
--     also with its own count(x ORDER BY x)), and the received_at form (no
--     ORDER BY; compare also with array_agg, which keeps every row as it does)
--  3. the window form vs count(*) over the same window
\set groups (:rows / 100)
SET max_parallel_workers_per_gather = 0;   -- one backend each side: a ratio of per-row costs
SET jit = off;
SET work_mem = '256MB';

CREATE TABLE bench.smp_lots AS
SELECT i AS id,
       (hashint8(i) & 2147483647) % :groups AS supplier_part,
       timestamptz '2020-01-01' + i * interval '1 minute' AS received_at,
       2 + (hashint8(i * 7) & 2147483647) % 600000 AS lot_size,
       (ARRAY[0.65, 1.0, 1.5, 2.5, 4.0])[1 + (i % 5)]::numeric AS aql,
       (ARRAY['0.65', '1.0', '1.5', '2.5', '4.0'])[1 + (i % 5)] AS aql_text,
       (hashint8(i * 13) & 2147483647) % 10 <> 0 AS accepted,
       ((hashint8(i * 17) & 2147483647) % 4)::bigint AS defects_found
  FROM generate_series(1, :rows) i;
VACUUM ANALYZE bench.smp_lots;

INSERT INTO bench.result
SELECT 'sampling', 'abs(lot_size)', bench.time_ms($$SELECT sum(abs(lot_size)) FROM bench.smp_lots$$), NULL, NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.aql_plan(lot_size, aql numeric)',
       bench.time_ms($$SELECT sum((qe.aql_plan(lot_size, aql)).sample_size) FROM bench.smp_lots$$),
       'abs(lot_size)', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.aql_plan(lot_size, aql text)',
       bench.time_ms($$SELECT sum((qe.aql_plan(lot_size, aql_text)).sample_size) FROM bench.smp_lots$$),
       'abs(lot_size)', NULL;

INSERT INTO bench.result
SELECT 'sampling', 'count(*) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum(c) FROM (SELECT supplier_part, count(*) AS c
                                             FROM bench.smp_lots GROUP BY supplier_part) s$$), NULL, NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.inspection_state(accepted ORDER BY received_at) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum((st).lots) FROM (SELECT supplier_part,
                               qe.inspection_state(accepted ORDER BY received_at) AS st
                          FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.inspection_state(7 args ORDER BY received_at) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum((st).lots) FROM (SELECT supplier_part,
                               qe.inspection_state(accepted, defects_found, 2, true, true, 'z1.4', 5
                                                   ORDER BY received_at) AS st
                          FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.inspection_state(received_at, accepted) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum((st).lots) FROM (SELECT supplier_part,
                               qe.inspection_state(received_at, accepted) AS st
                          FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.inspection_state(received_at, 8 args) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum((st).lots) FROM (SELECT supplier_part,
                               qe.inspection_state(received_at, accepted, defects_found, 2, true, true, 'z1.4', 5) AS st
                          FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
-- secondary baselines: PostgreSQL's own ordered aggregate, and an aggregate that keeps every row
INSERT INTO bench.result
SELECT 'sampling', 'count(received_at ORDER BY received_at) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum(c) FROM (SELECT supplier_part, count(received_at ORDER BY received_at) AS c
                                             FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'array_agg(received_at) GROUP BY supplier_part',
       bench.time_ms($$SELECT sum(cardinality(a)) FROM (SELECT supplier_part, array_agg(received_at) AS a
                                             FROM bench.smp_lots GROUP BY supplier_part) s$$),
       'count(*) GROUP BY supplier_part', NULL;
INSERT INTO bench.result
SELECT 'sampling', 'count(*) OVER (PARTITION BY supplier_part ORDER BY received_at)',
       bench.time_ms($$SELECT sum(c) FROM (SELECT count(*) OVER (PARTITION BY supplier_part ORDER BY received_at) AS c
                                             FROM bench.smp_lots) s$$), NULL, NULL;
INSERT INTO bench.result
SELECT 'sampling', 'qe.inspection_state(accepted) OVER (PARTITION BY supplier_part ORDER BY received_at)',
       bench.time_ms($$SELECT sum((st).lots) FROM (SELECT qe.inspection_state(accepted)
                               OVER (PARTITION BY supplier_part ORDER BY received_at) AS st
                          FROM bench.smp_lots) s$$),
       'count(*) OVER (PARTITION BY supplier_part ORDER BY received_at)', NULL;

-- the same key ratios measured by alternation (bench.compare: B, C, B, C, ...),
-- which a change in the machine's load cannot skew towards one side
\o /dev/null
SELECT bench.compare('sampling', 'abs(lot_size)', $$SELECT sum(abs(lot_size)) FROM bench.smp_lots$$,
       'qe.aql_plan(lot_size, aql numeric)', $$SELECT sum((qe.aql_plan(lot_size, aql)).sample_size) FROM bench.smp_lots$$);
SELECT bench.compare('sampling', 'count(*) GROUP BY supplier_part',
       $$SELECT sum(c) FROM (SELECT supplier_part, count(*) AS c FROM bench.smp_lots GROUP BY supplier_part) s$$,
       'qe.inspection_state(received_at, accepted) GROUP BY supplier_part',
       $$SELECT sum((st).lots) FROM (SELECT supplier_part, qe.inspection_state(received_at, accepted) AS st
                                      FROM bench.smp_lots GROUP BY supplier_part) s$$, 3);
SELECT bench.compare('sampling', 'count(*) GROUP BY supplier_part',
       $$SELECT sum(c) FROM (SELECT supplier_part, count(*) AS c FROM bench.smp_lots GROUP BY supplier_part) s$$,
       'qe.inspection_state(accepted ORDER BY received_at) GROUP BY supplier_part',
       $$SELECT sum((st).lots) FROM (SELECT supplier_part, qe.inspection_state(accepted ORDER BY received_at) AS st
                                      FROM bench.smp_lots GROUP BY supplier_part) s$$, 3);
\o

SELECT r.label, round(r.ms::numeric, 1) AS ms, r.baseline, round(coalesce(r.ratio, r.ms / b.ms)::numeric, 2) AS ratio
  FROM bench.result r LEFT JOIN bench.result b ON b.bench = 'sampling' AND b.label = r.baseline
 WHERE r.bench = 'sampling' ORDER BY r.ctid;

UPDATE bench.result r SET ratio = r.ms / b.ms
  FROM bench.result b WHERE r.bench = 'sampling' AND b.bench = 'sampling' AND b.label = r.baseline AND r.ratio IS NULL;
