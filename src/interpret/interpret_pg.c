/*
 * interpret_pg.c: SQL glue for the seed §4 interpretation helpers
 * (qe.select_chart, qe.trend_projection, qe.capability_band,
 * qe.cp_cpk_diagnosis, qe.pp_cp_diagnosis).  Logic in interpret.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "interpret/interpret.h"

#include <math.h>

PG_FUNCTION_INFO_V1(qe_interp_select_chart);
PG_FUNCTION_INFO_V1(qe_interp_trend_projection);
PG_FUNCTION_INFO_V1(qe_interp_capability_band);
PG_FUNCTION_INFO_V1(qe_interp_cp_cpk_diagnosis);
PG_FUNCTION_INFO_V1(qe_interp_pp_cp_diagnosis);

static TupleDesc
result_tupdesc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	return BlessTupleDesc(tupdesc);
}

static inline Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * qe.select_chart(data_kind text, subgroup_size bigint DEFAULT NULL,
 *                 counting text DEFAULT NULL, constant_size boolean DEFAULT true)
 *   RETURNS qe.chart_selection
 */
Datum
qe_interp_select_chart(PG_FUNCTION_ARGS)
{
	char	   *kind_s;
	InterpDataKind kind;
	int64		size = PG_ARGISNULL(1) ? -1 : PG_GETARG_INT64(1);
	InterpCounting counting = INTERP_COUNT_UNSPECIFIED;
	bool		constant = PG_ARGISNULL(3) ? true : PG_GETARG_BOOL(3);
	InterpChartChoice c;
	InterpSelectError err;
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {0};
	Datum		warn[INTERP_MAX_WARNINGS];

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("data_kind must not be NULL"),
				 errhint("Pass data_kind => 'variable' for measurements or 'attribute' for counts.")));
	kind_s = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (pg_strcasecmp(kind_s, "variable") == 0 || pg_strcasecmp(kind_s, "continuous") == 0)
		kind = INTERP_DATA_VARIABLE;
	else if (pg_strcasecmp(kind_s, "attribute") == 0 || pg_strcasecmp(kind_s, "discrete") == 0)
		kind = INTERP_DATA_ATTRIBUTE;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown data_kind \"%s\"", kind_s),
				 errhint("Pass 'variable' (continuous measurements) or 'attribute' (counts or proportions).")));

	if (!PG_ARGISNULL(2))
	{
		char	   *cs = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (pg_strcasecmp(cs, "defectives") == 0)
			counting = INTERP_COUNT_DEFECTIVES;
		else if (pg_strcasecmp(cs, "defects") == 0)
			counting = INTERP_COUNT_DEFECTS;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown counting \"%s\"", cs),
					 errhint("Pass 'defectives' (items that pass or fail) or 'defects' (several defects possible per unit).")));
	}

	/* -1 stands for "unknown" in the C API: only SQL NULL may mean that */
	err = (!PG_ARGISNULL(1) && size < 1) ? INTERP_SELECT_BAD_SIZE
		: interp_select_chart(kind, size, counting, constant, &c);
	switch (err)
	{
		case INTERP_SELECT_OK:
			break;
		case INTERP_SELECT_NEED_SIZE:
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("variable data need a subgroup_size"),
					 errhint("Pass subgroup_size => 1 for individual readings, or the number of measurements per sampling event.")));
			break;
		case INTERP_SELECT_BAD_SIZE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("subgroup_size must be at least 1, got " INT64_FORMAT, size),
					 errhint("Pass the number of measurements per subgroup (1 for individual readings) or of units per attribute sample.")));
			break;
		case INTERP_SELECT_NEED_COUNTING:
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("attribute data need counting => 'defectives' or 'defects'"),
					 errhint("'defectives' counts items that pass or fail (p, np charts); 'defects' counts nonconformities, several possible per unit (c, u charts).")));
			break;
		case INTERP_SELECT_COUNTING_ON_VARIABLE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("counting applies to attribute data only"),
					 errhint("Leave counting out for variable data, or pass data_kind => 'attribute'.")));
			break;
	}

	tupdesc = result_tupdesc(fcinfo);
	values[0] = CStringGetTextDatum(c.chart);
	values[1] = CStringGetTextDatum(c.aggregate);
	values[2] = CStringGetTextDatum(c.reason);
	for (int i = 0; i < c.nwarnings; i++)
		warn[i] = CStringGetTextDatum(c.warnings[i]);
	values[3] = PointerGetDatum(construct_array(warn, c.nwarnings, TEXTOID, -1, false, TYPALIGN_INT));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* A 1-D float8 array as a C array with NULL flags; zero-dimensional = empty. */
