/*
 * spc_subgroups_pg.c: aggregates that form subgroups from a key,
 * qe.xbar_r_chart(value, subgroup), qe.xbar_s_chart(value, subgroup) and
 * qe.capability(value, subgroup, lsl, usl, target, method).
 *
 * The state holds one SpcMoments (n, mean, M2, min, max: 40 bytes) per
 * subgroup in an array, found through an open-addressing hash index on the
 * key.  The entry of the previous row is remembered, so input that arrives
 * subgroup by subgroup (the usual case) hashes once per subgroup, not once
 * per row.  Means are kept relative to a shift K (the first value the state
 * saw), so 1e9 + noise keeps its noise digits; partial states merge entry by
 * entry (Chan et al.) after re-expressing means in the receiving state's K.
 * The result does not depend on the order of the rows, so the aggregates are
 * parallel safe.  Keys: bigint (int64), timestamptz (int64) and text (the
 * bytes: keys that differ only under a nondeterministic collation are
 * different subgroups).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common/qe_pg.h"
#include "spc/spc_variables_pg.h"

PG_FUNCTION_INFO_V1(qe_spc_sg_trans);
PG_FUNCTION_INFO_V1(qe_spc_sg_cap_trans);
PG_FUNCTION_INFO_V1(qe_spc_sg_combine);
PG_FUNCTION_INFO_V1(qe_spc_sg_serialize);
PG_FUNCTION_INFO_V1(qe_spc_sg_deserialize);
PG_FUNCTION_INFO_V1(qe_spc_xbar_r_final);
PG_FUNCTION_INFO_V1(qe_spc_xbar_s_final);
PG_FUNCTION_INFO_V1(qe_spc_sg_cap_final);

typedef enum KeyKind
{
	KEY_INT = 0,				/* bigint */
	KEY_TEXT = 1,
	KEY_TIMESTAMPTZ = 2,
	KEY_TIMESTAMP = 3			/* its own int64, not cast to timestamptz (time zone, DST gaps) */
} KeyKind;

typedef struct SgEntry
{
	SpcMoments	m;
	int64		ikey;
	char	   *skey;			/* text keys: the bytes, in the state's context */
	int32		slen;
	uint32		hash;
} SgEntry;

typedef struct SgState
{
	MemoryContext ctx;
	int			key_kind;
	bool		has_shift;
	double		shift;
	int64		n,
				cap;
	SgEntry    *e;
	int64	   *slots;			/* entry index + 1, 0 = empty */
	uint64		nslots;			/* power of two */
	int64		last;			/* entry of the previous row, -1 */
	bool		hashed;			/* slots index every entry; until then keys came in increasing order */
	/* capability only */
	bool		spec_seen;
	SpcSpec		spec;
	int			method;			/* SpcWithin, -1 = not given yet */
} SgState;

#define SG_MAGIC 0x51455331		/* "QES1" */

static inline uint32
hash_int64(int64 k)
{
	uint64		h = (uint64) k;

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

static SgState *
sg_new(MemoryContext ctx, int key_kind)
{
	SgState    *st = MemoryContextAllocZero(ctx, sizeof(SgState));

	st->ctx = ctx;
	st->key_kind = key_kind;
	st->last = -1;
	st->method = -1;
	return st;
}

static inline bool
entry_matches(const SgEntry *e, uint32 hash, int64 ikey, const char *skey, int32 slen, int kind)
{
	if (kind != KEY_TEXT)
		return e->ikey == ikey;
	return e->hash == hash && e->slen == slen && memcmp(e->skey, skey, slen) == 0;
}

static void
sg_rehash(SgState *st, uint64 nslots)
{
	int64	   *slots = MemoryContextAllocHuge(st->ctx, nslots * sizeof(int64));

	memset(slots, 0, nslots * sizeof(int64));
	for (int64 i = 0; i < st->n; i++)
	{
		uint64		pos = st->e[i].hash & (nslots - 1);

		while (slots[pos] != 0)
			pos = (pos + 1) & (nslots - 1);
		slots[pos] = i + 1;
	}
	if (st->slots)
		pfree(st->slots);
	st->slots = slots;
	st->nslots = nslots;
}

/* append a new empty entry (st->n - 1) */
static void
sg_append(SgState *st, uint32 hash, int64 ikey, const char *skey, int32 slen)
{
	SgEntry    *e;

	if (st->n == st->cap)
	{
		int64		cap = Max(st->cap * 2, 16);

		if ((Size) cap > MaxAllocHugeSize / sizeof(SgEntry))
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("too many subgroups for one group"),
							errhint("Group more finely, e.g. per characteristic and month.")));
		st->e = st->e == NULL ? MemoryContextAllocHuge(st->ctx, cap * sizeof(SgEntry))
			: repalloc_huge(st->e, cap * sizeof(SgEntry));
		st->cap = cap;
	}
	e = &st->e[st->n];
	memset(e, 0, sizeof(SgEntry));
	e->hash = hash;
	e->ikey = ikey;
	if (st->key_kind == KEY_TEXT)
	{
		e->skey = MemoryContextAlloc(st->ctx, Max(slen, 1));
		memcpy(e->skey, skey, slen);
		e->slen = slen;
	}
	st->n++;
}

