/*
 * attribute_charts_pg.c: SQL glue for qe.p_chart, qe.np_chart, qe.c_chart,
 * qe.u_chart (float8[] state, combinable, parallel safe) and qe.limits_at.
 *
 * The arithmetic lives in attribute_charts.c; this file checks arguments,
 * maps errors to SQLSTATEs and builds qe.control_limits.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "common/qe_pg.h"
#include "spc/attribute_charts.h"

PG_FUNCTION_INFO_V1(qe_spc_p_chart_trans);
PG_FUNCTION_INFO_V1(qe_spc_np_chart_trans);
PG_FUNCTION_INFO_V1(qe_spc_c_chart_trans);
PG_FUNCTION_INFO_V1(qe_spc_u_chart_trans);
PG_FUNCTION_INFO_V1(qe_spc_p_chart_combine);
PG_FUNCTION_INFO_V1(qe_spc_np_chart_combine);
PG_FUNCTION_INFO_V1(qe_spc_c_chart_combine);
PG_FUNCTION_INFO_V1(qe_spc_u_chart_combine);
PG_FUNCTION_INFO_V1(qe_spc_p_chart_final);
PG_FUNCTION_INFO_V1(qe_spc_np_chart_final);
PG_FUNCTION_INFO_V1(qe_spc_c_chart_final);
PG_FUNCTION_INFO_V1(qe_spc_u_chart_final);
PG_FUNCTION_INFO_V1(qe_spc_limits_at);

static const char *
agg_name(SpcChartKind kind)
{
	switch (kind)
	{
		case SPC_CHART_P:
			return "qe.p_chart";
		case SPC_CHART_NP:
			return "qe.np_chart";
		case SPC_CHART_C:
			return "qe.c_chart";
		default:
			return "qe.u_chart";
	}
}

/*
 * The state array: one dimension, SPC_ATTR_NSLOTS float8, no NULLs.  Checked
 * on every call (cheap); its values are checked by spc_attr_check_state
 * where a state enters from outside (direct calls, combine, final).
 */
static double *
state_slots(ArrayType *arr, SpcChartKind kind)
{
	if (ARR_NDIM(arr) != 1 || ARR_DIMS(arr)[0] != SPC_ATTR_NSLOTS ||
		ARR_HASNULL(arr) || ARR_ELEMTYPE(arr) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state: expected a float8 array of %d elements without NULLs",
						agg_name(kind), SPC_ATTR_NSLOTS),
				 errhint("Pass only states produced by %s's own transition functions.",
						 agg_name(kind))));
	return (double *) ARR_DATA_PTR(arr);
}

static void
report_attr_error(SpcAttrError err, SpcChartKind kind, double x, double n, const double *state)
{
	const char *what = (kind == SPC_CHART_P || kind == SPC_CHART_NP) ? "defectives" : "defects";

	switch (err)
	{
		case SPC_ATTR_OK:
			return;
		case SPC_ATTR_NEGATIVE_COUNT:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s must not be negative, got %.0f", what, x),
					 errhint("A count of %s is zero or more; repair or filter the row.", what)));
			break;
		case SPC_ATTR_BAD_SIZE:
			if (kind == SPC_CHART_U)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("units inspected must be positive, got %g", n),
						 errhint("A sample with no inspected area has no defect rate; leave it out (WHERE units > 0).")));
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sample size must be positive, got %.0f", n),
					 errhint("A sample of no units has no fraction defective; leave it out (WHERE sample_size > 0).")));
			break;
		case SPC_ATTR_NONFINITE_SIZE:
			qe_check_finite(n, "units");
			break;
		case SPC_ATTR_DEFECTIVES_EXCEED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("defectives (%.0f) exceed the sample size (%.0f)", x, n),
					 errhint("Each inspected unit is defective at most once; to count several defects per unit use qe.c_chart or qe.u_chart.")));
			break;
		case SPC_ATTR_SIZE_VARIES:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("np chart needs a constant sample size"),
					 state && state[SPC_ATTR_K] > 0 ?
					 errdetail("Got sample size %.0f after %.0f.", n, state[SPC_ATTR_N_MIN]) : 0,
					 errhint("Use qe.p_chart(defectives, sample_size) when sample sizes vary, or chart each sample size separately.")));
			break;
		case SPC_ATTR_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("counts too large for %s", agg_name(kind)),
					 errdetail("Counts and their sums are kept exactly up to 2^53."),
					 errhint("Aggregate smaller groups.")));
			break;
		case SPC_ATTR_BAD_STATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s state", agg_name(kind)),
					 errhint("Pass only states produced by %s's own transition functions.",
							 agg_name(kind))));
			break;
	}
}

