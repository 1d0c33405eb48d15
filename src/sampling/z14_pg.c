/*
 * z14_pg.c: SQL access to the Z1.4 lookup (qe.aql_plan, qe.lot_decision).
 *
 * Thin glue: argument decoding, a per-call-site cache (fn_extra) of the
 * constant output datums and of the AQL values already parsed, and the
 * error reports.  The lookup itself is z14.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "mb/pg_wchar.h"

#include "sampling/z14.h"

PG_FUNCTION_INFO_V1(qe_smp_aql_plan_numeric);
PG_FUNCTION_INFO_V1(qe_smp_aql_plan_text);
PG_FUNCTION_INFO_V1(qe_smp_lot_decision);

#define AQL_CACHE 8				/* distinct numeric spellings remembered per call site */
#define AQL_CACHE_BYTES 32

#define PLAN_NATTS 10

typedef struct AqlCacheEntry
{
	int			len;			/* 0: unused */
	int			aql;
	uint64		head;			/* first 8 bytes, zero-padded: a quick filter */
	char		bytes[AQL_CACHE_BYTES];
} AqlCacheEntry;

/*
 * AQL spellings already read at one call site: a direct-mapped table of the
 * short ones (up to 8 bytes, which head8 holds whole: every numeric AQL of
 * the series with its printed scale is 4 bytes) answers with one compare,
 * and the last AQL_CACHE distinct spellings of any length stay in a ring
 * behind it, so two spellings that share a slot cost a ring scan, not a
 * parse.  The column AQL of a lot table usually cycles through a handful of
 * values, which a scan of the ring alone would meet at unpredictable places.
 */
#define AQL_DIRECT 64

typedef struct AqlDirectEntry
{
	uint64		head;
	int32		len;			/* 0: unused */
	int32		aql;
} AqlDirectEntry;

typedef struct AqlSeen
{
	AqlDirectEntry direct[AQL_DIRECT];
	AqlCacheEntry ring[AQL_CACHE];
	int			next_slot;
} AqlSeen;

/*
 * The first 8 bytes, zero-padded, in little-endian order: a quick filter,
 * and the whole value for strings of up to 8 bytes.  Fixed-size loads (which
 * compile to single moves) rather than memcpy with a variable length, a
 * library call; numeric AQLs are 4 bytes, level names 1 to 3.
 */
static inline uint64
head8(const void *p, int len)
{
	const unsigned char *b = (const unsigned char *) p;
	uint64		h = 0;

#ifndef WORDS_BIGENDIAN
	if (len >= 8)
	{
		memcpy(&h, b, 8);
		return h;
	}
	if (len >= 4)
	{
		uint32		lo,
					hi;

		/* two loads that overlap when len < 8; shared bytes agree */
		memcpy(&lo, b, 4);
		memcpy(&hi, b + len - 4, 4);
		return (uint64) lo | ((uint64) hi << (8 * (len - 4)));
	}
#endif
	for (int i = 0; i < len && i < 8; i++)
		h |= (uint64) b[i] << (8 * i);
	return h;
}

typedef struct PlanCache
{
	TupleDesc	tupdesc;
	Datum		letter[SMP_Z14_NLETTERS];
	Datum		level[SMP_Z14_NLEVELS];
	Datum		inspection[SMP_Z14_NINSPECTIONS];
	Datum		aql[SMP_Z14_NAQLS];	/* numeric with the printed scale */
	AqlSeen		seen;			/* numeric AQLs: data bytes, no header */
	AqlSeen		seen_text;		/* text AQLs: the characters */

	/*
	 * Formed result rows of sampled (not 100 %) lots, by lot range, level,
	 * AQL and inspection: such a row differs between lots of one range only
	 * in lot_size, its first attribute (int8 at offset 0 of the data), so a
	 * hit is a copy and one patched field instead of heap_form_tuple.
	 */
	struct FormedRow
	{
		HeapTupleHeader tup;	/* NULL: not formed yet; FORMED_BYTES allocated */
		uint16		hoff;		/* its t_hoff: where lot_size is */
		int32		n;			/* printed sample size of the plan */
	}		   *formed;

	/*
	 * Level, inspection and AQL given as constants (or query parameters)
	 * need reading once per call site: their index, or -1 to read each row.
	 */
	int			fixed_level;
	int			fixed_insp;
	int			fixed_aql;
	bool		level_stable;
	bool		insp_stable;
	bool		aql_stable;

	/* the last level and inspection spellings seen, and their indexes */
	int			level_len;
	int			level_idx;
	uint64		level_head;
	int			insp_len;
	int			insp_idx;
	uint64		insp_head;
	char		insp_bytes[16];
} PlanCache;

