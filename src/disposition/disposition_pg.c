/*
 * disposition_pg.c: SQL access to the disposition engine.
 *
 * Thin glue: jsonb facts -> DispFacts (types checked here, values checked by
 * the pure setters), disp_evaluate(), DispResult -> qe.disposition_result.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "disposition/disposition.h"

PG_FUNCTION_INFO_V1(qe_disp_evaluate);
PG_FUNCTION_INFO_V1(qe_disp_fact_keys);

#define NUM_RESULT_COLS 11
#define NUM_NOTE_COLS 5

static const char *
jsonb_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "array" : "object";
		default:
			return "value";
	}
}

static const char *
kind_hint(DispKind k)
{
	switch (k)
	{
		case DK_BOOL:
			return "Use true or false, or null (or leave the key out) when the answer is not known yet.";
		case DK_MONEY:
		case DK_RATIO:
			return "Use a JSON number >= 0, not a string (in SQL: to_jsonb(x::numeric)), or null when not known yet.";
		case DK_FRACTION:
			return "Use a JSON number from 0 to 1 (0.85 for 85 %), or null when not known yet.";
		case DK_COUNT:
			return "Use a whole JSON number >= 1 (this occurrence included), or null when not known yet.";
		case DK_CHOICE:
			return "Use one of the listed text values (see qe.disposition_fact_keys()).";
		case DK_TIMESTAMP:
			return "Use an ISO 8601 string with an explicit offset, e.g. \"2026-03-02T08:15:00+01:00\" (to_jsonb(timestamptz) gives one).";
	}
	return NULL;
}

/*
 * A JSON number as a fact.  What double precision would hide is judged on
 * the numeric itself first: its sign (-1e-16000 rounds to -0), a value that
 * underflows to 0, a count that is not whole (2.9999999999999999 rounds to
 * 3) and a fraction above 1 (1.0000000000000000001 rounds to 1).
 */
static DispSetStatus
set_number_fact(DispFacts *facts, DispFactId id, Numeric num)
{
	const DispFactDesc *d = &disp_fact_table[id];
	Datum		nd = NumericGetDatum(num);
	Datum		zero = NumericGetDatum(int64_to_numeric(0));
	int			sign = DatumGetInt32(DirectFunctionCall2(numeric_cmp, nd, zero));
	double		x;

	if (numeric_is_nan(num) || sign < 0)
		return DISP_SET_OUT_OF_RANGE;
	if (d->kind == DK_FRACTION &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, nd, NumericGetDatum(int64_to_numeric(1)))) > 0)
		return DISP_SET_OUT_OF_RANGE;
	if (d->kind == DK_COUNT && !numeric_is_inf(num) &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, nd,
										  DirectFunctionCall2(numeric_trunc, nd, Int32GetDatum(0)))) != 0)
		return DISP_SET_NOT_INTEGER;
	x = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, nd));
	if (x == 0.0 && sign > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fact \"%s\" is too close to zero for double precision", d->key),
				 errhint("%s", kind_hint(d->kind))));
	return disp_set_number(facts, id, x);
}

static void
set_fact(DispFacts *facts, DispFactId id, const JsonbValue *v)
{
	const DispFactDesc *d = &disp_fact_table[id];
	DispSetStatus st = DISP_SET_WRONG_KIND;

	switch (v->type)
	{
		case jbvNull:
			disp_set_unknown(facts, id);
			return;
		case jbvBool:
			st = disp_set_bool(facts, id, v->val.boolean);
			break;
		case jbvNumeric:
			if (d->kind == DK_BOOL || d->kind == DK_CHOICE || d->kind == DK_TIMESTAMP)
				st = DISP_SET_WRONG_KIND;
			else
				st = set_number_fact(facts, id, v->val.numeric);
			break;
		case jbvString:
			st = disp_set_text(facts, id, v->val.string.val, (size_t) v->val.string.len);
			break;
		default:
			st = DISP_SET_WRONG_KIND;
			break;
	}

	switch (st)
	{
		case DISP_SET_OK:
			return;
		case DISP_SET_WRONG_KIND:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("fact \"%s\" must be a JSON %s, got a JSON %s",
							d->key, d->kind == DK_CHOICE ? "string" :
							d->kind == DK_TIMESTAMP ? "string" :
							d->kind == DK_BOOL ? "boolean" : "number",
							jsonb_type_name(v)),
					 errhint("%s", kind_hint(d->kind))));
			break;
		case DISP_SET_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("fact \"%s\" is out of range: expected %s %s", d->key,
							d->kind == DK_COUNT ? "an" : "a", disp_kind_name(d->kind)),
					 errhint("%s", kind_hint(d->kind))));
			break;
		case DISP_SET_NOT_INTEGER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fact \"%s\" must be a whole number", d->key),
					 errhint("%s", kind_hint(d->kind))));
			break;
		case DISP_SET_BAD_CHOICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown %s \"%.*s\"", d->key,
							pg_mbcliplen(v->val.string.val, v->val.string.len, 64), v->val.string.val),
					 errhint("Use one of: %s.", d->choices)));
			break;
		case DISP_SET_BAD_TIMESTAMP:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
					 errmsg("fact \"%s\" is not an ISO 8601 timestamp with an offset: \"%.*s\"",
							d->key, pg_mbcliplen(v->val.string.val, v->val.string.len, 64), v->val.string.val),
					 errhint("%s", kind_hint(d->kind))));
			break;
	}
}