/* The state to update: in place inside an aggregate, else a checked copy. */
static ArrayType *
writable_state(FunctionCallInfo fcinfo, int argno, SpcChartKind kind, double **slots)
{
	ArrayType  *arr;

	if (AggCheckCallContext(fcinfo, NULL))
	{
		arr = PG_GETARG_ARRAYTYPE_P(argno);
		*slots = state_slots(arr, kind);
	}
	else
	{
		arr = PG_GETARG_ARRAYTYPE_P_COPY(argno);
		*slots = state_slots(arr, kind);
		report_attr_error(spc_attr_check_state(*slots, kind), kind, 0, 0, NULL);
	}
	return arr;
}

static Datum
attr_trans(FunctionCallInfo fcinfo, SpcChartKind kind)
{
	double	   *s;
	ArrayType  *arr = writable_state(fcinfo, 0, kind, &s);
	double		x = (double) PG_GETARG_INT64(1);
	double		n = 1.0;
	SpcAttrError err;

	if (kind == SPC_CHART_U)
		n = PG_GETARG_FLOAT8(2);
	else if (kind != SPC_CHART_C)
		n = (double) PG_GETARG_INT64(2);

	err = spc_attr_add(s, kind, x, n);
	if (unlikely(err != SPC_ATTR_OK))
		report_attr_error(err, kind, x, n, s);
	PG_RETURN_ARRAYTYPE_P(arr);
}

Datum
qe_spc_p_chart_trans(PG_FUNCTION_ARGS)
{
	return attr_trans(fcinfo, SPC_CHART_P);
}

Datum
qe_spc_np_chart_trans(PG_FUNCTION_ARGS)
{
	return attr_trans(fcinfo, SPC_CHART_NP);
}

Datum
qe_spc_c_chart_trans(PG_FUNCTION_ARGS)
{
	return attr_trans(fcinfo, SPC_CHART_C);
}

Datum
qe_spc_u_chart_trans(PG_FUNCTION_ARGS)
{
	return attr_trans(fcinfo, SPC_CHART_U);
}

static Datum
attr_combine(FunctionCallInfo fcinfo, SpcChartKind kind)
{
	double	   *a;
	ArrayType  *arr = writable_state(fcinfo, 0, kind, &a);
	double	   *b = state_slots(PG_GETARG_ARRAYTYPE_P(1), kind);
	SpcAttrError err;

	report_attr_error(spc_attr_check_state(a, kind), kind, 0, 0, NULL);
	report_attr_error(spc_attr_check_state(b, kind), kind, 0, 0, NULL);
	err = spc_attr_combine(a, b, kind);
	if (err == SPC_ATTR_SIZE_VARIES)
		report_attr_error(err, kind, b[SPC_ATTR_N_MIN], b[SPC_ATTR_N_MIN], a);
	report_attr_error(err, kind, 0, 0, NULL);
	PG_RETURN_ARRAYTYPE_P(arr);
}

Datum
qe_spc_p_chart_combine(PG_FUNCTION_ARGS)
{
	return attr_combine(fcinfo, SPC_CHART_P);
}

Datum
qe_spc_np_chart_combine(PG_FUNCTION_ARGS)
{
	return attr_combine(fcinfo, SPC_CHART_NP);
}

Datum
qe_spc_c_chart_combine(PG_FUNCTION_ARGS)
{
	return attr_combine(fcinfo, SPC_CHART_C);
}

Datum
qe_spc_u_chart_combine(PG_FUNCTION_ARGS)
{
	return attr_combine(fcinfo, SPC_CHART_U);
}

