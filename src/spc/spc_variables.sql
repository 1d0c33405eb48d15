-- Variables control charts (I-MR, X-bar/R, X-bar/S) and process capability:
-- aggregates in C (src/spc/spc_individuals_pg.c, spc_subgroups_pg.c,
-- spc_capability_pg.c; the statistics in spc_variables.c).

CREATE TYPE @extschema@.capability AS (
    cp            double precision, -- (USL - LSL) / (6 sigma_within); NULL when one-sided
    cpk           double precision, -- min(cpl, cpu); the one side when one-sided
    cpl           double precision, -- (mean - LSL) / (3 sigma_within)
    cpu           double precision, -- (USL - mean) / (3 sigma_within)
    pp            double precision, -- as cp with sigma_overall
    ppk           double precision,
    ppl           double precision,
    ppu           double precision,
    cpm           double precision, -- min(T - LSL, USL - T) / (3 tau), tau^2 = sum (x - T)^2 / (n - 1); NULL without target
    n             bigint,           -- values
    mean          double precision,
    sigma_within  double precision, -- MR-bar/d2(2), or from subgroups (within_method)
    sigma_overall double precision, -- sample standard deviation
    lsl           double precision,
    usl           double precision,
    target        double precision,
    within_method text              -- 'mr', 'rbar', 'sbar' or 'pooled'
);
COMMENT ON TYPE @extschema@.capability IS
  'Process capability: Cp, Cpk, Cpl, Cpu (sigma within), Pp, Ppk, Ppl, Ppu (sigma overall), Cpm (with a target), n, mean, both sigmas, the specification and the within-sigma method';

CREATE TYPE @extschema@.confidence_interval AS (
    estimate double precision,
    lower    double precision,
    upper    double precision,
    level    double precision,
    method   text
);
COMMENT ON TYPE @extschema@.confidence_interval IS
  'A two-sided confidence interval for a capability index: estimate, lower and upper limits, confidence level and the method used';

-- ---------------------------------------------------------------- individuals
CREATE FUNCTION @extschema@._spc_indiv_trans(internal, double precision, bigint)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_indiv_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, bigint, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, bigint, double precision, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_indiv_trans(internal, double precision, timestamp)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_indiv_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, timestamp, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, timestamp, double precision, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_indiv_trans(internal, double precision, timestamptz)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_indiv_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, timestamptz, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_trans(internal, double precision, timestamptz, double precision, double precision, double precision)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_indiv_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_indiv_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_indiv_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'qe_spc_indiv_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_indiv_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_indiv_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_imr_final(internal)
RETURNS @extschema@.control_limits AS 'MODULE_PATHNAME', 'qe_spc_imr_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_cap_final(internal)
RETURNS @extschema@.capability AS 'MODULE_PATHNAME', 'qe_spc_cap_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The summary type of one time bucket of individual values (80 bytes).
CREATE TYPE @extschema@.capability_summary;
CREATE FUNCTION @extschema@._spc_summary_in(cstring) RETURNS @extschema@.capability_summary
AS 'MODULE_PATHNAME', 'qe_spc_summary_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_summary_out(@extschema@.capability_summary) RETURNS cstring
AS 'MODULE_PATHNAME', 'qe_spc_summary_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_summary_recv(internal) RETURNS @extschema@.capability_summary
AS 'MODULE_PATHNAME', 'qe_spc_summary_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_summary_send(@extschema@.capability_summary) RETURNS bytea
AS 'MODULE_PATHNAME', 'qe_spc_summary_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.capability_summary (
    INPUT = @extschema@._spc_summary_in,
    OUTPUT = @extschema@._spc_summary_out,
    RECEIVE = @extschema@._spc_summary_recv,
    SEND = @extschema@._spc_summary_send,
    INTERNALLENGTH = 80,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.capability_summary IS
  'Summary of one time bucket of individual values (n, mean, M2, sum and count of moving ranges, first and last (t, x)): store it, roll it up with qe.capability_rollup, read it with qe.capability(summary, lsl, usl)';
