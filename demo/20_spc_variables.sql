-- Variables charts and capability for the demo plant (demo/10_spc_plant.sql):
-- per variables characteristic the chart the seed's flowchart selects, its
-- limits from the C aggregates (no ORDER BY: the aggregates sort or group
-- the rows themselves), capability with its confidence limits and the
-- seed 4.3 interpretation, and the two-step BI use (stored daily summaries
-- rolled up).

\echo
\echo '== Variables charts: limits (qe.imr_chart, qe.xbar_r_chart, qe.xbar_s_chart; chart chosen by qe.select_chart) =='
-- FILTER: every aggregate of a SELECT runs over the group, so each one gets
-- only the rows of the characteristics its chart was selected for.
CREATE TABLE demo.variables_limits AS
WITH sel AS (
  SELECT c.char_id, (qe.select_chart('variable', c.subgroup_size)).chart AS chart
    FROM demo.characteristic c WHERE c.kind <> 'attribute')
SELECT m.char_id, s.chart,
       coalesce(qe.imr_chart(m.value, m.t) FILTER (WHERE s.chart = 'I-MR'),
                qe.xbar_r_chart(m.value, m.subgroup::bigint) FILTER (WHERE s.chart = 'Xbar-R'),
                qe.xbar_s_chart(m.value, m.subgroup::bigint) FILTER (WHERE s.chart = 'Xbar-S')) AS l
  FROM demo.measurement m JOIN sel s USING (char_id)
 GROUP BY m.char_id, s.chart;
COMMENT ON TABLE demo.variables_limits IS 'control limits of the variables characteristics, one row each';
SELECT v.char_id, (l).chart, (l).n_points AS points, round((l).avg_sample_size::numeric, 1) AS n,
       round((l).center::numeric, 4) AS center, round((l).lcl::numeric, 4) AS lcl, round((l).ucl::numeric, 4) AS ucl,
       round((l).sigma::numeric, 5) AS sigma, (l).disp_chart AS disp,
       round((l).disp_center::numeric, 5) AS disp_center, round((l).disp_ucl::numeric, 5) AS disp_ucl, c.unit
  FROM demo.variables_limits v JOIN demo.characteristic c USING (char_id)
 ORDER BY v.char_id;

\echo
\echo '== Points beyond the limits (the drift of SHF-200-OD and the shift of CAP-300-WT show up) =='
WITH pts AS (
  SELECT char_id, subgroup, avg(value) AS plotted FROM demo.measurement GROUP BY char_id, subgroup)
SELECT p.char_id, v.chart, count(*) AS points,
       count(*) FILTER (WHERE p.plotted > (v.l).ucl) AS above_ucl,
       count(*) FILTER (WHERE p.plotted < (v.l).lcl) AS below_lcl,
       min(p.subgroup) FILTER (WHERE p.plotted NOT BETWEEN (v.l).lcl AND (v.l).ucl) AS first_signal_at
  FROM pts p JOIN demo.variables_limits v USING (char_id)
 GROUP BY p.char_id, v.chart ORDER BY p.char_id;

\echo
\echo '== Capability (qe.capability): Cp/Cpk from sigma within, Pp/Ppk from sigma overall =='
WITH cap AS (
  SELECT m.char_id, qe.capability(m.value, m.t, c.lsl, c.usl, c.target) AS k
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'individual' GROUP BY m.char_id
  UNION ALL
  SELECT m.char_id, qe.capability(m.value, m.subgroup::bigint, c.lsl, c.usl, c.target, 'pooled')
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'subgrouped' GROUP BY m.char_id)
SELECT char_id, (k).n, (k).within_method AS within, round((k).sigma_within::numeric, 5) AS s_within,
       round((k).sigma_overall::numeric, 5) AS s_overall,
       round((k).cp::numeric, 2) AS cp, round((k).cpk::numeric, 2) AS cpk,
       round((k).pp::numeric, 2) AS pp, round((k).ppk::numeric, 2) AS ppk, round((k).cpm::numeric, 2) AS cpm,
       (qe.capability_band((k).cpk)).cpk_range AS band
  FROM cap ORDER BY char_id;

