/*
 * spc_capability_pg.c: the stored summary type qe.capability_summary (text
 * and binary I/O, every byte validated), its accessors, the rollup aggregate
 * qe.capability_rollup(summary), and the confidence limits of Cp and Cpk.
 *
 * A summary holds what capability and the I-MR chart need from one time
 * bucket of individual values, and what joining two adjacent buckets needs:
 * n, mean, M2, the sum and count of moving ranges, and the first and last
 * (t, x).  Rolling up sorts the summaries by t, refuses overlapping ranges,
 * merges mean/M2 (Chan et al.) and adds the moving range across each
 * boundary, so the rollup of daily summaries equals the raw aggregate.
 */
#include "postgres.h"

#include <errno.h>
#include <float.h>
#include <stdlib.h>

#include "access/htup_details.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "common/qe_pg.h"
#include "spc/spc_variables_pg.h"

#define SUMMARY_INPUT_HINT \
	"Store values produced by qe.capability_summary(value, t); its text form is " \
	"(version,t_type,n,mean,m2,sum_abs_mr,n_mr,first_t,first_x,last_t,last_x)."

PG_FUNCTION_INFO_V1(qe_spc_summary_in);
PG_FUNCTION_INFO_V1(qe_spc_summary_out);
PG_FUNCTION_INFO_V1(qe_spc_summary_recv);
PG_FUNCTION_INFO_V1(qe_spc_summary_send);
PG_FUNCTION_INFO_V1(qe_spc_summary_capability);
PG_FUNCTION_INFO_V1(qe_spc_summary_imr);
PG_FUNCTION_INFO_V1(qe_spc_summary_n);
PG_FUNCTION_INFO_V1(qe_spc_summary_mean);
PG_FUNCTION_INFO_V1(qe_spc_summary_sigma_within);
PG_FUNCTION_INFO_V1(qe_spc_summary_sigma_overall);
PG_FUNCTION_INFO_V1(qe_spc_rollup_trans);
PG_FUNCTION_INFO_V1(qe_spc_rollup_combine);
PG_FUNCTION_INFO_V1(qe_spc_rollup_serialize);
PG_FUNCTION_INFO_V1(qe_spc_rollup_deserialize);
PG_FUNCTION_INFO_V1(qe_spc_rollup_final);
PG_FUNCTION_INFO_V1(qe_spc_cp_confidence);
PG_FUNCTION_INFO_V1(qe_spc_cpk_confidence);

#define SUMMARY_VERSION 1

/* The on-disk layout: fixed length 80, double aligned, no padding. */
typedef struct SpcSummaryData
{
	int32		version;		/* SUMMARY_VERSION */
	int32		t_kind;			/* SpcTKind of t */
	int64		n;				/* values, >= 1 */
	int64		n_mr;			/* moving ranges, n - 1 */
	int64		first_t;
	int64		last_t;
	double		mean;
	double		m2;				/* sum of squared deviations from the mean */
	double		sum_mr;			/* sum of |x_i - x_(i-1)| */
	double		first_x;
	double		last_x;
} SpcSummaryData;

StaticAssertDecl(sizeof(SpcSummaryData) == 80, "qe.capability_summary is 80 bytes");

static const char *const kind_names[] = {"bigint", "timestamp", "timestamptz"};

static void
summary_to_series(const SpcSummaryData *d, SpcSeries *s)
{
	s->n = d->n;
	s->mean = d->mean;
	s->m2 = d->m2;
	s->sum_mr = d->sum_mr;
	s->n_mr = d->n_mr;
	s->first_t = d->first_t;
	s->first_x = d->first_x;
	s->last_t = d->last_t;
	s->last_x = d->last_x;
}