/*
 * Level and inspection outermost: a call site usually fixes both, and the
 * rows it then reaches (15 lot ranges x 26 AQLs, 6 kB) stay in the L1 cache
 * instead of being spread over the whole 128 kB array.
 */
#define FORMED_KEY(r, lv, a, i) \
	((((lv) * SMP_Z14_NINSPECTIONS + (i)) * SMP_Z14_NAQLS + (a)) * SMP_Z14_NRANGES + (r))
#define FORMED_N (SMP_Z14_NRANGES * SMP_Z14_NLEVELS * SMP_Z14_NAQLS * SMP_Z14_NINSPECTIONS)

/*
 * A formed row is copied whole as a fixed-size block, which compiles to a
 * few vector moves instead of a call to memcpy: the rows are 60 to 70 bytes
 * (24-byte header, 21 bytes of fixed fields, then short varlenas); a longer
 * one is simply not cached.  The offset of lot_size comes from the cached
 * row, not from the fresh copy, so the patch does not wait for the copy's
 * stores to be read back.
 */
#define FORMED_BYTES 96

/*
 * Whether argument argnum of this call site is a constant.  Only a Const:
 * get_fn_expr_arg_stable also counts external parameters, which are fixed
 * for one execution of a query but not for one call site: PL/pgSQL keeps a
 * simple expression such as qe.aql_plan(1000, a) for the whole transaction
 * and changes the parameter a between evaluations.
 */
static bool
arg_is_const(FmgrInfo *flinfo, int argnum)
{
	Node	   *expr = flinfo->fn_expr;
	List	   *args;

	if (expr == NULL || !IsA(expr, FuncExpr))
		return false;
	args = ((FuncExpr *) expr)->args;
	return argnum < list_length(args) && IsA(list_nth(args, argnum), Const);
}

/* the call site's cache, built at its first call */
static pg_noinline PlanCache *
plan_cache_create(FunctionCallInfo fcinfo)
{
	MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	TupleDesc	tupdesc;
	char		buf[2] = {0, 0};
	PlanCache  *c;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != PLAN_NATTS)
		elog(ERROR, "qe.sampling_plan must have %d attributes", PLAN_NATTS);
	c = palloc0(sizeof(PlanCache));
	c->tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
	if (TupleDescAttr(c->tupdesc, 0)->atttypid != INT8OID)
		elog(ERROR, "qe.sampling_plan must start with lot_size bigint");
	c->formed = palloc0(sizeof(struct FormedRow) * FORMED_N);
	c->level_len = c->insp_len = -1;
	c->fixed_level = c->fixed_insp = c->fixed_aql = -1;
	c->aql_stable = arg_is_const(fcinfo->flinfo, 1);
	c->level_stable = arg_is_const(fcinfo->flinfo, 2);
	c->insp_stable = arg_is_const(fcinfo->flinfo, 3);
	for (int k = 0; k < SMP_Z14_NLETTERS; k++)
	{
		buf[0] = SMP_Z14_LETTERS[k];
		c->letter[k] = PointerGetDatum(cstring_to_text(buf));
	}
	for (int k = 0; k < SMP_Z14_NLEVELS; k++)
		c->level[k] = PointerGetDatum(cstring_to_text(smp_level_names[k]));
	for (int k = 0; k < SMP_Z14_NINSPECTIONS; k++)
		c->inspection[k] = PointerGetDatum(cstring_to_text(smp_inspection_names[k]));
	for (int k = 0; k < SMP_Z14_NAQLS; k++)
		c->aql[k] = DirectFunctionCall3(numeric_in, CStringGetDatum(smp_aql_names[k]),
										ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = c;
	return c;
}

static inline PlanCache *
plan_cache(FunctionCallInfo fcinfo)
{
	PlanCache  *c = (PlanCache *) fcinfo->flinfo->fn_extra;

	return likely(c != NULL) ? c : plan_cache_create(fcinfo);
}

static void
report_bad_aql(const char *shown)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("AQL \"%s%s\" is not one of the Z1.4 acceptance quality limits",
					pnstrdup(shown, pg_mbcliplen(shown, strlen(shown), 40)),
					strlen(shown) > 40 ? "..." : ""),
			 errhint("Valid AQLs (percent nonconforming, or nonconformities per hundred units above 10) are: "
					 SMP_AQL_LIST ".")));
}

/*
 * A varlena argument without a copy: short (1-byte header) values straight
 * from a heap tuple are read in place; only compressed or external values
 * are detoasted.
 */
