/*
 * rules_pg.c: qe.spc_rules window functions, qe.rule_config / qe.rule_set,
 * qe.rule_names / qe.rule_bits.  Thin glue over src/rules/spc_rules.c.
 *
 * The window functions keep a fixed-size RulesState in partition-local memory,
 * read the current row once (WinGetFuncArgCurrent) and move the mark to the
 * current row, so the WindowAgg tuplestore can forget earlier rows: O(1)
 * memory per partition.  The ORDER BY of the window is the chart order.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"
#include "windowapi.h"

#include "common/qe_pg.h"
#include "rules/rules_pg.h"

PG_FUNCTION_INFO_V1(qe_rules_window_sigma);
PG_FUNCTION_INFO_V1(qe_rules_window_limits);
PG_FUNCTION_INFO_V1(qe_rules_window_cl);
PG_FUNCTION_INFO_V1(qe_rules_config);
PG_FUNCTION_INFO_V1(qe_rules_set);
PG_FUNCTION_INFO_V1(qe_rules_names);
PG_FUNCTION_INFO_V1(qe_rules_bits);

/* ------------------------------------------------------------- helpers */

void
rules_pg_check_config(const RulesConfig *cfg)
{
	int			bad = rules_config_check(cfg);

	if (bad == -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rule configuration enables tests outside 1 to 8 (bit set %u)", cfg->tests),
				 errhint("Build the configuration with qe.rule_config(tests => ARRAY[...]) or qe.rule_set(...).")));
	if (bad > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("K of test %d must be between %d and %d, got %d",
						bad, rules_k_min[bad - 1], rules_k_max[bad - 1], cfg->k[bad - 1]),
				 errhint("Pass k%d => %d for the usual definition; the allowed ranges are Minitab's.",
						 bad, rules_k_default[bad - 1])));
}

void
rules_pg_config_from_datum(Datum d, RulesConfig *cfg)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(d);
	bool		isnull;

	for (int i = 0; i < RULES_CONFIG_NATTS; i++)
	{
		Datum		v = GetAttributeByNum(th, (AttrNumber) (i + 1), &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("rule configuration has a NULL %s", i == 0 ? "tests" : "K"),
					 errhint("Build it with qe.rule_config(...) or qe.rule_set('nelson').")));
		if (i == 0)
		{
			int32		t = DatumGetInt32(v);

			if (t < 0 || t > (int32) RULES_ALL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("rule configuration enables tests outside 1 to 8 (bit set %d)", t),
						 errhint("Build the configuration with qe.rule_config(tests => ARRAY[...]) or qe.rule_set(...).")));
			cfg->tests = (uint32_t) t;
		}
		else
			cfg->k[i - 1] = DatumGetInt32(v);
	}
	rules_pg_check_config(cfg);
}

static void
check_center(double c, bool c_null)
{
	if (c_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("centre line must not be NULL"),
				 errhint("Pass the centre line of the chart, e.g. (qe.imr_chart(x ORDER BY t)).center, or filter out the rows without limits.")));
	qe_check_finite(c, "center");
}

void
rules_pg_point_sigma(RulesPoint *p, const RulesConfig *cfg, double x,
					 double c, bool c_null, double s, bool s_null)
{
	qe_check_finite(x, "value");
	check_center(c, c_null);
	if (s_null || !(s > 0.0) || isinf(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sigma must be a positive finite number, got %s",
						s_null ? "NULL" : psprintf("%g", s)),
				 errhint("Pass the sigma of one plotted point (e.g. the chart's (ucl - center) / 3); a zero sigma means the limits were computed from constant data.")));
	rules_point_sigma(p, cfg, x, c, s);
}

void
rules_pg_point_limits(RulesPoint *p, const RulesConfig *cfg, double x,
					  double lcl, bool lcl_null, double c, bool c_null,
					  double ucl, bool ucl_null)
{
	qe_check_finite(x, "value");
	check_center(c, c_null);
	if (lcl_null || ucl_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("control limits must not be NULL"),
				 errhint("Pass the limits of each point, e.g. from qe.limits_at(limits, n).")));
	qe_check_finite(lcl, "lcl");
	qe_check_finite(ucl, "ucl");
	if (rules_limits_check(lcl, c, ucl) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("control limits must satisfy lcl <= center < ucl, got lcl %g, center %g, ucl %g",
						lcl, c, ucl),
				 errhint("Pass the limits in the order (value, lcl, center, ucl).")));
	rules_point_limits(p, cfg, x, lcl, c, ucl);
}