/* NULL when the series is consistent, else what is wrong with it */
static const char *
series_problem(const SpcSeries *s)
{
	if (s->n < 1)
		return "n must be at least 1";
	if (s->n_mr != s->n - 1)
		return "the number of moving ranges must be n - 1";
	if (!isfinite(s->mean) || !isfinite(s->m2) || !isfinite(s->sum_mr) ||
		!isfinite(s->first_x) || !isfinite(s->last_x))
		return "every number must be finite";
	if (s->m2 < 0.0 || s->sum_mr < 0.0)
		return "M2 and the sum of moving ranges must not be negative";
	if (s->n == 1)
	{
		if (s->first_t != s->last_t || s->first_x != s->last_x || s->m2 != 0.0 ||
			s->sum_mr != 0.0 || s->mean != s->first_x)
			return "a summary of one value must have first = last = mean and no spread";
	}
	else
	{
		/*
		 * What any n values with these first and last values and moving
		 * ranges must satisfy: each value lies within sum_mr of the first
		 * and of the last, so does the mean, and so the range is at most
		 * sum_mr; M2 is at most n range^2 / 4 and at least what the first
		 * and last values alone give, (last - first)^2 / 2.  A relative
		 * tolerance of 1e-6 covers the rounding of sums over billions of
		 * rows, so no summary the aggregates wrote is refused.
		 */
		double		span = fabs(s->last_x - s->first_x);
		double		reach = s->sum_mr + 1e-6 * (fabs(s->first_x) + fabs(s->last_x) + s->sum_mr) + DBL_MIN;

		/* n distinct integer time points need last_t - first_t >= n - 1 */
		if (s->first_t >= s->last_t ||
			(uint64) s->last_t - (uint64) s->first_t < (uint64) (s->n - 1))
			return "the time range cannot hold n distinct time points";
		if (span > reach)
			return "the moving ranges must add up to at least |last - first|";
		if (fabs(s->mean - s->first_x) > reach || fabs(s->mean - s->last_x) > reach)
			return "the mean must lie within the sum of the moving ranges of the first and the last value";
		if (s->m2 > (double) s->n * reach * reach / 4.0 * (1.0 + 1e-6))
			return "M2 must be at most n (sum of moving ranges)^2 / 4";
		if (s->m2 < span * span / 2.0 * (1.0 - 1e-6))
			return "M2 must be at least (last - first)^2 / 2";
	}
	return NULL;
}

static void
summary_check(const SpcSummaryData *d, int sqlstate)
{
	SpcSeries	s;
	const char *problem;

	if (d->version != SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported qe.capability_summary version %d", d->version),
				 errhint("This build reads version %d.", SUMMARY_VERSION)));
	if (d->t_kind < SPC_T_BIGINT || d->t_kind > SPC_T_TIMESTAMPTZ)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid qe.capability_summary: unknown t type %d", d->t_kind),
				 errhint(SUMMARY_INPUT_HINT)));
	summary_to_series(d, &s);
	problem = series_problem(&s);
	if (problem)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid qe.capability_summary: %s", problem),
				 errhint(SUMMARY_INPUT_HINT)));
}

Datum
spc_var_summary_datum(const SpcSeries *s, int t_kind)
{
	double		v[5] = {s->mean, s->m2, s->sum_mr, s->first_x, s->last_x};
	SpcSummaryData *d;

	/* the type's input functions refuse what is not finite: never store it */
	spc_var_check_finite("the summary's mean, spread and moving ranges", v, 5);
	d = palloc0(sizeof(SpcSummaryData));

	d->version = SUMMARY_VERSION;
	d->t_kind = t_kind;
	d->n = s->n;
	d->n_mr = s->n_mr;
	d->first_t = s->first_t;
	d->last_t = s->last_t;
	d->mean = s->mean;
	d->m2 = s->m2;
	d->sum_mr = s->sum_mr;
	d->first_x = s->first_x;
	d->last_x = s->last_x;
	return PointerGetDatum(d);
}

/* ---------------------------------------------------------------- text I/O */

/*
 * Text form: (version,t_type,n,mean,m2,sum_abs_mr,n_mr,first_t,first_x,last_t,last_x)
 * e.g. (1,bigint,3,2,2,3,2,10,1,30,3); t as its int64 value (microseconds
 * since 2000-01-01 for timestamps), doubles in shortest exact form.
 */
static void
bad_text(const char *str, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type qe.capability_summary: \"%s\"", str),
			 errdetail("%s", what),
			 errhint("Expected (1,t_type,n,mean,m2,sum_abs_mr,n_mr,first_t,first_x,last_t,last_x) as written by the type's output.")));
}

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *
parse_int64(const char *str, const char *p, int64 *out)
{
	char	   *end;
	long long	v;

	p = skip_ws(p);
	if (!(*p == '-' || *p == '+' || (*p >= '0' && *p <= '9')))
		bad_text(str, "an integer field is missing");
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || end == p)
		bad_text(str, "an integer field is out of range or malformed");
	*out = (int64) v;
	return end;
}

