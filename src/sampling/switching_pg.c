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
PG_FUNCTION_INFO_V1(qe_smp_inspection_state_ts_step);
PG_FUNCTION_INFO_V1(qe_smp_inspection_state_ts_final);

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
 * Decode one lot from the arguments starting at argument a:
 * lot_accepted [, defects_found, acceptance_number, production_steady,
 * reduced_approved [, rules, discontinue_after]].  Returns false when
 * lot_accepted is NULL (lot not yet decided: the row is skipped).
 */
static bool
decode_lot(FunctionCallInfo fcinfo, int a, SmpLot *lot)
{
	int			nargs = PG_NARGS();

	if (PG_ARGISNULL(a))
		return false;
	lot->accepted = PG_GETARG_BOOL(a);
	lot->has_count = nargs > a + 2 && !PG_ARGISNULL(a + 1) && !PG_ARGISNULL(a + 2);
	lot->defects = lot->has_count ? PG_GETARG_INT64(a + 1) : 0;
	lot->ac = lot->has_count ? PG_GETARG_INT32(a + 2) : 0;
	lot->production_steady = flag_arg(fcinfo, a + 3);
	lot->reduced_approved = flag_arg(fcinfo, a + 4);
	lot->rules = SMP_RULES_Z14;
	lot->discontinue_after = SMP_DEFAULT_DISCONTINUE_AFTER;
	if (nargs > a + 5 && !PG_ARGISNULL(a + 5))
	{
		text	   *t = PG_GETARG_TEXT_PP(a + 5);

		lot->rules = smp_parse_rules(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		if (lot->rules < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown switching rules \"%s\"", text_to_cstring(t)),
					 errhint("Valid rules are: " SMP_RULES_LIST ".")));
	}
	if (nargs > a + 6 && !PG_ARGISNULL(a + 6))
	{
		lot->discontinue_after = PG_GETARG_INT32(a + 6);
		if (lot->discontinue_after < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("discontinue_after must be at least 1, got %d", lot->discontinue_after),
					 errhint("Pass 5 (MIL-STD-105E, Z1.4-2003, ISO 2859-1) or 10 (Z1.4-1993, the seed's wording).")));
	}
	if (lot->has_count && (lot->defects < 0 || lot->ac < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("defects_found and acceptance_number must not be negative, got " INT64_FORMAT " and %d",
						lot->defects, lot->ac),
				 errhint("Pass the count found in the sample and the Ac of the plan used (qe.aql_plan().ac).")));
	return true;
}

static void
report_step_error(int rc, const SmpLot *lot)
{
	if (rc == SMP_SWERR_NEED_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the ISO 2859-1 switching score needs defects_found and acceptance_number for every lot on normal inspection"),
				 errhint("Pass the count found and the plan's Ac, or use rules => 'z1.4'.")));
	if (rc == SMP_SWERR_AC_SERIES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("acceptance number %d is not one of the Z1.4 single-sampling acceptance numbers", lot->ac),
				 errhint("The switching score compares with the plan one AQL step tighter; Ac must be one of 0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 44.")));
	elog(ERROR, "qe.inspection_state: invalid lot (%d)", rc);	/* arguments are checked before */
}

/* step(state, lot_accepted [, ...]): lots arrive in order (ORDER BY / OVER) */
Datum
qe_smp_inspection_state_step(PG_FUNCTION_ARGS)
{
	SmpSwitchState *s = get_state(fcinfo);
	SmpLot		lot;
	int			rc;

	if (decode_lot(fcinfo, 1, &lot) && (rc = smp_switch_step(s, &lot)) < 0)
		report_step_error(rc, &lot);
	PG_RETURN_POINTER(s);
}