/* the entry for a key, created empty when new */
static int64
sg_lookup(SgState *st, int64 ikey, const char *skey, int32 slen)
{
	uint32		hash = st->key_kind == KEY_TEXT ? hash_bytes((const unsigned char *) skey, slen)
		: hash_int64(ikey);
	uint64		pos;

	if (!st->hashed || (uint64) (st->n + 1) * 2 > st->nslots)
	{
		uint64		want = st->nslots == 0 ? 16 : st->nslots;

		while ((uint64) (st->n + 1) * 2 > want)
			want *= 2;
		sg_rehash(st, want);
		st->hashed = true;
	}
	pos = hash & (st->nslots - 1);
	while (st->slots[pos] != 0)
	{
		int64		i = st->slots[pos] - 1;

		if (entry_matches(&st->e[i], hash, ikey, skey, slen, st->key_kind))
			return i;
		pos = (pos + 1) & (st->nslots - 1);
	}
	sg_append(st, hash, ikey, skey, slen);
	st->slots[pos] = st->n;
	return st->n - 1;
}

/* key > the key of entry e (bytewise for text) */
static inline bool
key_greater(const SgState *st, const SgEntry *e, int64 ikey, const char *skey, int32 slen)
{
	int			c;

	if (st->key_kind != KEY_TEXT)
		return ikey > e->ikey;
	c = memcmp(skey, e->skey, Min(slen, e->slen));
	return c > 0 || (c == 0 && slen > e->slen);
}

/* Add one value to the subgroup of argument key_arg. */
static void
sg_add(SgState *st, FunctionCallInfo fcinfo, int key_arg, double x)
{
	int64		ikey = 0;
	const char *skey = NULL;
	int32		slen = 0;
	int64		i;

	if (st->key_kind == KEY_TEXT)
	{
		text	   *t = PG_GETARG_TEXT_PP(key_arg);

		skey = VARDATA_ANY(t);
		slen = VARSIZE_ANY_EXHDR(t);
	}
	else
		ikey = PG_GETARG_INT64(key_arg);

	if (!st->has_shift)
	{
		st->shift = x;
		st->has_shift = true;
	}
	i = st->last;
	if (i < 0 || !(st->key_kind == KEY_TEXT
				   ? (st->e[i].slen == slen && memcmp(st->e[i].skey, skey, slen) == 0)
				   : st->e[i].ikey == ikey))
	{
		/*
		 * While keys arrive in increasing order (sorted input), a key above
		 * the last one is new: append it without hashing.  The index is
		 * built the first time a key arrives out of order.
		 */
		if (!st->hashed && (st->n == 0 || key_greater(st, &st->e[st->n - 1], ikey, skey, slen)))
		{
			uint32		hash = st->key_kind == KEY_TEXT ? hash_bytes((const unsigned char *) skey, slen)
				: hash_int64(ikey);

			sg_append(st, hash, ikey, skey, slen);
			i = st->n - 1;
		}
		else
			i = sg_lookup(st, ikey, skey, slen);
		st->last = i;
	}
	spc_moments_add(&st->e[i].m, x, x - st->shift);
}

static int
key_kind_of(FunctionCallInfo fcinfo, int argno)
{
	Oid			typ = get_fn_expr_argtype(fcinfo->flinfo, argno);

	if (typ == TEXTOID)
		return KEY_TEXT;
	if (typ == TIMESTAMPTZOID)
		return KEY_TIMESTAMPTZ;
	if (typ == TIMESTAMPOID)
		return KEY_TIMESTAMP;
	return KEY_INT;
}