/* --------------------------------------------------------- window glue */

#define RULES_WIN_MAXARGS 5

typedef struct RulesWinState
{
	RulesState	st;
	RulesConfig cfg;
	bool		ready;
	/* arguments that are the same on every row (constants, parameters) */
	bool		cached[RULES_WIN_MAXARGS];
	bool		cnull[RULES_WIN_MAXARGS];
	Datum		cval[RULES_WIN_MAXARGS];
} RulesWinState;

/*
 * Per call site: which arguments are stable (get_fn_expr_arg_stable), and
 * the row type cache of qe.control_limits.
 */
typedef struct RulesClCache
{
	Oid			typid;
	int32		typmod;
	TupleDesc	tupdesc;
} RulesClCache;

typedef struct RulesFnCache
{
	bool		stable[RULES_WIN_MAXARGS];
	RulesClCache cl;
} RulesFnCache;

static RulesFnCache *
fn_cache(FunctionCallInfo fcinfo)
{
	RulesFnCache *fc = (RulesFnCache *) fcinfo->flinfo->fn_extra;

	if (fc == NULL)
	{
		fc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RulesFnCache));
		for (int i = 0; i < RULES_WIN_MAXARGS && i < PG_NARGS(); i++)
			fc->stable[i] = get_fn_expr_arg_stable(fcinfo->flinfo, i);
		fcinfo->flinfo->fn_extra = fc;
	}
	return fc;
}

/*
 * The partition's state; on its first row, the configuration (argument
 * cfgarg, or -1 for the defaults).  The configuration is read once per
 * partition, from its first row.
 */
static RulesWinState *
win_begin(WindowObject w, int cfgarg)
{
	RulesWinState *ws = (RulesWinState *)
		WinGetPartitionLocalMemory(w, sizeof(RulesWinState));

	if (!ws->ready)
	{
		if (cfgarg >= 0)
		{
			bool		isnull;
			Datum		d = WinGetFuncArgCurrent(w, cfgarg, &isnull);

			if (isnull)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("rule configuration must not be NULL"),
						 errhint("Omit it for all eight tests with their default K, or pass qe.rule_set('nelson').")));
			rules_pg_config_from_datum(d, &ws->cfg);
		}
		else
			rules_config_nelson(&ws->cfg);
		rules_state_init(&ws->st);
		ws->ready = true;
	}
	/* rows before the current one are never read again */
	WinSetMarkPosition(w, WinGetCurrentPosition(w));
	return ws;
}

/*
 * A float8 argument of the current row; a stable one (a constant, a
 * parameter) is evaluated once per partition.
 */
static inline double
arg_float8(FunctionCallInfo fcinfo, RulesWinState *ws, WindowObject w,
		   int argno, bool *isnull)
{
	Datum		d;

	if (ws->cached[argno])
	{
		*isnull = ws->cnull[argno];
		d = ws->cval[argno];
	}
	else
	{
		d = WinGetFuncArgCurrent(w, argno, isnull);
		if (fn_cache(fcinfo)->stable[argno])
		{
			ws->cached[argno] = true;
			ws->cnull[argno] = *isnull;
			ws->cval[argno] = d;	/* float8 is by value */
		}
	}
	return *isnull ? 0.0 : DatumGetFloat8(d);
}

/* qe.spc_rules(value, center, sigma [, config]) */
Datum
qe_rules_window_sigma(PG_FUNCTION_ARGS)
{
	WindowObject w = PG_WINDOW_OBJECT();
	RulesWinState *ws = win_begin(w, PG_NARGS() > 3 ? 3 : -1);
	bool		xn,
				cn,
				sn;
	double		x = arg_float8(fcinfo, ws, w, 0, &xn);
	double		c,
				s;
	RulesPoint	p;

	if (xn)
		PG_RETURN_NULL();		/* not evaluated, runs untouched */
	c = arg_float8(fcinfo, ws, w, 1, &cn);
	s = arg_float8(fcinfo, ws, w, 2, &sn);
	rules_pg_point_sigma(&p, &ws->cfg, x, c, cn, s, sn);
	PG_RETURN_INT32((int32) rules_push(&ws->st, &ws->cfg, &p));
}