/*
 * The self-ordering form: step(state, received_at, lot_accepted [, ...]).
 * Every lot is kept, and the final function runs the switching rules over
 * them: in arrival order while they arrived in time order, else sorted.
 *
 * Lots are kept compactly while they allow it: received_at (8 bytes) and the
 * flags (1 byte) packed together, 9 bytes a lot, plus defects and Ac as two
 * int32 in a second array (allocated at the first lot that has them), with
 * rules and discontinue_after stored once.  A lot that does not fit (defects
 * above 2^31, or rules / discontinue_after differing within the group) turns
 * the group to full 32-byte SmpLotRec records.
 *
 * With hash aggregation the groups come in random order, so each cache line
 * a row touches is a miss.  A lot with the default rules and no count (the
 * 2-argument form) touches only the state's first line: it goes to a
 * buffer there, written to the array TS_BUF lots at a time.  Before, a row
 * touched two lines of the state (the switching rules were stepped at once)
 * and one line in each of two arrays (times and flags apart).
 */
#define TS_MAX_LOTS ((int64) (MaxAllocSize / sizeof(SmpLotRec)))
#define TS_ALIGN 64				/* a cache line */
#define TS_LOT_BYTES 9
#define TS_BUF 4				/* lots buffered in the state's first line */

typedef struct TsAux
{
	int32		defects;
	int32		ac;
} TsAux;

typedef struct TsState
{
	/* first cache line: all that a lot with the defaults reads and writes */
	int32		n;				/* lots kept, the buffered ones included */
	int32		cap;			/* room in the arrays */
	int64		last_t;
	char	   *lots;			/* TS_LOT_BYTES a lot: received_at, SmpLotRec.flags */
	uint8		nbuf;			/* the last nbuf lots are in buf, not yet in lots */
	bool		in_order;
	bool		compact;		/* lots in lots/aux (else in recs) */
	bool		plain;			/* compact, with the default rules and discontinue_after */
	char		buf[TS_BUF * TS_LOT_BYTES];
	/* second line: lots with counts or other settings, and the final function */
	TsAux	   *aux;			/* NULL until a lot with a count */
	int32		rules;			/* of every lot (the first lot's) */
	int32		discontinue_after;
	SmpLotRec  *recs;			/* full form */
	int64		replayed;		/* lots stepped into running so far */
	SmpSwitchState running;		/* over lots [0, replayed), while in_order */
} TsState;

StaticAssertDecl(offsetof(TsState, aux) <= TS_ALIGN, "what a plain lot touches of TsState must fit in one cache line");
StaticAssertDecl(TS_MAX_LOTS <= PG_INT32_MAX, "lot counts must fit in int32");

static inline int64
ts_time(const TsState *s, int64 i)
{
	int64		t;

	memcpy(&t, s->lots + i * TS_LOT_BYTES, sizeof(int64));
	return t;
}

static inline uint8
ts_flags(const TsState *s, int64 i)
{
	return (uint8) s->lots[i * TS_LOT_BYTES + sizeof(int64)];
}

/* write one packed lot (the layout ts_time and ts_flags read) at dst */
static inline void
ts_pack(char *dst, int64 t, uint8 flags)
{
	memcpy(dst, &t, sizeof(int64));
	dst[sizeof(int64)] = (char) flags;
}

/* room for need lots in the arrays */
static void
ts_reserve(TsState *s, int64 need)
{
	while (s->cap < need)
	{
		if (s->cap >= TS_MAX_LOTS / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many lots in one qe.inspection_state group"),
					 errhint("Group by supplier and part (the switching rules follow one product from one supplier).")));
		s->cap *= 2;
		if (s->compact)
		{
			s->lots = repalloc(s->lots, TS_LOT_BYTES * (Size) s->cap);
			if (s->aux)
				s->aux = repalloc(s->aux, sizeof(TsAux) * (Size) s->cap);
		}
		else
			s->recs = repalloc(s->recs, sizeof(SmpLotRec) * (Size) s->cap);
	}
}

/* move the buffered lots to the array (only plain lots are buffered) */
static void
ts_flush(TsState *s)
{
	if (s->nbuf == 0)
		return;
	ts_reserve(s, s->n);
	memcpy(s->lots + (Size) (s->n - s->nbuf) * TS_LOT_BYTES, s->buf, (Size) s->nbuf * TS_LOT_BYTES);
	s->nbuf = 0;
}