/* Fill *facts from a jsonb object; unknown keys go to *ignored (or raise). */
static void
parse_facts(Jsonb *jb, bool strict, DispFacts *facts, ArrayBuildState **ignored)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("facts must be a jsonb object"),
				 errhint("Pass an object of fact keys, e.g. '{\"regime\": \"iatf\", \"safety_critical\": false}'; qe.disposition_fact_keys() lists the keys.")));

	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		int			id;
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		id = disp_fact_lookup(v.val.string.val, (size_t) v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (tok != WJB_VALUE)
			elog(ERROR, "unexpected jsonb iterator token %d", (int) tok);
		if (id < 0)
		{
			if (strict)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown disposition fact \"%s\"", pnstrdup(key, pg_mbcliplen(key, strlen(key), 64))),
						 errhint("qe.disposition_fact_keys() lists the keys; pass strict => false to ignore other keys (they are then listed in ignored_keys).")));
			*ignored = accumArrayResult(*ignored, CStringGetTextDatum(key), false,
										TEXTOID, CurrentMemoryContext);
			continue;
		}
		set_fact(facts, (DispFactId) id, &v);
		pfree(key);
	}
}

/* Refuse a result type whose columns are not what we fill (altered type). */
static void
check_columns(TupleDesc td, const Oid *want, int n, const char *typname)
{
	if (td->natts != n)
		elog(ERROR, "%s must have %d columns, has %d", typname, n, td->natts);
	for (int i = 0; i < n; i++)
	{
		Oid			got = TupleDescAttr(td, i)->atttypid;

		if (want[i] != InvalidOid ? got != want[i] : !OidIsValid(get_element_type(got)))
			elog(ERROR, "column %d of %s has an unexpected type", i + 1, typname);
	}
}