static inline struct varlena *
arg_packed(FunctionCallInfo fcinfo, int n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(n));

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = pg_detoast_datum_packed(v);
	return v;
}

static inline AqlDirectEntry *
aql_direct_slot(AqlSeen *seen, uint64 head, int len)
{
	uint64		h = (head ^ (uint64) len) * UINT64CONST(0x9E3779B97F4A7C15);

	return &seen->direct[h >> (64 - 6)];	/* AQL_DIRECT = 2^6 */
}

static inline void
aql_direct_put(AqlDirectEntry *d, uint64 head, int len, int aql)
{
	d->head = head;
	d->len = len;
	d->aql = aql;
}

/* the AQL index remembered for these data bytes, or -1 */
static inline int
aql_seen(AqlSeen *seen, const char *data, int len)
{
	uint64		head = head8(data, len);
	AqlDirectEntry *d;

	StaticAssertStmt(AQL_DIRECT == 64, "aql_direct_slot takes 6 bits");
	if (len < 1)
		return -1;				/* unused entries have len 0 */
	d = aql_direct_slot(seen, head, len);
	if (d->head == head && d->len == len)
		return d->aql;			/* len <= 8 there: head8 is the whole value */
	for (int k = 0; k < AQL_CACHE; k++)
	{
		AqlCacheEntry *e = &seen->ring[k];

		if (e->head == head && e->len == len &&
			(len <= 8 || memcmp(e->bytes, data, len) == 0))
		{
			if (len <= 8)
				aql_direct_put(d, head, len, e->aql);
			return e->aql;
		}
	}
	return -1;
}

static void
aql_remember(AqlSeen *seen, const char *data, int len, int aql)
{
	AqlCacheEntry *e;

	if (len < 1 || len > AQL_CACHE_BYTES)
		return;
	e = &seen->ring[seen->next_slot];
	e->len = len;
	e->aql = aql;
	e->head = head8(data, len);
	memcpy(e->bytes, data, len);
	seen->next_slot = (seen->next_slot + 1) % AQL_CACHE;
	if (len <= 8)
		aql_direct_put(aql_direct_slot(seen, e->head, len), e->head, len, aql);
}

/*
 * A numeric AQL as text to parse and to show in errors: without trailing
 * zeros (numeric_normalize), and NaN, Infinity and -Infinity as numeric
 * prints them (numeric_normalize does not take them).
 */
static char *
aql_numeric_text(Numeric num)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	return numeric_normalize(num);
}

/* a numeric AQL not seen at this call site yet: parse, check, remember */
static pg_noinline int
aql_numeric_miss(FunctionCallInfo fcinfo, PlanCache *c, const char *data, int len)
{
	Numeric		num = PG_GETARG_NUMERIC(1);	/* the full (4-byte header) form */
	char	   *str;
	int			aql;

	str = aql_numeric_text(num);
	aql = smp_parse_aql(str, strlen(str));
	if (aql < 0)
		report_bad_aql(str);
	pfree(str);
	aql_remember(&c->seen, data, len, aql);
	return aql;
}

/* a text AQL not seen at this call site yet */
static pg_noinline int
aql_text_miss(FunctionCallInfo fcinfo, PlanCache *c, const char *data, int len)
{
	int			aql = smp_parse_aql(data, len);

	if (aql < 0)
		report_bad_aql(pnstrdup(data, len));
	aql_remember(&c->seen_text, data, len, aql);
	return aql;
}

/*
 * The AQL index: read once per call site when the argument is a constant,
 * else looked up by its bytes; parsed only the first time a spelling comes.
 */
static pg_attribute_always_inline int
aql_arg(FunctionCallInfo fcinfo, PlanCache *c, bool is_text)
{
	int			aql = c->fixed_aql;

	if (aql < 0)
	{
		struct varlena *v = arg_packed(fcinfo, 1);
		const char *data = VARDATA_ANY(v);
		int			len = VARSIZE_ANY_EXHDR(v);

		aql = aql_seen(is_text ? &c->seen_text : &c->seen, data, len);
		if (unlikely(aql < 0))
			aql = is_text ? aql_text_miss(fcinfo, c, data, len) : aql_numeric_miss(fcinfo, c, data, len);
		if (c->aql_stable)
			c->fixed_aql = aql;
	}
	return aql;
}

static int
level_arg(PlanCache *c, text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	int			k;

	if (len == c->level_len && head8(VARDATA_ANY(t), len) == c->level_head)
		return c->level_idx;	/* level names are at most 8 bytes: head8 is all of it */
	k = smp_parse_level(VARDATA_ANY(t), len);
	if (k >= 0 && len <= 8)
	{
		c->level_head = head8(VARDATA_ANY(t), len);
		c->level_len = len;
		c->level_idx = k;
	}

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown inspection level \"%s\"", text_to_cstring(t)),
				 errhint("Valid inspection levels are: " SMP_LEVEL_LIST " (general levels I, II, III; special levels S-1 to S-4).")));
	return k;
}

