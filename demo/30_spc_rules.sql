-- Tests for special causes on the demo plant (issue 3), and a live signal.
-- Needs the plant of demo/10_spc_plant.sql (demo.characteristic,
-- demo.measurement, demo.attribute_sample).

\echo
\echo '== The eight tests (Nelson / Minitab numbering; bit i-1 = test i) =='
SELECT test, name, definition, default_k AS "K", western_electric_rule AS "WE rule" FROM qe.spc_tests ORDER BY test;

-- Limits of the individuals charts from a baseline (the first 20 readings,
-- as a quality engineer would set them before watching the process):
-- centre = mean, sigma = mean moving range / d2(2).
CREATE TEMP VIEW ind_limits AS
SELECT m.char_id, avg(m.value) AS center,
       avg(m.mr) / (qe.spc_constants(2)).d2 AS sigma
  FROM (SELECT char_id, value, subgroup,
               abs(value - lag(value) OVER (PARTITION BY char_id ORDER BY t)) AS mr
          FROM demo.measurement JOIN demo.characteristic USING (char_id)
         WHERE kind = 'individual') m
 WHERE m.subgroup <= 20
 GROUP BY m.char_id;

\echo
\echo '== Individuals: every point that fails a test (window function, all eight tests) =='
SELECT char_id, t, round(value::numeric, 4) AS value, bits, qe.rule_names(bits) AS rules
  FROM (SELECT m.char_id, m.t, m.value,
               qe.spc_rules(m.value, l.center, l.sigma) OVER (PARTITION BY m.char_id ORDER BY m.t) AS bits
          FROM demo.measurement m JOIN ind_limits l USING (char_id)) q
 WHERE bits <> 0
 ORDER BY char_id, t
 LIMIT 40;

\echo
\echo '== Per characteristic: how many points fail each test =='
SELECT char_id, c.story, r.name AS rule, count(*) AS points
  FROM (SELECT m.char_id,
               qe.spc_rules(m.value, l.center, l.sigma) OVER (PARTITION BY m.char_id ORDER BY m.t) AS bits
          FROM demo.measurement m JOIN ind_limits l USING (char_id)) q
  JOIN demo.characteristic c USING (char_id)
  CROSS JOIN LATERAL unnest(qe.rule_names(q.bits)) AS r(name)
 GROUP BY char_id, c.story, r.name
 ORDER BY char_id, min(r.name);

\echo
\echo '== The same as a report: qe.rule_violations per characteristic, Western Electric rules =='
SELECT m.char_id, v.t, round(v.value::numeric, 4) AS value, v.rules
  FROM (SELECT char_id, qe.rule_violations(value, t, l.center, l.sigma, qe.rule_set('western_electric')) AS viol
          FROM demo.measurement JOIN ind_limits l USING (char_id)
         GROUP BY char_id) m
 CROSS JOIN LATERAL qe.violation_rows(m.viol) AS v
 ORDER BY m.char_id, v.t
 LIMIT 20;

\echo
\echo '== X-bar charts, limits from the first 15 subgroups (sigma of a mean = R-bar / d2(n) / sqrt(n)) =='
WITH sg AS (
    SELECT char_id, subgroup, min(t) AS t, avg(value) AS xbar, max(value) - min(value) AS r, count(*) AS n
      FROM demo.measurement JOIN demo.characteristic USING (char_id)
     WHERE kind = 'subgrouped'
     GROUP BY char_id, subgroup
), lim AS (
    SELECT char_id, avg(xbar) AS center,
           avg(r) / (qe.spc_constants(max(n))).d2 / sqrt(max(n)) AS sigma_xbar
      FROM sg WHERE subgroup <= 15 GROUP BY char_id
)
SELECT char_id, subgroup, round(xbar::numeric, 3) AS xbar, qe.rule_names(bits) AS rules
  FROM (SELECT sg.*, qe.spc_rules(sg.xbar, lim.center, lim.sigma_xbar, qe.rule_set('attribute'))
                       OVER (PARTITION BY sg.char_id ORDER BY sg.subgroup) AS bits
          FROM sg JOIN lim USING (char_id)) q
 WHERE bits <> 0
 ORDER BY char_id, subgroup
 LIMIT 20;

