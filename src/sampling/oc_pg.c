/*
 * oc_pg.c: SQL access to the operating-characteristic numerics of oc.c:
 * qe.oc_pa, qe.aoq, qe.ati, qe.oc_summary, qe.oc_curve (the numeric
 * (sample_size, ac, ...) forms; the qe.sampling_plan forms are SQL wrappers).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/tuplestore.h"

#include "sampling/oc.h"

static void
oc_poll(void)
{
	CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(qe_smp_oc_pa);
PG_FUNCTION_INFO_V1(qe_smp_oc_aoq);
PG_FUNCTION_INFO_V1(qe_smp_oc_ati);
PG_FUNCTION_INFO_V1(qe_smp_oc_summary);
PG_FUNCTION_INFO_V1(qe_smp_oc_curve);

#define MAX_STEPS 100000

static void
oc_error(int rc, const SmpOcPlan *pl, double p)
{
	switch (rc)
	{
		case SMP_OC_ERR_N:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample size must be at least 1, got " INT64_FORMAT, pl->n),
					 errhint("Pass the plan's sample size n, e.g. (qe.aql_plan(lot_size, aql)).sample_size.")));
			break;
		case SMP_OC_ERR_C:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("acceptance number must not be negative, got " INT64_FORMAT, pl->c),
					 errhint("Pass the plan's acceptance number Ac, e.g. (qe.aql_plan(lot_size, aql)).ac.")));
			break;
		case SMP_OC_ERR_P:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("p = %s is not a valid %s", float8out_internal(p),
							pl->model == SMP_OC_POISSON ? "number of nonconformities per unit" : "fraction nonconforming"),
					 errhint(pl->model == SMP_OC_POISSON ? "Pass a finite p >= 0 (nonconformities per unit: AQL / 100)." :
							 "Pass a fraction between 0 and 1 (1 %% nonconforming is 0.01).")));
			break;
		case SMP_OC_ERR_LOT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg(pl->lot > 0 ? "lot size " INT64_FORMAT " is smaller than the sample size " INT64_FORMAT :
							"this calculation needs the lot size", pl->lot, pl->n),
					 errhint("The hypergeometric model, AOQ, AOQL and ATI need lot_size >= sample_size.")));
			break;
		case SMP_OC_ERR_BIG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("hypergeometric model limited to sample sizes up to " INT64_FORMAT, SMP_OC_MAX_HYPER_N),
					 errhint("For samples this large the binomial model is indistinguishable; use model => 'binomial'.")));
			break;
		default:
			elog(ERROR, "operating characteristic: error %d", rc);
	}
}

/* decode (sample_size int, ac int, ..., lot_size bigint at lot_arg, model text at model_arg) */
static SmpOcPlan
plan_args(FunctionCallInfo fcinfo, int lot_arg, int model_arg)
{
	SmpOcPlan	pl;

	smp_oc_poll = oc_poll;
	pl.n = PG_GETARG_INT32(0);
	pl.c = PG_GETARG_INT32(1);
	pl.lot = PG_ARGISNULL(lot_arg) ? 0 : PG_GETARG_INT64(lot_arg);
	pl.model = SMP_OC_BINOMIAL;
	if (!PG_ARGISNULL(model_arg))
	{
		text	   *t = PG_GETARG_TEXT_PP(model_arg);

		pl.model = smp_parse_oc_model(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (pl.model < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown operating-characteristic model \"%s\"", text_to_cstring(t)),
					 errhint("Valid models are: " SMP_OC_MODEL_LIST " (Poisson for nonconformities per unit).")));
	}
	if (!PG_ARGISNULL(lot_arg) && pl.lot < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lot size must be positive, got " INT64_FORMAT, pl.lot),
				 errhint("Pass NULL for an infinite (or unknown) lot.")));
	return pl;
}

#define NULL_IF_NULL(k) do { if (PG_ARGISNULL(k)) PG_RETURN_NULL(); } while (0)

typedef int (*OcMeasure) (const SmpOcPlan *pl, double p, double *out);

/*
 * The scalar OC functions share one shape: (sample_size, ac, p, lot_size,
 * model).  NULL in the first three arguments gives NULL; AOQ and ATI also
 * need the lot size (what is not sampled is not inspected), Pa does not.
 */
static Datum
oc_scalar(FunctionCallInfo fcinfo, OcMeasure measure, bool needs_lot)
{
	SmpOcPlan	pl;
	double		p,
				v;
	int			rc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		(needs_lot && PG_ARGISNULL(3)))
		PG_RETURN_NULL();
	pl = plan_args(fcinfo, 3, 4);
	p = PG_GETARG_FLOAT8(2);
	if ((rc = measure(&pl, p, &v)) != SMP_OC_OK)
		oc_error(rc, &pl, p);
	PG_RETURN_FLOAT8(v);
}

/* qe.oc_pa(sample_size, ac, p, lot_size, model) */
Datum
qe_smp_oc_pa(PG_FUNCTION_ARGS)
{
	return oc_scalar(fcinfo, smp_oc_pa, false);
}

