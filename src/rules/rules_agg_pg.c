/*
 * rules_agg_pg.c: qe.rule_violations(value, t, center, sigma [, config]),
 * the report aggregate.  It collects the (t, value, centre, sigma) points of
 * its group, sorts them by t itself in the final function (no ORDER BY in the
 * call, no window pass), runs the streaming engine and returns only the
 * points that fail a test, as qe.rule_violation[] (t, value, bits).
 *
 * Rows with a NULL value are skipped (as in qe.spc_rules); a NULL t, centre
 * or sigma is an error; two points with the same t are an error (their
 * order, hence tests 2 to 8, would be undefined).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "common/qe_pg.h"
#include "rules/rules_pg.h"

PG_FUNCTION_INFO_V1(qe_rules_viol_trans);
PG_FUNCTION_INFO_V1(qe_rules_viol_final);
PG_FUNCTION_INFO_V1(qe_rules_viol_combine);
PG_FUNCTION_INFO_V1(qe_rules_viol_serial);
PG_FUNCTION_INFO_V1(qe_rules_viol_deserial);

typedef struct RulesAggPoint
{
	int64		t;
	double		x;
	double		c;
	double		s;
} RulesAggPoint;

typedef struct RulesAggState
{
	RulesConfig cfg;
	int64		n;
	int64		cap;
	bool		sorted;			/* t non-decreasing so far */
	RulesAggPoint *pts;
	struct varlena *cfg_bytes;	/* the configuration as the first row passed it */
} RulesAggState;

#define ST_SORT rules_sort_points
#define ST_ELEMENT_TYPE RulesAggPoint
#define ST_COMPARE(a, b) ((a)->t < (b)->t ? -1 : (a)->t > (b)->t ? 1 : 0)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static bool config_equal(const RulesConfig *a, const RulesConfig *b);

/* Room for `more` further points. */
static void
agg_reserve(RulesAggState *st, MemoryContext aggcxt, int64 more)
{
	int64		need = st->n + more;
	int64		ncap = st->cap ? st->cap : 16;	/* small: a hash aggregate may hold many groups */

	if (need <= st->cap)
		return;
	while (ncap < need)
		ncap *= 2;
	if ((Size) ncap * sizeof(RulesAggPoint) > MaxAllocHugeSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("qe.rule_violations cannot collect more than %zu points in one group",
						MaxAllocHugeSize / sizeof(RulesAggPoint) / 2),
				 errhint("Group more finely (e.g. per characteristic and month), or use the window function qe.spc_rules, which keeps no points.")));
	st->pts = st->pts == NULL
		? MemoryContextAllocHuge(aggcxt, (Size) ncap * sizeof(RulesAggPoint))
		: repalloc_huge(st->pts, (Size) ncap * sizeof(RulesAggPoint));
	st->cap = ncap;
}