/* sfunc(internal, value float8, subgroup bigint|text|timestamptz) */
Datum
qe_spc_sg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_sg_trans");
	SgState    *st = PG_ARGISNULL(0) ? sg_new(ctx, key_kind_of(fcinfo, 2)) : (SgState *) PG_GETARG_POINTER(0);
	double		x;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	qe_check_finite(x, "value");
	sg_add(st, fcinfo, 2, x);
	PG_RETURN_POINTER(st);
}

static int
parse_method(const char *s, int len)
{
	if (len == 4 && pg_strncasecmp(s, "rbar", 4) == 0)
		return SPC_WITHIN_RBAR;
	if (len == 4 && pg_strncasecmp(s, "sbar", 4) == 0)
		return SPC_WITHIN_SBAR;
	if (len == 6 && pg_strncasecmp(s, "pooled", 6) == 0)
		return SPC_WITHIN_POOLED;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown within-subgroup sigma method \"%.*s\"", len, s),
			 errhint("Use 'pooled' (the default when NULL), 'rbar' or 'sbar'.")));
	return -1;
}

static const char *const method_names[] = {"rbar", "sbar", "pooled"};

/* sfunc(internal, value, subgroup, lsl, usl, target, method) */
Datum
qe_spc_sg_cap_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_sg_cap_trans");
	SgState    *st = PG_ARGISNULL(0) ? sg_new(ctx, key_kind_of(fcinfo, 2)) : (SgState *) PG_GETARG_POINTER(0);
	double		x;
	SpcSpec		spec;
	int			method = SPC_WITHIN_POOLED;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	x = PG_GETARG_FLOAT8(1);
	qe_check_finite(x, "value");
	spc_var_read_spec(fcinfo, 3, 4, 5, &spec);
	if (!PG_ARGISNULL(6))
	{
		text	   *m = PG_GETARG_TEXT_PP(6);

		method = parse_method(VARDATA_ANY(m), VARSIZE_ANY_EXHDR(m));
	}
	if (!st->spec_seen)
	{
		st->spec = spec;
		st->spec_seen = true;
		st->method = method;
	}
	else
	{
		spc_var_same_spec(&st->spec, &spec);
		if (method != st->method)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the sigma method must be the same for every row of a group"),
					 errhint("Pass one constant method per aggregate call.")));
	}
	sg_add(st, fcinfo, 2, x);
	PG_RETURN_POINTER(st);
}

/* merge entry e (its mean relative to shift) into st */
static void
sg_merge_entry(SgState *st, const SgEntry *e, double shift)
{
	int64		i = sg_lookup(st, e->ikey, e->skey, e->slen);
	SpcMoments	m = e->m;

	m.mean += shift - st->shift;
	spc_moments_merge(&st->e[i].m, &m);
}

/* <0, 0, >0 as the key of entry x is below, equal to, above that of y */
static inline int
entry_cmp(int kind, const SgEntry *x, const SgEntry *y)
{
	int			c;

	if (kind != KEY_TEXT)
		return x->ikey < y->ikey ? -1 : (x->ikey > y->ikey ? 1 : 0);
	c = memcmp(x->skey, y->skey, Min(x->slen, y->slen));
	if (c != 0)
		return c;
	return x->slen < y->slen ? -1 : (x->slen > y->slen ? 1 : 0);
}

/*
 * Merge b into a when both hold their entries in strictly increasing key
 * order (neither was ever hashed: the usual case, each parallel worker scans
 * its blocks in order): one linear pass, no hashing, and a stays sorted.
 */
static void
sg_merge_sorted(SgState *a, const SgState *b)
{
	int64		cap = a->n + b->n,
				i = 0,
				j = 0,
				k = 0;
	double		dshift = b->shift - a->shift;
	SgEntry    *e;

	if ((Size) cap > MaxAllocHugeSize / sizeof(SgEntry))
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("too many subgroups for one group"),
						errhint("Group more finely, e.g. per characteristic and month.")));
	cap = Max(cap, 16);
	e = MemoryContextAllocHuge(a->ctx, cap * sizeof(SgEntry));
	while (i < a->n || j < b->n)
	{
		int			c = i >= a->n ? 1 : (j >= b->n ? -1 : entry_cmp(a->key_kind, &a->e[i], &b->e[j]));

		if (c < 0)
			e[k++] = a->e[i++];
		else
		{
			SpcMoments	m = b->e[j].m;

			m.mean += dshift;
			if (c == 0)
			{
				e[k] = a->e[i++];
				spc_moments_merge(&e[k].m, &m);
			}
			else
			{
				e[k] = b->e[j];
				e[k].m = m;
				if (a->key_kind == KEY_TEXT)
				{
					e[k].skey = MemoryContextAlloc(a->ctx, Max(b->e[j].slen, 1));
					memcpy(e[k].skey, b->e[j].skey, b->e[j].slen);
				}
			}
			j++;
			k++;
		}
	}
	if (a->e)
		pfree(a->e);
	a->e = e;
	a->n = k;
	a->cap = cap;
}