static int
inspection_arg(PlanCache *c, text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	int			k;

	if (len == c->insp_len && head8(VARDATA_ANY(t), len) == c->insp_head &&
		(len <= 8 || memcmp(VARDATA_ANY(t), c->insp_bytes, len) == 0))
		return c->insp_idx;
	k = smp_parse_inspection(VARDATA_ANY(t), len);
	if (k >= 0 && len <= (int) sizeof(c->insp_bytes))
	{
		memcpy(c->insp_bytes, VARDATA_ANY(t), len);
		c->insp_head = head8(VARDATA_ANY(t), len);
		c->insp_len = len;
		c->insp_idx = k;
	}

	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown inspection type \"%s\"", text_to_cstring(t)),
				 errhint("Valid inspection types are: " SMP_INSPECTION_LIST ".")));
	return k;
}

typedef struct LevelInspection
{
	int			level;
	int			inspection;
} LevelInspection;

/*
 * Level and inspection given per row (not constants): their indexes,
 * returned by value, so that the caller's fast path takes no local's
 * address and needs no stack protector.
 */
static pg_noinline LevelInspection
level_inspection_args(FunctionCallInfo fcinfo, PlanCache *c)
{
	int			level = c->fixed_level;
	int			inspection = c->fixed_insp;

	if (level < 0)
	{
		level = level_arg(c, (text *) arg_packed(fcinfo, 2));
		if (c->level_stable)
			c->fixed_level = level;
	}
	if (inspection < 0)
	{
		inspection = inspection_arg(c, (text *) arg_packed(fcinfo, 3));
		if (c->insp_stable)
			c->fixed_insp = inspection;
	}
	return (LevelInspection) {level, inspection};
}

static pg_noinline pg_attribute_noreturn() void
report_bad_lot(int64 lot_size)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("lot size must be at least 2, got " INT64_FORMAT, lot_size),
			 errhint("Z1.4 Table I starts at lot sizes 2 to 8; a single unit is simply inspected.")));
}

/* the slow path: look the plan up and form its row; keep a sampled one */
static pg_noinline Datum
plan_form(FunctionCallInfo fcinfo, PlanCache *c, int64 lot_size, int level, int aql, int inspection, int key)
{
	SmpPlan		p;
	Datum		values[PLAN_NATTS];
	bool		nulls[PLAN_NATTS] = {0};
	Datum		result;
	uint32		len;

	if (smp_aql_plan(lot_size, level, aql, inspection, &p) != 0)
		elog(ERROR, "Z1.4 lookup failed for lot size " INT64_FORMAT, lot_size);	/* cannot happen */

	/* fixed-width fields first: reading them back needs no walk over varlenas */
	values[0] = Int64GetDatum(p.lot_size);
	values[1] = Int32GetDatum((int32) p.sample_size);
	values[2] = Int32GetDatum(p.ac);
	values[3] = Int32GetDatum(p.re);
	values[4] = BoolGetDatum(p.full_inspection);
	values[5] = c->letter[p.code_letter];
	values[6] = c->letter[p.plan_letter];
	values[7] = c->level[p.level];
	values[8] = c->inspection[p.inspection];
	values[9] = c->aql[p.aql];
	result = HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls));
	len = HeapTupleHeaderGetDatumLength((HeapTupleHeader) DatumGetPointer(result));
	if (!p.full_inspection && c->formed[key].tup == NULL && len <= FORMED_BYTES)
	{
		HeapTupleHeader tup = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, FORMED_BYTES);

		memcpy(tup, DatumGetPointer(result), len);
		c->formed[key].hoff = tup->t_hoff;
		c->formed[key].n = p.table_sample_size;
		c->formed[key].tup = tup;
	}
	return result;
}

/*
 * The plan row of a lot.  The fast path, a sampled lot whose row was formed
 * before at this call site, is a copy of that row with lot_size patched in;
 * it stays small and inline (no arrays on the stack, no calls but palloc),
 * the rest is out of line.
 */