CREATE FUNCTION @extschema@._spc_summary_final(internal)
RETURNS @extschema@.capability_summary AS 'MODULE_PATHNAME', 'qe_spc_summary_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.imr_chart(value double precision, t bigint) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_imr_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.imr_chart(double precision, bigint) IS
  'Individuals and moving-range (span 2) chart limits in the order of t, sorted inside the aggregate (no ORDER BY needed): centre = mean, sigma = MR-bar/d2(2), limits centre -+ 3 sigma; MR chart 0 .. D4(2) MR-bar. Two values at one t are an error (21000); NULL value or t skipped; fewer than 2 values gives NULL; holds 16 bytes per row';

CREATE AGGREGATE @extschema@.capability(value double precision, t bigint, lsl double precision, usl double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, bigint, double precision, double precision) IS
  'Process capability of individual values ordered by t (sorted inside the aggregate): Cp/Cpk with sigma within = MR-bar/d2(2), Pp/Ppk with the sample standard deviation; a NULL lsl or usl gives one-sided indices; limits must be constant in a group';

CREATE AGGREGATE @extschema@.capability(value double precision, t bigint, lsl double precision, usl double precision, target double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, bigint, double precision, double precision, double precision) IS
  'Process capability of individual values ordered by t, with Cpm = min(T - LSL, USL - T) / (3 sqrt(sum (x - T)^2 / (n - 1))) for the target T';

CREATE AGGREGATE @extschema@.capability_summary(value double precision, t bigint) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_summary_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability_summary(double precision, bigint) IS
  'The qe.capability_summary of the values (one time bucket, e.g. a day): store it and roll buckets up with qe.capability_rollup; NULL when every value is NULL';

CREATE AGGREGATE @extschema@.imr_chart(value double precision, t timestamp) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_imr_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.imr_chart(double precision, timestamp) IS
  'Individuals and moving-range (span 2) chart limits in the order of t, sorted inside the aggregate (no ORDER BY needed): centre = mean, sigma = MR-bar/d2(2), limits centre -+ 3 sigma; MR chart 0 .. D4(2) MR-bar. Two values at one t are an error (21000); NULL value or t skipped; fewer than 2 values gives NULL; holds 16 bytes per row';

CREATE AGGREGATE @extschema@.capability(value double precision, t timestamp, lsl double precision, usl double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamp, double precision, double precision) IS
  'Process capability of individual values ordered by t (sorted inside the aggregate): Cp/Cpk with sigma within = MR-bar/d2(2), Pp/Ppk with the sample standard deviation; a NULL lsl or usl gives one-sided indices; limits must be constant in a group';

CREATE AGGREGATE @extschema@.capability(value double precision, t timestamp, lsl double precision, usl double precision, target double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamp, double precision, double precision, double precision) IS
  'Process capability of individual values ordered by t, with Cpm = min(T - LSL, USL - T) / (3 sqrt(sum (x - T)^2 / (n - 1))) for the target T';

CREATE AGGREGATE @extschema@.capability_summary(value double precision, t timestamp) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_summary_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability_summary(double precision, timestamp) IS
  'The qe.capability_summary of the values (one time bucket, e.g. a day): store it and roll buckets up with qe.capability_rollup; NULL when every value is NULL';

CREATE AGGREGATE @extschema@.imr_chart(value double precision, t timestamptz) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_imr_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.imr_chart(double precision, timestamptz) IS
  'Individuals and moving-range (span 2) chart limits in the order of t, sorted inside the aggregate (no ORDER BY needed): centre = mean, sigma = MR-bar/d2(2), limits centre -+ 3 sigma; MR chart 0 .. D4(2) MR-bar. Two values at one t are an error (21000); NULL value or t skipped; fewer than 2 values gives NULL; holds 16 bytes per row';

CREATE AGGREGATE @extschema@.capability(value double precision, t timestamptz, lsl double precision, usl double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamptz, double precision, double precision) IS
  'Process capability of individual values ordered by t (sorted inside the aggregate): Cp/Cpk with sigma within = MR-bar/d2(2), Pp/Ppk with the sample standard deviation; a NULL lsl or usl gives one-sided indices; limits must be constant in a group';