static const char *
parse_double(const char *str, const char *p, double *out)
{
	char	   *end;
	double		v;

	p = skip_ws(p);
	errno = 0;
	v = strtod(p, &end);
	if (end == p)
		bad_text(str, "a number field is missing or malformed");
	if (!isfinite(v))
		bad_text(str, "a number field is not a finite number");
	if (errno == ERANGE && v == 0.0)
		bad_text(str, "a number field is too close to zero for double precision");	/* as float8in */
	*out = v;
	return end;
}

static const char *
expect(const char *str, const char *p, char c)
{
	p = skip_ws(p);
	if (*p != c)
		bad_text(str, c == ',' ? "a comma is missing" : c == ')' ? "the closing parenthesis is missing"
				 : "the opening parenthesis is missing");
	return p + 1;
}

Datum
qe_spc_summary_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	SpcSummaryData *d = palloc0(sizeof(SpcSummaryData));
	int64		v;
	int			k;

	p = expect(str, p, '(');
	p = parse_int64(str, p, &v);
	if (v != SUMMARY_VERSION)
		bad_text(str, "unsupported version");
	d->version = (int32) v;
	p = expect(str, p, ',');
	p = skip_ws(p);
	for (k = 0; k < 3; k++)
	{
		size_t		l = strlen(kind_names[k]);

		if (strncmp(p, kind_names[k], l) == 0 && (p[l] == ',' || p[l] == ' '))
			break;
	}
	if (k == 3)
		bad_text(str, "t_type must be bigint, timestamp or timestamptz");
	d->t_kind = k;
	p += strlen(kind_names[k]);
	p = expect(str, p, ',');
	p = parse_int64(str, p, &d->n);
	p = expect(str, p, ',');
	p = parse_double(str, p, &d->mean);
	p = expect(str, p, ',');
	p = parse_double(str, p, &d->m2);
	p = expect(str, p, ',');
	p = parse_double(str, p, &d->sum_mr);
	p = expect(str, p, ',');
	p = parse_int64(str, p, &d->n_mr);
	p = expect(str, p, ',');
	p = parse_int64(str, p, &d->first_t);
	p = expect(str, p, ',');
	p = parse_double(str, p, &d->first_x);
	p = expect(str, p, ',');
	p = parse_int64(str, p, &d->last_t);
	p = expect(str, p, ',');
	p = parse_double(str, p, &d->last_x);
	p = expect(str, p, ')');
	p = skip_ws(p);
	if (*p != '\0')
		bad_text(str, "junk after the closing parenthesis");
	summary_check(d, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(d);
}

static void
append_double(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, tmp);
	appendStringInfoString(buf, tmp);
}

Datum
qe_spc_summary_out(PG_FUNCTION_ARGS)
{
	const SpcSummaryData *d = (const SpcSummaryData *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%d,%s," INT64_FORMAT ",", d->version,
					 kind_names[d->t_kind < 0 || d->t_kind > 2 ? 0 : d->t_kind], d->n);
	append_double(&buf, d->mean);
	appendStringInfoChar(&buf, ',');
	append_double(&buf, d->m2);
	appendStringInfoChar(&buf, ',');
	append_double(&buf, d->sum_mr);
	appendStringInfo(&buf, "," INT64_FORMAT "," INT64_FORMAT ",", d->n_mr, d->first_t);
	append_double(&buf, d->first_x);
	appendStringInfo(&buf, "," INT64_FORMAT ",", d->last_t);
	append_double(&buf, d->last_x);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* -------------------------------------------------------------- binary I/O */

Datum
qe_spc_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SpcSummaryData *d = palloc0(sizeof(SpcSummaryData));

	/* 2 * 4 + 4 * 8 + 5 * 8 bytes; pq_getmsg* refuse to read past the end */
	if (buf->len - buf->cursor != 80)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary qe.capability_summary: %d bytes, expected 80",
						buf->len - buf->cursor),
				 errhint("Binary COPY of this type reads what its send function wrote; copy it in text form otherwise.")));
	d->version = (int32) pq_getmsgint(buf, 4);
	d->t_kind = (int32) pq_getmsgint(buf, 4);
	d->n = pq_getmsgint64(buf);
	d->n_mr = pq_getmsgint64(buf);
	d->first_t = pq_getmsgint64(buf);
	d->last_t = pq_getmsgint64(buf);
	d->mean = pq_getmsgfloat8(buf);
	d->m2 = pq_getmsgfloat8(buf);
	d->sum_mr = pq_getmsgfloat8(buf);
	d->first_x = pq_getmsgfloat8(buf);
	d->last_x = pq_getmsgfloat8(buf);
	summary_check(d, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(d);
}

