/*
 * wf_trigger_pg.c: the workflow engine's server glue.
 *
 *   qe.enforce_workflow()            BEFORE INSERT OR UPDATE ... FOR EACH ROW trigger
 *   qe.workflow_definition_changed() statement trigger on the definition tables
 *   qe.append_only_guard()           guard of the audit trail and the signatures
 *   qe.audit_hash(...), qe.signature_hash(...)   the chain's hash functions
 *   qe.sign(...)                     an electronic signature + its audit record
 *
 * Workflow definitions are read once per backend into wf_cxt and dropped
 * when a relcache invalidation names a definition table (sent explicitly by
 * qe.workflow_definition_changed(), so plain INSERT/UPDATE by an admin
 * reaches every backend at commit) or a table the trigger is bound to.
 * The decisions themselves are in wf_core.c (pure C).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_index.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "catalog/pg_trigger.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "common/qe_pg.h"
#include "workflow/wf_core.h"

PG_FUNCTION_INFO_V1(qe_wf_enforce_workflow);
PG_FUNCTION_INFO_V1(qe_wf_definition_changed);
PG_FUNCTION_INFO_V1(qe_wf_append_only_guard);
PG_FUNCTION_INFO_V1(qe_wf_audit_hash);
PG_FUNCTION_INFO_V1(qe_wf_signature_hash);
PG_FUNCTION_INFO_V1(qe_wf_sign);

/* ---------------------------------------------------------------------
 * Per-backend cache
 * ------------------------------------------------------------------- */

typedef struct WfBinding
{
	Oid			tgoid;			/* hash key */
	Oid			relid;
	const WfDef *def;
	char	   *relname;		/* schema-qualified, quoted */
	AttrNumber	state_att;
	Oid			state_type;
	Oid			state_out;
	int			nkeys;
	AttrNumber *key_atts;
	Oid		   *key_out;
	AttrNumber *stamp_atts;		/* per state: 0 = the table has no such column */
	AttrNumber **frozen_atts;	/* per state: its frozen columns (def->states[i].nfrozen); 0 = no such column */
	bool		key_settings_dependent; /* a key type whose text follows DateStyle & co. */
} WfBinding;

static MemoryContext wf_cxt = NULL;
static WfDef *wf_defs = NULL;
static int	wf_ndefs = 0;
static bool wf_valid = false;
static LocalTransactionId wf_loaded_lxid = InvalidLocalTransactionId;
static bool wf_loaded_xact_snapshot = false;
static Oid	wf_def_relids[3];
static Oid *wf_bound_relids = NULL;
static int	wf_nbound = 0;
static int	wf_maxbound = 0;
static HTAB *wf_bindings = NULL;
static bool wf_callback_registered = false;
static uint64 wf_inval_count = 0;

/* set only around our own INSERTs into the audit trail / signatures */
static bool wf_writing = false;

static void
wf_relcache_callback(Datum arg, Oid relid)
{
	bool		relevant = (relid == InvalidOid);

	for (int i = 0; i < 3 && !relevant; i++)
		relevant = (wf_def_relids[i] == relid);
	for (int i = 0; i < wf_nbound && !relevant; i++)
		relevant = (wf_bound_relids[i] == relid);
	if (relevant)
	{
		/* counted even while loading: a load that overlaps one is not trusted */
		wf_inval_count++;
		wf_valid = false;
	}
}

static char *
wf_strdup_text(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* the non-null elements of a text[] (NULL: none), as C strings in the current context */
static const char *const *
wf_text_array(Datum a, bool isnull, int *count)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	const char **names;
	int			m = 0;

	*count = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(a), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	names = palloc(sizeof(char *) * (n + 1));
	for (int j = 0; j < n; j++)
		if (!nulls[j])
			names[m++] = TextDatumGetCString(elems[j]);
	*count = m;
	return names;
}

/* Read every workflow into a fresh context; swap it in only on success. */
static void
wf_load_defs(void)
{
	MemoryContext cxt;
	MemoryContext old;
	uint64		nst,
				ntr;
	SPITupleTable *st,
			   *tr;
	int			ndefs = 0;
	WfDef	   *defs;
	WfState    *states;
	WfTransition *trans;
	Oid			nsp;
	HASHCTL		hctl;

	uint64		inval_at_start;

	if (!wf_callback_registered)
	{
		CacheRegisterRelcacheCallback(wf_relcache_callback, (Datum) 0);
		wf_callback_registered = true;
	}
	nsp = get_namespace_oid("qe", false);
	wf_def_relids[0] = get_relname_relid("workflow", nsp);
	wf_def_relids[1] = get_relname_relid("workflow_state", nsp);
	wf_def_relids[2] = get_relname_relid("workflow_transition", nsp);
	inval_at_start = wf_inval_count;

	/*
	 * Not read_only: each query takes a fresh snapshot (READ COMMITTED), so a
	 * change whose invalidation this backend consumed before inval_at_start
	 * (possibly before it knew the definition tables' OIDs) is visible; one
	 * consumed later makes the result untrusted.  The statement's own
	 * snapshot could predate such a change.
	 */

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT s.workflow, s.state, s.is_initial, s.is_terminal, s.stamp_column, w.audit,"
					"       s.frozen_columns"
					"  FROM qe.workflow_state s"
					"  JOIN qe.workflow w ON w.name OPERATOR(pg_catalog.=) s.workflow"
					" ORDER BY s.workflow, s.sort_order, s.state", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read qe.workflow_state");
	st = SPI_tuptable;
	nst = SPI_processed;
	SPI_tuptable = NULL;
	if (SPI_execute("SELECT t.workflow, t.from_state, t.to_state, t.required_columns,"
					"       t.required_role::pg_catalog.text, t.check_function::pg_catalog.oid"
					"  FROM qe.workflow_transition t"
					"  JOIN qe.workflow_state s ON s.workflow OPERATOR(pg_catalog.=) t.workflow"
					"                          AND s.state OPERATOR(pg_catalog.=) t.to_state"
					" ORDER BY t.workflow, s.sort_order, t.to_state", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read qe.workflow_transition");
	tr = SPI_tuptable;
	ntr = SPI_processed;

	cxt = AllocSetContextCreate(CacheMemoryContext, "quality_escape workflows",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);

	defs = palloc0(sizeof(WfDef) * (nst + 1));
	states = palloc0(sizeof(WfState) * (nst + 1));
	trans = palloc0(sizeof(WfTransition) * (ntr + 1));

	for (uint64 i = 0; i < nst; i++)
	{
		HeapTuple	t = st->vals[i];
		char	   *w = wf_strdup_text(t, st->tupdesc, 1);
		bool		isnull;

		if (ndefs == 0 || strcmp(defs[ndefs - 1].name, w) != 0)
		{
			defs[ndefs].name = w;
			defs[ndefs].audit = DatumGetBool(SPI_getbinval(t, st->tupdesc, 6, &isnull)) || isnull;
			defs[ndefs].states = &states[i];
			ndefs++;
		}
		states[i].name = wf_strdup_text(t, st->tupdesc, 2);
		states[i].initial = DatumGetBool(SPI_getbinval(t, st->tupdesc, 3, &isnull)) && !isnull;
		states[i].terminal = DatumGetBool(SPI_getbinval(t, st->tupdesc, 4, &isnull)) && !isnull;
		states[i].stamp_column = wf_strdup_text(t, st->tupdesc, 5);
		{
			Datum		fz = SPI_getbinval(t, st->tupdesc, 7, &isnull);

			states[i].frozen = wf_text_array(fz, isnull, &states[i].nfrozen);
		}
		defs[ndefs - 1].nstates++;
	}

	for (uint64 i = 0, k = 0; i < ntr; i++)
	{
		HeapTuple	t = tr->vals[i];
		char	   *w = wf_strdup_text(t, tr->tupdesc, 1);
		char	   *from = wf_strdup_text(t, tr->tupdesc, 2);
		char	   *to = wf_strdup_text(t, tr->tupdesc, 3);
		WfDef	   *d = NULL;
		WfTransition *x = &trans[k];
		bool		isnull;
		Datum		cols;

		for (int j = 0; j < ndefs; j++)
			if (strcmp(defs[j].name, w) == 0)
				d = &defs[j];
		if (d == NULL)
			continue;			/* the foreign keys make this impossible */
		if (d->ntransitions == 0)
			d->transitions = x;
		else if (d->transitions + d->ntransitions != x)
			elog(ERROR, "workflow transitions are not grouped by workflow");
		x->from = wf_state_index(d, from, strlen(from));
		x->to = wf_state_index(d, to, strlen(to));
		cols = SPI_getbinval(t, tr->tupdesc, 4, &isnull);
		x->columns = wf_text_array(cols, isnull, &x->ncolumns);
		x->role = wf_strdup_text(t, tr->tupdesc, 5);
		{
			Datum		f = SPI_getbinval(t, tr->tupdesc, 6, &isnull);

			x->check_fn = isnull ? InvalidOid : DatumGetObjectId(f);
		}
		d->ntransitions++;
		k++;
	}

	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = sizeof(Oid);
	hctl.entrysize = sizeof(WfBinding);
	hctl.hcxt = cxt;
	wf_bindings = NULL;
	MemoryContextSwitchTo(old);

	SPI_finish();

	/*
	 * Swap in.  The old definitions may still be in use by an outer
	 * enforce_workflow() call (a check function that updates another
	 * workflow table): free them at the end of the transaction, not now.
	 */
	if (wf_cxt)
		MemoryContextSetParent(wf_cxt, TopTransactionContext);
	wf_cxt = cxt;
	wf_defs = defs;
	wf_ndefs = ndefs;
	wf_bindings = hash_create("quality_escape workflow bindings", 16, &hctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	wf_nbound = 0;
	wf_maxbound = 0;
	wf_bound_relids = NULL;
	wf_loaded_lxid = MyProc->lxid;
	wf_loaded_xact_snapshot = IsolationUsesXactSnapshot();
	/* used by this call either way; trusted for later ones only if no change overlapped */
	wf_valid = (wf_inval_count == inval_at_start);
}

static void
wf_ensure_loaded(void)
{
	/*
	 * Under REPEATABLE READ the definitions were read with the transaction's
	 * snapshot: keep them for that transaction only, since a change committed
	 * meanwhile has already sent its invalidation.
	 */
	if (wf_valid && wf_loaded_xact_snapshot && wf_loaded_lxid != MyProc->lxid)
		wf_valid = false;
	if (!wf_valid)
		wf_load_defs();
}

/* ---------------------------------------------------------------------
 * Trigger argument binding
 * ------------------------------------------------------------------- */

static const char *
wf_trigger_name(TriggerData *td)
{
	return td->tg_trigger->tgname;
}

static AttrNumber
wf_column(TriggerData *td, const char *col, const char *what)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	int			att = SPI_fnumber(desc, col);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s column \"%s\" of trigger \"%s\" does not exist in table %s",
						what, col, wf_trigger_name(td),
						RelationGetRelationName(td->tg_relation)),
				 errhint("The arguments of qe.enforce_workflow are: workflow name, state column, then optionally the key column(s).")));
	return (AttrNumber) att;
}