CREATE AGGREGATE @extschema@.capability(value double precision, t timestamptz, lsl double precision, usl double precision, target double precision) (
    SFUNC = @extschema@._spc_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_cap_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamptz, double precision, double precision, double precision) IS
  'Process capability of individual values ordered by t, with Cpm = min(T - LSL, USL - T) / (3 sqrt(sum (x - T)^2 / (n - 1))) for the target T';

CREATE AGGREGATE @extschema@.capability_summary(value double precision, t timestamptz) (
    SFUNC = @extschema@._spc_indiv_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_summary_final,
    COMBINEFUNC = @extschema@._spc_indiv_combine,
    SERIALFUNC = @extschema@._spc_indiv_serialize,
    DESERIALFUNC = @extschema@._spc_indiv_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability_summary(double precision, timestamptz) IS
  'The qe.capability_summary of the values (one time bucket, e.g. a day): store it and roll buckets up with qe.capability_rollup; NULL when every value is NULL';

-- ---------------------------------------------------------------- subgroups
CREATE FUNCTION @extschema@._spc_sg_trans(internal, double precision, bigint)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_cap_trans(internal, double precision, bigint, double precision, double precision, double precision, text)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_trans(internal, double precision, text)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_cap_trans(internal, double precision, text, double precision, double precision, double precision, text)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_trans(internal, double precision, timestamptz)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_cap_trans(internal, double precision, timestamptz, double precision, double precision, double precision, text)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_trans(internal, double precision, timestamp)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_cap_trans(internal, double precision, timestamp, double precision, double precision, double precision, text)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_cap_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'qe_spc_sg_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_sg_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_xbar_r_final(internal)
RETURNS @extschema@.control_limits AS 'MODULE_PATHNAME', 'qe_spc_xbar_r_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_xbar_s_final(internal)
RETURNS @extschema@.control_limits AS 'MODULE_PATHNAME', 'qe_spc_xbar_s_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_sg_cap_final(internal)
RETURNS @extschema@.capability AS 'MODULE_PATHNAME', 'qe_spc_sg_cap_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.xbar_r_chart(value double precision, subgroup bigint) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_r_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_r_chart(double precision, bigint) IS
  'X-bar and R chart limits from raw values grouped into subgroups by the key (order-free, parallel): centre = grand mean, sigma = mean of R_i/d2(n_i) (ASTM E2587; R-bar/d2 for equal sizes), limits at the mean subgroup size; a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.xbar_s_chart(value double precision, subgroup bigint) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_s_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_s_chart(double precision, bigint) IS
  'X-bar and S chart limits from raw values grouped by the key (order-free, parallel): sigma = minimum-variance weighted mean of s_i/c4(n_i), weights c4^2/(1-c4^2) (ASTM E2587; S-bar/c4 for equal sizes); a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.capability(value double precision, subgroup bigint, lsl double precision, usl double precision, target double precision, method text) (
    SFUNC = @extschema@._spc_sg_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_sg_cap_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, bigint, double precision, double precision, double precision, text) IS
  'Process capability of subgrouped values: sigma within by method ''pooled'' (default when NULL: pooled sd / c4(sum(n_i - 1) + 1)), ''rbar'' (R_i/d2(n_i)) or ''sbar'' (s_i/c4(n_i)); sigma overall = sample sd of all values';

CREATE AGGREGATE @extschema@.xbar_r_chart(value double precision, subgroup text) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_r_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_r_chart(double precision, text) IS
  'X-bar and R chart limits from raw values grouped into subgroups by the key (order-free, parallel): centre = grand mean, sigma = mean of R_i/d2(n_i) (ASTM E2587; R-bar/d2 for equal sizes), limits at the mean subgroup size; a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.xbar_s_chart(value double precision, subgroup text) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_s_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_s_chart(double precision, text) IS
  'X-bar and S chart limits from raw values grouped by the key (order-free, parallel): sigma = minimum-variance weighted mean of s_i/c4(n_i), weights c4^2/(1-c4^2) (ASTM E2587; S-bar/c4 for equal sizes); a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.capability(value double precision, subgroup text, lsl double precision, usl double precision, target double precision, method text) (
    SFUNC = @extschema@._spc_sg_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_sg_cap_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, text, double precision, double precision, double precision, text) IS
  'Process capability of subgrouped values: sigma within by method ''pooled'' (default when NULL: pooled sd / c4(sum(n_i - 1) + 1)), ''rbar'' (R_i/d2(n_i)) or ''sbar'' (s_i/c4(n_i)); sigma overall = sample sd of all values';

