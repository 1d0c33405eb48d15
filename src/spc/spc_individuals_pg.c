/*
 * spc_individuals_pg.c: aggregates over time-ordered individual values,
 * qe.imr_chart(value, t), qe.capability(value, t, lsl, usl [, target]) and
 * qe.capability_summary(value, t).
 *
 * The state keeps every (t, value) pair, 16 bytes a row, in one huge
 * allocation of the aggregate context that doubles as it grows; the final
 * function sorts the pairs by t (introsort, skipped when the input arrived in
 * order) and summarises them in one pass.  In parallel, each worker sorts its
 * own pairs in the serialize function and the leader's combine function
 * merges the sorted runs linearly, so the final function finds one sorted run
 * and does not sort again.  Two values at the same t are an error: an
 * individuals chart has one value per time point.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common/qe_pg.h"
#include "spc/spc_variables_pg.h"

PG_FUNCTION_INFO_V1(qe_spc_indiv_trans);
PG_FUNCTION_INFO_V1(qe_spc_cap_trans);
PG_FUNCTION_INFO_V1(qe_spc_indiv_combine);
PG_FUNCTION_INFO_V1(qe_spc_indiv_serialize);
PG_FUNCTION_INFO_V1(qe_spc_indiv_deserialize);
PG_FUNCTION_INFO_V1(qe_spc_imr_final);
PG_FUNCTION_INFO_V1(qe_spc_cap_final);
PG_FUNCTION_INFO_V1(qe_spc_summary_final);

typedef struct IndivState
{
	int64		n;
	int64		cap;
	SpcPair    *pairs;
	bool		sorted;			/* pairs[0..n) known to be in t order */
	int			t_kind;			/* SpcTKind */
	bool		spec_seen;		/* capability: spec holds the first row's limits */
	SpcSpec		spec;
} IndivState;

#define INITIAL_CAP 8
#define SER_MAGIC 0x51454931	/* "QEI1" */
#define SER_HEADER (4 + 1 + 1 + 2 + 3 * 8 + 8)
#define FLAG_SPEC 1
#define FLAG_LSL 2
#define FLAG_USL 4
#define FLAG_TARGET 8

static IndivState *
state_new(MemoryContext ctx, int t_kind)
{
	IndivState *st = MemoryContextAllocZero(ctx, sizeof(IndivState));

	st->sorted = true;
	st->t_kind = t_kind;
	return st;
}

static void
state_reserve(IndivState *st, MemoryContext ctx, int64 need)
{
	int64		cap;

	if (need <= st->cap)
		return;
	cap = Max(st->cap * 2, INITIAL_CAP);
	while (cap < need)
		cap *= 2;
	if ((Size) cap > MaxAllocHugeSize / sizeof(SpcPair))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for one group"),
				 errhint("Aggregate per period and roll the periods up with qe.capability_summary and qe.capability_rollup.")));
	if (st->pairs == NULL)
		st->pairs = MemoryContextAllocHuge(ctx, cap * sizeof(SpcPair));
	else
		st->pairs = repalloc_huge(st->pairs, cap * sizeof(SpcPair));
	st->cap = cap;
}

static inline void
state_add(IndivState *st, MemoryContext ctx, int64 t, double x)
{
	if (unlikely(st->n == st->cap))
		state_reserve(st, ctx, st->n + 1);
	if (st->n > 0 && t < st->pairs[st->n - 1].t)
		st->sorted = false;
	st->pairs[st->n].t = t;
	st->pairs[st->n].x = x;
	st->n++;
}

/* sfunc(internal, value float8, t bigint|timestamp|timestamptz) */
Datum
qe_spc_indiv_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_indiv_trans");
	IndivState *st = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	double		x;

	if (st == NULL)
		st = state_new(ctx, spc_var_t_kind(fcinfo, 2));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	qe_check_finite(x, "value");
	state_add(st, ctx, PG_GETARG_INT64(2), x);
	PG_RETURN_POINTER(st);
}

/* sfunc(internal, value, t, lsl, usl [, target]) */
Datum
qe_spc_cap_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_cap_trans");
	IndivState *st = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	double		x;
	SpcSpec		spec;

	if (st == NULL)
		st = state_new(ctx, spc_var_t_kind(fcinfo, 2));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	qe_check_finite(x, "value");
	spc_var_read_spec(fcinfo, 3, 4, PG_NARGS() > 5 ? 5 : -1, &spec);
	if (!st->spec_seen)
	{
		st->spec = spec;
		st->spec_seen = true;
	}
	else
		spc_var_same_spec(&st->spec, &spec);
	state_add(st, ctx, PG_GETARG_INT64(2), x);
	PG_RETURN_POINTER(st);
}