static WfBinding *
wf_bind(TriggerData *td)
{
	Trigger    *trig = td->tg_trigger;
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	WfBinding  *b;
	WfBinding	nb;
	bool		found;
	const WfDef *def = NULL;
	MemoryContext old;

	wf_ensure_loaded();
	b = hash_search(wf_bindings, &trig->tgoid, HASH_FIND, NULL);
	if (b)
		return b;

	if (trig->tgnargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger \"%s\" on %s gives qe.enforce_workflow %d argument(s), it needs at least 2",
						trig->tgname, RelationGetRelationName(rel), trig->tgnargs),
				 errhint("EXECUTE FUNCTION qe.enforce_workflow('workflow', 'state_column' [, 'key_column' ...])")));
	for (int i = 0; i < wf_ndefs; i++)
		if (strcmp(wf_defs[i].name, trig->tgargs[0]) == 0)
			def = &wf_defs[i];
	if (def == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("workflow \"%s\" named by trigger \"%s\" does not exist",
						trig->tgargs[0], trig->tgname),
				 errhint("Workflows are the rows of qe.workflow with their states in qe.workflow_state; SELECT name FROM qe.workflow lists them.")));

	old = MemoryContextSwitchTo(wf_cxt);
	{
		AttrNumber	sa = wf_column(td, trig->tgargs[1], "state");
		Oid			typ = TupleDescAttr(desc, sa - 1)->atttypid;
		char		cat;
		bool		pref;
		bool		isvarlena;
		AttrNumber *keys;
		int			nkeys;

		if (TupleDescAttr(desc, sa - 1)->attgenerated)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("state column \"%s\" of %s is a generated column",
							trig->tgargs[1], RelationGetRelationName(rel)),
					 errhint("The state must be an ordinary column that the application sets.")));
		get_type_category_preferred(getBaseType(typ), &cat, &pref);
		if (!(cat == TYPCATEGORY_STRING || cat == TYPCATEGORY_ENUM ||
			  getBaseType(typ) == INT2OID || getBaseType(typ) == INT4OID ||
			  getBaseType(typ) == INT8OID))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("state column \"%s\" of %s has type %s, which cannot hold a workflow state",
							trig->tgargs[1], RelationGetRelationName(rel), format_type_be(typ)),
					 errhint("Use a text, varchar, char, enum or integer column for the state.")));

		if (trig->tgnargs > 2)
		{
			nkeys = trig->tgnargs - 2;
			keys = palloc(sizeof(AttrNumber) * nkeys);
			for (int k = 0; k < nkeys; k++)
				keys[k] = wf_column(td, trig->tgargs[2 + k], "key");
		}
		else
		{
			Oid			pk = RelationGetPrimaryKeyIndex(rel);
			HeapTuple	it;
			Form_pg_index ix;

			if (!OidIsValid(pk))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("table %s has no primary key to identify rows in the audit trail",
								RelationGetRelationName(rel)),
						 errhint("Name the key column(s) after the state column: qe.enforce_workflow('%s', '%s', 'key_column').",
								 trig->tgargs[0], trig->tgargs[1])));
			it = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
			if (!HeapTupleIsValid(it))
				elog(ERROR, "cache lookup failed for index %u", pk);
			ix = (Form_pg_index) GETSTRUCT(it);
			nkeys = ix->indnkeyatts;
			keys = palloc(sizeof(AttrNumber) * nkeys);
			for (int k = 0; k < nkeys; k++)
				keys[k] = ix->indkey.values[k];
			ReleaseSysCache(it);
		}
		for (int k = 0; k < nkeys; k++)
			if (keys[k] <= 0 || TupleDescAttr(desc, keys[k] - 1)->attgenerated)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("key column of trigger \"%s\" on %s is %s",
								trig->tgname, RelationGetRelationName(rel),
								keys[k] <= 0 ? "an expression" : "a generated column"),
						 errhint("A BEFORE trigger sees a generated column before it is computed; name an ordinary key column as the third argument.")));

		/*
		 * Built in a local first: an error below must not leave a
		 * half-made binding in the hash table for the next row to use.
		 */
		memset(&nb, 0, sizeof(nb));
		b = &nb;
		b->tgoid = trig->tgoid;
		b->relid = RelationGetRelid(rel);
		b->def = def;
		b->relname = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												RelationGetRelationName(rel));
		b->state_att = sa;
		b->state_type = typ;
		getTypeOutputInfo(typ, &b->state_out, &isvarlena);
		b->nkeys = nkeys;
		b->key_atts = keys;
		b->key_out = palloc(sizeof(Oid) * nkeys);
		for (int k = 0; k < nkeys; k++)
		{
			Oid			kt = getBaseType(TupleDescAttr(desc, keys[k] - 1)->atttypid);

			getTypeOutputInfo(TupleDescAttr(desc, keys[k] - 1)->atttypid, &b->key_out[k], &isvarlena);
			/*
			 * Types whose text never depends on session settings; any other
			 * (dates and times, floats, money, bytea, reg* types, and
			 * arrays, ranges and composites, which may contain them) is
			 * written under fixed settings.
			 */
			if (!(kt == INT2OID || kt == INT4OID || kt == INT8OID || kt == NUMERICOID ||
				  kt == TEXTOID || kt == VARCHAROID || kt == BPCHAROID || kt == NAMEOID ||
				  kt == UUIDOID || kt == BOOLOID || kt == OIDOID || kt == CHAROID ||
				  type_is_enum(kt)))
				b->key_settings_dependent = true;
		}

		b->stamp_atts = palloc0(sizeof(AttrNumber) * (def->nstates + 1));
		for (int i = 0; i < def->nstates; i++)
		{
			const char *sc = def->states[i].stamp_column;
			int			att;

			if (sc == NULL)
				continue;
			att = SPI_fnumber(desc, sc);
			if (att <= 0)
				continue;		/* a mapped ERP table need not have it */
			if (TupleDescAttr(desc, att - 1)->atttypid != TIMESTAMPTZOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("column \"%s\" of %s, stamped on entry to state \"%s\", has type %s",
								sc, RelationGetRelationName(rel), def->states[i].name,
								format_type_be(TupleDescAttr(desc, att - 1)->atttypid)),
						 errhint("Make it timestamptz, or clear stamp_column of that state in qe.workflow_state.")));
			b->stamp_atts[i] = (AttrNumber) att;
		}

		b->frozen_atts = palloc0(sizeof(AttrNumber *) * (def->nstates + 1));
		for (int i = 0; i < def->nstates; i++)
		{
			b->frozen_atts[i] = palloc0(sizeof(AttrNumber) * (def->states[i].nfrozen + 1));
			for (int c = 0; c < def->states[i].nfrozen; c++)
			{
				int			att = SPI_fnumber(desc, def->states[i].frozen[c]);

				/* as with stamp columns, a mapped ERP table need not have it: nothing to freeze */
				b->frozen_atts[i][c] = att > 0 ? (AttrNumber) att : 0;
			}
		}

		if (wf_nbound == wf_maxbound)
		{
			int			n = wf_maxbound ? wf_maxbound * 2 : 8;
			Oid		   *r = palloc(sizeof(Oid) * n);

			if (wf_nbound)
				memcpy(r, wf_bound_relids, sizeof(Oid) * wf_nbound);
			wf_bound_relids = r;
			wf_maxbound = n;
		}
		wf_bound_relids[wf_nbound++] = nb.relid;
		b = hash_search(wf_bindings, &trig->tgoid, HASH_ENTER, &found);
		*b = nb;
	}
	MemoryContextSwitchTo(old);
	return b;
}