/* Build a qe.control_limits datum. */
static Datum
limits_datum(TupleDesc tupdesc, const SpcChartLimits *cl)
{
	Datum		values[12];
	bool		nulls[12] = {0};

	values[0] = CStringGetTextDatum(spc_chart_name(cl->kind));
	values[1] = Float8GetDatum(cl->center);
	values[2] = Float8GetDatum(cl->lcl);
	values[3] = Float8GetDatum(cl->ucl);
	values[4] = Float8GetDatum(cl->sigma);
	values[5] = Int64GetDatum(cl->n_points);
	values[6] = Int64GetDatum(cl->n_values);
	nulls[6] = cl->n_values_null;
	values[7] = Float8GetDatum(cl->avg_sample_size);
	/* attribute charts have no companion dispersion chart */
	nulls[8] = nulls[9] = nulls[10] = nulls[11] = true;
	values[8] = values[9] = values[10] = values[11] = (Datum) 0;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

static Datum
attr_final(FunctionCallInfo fcinfo, SpcChartKind kind)
{
	double	   *s = state_slots(PG_GETARG_ARRAYTYPE_P(0), kind);
	SpcChartLimits cl;
	SpcAttrError err;
	TupleDesc	tupdesc;

	if (!spc_attr_final(s, kind, &cl, &err))
	{
		if (err == SPC_ATTR_SIZE_VARIES)
			report_attr_error(err, kind, s[SPC_ATTR_N_MAX], s[SPC_ATTR_N_MAX], s);
		report_attr_error(err, kind, 0, 0, NULL);
		PG_RETURN_NULL();		/* fewer than two samples */
	}
	if (!isfinite(cl.center) || !isfinite(cl.ucl) || !isfinite(cl.sigma))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow"),
				 errdetail("The %s chart's centre or limits exceed double precision (units inspected near zero?).",
						   spc_chart_name(kind)),
				 errhint("Express the units inspected in a larger unit so that defects per unit stay within double precision.")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != 12)
		elog(ERROR, "qe.control_limits has %d attributes, expected 12", tupdesc->natts);
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(limits_datum(tupdesc, &cl));
}

Datum
qe_spc_p_chart_final(PG_FUNCTION_ARGS)
{
	return attr_final(fcinfo, SPC_CHART_P);
}

Datum
qe_spc_np_chart_final(PG_FUNCTION_ARGS)
{
	return attr_final(fcinfo, SPC_CHART_NP);
}

Datum
qe_spc_c_chart_final(PG_FUNCTION_ARGS)
{
	return attr_final(fcinfo, SPC_CHART_C);
}

Datum
qe_spc_u_chart_final(PG_FUNCTION_ARGS)
{
	return attr_final(fcinfo, SPC_CHART_U);
}

/* Index of attribute `name` in tupdesc, or error. */
static int
attno_of(TupleDesc tupdesc, const char *name)
{
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return i;
	}
	elog(ERROR, "qe.control_limits has no attribute \"%s\"", name);
	return -1;					/* keep the compiler quiet */
}

/*
 * qe.limits_at(cl qe.control_limits, n float8) RETURNS qe.control_limits
 */
