-- Demo plant: a small machining and moulding plant, simulated deterministically
-- (setseed), with the tables later demo files rely on (SPC_CONTRACT.md):
--   demo.characteristic     what is measured or inspected, with its specification
--   demo.measurement        variables data: subgrouped and individual readings
--   demo.attribute_sample   attribute data: defectives (p chart) and defect counts (c chart)
-- Stories: SHF-200-OD drifts (tool wear), CAP-300-WT shifts (material lot
-- change), CAP-300-VIS is a p chart with one bad sample, PCB-400-SOLDER a
-- c chart with one bad panel; the others are stable.
\set QUIET on
SET max_parallel_workers_per_gather = 0;   -- one scan order, so setseed gives the same data every run
\o /dev/null
SELECT setseed(0.42);
\o

CREATE SCHEMA demo;
COMMENT ON SCHEMA demo IS 'simulated plant of the quality_escape demo';

CREATE TABLE demo.characteristic (
    char_id       text PRIMARY KEY,
    part          text NOT NULL,
    name          text NOT NULL,
    unit          text,
    lsl           float8,
    usl           float8,
    target        float8,
    kind          text NOT NULL CHECK (kind IN ('individual', 'subgrouped', 'attribute')),
    subgroup_size int,              -- measurements per subgroup (1 for individuals); attribute: units per sample, NULL when it varies
    story         text NOT NULL     -- 'stable', 'drift', 'shift', 'special cause'
);

-- subgroup: the sampling event a value belongs to (for individuals, its reading number)
CREATE TABLE demo.measurement (
    char_id  text NOT NULL REFERENCES demo.characteristic,
    t        timestamptz NOT NULL,
    subgroup int NOT NULL,
    value    float8 NOT NULL
);

CREATE TABLE demo.attribute_sample (
    char_id     text NOT NULL REFERENCES demo.characteristic,
    t           timestamptz NOT NULL,
    sample_size int NOT NULL,
    defectives  int,                -- items found defective (p / np charts)
    defects     int                 -- nonconformities counted (c / u charts)
);

INSERT INTO demo.characteristic VALUES
  ('SHF-200-OD',    'SHF-200 drive shaft', 'outer diameter (turned)',      'mm',  24.950, 25.050, 25.000, 'subgrouped', 5,  'drift'),
  ('SHF-200-LEN',   'SHF-200 drive shaft', 'overall length',               'mm', 179.80, 180.20, 180.00, 'subgrouped', 10, 'stable'),
  ('HSG-100-BORE',  'HSG-100 housing',     'bearing bore diameter',        'mm',  42.000, 42.060, 42.030, 'subgrouped', 5,  'stable'),
  ('HSG-100-DEPTH', 'HSG-100 housing',     'pocket depth (one per batch)', 'mm',   8.40,   8.60,   8.50, 'individual', 1,  'stable'),
  ('CAP-300-WT',    'CAP-300 moulded cap', 'shot weight',                  'g',   11.50,  12.50,  12.00, 'individual', 1,  'shift'),
  ('CAP-300-VIS',   'CAP-300 moulded cap', 'visual: short shots, flash',   NULL,   NULL,   NULL,   NULL, 'attribute',  NULL, 'special cause'),
  ('PCB-400-SOLDER','PCB-400 controller',  'solder defects per 25 boards', NULL,   NULL,   NULL,   NULL, 'attribute',  25, 'special cause');

-- standard normal draws by Box-Muller (1 - random() avoids log(0))
CREATE FUNCTION demo.rnorm() RETURNS float8 LANGUAGE sql VOLATILE
  RETURN sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
COMMENT ON FUNCTION demo.rnorm() IS 'a standard normal pseudo-random number (Box-Muller)';

-- SHF-200-OD: 40 hourly subgroups of 5; the tool wears 0.0015 mm per hour
-- from subgroup 16 on (sigma 0.006 mm).
INSERT INTO demo.measurement
SELECT 'SHF-200-OD', timestamptz '2026-03-02 06:00+00' + (g - 1) * interval '1 hour' + j * interval '1 minute', g,
       round((24.998 + greatest(g - 15, 0) * 0.0015 + 0.006 * demo.rnorm())::numeric, 4)
  FROM generate_series(1, 40) g, generate_series(1, 5) j ORDER BY g, j;