/* ---------------------------------------------------------------------
 * Hashes
 * ------------------------------------------------------------------- */

static void
wf_sha256(const unsigned char *data, size_t len, uint8 *out)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, out, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute SHA-256");
	pg_cryptohash_free(ctx);
}

/*
 * sha256 over the canonical encoding of the function's arguments: bytea
 * arguments as their bytes, bigint as decimal, timestamptz as microseconds
 * since 2000-01-01 UTC in decimal (independent of TimeZone and DateStyle),
 * text as its bytes.
 */
static bytea *
wf_hash_args(FunctionCallInfo fcinfo)
{
	int			n = PG_NARGS();
	const char **vals = palloc(sizeof(char *) * n);
	size_t	   *lens = palloc(sizeof(size_t) * n);
	size_t		need;
	unsigned char *buf;
	bytea	   *res;

	for (int i = 0; i < n; i++)
	{
		Oid			t = get_fn_expr_argtype(fcinfo->flinfo, i);

		if (PG_ARGISNULL(i))
		{
			vals[i] = NULL;
			lens[i] = 0;
			continue;
		}
		switch (t)
		{
			case BYTEAOID:
			case TEXTOID:
			case NAMEOID:
				if (t == NAMEOID)
				{
					vals[i] = NameStr(*PG_GETARG_NAME(i));
					lens[i] = strlen(vals[i]);
				}
				else
				{
					struct varlena *v = PG_GETARG_VARLENA_PP(i);

					vals[i] = VARDATA_ANY(v);
					lens[i] = VARSIZE_ANY_EXHDR(v);
				}
				break;
			case INT8OID:
				vals[i] = psprintf(INT64_FORMAT, PG_GETARG_INT64(i));
				lens[i] = strlen(vals[i]);
				break;
			case TIMESTAMPTZOID:
				vals[i] = psprintf(INT64_FORMAT, (int64) PG_GETARG_TIMESTAMPTZ(i));
				lens[i] = strlen(vals[i]);
				break;
			default:
				elog(ERROR, "unexpected argument type %u", t);
		}
	}
	need = wf_encode_fields(vals, lens, n, NULL, 0);
	buf = palloc(need);
	wf_encode_fields(vals, lens, n, buf, need);
	res = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	SET_VARSIZE(res, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	wf_sha256(buf, need, (uint8 *) VARDATA(res));
	return res;
}

Datum
qe_wf_audit_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(wf_hash_args(fcinfo));
}

Datum
qe_wf_signature_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(wf_hash_args(fcinfo));
}

/* ---------------------------------------------------------------------
 * Audit trail append
 * ------------------------------------------------------------------- */

static SPIPlanPtr wf_plan_sig = NULL;

static SPIPlanPtr
wf_prepare(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

	if (p == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(p) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return p;
}

static void
wf_exec_guarded(SPIPlanPtr plan, Datum *values, const char *nulls, int expect)
{
	volatile int rc = 0;

	wf_writing = true;
	PG_TRY();
	{
		rc = SPI_execute_plan(plan, values, nulls, false, 0);
	}
	PG_FINALLY();
	{
		wf_writing = false;
	}
	PG_END_TRY();
	if (rc != expect || SPI_processed != 1)
		elog(ERROR, "audit trail write failed: %s", SPI_result_code_string(rc));
}

static inline Datum
wf_text_or_null_b(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

static inline Datum
wf_text_or_null(const char *s, char *nullflag)
{
	if (s == NULL)
	{
		*nullflag = 'n';
		return (Datum) 0;
	}
	*nullflag = ' ';
	return CStringGetTextDatum(s);
}

/*
 * The audit trail is a set of hash chains, one per *stream*: the records one
 * backend appends, in the order it appends them.  A backend knows the head of
 * its own stream (the last record it wrote and its hash), so an append reads
 * nothing: no index lookup, no lock, no wait on any other writer, and no two
 * writers can ever extend the same record.  qe.verify_audit_trail() walks
 * every stream by seq.
 *
 * The head in memory must follow what commits:
 *   - top-level commit: the head is final (committed := current);
 *   - top-level abort: the records are gone (current := committed);
 *   - a subtransaction that appended and then aborted: its records are gone
 *     but the earlier ones of the transaction stay, so the stream ends at the
 *     last record that survives, which we do not keep; the next append starts
 *     a new stream.  last_subid tells whether the aborted subtree appended
 *     (subtransaction ids only grow within a transaction);
 *   - PREPARE TRANSACTION: the records commit or not in another session, so
 *     the next append starts a new stream.
 */
typedef struct WfStreamHead
{
	int64		stream;			/* 0: none; the next append starts one */
	Oid			relid;			/* the qe.audit_trail it is in (a new one after DROP / CREATE EXTENSION) */
	int32		seq;			/* seq of the last record appended */
	SubTransactionId last_subid;	/* the subtransaction that appended it */
	uint8		hash[PG_SHA256_DIGEST_LENGTH];	/* its hash */
} WfStreamHead;

/* the audit trail's relation and sequences, looked up once (qe_rel_oid) */
static QeRelOid wf_audit_rel;
static QeRelOid wf_audit_idseq;
static QeRelOid wf_audit_streamseq;

static WfStreamHead wf_head;			/* current, this transaction included */
static WfStreamHead wf_head_committed;	/* as of the last commit */
static bool wf_stream_callbacks = false;

static void
wf_stream_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
			wf_head_committed = wf_head;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			wf_head = wf_head_committed;
			break;
		case XACT_EVENT_PREPARE:
			memset(&wf_head, 0, sizeof(wf_head));
			memset(&wf_head_committed, 0, sizeof(wf_head_committed));
			break;
		default:
			break;
	}
}