CREATE AGGREGATE @extschema@.xbar_r_chart(value double precision, subgroup timestamptz) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_r_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_r_chart(double precision, timestamptz) IS
  'X-bar and R chart limits from raw values grouped into subgroups by the key (order-free, parallel): centre = grand mean, sigma = mean of R_i/d2(n_i) (ASTM E2587; R-bar/d2 for equal sizes), limits at the mean subgroup size; a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.xbar_s_chart(value double precision, subgroup timestamptz) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_s_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_s_chart(double precision, timestamptz) IS
  'X-bar and S chart limits from raw values grouped by the key (order-free, parallel): sigma = minimum-variance weighted mean of s_i/c4(n_i), weights c4^2/(1-c4^2) (ASTM E2587; S-bar/c4 for equal sizes); a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.capability(value double precision, subgroup timestamptz, lsl double precision, usl double precision, target double precision, method text) (
    SFUNC = @extschema@._spc_sg_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_sg_cap_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamptz, double precision, double precision, double precision, text) IS
  'Process capability of subgrouped values: sigma within by method ''pooled'' (default when NULL: pooled sd / c4(sum(n_i - 1) + 1)), ''rbar'' (R_i/d2(n_i)) or ''sbar'' (s_i/c4(n_i)); sigma overall = sample sd of all values';

CREATE AGGREGATE @extschema@.xbar_r_chart(value double precision, subgroup timestamp) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_r_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_r_chart(double precision, timestamp) IS
  'As for a timestamptz key, with a timestamp key taken as it is (not cast to timestamptz, which depends on the time zone and merges the subgroups of a DST gap): X-bar and R chart limits from raw values grouped into subgroups by the key (order-free, parallel): centre = grand mean, sigma = mean of R_i/d2(n_i) (ASTM E2587; R-bar/d2 for equal sizes), limits at the mean subgroup size; a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.xbar_s_chart(value double precision, subgroup timestamp) (
    SFUNC = @extschema@._spc_sg_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_xbar_s_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.xbar_s_chart(double precision, timestamp) IS
  'As for a timestamptz key, with a timestamp key taken as it is: X-bar and S chart limits from raw values grouped by the key (order-free, parallel): sigma = minimum-variance weighted mean of s_i/c4(n_i), weights c4^2/(1-c4^2) (ASTM E2587; S-bar/c4 for equal sizes); a subgroup of one value is an error (22000)';