/* qe.spc_rules(value, lcl, center, ucl [, config]) */
Datum
qe_rules_window_limits(PG_FUNCTION_ARGS)
{
	WindowObject w = PG_WINDOW_OBJECT();
	RulesWinState *ws = win_begin(w, PG_NARGS() > 4 ? 4 : -1);
	bool		xn,
				ln,
				cn,
				un;
	double		x = arg_float8(fcinfo, ws, w, 0, &xn);
	double		lcl,
				c,
				ucl;
	RulesPoint	p;

	if (xn)
		PG_RETURN_NULL();
	lcl = arg_float8(fcinfo, ws, w, 1, &ln);
	c = arg_float8(fcinfo, ws, w, 2, &cn);
	ucl = arg_float8(fcinfo, ws, w, 3, &un);
	rules_pg_point_limits(&p, &ws->cfg, x, lcl, ln, c, cn, ucl, un);
	PG_RETURN_INT32((int32) rules_push(&ws->st, &ws->cfg, &p));
}

/* centre (attribute 2), lcl (3), ucl (4) of a qe.control_limits datum */
static void
read_control_limits(FunctionCallInfo fcinfo, Datum d,
					double *lcl, bool *ln, double *c, bool *cn,
					double *ucl, bool *un)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(d);
	RulesClCache *cache = &fn_cache(fcinfo)->cl;
	HeapTupleData tup;
	Oid			typid = HeapTupleHeaderGetTypeId(th);
	int32		typmod = HeapTupleHeaderGetTypMod(th);

	if (cache->tupdesc == NULL || cache->typid != typid || cache->typmod != typmod)
	{
		TupleDesc	td = lookup_rowtype_tupdesc(typid, typmod);
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache->tupdesc = CreateTupleDescCopy(td);
		cache->typid = typid;
		cache->typmod = typmod;
		MemoryContextSwitchTo(old);
		ReleaseTupleDesc(td);
		if (cache->tupdesc->natts < 4 ||
			TupleDescAttr(cache->tupdesc, 1)->atttypid != FLOAT8OID ||
			TupleDescAttr(cache->tupdesc, 2)->atttypid != FLOAT8OID ||
			TupleDescAttr(cache->tupdesc, 3)->atttypid != FLOAT8OID)
			elog(ERROR, "qe.control_limits must have float8 center, lcl, ucl as attributes 2 to 4");
	}
	tup.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tup.t_self);
	tup.t_tableOid = InvalidOid;
	tup.t_data = th;
	*c = DatumGetFloat8(heap_getattr(&tup, 2, cache->tupdesc, cn));
	*lcl = DatumGetFloat8(heap_getattr(&tup, 3, cache->tupdesc, ln));
	*ucl = DatumGetFloat8(heap_getattr(&tup, 4, cache->tupdesc, un));
	if (*cn)
		*c = 0;
	if (*ln)
		*lcl = 0;
	if (*un)
		*ucl = 0;
}

/* qe.spc_rules(value, limits qe.control_limits [, config]) */
Datum
qe_rules_window_cl(PG_FUNCTION_ARGS)
{
	WindowObject w = PG_WINDOW_OBJECT();
	RulesWinState *ws = win_begin(w, PG_NARGS() > 2 ? 2 : -1);
	bool		xn,
				isnull,
				ln,
				cn,
				un;
	double		x = arg_float8(fcinfo, ws, w, 0, &xn);
	double		lcl,
				c,
				ucl;
	Datum		d;
	RulesPoint	p;

	if (xn)
		PG_RETURN_NULL();
	d = WinGetFuncArgCurrent(w, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("control limits must not be NULL"),
				 errhint("Pass the result of a control-limit aggregate such as qe.imr_chart(...).")));
	read_control_limits(fcinfo, d, &lcl, &ln, &c, &cn, &ucl, &un);
	rules_pg_point_limits(&p, &ws->cfg, x, lcl, ln, c, cn, ucl, un);
	PG_RETURN_INT32((int32) rules_push(&ws->st, &ws->cfg, &p));
}

/* ------------------------------------------------ configuration values */