static void
wf_stream_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						   SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && wf_head.stream != 0 &&
		wf_head.last_subid >= mySubid && wf_head.last_subid != InvalidSubTransactionId)
		memset(&wf_head, 0, sizeof(wf_head));
}

/* the columns of qe.audit_trail, in table order */
enum
{
	AT_ID, AT_AT, AT_TABLE, AT_KEY, AT_STREAM, AT_SEQ, AT_WORKFLOW, AT_EVENT, AT_FROM, AT_TO,
	AT_SESSION_USER, AT_CURRENT_USER, AT_REASON, AT_SIGNATURE, AT_PREV, AT_HASH, AT_NCOLS
};

/*
 * The same canonical encoding and sha256 as qe.audit_hash(prev_hash, id, at,
 * table_name, row_key, workflow, event, from_state, to_state,
 * session_user_name, current_user_name, reason, signature_id).
 */
static bytea *
wf_audit_record_hash(Datum *v, bool *isnull)
{
	static const int order[] = {AT_PREV, AT_ID, AT_AT, AT_TABLE, AT_KEY, AT_WORKFLOW, AT_EVENT,
	AT_FROM, AT_TO, AT_SESSION_USER, AT_CURRENT_USER, AT_REASON, AT_SIGNATURE};
	const int	n = lengthof(order);
	const char *vals[lengthof(order)];
	size_t		lens[lengthof(order)];
	char		digits[3][MAXINT8LEN + 1];
	int			ndigits = 0;
	size_t		need;
	unsigned char *buf;
	bytea	   *res;

	for (int i = 0; i < n; i++)
	{
		int			c = order[i];

		if (isnull[c])
		{
			vals[i] = NULL;
			lens[i] = 0;
		}
		else if (c == AT_ID || c == AT_SIGNATURE || c == AT_AT)
		{
			/* decimal; timestamptz is int64 microseconds too */
			lens[i] = pg_lltoa(DatumGetInt64(v[c]), digits[ndigits]);
			vals[i] = digits[ndigits++];
		}
		else
		{
			struct varlena *t = (struct varlena *) DatumGetPointer(v[c]);

			vals[i] = VARDATA_ANY(t);
			lens[i] = VARSIZE_ANY_EXHDR(t);
		}
	}
	need = wf_encode_fields(vals, lens, n, NULL, 0);
	buf = palloc(need);
	wf_encode_fields(vals, lens, n, buf, need);
	res = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	SET_VARSIZE(res, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	wf_sha256(buf, need, (uint8 *) VARDATA(res));
	pfree(buf);
	return res;
}

/*
 * Written directly (heap + indexes), not through SPI: it is the hot path of
 * every transition.  Users hold no INSERT privilege on qe.audit_trail; the
 * engine writes as the owner of the record would through a trigger.
 */
static SPIPlanPtr wf_plan_audit = NULL;

/* the types of qe.audit_trail's columns, in table order (AT_*) */
static const Oid wf_audit_types[] = {
	INT8OID, TIMESTAMPTZOID, TEXTOID, TEXTOID, INT8OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, INT8OID, BYTEAOID, BYTEAOID
};

/*
 * Whether qe.audit_trail is still as the extension made it: its 16 columns
 * with their types, its two CHECK constraints and ten NOT NULL columns, its
 * two guard triggers, and plain column indexes only.  Then a record is
 * written without the executor (heap insert plus CatalogTupleInsertWithInfo,
 * about a tenth of an append's cost).  A site may add columns, constraints,
 * triggers (forwarding records to a SIEM, say) or expression, partial and
 * exclusion indexes: then records go through an ordinary INSERT, which
 * honours all of them.  Never a crash, a skipped constraint or an index
 * missing an entry.
 */
static bool
wf_audit_as_made(Relation rel, CatalogIndexState indstate)
{
	/* the columns that are NOT NULL, in AT_* order */
	static const bool notnull[AT_NCOLS] = {
		true, true, true, true, true, true, false, true, false, false,
		true, true, false, false, false, true
	};
	TupleDesc	desc = RelationGetDescr(rel);
	TriggerDesc *td = rel->trigdesc;

	if (desc->natts != AT_NCOLS || desc->constr == NULL || desc->constr->num_check != 2 ||
		desc->constr->has_generated_stored || td == NULL || td->numtriggers != 2)
		return false;
	/* the same constraints and triggers, not merely as many */
	for (int i = 0; i < 2; i++)
		if (strcmp(desc->constr->check[i].ccname, "audit_trail_seq_check") != 0 &&
			strcmp(desc->constr->check[i].ccname, "audit_trail_event_check") != 0)
			return false;
	if (strcmp(desc->constr->check[0].ccname, desc->constr->check[1].ccname) == 0)
		return false;
	for (int i = 0; i < 2; i++)
		if ((strcmp(td->triggers[i].tgname, "audit_trail_append_only") != 0 &&
			 strcmp(td->triggers[i].tgname, "audit_trail_no_truncate") != 0) ||
			td->triggers[i].tgfoid != td->triggers[1 - i].tgfoid)
			return false;
	if (strcmp(td->triggers[0].tgname, td->triggers[1].tgname) == 0)
		return false;
	for (int i = 0; i < AT_NCOLS; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || a->atttypid != wf_audit_types[i] || a->atttypmod != -1 ||
			a->attnotnull != notnull[i])
			return false;
	}
	for (int i = 0; i < indstate->ri_NumIndices; i++)
	{
		IndexInfo  *ii = indstate->ri_IndexRelationInfo[i];

		if (ii->ii_Expressions != NIL || ii->ii_Predicate != NIL ||
			ii->ii_ExclusionOps != NULL ||
			!indstate->ri_IndexRelationDescs[i]->rd_index->indimmediate)
			return false;
	}
	return true;
}