CREATE AGGREGATE @extschema@.capability(value double precision, subgroup timestamp, lsl double precision, usl double precision, target double precision, method text) (
    SFUNC = @extschema@._spc_sg_cap_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_sg_cap_final,
    COMBINEFUNC = @extschema@._spc_sg_combine,
    SERIALFUNC = @extschema@._spc_sg_serialize,
    DESERIALFUNC = @extschema@._spc_sg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability(double precision, timestamp, double precision, double precision, double precision, text) IS
  'As for a timestamptz key, with a timestamp key taken as it is: process capability of subgrouped values: sigma within by method ''pooled'' (default when NULL: pooled sd / c4(sum(n_i - 1) + 1)), ''rbar'' (R_i/d2(n_i)) or ''sbar'' (s_i/c4(n_i)); sigma overall = sample sd of all values';

-- ----------------------------------------------------- summary accessors
CREATE FUNCTION @extschema@.capability(summary @extschema@.capability_summary, lsl double precision, usl double precision)
RETURNS @extschema@.capability AS 'MODULE_PATHNAME', 'qe_spc_summary_capability'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.capability(@extschema@.capability_summary, double precision, double precision) IS
  'Capability indices from a stored (or rolled-up) summary, the same as qe.capability(value, t, lsl, usl) over its raw rows; NULL lsl or usl for one-sided';
CREATE FUNCTION @extschema@.capability(summary @extschema@.capability_summary, lsl double precision, usl double precision, target double precision)
RETURNS @extschema@.capability AS 'MODULE_PATHNAME', 'qe_spc_summary_capability'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.capability(@extschema@.capability_summary, double precision, double precision, double precision) IS
  'Capability indices with Cpm from a stored (or rolled-up) summary';
CREATE FUNCTION @extschema@.imr_chart(summary @extschema@.capability_summary)
RETURNS @extschema@.control_limits AS 'MODULE_PATHNAME', 'qe_spc_summary_imr'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.imr_chart(@extschema@.capability_summary) IS
  'I-MR chart limits from a summary (NULL when it holds fewer than 2 values)';
CREATE FUNCTION @extschema@.n(summary @extschema@.capability_summary)
RETURNS bigint AS 'MODULE_PATHNAME', 'qe_spc_summary_n'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.n(@extschema@.capability_summary) IS 'Number of values in a summary';
CREATE FUNCTION @extschema@.mean(summary @extschema@.capability_summary)
RETURNS double precision AS 'MODULE_PATHNAME', 'qe_spc_summary_mean'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mean(@extschema@.capability_summary) IS 'Mean of the values in a summary';
CREATE FUNCTION @extschema@.sigma_within(summary @extschema@.capability_summary)
RETURNS double precision AS 'MODULE_PATHNAME', 'qe_spc_summary_sigma_within'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sigma_within(@extschema@.capability_summary) IS
  'Within sigma of a summary: MR-bar/d2(2) (NULL for fewer than 2 values)';
CREATE FUNCTION @extschema@.sigma_overall(summary @extschema@.capability_summary)
RETURNS double precision AS 'MODULE_PATHNAME', 'qe_spc_summary_sigma_overall'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sigma_overall(@extschema@.capability_summary) IS
  'Overall sigma of a summary: the sample standard deviation (NULL for fewer than 2 values)';

CREATE FUNCTION @extschema@._spc_rollup_trans(internal, @extschema@.capability_summary)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_rollup_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_rollup_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_rollup_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_rollup_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'qe_spc_rollup_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_rollup_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'qe_spc_rollup_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._spc_rollup_final(internal)
RETURNS @extschema@.capability_summary AS 'MODULE_PATHNAME', 'qe_spc_rollup_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.capability_rollup(summary @extschema@.capability_summary) (
    SFUNC = @extschema@._spc_rollup_trans, STYPE = internal,
    FINALFUNC = @extschema@._spc_rollup_final,
    COMBINEFUNC = @extschema@._spc_rollup_combine,
    SERIALFUNC = @extschema@._spc_rollup_serialize,
    DESERIALFUNC = @extschema@._spc_rollup_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.capability_rollup(@extschema@.capability_summary) IS
  'Joins summaries of disjoint time buckets (sorted by their t range inside the aggregate; overlapping ranges are an error, 22000), adding the moving range across each boundary: the rollup of daily summaries equals the summary of the raw rows';

-- ------------------------------------------------------ confidence limits
CREATE FUNCTION @extschema@.cp_confidence(cp double precision, n bigint, level double precision DEFAULT 0.95)
RETURNS @extschema@.confidence_interval AS 'MODULE_PATHNAME', 'qe_spc_cp_confidence'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cp_confidence(double precision, bigint, double precision) IS
  'Chi-square confidence interval for Cp (or Pp) from n values: Cp sqrt(chi2(alpha/2, n-1)/(n-1)) .. Cp sqrt(chi2(1-alpha/2, n-1)/(n-1)) (Montgomery eq. 8.19)';
CREATE FUNCTION @extschema@.cpk_confidence(cpk double precision, n bigint, level double precision DEFAULT 0.95)
RETURNS @extschema@.confidence_interval AS 'MODULE_PATHNAME', 'qe_spc_cpk_confidence'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cpk_confidence(double precision, bigint, double precision) IS
  'Bissell (1990) normal-approximation confidence interval for Cpk (or Ppk): Cpk -+ z(1-alpha/2) sqrt(1/(9n) + Cpk^2/(2(n-1)))';
CREATE FUNCTION @extschema@.cp_confidence(c @extschema@.capability, level double precision DEFAULT 0.95)
RETURNS @extschema@.confidence_interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.cp_confidence((c).cp, (c).n, level);
COMMENT ON FUNCTION @extschema@.cp_confidence(@extschema@.capability, double precision) IS
  'Chi-square confidence interval for the Cp of a qe.capability value (NULL when Cp is NULL)';
CREATE FUNCTION @extschema@.cpk_confidence(c @extschema@.capability, level double precision DEFAULT 0.95)
RETURNS @extschema@.confidence_interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.cpk_confidence((c).cpk, (c).n, level);
COMMENT ON FUNCTION @extschema@.cpk_confidence(@extschema@.capability, double precision) IS
  'Bissell (1990) confidence interval for the Cpk of a qe.capability value (NULL when Cpk is NULL)';

-- ------------------------------------------------- support function comments
-- The internal functions behind the aggregates and the summary type, one
-- comment per family (every overload of a transition function shares it).
DO $comments$
DECLARE
    f regprocedure;
    what text;
BEGIN
    FOR f, what IN
        SELECT p.oid::regprocedure,
               CASE p.proname
                 WHEN '_spc_indiv_trans' THEN 'transition function of qe.imr_chart and qe.capability_summary: collects (t, value)'
                 WHEN '_spc_cap_trans' THEN 'transition function of qe.capability(value, t, lsl, usl [, target]): collects (t, value) and the specification'
                 WHEN '_spc_indiv_combine' THEN 'combine function of the time-ordered aggregates (qe.imr_chart, qe.capability(value, t, ...), qe.capability_summary)'
                 WHEN '_spc_indiv_serialize' THEN 'serialize function of the time-ordered aggregates (sorts a worker''s share first)'
                 WHEN '_spc_indiv_deserialize' THEN 'deserialize function of the time-ordered aggregates (validates every byte)'
                 WHEN '_spc_imr_final' THEN 'final function of qe.imr_chart'
                 WHEN '_spc_cap_final' THEN 'final function of qe.capability(value, t, lsl, usl [, target])'
                 WHEN '_spc_summary_final' THEN 'final function of qe.capability_summary'
                 WHEN '_spc_rollup_trans' THEN 'transition function of qe.capability_rollup'
                 WHEN '_spc_rollup_combine' THEN 'combine function of qe.capability_rollup'
                 WHEN '_spc_rollup_serialize' THEN 'serialize function of qe.capability_rollup'
                 WHEN '_spc_rollup_deserialize' THEN 'deserialize function of qe.capability_rollup (validates every byte)'
                 WHEN '_spc_rollup_final' THEN 'final function of qe.capability_rollup'
                 WHEN '_spc_sg_trans' THEN 'transition function of qe.xbar_r_chart and qe.xbar_s_chart: moments per subgroup key'
                 WHEN '_spc_sg_cap_trans' THEN 'transition function of qe.capability(value, subgroup, lsl, usl, target, method): moments per subgroup key'
                 WHEN '_spc_sg_combine' THEN 'combine function of the subgroup aggregates (xbar charts, subgrouped capability)'
                 WHEN '_spc_sg_serialize' THEN 'serialize function of the subgroup aggregates'
                 WHEN '_spc_sg_deserialize' THEN 'deserialize function of the subgroup aggregates (validates every byte)'
                 WHEN '_spc_xbar_r_final' THEN 'final function of qe.xbar_r_chart'
                 WHEN '_spc_xbar_s_final' THEN 'final function of qe.xbar_s_chart'
                 WHEN '_spc_sg_cap_final' THEN 'final function of qe.capability(value, subgroup, ...)'
                 WHEN '_spc_summary_in' THEN 'text input of qe.capability_summary (validates every field)'
                 WHEN '_spc_summary_out' THEN 'text output of qe.capability_summary'
                 WHEN '_spc_summary_recv' THEN 'binary input of qe.capability_summary (validates every byte)'
                 WHEN '_spc_summary_send' THEN 'binary output of qe.capability_summary'
               END
          FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = '@extschema@'::regnamespace AND p.proname LIKE '\_spc\_%'
    LOOP
        IF what IS NOT NULL THEN
            EXECUTE pg_catalog.format('COMMENT ON FUNCTION %s IS %L', f, what);
        END IF;
    END LOOP;
END
$comments$;
