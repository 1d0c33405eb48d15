-- Attribute control charts (p, np, c, u) and qe.limits_at (issue 2, seed §4.1).
--
-- State: float8[6] = {samples, sum of counts, sum of sizes/units, compensation
-- of that sum, smallest size, largest size}.  A concrete state type, so the
-- aggregates combine in parallel without serial/deserial functions and can be
-- distributed.  NULL rows are skipped (strict transitions), as avg does.

-- p chart ---------------------------------------------------------------

CREATE FUNCTION @extschema@._p_chart_trans(double precision[], bigint, bigint)
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_p_chart_trans'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._p_chart_trans(double precision[], bigint, bigint) IS
  'transition function of qe.p_chart';

CREATE FUNCTION @extschema@._p_chart_combine(double precision[], double precision[])
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_p_chart_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._p_chart_combine(double precision[], double precision[]) IS
  'combine function of qe.p_chart';

CREATE FUNCTION @extschema@._p_chart_final(double precision[])
RETURNS @extschema@.control_limits
AS 'MODULE_PATHNAME', 'qe_spc_p_chart_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._p_chart_final(double precision[]) IS
  'final function of qe.p_chart';

CREATE AGGREGATE @extschema@.p_chart(defectives bigint, sample_size bigint) (
    SFUNC = @extschema@._p_chart_trans,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@._p_chart_combine,
    FINALFUNC = @extschema@._p_chart_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.p_chart(bigint, bigint) IS
  'p chart (fraction defective): center pbar = sum(defectives)/sum(sample_size), limits pbar +- 3 sqrt(pbar(1-pbar)/n) at the mean sample size (LCL clamped to 0); qe.limits_at(cl, n) gives the limits of a sample of size n; NULL for fewer than 2 samples';

-- np chart --------------------------------------------------------------

CREATE FUNCTION @extschema@._np_chart_trans(double precision[], bigint, bigint)
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_np_chart_trans'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._np_chart_trans(double precision[], bigint, bigint) IS
  'transition function of qe.np_chart';

CREATE FUNCTION @extschema@._np_chart_combine(double precision[], double precision[])
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_np_chart_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._np_chart_combine(double precision[], double precision[]) IS
  'combine function of qe.np_chart';

CREATE FUNCTION @extschema@._np_chart_final(double precision[])
RETURNS @extschema@.control_limits
AS 'MODULE_PATHNAME', 'qe_spc_np_chart_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._np_chart_final(double precision[]) IS
  'final function of qe.np_chart';

CREATE AGGREGATE @extschema@.np_chart(defectives bigint, sample_size bigint) (
    SFUNC = @extschema@._np_chart_trans,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@._np_chart_combine,
    FINALFUNC = @extschema@._np_chart_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.np_chart(bigint, bigint) IS
  'np chart (number defective, constant sample size n): center n pbar, limits n pbar +- 3 sqrt(n pbar(1-pbar)) (LCL clamped to 0); a varying sample size is an error (use qe.p_chart); NULL for fewer than 2 samples';

-- c chart ---------------------------------------------------------------

CREATE FUNCTION @extschema@._c_chart_trans(double precision[], bigint)
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_c_chart_trans'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._c_chart_trans(double precision[], bigint) IS
  'transition function of qe.c_chart';

CREATE FUNCTION @extschema@._c_chart_combine(double precision[], double precision[])
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_c_chart_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._c_chart_combine(double precision[], double precision[]) IS
  'combine function of qe.c_chart';

CREATE FUNCTION @extschema@._c_chart_final(double precision[])
RETURNS @extschema@.control_limits
AS 'MODULE_PATHNAME', 'qe_spc_c_chart_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._c_chart_final(double precision[]) IS
  'final function of qe.c_chart';

CREATE AGGREGATE @extschema@.c_chart(defects bigint) (
    SFUNC = @extschema@._c_chart_trans,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@._c_chart_combine,
    FINALFUNC = @extschema@._c_chart_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.c_chart(bigint) IS
  'c chart (defects per sample, constant area of opportunity): center cbar, limits cbar +- 3 sqrt(cbar) (LCL clamped to 0); NULL for fewer than 2 samples';

-- u chart ---------------------------------------------------------------

CREATE FUNCTION @extschema@._u_chart_trans(double precision[], bigint, double precision)
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_u_chart_trans'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._u_chart_trans(double precision[], bigint, double precision) IS
  'transition function of qe.u_chart';

CREATE FUNCTION @extschema@._u_chart_combine(double precision[], double precision[])
RETURNS double precision[]
AS 'MODULE_PATHNAME', 'qe_spc_u_chart_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._u_chart_combine(double precision[], double precision[]) IS
  'combine function of qe.u_chart';

CREATE FUNCTION @extschema@._u_chart_final(double precision[])
RETURNS @extschema@.control_limits
AS 'MODULE_PATHNAME', 'qe_spc_u_chart_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._u_chart_final(double precision[]) IS
  'final function of qe.u_chart';

CREATE AGGREGATE @extschema@.u_chart(defects bigint, units double precision) (
    SFUNC = @extschema@._u_chart_trans,
    STYPE = double precision[],
    INITCOND = '{0,0,0,0,0,0}',
    COMBINEFUNC = @extschema@._u_chart_combine,
    FINALFUNC = @extschema@._u_chart_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.u_chart(bigint, double precision) IS
  'u chart (defects per unit, units may be fractional, e.g. square metres): center ubar = sum(defects)/sum(units), limits ubar +- 3 sqrt(ubar/n) at the mean units per sample (LCL clamped to 0); qe.limits_at(cl, n) gives the limits of a sample of n units; NULL for fewer than 2 samples';

-- limits at a given sample size ----------------------------------------

CREATE FUNCTION @extschema@.limits_at(cl @extschema@.control_limits, n double precision)
RETURNS @extschema@.control_limits
AS 'MODULE_PATHNAME', 'qe_spc_limits_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.limits_at(@extschema@.control_limits, double precision) IS
  'Control limits of one plotted point of size n (sample size, units, or subgroup size): p, np, u and Xbar (with R or S) limits recomputed, c and I-MR unchanged; avg_sample_size of the result is n';