/* Write one audit record (values in AT_* order). */
static void
wf_audit_insert(Relation rel, Datum *v, bool *isnull)
{
	CatalogIndexState indstate = CatalogOpenIndexes(rel);

	if (wf_audit_as_made(rel, indstate))
	{
		HeapTuple	tup = heap_form_tuple(RelationGetDescr(rel), v, isnull);

		CatalogTupleInsertWithInfo(rel, tup, indstate);
		heap_freetuple(tup);
		CatalogCloseIndexes(indstate);
		return;
	}
	CatalogCloseIndexes(indstate);
	{
		char		nulls[AT_NCOLS];
		Oid			save_user;
		int			save_sec;
		int			guc_level;

		for (int i = 0; i < AT_NCOLS; i++)
			nulls[i] = isnull[i] ? 'n' : ' ';
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (wf_plan_audit == NULL)
			wf_plan_audit = wf_prepare(
									   "INSERT INTO qe.audit_trail (id, at, table_name, row_key, stream, seq, workflow, event,"
									   "  from_state, to_state, session_user_name, current_user_name, reason, signature_id,"
									   "  prev_hash, hash)"
									   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
									   " RETURNING id, at, table_name, row_key, stream, seq, workflow, event,"
									   "  from_state, to_state, session_user_name, current_user_name, reason, signature_id,"
									   "  prev_hash, hash",
									   AT_NCOLS, (Oid *) wf_audit_types);

		/*
		 * As the trail's owner, as PostgreSQL runs foreign-key checks: users
		 * hold no privilege on the trail, whose records only the engine writes.
		 */
		GetUserIdAndSecContext(&save_user, &save_sec);
		SetUserIdAndSecContext(rel->rd_rel->relowner,
							   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);

		/*
		 * Site triggers on the trail then run as its owner: never under the
		 * caller's search_path, through which the caller could put a function
		 * of its own in place of one a trigger calls unqualified (as
		 * PostgreSQL runs maintenance commands: restricted, path pinned).
		 */
		guc_level = NewGUCNestLevel();
		(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		wf_exec_guarded(wf_plan_audit, v, nulls, SPI_OK_INSERT_RETURNING);
		AtEOXact_GUC(false, guc_level);
		SetUserIdAndSecContext(save_user, save_sec);

		/* what was stored is what was hashed: a site trigger may not change it */
		for (int i = 0; i < AT_NCOLS; i++)
		{
			bool		gotnull;
			Datum		got = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &gotnull);
			Form_pg_attribute a = TupleDescAttr(SPI_tuptable->tupdesc, i);

			if (gotnull != isnull[i] ||
				(!gotnull && !datum_image_eq(got, v[i], a->attbyval, a->attlen)))
				ereport(ERROR,
						(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
						 errmsg("qe.audit_trail stored column \"%s\" differently from the audit record written",
								NameStr(a->attname)),
						 errdetail("A trigger or a column definition on qe.audit_trail (a BEFORE INSERT trigger that changes NEW, a reduced timestamp precision) altered it, and the record's hash would no longer match."),
						 errhint("Triggers on the audit trail may read its records (AFTER INSERT) but must not change them; keep its columns' types as the extension made them.")));
		}
		SPI_finish();
	}
}

static int64
wf_audit_append(const char *table, const char *key, const char *workflow,
				const char *event, const char *from, const char *to,
				const char *reason, int64 signature_id)
{
	Oid			relid,
				idseq,
				streamseq;
	Relation	rel;
	Datum		v[AT_NCOLS];
	bool		isnull[AT_NCOLS];
	bytea	   *hash;
	int64		id;

	if (!wf_stream_callbacks)
	{
		RegisterXactCallback(wf_stream_xact_callback, NULL);
		RegisterSubXactCallback(wf_stream_subxact_callback, NULL);
		wf_stream_callbacks = true;
	}
	relid = qe_rel_oid(&wf_audit_rel, "audit_trail");
	idseq = qe_rel_oid(&wf_audit_idseq, "audit_trail_id_seq");
	streamseq = qe_rel_oid(&wf_audit_streamseq, "audit_stream_seq");

	rel = table_open(relid, RowExclusiveLock);

	memset(isnull, 0, sizeof(isnull));
	if (wf_head.relid != relid)
		wf_head.stream = 0;		/* the extension was dropped and created again: a new trail */
	if (wf_head.stream == 0)
	{
		v[AT_STREAM] = Int64GetDatum(nextval_internal(streamseq, false));
		v[AT_SEQ] = Int32GetDatum(1);
		isnull[AT_PREV] = true;
	}
	else
	{
		bytea	   *prev = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);

		if (wf_head.seq == PG_INT32_MAX)
			elog(ERROR, "audit stream " INT64_FORMAT " is full", wf_head.stream);
		SET_VARSIZE(prev, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
		memcpy(VARDATA(prev), wf_head.hash, PG_SHA256_DIGEST_LENGTH);
		v[AT_STREAM] = Int64GetDatum(wf_head.stream);
		v[AT_SEQ] = Int32GetDatum(wf_head.seq + 1);
		v[AT_PREV] = PointerGetDatum(prev);
	}

	id = nextval_internal(idseq, false);
	v[AT_ID] = Int64GetDatum(id);
	v[AT_AT] = TimestampTzGetDatum(GetCurrentTimestamp());
	v[AT_TABLE] = CStringGetTextDatum(table);
	v[AT_KEY] = CStringGetTextDatum(key);
	v[AT_WORKFLOW] = wf_text_or_null_b(workflow, &isnull[AT_WORKFLOW]);
	v[AT_EVENT] = CStringGetTextDatum(event);
	v[AT_FROM] = wf_text_or_null_b(from, &isnull[AT_FROM]);
	v[AT_TO] = wf_text_or_null_b(to, &isnull[AT_TO]);
	v[AT_SESSION_USER] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	v[AT_CURRENT_USER] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	v[AT_REASON] = wf_text_or_null_b(reason, &isnull[AT_REASON]);
	v[AT_SIGNATURE] = Int64GetDatum(signature_id);
	isnull[AT_SIGNATURE] = signature_id <= 0;
	hash = wf_audit_record_hash(v, isnull);
	v[AT_HASH] = PointerGetDatum(hash);

	/*
	 * The head of this backend's stream from now on, before the record is
	 * written: a site's trigger on the trail may make a transition itself,
	 * whose record must follow this one.  An error rolls the head back with
	 * the (sub)transaction.
	 */
	wf_head.stream = DatumGetInt64(v[AT_STREAM]);
	wf_head.relid = relid;
	wf_head.seq = DatumGetInt32(v[AT_SEQ]);
	wf_head.last_subid = GetCurrentSubTransactionId();
	memcpy(wf_head.hash, VARDATA(hash), PG_SHA256_DIGEST_LENGTH);

	wf_audit_insert(rel, v, isnull);
	table_close(rel, NoLock);
	return id;
}

/* ---------------------------------------------------------------------
 * qe.enforce_workflow()
 * ------------------------------------------------------------------- */

/* true while a dump is being restored: then rows and audit records come from the dump */
static bool
wf_restoring(void)
{
	const char *r;
	bool		on;

	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return true;
	r = GetConfigOption("quality_escape.restoring", true, false);
	if (r != NULL && parse_bool(r, &on) && on)
	{
		/*
		 * The session's user, not the current one: inside a superuser's
		 * SECURITY DEFINER function anyone would otherwise pass.
		 */
		if (!superuser_arg(GetSessionUserId()) || !superuser())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("quality_escape.restoring = on is honoured for superusers only"),
					 errhint("Restore as a superuser, or RESET quality_escape.restoring.")));
		return true;
	}
	return false;
}

static const char *
wf_reason(void)
{
	const char *r = GetConfigOption("quality_escape.reason", true, false);

	if (r == NULL || r[0] == '\0')
		return NULL;
	/* a value given at connection time (PGOPTIONS) is not checked by the server */
	if (!pg_verifymbstr(r, strlen(r), true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("quality_escape.reason is not valid text in the database encoding"),
				 errhint("Set the reason with SET LOCAL quality_escape.reason = '...' (checked against client_encoding), not through connection options.")));
	return r;
}

/* the text of a value, as the state machine compares it */
static char *
wf_value_text(Datum d, Oid out, Oid type)
{
	char	   *s = OidOutputFunctionCall(out, d);

	if (type == BPCHAROID)
	{
		size_t		l = strlen(s);

		while (l > 0 && s[l - 1] == ' ')
			s[--l] = '\0';
	}
	return s;
}