/* the lot at index i as a full record (compact form, flushed) */
static void
ts_compact_rec(const TsState *s, int64 i, SmpLotRec *r)
{
	SmpLot		lot;
	uint8		fl = ts_flags(s, i);

	lot.accepted = (fl & 1u) != 0;
	lot.has_count = (fl & 2u) != 0;
	lot.defects = lot.has_count ? s->aux[i].defects : 0;
	lot.ac = lot.has_count ? s->aux[i].ac : 0;
	lot.production_steady = SMP_FLAG_UNKNOWN;
	lot.reduced_approved = SMP_FLAG_UNKNOWN;
	lot.rules = s->rules;
	lot.discontinue_after = s->discontinue_after;
	smp_lotrec_pack(r, ts_time(s, i), (int32) i, &lot);
	r->flags = fl;				/* the steady / approved bits as stored */
}

static void
ts_to_full(TsState *s)
{
	SmpLotRec  *recs = MemoryContextAlloc(GetMemoryChunkContext(s->lots), sizeof(SmpLotRec) * (Size) s->cap);

	Assert(s->nbuf == 0);
	for (int64 i = 0; i < s->n; i++)
		ts_compact_rec(s, i, &recs[i]);
	pfree(s->lots);
	if (s->aux)
		pfree(s->aux);
	s->lots = NULL;
	s->aux = NULL;
	s->recs = recs;
	s->compact = false;
	s->plain = false;
}

Datum
qe_smp_inspection_state_ts_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	TsState    *s;
	SmpLot		lot;
	SmpLotRec	rec;
	int64		t;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "qe.inspection_state transition called in a non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		/*
		 * The state is reached through a pointer every row, from a random
		 * group: a cache miss per row that count(*), whose state lies in the
		 * hash entry, does not have.  What a row reads and writes is the
		 * first 64 bytes, aligned to a cache line so that it is one miss
		 * rather than the two an unaligned chunk may straddle.  The
		 * pointer is never pfree'd by the executor (internal is pass by
		 * value); the memory goes with the aggregate context.
		 */
		char	   *mem = MemoryContextAllocZero(aggctx, sizeof(TsState) + TS_ALIGN - 1);

		s = (TsState *) TYPEALIGN(TS_ALIGN, mem);
		smp_switch_init(&s->running);
		s->in_order = true;
		s->compact = true;
		s->plain = true;
		s->rules = SMP_RULES_Z14;
		s->discontinue_after = SMP_DEFAULT_DISCONTINUE_AFTER;
		s->cap = 16;
		s->lots = MemoryContextAlloc(aggctx, TS_LOT_BYTES * s->cap);
	}
	else
		s = (TsState *) PG_GETARG_POINTER(0);

	if (!decode_lot(fcinfo, 2, &lot))
		PG_RETURN_POINTER(s);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("received_at must not be null for a decided lot"),
				 errhint("The switching rules follow the order of receipt; filter out lots without a receipt time.")));
	t = PG_GETARG_INT64(1);		/* timestamptz is an int64 */
	smp_lotrec_pack(&rec, t, s->n, &lot);

	if (s->plain && !lot.has_count && lot.rules == SMP_RULES_Z14 &&
		lot.discontinue_after == SMP_DEFAULT_DISCONTINUE_AFTER)
	{
		/*
		 * A lot with the defaults goes to the buffer in the state's first
		 * cache line; the array is written TS_BUF lots at a time, one cache
		 * line touched for every few rows of the group instead of one a row.
		 */
		if (s->nbuf == TS_BUF)
			ts_flush(s);
		ts_pack(s->buf + s->nbuf * TS_LOT_BYTES, t, rec.flags);
		s->nbuf++;
	}
	else
	{
		ts_flush(s);
		ts_reserve(s, (int64) s->n + 1);
		if (s->compact)
		{
			if (s->n == 0)
			{
				s->rules = lot.rules;
				s->discontinue_after = lot.discontinue_after;
			}
			if (lot.rules != s->rules || lot.discontinue_after != s->discontinue_after ||
				(lot.has_count && (lot.defects > PG_INT32_MAX)))
				ts_to_full(s);
			else if (lot.has_count && s->aux == NULL)
				s->aux = MemoryContextAlloc(aggctx, sizeof(TsAux) * (Size) s->cap);
		}
		if (s->compact)
		{
			ts_pack(s->lots + (Size) s->n * TS_LOT_BYTES, t, rec.flags);
			if (lot.has_count)
			{
				s->aux[s->n].defects = (int32) lot.defects;
				s->aux[s->n].ac = lot.ac;
			}
		}
		else
			s->recs[s->n] = rec;
		s->plain = s->compact && s->rules == SMP_RULES_Z14 &&
			s->discontinue_after == SMP_DEFAULT_DISCONTINUE_AFTER;
	}
	s->n++;

	/*
	 * Only the arrival order is checked here; the switching rules run in the
	 * final function, over the lots as stored: stepping the state machine
	 * here would touch the state's second cache line, a miss per row from a
	 * random group.
	 */
	if (s->n > 1 && t < s->last_t)
		s->in_order = false;
	s->last_t = t;
	PG_RETURN_POINTER(s);
}