Datum
qe_spc_indiv_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_indiv_combine");
	IndivState *a = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	IndivState *b = PG_ARGISNULL(1) ? NULL : (IndivState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = state_new(ctx, b->t_kind);
		a->spec_seen = b->spec_seen;
		a->spec = b->spec;
	}
	else if (b->spec_seen)
	{
		if (!a->spec_seen)
		{
			a->spec = b->spec;
			a->spec_seen = true;
		}
		else
			spc_var_same_spec(&a->spec, &b->spec);
	}
	if (b->n > 0)
	{
		int64		na = a->n;

		state_reserve(a, ctx, na + b->n);
		if (!a->sorted || !b->sorted)
		{
			/* not two sorted runs: concatenate, the final function sorts */
			memcpy(a->pairs + na, b->pairs, b->n * sizeof(SpcPair));
			a->sorted = false;
		}
		else if (na == 0 || a->pairs[na - 1].t <= b->pairs[0].t)
			memcpy(a->pairs + na, b->pairs, b->n * sizeof(SpcPair));
		else
		{
			/*
			 * Two sorted runs (each worker sorted its own pairs in the
			 * serialize function): merge them in place from the back, a
			 * linear pass, so the state stays one sorted run and the final
			 * function need not sort.
			 */
			SpcPair    *pa = a->pairs;
			const SpcPair *pb = b->pairs;
			int64		i = na - 1,
						j = b->n - 1,
						k = na + b->n - 1;

			while (j >= 0)
			{
				if (i >= 0 && pa[i].t > pb[j].t)
					pa[k--] = pa[i--];
				else
					pa[k--] = pb[j--];
			}
		}
		a->n = na + b->n;
	}
	PG_RETURN_POINTER(a);
}

Datum
qe_spc_indiv_serialize(PG_FUNCTION_ARGS)
{
	IndivState *st = (IndivState *) PG_GETARG_POINTER(0);
	Size		len;
	bytea	   *out;
	char	   *p;
	uint32		magic = SER_MAGIC;
	uint8		kind = (uint8) st->t_kind,
				flags = 0;
	uint16		pad = 0;

	if ((Size) st->n > (MaxAllocSize - VARHDRSZ - SER_HEADER) / sizeof(SpcPair))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("partial aggregate state of " INT64_FORMAT " values is too large to pass between parallel workers", st->n),
				 errhint("Run this aggregate without parallelism (SET max_parallel_workers_per_gather = 0) above about 67 million rows per worker.")));
	/*
	 * Sort here, in the worker, so that the leader's combine function only
	 * merges sorted runs.  Sorting in place does not change the multiset the
	 * state stands for.
	 */
	if (!st->sorted)
	{
		spc_pairs_sort(st->pairs, st->n);
		st->sorted = true;
	}
	len = VARHDRSZ + SER_HEADER + st->n * sizeof(SpcPair);
	out = palloc(len);
	SET_VARSIZE(out, len);
	p = VARDATA(out);
	if (st->spec_seen)
		flags = FLAG_SPEC | (st->spec.has_lsl ? FLAG_LSL : 0) |
			(st->spec.has_usl ? FLAG_USL : 0) | (st->spec.has_target ? FLAG_TARGET : 0);
	memcpy(p, &magic, 4);
	p += 4;
	memcpy(p, &kind, 1);
	p += 1;
	memcpy(p, &flags, 1);
	p += 1;
	memcpy(p, &pad, 2);
	p += 2;
	memcpy(p, &st->spec.lsl, 8);
	p += 8;
	memcpy(p, &st->spec.usl, 8);
	p += 8;
	memcpy(p, &st->spec.target, 8);
	p += 8;
	memcpy(p, &st->n, 8);
	p += 8;
	if (st->n > 0)
		memcpy(p, st->pairs, st->n * sizeof(SpcPair));
	PG_RETURN_BYTEA_P(out);
}

static void
corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized individuals state: %s", what)));
}

