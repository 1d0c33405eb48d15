-- SPC interpretation helpers (issue 3, seed section 4): chart selection,
-- out-of-control response protocol, trend projection, capability bands and
-- diagnoses.  Texts are ASCII (">=" for the seed's greater-or-equal sign, "~"
-- for its approximately-equal sign) so they are valid in any server encoding.

-- Chart selection (seed 4.1) --------------------------------------------

CREATE TYPE @extschema@.chart_selection AS (
    chart     text,    -- as in qe.control_limits.chart: I-MR, Xbar-R, Xbar-S, p, np, c, u
    aggregate text,    -- the qe aggregate that computes its limits
    reason    text,    -- the branch of the seed's flowchart taken
    warnings  text[]   -- the seed's cautions that apply (normality, sample sizes, Poisson, ...)
);
COMMENT ON TYPE @extschema@.chart_selection IS
  'Result of qe.select_chart: the control chart to use, the aggregate computing it, the reason and the warnings of seed section 4.1';

CREATE FUNCTION @extschema@.select_chart(data_kind text,
                                         subgroup_size bigint DEFAULT NULL,
                                         counting text DEFAULT NULL,
                                         constant_size boolean DEFAULT true)
RETURNS @extschema@.chart_selection
AS 'MODULE_PATHNAME', 'qe_interp_select_chart'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.select_chart(text, bigint, text, boolean) IS
  'Control chart selection (seed 4.1): data_kind variable|attribute; subgroup_size = measurements per subgroup (1 = individuals) or units per attribute sample (NULL = unknown); counting defectives|defects for attribute data; constant_size = constant sample size / inspection area';

-- Out-of-control response protocol (seed 4.2) -----------------------------

-- Data, not configuration: the seed's protocol for rules 1-4, keyed by the
-- Minitab/Nelson rule number used by qe.spc_rules.  Rules 5-8 have no rows
-- (the seed gives no protocol for them).  due_within is set only where the
-- seed names a fixed duration; "within 1 shift", "within minutes" and event
-- based timelines keep it NULL (read timeline).
CREATE FUNCTION @extschema@.ooc_response()
RETURNS TABLE (rule integer, signal text, step integer, response_level text,
               action text, timeline text, due_within interval)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT v.rule, v.signal, v.step, v.response_level, v.action, v.timeline, v.due_within
    FROM (VALUES
      (1, 'Point beyond 3 sigma control limit', 1, 'Immediate',
          'Stop process if product is being produced; quarantine output since last known good point',
          'Within minutes', NULL::interval),
      (1, 'Point beyond 3 sigma control limit', 2, 'Investigation',
          'Identify the assignable cause: what changed? Check 6M categories systematically',
          'Within 4 hours', interval '4 hours'),
      (1, 'Point beyond 3 sigma control limit', 3, 'Containment',
          'Sort/inspect product produced during the out-of-control period',
          'Within 1 shift', NULL),
      (1, 'Point beyond 3 sigma control limit', 4, 'Correction',
          'Address the assignable cause and restart production with increased monitoring',
          'Before next production run', NULL),
      (1, 'Point beyond 3 sigma control limit', 5, 'Documentation',
          'NCR if product was affected; update control chart with annotation',
          'Within 24 hours', interval '24 hours'),
      (2, 'Nine consecutive points on one side of the center line (run)', 1, 'Investigation',
          'Process mean has likely shifted. Check for: tool wear progression, material lot change, environmental drift, measurement calibration shift',
          'Within 1 shift', NULL),
      (2, 'Nine consecutive points on one side of the center line (run)', 2, 'Adjustment',
          'If assignable cause found: correct. If no assignable cause found and process is still within spec, continue monitoring but increase sampling frequency',
          'Within 24 hours', interval '24 hours'),
      (2, 'Nine consecutive points on one side of the center line (run)', 3, 'Recalculation',
          'If the shift is intentional (process improvement) or represents a new process level, recalculate control limits with new data',
          'After 25+ subgroups at new level', NULL),
      (3, 'Six consecutive points steadily increasing or decreasing (trend)', 1, 'Investigation',
          'Process is drifting. Most common causes: tool wear, chemical depletion, thermal drift, filter degradation',
          'Within 1 shift', NULL),
      (3, 'Six consecutive points steadily increasing or decreasing (trend)', 2, 'Projection',
          'At the current drift rate, when will the process exceed the specification limit? This determines urgency (qe.trend_projection)',
          'Immediate calculation', NULL),
      (3, 'Six consecutive points steadily increasing or decreasing (trend)', 3, 'Preemptive action',
          'Adjust the process (tool change, chemical replenishment) BEFORE it reaches the spec limit',
          'Before projected spec limit crossing', NULL),
      (4, 'Fourteen consecutive points alternating up and down (stratification/mixing)', 1, 'Investigation',
          'This pattern indicates over-control (tampering), two alternating streams (e.g., two spindles, two cavities), or systematic measurement error',
          'Within 24 hours', interval '24 hours'),
      (4, 'Fourteen consecutive points alternating up and down (stratification/mixing)', 2, 'Verification',
          'Check if the subgroup data is being collected from multiple sources that should be charted separately',
          'Within 48 hours', interval '48 hours'),
      (4, 'Fourteen consecutive points alternating up and down (stratification/mixing)', 3, 'Stratification',
          'If data is from multiple streams, create separate charts for each stream',
          'Within 1 week', interval '7 days')
    ) AS v(rule, signal, step, response_level, action, timeline, due_within)
   ORDER BY v.rule, v.step;
