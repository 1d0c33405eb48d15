-- Control-chart constants: published values (Montgomery, Appendix VI) for a
-- few subgroup sizes, rounded to the table's printed precision.
SELECT n, round(d2::numeric, 3) AS d2, round(d3::numeric, 3) AS d3,
       round(c4::numeric, 4) AS c4, round("A2"::numeric, 3) AS "A2",
       round("A3"::numeric, 3) AS "A3", round("B3"::numeric, 3) AS "B3",
       round("B4"::numeric, 3) AS "B4", round("D3"::numeric, 3) AS "D3",
       round("D4"::numeric, 3) AS "D4", round("E2"::numeric, 3) AS "E2"
FROM unnest(ARRAY[2, 5, 10, 25]) AS s(k), qe.spc_constants(k);

-- Beyond the table: n = 50 and n = 1000 still compute (d2(50) = 4.498, Harter).
SELECT n, round(d2::numeric, 3) AS d2 FROM qe.spc_constants(50);
SELECT n, d2 > 6 AND d3 < 0.5 AND c4 < 1 AS sane FROM qe.spc_constants(1000);

-- Errors
SELECT qe.spc_constants(1);
SELECT qe.spc_constants(NULL) IS NULL AS strict_null;