\echo
\echo '== Attribute charts: limits from qe.p_chart / qe.c_chart, per-sample limits from qe.limits_at =='
WITH cl AS (
    SELECT char_id,
           CASE WHEN bool_and(defectives IS NOT NULL) THEN qe.p_chart(defectives, sample_size)
                ELSE qe.c_chart(defects) END AS cl
      FROM demo.attribute_sample GROUP BY char_id
)
SELECT char_id, (cl).chart, t, sample_size AS n, round(plotted::numeric, 4) AS plotted,
       round(((qe.limits_at(cl, sample_size)).ucl)::numeric, 4) AS ucl_at_n, qe.rule_names(bits) AS rules
  FROM (SELECT a.*, cl.cl,
               CASE (cl.cl).chart WHEN 'p' THEN a.defectives::float8 / a.sample_size ELSE a.defects END AS plotted,
               qe.spc_rules(CASE (cl.cl).chart WHEN 'p' THEN a.defectives::float8 / a.sample_size ELSE a.defects END,
                            qe.limits_at(cl.cl, a.sample_size), qe.rule_set('attribute'))
                 OVER (PARTITION BY a.char_id ORDER BY a.t) AS bits
          FROM demo.attribute_sample a JOIN cl USING (char_id)) q
 WHERE bits <> 0
 ORDER BY char_id, t;

\echo
\echo '== What to do (seed section 4.2, qe.ooc_response): first step for each test that fired =='
SELECT v.char_id, v.test, r.signal, r.response_level, r.action, r.timeline
  FROM (SELECT DISTINCT q.char_id, t.test
          FROM (SELECT m.char_id,
                       qe.spc_rules(m.value, l.center, l.sigma, qe.rule_set('attribute'))
                         OVER (PARTITION BY m.char_id ORDER BY m.t) AS bits
                  FROM demo.measurement m JOIN ind_limits l USING (char_id)) q
          JOIN qe.spc_tests t ON q.bits & t.bit <> 0) v
  JOIN qe.ooc_response() r ON r.rule = v.test AND r.step = 1
 ORDER BY v.char_id, v.test;

\echo '== Live: a gauge feed table watched by qe.spc_watch, NOTIFY qe_spc_signal =='
-- The limits of the individuals charts above become the watched limits.
INSERT INTO qe.spc_limits (characteristic, center, sigma, config)
SELECT char_id, center, sigma, qe.rule_set('nelson') FROM ind_limits;
-- The gauges write here (a table of the user's own; demo.measurement stays as it is).
CREATE TABLE demo.gauge_reading (
    reading_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    char_id    text NOT NULL,
    read_at    timestamptz NOT NULL DEFAULT now(),
    value      double precision NOT NULL
);
CREATE TRIGGER spc_watch AFTER INSERT ON demo.gauge_reading
    FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('char_id', 'value', 'read_at', 'reading_id');
LISTEN qe_spc_signal;
-- three pocket depths on the centre line, then one far beyond the UCL:
-- psql prints the notification the listener receives at commit
INSERT INTO demo.gauge_reading (char_id, read_at, value)
SELECT 'HSG-100-DEPTH', '2026-03-04 08:00+00'::timestamptz + k * interval '1 minute',
       round((CASE k WHEN 4 THEN l.center + 4 * l.sigma ELSE l.center END)::numeric, 3)
  FROM ind_limits l, generate_series(1, 4) k
 WHERE l.char_id = 'HSG-100-DEPTH';
SELECT characteristic, table_name, row_ref, test, rule, round(value::numeric, 4) AS value, t
  FROM qe.spc_signal ORDER BY signal_id;
SELECT characteristic, n_points FROM qe.spc_state ORDER BY characteristic;
UNLISTEN qe_spc_signal;