Datum
qe_spc_summary_send(PG_FUNCTION_ARGS)
{
	const SpcSummaryData *d = (const SpcSummaryData *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, (uint32) d->version);
	pq_sendint32(&buf, (uint32) d->t_kind);
	pq_sendint64(&buf, d->n);
	pq_sendint64(&buf, d->n_mr);
	pq_sendint64(&buf, d->first_t);
	pq_sendint64(&buf, d->last_t);
	pq_sendfloat8(&buf, d->mean);
	pq_sendfloat8(&buf, d->m2);
	pq_sendfloat8(&buf, d->sum_mr);
	pq_sendfloat8(&buf, d->first_x);
	pq_sendfloat8(&buf, d->last_x);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* --------------------------------------------------------------- accessors */

static const SpcSummaryData *
arg_summary(FunctionCallInfo fcinfo, SpcSeries *s)
{
	const SpcSummaryData *d = (const SpcSummaryData *) PG_GETARG_POINTER(0);

	summary_to_series(d, s);
	return d;
}

/* qe.capability(summary, lsl, usl [, target]): not strict in the limits */
Datum
qe_spc_summary_capability(PG_FUNCTION_ARGS)
{
	SpcSeries	s;
	SpcSpec		spec;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	arg_summary(fcinfo, &s);
	spc_var_read_spec(fcinfo, 1, 2, PG_NARGS() > 3 ? 3 : -1, &spec);
	if (s.n < 2)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(spc_var_series_capability(fcinfo, &s, &spec));
}

Datum
qe_spc_summary_imr(PG_FUNCTION_ARGS)
{
	SpcSeries	s;
	SpcLimits	l;

	arg_summary(fcinfo, &s);
	if (s.n < 2)
		PG_RETURN_NULL();
	spc_imr_limits(&s, &l);
	PG_RETURN_DATUM(spc_var_limits_datum(fcinfo, "I-MR", "MR", &l));
}

Datum
qe_spc_summary_n(PG_FUNCTION_ARGS)
{
	SpcSeries	s;

	arg_summary(fcinfo, &s);
	PG_RETURN_INT64(s.n);
}

Datum
qe_spc_summary_mean(PG_FUNCTION_ARGS)
{
	SpcSeries	s;

	arg_summary(fcinfo, &s);
	PG_RETURN_FLOAT8(s.mean);
}

Datum
qe_spc_summary_sigma_within(PG_FUNCTION_ARGS)
{
	SpcSeries	s;

	arg_summary(fcinfo, &s);
	if (s.n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(spc_series_sigma_within(&s));
}

Datum
qe_spc_summary_sigma_overall(PG_FUNCTION_ARGS)
{
	SpcSeries	s;

	arg_summary(fcinfo, &s);
	if (s.n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(spc_series_sigma_overall(&s));
}

/* ------------------------------------------------------------------ rollup */

typedef struct RollupState
{
	int			t_kind;			/* -1 until the first summary */
	int64		n,
				cap;
	SpcSeries  *s;
} RollupState;

#define ROLLUP_MAGIC 0x51455231	/* "QER1" */
#define ROLLUP_HEADER 16

static RollupState *
rollup_new(MemoryContext ctx)
{
	RollupState *st = MemoryContextAllocZero(ctx, sizeof(RollupState));

	st->t_kind = -1;
	return st;
}

static void
rollup_kind(RollupState *st, int kind)
{
	if (st->t_kind == -1)
		st->t_kind = kind;
	else if (st->t_kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot roll up summaries over t of type %s with summaries over t of type %s",
						kind_names[st->t_kind], kind_names[kind]),
				 errhint("Build every summary of one rollup with the same type of t.")));
}

static void
rollup_add(RollupState *st, MemoryContext ctx, const SpcSeries *s, int64 count)
{
	if (count <= 0)
		return;
	if (st->n + count > st->cap)
	{
		int64		cap = Max(st->cap * 2, 16);

		while (cap < st->n + count)
			cap *= 2;
		if ((Size) cap > MaxAllocHugeSize / sizeof(SpcSeries))
			ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							errmsg("too many summaries for one rollup"),
							errhint("Roll up in stages: days into months, then months into years.")));
		st->s = st->s == NULL ? MemoryContextAllocHuge(ctx, cap * sizeof(SpcSeries))
			: repalloc_huge(st->s, cap * sizeof(SpcSeries));
		st->cap = cap;
	}
	memcpy(st->s + st->n, s, count * sizeof(SpcSeries));
	st->n += count;
}