static pg_attribute_always_inline Datum
plan_datum(FunctionCallInfo fcinfo, PlanCache *c, int64 lot_size, int aql)
{
	int			level = c->fixed_level;
	int			inspection = c->fixed_insp;
	int			key;
	struct FormedRow *f;

	if (unlikely(level < 0 || inspection < 0))
	{
		LevelInspection li = level_inspection_args(fcinfo, c);

		level = li.level;
		inspection = li.inspection;
	}
	if (unlikely(lot_size < 2))
		report_bad_lot(lot_size);

	key = FORMED_KEY(smp_lot_range(lot_size), level, aql, inspection);
	f = &c->formed[key];
	if (likely(f->tup != NULL && f->n < lot_size))
	{
		char	   *dst = palloc(FORMED_BYTES);

		memcpy(dst, f->tup, FORMED_BYTES);
		memcpy(dst + f->hoff, &lot_size, sizeof(int64));
		return PointerGetDatum(dst);
	}
	return plan_form(fcinfo, c, lot_size, level, aql, inspection, key);
}

/* qe.aql_plan(lot_size bigint, aql numeric, level text, inspection text) */
Datum
qe_smp_aql_plan_numeric(PG_FUNCTION_ARGS)
{
	PlanCache  *c = plan_cache(fcinfo);
	int			aql = aql_arg(fcinfo, c, false);

	PG_RETURN_DATUM(plan_datum(fcinfo, c, PG_GETARG_INT64(0), aql));
}

/* qe.aql_plan(lot_size bigint, aql text, level text, inspection text) */
Datum
qe_smp_aql_plan_text(PG_FUNCTION_ARGS)
{
	PlanCache  *c = plan_cache(fcinfo);
	int			aql = aql_arg(fcinfo, c, true);

	PG_RETURN_DATUM(plan_datum(fcinfo, c, PG_GETARG_INT64(0), aql));
}

/* a non-null integer field of a qe.sampling_plan value */
static int64
plan_int_field(HeapTupleHeader plan, int attnum, const char *name)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(plan, attnum, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sampling plan has no %s", name),
				 errhint("Pass a plan returned by qe.aql_plan(), or build one with sample_size, ac and re set.")));
	return DatumGetInt32(d);
}

/* qe.lot_decision(plan qe.sampling_plan, defects_found bigint) returns text */
Datum
qe_smp_lot_decision(PG_FUNCTION_ARGS)
{
	HeapTupleHeader plan = PG_GETARG_HEAPTUPLEHEADER(0);
	int64		defects = PG_GETARG_INT64(1);
	int64		n = plan_int_field(plan, 2, "sample_size");
	int64		ac = plan_int_field(plan, 3, "ac");
	int64		re = plan_int_field(plan, 4, "re");
	bool		isnull;
	Datum		aqld = GetAttributeByNum(plan, 10, &isnull);
	int			decision;

	if (defects < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("defects found must not be negative, got " INT64_FORMAT, defects),
				 errhint("Pass the number of nonconforming units (or nonconformities) found in the sample.")));
	if (ac < 0 || re <= ac || n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("inconsistent sampling plan: n = " INT64_FORMAT ", Ac = " INT64_FORMAT ", Re = " INT64_FORMAT,
						n, ac, re),
				 errhint("A plan needs n >= 1, Ac >= 0 and Re > Ac; take it from qe.aql_plan().")));
	/*
	 * AQL <= 10 counts nonconforming units, which a sample cannot exceed.
	 * An AQL that is not one of the series says nothing of what is counted:
	 * refused, not read as "above 10".
	 */
	if (!isnull)
	{
		Numeric		num = DatumGetNumeric(aqld);
		char	   *s = aql_numeric_text(num);
		int			aql = smp_parse_aql(s, strlen(s));

		if (aql < 0)
			report_bad_aql(s);
		if (defects > n && smp_aql_milli[aql] <= 10000)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("found " INT64_FORMAT " nonconforming units in a sample of " INT64_FORMAT, defects, n),
					 errhint("At AQL %s the count is of nonconforming units, at most the sample size "
							 "(only AQLs above 10 count nonconformities per hundred units).", smp_aql_names[aql])));
	}
	/* a gap between Ac and Re is printed only in the reduced tables */
	if (re > ac + 1)
	{
		Datum		insp = GetAttributeByNum(plan, 9, &isnull);

		if (!isnull)
		{
			text	   *t = DatumGetTextPP(insp);

			if (smp_parse_inspection(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) != SMP_INSP_REDUCED)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("inconsistent sampling plan: Re = " INT64_FORMAT " above Ac + 1 on %s inspection",
								re, text_to_cstring(t)),
						 errhint("Only reduced plans have a gap between Ac and Re; take the plan from qe.aql_plan().")));
		}
	}
	decision = smp_lot_decision((int) ac, (int) re, defects);
	PG_RETURN_TEXT_P(cstring_to_text(smp_decision_names[decision]));
}
