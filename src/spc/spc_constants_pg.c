/*
 * spc_constants_pg.c: SQL access to the control-chart constants.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "spc/spc_constants.h"

PG_FUNCTION_INFO_V1(qe_spc_constants);

Datum
qe_spc_constants(PG_FUNCTION_ARGS)
{
	int64		n = PG_GETARG_INT64(0);
	SpcConstants c;
	TupleDesc	tupdesc;
	Datum		values[16];
	bool		nulls[16] = {0};

	if (spc_constants(n, &c) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("subgroup size must be between 2 and " INT64_FORMAT ", got " INT64_FORMAT,
						SPC_MAX_N, n),
				 errhint("Control-chart constants exist for subgroups of two or more; individual values use n = 2 (moving range of span 2).")));

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = Int64GetDatum(c.n);
	values[1] = Float8GetDatum(c.d2);
	values[2] = Float8GetDatum(c.d3);
	values[3] = Float8GetDatum(c.c4);
	values[4] = Float8GetDatum(c.A);
	values[5] = Float8GetDatum(c.A2);
	values[6] = Float8GetDatum(c.A3);
	values[7] = Float8GetDatum(c.B3);
	values[8] = Float8GetDatum(c.B4);
	values[9] = Float8GetDatum(c.B5);
	values[10] = Float8GetDatum(c.B6);
	values[11] = Float8GetDatum(c.D1);
	values[12] = Float8GetDatum(c.D2);
	values[13] = Float8GetDatum(c.D3);
	values[14] = Float8GetDatum(c.D4);
	values[15] = Float8GetDatum(c.E2);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