static void
sg_merge_spec(SgState *a, const SgState *b)
{
	if (!b->spec_seen)
		return;
	if (!a->spec_seen)
	{
		a->spec = b->spec;
		a->method = b->method;
		a->spec_seen = true;
		return;
	}
	spc_var_same_spec(&a->spec, &b->spec);
	if (a->method != b->method)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the sigma method must be the same for every row of a group"),
				 errhint("Pass one method ('pooled', 'rbar' or 'sbar') as a constant.")));
}

Datum
qe_spc_sg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_sg_combine");
	SgState    *a = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	SgState    *b = PG_ARGISNULL(1) ? NULL : (SgState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = sg_new(ctx, b->key_kind);
	if (a->key_kind != b->key_kind)
		elog(ERROR, "subgroup states with different key types cannot be combined");
	sg_merge_spec(a, b);
	if (b->n > 0)
	{
		if (!a->has_shift)
		{
			a->shift = b->shift;
			a->has_shift = true;
		}
		if (!a->hashed && !b->hashed)
			sg_merge_sorted(a, b);
		else
			for (int64 i = 0; i < b->n; i++)
				sg_merge_entry(a, &b->e[i], b->shift);
	}
	a->last = -1;
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: magic u32, key_kind u8, flags u8 (1 has_shift, 2 spec, 4 lsl,
 * 8 usl, 16 target), method i8, pad u8, shift, lsl, usl, target (f8), count
 * i64, then per entry: key (i64, or i32 length + bytes), n i64, mean, m2,
 * min, max (f8).  Host byte order: it only travels between processes of one
 * server.
 */
Datum
qe_spc_sg_serialize(PG_FUNCTION_ARGS)
{
	SgState    *st = (SgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	uint32		magic = SG_MAGIC;
	uint8		kind = (uint8) st->key_kind;
	uint8		flags = (st->has_shift ? 1 : 0);
	int8		method = (int8) st->method;
	uint8		pad = 0;
	bytea	   *out;

	if (st->spec_seen)
		flags |= 2 | (st->spec.has_lsl ? 4 : 0) | (st->spec.has_usl ? 8 : 0) | (st->spec.has_target ? 16 : 0);
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, (char *) &magic, 4);
	appendBinaryStringInfo(&buf, (char *) &kind, 1);
	appendBinaryStringInfo(&buf, (char *) &flags, 1);
	appendBinaryStringInfo(&buf, (char *) &method, 1);
	appendBinaryStringInfo(&buf, (char *) &pad, 1);
	appendBinaryStringInfo(&buf, (char *) &st->shift, 8);
	appendBinaryStringInfo(&buf, (char *) &st->spec.lsl, 8);
	appendBinaryStringInfo(&buf, (char *) &st->spec.usl, 8);
	appendBinaryStringInfo(&buf, (char *) &st->spec.target, 8);
	appendBinaryStringInfo(&buf, (char *) &st->n, 8);
	for (int64 i = 0; i < st->n; i++)
	{
		const SgEntry *e = &st->e[i];
		double		mv[2] = {e->m.mean, e->m.m2};

		/* an overflow in this worker is the user's 22003, not a corrupt state at the leader */
		spc_var_check_finite("a subgroup's mean and spread", mv, 2);

		if (st->key_kind == KEY_TEXT)
		{
			appendBinaryStringInfo(&buf, (char *) &e->slen, 4);
			appendBinaryStringInfo(&buf, e->skey, e->slen);
		}
		else
			appendBinaryStringInfo(&buf, (char *) &e->ikey, 8);
		appendBinaryStringInfo(&buf, (char *) &e->m.n, 8);
		appendBinaryStringInfo(&buf, (char *) &e->m.mean, 8);
		appendBinaryStringInfo(&buf, (char *) &e->m.m2, 8);
		appendBinaryStringInfo(&buf, (char *) &e->m.min, 8);
		appendBinaryStringInfo(&buf, (char *) &e->m.max, 8);
	}
	out = palloc(VARHDRSZ + buf.len);
	SET_VARSIZE(out, VARHDRSZ + buf.len);
	memcpy(VARDATA(out), buf.data, buf.len);
	pfree(buf.data);
	PG_RETURN_BYTEA_P(out);
}

static void
sg_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized subgroup state: %s", what)));
}