static int
float8_array(ArrayType *arr, const char *argname, Datum **elems, bool **enulls)
{
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", argname),
				 errhint("Pass array_agg(...) of the recent points in order.")));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  elems, enulls, &n);
	return n;
}

/*
 * qe.trend_projection(t float8[], value float8[], lsl float8, usl float8)
 *   RETURNS qe.trend_projection
 */
Datum
qe_interp_trend_projection(PG_FUNCTION_ARGS)
{
	Datum	   *te,
			   *ve;
	bool	   *tn,
			   *vn;
	int			nt,
				nv,
				k = 0;
	double	   *t,
			   *v;
	bool		has_lsl = !PG_ARGISNULL(2),
				has_usl = !PG_ARGISNULL(3);
	double		lsl = has_lsl ? PG_GETARG_FLOAT8(2) : 0,
				usl = has_usl ? PG_GETARG_FLOAT8(3) : 0;
	InterpTrend tr;
	TupleDesc	tupdesc;
	Datum		values[10];
	bool		nulls[10] = {0};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	nt = float8_array(PG_GETARG_ARRAYTYPE_P(0), "t", &te, &tn);
	nv = float8_array(PG_GETARG_ARRAYTYPE_P(1), "value", &ve, &vn);
	if (nt != nv)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("t and value must have the same length, got %d and %d", nt, nv),
				 errhint("Build both with array_agg over the same rows, e.g. array_agg(t ORDER BY t), array_agg(value ORDER BY t).")));

	/* pairs with a NULL t or value are skipped, as avg skips NULLs */
	t = palloc(sizeof(double) * (nt + 1));
	v = palloc(sizeof(double) * (nt + 1));
	for (int i = 0; i < nt; i++)
		if (!tn[i] && !vn[i])
		{
			t[k] = DatumGetFloat8(te[i]);
			v[k] = DatumGetFloat8(ve[i]);
			k++;
		}

	switch (interp_trend_projection(t, v, k, has_lsl, lsl, has_usl, usl, &tr))
	{
		case INTERP_TREND_OK:
			break;
		case INTERP_TREND_TOO_FEW:
			PG_RETURN_NULL();
		case INTERP_TREND_NONFINITE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("t and value must be finite numbers"),
					 errhint("Filter out NaN and infinite points before projecting.")));
			break;
		case INTERP_TREND_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value out of range: the fitted trend exceeds double precision"),
					 errhint("Project values of a workable magnitude: subtract a reference value from t or the values.")));
			break;
		case INTERP_TREND_BAD_LIMITS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("specification limits must be finite with lsl < usl, got lsl %g, usl %g",
							has_lsl ? lsl : NAN, has_usl ? usl : NAN),
					 errhint("Pass NULL for a one-sided specification.")));
			break;
	}

	tupdesc = result_tupdesc(fcinfo);
	values[0] = Int64GetDatum(tr.n);
	values[1] = Float8GetDatum(tr.slope);
	values[2] = Float8GetDatum(tr.intercept);
	values[3] = Float8GetDatum(tr.t_last);
	values[4] = Float8GetDatum(tr.fitted_last);
	values[5] = text_or_null(tr.towards > 0 ? "USL" : tr.towards < 0 ? "LSL" : NULL, &nulls[5]);
	values[6] = Float8GetDatum(tr.limit);
	values[7] = Float8GetDatum(tr.t_at_limit);
	values[8] = Float8GetDatum(tr.time_to_limit);
	values[9] = Float8GetDatum(tr.points_to_limit);
	if (tr.towards == 0)
		nulls[6] = nulls[7] = nulls[8] = nulls[9] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* qe.capability_band(cpk float8) RETURNS qe.capability_band */