static Datum
config_datum(FunctionCallInfo fcinfo, const RulesConfig *cfg)
{
	TupleDesc	tupdesc;
	Datum		values[RULES_CONFIG_NATTS];
	bool		nulls[RULES_CONFIG_NATTS] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum((int32) cfg->tests);
	for (int i = 0; i < RULES_NTESTS; i++)
		values[i + 1] = Int32GetDatum(cfg->k[i]);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* qe.rule_config(tests int[], k1 .. k8 int) */
Datum
qe_rules_config(PG_FUNCTION_ARGS)
{
	RulesConfig cfg;

	for (int i = 0; i <= RULES_NTESTS; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", i == 0 ? "tests" : psprintf("k%d", i)),
					 errhint("Leave the argument out to get its default.")));
	cfg.tests = 0;
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
		Datum	   *elems;
		bool	   *enulls;
		int			n;

		if (ARR_NDIM(a) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("tests must be a one-dimensional array"),
					 errhint("Pass the test numbers as a plain array, e.g. tests => '{1,2,3,4}'.")));
		deconstruct_array(a, INT4OID, 4, true, TYPALIGN_INT, &elems, &enulls, &n);
		for (int i = 0; i < n; i++)
		{
			int32		t = enulls[i] ? 0 : DatumGetInt32(elems[i]);

			if (enulls[i] || t < 1 || t > RULES_NTESTS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("test numbers must be between 1 and 8, got %s",
								enulls[i] ? "NULL" : psprintf("%d", t)),
						 errhint("Tests are numbered as in Minitab: 1 beyond limits, 2 run, 3 trend, 4 alternating, 5 and 6 zones A and B, 7 stratification, 8 mixture.")));
			cfg.tests |= 1u << (t - 1);
		}
	}
	for (int i = 0; i < RULES_NTESTS; i++)
		cfg.k[i] = PG_GETARG_INT32(i + 1);
	rules_pg_check_config(&cfg);
	PG_RETURN_DATUM(config_datum(fcinfo, &cfg));
}

/* qe.rule_set(name text): 'nelson', 'western_electric', 'attribute' */
Datum
qe_rules_set(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	RulesConfig cfg;

	if (pg_strcasecmp(name, "nelson") == 0 || pg_strcasecmp(name, "all") == 0)
		rules_config_nelson(&cfg);
	else if (pg_strcasecmp(name, "western_electric") == 0 || pg_strcasecmp(name, "we") == 0)
		rules_config_western_electric(&cfg);
	else if (pg_strcasecmp(name, "attribute") == 0)
	{
		rules_config_nelson(&cfg);
		cfg.tests = RULES_T1 | RULES_T2 | RULES_T3 | RULES_T4;
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rule set \"%s\"", name),
				 errhint("Use 'nelson' (all eight tests), 'western_electric' (tests 1, 2 with K = 8, 5, 6) or 'attribute' (tests 1 to 4).")));
	PG_RETURN_DATUM(config_datum(fcinfo, &cfg));
}

/* --------------------------------------------------------------- names */

static void
check_bits(int32 bits)
{
	if (bits < 0 || bits > (int32) RULES_ALL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rule bit set must be between 0 and 255, got %d", bits),
				 errhint("Bit i-1 stands for test i; pass the result of qe.spc_rules(...).")));
}

/* qe.rule_names(bits int) -> text[] in test order */
Datum
qe_rules_names(PG_FUNCTION_ARGS)
{
	int32		bits = PG_GETARG_INT32(0);
	Datum		elems[RULES_NTESTS];
	int			n = 0;

	check_bits(bits);
	for (int i = 0; i < RULES_NTESTS; i++)
		if (bits & (1 << i))
			elems[n++] = CStringGetTextDatum(rules_test_names[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* qe.rule_bits(names text[]) -> int: names or test numbers ('1'..'8') */
Datum
qe_rules_bits(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *enulls;
	int			n;
	int32		bits = 0;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("rule names must be a one-dimensional array"),
				 errhint("Pass the names as a plain array, e.g. ARRAY['beyond_limits', 'zone_a'].")));
	deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
	for (int i = 0; i < n; i++)
	{
		char	   *s;
		int			found = -1;

		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("rule names must not contain NULL"),
					 errhint("Remove the NULL elements, e.g. with array_remove(names, NULL).")));
		s = TextDatumGetCString(elems[i]);
		for (int t = 0; t < RULES_NTESTS; t++)
			if (pg_strcasecmp(s, rules_test_names[t]) == 0 ||
				(s[0] == '1' + t && s[1] == '\0'))
				found = t;
		if (found < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown rule \"%s\"", s),
					 errhint("Use a test number 1 to 8 or one of the names beyond_limits, run, trend, alternating, zone_a, zone_b, stratification, mixture.")));
		bits |= 1 << found;
	}
	PG_RETURN_INT32(bits);
}