/* bounds-checked reader */
typedef struct Reader
{
	const char *p;
	Size		left;
} Reader;

static void
rd(Reader *r, void *dst, Size n)
{
	if (r->left < n)
		sg_corrupt("truncated");
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
}

Datum
qe_spc_sg_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	Reader		r = {VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in)};
	SgState    *st;
	uint32		magic;
	uint8		kind,
				flags,
				pad;
	int8		method;
	int64		count;

	rd(&r, &magic, 4);
	rd(&r, &kind, 1);
	rd(&r, &flags, 1);
	rd(&r, &method, 1);
	rd(&r, &pad, 1);
	if (magic != SG_MAGIC || kind > KEY_TIMESTAMP || pad != 0 || (flags & ~31) != 0 ||
		(!(flags & 2) && (flags & 28) != 0) || method < -1 || method > SPC_WITHIN_POOLED ||
		((flags & 2) && method < 0))
		sg_corrupt("bad header");
	st = sg_new(CurrentMemoryContext, kind);
	st->has_shift = (flags & 1) != 0;
	st->spec_seen = (flags & 2) != 0;
	st->spec.has_lsl = (flags & 4) != 0;
	st->spec.has_usl = (flags & 8) != 0;
	st->spec.has_target = (flags & 16) != 0;
	st->method = method;
	rd(&r, &st->shift, 8);
	rd(&r, &st->spec.lsl, 8);
	rd(&r, &st->spec.usl, 8);
	rd(&r, &st->spec.target, 8);
	rd(&r, &count, 8);
	if (!isfinite(st->shift) ||
		(st->spec.has_lsl && !isfinite(st->spec.lsl)) ||
		(st->spec.has_usl && !isfinite(st->spec.usl)) ||
		(st->spec.has_target && !isfinite(st->spec.target)) ||
		(st->spec.has_lsl && st->spec.has_usl && !(st->spec.lsl < st->spec.usl)))
		sg_corrupt("bad shift or specification");
	/* every entry takes at least 44 bytes: refuse counts the buffer cannot hold */
	if (count < 0 || (Size) count > r.left / 44 || (count > 0 && !st->has_shift))
		sg_corrupt("bad entry count");
	for (int64 i = 0; i < count; i++)
	{
		SgEntry		e = {0};

		if (kind == KEY_TEXT)
		{
			int32		len;

			rd(&r, &len, 4);
			if (len < 0 || (Size) len > r.left)
				sg_corrupt("bad key length");
			if (!pg_verifymbstr(r.p, len, true))
				sg_corrupt("key is not valid in the database encoding");
			e.skey = (char *) r.p;
			e.slen = len;
			r.p += len;
			r.left -= len;
		}
		else
			rd(&r, &e.ikey, 8);
		rd(&r, &e.m.n, 8);
		rd(&r, &e.m.mean, 8);
		rd(&r, &e.m.m2, 8);
		rd(&r, &e.m.min, 8);
		rd(&r, &e.m.max, 8);
		if (e.m.n < 1 || !isfinite(e.m.mean) || !isfinite(e.m.m2) || e.m.m2 < 0.0 ||
			!isfinite(e.m.min) || !isfinite(e.m.max) || e.m.min > e.m.max ||
			(e.m.n == 1 && (e.m.m2 != 0.0 || e.m.min != e.m.max)))
			sg_corrupt("bad subgroup moments");
		/* keys in increasing order (the usual case) are appended unhashed */
		if (!st->hashed && (st->n == 0 || key_greater(st, &st->e[st->n - 1], e.ikey, e.skey, e.slen)))
		{
			sg_append(st, kind == KEY_TEXT ? hash_bytes((const unsigned char *) e.skey, e.slen)
					  : hash_int64(e.ikey), e.ikey, e.skey, e.slen);
			st->e[st->n - 1].m = e.m;
		}
		else
			sg_merge_entry(st, &e, st->shift);
	}
	if (r.left != 0)
		sg_corrupt("trailing bytes");
	PG_RETURN_POINTER(st);
}