Datum
qe_spc_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_rollup_trans");
	RollupState *st = PG_ARGISNULL(0) ? rollup_new(ctx) : (RollupState *) PG_GETARG_POINTER(0);
	const SpcSummaryData *d;
	SpcSeries	s;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	d = (const SpcSummaryData *) PG_GETARG_POINTER(1);
	rollup_kind(st, d->t_kind);
	summary_to_series(d, &s);
	rollup_add(st, ctx, &s, 1);
	PG_RETURN_POINTER(st);
}

Datum
qe_spc_rollup_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = spc_var_aggcontext(fcinfo, "qe_spc_rollup_combine");
	RollupState *a = PG_ARGISNULL(0) ? NULL : (RollupState *) PG_GETARG_POINTER(0);
	RollupState *b = PG_ARGISNULL(1) ? NULL : (RollupState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = rollup_new(ctx);
	if (b->t_kind != -1)
		rollup_kind(a, b->t_kind);
	rollup_add(a, ctx, b->s, b->n);
	PG_RETURN_POINTER(a);
}

Datum
qe_spc_rollup_serialize(PG_FUNCTION_ARGS)
{
	RollupState *st = (RollupState *) PG_GETARG_POINTER(0);
	Size		len;
	bytea	   *out;
	char	   *p;
	uint32		magic = ROLLUP_MAGIC;
	int32		kind = st->t_kind;

	if ((Size) st->n > (MaxAllocSize - VARHDRSZ - ROLLUP_HEADER) / sizeof(SpcSeries))
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("partial rollup state is too large to pass between parallel workers")));
	len = VARHDRSZ + ROLLUP_HEADER + st->n * sizeof(SpcSeries);
	out = palloc(len);
	SET_VARSIZE(out, len);
	p = VARDATA(out);
	memcpy(p, &magic, 4);
	memcpy(p + 4, &kind, 4);
	memcpy(p + 8, &st->n, 8);
	if (st->n > 0)
		memcpy(p + ROLLUP_HEADER, st->s, st->n * sizeof(SpcSeries));
	PG_RETURN_BYTEA_P(out);
}

Datum
qe_spc_rollup_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	RollupState *st = palloc0(sizeof(RollupState));
	uint32		magic;
	int32		kind;
	int64		n;

	if (len < ROLLUP_HEADER)
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid serialized rollup state: truncated")));
	memcpy(&magic, p, 4);
	memcpy(&kind, p + 4, 4);
	memcpy(&n, p + 8, 8);
	if (magic != ROLLUP_MAGIC || kind < -1 || kind > SPC_T_TIMESTAMPTZ || n < 0 ||
		(Size) n > (len - ROLLUP_HEADER) / sizeof(SpcSeries) ||
		len != ROLLUP_HEADER + (Size) n * sizeof(SpcSeries) || (kind == -1 && n != 0))
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid serialized rollup state: bad header")));
	st->t_kind = kind;
	st->n = st->cap = n;
	if (n > 0)
	{
		st->s = palloc_extended(n * sizeof(SpcSeries), MCXT_ALLOC_HUGE);
		memcpy(st->s, p + ROLLUP_HEADER, n * sizeof(SpcSeries));
		for (int64 i = 0; i < n; i++)
			if (series_problem(&st->s[i]) != NULL)
				ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
								errmsg("invalid serialized rollup state: %s", series_problem(&st->s[i]))));
	}
	PG_RETURN_POINTER(st);
}