-- SHF-200-LEN: 30 subgroups of 10 every two hours, stable (sigma 0.04 mm).
INSERT INTO demo.measurement
SELECT 'SHF-200-LEN', timestamptz '2026-03-02 06:30+00' + (g - 1) * interval '2 hours' + j * interval '1 minute', g,
       round((180.01 + 0.04 * demo.rnorm())::numeric, 3)
  FROM generate_series(1, 30) g, generate_series(1, 10) j ORDER BY g, j;

-- HSG-100-BORE: 30 subgroups of 5, stable (sigma 0.006 mm).
INSERT INTO demo.measurement
SELECT 'HSG-100-BORE', timestamptz '2026-03-02 07:00+00' + (g - 1) * interval '1 hour' + j * interval '1 minute', g,
       round((42.031 + 0.006 * demo.rnorm())::numeric, 4)
  FROM generate_series(1, 30) g, generate_series(1, 5) j ORDER BY g, j;

-- HSG-100-DEPTH: one reading per batch, 50 batches, stable (sigma 0.02 mm).
INSERT INTO demo.measurement
SELECT 'HSG-100-DEPTH', timestamptz '2026-03-02 06:15+00' + (i - 1) * interval '45 minutes', i,
       round((8.505 + 0.02 * demo.rnorm())::numeric, 3)
  FROM generate_series(1, 50) i ORDER BY i;

-- CAP-300-WT: one shot weighed every 30 minutes; material lot change at
-- reading 31 moves the mean from 12.00 g to 12.25 g (sigma 0.08 g).
INSERT INTO demo.measurement
SELECT 'CAP-300-WT', timestamptz '2026-03-02 06:00+00' + (i - 1) * interval '30 minutes', i,
       round((12.00 + CASE WHEN i > 30 THEN 0.25 ELSE 0 END + 0.08 * demo.rnorm())::numeric, 3)
  FROM generate_series(1, 60) i ORDER BY i;

-- CAP-300-VIS: 30 inspection lots of 80 to 150 caps, 3 % defective
-- (binomial draws); lot 22 (113 caps) comes from a cold mould: 16 defective.
INSERT INTO demo.attribute_sample
SELECT 'CAP-300-VIS', timestamptz '2026-03-02 08:00+00' + (s.k - 1) * interval '2 hours', s.n,
       CASE WHEN s.k = 22 THEN 16
            ELSE (SELECT count(*) FROM generate_series(1, s.n) u WHERE random() < 0.03)::int END,
       NULL
  FROM (SELECT k, 80 + (k * 37) % 71 AS n FROM generate_series(1, 30) k) s ORDER BY s.k;

-- PCB-400-SOLDER: 30 panels of 25 boards, about 6 solder defects per panel
-- (Poisson, drawn as binomial(600, 0.01)); panel 17 after a stencil clog: about 20.
INSERT INTO demo.attribute_sample
SELECT 'PCB-400-SOLDER', timestamptz '2026-03-02 09:00+00' + (k - 1) * interval '90 minutes', 25,
       NULL,
       (SELECT count(*) FROM generate_series(1, 600) u
         WHERE random() < CASE WHEN k = 17 THEN 0.033 ELSE 0.01 END)::int
  FROM generate_series(1, 30) k ORDER BY k;

CREATE INDEX ON demo.measurement (char_id, t);
CREATE INDEX ON demo.attribute_sample (char_id, t);
ANALYZE demo.characteristic, demo.measurement, demo.attribute_sample;
RESET max_parallel_workers_per_gather;
\set QUIET off

\echo
\echo '== The plant =='
SELECT c.char_id, c.part, c.name, c.kind, c.story,
       coalesce(m.n, a.n) AS points
  FROM demo.characteristic c
  LEFT JOIN (SELECT char_id, count(DISTINCT subgroup) n FROM demo.measurement GROUP BY char_id) m USING (char_id)
  LEFT JOIN (SELECT char_id, count(*) n FROM demo.attribute_sample GROUP BY char_id) a USING (char_id)
 ORDER BY c.char_id;