static char *
key_text(const SgState *st, const SgEntry *e)
{
	if (st->key_kind == KEY_TEXT)
		return psprintf("'%.*s'", pg_mbcliplen(e->skey, e->slen, 60), e->skey);	/* whole characters */
	return spc_var_t_text(e->ikey, st->key_kind == KEY_TIMESTAMPTZ ? SPC_T_TIMESTAMPTZ :
						  st->key_kind == KEY_TIMESTAMP ? SPC_T_TIMESTAMP : SPC_T_BIGINT);
}

/* The subgroups as an array (NULL when fewer than 2); size-1 subgroups are an error. */
static SpcMoments *
sg_subgroups(SgState *st, const char *what)
{
	SpcMoments *g;

	if (st == NULL || st->n < 2)
		return NULL;
	g = palloc_extended(st->n * sizeof(SpcMoments), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < st->n; i++)
	{
		if (st->e[i].m.n < 2)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("subgroup %s has only one value", key_text(st, &st->e[i])),
					 errdetail("%s needs at least two values in every subgroup to estimate the within-subgroup spread.", what),
					 errhint("Use qe.imr_chart(value, t) / qe.capability(value, t, lsl, usl) for individual values, or fix the subgroup key.")));
		g[i] = st->e[i].m;
		{
			/*
			 * Values that differ with an M2 of 0: their squared deviations
			 * underflowed.  Refused, as qe.imr_chart refuses such data,
			 * rather than reported as no spread at all.
			 */
			double		v[2] = {g[i].mean,
			g[i].m2 == 0.0 && g[i].min != g[i].max ? NAN : g[i].m2};

			spc_var_check_finite("a subgroup's mean and spread", v, 2);
		}
	}
	return g;
}

static Datum
xbar_final(FunctionCallInfo fcinfo, SpcWithin method)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	const char *chart = method == SPC_WITHIN_RBAR ? "Xbar-R" : "Xbar-S";
	SpcMoments *g = sg_subgroups(st, chart);
	SpcLimits	l;

	if (g == NULL)
		PG_RETURN_NULL();
	spc_xbar_limits(g, st->n, st->shift, method, &l);
	pfree(g);
	{
		double		v[2] = {l.center, l.sigma};

		spc_var_check_finite("the grand mean and the within-subgroup sigma", v, isnan(l.sigma) ? 1 : 2);
	}
	PG_RETURN_DATUM(spc_var_limits_datum(fcinfo, chart, method == SPC_WITHIN_RBAR ? "R" : "S", &l));
}

Datum
qe_spc_xbar_r_final(PG_FUNCTION_ARGS)
{
	return xbar_final(fcinfo, SPC_WITHIN_RBAR);
}

Datum
qe_spc_xbar_s_final(PG_FUNCTION_ARGS)
{
	return xbar_final(fcinfo, SPC_WITHIN_SBAR);
}

Datum
qe_spc_sg_cap_final(PG_FUNCTION_ARGS)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	SpcMoments *g = sg_subgroups(st, "capability from subgroups");
	int64		n;
	double		mean,
				m2,
				sw;
	SpcCapability c;
	int			method;

	if (g == NULL)
		PG_RETURN_NULL();
	method = st->method < 0 ? SPC_WITHIN_POOLED : st->method;
	spc_subgroups_overall(g, st->n, &n, &mean, &m2);
	sw = spc_sigma_within(g, st->n, method);
	if (m2 == 0.0)
	{
		/* every subgroup constant: an overall M2 of 0 with different values underflowed */
		for (int64 i = 1; i < st->n; i++)
			if (g[i].min != g[0].min)
			{
				m2 = NAN;
				break;
			}
	}
	pfree(g);
	{
		double		v[3] = {mean, m2, sw};

		spc_var_check_finite("the overall mean and spread and the within-subgroup sigma", v, isnan(sw) ? 2 : 3);
	}
	spc_capability(n, st->shift + mean, m2, sw, &st->spec, &c);
	PG_RETURN_DATUM(spc_var_capability_datum(fcinfo, &c, &st->spec, method_names[method]));
}