Datum
qe_spc_limits_at(PG_FUNCTION_ARGS)
{
	HeapTupleHeader rec = PG_GETARG_HEAPTUPLEHEADER(0);
	double		n = PG_GETARG_FLOAT8(1);
	Oid			typid = HeapTupleHeaderGetTypeId(rec);
	int32		typmod = HeapTupleHeaderGetTypMod(rec);
	TupleDesc	tupdesc = lookup_rowtype_tupdesc(typid, typmod);
	HeapTupleData tuple;
	Datum	   *values;
	bool	   *nulls;
	int			a_chart = attno_of(tupdesc, "chart"),
				a_center = attno_of(tupdesc, "center"),
				a_lcl = attno_of(tupdesc, "lcl"),
				a_ucl = attno_of(tupdesc, "ucl"),
				a_sigma = attno_of(tupdesc, "sigma"),
				a_avg = attno_of(tupdesc, "avg_sample_size"),
				a_dc = attno_of(tupdesc, "disp_center"),
				a_dl = attno_of(tupdesc, "disp_lcl"),
				a_du = attno_of(tupdesc, "disp_ucl");
	char	   *chart;
	SpcChartKind kind;
	SpcChartLimits out;
	bool		changed;
	SpcLimitsAtError err;
	HeapTuple	result;

#define F8_OR_NAN(a) (nulls[a] ? NAN : DatumGetFloat8(values[a]))

	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;

	values = palloc(sizeof(Datum) * tupdesc->natts);
	nulls = palloc(sizeof(bool) * tupdesc->natts);
	heap_deform_tuple(&tuple, tupdesc, values, nulls);

	if (nulls[a_chart])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("control limits have no chart type"),
				 errhint("Pass the result of one of the control-chart aggregates, e.g. qe.p_chart(defectives, sample_size).")));
	chart = TextDatumGetCString(values[a_chart]);
	kind = spc_chart_kind(chart);

	err = spc_limits_at(kind, F8_OR_NAN(a_center), F8_OR_NAN(a_sigma), F8_OR_NAN(a_avg),
						n, &out, &changed);
	switch (err)
	{
		case SPC_LIMITS_AT_OK:
			break;
		case SPC_LIMITS_AT_BAD_N:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample size n must be a positive finite number (at most 1e9 for X-bar charts), got %g", n),
					 errhint("Pass the size of the plotted sample or subgroup (units inspected for p, np and u charts).")));
			break;
		case SPC_LIMITS_AT_N_NOT_INTEGER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("subgroup size n must be a whole number for %s charts, got %g", chart, n),
					 errhint("The R and S chart constants exist for whole subgroup sizes; pass the subgroup's count of measurements.")));
			break;
		case SPC_LIMITS_AT_N_TOO_SMALL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("subgroup size n must be at least 2 for %s charts, got %g", chart, n),
					 errhint("A subgroup of one value has no range or standard deviation; chart individual values with qe.imr_chart.")));
			break;
		case SPC_LIMITS_AT_MISSING:
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("control limits of a %s chart need center%s",
							chart, kind == SPC_CHART_NP ? " and avg_sample_size" :
							(kind == SPC_CHART_XBAR_R || kind == SPC_CHART_XBAR_S) ? " and sigma" : ""),
					 errhint("Pass the composite returned by the chart's aggregate.")));
			break;
		case SPC_LIMITS_AT_BAD_FIELD:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("control limits of a %s chart are inconsistent", chart),
					 errdetail("center %g, sigma %g, avg_sample_size %g.",
							   F8_OR_NAN(a_center), F8_OR_NAN(a_sigma), F8_OR_NAN(a_avg)),
					 errhint("Pass the composite returned by the chart's aggregate.")));
			break;
		case SPC_LIMITS_AT_UNKNOWN_CHART:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown chart type \"%s\"", chart),
					 errhint("Known chart types: p, np, c, u, I-MR, Xbar-R, Xbar-S.")));
			break;
	}

	if (changed && (!isfinite(out.center) || !isfinite(out.lcl) || !isfinite(out.ucl) ||
					(out.has_disp && (!isfinite(out.disp_center) || !isfinite(out.disp_lcl) ||
									  !isfinite(out.disp_ucl)))))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow"),
				 errdetail("The limits at n = %g exceed double precision.", n),
				 errhint("Pass the size of the plotted sample in a unit that keeps the limits finite.")));
	if (changed)
	{
		values[a_center] = Float8GetDatum(out.center);
		values[a_lcl] = Float8GetDatum(out.lcl);
		values[a_ucl] = Float8GetDatum(out.ucl);
		values[a_avg] = Float8GetDatum(out.avg_sample_size);
		nulls[a_center] = nulls[a_lcl] = nulls[a_ucl] = nulls[a_avg] = false;
		if (out.has_disp)
		{
			values[a_dc] = Float8GetDatum(out.disp_center);
			values[a_dl] = Float8GetDatum(out.disp_lcl);
			values[a_du] = Float8GetDatum(out.disp_ucl);
			nulls[a_dc] = nulls[a_dl] = nulls[a_du] = false;
		}
	}
	result = heap_form_tuple(tupdesc, values, nulls);
	ReleaseTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
#undef F8_OR_NAN
}