\echo
\echo '== What the numbers mean (qe.capability_band, qe.cp_cpk_diagnosis, qe.pp_cp_diagnosis; seed 4.3) =='
WITH cap AS (
  SELECT m.char_id, qe.capability(m.value, m.t, c.lsl, c.usl, c.target) AS k
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'individual' GROUP BY m.char_id
  UNION ALL
  SELECT m.char_id, qe.capability(m.value, m.subgroup::bigint, c.lsl, c.usl, c.target, 'pooled')
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'subgrouped' GROUP BY m.char_id)
SELECT char_id, (qe.capability_band((k).cpk)).interpretation,
       (qe.cp_cpk_diagnosis((k).cp, (k).cpk)).condition AS cp_vs_cpk,
       (qe.pp_cp_diagnosis((k).cp, (k).cpk, (k).pp, (k).ppk)).meaning AS pp_vs_cp
  FROM cap ORDER BY char_id;

\echo
\echo '== How sure are we? 95 % limits: chi-square for Cp, Bissell (1990) for Cpk =='
WITH cap AS (
  SELECT m.char_id, qe.capability(m.value, m.t, c.lsl, c.usl, c.target) AS k
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'individual' GROUP BY m.char_id
  UNION ALL
  SELECT m.char_id, qe.capability(m.value, m.subgroup::bigint, c.lsl, c.usl, c.target, 'pooled')
    FROM demo.measurement m JOIN demo.characteristic c USING (char_id)
   WHERE c.kind = 'subgrouped' GROUP BY m.char_id)
SELECT char_id, (k).n,
       round((qe.cp_confidence(k)).lower::numeric, 2) AS cp_low, round((k).cp::numeric, 2) AS cp,
       round((qe.cp_confidence(k)).upper::numeric, 2) AS cp_high,
       round((qe.cpk_confidence(k)).lower::numeric, 2) AS cpk_low, round((k).cpk::numeric, 2) AS cpk,
       round((qe.cpk_confidence(k)).upper::numeric, 2) AS cpk_high
  FROM cap ORDER BY char_id;

\echo
\echo '== Subgrouped sigma within: the three estimators side by side (pooled is the default) =='
SELECT m.char_id, meth.method,
       round((qe.capability(m.value, m.subgroup::bigint, c.lsl, c.usl, NULL, meth.method)).sigma_within::numeric, 5) AS sigma_within,
       round((qe.capability(m.value, m.subgroup::bigint, c.lsl, c.usl, NULL, meth.method)).cpk::numeric, 3) AS cpk
  FROM demo.measurement m JOIN demo.characteristic c USING (char_id),
       (VALUES ('pooled'), ('rbar'), ('sbar')) meth(method)
 WHERE c.kind = 'subgrouped'
 GROUP BY m.char_id, meth.method ORDER BY m.char_id, meth.method;

\echo
\echo '== Two-step BI use: store one qe.capability_summary per characteristic and hour, roll them up later =='
CREATE TABLE demo.capability_hourly AS
  SELECT char_id, date_trunc('hour', t) AS hour, qe.capability_summary(value, t) AS summary
    FROM demo.measurement
   WHERE char_id IN (SELECT char_id FROM demo.characteristic WHERE kind = 'individual')
   GROUP BY char_id, date_trunc('hour', t);
COMMENT ON TABLE demo.capability_hourly IS 'hourly capability summaries of the individual-value characteristics';
SELECT char_id, hour, summary FROM demo.capability_hourly ORDER BY char_id, hour LIMIT 3;
SELECT h.char_id, count(*) AS hourly_summaries,
       round((qe.capability(qe.capability_rollup(h.summary), c.lsl, c.usl)).cpk::numeric, 6) AS cpk_from_rollup,
       round((SELECT (qe.capability(m.value, m.t, c.lsl, c.usl)).cpk FROM demo.measurement m
               WHERE m.char_id = h.char_id)::numeric, 6) AS cpk_from_raw_rows
  FROM demo.capability_hourly h JOIN demo.characteristic c USING (char_id)
 GROUP BY h.char_id, c.lsl, c.usl ORDER BY h.char_id;