\echo
\echo '== Which chart? (qe.select_chart, seed 4.1) =='
SELECT c.char_id, s.chart, s.aggregate, array_to_string(s.warnings, ' | ') AS warnings
  FROM demo.characteristic c
  LEFT JOIN (SELECT char_id, min(sample_size) AS smallest, min(sample_size) = max(sample_size) AS constant,
                    bool_or(defectives IS NOT NULL) AS defectives
               FROM demo.attribute_sample GROUP BY char_id) a USING (char_id),
       qe.select_chart(data_kind     => CASE c.kind WHEN 'attribute' THEN 'attribute' ELSE 'variable' END,
                       subgroup_size => CASE c.kind WHEN 'attribute' THEN a.smallest ELSE c.subgroup_size END,
                       counting      => CASE WHEN c.kind <> 'attribute' THEN NULL
                                             WHEN a.defectives THEN 'defectives' ELSE 'defects' END,
                       constant_size => coalesce(a.constant, true)) s
 ORDER BY c.char_id;

\echo
\echo '== Attribute charts: limits (qe.p_chart, qe.c_chart) =='
SELECT char_id, (l).chart, round((l).center::numeric, 4) AS center, round((l).lcl::numeric, 4) AS lcl,
       round((l).ucl::numeric, 4) AS ucl, (l).n_points AS samples, (l).n_values AS units,
       round((l).avg_sample_size::numeric, 1) AS avg_n
  FROM (SELECT char_id, qe.p_chart(defectives, sample_size) AS l
          FROM demo.attribute_sample WHERE defectives IS NOT NULL GROUP BY char_id
        UNION ALL
        SELECT char_id, qe.c_chart(defects)
          FROM demo.attribute_sample WHERE defects IS NOT NULL GROUP BY char_id) z
 ORDER BY char_id;

\echo
\echo '== CAP-300-VIS: each lot has its own p-chart limits (qe.limits_at at its sample size) =='
WITH cl AS (SELECT qe.p_chart(defectives, sample_size) AS l FROM demo.attribute_sample WHERE char_id = 'CAP-300-VIS')
SELECT row_number() OVER (ORDER BY a.t) AS lot, a.sample_size AS n, a.defectives,
       round(a.defectives::numeric / a.sample_size, 4) AS p,
       round((at).lcl::numeric, 4) AS lcl, round((at).ucl::numeric, 4) AS ucl,
       CASE WHEN a.defectives::float8 / a.sample_size > (at).ucl THEN 'above UCL'
            WHEN a.defectives::float8 / a.sample_size < (at).lcl THEN 'below LCL' END AS signal
  FROM demo.attribute_sample a, cl, LATERAL qe.limits_at(cl.l, a.sample_size) AS at
 WHERE a.char_id = 'CAP-300-VIS'
 ORDER BY a.t;

\echo
\echo '== PCB-400-SOLDER: panels beyond the c-chart limits =='
WITH cl AS (SELECT qe.c_chart(defects) AS l FROM demo.attribute_sample WHERE char_id = 'PCB-400-SOLDER')
SELECT row_number() OVER (ORDER BY a.t) AS panel, a.t, a.defects,
       round((cl.l).ucl::numeric, 2) AS ucl,
       CASE WHEN a.defects > (cl.l).ucl THEN 'above UCL' WHEN a.defects < (cl.l).lcl THEN 'below LCL' END AS signal
  FROM demo.attribute_sample a, cl
 WHERE a.char_id = 'PCB-400-SOLDER'
 ORDER BY a.t;

\echo
\echo '== What to do about a rule 1 signal (qe.ooc_response, seed 4.2) =='
SELECT step, response_level, action, timeline FROM qe.ooc_response() WHERE rule = 1 ORDER BY step;

\echo
\echo '== SHF-200-OD tool wear: when will the drift reach the USL? (qe.trend_projection over the last 8 subgroup means, seed 4.2 rule 3) =='
WITH means AS (
  SELECT subgroup, min(t) AS t, avg(value) AS xbar FROM demo.measurement WHERE char_id = 'SHF-200-OD'
   GROUP BY subgroup ORDER BY subgroup DESC LIMIT 8),
arr AS (
  SELECT array_agg(extract(epoch FROM t)::float8 / 3600 ORDER BY t) AS hours, array_agg(xbar ORDER BY t) AS xbar
    FROM means)
SELECT p.n AS subgroups, round((p.slope * 1000)::numeric, 2) AS drift_um_per_hour,
       p.towards, p.spec_limit, round(p.fitted_last::numeric, 4) AS fitted_now,
       round(p.time_to_limit::numeric, 1) AS hours_to_limit,
       round(p.points_to_limit::numeric, 1) AS subgroups_to_limit
  FROM arr, demo.characteristic c, qe.trend_projection(arr.hours, arr.xbar, c.lsl, c.usl) p
 WHERE c.char_id = 'SHF-200-OD';