typedef struct FinalCache
{
	TupleDesc	tupdesc;
	Datum		severity[SMP_NSEVERITIES];
	Datum		reason[SMP_NREASONS];
} FinalCache;

static Datum
state_datum(FunctionCallInfo fcinfo, const SmpSwitchState *s)
{
	FinalCache *c = (FinalCache *) fcinfo->flinfo->fn_extra;
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

Datum
qe_smp_inspection_state_final(PG_FUNCTION_ARGS)
{
	SmpSwitchState init;

	if (PG_ARGISNULL(0))
	{
		smp_switch_init(&init);
		return state_datum(fcinfo, &init);
	}
	return state_datum(fcinfo, (const SmpSwitchState *) PG_GETARG_POINTER(0));
}

/* lot i of the state, whichever form holds it */
static void
ts_lot(const TsState *s, int64 i, SmpLot *lot)
{
	SmpLotRec	r;

	if (s->compact)
		ts_compact_rec(s, i, &r);
	else
		r = s->recs[i];
	smp_lotrec_unpack(&r, lot);
}

/*
 * Final of the self-ordering form.  Lots that arrived in time order are
 * stepped in that order, from where the previous call stopped: the state's
 * memo (running, replayed) advances, which changes no result, so the
 * function is read-only as FINALFUNC_MODIFY = READ_ONLY requires and a
 * window over this aggregate costs O(1) per row.  Lots out of order are
 * replayed sorted, on a copy.
 */
Datum
qe_smp_inspection_state_ts_final(PG_FUNCTION_ARGS)
{
	TsState    *s;
	SmpSwitchState st;
	SmpLotRec  *copy;
	int64		failed = -1;
	int			rc;

	if (PG_ARGISNULL(0))
	{
		smp_switch_init(&st);
		return state_datum(fcinfo, &st);
	}
	s = (TsState *) PG_GETARG_POINTER(0);
	ts_flush(s);
	if (s->in_order)
	{
		for (; s->replayed < s->n; s->replayed++)
		{
			SmpLot		lot;

			ts_lot(s, s->replayed, &lot);
			if ((rc = smp_switch_step(&s->running, &lot)) < 0)
				report_step_error(rc, &lot);
		}
		return state_datum(fcinfo, &s->running);
	}

	copy = palloc(sizeof(SmpLotRec) * s->n);
	if (s->compact)
		for (int64 i = 0; i < s->n; i++)
			ts_compact_rec(s, i, &copy[i]);
	else
		memcpy(copy, s->recs, sizeof(SmpLotRec) * s->n);
	rc = smp_switch_replay(copy, s->n, &st, &failed);
	if (rc < 0)
	{
		SmpLot		lot;

		smp_lotrec_unpack(&copy[failed], &lot);
		report_step_error(rc, &lot);
	}
	pfree(copy);
	return state_datum(fcinfo, &st);
}
