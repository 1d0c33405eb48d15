/*
 * switching_pg.c: the qe.inspection_state aggregates (ordered, and usable
 * with OVER) over the switching state machine of switching.c.
 *
 * The transition state is an SmpSwitchState palloc'd once per group in the
 * aggregate context (fixed size, O(1) per group / partition).  The final
 * function only reads it (FINALFUNC_MODIFY = READ_ONLY), so a window
 * aggregate can call it after every row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "sampling/switching.h"

PG_FUNCTION_INFO_V1(qe_smp_inspection_state_step);
PG_FUNCTION_INFO_V1(qe_smp_inspection_state_final);

#define STATE_NATTS 10

static SmpSwitchState *
get_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggctx;
	SmpSwitchState *s;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "qe.inspection_state transition called in a non-aggregate context");
	if (!PG_ARGISNULL(0))
		return (SmpSwitchState *) PG_GETARG_POINTER(0);
	s = MemoryContextAlloc(aggctx, sizeof(SmpSwitchState));
	smp_switch_init(s);
	return s;
}

static int
flag_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return SMP_FLAG_UNKNOWN;
	return PG_GETARG_BOOL(argno) ? SMP_FLAG_TRUE : SMP_FLAG_FALSE;
}

/*
 * step(state, lot_accepted [, defects_found, acceptance_number,
 *      production_steady, reduced_approved [, rules, discontinue_after]])
 * A row whose lot_accepted is NULL (lot not yet decided) is skipped.
 */
Datum
qe_smp_inspection_state_step(PG_FUNCTION_ARGS)
{
	SmpSwitchState *s = get_state(fcinfo);
	SmpLot		lot;
	int			nargs = PG_NARGS();
	int			rc;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);

	lot.accepted = PG_GETARG_BOOL(1);
	lot.has_count = nargs > 3 && !PG_ARGISNULL(2) && !PG_ARGISNULL(3);
	lot.defects = lot.has_count ? PG_GETARG_INT64(2) : 0;
	lot.ac = lot.has_count ? PG_GETARG_INT32(3) : 0;
	lot.production_steady = flag_arg(fcinfo, 4);
	lot.reduced_approved = flag_arg(fcinfo, 5);
	lot.rules = SMP_RULES_Z14;
	lot.discontinue_after = SMP_DEFAULT_DISCONTINUE_AFTER;
	if (nargs > 6 && !PG_ARGISNULL(6))
	{
		text	   *t = PG_GETARG_TEXT_PP(6);

		lot.rules = smp_parse_rules(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (lot.rules < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown switching rules \"%s\"", text_to_cstring(t)),
					 errhint("Valid rules are: " SMP_RULES_LIST ".")));
	}
	if (nargs > 7 && !PG_ARGISNULL(7))
	{
		lot.discontinue_after = PG_GETARG_INT32(7);
		if (lot.discontinue_after < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("discontinue_after must be at least 1, got %d", lot.discontinue_after),
					 errhint("Pass 5 (MIL-STD-105E, Z1.4-2003, ISO 2859-1) or 10 (Z1.4-1993, the seed's wording).")));
	}
	if (lot.has_count && (lot.defects < 0 || lot.ac < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("defects_found and acceptance_number must not be negative, got " INT64_FORMAT " and %d",
						lot.defects, lot.ac),
				 errhint("Pass the count found in the sample and the Ac of the plan used (qe.aql_plan().ac).")));

	rc = smp_switch_step(s, &lot);
	if (rc == SMP_SWERR_NEED_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the ISO 2859-1 switching score needs defects_found and acceptance_number for every lot on normal inspection"),
				 errhint("Pass the count found and the plan's Ac, or use rules => 'z1.4'.")));
	if (rc == SMP_SWERR_AC_SERIES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("acceptance number %d is not one of the Z1.4 single-sampling acceptance numbers", lot.ac),
				 errhint("The switching score compares with the plan one AQL step tighter; Ac must be one of 0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 44.")));
	if (rc < 0)
		elog(ERROR, "qe.inspection_state: invalid lot");	/* arguments were checked above */
	PG_RETURN_POINTER(s);
}

typedef struct FinalCache
{
	TupleDesc	tupdesc;
	Datum		severity[SMP_NSEVERITIES];
	Datum		reason[SMP_NREASONS];
} FinalCache;

Datum
qe_smp_inspection_state_final(PG_FUNCTION_ARGS)
{
	FinalCache *c = (FinalCache *) fcinfo->flinfo->fn_extra;
	SmpSwitchState init;
	const SmpSwitchState *s;
	Datum		values[STATE_NATTS];
	bool		nulls[STATE_NATTS] = {0};

	if (c == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc;

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		if (tupdesc->natts != STATE_NATTS)
			elog(ERROR, "qe.inspection_state must have %d attributes", STATE_NATTS);
		c = palloc0(sizeof(FinalCache));
		c->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		for (int k = 0; k < SMP_NSEVERITIES; k++)
			c->severity[k] = PointerGetDatum(cstring_to_text(smp_severity_names[k]));
		for (int k = 1; k < SMP_NREASONS; k++)
			c->reason[k] = PointerGetDatum(cstring_to_text(smp_switch_reason_names[k]));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}

	if (PG_ARGISNULL(0))
	{
		smp_switch_init(&init);
		s = &init;
	}
	else
		s = (const SmpSwitchState *) PG_GETARG_POINTER(0);

	values[0] = c->severity[s->severity];
	nulls[1] = s->last_lot_severity < 0;
	values[1] = nulls[1] ? (Datum) 0 : c->severity[s->last_lot_severity];
	values[2] = Int64GetDatum(s->lots);
	values[3] = Int64GetDatum(s->lots_in_severity);
	values[4] = Int32GetDatum(s->consecutive_accepted);
	values[5] = Int32GetDatum(smp_switch_normal_rejects(s));
	values[6] = Int32GetDatum(s->not_accepted_on_tightened);
	values[7] = Int32GetDatum(s->switching_score);
	nulls[8] = s->last_switch_reason == SMP_SW_NONE;
	values[8] = nulls[8] ? (Datum) 0 : c->reason[s->last_switch_reason];
	nulls[9] = s->last_switch_reason == SMP_SW_NONE;
	values[9] = Int64GetDatum(s->last_switch_lot);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls)));
}
