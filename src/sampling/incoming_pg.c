/*
 * incoming_pg.c: SQL access to incoming.c: qe.inspection_points,
 * qe.skip_lot_qualification, qe.skip_lot_frequency, qe.skip_lot_reverts.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "sampling/incoming.h"

PG_FUNCTION_INFO_V1(qe_smp_inspection_points);
PG_FUNCTION_INFO_V1(qe_smp_skip_lot_qualification);
PG_FUNCTION_INFO_V1(qe_smp_skip_lot_frequency);
PG_FUNCTION_INFO_V1(qe_smp_skip_lot_reverts);

typedef int (*ParseFn) (const char *s, size_t len);

static int
word_arg(FunctionCallInfo fcinfo, int argno, ParseFn parse, const char *what, const char *list)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);
	int			k = parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown %s \"%s\"", what, text_to_cstring(t)),
				 errhint("Valid values are: %s.", list)));
	return k;
}

static TupleDesc
result_desc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	return BlessTupleDesc(tupdesc);
}

/*
 * qe.inspection_points(supplier_status, part_criticality, regulatory_requirement,
 *                      supplier_ppm, ncr_issued, customer_complaint, scar_open)
 * NULL in any argument but supplier_ppm gives NULL.
 */
Datum
qe_smp_inspection_points(PG_FUNCTION_ARGS)
{
	int			sup,
				crit,
				reg,
				rc;
	double		ppm;
	SmpPoints	p;
	Datum		values[8];
	bool		nulls[8] = {0};

	for (int k = 0; k < 7; k++)
		if (k != 3 && PG_ARGISNULL(k))
			PG_RETURN_NULL();
	sup = word_arg(fcinfo, 0, smp_parse_supplier, "supplier status", SMP_SUPPLIER_LIST);
	crit = word_arg(fcinfo, 1, smp_parse_criticality, "part criticality", SMP_CRITICALITY_LIST);
	reg = word_arg(fcinfo, 2, smp_parse_regulatory, "regulatory requirement", SMP_REGULATORY_LIST);
	ppm = PG_ARGISNULL(3) ? -1.0 : PG_GETARG_FLOAT8(3);
	if (!PG_ARGISNULL(3) && !(ppm >= 0.0 && isfinite(ppm)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("supplier PPM must be a finite number >= 0, got %g", ppm),
				 errhint("Pass the supplier's defective parts per million over the rating period (0 when none).")));
	rc = smp_inspection_points(sup, ppm, crit, reg, PG_GETARG_BOOL(4), PG_GETARG_BOOL(5), PG_GETARG_BOOL(6), &p);
	if (rc == -1)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a %s supplier is scored by its PPM: supplier_ppm is required",
						sup == SMP_SUP_PREFERRED ? "preferred" : "qualified"),
				 errhint("Pass supplier_ppm => the supplier's defective parts per million.")));
	if (rc != 0)
		elog(ERROR, "inspection points: bad argument");

	values[0] = Int32GetDatum(p.total);
	values[1] = Int32GetDatum(p.supplier);
	values[2] = Int32GetDatum(p.criticality);
	values[3] = Int32GetDatum(p.regulatory);
	values[4] = Int32GetDatum(p.history);
	values[5] = CStringGetTextDatum(smp_level_band_names[p.level]);
	nulls[6] = smp_level_band_aql[p.level] == NULL;
	values[6] = nulls[6] ? (Datum) 0 : CStringGetTextDatum(smp_level_band_aql[p.level]);
	values[7] = CStringGetTextDatum(smp_level_band_approach[p.level]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

static Datum
text_array(const char **items, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));

	for (int k = 0; k < n; k++)
		elems[k] = CStringGetTextDatum(items[k]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * qe.skip_lot_qualification(supplier_status, consecutive_lots_accepted,
 *     supplier_cpk, incoming_cpk, open_scars, qms_certified, written_agreement)
 * A NULL input fails its criterion.
 */
Datum
qe_smp_skip_lot_qualification(PG_FUNCTION_ARGS)
{
	SmpSkipInput in;
	bool		met[SMP_SKIP_NCRITERIA];
	const char *yes[SMP_SKIP_NCRITERIA],
			   *no[SMP_SKIP_NCRITERIA];
	int			nyes = 0,
				nno = 0;
	bool		all;
	Datum		values[3];
	bool		nulls[3] = {0};

	in.supplier = PG_ARGISNULL(0) ? -1 :
		word_arg(fcinfo, 0, smp_parse_supplier, "supplier status", SMP_SUPPLIER_LIST);
	in.consecutive_accepted = PG_ARGISNULL(1) ? -1 : PG_GETARG_INT32(1);
	in.supplier_cpk = PG_ARGISNULL(2) ? NAN : PG_GETARG_FLOAT8(2);
	in.incoming_cpk = PG_ARGISNULL(3) ? NAN : PG_GETARG_FLOAT8(3);
	in.open_scars = PG_ARGISNULL(4) ? -1 : PG_GETARG_INT32(4);
	in.qms_certified = PG_ARGISNULL(5) ? -1 : PG_GETARG_BOOL(5);
	in.written_agreement = PG_ARGISNULL(6) ? -1 : PG_GETARG_BOOL(6);
	if ((!PG_ARGISNULL(4) && in.open_scars < 0) || (!PG_ARGISNULL(1) && in.consecutive_accepted < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lot and SCAR counts must not be negative"),
				 errhint("Pass counts of lots and of SCARs, 0 when there were none.")));

	all = smp_skip_lot_check(&in, met);
	for (int k = 0; k < SMP_SKIP_NCRITERIA; k++)
	{
		if (met[k])
			yes[nyes++] = smp_skip_criteria[k];
		else
			no[nno++] = smp_skip_criteria[k];
	}
	values[0] = BoolGetDatum(all);
	values[1] = text_array(yes, nyes);
	values[2] = text_array(no, nno);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* qe.skip_lot_frequency(qualification_level) */
Datum
qe_smp_skip_lot_frequency(PG_FUNCTION_ARGS)
{
	int			lv = word_arg(fcinfo, 0, smp_parse_skip_level, "skip-lot qualification level", SMP_SKIP_LEVEL_LIST);
	Datum		values[4];
	bool		nulls[4] = {0};

	values[0] = CStringGetTextDatum(smp_skip_level_names[lv]);
	nulls[1] = smp_skip_every[lv] == 0;
	values[1] = Int32GetDatum(smp_skip_every[lv]);
	values[2] = CStringGetTextDatum(smp_skip_frequency[lv]);
	values[3] = CStringGetTextDatum(smp_skip_trigger[lv]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc(fcinfo), values, nulls)));
}

/* qe.skip_lot_reverts(qualification_level, event) */
Datum
qe_smp_skip_lot_reverts(PG_FUNCTION_ARGS)
{
	int			lv = word_arg(fcinfo, 0, smp_parse_skip_level, "skip-lot qualification level", SMP_SKIP_LEVEL_LIST);
	int			ev = word_arg(fcinfo, 1, smp_parse_event, "skip-lot event", SMP_EVENT_LIST);

	PG_RETURN_BOOL(smp_skip_lot_reverts(lv, ev));
}