Datum
qe_spc_rollup_final(PG_FUNCTION_ARGS)
{
	RollupState *st = PG_ARGISNULL(0) ? NULL : (RollupState *) PG_GETARG_POINTER(0);
	SpcSeries  *sorted;
	SpcSeries	acc = {0};
	size_t		bad;

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	/* sort a copy: the state stays as the transitions built it */
	sorted = palloc_extended(st->n * sizeof(SpcSeries), MCXT_ALLOC_HUGE);
	memcpy(sorted, st->s, st->n * sizeof(SpcSeries));
	bad = spc_series_sort_check(sorted, st->n);
	if (bad != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("summaries overlap in time: [%s, %s] and [%s, %s]",
						spc_var_t_text(sorted[bad - 1].first_t, st->t_kind),
						spc_var_t_text(sorted[bad - 1].last_t, st->t_kind),
						spc_var_t_text(sorted[bad].first_t, st->t_kind),
						spc_var_t_text(sorted[bad].last_t, st->t_kind)),
				 errdetail("A rollup joins disjoint time buckets in time order; a value may be in only one bucket."),
				 errhint("Roll up summaries of disjoint buckets, e.g. one per characteristic and date_trunc('day', t).")));
	for (int64 i = 0; i < st->n; i++)
		spc_series_append(&acc, &sorted[i]);
	pfree(sorted);
	if (acc.n < 1 || acc.n_mr < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: the rollup counts more than 2^63 - 1 values"),
				 errhint("Roll up fewer or smaller summaries.")));
	PG_RETURN_DATUM(spc_var_summary_datum(&acc, st->t_kind));
}

/* ------------------------------------------------------ confidence limits */

static Datum
interval_datum(FunctionCallInfo fcinfo, double est, double lo, double hi, double level, const char *method)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(est);
	nulls[1] = !isfinite(lo);
	values[1] = Float8GetDatum(nulls[1] ? 0.0 : lo);
	nulls[2] = !isfinite(hi);
	values[2] = Float8GetDatum(nulls[2] ? 0.0 : hi);
	values[3] = Float8GetDatum(level);
	values[4] = CStringGetTextDatum(method);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

static void
check_level(double level)
{
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be between 0 and 1 (exclusive), got %g", level),
				 errhint("Pass e.g. 0.95 for a 95%% two-sided interval.")));
}

static void
check_n(int64 n)
{
	if (n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a confidence interval needs n >= 2 values, got " INT64_FORMAT, n),
				 errhint("Pass the n the index was computed from.")));
}

/* qe.cp_confidence(cp, n, level): chi-square interval, df = n - 1 */
Datum
qe_spc_cp_confidence(PG_FUNCTION_ARGS)
{
	double		cp = PG_GETARG_FLOAT8(0);
	int64		n = PG_GETARG_INT64(1);
	double		level = PG_GETARG_FLOAT8(2);
	double		lo = NAN,
				hi = NAN;

	check_level(level);
	check_n(n);
	if (cp <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Cp must be positive, got %g", cp),
				 errdetail("Cp = (USL - LSL) / 6 sigma, with USL above LSL."),
				 errhint("Pass the Cp of a two-sided specification; a Cpk may be negative, use qe.cpk_confidence for it.")));
	if (isfinite(cp))
		spc_cp_confidence(cp, n, level, &lo, &hi);
	PG_RETURN_DATUM(interval_datum(fcinfo, cp, lo, hi, level, "chi-square"));
}

/* qe.cpk_confidence(cpk, n, level): Bissell (1990) normal approximation */
Datum
qe_spc_cpk_confidence(PG_FUNCTION_ARGS)
{
	double		cpk = PG_GETARG_FLOAT8(0);
	int64		n = PG_GETARG_INT64(1);
	double		level = PG_GETARG_FLOAT8(2);
	double		lo = NAN,
				hi = NAN;

	check_level(level);
	check_n(n);
	if (isfinite(cpk))
		spc_cpk_confidence(cpk, n, level, &lo, &hi);
	PG_RETURN_DATUM(interval_datum(fcinfo, cpk, lo, hi, level, "Bissell"));
}