/* qe.aoq(sample_size, ac, p, lot_size, model) */
Datum
qe_smp_oc_aoq(PG_FUNCTION_ARGS)
{
	return oc_scalar(fcinfo, smp_oc_aoq, true);
}

/* qe.ati(sample_size, ac, p, lot_size, model) */
Datum
qe_smp_oc_ati(PG_FUNCTION_ARGS)
{
	return oc_scalar(fcinfo, smp_oc_ati, true);
}

/* qe.oc_summary(sample_size, ac, lot_size, model) returns qe.oc_summary */
Datum
qe_smp_oc_summary(PG_FUNCTION_ARGS)
{
	SmpOcPlan	pl;
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {0};
	double		p95,
				p10,
				aoql = 0,
				aoql_p = 0;
	int			rc;

	NULL_IF_NULL(0);
	NULL_IF_NULL(1);
	pl = plan_args(fcinfo, 2, 3);
	if ((rc = smp_oc_check(&pl, 0)) != SMP_OC_OK ||
		(rc = smp_oc_p_at(&pl, 0.95, &p95)) != SMP_OC_OK ||
		(rc = smp_oc_p_at(&pl, 0.10, &p10)) != SMP_OC_OK)
		oc_error(rc, &pl, 0);
	if (pl.lot > 0 && (rc = smp_oc_aoql(&pl, &aoql, &aoql_p)) != SMP_OC_OK)
		oc_error(rc, &pl, 0);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum((int32) pl.n);
	values[1] = Int32GetDatum((int32) pl.c);
	values[2] = Int64GetDatum(pl.lot);
	nulls[2] = pl.lot == 0;
	values[3] = CStringGetTextDatum(smp_oc_model_names[pl.model]);
	values[4] = Float8GetDatum(p95);
	values[5] = Float8GetDatum(p10);
	values[6] = Float8GetDatum(aoql);
	values[7] = Float8GetDatum(aoql_p);
	nulls[6] = nulls[7] = pl.lot == 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * qe.oc_curve(sample_size, ac, lot_size, p_from, p_to, steps, model)
 * returns table (p, pa, aoq, ati): steps + 1 evenly spaced points from p_from
 * to p_to (default: where Pa falls to 0.01).  aoq and ati need the lot size.
 */
Datum
qe_smp_oc_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SmpOcPlan	pl;
	double		from,
				to;
	int32		steps;
	int			rc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
	{
		/* no plan, no curve: zero rows, as a STRICT set-returning function gives */
		InitMaterializedSRF(fcinfo, 0);
		return (Datum) 0;
	}
	pl = plan_args(fcinfo, 2, 6);
	from = PG_ARGISNULL(3) ? 0.0 : PG_GETARG_FLOAT8(3);
	steps = PG_ARGISNULL(5) ? 50 : PG_GETARG_INT32(5);
	if ((rc = smp_oc_check(&pl, 0)) != SMP_OC_OK)
		oc_error(rc, &pl, 0);
	if (PG_ARGISNULL(4))
	{
		if ((rc = smp_oc_p_at(&pl, 0.01, &to)) != SMP_OC_OK)
			oc_error(rc, &pl, 0);
		if (to <= from)
			to = pl.model == SMP_OC_POISSON ? from * 2.0 + 1.0 : 1.0;
	}
	else
		to = PG_GETARG_FLOAT8(4);
	if (steps < 1 || steps > MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("steps must be between 1 and %d, got %d", MAX_STEPS, steps),
				 errhint("Pass the number of intervals between p_from and p_to; 100 draws a smooth curve.")));
	{
		double		dummy;

		if ((rc = smp_oc_pa(&pl, from, &dummy)) != SMP_OC_OK)
			oc_error(rc, &pl, from);
		if ((rc = smp_oc_pa(&pl, to, &dummy)) != SMP_OC_OK)
			oc_error(rc, &pl, to);
	}
	if (!(to >= from))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("p_to (%g) must not be below p_from (%g)", to, from),
				 errhint("Swap the two bounds.")));

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i <= steps; i++)
	{
		/* (to - from) * i overflows near the top of double precision */
		double		p = i == steps ? to : from + (to - from) * ((double) i / steps);
		Datum		values[4];
		bool		nulls[4] = {0};
		double		v;

		CHECK_FOR_INTERRUPTS();
		if ((rc = smp_oc_pa(&pl, p, &v)) != SMP_OC_OK)
			oc_error(rc, &pl, p);
		values[0] = Float8GetDatum(p);
		values[1] = Float8GetDatum(v);
		if (pl.lot >= pl.n)
		{
			if ((rc = smp_oc_aoq(&pl, p, &v)) != SMP_OC_OK)
				oc_error(rc, &pl, p);
			values[2] = Float8GetDatum(v);
			if ((rc = smp_oc_ati(&pl, p, &v)) != SMP_OC_OK)
				oc_error(rc, &pl, p);
			values[3] = Float8GetDatum(v);
		}
		else
			nulls[2] = nulls[3] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