Datum
qe_interp_capability_band(PG_FUNCTION_ARGS)
{
	double		cpk = PG_GETARG_FLOAT8(0);
	const InterpBand *b = interp_capability_band(cpk);
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {0};

	if (b == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Cpk must not be NaN"),
				 errhint("A NaN index comes from a bad measurement; zero variation gives Infinity, which is accepted.")));
	tupdesc = result_tupdesc(fcinfo);
	values[0] = CStringGetTextDatum(b->band);
	values[1] = CStringGetTextDatum(b->cpk_range);
	values[2] = CStringGetTextDatum(b->interpretation);
	values[3] = CStringGetTextDatum(b->action);
	values[4] = Float8GetDatum(b->lower);
	values[5] = Float8GetDatum(b->upper);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static Datum
diagnosis_datum(FunctionCallInfo fcinfo, const InterpDiagnosis *d, double ratio)
{
	TupleDesc	tupdesc = result_tupdesc(fcinfo);
	Datum		values[5];
	bool		nulls[5] = {0};

	values[0] = CStringGetTextDatum(d->condition);
	values[1] = CStringGetTextDatum(d->meaning);
	values[2] = text_or_null(d->detail, &nulls[2]);
	values[3] = CStringGetTextDatum(d->action);
	values[4] = Float8GetDatum(ratio);
	nulls[4] = isnan(ratio);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

static void
report_diag_error(InterpDiagError err)
{
	switch (err)
	{
		case INTERP_DIAG_OK:
		case INTERP_DIAG_NO_RATIO:
			return;
		case INTERP_DIAG_NAN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("capability indices must not be NaN"),
					 errhint("Pass NULL for an index that does not exist (one-sided specification).")));
			break;
		case INTERP_DIAG_CP_NOT_POSITIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("Cp and Pp must be positive"),
					 errhint("Cp = (USL - LSL) / 6 sigma (Pp with the overall sigma) is positive for a valid specification; check that USL > LSL.")));
			break;
		case INTERP_DIAG_CPK_ABOVE_CP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("Cpk cannot exceed Cp"),
					 errhint("Cpk = Cp - |mean - midpoint| / 3 sigma; pass Cp and Cpk computed from the same sigma.")));
			break;
	}
}

/* qe.cp_cpk_diagnosis(cp float8, cpk float8) RETURNS qe.capability_diagnosis */
Datum
qe_interp_cp_cpk_diagnosis(PG_FUNCTION_ARGS)
{
	double		cp = PG_GETARG_FLOAT8(0),
				cpk = PG_GETARG_FLOAT8(1);
	InterpDiagnosis d;
	InterpDiagError err = interp_cp_cpk(cp, cpk, &d);

	report_diag_error(err);
	PG_RETURN_DATUM(diagnosis_datum(fcinfo, &d, isinf(cp) ? NAN : cpk / cp));
}

/*
 * qe.pp_cp_diagnosis(cp, cpk, pp, ppk float8) RETURNS qe.capability_diagnosis;
 * NULL when no pair (Pp with Cp, or Ppk with Cpk) is usable.
 */
Datum
qe_interp_pp_cp_diagnosis(PG_FUNCTION_ARGS)
{
	InterpDiagnosis d;
	double		ratio;
	InterpDiagError err;

#define ARG(i) (PG_ARGISNULL(i) ? 0.0 : PG_GETARG_FLOAT8(i))
	err = interp_pp_cp(!PG_ARGISNULL(0), ARG(0), !PG_ARGISNULL(1), ARG(1),
					   !PG_ARGISNULL(2), ARG(2), !PG_ARGISNULL(3), ARG(3), &d, &ratio);
#undef ARG
	report_diag_error(err);
	if (err == INTERP_DIAG_NO_RATIO)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(diagnosis_datum(fcinfo, &d, ratio));
}