static char *
wf_row_key(WfBinding *b, HeapTuple tup, TupleDesc desc)
{
	const char **vals = palloc(sizeof(char *) * b->nkeys);
	size_t		need;
	char	   *buf;

	int			guc_level = -1;

	/*
	 * Keys whose text follows session settings (dates and times, floats,
	 * money) are written under fixed ones, so one row keeps one key however
	 * its sessions are set up.
	 */
	if (b->key_settings_dependent)
	{
		guc_level = NewGUCNestLevel();
		(void) set_config_option("datestyle", "ISO, YMD", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("intervalstyle", "postgres", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("timezone", "UTC", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("extra_float_digits", "1", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("lc_monetary", "C", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("bytea_output", "hex", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		(void) set_config_option("search_path", "pg_catalog", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);	/* reg* types: qualified names */
	}
	for (int k = 0; k < b->nkeys; k++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, b->key_atts[k], desc, &isnull);

		vals[k] = isnull ? NULL : OidOutputFunctionCall(b->key_out[k], d);
	}
	if (guc_level >= 0)
		AtEOXact_GUC(true, guc_level);
	need = wf_compose_key(vals, b->nkeys, NULL, 0);
	buf = palloc(need + 1);
	wf_compose_key(vals, b->nkeys, buf, need + 1);
	return buf;
}

static void
wf_append_state_list(StringInfo s, const WfDef *def, int from)
{
	int		   *next = palloc(sizeof(int) * (def->nstates + 1));
	int			n = wf_next_states(def, from, next, def->nstates + 1);

	if (n == 0)
		appendStringInfoString(s, "none");
	for (int i = 0; i < n && i <= def->nstates; i++)
		appendStringInfo(s, "%s%s", i ? ", " : "", def->states[next[i]].name);
	pfree(next);
}

/* Run a gate's check function on the new row; NULL = passed, else its explanation. */
static char *
wf_run_check(const WfDef *def, const WfTransition *x, HeapTuple newtup, TupleDesc desc)
{
	HeapTuple	pt = SearchSysCache1(PROCOID, ObjectIdGetDatum(x->check_fn));
	Form_pg_proc p;
	Oid			rettype;
	FmgrInfo	fl;
	Datum		row,
				json,
				jb,
				res;

	LOCAL_FCINFO(cf, 1);

	if (!HeapTupleIsValid(pt))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("check function %u of workflow \"%s\" (%s -> %s) does not exist",
						x->check_fn, def->name, def->states[x->from].name, def->states[x->to].name),
				 errhint("Set check_function of that row of qe.workflow_transition to an existing function(jsonb) or to NULL.")));
	p = (Form_pg_proc) GETSTRUCT(pt);
	rettype = p->prorettype;
	if (p->pronargs != 1 || p->proargtypes.values[0] != JSONBOID ||
		(rettype != TEXTOID && rettype != BOOLOID) || p->proretset)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("check function %s of workflow \"%s\" must take (jsonb) and return text or boolean",
						format_procedure(x->check_fn), def->name),
				 errhint("Give the transition a function f(row jsonb) returning NULL or true to pass, or text saying what is missing.")));
	ReleaseSysCache(pt);

	row = heap_copy_tuple_as_datum(newtup, desc);
	json = DirectFunctionCall1(row_to_json, row);
	jb = DirectFunctionCall1(jsonb_in, CStringGetDatum(text_to_cstring(DatumGetTextPP(json))));

	fmgr_info(x->check_fn, &fl);
	InitFunctionCallInfoData(*cf, &fl, 1, InvalidOid, NULL, NULL);
	cf->args[0].value = jb;
	cf->args[0].isnull = false;
	res = FunctionCallInvoke(cf);
	if (cf->isnull)
		return NULL;
	if (rettype == BOOLOID)
		return DatumGetBool(res) ? NULL : psprintf("%s returned false", format_procedure(x->check_fn));
	return text_to_cstring(DatumGetTextPP(res));
}

static void
wf_check_trigger_context(FunctionCallInfo fcinfo)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("qe.enforce_workflow() must be called as a trigger"),
				 errhint("CREATE TRIGGER ... BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('workflow', 'state_column')")));
	/*
	 * Only a trigger that sees every inserted and updated row can enforce a
	 * workflow: BEFORE INSERT OR UPDATE, FOR EACH ROW, no column list (UPDATE
	 * OF note would let the state change unseen) and no WHEN condition.
	 */
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) ||
		!(td->tg_trigger->tgtype & TRIGGER_TYPE_INSERT) || !(td->tg_trigger->tgtype & TRIGGER_TYPE_UPDATE) ||
		td->tg_trigger->tgnattr != 0 || td->tg_trigger->tgqual != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on %s must be BEFORE INSERT OR UPDATE ... FOR EACH ROW, without a column list or WHEN, to enforce a workflow",
						td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation)),
				 errhint("Recreate it: CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON ... FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow(...)",
						 quote_identifier(td->tg_trigger->tgname))));
}

/* whether the statement writes column att: non-null on INSERT, changed on UPDATE */
static bool
wf_column_written(TriggerData *td, bool is_update, HeapTuple newtup, TupleDesc desc, AttrNumber att)
{
	Form_pg_attribute a = TupleDescAttr(desc, att - 1);
	bool		newnull,
				oldnull;
	Datum		nv = heap_getattr(newtup, att, desc, &newnull);
	Datum		ov;

	if (!is_update)
		return !newnull;
	ov = heap_getattr(td->tg_trigtuple, att, desc, &oldnull);
	return oldnull != newnull || (!oldnull && !datum_image_eq(ov, nv, a->attbyval, a->attlen));
}

/*
 * A column frozen both in the state a row leaves and in the state it enters
 * (the same state when the UPDATE leaves the state alone) keeps its value:
 * what the gate into the first approved does not change on the way.
 */
static void
wf_check_frozen(TriggerData *td, WfBinding *b, int from, int to, HeapTuple newtup, TupleDesc desc)
{
	const WfDef *def = b->def;
	const WfState *sf = &def->states[from];
	const WfState *st = &def->states[to];

	for (int c = 0; c < sf->nfrozen; c++)
	{
		bool		in_to = from == to;

		if (b->frozen_atts[from][c] == 0)
			continue;			/* the table has no such column */
		for (int e = 0; !in_to && e < st->nfrozen; e++)
			in_to = strcmp(sf->frozen[c], st->frozen[e]) == 0;
		if (in_to && wf_column_written(td, true, newtup, desc, b->frozen_atts[from][c]))
		{
			char	   *key = wf_row_key(b, td->tg_trigtuple, desc);

			if (from == to)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("workflow \"%s\" refuses %s row %s: column \"%s\" is frozen in state \"%s\"",
								def->name, b->relname, key, sf->frozen[c], sf->name),
						 errdetail("What the gate into \"%s\" approved cannot change while the row is in it; the row stays as it was.",
								   sf->name),
						 errhint("Move the record back through the workflow to a state where it may change (allowed next states: see qe.workflow_graph)."),
						 errtable(td->tg_relation)));
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("workflow \"%s\" refuses %s row %s: column \"%s\" is frozen in \"%s\" and in \"%s\"",
							def->name, b->relname, key, sf->frozen[c], sf->name, st->name),
					 errdetail("What the gate into \"%s\" approved cannot change on the way to \"%s\"; the row stays as it was.",
							   sf->name, st->name),
					 errhint("Change it in a state that does not freeze it."),
					 errtable(td->tg_relation)));
		}
	}
}

