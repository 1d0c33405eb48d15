-- Operating characteristic of a single sampling plan.  p is the fraction
-- nonconforming (binomial, hypergeometric) or the nonconformities per unit
-- (Poisson): AQL / 100 on the same scale.

CREATE FUNCTION @extschema@.oc_pa(sample_size integer, ac integer, p double precision,
                                  lot_size bigint DEFAULT NULL, model text DEFAULT 'binomial')
RETURNS double precision
AS 'MODULE_PATHNAME', 'qe_smp_oc_pa'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.oc_pa(integer, integer, double precision, bigint, text) IS
  'Probability of accepting a lot with fraction nonconforming p under the plan (n, Ac): binomial (default), hypergeometric (finite lot, D = round(p N)) or Poisson (p = nonconformities per unit)';

CREATE FUNCTION @extschema@.aoq(sample_size integer, ac integer, p double precision,
                                lot_size bigint, model text DEFAULT 'binomial')
RETURNS double precision
AS 'MODULE_PATHNAME', 'qe_smp_oc_aoq'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.aoq(integer, integer, double precision, bigint, text) IS
  'Average outgoing quality under rectifying inspection: p Pa(p) (N - n) / N';

CREATE FUNCTION @extschema@.ati(sample_size integer, ac integer, p double precision,
                                lot_size bigint, model text DEFAULT 'binomial')
RETURNS double precision
AS 'MODULE_PATHNAME', 'qe_smp_oc_ati'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ati(integer, integer, double precision, bigint, text) IS
  'Average total inspection per lot under rectifying inspection: n + (1 - Pa(p)) (N - n)';

CREATE TYPE @extschema@.oc_summary AS (
    sample_size integer,
    ac          integer,
    lot_size    bigint,            -- NULL: infinite lot (no AOQL)
    model       text,
    p_at_pa95   double precision,  -- producer's risk point: p with Pa = 0.95 (the "AQL" of the plan)
    p_at_pa10   double precision,  -- consumer's risk point: p with Pa = 0.10 (LTPD / limiting quality)
    aoql        double precision,  -- average outgoing quality limit (needs the lot size)
    aoql_at_p   double precision   -- the incoming p at which the AOQL is reached
);
COMMENT ON TYPE @extschema@.oc_summary IS
  'Key points of a plan''s OC curve: p at Pa = 0.95 and Pa = 0.10 (producer''s and consumer''s risk points), AOQL and where it is reached';

CREATE FUNCTION @extschema@.oc_summary(sample_size integer, ac integer,
                                       lot_size bigint DEFAULT NULL, model text DEFAULT 'binomial')
RETURNS @extschema@.oc_summary
AS 'MODULE_PATHNAME', 'qe_smp_oc_summary'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.oc_summary(integer, integer, bigint, text) IS
  'Producer''s risk point (Pa = 0.95), consumer''s risk point / LTPD (Pa = 0.10) and AOQL of the plan (n, Ac)';

CREATE FUNCTION @extschema@.oc_curve(sample_size integer, ac integer, lot_size bigint DEFAULT NULL,
                                     p_from double precision DEFAULT 0, p_to double precision DEFAULT NULL,
                                     steps integer DEFAULT 50, model text DEFAULT 'binomial')
RETURNS TABLE (p double precision, pa double precision, aoq double precision, ati double precision)
AS 'MODULE_PATHNAME', 'qe_smp_oc_curve'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 51;
COMMENT ON FUNCTION @extschema@.oc_curve(integer, integer, bigint, double precision, double precision, integer, text) IS
  'OC curve of the plan (n, Ac): steps + 1 points from p_from to p_to (default: where Pa falls to 0.01) with Pa, and AOQ and ATI when the lot size is given';

-- The same for a plan returned by qe.aql_plan.  The default model is the
-- standard's: binomial for AQL <= 10 (percent nonconforming), Poisson above
-- (nonconformities per hundred units).
CREATE FUNCTION @extschema@.oc_pa(plan @extschema@.sampling_plan, p double precision, model text DEFAULT NULL)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.oc_pa(plan.sample_size, plan.ac, p, plan.lot_size,
                         coalesce(model, CASE WHEN plan.aql > 10 THEN 'poisson' ELSE 'binomial' END));
COMMENT ON FUNCTION @extschema@.oc_pa(@extschema@.sampling_plan, double precision, text) IS
  'Probability of acceptance at p for a qe.aql_plan result (default model binomial for AQL <= 10, Poisson above)';

CREATE FUNCTION @extschema@.aoq(plan @extschema@.sampling_plan, p double precision, model text DEFAULT NULL)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.aoq(plan.sample_size, plan.ac, p, plan.lot_size,
                       coalesce(model, CASE WHEN plan.aql > 10 THEN 'poisson' ELSE 'binomial' END));
COMMENT ON FUNCTION @extschema@.aoq(@extschema@.sampling_plan, double precision, text) IS
  'Average outgoing quality at p for a qe.aql_plan result (its lot size)';

CREATE FUNCTION @extschema@.ati(plan @extschema@.sampling_plan, p double precision, model text DEFAULT NULL)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.ati(plan.sample_size, plan.ac, p, plan.lot_size,
                       coalesce(model, CASE WHEN plan.aql > 10 THEN 'poisson' ELSE 'binomial' END));
COMMENT ON FUNCTION @extschema@.ati(@extschema@.sampling_plan, double precision, text) IS
  'Average total inspection at p for a qe.aql_plan result (its lot size)';

CREATE FUNCTION @extschema@.oc_summary(plan @extschema@.sampling_plan, model text DEFAULT NULL)
RETURNS @extschema@.oc_summary
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.oc_summary(plan.sample_size, plan.ac, plan.lot_size,
                              coalesce(model, CASE WHEN plan.aql > 10 THEN 'poisson' ELSE 'binomial' END));
COMMENT ON FUNCTION @extschema@.oc_summary(@extschema@.sampling_plan, text) IS
  'Risk points and AOQL of a qe.aql_plan result';

CREATE FUNCTION @extschema@.oc_curve(plan @extschema@.sampling_plan, p_from double precision DEFAULT 0,
                                     p_to double precision DEFAULT NULL, steps integer DEFAULT 50,
                                     model text DEFAULT NULL)
RETURNS TABLE (p double precision, pa double precision, aoq double precision, ati double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 51
BEGIN ATOMIC
  SELECT c.p, c.pa, c.aoq, c.ati
    FROM @extschema@.oc_curve(plan.sample_size, plan.ac, plan.lot_size, p_from, p_to, steps,
                              coalesce(model, CASE WHEN plan.aql > 10 THEN 'poisson' ELSE 'binomial' END)) c;
END;
COMMENT ON FUNCTION @extschema@.oc_curve(@extschema@.sampling_plan, double precision, double precision, integer, text) IS
  'OC curve (p, Pa, AOQ, ATI) of a qe.aql_plan result, ready for a chart';