Datum
qe_spc_indiv_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	IndivState *st;
	uint32		magic;
	uint8		kind,
				flags;
	uint16		pad;
	int64		n;

	if (len < SER_HEADER)
		corrupt("truncated header");
	memcpy(&magic, p, 4);
	memcpy(&kind, p + 4, 1);
	memcpy(&flags, p + 5, 1);
	memcpy(&pad, p + 6, 2);
	if (magic != SER_MAGIC)
		corrupt("bad magic number");
	if (kind > SPC_T_TIMESTAMPTZ)
		corrupt("bad t kind");
	if ((flags & ~(FLAG_SPEC | FLAG_LSL | FLAG_USL | FLAG_TARGET)) != 0 ||
		(!(flags & FLAG_SPEC) && flags != 0) || pad != 0)
		corrupt("bad flags");
	st = palloc0(sizeof(IndivState));
	st->t_kind = kind;
	st->spec_seen = (flags & FLAG_SPEC) != 0;
	st->spec.has_lsl = (flags & FLAG_LSL) != 0;
	st->spec.has_usl = (flags & FLAG_USL) != 0;
	st->spec.has_target = (flags & FLAG_TARGET) != 0;
	memcpy(&st->spec.lsl, p + 8, 8);
	memcpy(&st->spec.usl, p + 16, 8);
	memcpy(&st->spec.target, p + 24, 8);
	memcpy(&n, p + 32, 8);
	if ((st->spec.has_lsl && !isfinite(st->spec.lsl)) ||
		(st->spec.has_usl && !isfinite(st->spec.usl)) ||
		(st->spec.has_target && !isfinite(st->spec.target)) ||
		(st->spec.has_lsl && st->spec.has_usl && !(st->spec.lsl < st->spec.usl)))
		corrupt("bad specification limits");
	if (n < 0 || (Size) n > (len - SER_HEADER) / sizeof(SpcPair) ||
		len != SER_HEADER + (Size) n * sizeof(SpcPair))
		corrupt("length does not match the value count");
	st->n = st->cap = n;
	st->sorted = true;
	if (n > 0)
	{
		st->pairs = palloc_extended(n * sizeof(SpcPair), MCXT_ALLOC_HUGE);
		memcpy(st->pairs, p + SER_HEADER, n * sizeof(SpcPair));
		for (int64 i = 0; i < n; i++)
		{
			if (!isfinite(st->pairs[i].x))
				corrupt("non-finite value");
			if (i > 0 && st->pairs[i].t < st->pairs[i - 1].t)
				st->sorted = false;
		}
	}
	PG_RETURN_POINTER(st);
}

/*
 * Sort the pairs (if needed) and summarise them.  Sorting in place does not
 * change the multiset the state stands for, so the final functions stay
 * READ_ONLY in effect and later transitions (window use) remain valid.
 * Returns false when there are fewer than min_n values.
 */
static bool
state_series(IndivState *st, int64 min_n, SpcSeries *s)
{
	size_t		tie;

	if (st == NULL || st->n < min_n || st->n == 0)
		return false;
	if (!st->sorted)
	{
		spc_pairs_sort(st->pairs, st->n);
		st->sorted = true;
	}
	tie = spc_pairs_first_tie(st->pairs, st->n);
	if (tie != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("two values at the same time point t = %s (%g and %g)",
						spc_var_t_text(st->pairs[tie].t, st->t_kind),
						st->pairs[tie - 1].x, st->pairs[tie].x),
				 errdetail("Individual values are ordered by t; the moving range between values with equal t is undefined."),
				 errhint("Make t unique (e.g. a measurement sequence number), or chart several values per time point as a subgroup with qe.xbar_r_chart(value, t).")));
	spc_series_from_sorted(st->pairs, st->n, s);
	{
		double		v[3] = {s->mean, s->m2, s->sum_mr};

		spc_var_check_finite("the mean, spread and moving ranges", v, 3);
	}
	return true;
}

Datum
qe_spc_imr_final(PG_FUNCTION_ARGS)
{
	IndivState *st = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	SpcSeries	s;
	SpcLimits	l;

	if (!state_series(st, 2, &s))
		PG_RETURN_NULL();
	spc_imr_limits(&s, &l);
	PG_RETURN_DATUM(spc_var_limits_datum(fcinfo, "I-MR", "MR", &l));
}

Datum
qe_spc_cap_final(PG_FUNCTION_ARGS)
{
	IndivState *st = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	SpcSeries	s;

	if (!state_series(st, 2, &s))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(spc_var_series_capability(fcinfo, &s, &st->spec));
}

Datum
qe_spc_summary_final(PG_FUNCTION_ARGS)
{
	IndivState *st = PG_ARGISNULL(0) ? NULL : (IndivState *) PG_GETARG_POINTER(0);
	SpcSeries	s;

	if (!state_series(st, 1, &s))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(spc_var_summary_datum(&s, st->t_kind));
}