Datum
qe_wf_enforce_workflow(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	bool		is_update;
	HeapTuple	newtup;
	TupleDesc	desc;
	WfBinding  *b;
	const WfDef *def;
	bool		isnull;
	Datum		d;
	char	   *newstate = NULL;
	char	   *oldstate = NULL;
	int			from = -1,
				to,
				xi = -1,
				cx;
	const WfTransition *x = NULL;
	const char *gate_from;		/* the gate's from-state, for messages */
	StringInfoData missing;
	int			nmissing = 0;
	bool		role_ok = true;
	char	   *check_msg = NULL;
	WfVerdict	v;
	char	   *key;

	wf_check_trigger_context(fcinfo);
	is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	newtup = is_update ? td->tg_newtuple : td->tg_trigtuple;
	desc = RelationGetDescr(td->tg_relation);

	if (wf_restoring())
		return PointerGetDatum(newtup);

	b = wf_bind(td);
	def = b->def;

	/*
	 * A record keeps its key: its audit records and signatures are filed
	 * under it, and a new key would hand them to another record (swap two
	 * NCRs' ids and one NCR gets the other's MRB approvals).
	 */
	if (is_update)
		for (int k = 0; k < b->nkeys; k++)
			if (wf_column_written(td, true, newtup, desc, b->key_atts[k]))
				ereport(ERROR,
						(errcode(ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION),
						 errmsg("workflow \"%s\": the key of %s row %s cannot change",
								def->name, b->relname, wf_row_key(b, td->tg_trigtuple, desc)),
						 errdetail("Its audit records and signatures are filed under that key; the new key would be %s.",
								   wf_row_key(b, newtup, desc)),
						 errhint("Keep the key of a record under a workflow; insert a new record for a new key."),
						 errtable(td->tg_relation)));

	/* the stamp columns are the engine's: set on entry to their state, by it alone */
	for (int i = 0; i < def->nstates; i++)
		if (b->stamp_atts[i] > 0 && wf_column_written(td, is_update, newtup, desc, b->stamp_atts[i]))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("workflow \"%s\": column \"%s\" of %s is stamped by the workflow on entry to state \"%s\"",
							def->name, def->states[i].stamp_column, b->relname, def->states[i].name),
					 errdetail("Only the workflow writes it; the row stays as it was."),
					 is_update ? errhint("Leave the column out of the UPDATE.")
					 : errhint("Leave the column out of the INSERT. To restore a dump, restore as a superuser with PGOPTIONS='-c quality_escape.restoring=on'."),
					 errtable(td->tg_relation)));

	d = heap_getattr(newtup, b->state_att, desc, &isnull);
	if (!isnull)
		newstate = wf_value_text(d, b->state_out, b->state_type);
	if (is_update)
	{
		d = heap_getattr(td->tg_trigtuple, b->state_att, desc, &isnull);
		if (!isnull)
			oldstate = wf_value_text(d, b->state_out, b->state_type);
		if ((oldstate == NULL && newstate == NULL) ||
			(oldstate != NULL && newstate != NULL && strcmp(oldstate, newstate) == 0))
		{
			/*
			 * The state does not change: nothing to judge but the columns
			 * the state freezes (what its entry gate approved).
			 */
			int			cur = oldstate ? wf_state_index(def, oldstate, strlen(oldstate)) : -1;

			if (cur >= 0)
				wf_check_frozen(td, b, cur, cur, newtup, desc);
			return PointerGetDatum(newtup);
		}
		if (oldstate != NULL)
			from = wf_state_index(def, oldstate, strlen(oldstate));
	}
	key = wf_row_key(b, newtup, desc);
	gate_from = oldstate;

	if (newstate == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("workflow \"%s\": %s of %s row %s must not be null",
						def->name, NameStr(TupleDescAttr(desc, b->state_att - 1)->attname), b->relname, key),
				 errhint("Set the state to one of the workflow's states; SELECT * FROM qe.workflow_graph lists them."),
				 errtable(td->tg_relation)));
	to = wf_state_index(def, newstate, strlen(newstate));

	if (is_update && from >= 0 && to >= 0)
		wf_check_frozen(td, b, from, to, newtup, desc);

	initStringInfo(&missing);
	if (to >= 0)
	{
		if (!is_update)
		{
			xi = def->states[to].initial ? 0 : -1;
			if (xi == 0 && (cx = wf_creation_gate(def, to)) >= 0)
			{
				x = &def->transitions[cx];
				gate_from = def->states[x->from].name;
			}
		}
		else if (from >= 0)
		{
			xi = wf_find_transition(def, from, to);
			x = xi >= 0 ? &def->transitions[xi] : NULL;
		}
	}
	if (x != NULL)
	{
		for (int c = 0; c < x->ncolumns; c++)
		{
			int			att = SPI_fnumber(desc, x->columns[c]);

			if (att <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("workflow \"%s\" requires column \"%s\" for %s -> %s, but %s has no such column",
								def->name, x->columns[c], gate_from, newstate, b->relname),
						 errhint("Add the column, or remove it from required_columns in qe.workflow_transition.")));
			if (heap_attisnull(newtup, att, desc))
			{
				appendStringInfo(&missing, "%s%s", nmissing ? ", " : "", x->columns[c]);
				nmissing++;
			}
		}
		if (x->role != NULL)
		{
			Oid			r = get_role_oid(x->role, true);

			role_ok = OidIsValid(r) && has_privs_of_role(GetUserId(), r);
		}
		if (OidIsValid(x->check_fn) && role_ok)
			check_msg = wf_run_check(def, x, newtup, desc);
	}

	v = wf_verdict(xi >= 0, nmissing, role_ok, check_msg == NULL);
	if (v != WF_ALLOWED)
	{
		StringInfoData detail,
					hint;

		initStringInfo(&detail);
		initStringInfo(&hint);
		if (v == WF_NOT_A_TRANSITION)
		{
			if (to < 0)
				appendStringInfo(&detail, "\"%s\" is not a state of workflow \"%s\".", newstate, def->name);
			else if (!is_update)
				appendStringInfo(&detail, "A new row must start in an initial state.");
			else if (from < 0)
				appendStringInfo(&detail, "The current state \"%s\" is not a state of workflow \"%s\".",
								 oldstate ? oldstate : "NULL", def->name);
			else
				appendStringInfo(&detail, "There is no transition from \"%s\" to \"%s\".", oldstate, newstate);
		}
		else
		{
			if (!is_update)
				appendStringInfo(&detail, "Created in \"%s\", it must pass the gate of \"%s\" -> \"%s\". ",
								 newstate, gate_from, newstate);
			appendStringInfoString(&detail, "Missing:");
			if (nmissing)
				appendStringInfo(&detail, " column%s %s;", nmissing > 1 ? "s" : "", missing.data);
			if (!role_ok)
				appendStringInfo(&detail, " role %s (current user %s is not a member);",
								 x->role, GetUserNameFromId(GetUserId(), false));
			if (check_msg)
				appendStringInfo(&detail, " %s: %s;", format_procedure(x->check_fn), check_msg);
			detail.data[detail.len - 1] = '.';
		}
		if (!is_update)
		{
			appendStringInfoString(&hint, "Initial states: ");
			wf_append_state_list(&hint, def, -1);
		}
		else
		{
			appendStringInfo(&hint, "Allowed next states from \"%s\": ", oldstate ? oldstate : "NULL");
			if (from >= 0)
				wf_append_state_list(&hint, def, from);
			else
				appendStringInfoString(&hint, "none");
		}
		appendStringInfoChar(&hint, '.');
		if (!is_update && to >= 0 && !def->states[to].initial)
			appendStringInfoString(&hint, " To restore a dump, restore as a superuser with PGOPTIONS='-c quality_escape.restoring=on'.");

		ereport(ERROR,
				(errcode(v == WF_ROLE_MISSING ? ERRCODE_INSUFFICIENT_PRIVILEGE : ERRCODE_CHECK_VIOLATION),
				 is_update
				 ? errmsg("workflow \"%s\" refuses %s row %s: \"%s\" -> \"%s\"",
						  def->name, b->relname, key, oldstate ? oldstate : "NULL", newstate)
				 : errmsg("workflow \"%s\" refuses new %s row %s in state \"%s\"",
						  def->name, b->relname, key, newstate),
				 errdetail_internal("%s", detail.data),
				 errhint("%s", hint.data),
				 errtable(td->tg_relation)));
	}

	/* accepted: stamp the entry time, then write the audit record */
	if (b->stamp_atts[to] > 0)
	{
		int			col = b->stamp_atts[to];
		Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		bool		nnull = false;

		newtup = heap_modify_tuple_by_cols(newtup, desc, 1, &col, &now, &nnull);
	}

	if (def->audit)
		wf_audit_append(b->relname, key, def->name, is_update ? "transition" : "create",
						oldstate, newstate, wf_reason(), 0);

	return PointerGetDatum(newtup);
}