Datum
qe_rules_viol_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RulesAggState *st;
	RulesAggPoint *pt;
	double		x,
				c,
				s;
	RulesPoint	probe;
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "qe.rule_violations transition called in non-aggregate context");

	st = PG_ARGISNULL(0) ? NULL : (RulesAggState *) PG_GETARG_POINTER(0);
	if (st == NULL)
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(RulesAggState));
		st->sorted = true;
		if (PG_NARGS() > 5)
		{
			if (PG_ARGISNULL(5))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("rule configuration must not be NULL"),
						 errhint("Omit it for all eight tests with their default K, or pass qe.rule_set('nelson').")));
			rules_pg_config_from_datum(PG_GETARG_DATUM(5), &st->cfg);
			old = MemoryContextSwitchTo(aggcxt);
			st->cfg_bytes = (struct varlena *)
				DatumGetPointer(datumCopy(PointerGetDatum(PG_GETARG_VARLENA_PP(5)), false, -1));
			MemoryContextSwitchTo(old);
		}
		else
			rules_config_nelson(&st->cfg);
	}
	else if (PG_NARGS() > 5)
	{
		/*
		 * Every row of a group must pass the same configuration (the
		 * combine function refuses two different ones): the same bytes,
		 * or failing that the same decoded configuration.
		 */
		struct varlena *v = PG_ARGISNULL(5) ? NULL : PG_GETARG_VARLENA_PP(5);

		if (v == NULL || st->cfg_bytes == NULL || VARSIZE_ANY(v) != VARSIZE_ANY(st->cfg_bytes) ||
			memcmp(v, st->cfg_bytes, VARSIZE_ANY(v)) != 0)
		{
			RulesConfig row;

			if (v == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("rule configuration must not be NULL"),
						 errhint("Omit it for all eight tests with their default K, or pass qe.rule_set('nelson').")));
			rules_pg_config_from_datum(PG_GETARG_DATUM(5), &row);
			if (!config_equal(&row, &st->cfg))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("qe.rule_violations got different rule configurations within one group"),
						 errhint("Pass the same configuration on every row of a group.")));
		}
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);	/* NULL value: not a point */
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("t must not be NULL"),
				 errhint("Every point needs its time (or sequence) to be placed on the chart.")));
	x = PG_GETARG_FLOAT8(1);
	c = PG_ARGISNULL(3) ? 0 : PG_GETARG_FLOAT8(3);
	s = PG_ARGISNULL(4) ? 0 : PG_GETARG_FLOAT8(4);
	/* validate now, so the error names the offending row's values early */
	rules_pg_point_sigma(&probe, &st->cfg, x, c, PG_ARGISNULL(3), s, PG_ARGISNULL(4));

	agg_reserve(st, aggcxt, 1);
	pt = &st->pts[st->n];
	pt->t = PG_GETARG_TIMESTAMPTZ(2);
	pt->x = x;
	pt->c = c;
	pt->s = s;
	if (st->n > 0 && pt->t < st->pts[st->n - 1].t)
		st->sorted = false;
	st->n++;
	PG_RETURN_POINTER(st);
}

Datum
qe_rules_viol_final(PG_FUNCTION_ARGS)
{
	RulesAggState *st = PG_ARGISNULL(0) ? NULL : (RulesAggState *) PG_GETARG_POINTER(0);
	Oid			arrtype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			elemtype = get_element_type(arrtype);
	TupleDesc	tupdesc;
	Datum	   *out = NULL;
	int			nout = 0,
				capout = 0;
	RulesState	rs;

	if (!OidIsValid(elemtype))
		elog(ERROR, "qe.rule_violations must return an array of qe.rule_violation");
	tupdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	tupdesc = BlessTupleDesc(tupdesc);

	if (st != NULL && st->n > 0)
	{
		/*
		 * Sorting in place is safe: the final function runs once per group
		 * (the aggregate is declared FINALFUNC_MODIFY = READ_WRITE).
		 */
		if (!st->sorted)
			rules_sort_points(st->pts, (size_t) st->n);
		for (int64 i = 1; i < st->n; i++)
			if (st->pts[i].t == st->pts[i - 1].t)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("two points of the same chart have the same t (%s)",
								timestamptz_to_str(st->pts[i].t)),
						 errhint("The order of the points decides tests 2 to 8; make t unique within each group (e.g. add the subgroup number), or average the points first.")));

		rules_state_init(&rs);
		for (int64 i = 0; i < st->n; i++)
		{
			const RulesAggPoint *pt = &st->pts[i];
			RulesPoint	p;
			uint32		bits;

			rules_point_sigma(&p, &st->cfg, pt->x, pt->c, pt->s);
			bits = rules_push(&rs, &st->cfg, &p);
			if (bits)
			{
				Datum		v[3];
				bool		nl[3] = {false, false, false};

				if (nout == capout)
				{
					capout = capout ? capout * 2 : 64;
					if ((Size) capout * sizeof(Datum) > MaxAllocSize)
						ereport(ERROR,
								(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
								 errmsg("too many violating points for one array"),
								 errhint("Group more finely, or filter the window function qe.spc_rules instead.")));
					out = out ? repalloc(out, capout * sizeof(Datum))
						: palloc(capout * sizeof(Datum));
				}
				v[0] = TimestampTzGetDatum(pt->t);
				v[1] = Float8GetDatum(pt->x);
				v[2] = Int32GetDatum((int32) bits);
				out[nout++] = HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nl));
			}
		}
	}
	if (nout == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	PG_RETURN_ARRAYTYPE_P(construct_array(out, nout, elemtype, -1, false, TYPALIGN_DOUBLE));
}

