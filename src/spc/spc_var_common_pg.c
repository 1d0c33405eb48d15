/*
 * spc_var_common_pg.c: helpers shared by the variables-chart and capability
 * glue: argument reading, specification checks, result composites.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "common/qe_pg.h"
#include "spc/spc_variables_pg.h"

int
spc_var_t_kind(FunctionCallInfo fcinfo, int argno)
{
	Oid			typ = get_fn_expr_argtype(fcinfo->flinfo, argno);

	if (typ == TIMESTAMPOID)
		return SPC_T_TIMESTAMP;
	if (typ == TIMESTAMPTZOID)
		return SPC_T_TIMESTAMPTZ;
	return SPC_T_BIGINT;
}

char *
spc_var_t_text(int64 t, int kind)
{
	if (kind == SPC_T_TIMESTAMP)
		return DatumGetCString(DirectFunctionCall1(timestamp_out, TimestampGetDatum(t)));
	if (kind == SPC_T_TIMESTAMPTZ)
		return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)));
	return psprintf(INT64_FORMAT, t);
}

MemoryContext
spc_var_aggcontext(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fname);
	return ctx;
}

static void
read_limit(FunctionCallInfo fcinfo, int arg, const char *what, int *has, double *v)
{
	*has = 0;
	*v = 0.0;
	if (arg < 0 || arg >= PG_NARGS() || PG_ARGISNULL(arg))
		return;
	*v = PG_GETARG_FLOAT8(arg);
	qe_check_finite(*v, what);
	*has = 1;
}

void
spc_var_read_spec(FunctionCallInfo fcinfo, int lsl_arg, int usl_arg, int target_arg, SpcSpec *spec)
{
	read_limit(fcinfo, lsl_arg, "lsl", &spec->has_lsl, &spec->lsl);
	read_limit(fcinfo, usl_arg, "usl", &spec->has_usl, &spec->usl);
	read_limit(fcinfo, target_arg, "target", &spec->has_target, &spec->target);
	if (spec->has_lsl && spec->has_usl && !(spec->lsl < spec->usl))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lower specification limit %g must be below the upper specification limit %g",
						spec->lsl, spec->usl),
				 errhint("Pass lsl < usl; for a one-sided specification pass NULL for the missing limit.")));
	if (spec->has_target &&
		((spec->has_lsl && spec->target < spec->lsl) || (spec->has_usl && spec->target > spec->usl)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target %g lies outside the specification limits", spec->target),
				 errhint("The target must satisfy lsl <= target <= usl; pass NULL for no target.")));
}

static bool
same_limit(int ha, double a, int hb, double b)
{
	return ha == hb && (!ha || a == b);
}

void
spc_var_same_spec(const SpcSpec *seen, const SpcSpec *row)
{
	if (!same_limit(seen->has_lsl, seen->lsl, row->has_lsl, row->lsl) ||
		!same_limit(seen->has_usl, seen->usl, row->has_usl, row->usl) ||
		!same_limit(seen->has_target, seen->target, row->has_target, row->target))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("specification limits must be the same for every row of a group"),
				 errhint("Group by the characteristic (and its specification), or join the limits from one row per characteristic.")));
}

static TupleDesc
result_desc(FunctionCallInfo fcinfo, int natts)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != natts)
		elog(ERROR, "result type has %d columns, expected %d", tupdesc->natts, natts);
	return BlessTupleDesc(tupdesc);
}

/* a double as a Datum, NaN as NULL */
static void
put_double(Datum *values, bool *nulls, int i, double v)
{
	nulls[i] = isnan(v);
	values[i] = Float8GetDatum(nulls[i] ? 0.0 : v);
}

Datum
spc_var_limits_datum(FunctionCallInfo fcinfo, const char *chart, const char *disp, const SpcLimits *l)
{
	TupleDesc	tupdesc = result_desc(fcinfo, 12);
	Datum		values[12];
	bool		nulls[12] = {0};

	values[0] = CStringGetTextDatum(chart);
	put_double(values, nulls, 1, l->center);
	put_double(values, nulls, 2, l->lcl);
	put_double(values, nulls, 3, l->ucl);
	put_double(values, nulls, 4, l->sigma);
	values[5] = Int64GetDatum(l->n_points);
	values[6] = Int64GetDatum(l->n_values);
	put_double(values, nulls, 7, l->avg_sample_size);
	values[8] = CStringGetTextDatum(disp);
	put_double(values, nulls, 9, l->disp_center);
	put_double(values, nulls, 10, l->disp_lcl);
	put_double(values, nulls, 11, l->disp_ucl);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

Datum
spc_var_capability_datum(FunctionCallInfo fcinfo, const SpcCapability *c, const SpcSpec *spec,
						 const char *method)
{
	TupleDesc	tupdesc = result_desc(fcinfo, 17);
	Datum		values[17];
	bool		nulls[17] = {0};

	put_double(values, nulls, 0, c->cp);
	put_double(values, nulls, 1, c->cpk);
	put_double(values, nulls, 2, c->cpl);
	put_double(values, nulls, 3, c->cpu);
	put_double(values, nulls, 4, c->pp);
	put_double(values, nulls, 5, c->ppk);
	put_double(values, nulls, 6, c->ppl);
	put_double(values, nulls, 7, c->ppu);
	put_double(values, nulls, 8, c->cpm);
	values[9] = Int64GetDatum(c->n);
	put_double(values, nulls, 10, c->mean);
	put_double(values, nulls, 11, c->sigma_within);
	put_double(values, nulls, 12, c->sigma_overall);
	put_double(values, nulls, 13, spec->has_lsl ? spec->lsl : NAN);
	put_double(values, nulls, 14, spec->has_usl ? spec->usl : NAN);
	put_double(values, nulls, 15, spec->has_target ? spec->target : NAN);
	values[16] = CStringGetTextDatum(method);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

Datum
spc_var_series_capability(FunctionCallInfo fcinfo, const SpcSeries *s, const SpcSpec *spec)
{
	SpcCapability c;

	spc_capability(s->n, s->mean, s->m2, spc_series_sigma_within(s), spec, &c);
	return spc_var_capability_datum(fcinfo, &c, spec, "mr");
}

void
spc_var_check_finite(const char *what, const double *v, int n)
{
	for (int i = 0; i < n; i++)
		if (!isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range"),
					 errdetail("The sums behind %s are outside the range of double precision (overflow, or squares of deviations that underflow).", what),
					 errhint("Aggregate values of a workable magnitude: subtract a reference value or change the unit.")));
}