END;
COMMENT ON FUNCTION @extschema@.ooc_response() IS
  'Out-of-control response protocol (seed 4.2): for rules 1-4 the response levels in order (step) with action, timeline and, where the seed names a fixed duration, due_within; rules 5-8 have no rows; join on rule';

-- Trend projection (seed 4.2, rule 3) -------------------------------------

CREATE TYPE @extschema@.trend_projection AS (
    n               bigint,            -- points used (pairs with a NULL skipped)
    slope           double precision,  -- least-squares drift per unit of t
    intercept       double precision,  -- fitted value at t = 0
    t_last          double precision,  -- last (largest) t
    fitted_last     double precision,  -- drift line at t_last
    towards         text,              -- 'USL' or 'LSL' drifted towards, NULL if none
    spec_limit      double precision,  -- that limit
    t_at_limit      double precision,  -- t where the line crosses it
    time_to_limit   double precision,  -- t_at_limit - t_last, 0 if already beyond
    points_to_limit double precision   -- time_to_limit / mean spacing of the points
);
COMMENT ON TYPE @extschema@.trend_projection IS
  'Result of qe.trend_projection: the least-squares drift line and when it crosses the specification limit it heads for';

CREATE FUNCTION @extschema@.trend_projection(t double precision[], value double precision[],
                                             lsl double precision, usl double precision)
RETURNS @extschema@.trend_projection
AS 'MODULE_PATHNAME', 'qe_interp_trend_projection'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.trend_projection(double precision[], double precision[], double precision, double precision) IS
  'Rule 3 projection (seed 4.2): fits value = a + b t by least squares over the recent points and returns when the line crosses USL (b > 0) or LSL (b < 0), in units of t and in points; towards and the crossing are NULL when not drifting towards a given limit; NULL for fewer than 2 distinct t';

-- Capability interpretation (seed 4.3) ------------------------------------

CREATE TYPE @extschema@.capability_band AS (
    band           text,              -- short name, e.g. 'capable'
    cpk_range      text,              -- the seed's row, e.g. '1.33 <= Cpk < 1.67'
    interpretation text,
    action         text,              -- action required
    lower_bound    double precision,  -- inclusive (-Infinity for the last band)
    upper_bound    double precision   -- exclusive (Infinity for the first band)
);
COMMENT ON TYPE @extschema@.capability_band IS
  'A Cpk band of seed 4.3 with its interpretation and required action';

CREATE FUNCTION @extschema@.capability_band(cpk double precision)
RETURNS @extschema@.capability_band
AS 'MODULE_PATHNAME', 'qe_interp_capability_band'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.capability_band(double precision) IS
  'Cpk band (seed 4.3): >= 2.00, [1.67, 2.00), [1.33, 1.67), [1.00, 1.33), [0.67, 1.00), < 0.67 with interpretation and required action; Infinity (zero variation) is in the top band';

CREATE TYPE @extschema@.capability_diagnosis AS (
    condition text,             -- the seed's row, e.g. 'Cp high, Cpk low'
    meaning   text,
    detail    text,             -- Pp/Ppk table: the seed's "Represents" column
    action    text,
    ratio     double precision  -- Cpk/Cp, or Pp/Cp (= sigma within / sigma overall)
);
COMMENT ON TYPE @extschema@.capability_diagnosis IS
  'A row of the seed 4.3 Cp vs. Cpk or Pp/Ppk vs. Cp/Cpk tables, with the ratio the decision used';

CREATE FUNCTION @extschema@.cp_cpk_diagnosis(cp double precision, cpk double precision)
RETURNS @extschema@.capability_diagnosis
AS 'MODULE_PATHNAME', 'qe_interp_cp_cpk_diagnosis'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cp_cpk_diagnosis(double precision, double precision) IS
  'Cp vs. Cpk diagnosis (seed 4.3): high means >= 1.33; Cpk ~ Cp when Cpk/Cp > 0.90; centre the process (Cp high, Cpk low) or reduce variation (Cp low)';

CREATE FUNCTION @extschema@.pp_cp_diagnosis(cp double precision, cpk double precision,
                                            pp double precision, ppk double precision)
RETURNS @extschema@.capability_diagnosis
AS 'MODULE_PATHNAME', 'qe_interp_pp_cp_diagnosis'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pp_cp_diagnosis(double precision, double precision, double precision, double precision) IS
  'Pp/Ppk vs. Cp/Cpk diagnosis (seed 4.3): ratio Pp/Cp (or Ppk/Cpk) <= 0.90 means the mean shifts between subgroups, 0.90-1.10 stable; NULL when neither pair is given';