/*
 * Parallel aggregation: the result does not depend on the input order (the
 * final function sorts by t), so partial states are simply concatenated.
 */
static bool
config_equal(const RulesConfig *a, const RulesConfig *b)
{
	if (a->tests != b->tests)
		return false;
	for (int i = 0; i < RULES_NTESTS; i++)
		if (a->k[i] != b->k[i])
			return false;
	return true;
}

Datum
qe_rules_viol_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RulesAggState *a = PG_ARGISNULL(0) ? NULL : (RulesAggState *) PG_GETARG_POINTER(0);
	RulesAggState *b = PG_ARGISNULL(1) ? NULL : (RulesAggState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "qe.rule_violations combine called in non-aggregate context");
	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = MemoryContextAllocZero(aggcxt, sizeof(RulesAggState));
		a->cfg = b->cfg;
		a->sorted = true;
	}
	else if (!config_equal(&a->cfg, &b->cfg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("qe.rule_violations got different rule configurations within one group"),
				 errhint("Pass the same configuration on every row of a group.")));
	if (b->n > 0)
	{
		agg_reserve(a, aggcxt, b->n);
		if (a->n > 0 && b->pts[0].t < a->pts[a->n - 1].t)
			a->sorted = false;
		memcpy(&a->pts[a->n], b->pts, (Size) b->n * sizeof(RulesAggPoint));
		a->n += b->n;
		a->sorted = a->sorted && b->sorted;
	}
	PG_RETURN_POINTER(a);
}

/* version 1: tests, k1..k8 (int4), sorted (byte), n (int8), n x (t int8, x, c, s float8) */
#define RULES_AGG_SERIAL_VERSION 1

Datum
qe_rules_viol_serial(PG_FUNCTION_ARGS)
{
	RulesAggState *st = (RulesAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RULES_AGG_SERIAL_VERSION);
	pq_sendint32(&buf, (int32) st->cfg.tests);
	for (int i = 0; i < RULES_NTESTS; i++)
		pq_sendint32(&buf, st->cfg.k[i]);
	pq_sendbyte(&buf, st->sorted ? 1 : 0);
	pq_sendint64(&buf, st->n);
	for (int64 i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, st->pts[i].t);
		pq_sendfloat8(&buf, st->pts[i].x);
		pq_sendfloat8(&buf, st->pts[i].c);
		pq_sendfloat8(&buf, st->pts[i].s);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
qe_rules_viol_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	StringInfoData buf;
	RulesAggState *st;
	int64		n;
	int			sorted;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "qe.rule_violations deserialize called in non-aggregate context");
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;

	if (pq_getmsgbyte(&buf) != RULES_AGG_SERIAL_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid qe.rule_violations state: unknown version")));
	st = MemoryContextAllocZero(aggcxt, sizeof(RulesAggState));
	st->cfg.tests = (uint32) pq_getmsgint(&buf, 4);
	for (int i = 0; i < RULES_NTESTS; i++)
		st->cfg.k[i] = (int32) pq_getmsgint(&buf, 4);
	if (rules_config_check(&st->cfg) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid qe.rule_violations state: bad rule configuration")));
	sorted = pq_getmsgbyte(&buf);
	n = pq_getmsgint64(&buf);
	if ((sorted != 0 && sorted != 1) || n < 0 ||
		(uint64) n != (uint64) (buf.len - buf.cursor) / (8 * 4) ||
		(buf.len - buf.cursor) % (8 * 4) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid qe.rule_violations state: bad length")));
	st->sorted = sorted;
	agg_reserve(st, aggcxt, n);
	for (int64 i = 0; i < n; i++)
	{
		RulesAggPoint *pt = &st->pts[i];

		pt->t = pq_getmsgint64(&buf);
		pt->x = pq_getmsgfloat8(&buf);
		pt->c = pq_getmsgfloat8(&buf);
		pt->s = pq_getmsgfloat8(&buf);
		if (isnan(pt->x) || isinf(pt->x) || isnan(pt->c) || isinf(pt->c) ||
			!(pt->s > 0) || isinf(pt->s) ||
			(i > 0 && st->sorted && pt->t < st->pts[i - 1].t))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid qe.rule_violations state: bad point")));
		st->n++;
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(st);
}