/* ---------------------------------------------------------------------
 * Definition tables: tell every backend to reload
 * ------------------------------------------------------------------- */

Datum
qe_wf_definition_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) ||
		!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("qe.workflow_definition_changed() must be an AFTER ... FOR EACH STATEMENT trigger"),
				 errhint("The extension installs it on its definition tables; it is not meant for other tables.")));
	/* transactional: other backends see it at commit, this one at the next command */
	CacheInvalidateRelcacheByRelid(RelationGetRelid(td->tg_relation));
	return PointerGetDatum(NULL);
}

/* ---------------------------------------------------------------------
 * Append-only guard of qe.audit_trail and qe.signature
 * ------------------------------------------------------------------- */

Datum
qe_wf_append_only_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *what;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("qe.append_only_guard() must be a BEFORE trigger"),
				 errhint("CREATE TRIGGER ... BEFORE UPDATE OR DELETE ON ... FOR EACH ROW EXECUTE FUNCTION qe.append_only_guard().")));

	/* the engine's own writes, and superusers (restores, documented bypass) */
	if (wf_writing || superuser())
	{
		if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
			return PointerGetDatum(NULL);
		return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple);
	}
	what = TRIGGER_FIRED_BY_INSERT(td->tg_event) ? "INSERT" :
		TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "UPDATE" :
		TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "DELETE" : "TRUNCATE";
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("rows of %s are written only by the workflow engine",
						RelationGetRelationName(td->tg_relation)),
				 errhint("Change the state of a record through its workflow, or sign with qe.sign().")));
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s is append-only: %s refused", RelationGetRelationName(td->tg_relation), what),
			 errdetail("Audit records and electronic signatures cannot be altered or removed; only a superuser can, and qe.verify_audit_trail() then shows the broken link."),
			 errhint("Correct a record by a new transition or signature with a reason (SET LOCAL quality_escape.reason = '...').")));
	PG_RETURN_NULL();
}

/* ---------------------------------------------------------------------
 * qe.sign(record regclass, row_key text, meaning text, signed_as name, reason text)
 * ------------------------------------------------------------------- */

/*
 * The signer is current_user, and a Part 11 signature must name the person
 * who signs (21 CFR 11.50, 11.100: unique to one individual).  Refused:
 *   - inside a SECURITY DEFINER function (or any other operation that runs
 *     as another role): current_user is then the function's owner, whoever
 *     called it;
 *   - a current_user that cannot log in: a group (qe_mrb after SET ROLE
 *     qe_mrb), which would be recorded as the signer and counted once for
 *     all its members at the MRB gate.
 * A login role may still SET ROLE to another login role it is a member of
 * (a connection pool's account to the person it serves, say); both names
 * are recorded (signer and session_user_name).
 */
static void
wf_check_signer_is_person(Oid signer)
{
	HeapTuple	tup;
	bool		can_login;

	if (InLocalUserIdChange() || InSecurityRestrictedOperation())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("qe.sign cannot be called by a function that runs as another role"),
				 errdetail("The signer is current_user, here role \"%s\", the owner of a SECURITY DEFINER function (or of the object being maintained), not the person who called it.",
						   GetUserNameFromId(signer, false)),
				 errhint("Call qe.sign directly as the person signing, not from a SECURITY DEFINER function.")));
	tup = SearchSysCache1(AUTHOID, ObjectIdGetDatum(signer));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for role %u", signer);
	can_login = ((Form_pg_authid) GETSTRUCT(tup))->rolcanlogin;
	ReleaseSysCache(tup);
	if (!can_login)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" cannot sign: it cannot log in, so it is a group, not a person",
						GetUserNameFromId(signer, false)),
				 errdetail("The signer is current_user, and an electronic signature must name the individual who signs."),
				 errhint("Sign as yourself (RESET ROLE after SET ROLE) and pass the group role as signed_as.")));
}

Datum
qe_wf_sign(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *key,
			   *meaning,
			   *reason,
			   *table;
	const char *signed_as;
	Oid			role;
	int64		id;
	Datum		v[8];
	char		n[9] = "        ";
	bool		isnull;

	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("qe.sign needs the record, its key, the meaning and the role signed as"),
					 errhint("SELECT qe.sign('qe.ncr', '42', 'approved', 'qe_mrb', 'reason')")));
	relid = PG_GETARG_OID(0);
	key = text_to_cstring(PG_GETARG_TEXT_PP(1));
	meaning = text_to_cstring(PG_GETARG_TEXT_PP(2));
	signed_as = NameStr(*PG_GETARG_NAME(3));
	reason = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));

	if (strcmp(meaning, "authored") != 0 && strcmp(meaning, "reviewed") != 0 &&
		strcmp(meaning, "approved") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signature meaning must be authored, reviewed or approved, got \"%s\"", meaning),
				 errhint("21 CFR 11.50 asks each signature to say what it means: pass 'authored', 'reviewed' or 'approved'.")));
	if (get_rel_name(relid) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid),
				 errhint("Pass the signed record's table, e.g. 'qe.ncr'.")));
	wf_check_signer_is_person(GetUserId());
	role = get_role_oid(signed_as, true);
	if (!OidIsValid(role))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", signed_as),
				 errhint("Sign as one of your roles, e.g. qe_mrb or qe_design_authority.")));
	if (!has_privs_of_role(GetUserId(), role))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s cannot sign as %s: not a member of that role",
						GetUserNameFromId(GetUserId(), false), signed_as),
				 errhint("Ask an administrator to GRANT %s to you, or have a member of it sign.", signed_as)));
	table = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (wf_plan_sig == NULL)
	{
		Oid			types[8] = {TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

		wf_plan_sig = wf_prepare(
								 "INSERT INTO qe.signature (id, signed_at, table_name, row_key, meaning, signer,"
								 "  session_user_name, signed_as, reason, hash)"
								 " SELECT n.id, $1, $2, $3, $4, $5, $6, $7, $8,"
								 "        qe.signature_hash(n.id, $2, $3, $4, $5, $7, $1, $6, $8)"
								 "   FROM (SELECT pg_catalog.nextval('qe.signature_id_seq'::pg_catalog.regclass)) n(id)"
								 " RETURNING id", 8, types);
	}
	v[0] = TimestampTzGetDatum(GetCurrentTimestamp());
	v[1] = CStringGetTextDatum(table);
	v[2] = CStringGetTextDatum(key);
	v[3] = CStringGetTextDatum(meaning);
	v[4] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	v[5] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	v[6] = CStringGetTextDatum(signed_as);
	v[7] = wf_text_or_null(reason, &n[7]);
	wf_exec_guarded(wf_plan_sig, v, n, SPI_OK_INSERT_RETURNING);
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	wf_audit_append(table, key, NULL, "signature", NULL, meaning, reason, id);
	SPI_finish();
	PG_RETURN_INT64(id);
}