static Datum
text_array(const char (*items)[DISP_TEXT_LEN], int n)
{
	Datum	   *d;

	if (n == 0)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	d = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(items[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
notes_array(const DispResult *r, Oid arraytype)
{
	Oid			elemtype = get_element_type(arraytype);
	TupleDesc	td;
	Datum	   *d;

	if (!OidIsValid(elemtype))
		elog(ERROR, "notifications column is not an array");
	if (r->n_notes == 0)
		return PointerGetDatum(construct_empty_array(elemtype));

	td = lookup_rowtype_tupdesc_copy(elemtype, -1);
	{
		static const Oid want[NUM_NOTE_COLS] = {TEXTOID, TEXTOID, INTERVALOID, TIMESTAMPTZOID, TEXTOID};

		check_columns(td, want, NUM_NOTE_COLS, "qe.disposition_notification");
	}
	td = BlessTupleDesc(td);
	d = palloc(sizeof(Datum) * r->n_notes);
	for (int i = 0; i < r->n_notes; i++)
	{
		const DispNotification *n = &r->notes[i];
		Datum		values[NUM_NOTE_COLS];
		bool		nulls[NUM_NOTE_COLS] = {0};

		values[0] = CStringGetTextDatum(n->recipient);
		values[1] = CStringGetTextDatum(n->subject);
		if (n->within_days > 0 || n->within_hours > 0)
		{
			Interval   *iv = palloc0(sizeof(Interval));

			iv->day = n->within_days;
			iv->time = (int64) n->within_hours * USECS_PER_HOUR;
			values[2] = IntervalPGetDatum(iv);
		}
		else
			nulls[2] = true;
		if (n->has_due)
		{
			TimestampTz ts = n->due_unix_us -
				(int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

			if (!IS_VALID_TIMESTAMP(ts))
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("notification deadline is out of range for timestamptz"),
						 errhint("Check discovered_at.")));
			values[3] = TimestampTzGetDatum(ts);
		}
		else
			nulls[3] = true;
		values[4] = CStringGetTextDatum(n->basis);
		d[i] = HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
	}
	return PointerGetDatum(construct_array(d, r->n_notes, elemtype, -1, false, TYPALIGN_DOUBLE));
}

/*
 * qe.evaluate_disposition(facts jsonb, strict boolean) -> qe.disposition_result
 * Not STRICT: NULL facts mean "nothing known yet" (the first question comes
 * back); NULL strict means true.
 */
Datum
qe_disp_evaluate(PG_FUNCTION_ARGS)
{
	bool		strict = PG_ARGISNULL(1) ? true : PG_GETARG_BOOL(1);
	DispFacts	facts;
	static DispResult result;
	DispResult *r;
	ArrayBuildState *ignored = NULL;
	TupleDesc	tupdesc;
	Datum		values[NUM_RESULT_COLS];
	bool		nulls[NUM_RESULT_COLS] = {0};
	const char *name;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	{
		/* InvalidOid: an array of the notification type */
		static const Oid want[NUM_RESULT_COLS] = {
			TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID, TEXTARRAYOID,
			InvalidOid, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID
		};

		check_columns(tupdesc, want, NUM_RESULT_COLS, "qe.disposition_result");
	}
	tupdesc = BlessTupleDesc(tupdesc);

	disp_facts_init(&facts);
	if (!PG_ARGISNULL(0))
		parse_facts(PG_GETARG_JSONB_P(0), strict, &facts, &ignored);

	/*
	 * The result (about 45 kB of fixed arrays) lives in static storage: the
	 * pure engine calls nothing that could re-enter this function, and it is
	 * fully copied into the result tuple below.
	 */
	r = &result;
	disp_evaluate(&facts, r);
	if (r->overflow)
		elog(ERROR, "disposition result lists overflowed");

	name = disp_disposition_name(r->disposition);
	if (name)
		values[0] = CStringGetTextDatum(name);
	else
		nulls[0] = true;
	values[1] = CStringGetTextDatum(disp_status_name(r->status));
	if (r->next_fact >= 0)
	{
		values[2] = CStringGetTextDatum(disp_fact_table[r->next_fact].key);
		values[3] = CStringGetTextDatum(r->question);
	}
	else
		nulls[2] = nulls[3] = true;
	if (r->authority)
		values[4] = CStringGetTextDatum(r->authority);
	else
		nulls[4] = true;
	{
		Datum		roles[DISP_MAX_ROLES];

		for (int i = 0; i < r->n_roles; i++)
			roles[i] = CStringGetTextDatum(r->roles[i]);
		values[5] = r->n_roles > 0
			? PointerGetDatum(construct_array(roles, r->n_roles, TEXTOID, -1, false, TYPALIGN_INT))
			: PointerGetDatum(construct_empty_array(TEXTOID));
	}
	values[6] = text_array((const char (*)[DISP_TEXT_LEN]) r->approvals, r->n_approvals);
	values[7] = notes_array(r, TupleDescAttr(tupdesc, 7)->atttypid);
	values[8] = text_array((const char (*)[DISP_TEXT_LEN]) r->actions, r->n_actions);
	values[9] = text_array((const char (*)[DISP_TEXT_LEN]) r->steps, r->n_steps);
	values[10] = ignored
		? makeArrayResult(ignored, CurrentMemoryContext)
		: PointerGetDatum(construct_empty_array(TEXTOID));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* qe.disposition_fact_keys(): the facts the engine understands. */
Datum
qe_disp_fact_keys(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < DF_NFACTS; i++)
	{
		const DispFactDesc *d = &disp_fact_table[i];
		Datum		values[7];
		bool		nulls[7] = {0};
		const char *type;

		switch (d->kind)
		{
			case DK_BOOL:
				type = "boolean";
				break;
			case DK_CHOICE:
				type = "text";
				break;
			case DK_TIMESTAMP:
				type = "timestamptz";
				break;
			case DK_COUNT:
				type = "integer";
				break;
			default:
				type = "numeric";
				break;
		}
		values[0] = Int32GetDatum(i + 1);
		values[1] = CStringGetTextDatum(d->key);
		values[2] = CStringGetTextDatum(type);
		values[3] = d->choices
			? CStringGetTextDatum(psprintf("one of: %s", d->choices))
			: CStringGetTextDatum(disp_kind_name(d->kind));
		values[4] = BoolGetDatum(d->asked);
		values[5] = CStringGetTextDatum(d->question);
		values[6] = CStringGetTextDatum(d->seed);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
