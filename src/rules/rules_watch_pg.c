/*
 * rules_watch_pg.c: qe.spc_watch, the real-time signal trigger.
 *
 *   CREATE TRIGGER t AFTER INSERT ON my.measurement FOR EACH ROW
 *     EXECUTE FUNCTION qe.spc_watch('char_col', 'value_col' [, 'time_col' [, 'key_col']]);
 *
 * For each inserted row whose characteristic has a row in qe.spc_limits, the
 * trigger locks the characteristic's qe.spc_state row (SELECT ... FOR UPDATE:
 * concurrent inserters of one characteristic are serialised, so the runs
 * never fork), continues the streaming state stored there with the new
 * value against the limits, writes the state back,
 * records one qe.spc_signal row per failing test and sends one NOTIFY on the
 * channel 'qe_spc_signal' with a JSON payload.  AFTER ROW triggers fire in
 * insertion order and each firing sees the previous one's update, so a
 * batch INSERT gives exactly the signals of the same rows inserted one by
 * one.  Rows with a NULL characteristic or value, or a characteristic with
 * no limits, are ignored.
 *
 * Cached: the three SPI plans (per backend, SPI_keepplan) and the column
 * numbers and types (per statement, in fn_extra).
 *
 * Row-level batching.  AFTER ROW triggers fire at the end of their statement,
 * inside ExecutorFinish; the library hooks ExecutorFinish and counts how
 * deep it is.  The first row of a characteristic in a statement locks and
 * loads its state (a "batch"), later rows push into it in memory, and the
 * hook writes the statement's batches back when its ExecutorFinish returns:
 * one read and one write per characteristic and statement.  Both trigger
 * forms (row and statement level) push into the same batch, so there is
 * only ever one copy of a characteristic's runs.  Triggers that fire outside
 * an executor (COPY, SET CONSTRAINTS) batch at depth 0 and are written back
 * when that utility statement returns (a ProcessUtility hook); deferred
 * triggers at commit, just before it (repeating while that queues more).  In
 * the one statement during which a session loads the library, depth-0 points
 * inside a transaction block are written back one at a time.  Nothing is
 * written from a subtransaction later than the one a batch or signal was
 * opened in; a subtransaction that pushes into a batch opened outside it
 * saves the runs first, and its rollback restores them.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "tcop/utility.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "common/qe_pg.h"
#include "rules/rules_pg.h"

PG_FUNCTION_INFO_V1(qe_rules_spc_watch);

#define WATCH_CHANNEL "qe_spc_signal"
/* NOTIFY payloads must be shorter than this (async.c) */
#define WATCH_PAYLOAD_MAX (BLCKSZ - NAMEDATALEN - 128)

typedef struct WatchCache
{
	Oid			tgoid;
	int			char_att;
	int			value_att;
	int			time_att;		/* 0: none */
	int			key_att;		/* 0: row reference is the ctid */
	Oid			value_type;
	Oid			time_type;
	bool		char_in_place;	/* text / varchar / char(n): the key is the stored bytes */
	bool		char_trim;		/* char(n): without its trailing blanks, as char(n) compares */
	char	   *trigger_name;
	FmgrInfo	char_out;
	FmgrInfo	key_out;
	char	   *table_name;		/* schema-qualified, quoted as needed */
} WatchCache;

static SPIPlanPtr plan_select = NULL;	/* by characteristic (index) */
static SPIPlanPtr plan_select_tid = NULL;	/* by the last known ctid */
static SPIPlanPtr plan_update = NULL;	/* by ctid */
static SPIPlanPtr plan_lock_limits = NULL;
static SPIPlanPtr plan_state_exists = NULL;
static SPIPlanPtr plan_new_state = NULL;

/*
 * Where each characteristic's qe.spc_state row was last written by this
 * backend.  Updating one row many times in one transaction leaves a chain of
 * versions that nothing can prune before commit; looking it up through the
 * primary key walks that chain, so a batch would cost O(n^2).  Going straight
 * to the newest version by ctid keeps every row O(1).  The ctid is only a
 * hint: the query re-checks the characteristic and visibility, and falls
 * back to the index when the hint is stale (rollback, another session's
 * update, VACUUM); the state itself is always read from the table.
 *
 * A hint serves only the transaction that wrote it.  A later transaction
 * goes through the index: an index fetch prunes the page of the versions
 * no one can see any more (a fetch by ctid never does), which leaves room
 * for the next update to be HOT.  Hints kept across transactions let the
 * page fill with dead versions: two updates in three then went to a new
 * page with a new index entry, and the index grew with every transaction.
 */
typedef struct WatchTidEntry
{
	uint64		key;			/* hash of the characteristic */
	ItemPointerData tid;
	LocalTransactionId lxid;	/* of the transaction that wrote it */
} WatchTidEntry;

static HTAB *watch_tids = NULL;

#define WATCH_TIDS_MAX 65536

static WatchTidEntry *
watch_tid_entry(const char *characteristic, bool create)
{
	uint64		key = hash_bytes_extended((const unsigned char *) characteristic,
										  (int) strlen(characteristic), 0);
	bool		found;
	WatchTidEntry *e;

	if (watch_tids == NULL ||
		(create && hash_get_num_entries(watch_tids) >= WATCH_TIDS_MAX))
	{
		HASHCTL		ctl;

		if (watch_tids != NULL)
			hash_destroy(watch_tids);
		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(WatchTidEntry);
		watch_tids = hash_create("qe.spc_watch ctid hints", 256, &ctl,
								 HASH_ELEM | HASH_BLOBS);
	}
	e = (WatchTidEntry *) hash_search(watch_tids, &key, create ? HASH_ENTER : HASH_FIND, &found);
	if (create && !found)
		ItemPointerSetInvalid(&e->tid);
	return e;
}
static SPIPlanPtr plan_signal = NULL;

typedef struct WatchPoint
{
	char	   *characteristic;
	char	   *table_name;
	char	   *row_ref;		/* NULL: none */
	double		x;
	TimestampTz t;
	bool		t_null;
	uint32		bits;
	int64		ids[RULES_NTESTS];	/* signal ids of the failed tests, in test order */
	SubTransactionId subid;
	int			depth;			/* of its characteristic's batch: written with it */
	int			ulevel;			/* and its utility level (depth 0) */
} WatchPoint;

static WatchPoint *watch_points = NULL;	/* in TopTransactionContext */
static int	watch_npoints = 0;
static int	watch_maxpoints = 0;
static QeRelOid watch_signal_seq;	/* qe.spc_signal_signal_id_seq */

static void watch_signals_subabort(SubTransactionId mySubid);
static void watch_signals_flush(int depth, int min_ulevel);

static int
watch_column(Relation rel, const char *trigname, const char *name, const char *role)
{
	int			att = SPI_fnumber(RelationGetDescr(rel), name);

	if (att == SPI_ERROR_NOATTRIBUTE || att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("trigger \"%s\": %s column \"%s\" does not exist in table \"%s\"",
						trigname, role, name, RelationGetRelationName(rel)),
				 errhint("The arguments of qe.spc_watch are (characteristic column, value column [, time column [, key column]]), as column names spelled as in the table (case-sensitive).")));
	return att;
}

static WatchCache *
watch_setup(FunctionCallInfo fcinfo, TriggerData *td)
{
	WatchCache *wc = (WatchCache *) fcinfo->flinfo->fn_extra;
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;
	Oid			outfn;
	bool		varlena;

	if (wc != NULL && wc->tgoid == tg->tgoid)
		return wc;

	if (tg->tgnargs < 2 || tg->tgnargs > 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger \"%s\": qe.spc_watch takes 2 to 4 arguments, got %d",
						tg->tgname, tg->tgnargs),
				 errhint("EXECUTE FUNCTION qe.spc_watch('characteristic_column', 'value_column' [, 'time_column' [, 'key_column']]).")));

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	wc = palloc0(sizeof(WatchCache));
	wc->tgoid = tg->tgoid;
	wc->trigger_name = pstrdup(tg->tgname);
	wc->char_att = watch_column(rel, tg->tgname, tg->tgargs[0], "characteristic");
	wc->value_att = watch_column(rel, tg->tgname, tg->tgargs[1], "value");
	if (tg->tgnargs > 2 && tg->tgargs[2][0] != '\0')
		wc->time_att = watch_column(rel, tg->tgname, tg->tgargs[2], "time");
	if (tg->tgnargs > 3 && tg->tgargs[3][0] != '\0')
		wc->key_att = watch_column(rel, tg->tgname, tg->tgargs[3], "key");

	wc->value_type = getBaseType(TupleDescAttr(desc, wc->value_att - 1)->atttypid);
	switch (wc->value_type)
	{
		case FLOAT8OID:
		case FLOAT4OID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("trigger \"%s\": value column \"%s\" has type %s, which is not a number",
							tg->tgname, tg->tgargs[1], format_type_be(wc->value_type)),
					 errhint("The value column must be double precision, real, numeric, smallint, integer or bigint.")));
	}
	if (wc->time_att)
	{
		wc->time_type = getBaseType(TupleDescAttr(desc, wc->time_att - 1)->atttypid);
		if (wc->time_type != TIMESTAMPTZOID && wc->time_type != TIMESTAMPOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("trigger \"%s\": time column \"%s\" has type %s",
							tg->tgname, tg->tgargs[2], format_type_be(wc->time_type)),
					 errhint("The time column must be timestamp with time zone or timestamp; pass '' to record no time.")));
	}
	getTypeOutputInfo(TupleDescAttr(desc, wc->char_att - 1)->atttypid, &outfn, &varlena);
	fmgr_info_cxt(outfn, &wc->char_out, fcinfo->flinfo->fn_mcxt);
	{
		Oid			ct = getBaseType(TupleDescAttr(desc, wc->char_att - 1)->atttypid);

		wc->char_in_place = ct == TEXTOID || ct == VARCHAROID || ct == BPCHAROID;
		wc->char_trim = ct == BPCHAROID;
	}
	if (wc->key_att)
	{
		getTypeOutputInfo(TupleDescAttr(desc, wc->key_att - 1)->atttypid, &outfn, &varlena);
		fmgr_info_cxt(outfn, &wc->key_out, fcinfo->flinfo->fn_mcxt);
	}
	wc->table_name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												RelationGetRelationName(rel));
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = wc;
	return wc;
}

static double
value_to_double(Datum d, Oid type)
{
	switch (type)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case FLOAT4OID:
			return (double) DatumGetFloat4(d);
		case INT2OID:
			return (double) DatumGetInt16(d);
		case INT4OID:
			return (double) DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		default:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
}

static SPIPlanPtr
keep_plan(const char *sql, int nargs, Oid *types)
{
	SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

	if (p == NULL)
		elog(ERROR, "qe.spc_watch: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(p) != 0)
		elog(ERROR, "qe.spc_watch: SPI_keepplan failed");
	return p;
}

#define WATCH_SELECT \
	"SELECT l.center, l.sigma, l.config, s.state, s.ctid, s.characteristic " \
	"FROM qe.spc_state s JOIN qe.spc_limits l " \
	"ON l.characteristic OPERATOR(pg_catalog.=) s.characteristic "

static void
prepare_plans(void)
{
	if (plan_select == NULL)
	{
		Oid			t[1] = {TEXTOID};

		plan_select = keep_plan(WATCH_SELECT
								"WHERE s.characteristic OPERATOR(pg_catalog.=) $1 "
								"FOR UPDATE OF s", 1, t);
	}
	if (plan_select_tid == NULL)
	{
		Oid			t[2] = {TEXTOID, TIDOID};

		/*
		 * By ctid alone, so that the plan is a TID scan: with a condition on
		 * the characteristic too the planner may take the primary key and
		 * walk the row's chain of versions, the very cost the hint avoids.
		 * The caller checks that the row is still the characteristic's.
		 */
		plan_select_tid = keep_plan(WATCH_SELECT
									"WHERE s.ctid OPERATOR(pg_catalog.=) $2 "
									"FOR UPDATE OF s", 2, t);
	}
	if (plan_lock_limits == NULL)
	{
		Oid			t[1] = {TEXTOID};

		/*
		 * A transaction-level advisory lock on the characteristic, taken
		 * only if it has limits: row locks would need UPDATE on qe.spc_limits,
		 * which people who record measurements should not hold.
		 */
		plan_lock_limits = keep_plan(
			"SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('qe.spc_state'), "
			"pg_catalog.hashtext($1)) FROM qe.spc_limits "
			"WHERE characteristic OPERATOR(pg_catalog.=) $1", 1, t);
	}
	if (plan_state_exists == NULL)
	{
		Oid			t[1] = {TEXTOID};

		plan_state_exists = keep_plan(
			"SELECT 1 FROM qe.spc_state WHERE characteristic OPERATOR(pg_catalog.=) $1", 1, t);
	}
	if (plan_new_state == NULL)
	{
		Oid			t[1] = {TEXTOID};

		plan_new_state = keep_plan(
			"INSERT INTO qe.spc_state (characteristic) VALUES ($1)", 1, t);
	}
	if (plan_update == NULL)
	{
		Oid			t[4] = {TIDOID, BYTEAOID, INT8OID, TEXTOID};

		plan_update = keep_plan(
			"UPDATE qe.spc_state SET state = $2, "
			"n_points = n_points OPERATOR(pg_catalog.+) $3 "
			"WHERE ctid OPERATOR(pg_catalog.=) $1 "
			"AND characteristic OPERATOR(pg_catalog.=) $4 RETURNING ctid", 4, t);
	}
	if (plan_signal == NULL)
	{
		Oid			t[8] = {INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT4ARRAYOID,
		TEXTARRAYOID, FLOAT8ARRAYOID, TIMESTAMPTZARRAYOID};

		plan_signal = keep_plan(
			"INSERT INTO qe.spc_signal (signal_id, characteristic, table_name, row_ref, test, rule, value, t) "
			"SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3), "
			"pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7), "
			"pg_catalog.unnest($8))", 8, t);
	}
}

/*
 * Lock and read the state row of a characteristic (with its limits) into
 * SPI_tuptable; false if the characteristic has no limits.
 */
static bool
watch_lock_state(const char *characteristic, Datum *args)
{
	WatchTidEntry *hint = watch_tid_entry(characteristic, false);

	if (hint != NULL && ItemPointerIsValid(&hint->tid) && hint->lxid == MyProc->lxid)
	{
		args[1] = PointerGetDatum(&hint->tid);
		if (SPI_execute_plan(plan_select_tid, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "qe.spc_watch: reading qe.spc_state failed");
		if (SPI_processed == 1)
		{
			bool		isnull;
			text	   *c = DatumGetTextPP(SPI_getbinval(SPI_tuptable->vals[0],
														 SPI_tuptable->tupdesc, 6, &isnull));

			if (!isnull && VARSIZE_ANY_EXHDR(c) == strlen(characteristic) &&
				memcmp(VARDATA_ANY(c), characteristic, VARSIZE_ANY_EXHDR(c)) == 0)
				return true;
		}
		SPI_freetuptable(SPI_tuptable);
	}
	if (SPI_execute_plan(plan_select, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "qe.spc_watch: reading qe.spc_state failed");
	if (SPI_processed == 1)
		return true;

	/* first measurement: create the state row under the characteristic's lock */
	if (SPI_execute_plan(plan_lock_limits, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "qe.spc_watch: reading qe.spc_limits failed");
	if (SPI_processed == 0)
		return false;			/* not watched */

	/*
	 * Another session may have created it meanwhile.  Under READ COMMITTED
	 * the next query's snapshot shows it; under REPEATABLE READ and
	 * SERIALIZABLE the transaction's snapshot cannot, so look with the
	 * latest one: creating a second row would fork the runs.
	 */
	if (SPI_execute_snapshot(plan_state_exists, args, NULL, GetLatestSnapshot(),
							 InvalidSnapshot, true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "qe.spc_watch: reading qe.spc_state failed");
	if (SPI_processed == 1)
	{
		if (IsolationUsesXactSnapshot())
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to concurrent creation of the state of characteristic \"%s\"",
							characteristic),
					 errhint("Retry the transaction: its first measurement of this characteristic raced another session's.")));
		if (SPI_execute_plan(plan_select, args, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "qe.spc_watch: reading qe.spc_state failed");
		if (SPI_processed == 1)
			return true;
	}
	if (SPI_execute_plan(plan_new_state, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "qe.spc_watch: creating the qe.spc_state row failed");
	if (SPI_execute_plan(plan_select, args, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "qe.spc_watch: reading qe.spc_state failed");
	return true;
}

static double
spi_float8(HeapTuple tup, TupleDesc desc, int att, bool *isnull)
{
	Datum		d = SPI_getbinval(tup, desc, att, isnull);

	return *isnull ? 0.0 : DatumGetFloat8(d);
}

/* One watched characteristic while a trigger call works on it. */
typedef struct WatchChar
{
	char	   *name;
	int			namelen;
	bool		watched;		/* has limits */
	double		c,
				s;
	bool		cn,
				sn;
	RulesConfig cfg;
	RulesState	st;
	ItemPointerData tid;		/* its locked qe.spc_state row */
	int64		n_new;			/* points pushed, to add to n_points */
	struct WatchChar *next;		/* statement mode / batches: hash chain */
	/* row-level batches only */
	uint32		hash;
	int			depth;			/* of the ExecutorFinish that writes it back */
	SubTransactionId open_subid;	/* where it was locked and loaded */
	int			utility_level;	/* depth 0: the ProcessUtility (COPY...) that opened it */
	struct WatchUndo *undo;		/* states saved as subtransactions first pushed into it */
} WatchChar;

/*
 * The runs as they stood when a subtransaction (and its children) first
 * pushed into a batch opened outside it: a rollback to it restores them,
 * so a batch carries on across savepoints whatever is rolled back.
 */
typedef struct WatchUndo
{
	SubTransactionId subid;
	RulesState	st;
	int64		n_new;
	struct WatchUndo *prev;
} WatchUndo;

/* ---------------------------------------------------------------------
 * Row-level batches (see the top of the file)
 * ------------------------------------------------------------------- */

#define WATCH_BATCH_BUCKETS 256

static ExecutorFinish_hook_type watch_prev_finish = NULL;
static ProcessUtility_hook_type watch_prev_utility = NULL;
static int	watch_finish_depth = 0;	/* hooked ExecutorFinish calls in progress */
static int	watch_utility_level = 0;	/* hooked ProcessUtility calls in progress */
static TimestampTz watch_load_stmt = 0;	/* start of the client statement that loaded the library */

/* statements that insert measurements from signals' triggers nest at most this deep */
#define WATCH_MAX_DEPTH 16

/*
 * At commit, deferred triggers on qe.spc_signal that insert measurements
 * write more signals, which queue more deferred triggers: PostgreSQL fires
 * them until none is left, so a cycle would never end.  Signal writes during
 * the commit are counted instead.
 */
#define WATCH_MAX_COMMIT_WRITES 10000
static bool watch_committing = false;
static int	watch_commit_writes = 0;
static bool watch_loading = false;	/* inside watch_load: its queries end no statement of the user's */
static WatchChar **watch_batches = NULL;	/* in TopTransactionContext; NULL: none */
static int	watch_nbatches = 0;

static uint32
watch_hash(const char *key, int len)
{
	return (uint32) hash_bytes_extended((const unsigned char *) key, len, 0);
}

/* the entry for a key in a table of WATCH_BATCH_BUCKETS hash chains, or NULL */
static WatchChar *
watch_find(WatchChar *const *buckets, const char *key, int len, uint32 h)
{
	if (buckets == NULL)
		return NULL;
	for (WatchChar *w = buckets[h % WATCH_BATCH_BUCKETS]; w != NULL; w = w->next)
		if (w->hash == h && w->namelen == len && memcmp(w->name, key, len) == 0)
			return w;
	return NULL;
}

/* a NUL-terminated copy of a characteristic key, for a new entry */
static char *
watch_key_copy(MemoryContext cxt, const char *key, int len)
{
	char	   *c = MemoryContextAlloc(cxt, len + 1);

	memcpy(c, key, len);
	c[len] = '\0';
	return c;
}

static void
watch_batch_add(WatchChar *w)
{
	WatchChar **b;

	if (watch_batches == NULL)
		watch_batches = MemoryContextAllocZero(TopTransactionContext,
											   sizeof(WatchChar *) * WATCH_BATCH_BUCKETS);
	b = &watch_batches[w->hash % WATCH_BATCH_BUCKETS];
	w->next = *b;
	*b = w;
	watch_nbatches++;
}

/* unlink the entry at *link from its chain (the caller frees it) */
static WatchChar *
watch_batch_unlink(WatchChar **link)
{
	WatchChar  *w = *link;

	*link = w->next;
	watch_nbatches--;
	return w;
}

static void
watch_batch_free(WatchChar *w)
{
	while (w->undo != NULL)
	{
		WatchUndo  *u = w->undo;

		w->undo = u->prev;
		pfree(u);
	}
	pfree(w->name);
	pfree(w);
}

static void watch_flush(int depth, int min_ulevel);

/* watch_flush with a snapshot for its queries, pushed if none is active (commit, a portal's cleanup) */
static void
watch_flush_snapshot(int depth, int min_ulevel)
{
	bool		pushed = !ActiveSnapshotSet();

	if (pushed)
		PushActiveSnapshot(GetTransactionSnapshot());
	watch_flush(depth, min_ulevel);
	if (pushed)
		PopActiveSnapshot();
}

static void
watch_xact_callback(XactEvent event, void *arg)
{
	/*
	 * Batches of deferred triggers that fire at commit (depth 0, no
	 * statement end after them) are written back here; a failure here
	 * fails the commit.
	 */
	if ((event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PRE_PREPARE) &&
		(watch_nbatches > 0 || watch_npoints > 0))
	{
		/*
		 * PostgreSQL has fired the deferred triggers already: fire those this
		 * flush queues (a user's deferred trigger on qe.spc_signal, say) and
		 * flush what they add, until nothing is left.
		 */
		watch_committing = true;
		watch_commit_writes = 0;
		for (int round = 0;; round++)
		{
			if (round == 100)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("qe.spc_watch: signals kept inserting new measurements through 100 rounds at commit"),
						 errhint("A trigger on qe.spc_signal inserts measurements whose signals insert more: break the cycle.")));
			watch_flush_snapshot(-1, -1);
			AfterTriggerFireDeferred();
			if (watch_nbatches == 0 && watch_npoints == 0)
				break;
		}
		watch_committing = false;
	}

	/* the memory goes with TopTransactionContext */
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
	{
		watch_batches = NULL;
		watch_nbatches = 0;
		watch_points = NULL;
		watch_npoints = watch_maxpoints = 0;
	}
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		watch_committing = false;
		watch_finish_depth = 0;
		watch_utility_level = 0;
		watch_loading = false;
	}
}

static void
watch_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	watch_loading = false;		/* an error left it */
	watch_signals_subabort(mySubid);
	if (watch_batches == NULL)
		return;
	for (int b = 0; b < WATCH_BATCH_BUCKETS; b++)
	{
		WatchChar **link = &watch_batches[b];

		while (*link != NULL)
		{
			WatchChar  *w = *link;

			if (w->open_subid >= mySubid)
			{
				watch_batch_free(watch_batch_unlink(link));	/* opened in the rolled-back subtransaction */
				continue;
			}
			/* pushed into from the rolled-back subtransaction: as it was before */
			while (w->undo != NULL && w->undo->subid >= mySubid)
			{
				WatchUndo  *u = w->undo;

				w->st = u->st;
				w->n_new = u->n_new;
				w->undo = u->prev;
				pfree(u);
			}
			link = &w->next;
		}
	}
}

static void watch_store(WatchChar *wch);
static void prepare_plans(void);

/*
 * Every query the trigger runs goes through these: SPI connected, with the
 * search path pinned to pg_catalog alone for the duration (an override, not
 * a SET on the function: that costs a GUC save and restore on every call,
 * 0.7 us a row, where most rows now run no query at all).  The queries are
 * schema-qualified anyway, operators included; the plan cache keeps the path
 * a plan was made under.  An error pops the override with the transaction.
 */
static OverrideSearchPath watch_pinned_path = {NIL, true, false, 0};	/* pg_catalog alone */

static void
watch_spi_begin(void)
{
	PushOverrideSearchPath(&watch_pinned_path);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "qe.spc_watch: SPI_connect failed");
	prepare_plans();
}

static void
watch_spi_end(void)
{
	SPI_finish();
	PopOverrideSearchPath();
}


/*
 * Write back the batches of the statement at this depth (after its
 * triggers), or all of them (depth -1, before commit); at depth 0 only
 * those opened inside a utility statement deeper than min_ulevel (the one
 * that has just returned), or all of them (min_ulevel -1).
 */
static void
watch_flush(int depth, int min_ulevel)
{
	SubTransactionId cur = GetCurrentSubTransactionId();
	WatchChar  *mine = NULL;
	bool		connected = false;

	/*
	 * Unlink this flush's batches before running any query: a user's trigger
	 * on qe.spc_signal or qe.spc_state may insert measurements and open new
	 * batches meanwhile.  A batch is this flush's if it is of this depth
	 * (every depth: -1) and was opened in this subtransaction or one it has
	 * absorbed: written from inside a later subtransaction, it would be lost
	 * if that one rolled back.  The others wait for their own statement's
	 * end, or for the commit.
	 */
	for (int b = 0; b < WATCH_BATCH_BUCKETS && watch_batches != NULL; b++)
	{
		WatchChar **link = &watch_batches[b];

		while (*link != NULL)
		{
			WatchChar  *w = *link;

			if ((depth >= 0 && w->depth != depth) || w->open_subid < cur ||
				(depth == 0 && w->utility_level <= min_ulevel))
			{
				link = &w->next;
				continue;
			}
			watch_batch_unlink(link);
			w->next = mine;
			mine = w;
		}
	}
	while (mine != NULL)
	{
		WatchChar  *w = mine;

		mine = w->next;
		if (w->watched && w->n_new > 0)
		{
			if (!connected)
			{
				watch_spi_begin();
				connected = true;
			}
			watch_store(w);
		}
		watch_batch_free(w);
	}
	if (watch_npoints > 0)
	{
		if (!connected)
			watch_spi_begin();
		connected = true;
		watch_signals_flush(depth, min_ulevel);
	}
	if (connected)
		watch_spi_end();
}

static void
watch_executor_finish(QueryDesc *queryDesc)
{
	int			depth = ++watch_finish_depth;

	PG_TRY();
	{
		if (watch_prev_finish)
			watch_prev_finish(queryDesc);
		else
			standard_ExecutorFinish(queryDesc);

		/*
		 * Also while an outer flush runs: a user's trigger on qe.spc_signal
		 * or qe.spc_state may insert measurements, whose batches end with
		 * that statement like any other (the outer flush has detached its
		 * own batches and points before running any query).
		 */
		if ((watch_nbatches > 0 || watch_npoints > 0) && !watch_loading)
			watch_flush_snapshot(depth, -1);
	}
	PG_FINALLY();
	{
		watch_finish_depth = depth - 1;
	}
	PG_END_TRY();
}

/*
 * Batches of depth 0 (opened where triggers fire outside ExecutorFinish)
 * are written back when the utility statement that opened them returns:
 * COPY, whose AFTER ROW triggers fire inside it, or SET CONSTRAINTS ...
 * IMMEDIATE.  Only those it opened: a utility statement run by another
 * trigger during a COPY writes back nothing of the COPY's.  Deferred
 * triggers that fire at commit are written back before the commit, and in
 * the statement during which the library is loaded (no hook saw it start)
 * each measurement at depth 0 is written back at once.
 */
static void
watch_flush_depth0(int min_ulevel)
{
	if (watch_loading || watch_finish_depth != 0 || !IsTransactionState() ||
		(watch_nbatches == 0 && watch_npoints == 0))
		return;
	watch_flush_snapshot(0, min_ulevel);
}

static void
watch_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					  ProcessUtilityContext context, ParamListInfo params,
					  QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	watch_utility_level++;
	PG_TRY();
	{
		if (watch_prev_utility)
			watch_prev_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		else
			standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	}
	PG_FINALLY();
	{
		watch_utility_level--;
	}
	PG_END_TRY();
	if (!IsA(pstmt->utilityStmt, TransactionStmt))
		watch_flush_depth0(watch_utility_level);
}

void
qe_rules_watch_init(void)
{
	watch_prev_finish = ExecutorFinish_hook;
	ExecutorFinish_hook = watch_executor_finish;
	watch_prev_utility = ProcessUtility_hook;
	ProcessUtility_hook = watch_process_utility;
	RegisterXactCallback(watch_xact_callback, NULL);
	RegisterSubXactCallback(watch_subxact_callback, NULL);
	/* no hook saw the statement now running start: see watch_flush_depth0 */
	watch_load_stmt = GetCurrentStatementStartTimestamp();
}

/*
 * Lock the state of a characteristic and load it with its limits
 * (SPI connected).  Sets wch->watched = false when it has no limits.
 */
static void
watch_load(WatchChar *wch)
{
	Datum		args[2];
	HeapTuple	lim;
	TupleDesc	limdesc;
	bool		isnull;
	Datum		d;

	args[0] = CStringGetTextDatum(wch->name);
	wch->watched = watch_lock_state(wch->name, args);
	if (!wch->watched)
		return;
	lim = SPI_tuptable->vals[0];
	limdesc = SPI_tuptable->tupdesc;
	wch->c = spi_float8(lim, limdesc, 1, &wch->cn);
	wch->s = spi_float8(lim, limdesc, 2, &wch->sn);
	d = SPI_getbinval(lim, limdesc, 3, &isnull);
	if (isnull)
		rules_config_nelson(&wch->cfg);
	else
		rules_pg_config_from_datum(d, &wch->cfg);
	d = SPI_getbinval(lim, limdesc, 4, &isnull);
	if (isnull)
		rules_state_init(&wch->st);
	else
	{
		bytea	   *b = DatumGetByteaPP(d);

		if (rules_state_decode(&wch->st, (const uint8_t *) VARDATA_ANY(b),
							   VARSIZE_ANY_EXHDR(b)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("stored rule state of characteristic \"%s\" is not valid", wch->name),
					 errhint("Restart its runs with UPDATE qe.spc_state SET state = NULL WHERE characteristic = '...'.")));
	}
	wch->tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(lim, limdesc, 5, &isnull));
	wch->n_new = 0;
	SPI_freetuptable(SPI_tuptable);
}

/* Write the state back (SPI connected) and remember where it went. */
static void
watch_store(WatchChar *wch)
{
	uint8		enc[RULES_STATE_BYTES];
	bytea	   *state = (bytea *) palloc(VARHDRSZ + RULES_STATE_BYTES);
	Datum		args[4];
	bool		isnull;
	WatchTidEntry *hint;

	rules_state_encode(&wch->st, enc);
	SET_VARSIZE(state, VARHDRSZ + RULES_STATE_BYTES);
	memcpy(VARDATA(state), enc, RULES_STATE_BYTES);
	args[0] = PointerGetDatum(&wch->tid);
	args[1] = PointerGetDatum(state);
	args[2] = Int64GetDatum(wch->n_new);
	args[3] = CStringGetTextDatum(wch->name);
	if (SPI_execute_plan(plan_update, args, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "qe.spc_watch: updating qe.spc_state failed");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("qe.spc_watch: the state of characteristic \"%s\" was changed while a statement was adding measurements to it",
						wch->name),
				 errdetail("Its row in qe.spc_state (or its limits, which reset it) changed between the statement's first measurement of it and the statement's end."),
				 errhint("Change qe.spc_limits or qe.spc_state in a statement of its own, not from a trigger or a WITH clause of a statement that inserts measurements.")));
	hint = watch_tid_entry(wch->name, true);
	hint->tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc, 1, &isnull));
	hint->lxid = MyProc->lxid;
	SPI_freetuptable(SPI_tuptable);
}

/*
 * The row's measurement: false if its characteristic or value is NULL (then
 * it is not a point).
 */
static bool
watch_row(WatchCache *wc, TupleTableSlot *slot, const char **key, int *keylen,
		  Datum *value, TimestampTz *t, bool *t_null)
{
	bool		isnull;
	Datum		c;
	Datum		d;

	c = slot_getattr(slot, wc->char_att, &isnull);
	if (isnull)
		return false;
	*value = slot_getattr(slot, wc->value_att, &isnull);
	if (isnull)
		return false;
	if (wc->char_in_place)
	{
		/* text and varchar: their text form is their bytes, read in place */
		struct varlena *v = (struct varlena *) DatumGetPointer(c);

		if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
			v = pg_detoast_datum_packed(v);
		*key = VARDATA_ANY(v);
		*keylen = VARSIZE_ANY_EXHDR(v);
		while (wc->char_trim && *keylen > 0 && (*key)[*keylen - 1] == ' ')
			(*keylen)--;
	}
	else
	{
		*key = OutputFunctionCall(&wc->char_out, c);
		*keylen = (int) strlen(*key);
	}
	*t_null = true;
	*t = 0;
	if (wc->time_att)
	{
		d = slot_getattr(slot, wc->time_att, t_null);
		if (!*t_null)
			*t = wc->time_type == TIMESTAMPTZOID ? DatumGetTimestampTz(d)
				: DatumGetTimestampTz(DirectFunctionCall1(timestamp_timestamptz, d));
	}
	return true;
}

/*
 * Buffer the failed tests of one point.  Signals wait in this buffer and are
 * written with one INSERT (and announced) when the statement's states are
 * written back: one query per statement instead of one per failed test.
 * Their ids are taken from the sequence when the point fails, so they follow
 * the order of the points.  A rolled-back subtransaction drops the points it
 * buffered.
 */
static void
watch_signal(WatchCache *wc, TupleTableSlot *slot, const char *characteristic, int depth, int ulevel,
			 double x, TimestampTz t, bool t_null, uint32 bits)
{
	WatchPoint *p;
	bool		isnull;
	int			ntests = 0;
	Oid			seq;
	MemoryContext old;

	if (watch_npoints == watch_maxpoints)
	{
		int			n = watch_maxpoints == 0 ? 64 : watch_maxpoints * 2;

		watch_points = watch_points == NULL
			? MemoryContextAlloc(TopTransactionContext, sizeof(WatchPoint) * n)
			: repalloc(watch_points, sizeof(WatchPoint) * n);
		watch_maxpoints = n;
	}
	seq = qe_rel_oid(&watch_signal_seq, "spc_signal_signal_id_seq");
	p = &watch_points[watch_npoints];
	old = MemoryContextSwitchTo(TopTransactionContext);	/* kept to the flush */
	p->characteristic = pstrdup(characteristic);
	p->table_name = pstrdup(wc->table_name);
	p->row_ref = NULL;
	if (wc->key_att)
	{
		Datum		d = slot_getattr(slot, wc->key_att, &isnull);

		if (!isnull)
			p->row_ref = OutputFunctionCall(&wc->key_out, d);
	}
	else if (ItemPointerIsValid(&slot->tts_tid))
		p->row_ref = psprintf("(%u,%u)", ItemPointerGetBlockNumber(&slot->tts_tid),
							  ItemPointerGetOffsetNumber(&slot->tts_tid));
	MemoryContextSwitchTo(old);
	p->x = x;
	p->t = t;
	p->t_null = t_null;
	p->bits = bits;
	p->subid = GetCurrentSubTransactionId();
	p->depth = depth;
	p->ulevel = ulevel;
	for (int i = 0; i < RULES_NTESTS; i++)
		if (bits & (1u << i))
			p->ids[ntests++] = nextval_internal(seq, false);
	watch_npoints++;
}

static void
watch_signals_subabort(SubTransactionId mySubid)
{
	int			keep = 0;

	for (int i = 0; i < watch_npoints; i++)
		if (watch_points[i].subid < mySubid)
			watch_points[keep++] = watch_points[i];
	watch_npoints = keep;
}

/* NOTIFY one point: {"characteristic":..,"table":..,"row":..,"value":..,"t":..,"tests":[..],"rules":[..],"signal_ids":[..]} */
static void
watch_notify(const WatchPoint *p)
{
	StringInfoData js;
	StringInfoData ids;
	bool		first;
	int			k = 0;

	initStringInfo(&ids);
	for (int i = 0; i < RULES_NTESTS; i++)
		if (p->bits & (1u << i))
		{
			appendStringInfo(&ids, "%s" INT64_FORMAT, k == 0 ? "" : ",", p->ids[k]);
			k++;
		}
	initStringInfo(&js);
	appendStringInfoString(&js, "{\"characteristic\":");
	escape_json(&js, p->characteristic);
	appendStringInfoString(&js, ",\"table\":");
	escape_json(&js, p->table_name);
	appendStringInfoString(&js, ",\"row\":");
	if (p->row_ref)
		escape_json(&js, p->row_ref);
	else
		appendStringInfoString(&js, "null");
	appendStringInfo(&js, ",\"value\":%s,\"t\":", float8out_internal(p->x));
	if (p->t_null)
		appendStringInfoString(&js, "null");
	else
	{
		char		buf[MAXDATELEN + 1];

		appendStringInfoChar(&js, '"');
		appendStringInfoString(&js, JsonEncodeDateTime(buf, TimestampTzGetDatum(p->t),
													   TIMESTAMPTZOID, NULL));
		appendStringInfoChar(&js, '"');
	}
	appendStringInfoString(&js, ",\"tests\":[");
	first = true;
	for (int i = 0; i < RULES_NTESTS; i++)
		if (p->bits & (1u << i))
		{
			appendStringInfo(&js, "%s%d", first ? "" : ",", i + 1);
			first = false;
		}
	appendStringInfoString(&js, "],\"rules\":[");
	first = true;
	for (int i = 0; i < RULES_NTESTS; i++)
		if (p->bits & (1u << i))
		{
			appendStringInfo(&js, "%s\"%s\"", first ? "" : ",", rules_test_names[i]);
			first = false;
		}
	appendStringInfo(&js, "],\"signal_ids\":[%s]}", ids.data);
	if (js.len >= WATCH_PAYLOAD_MAX)
	{
		/* long characteristic or key values: the ids still find the rows */
		resetStringInfo(&js);
		appendStringInfo(&js, "{\"signal_ids\":[%s],\"truncated\":true}", ids.data);
	}
	Async_Notify(WATCH_CHANNEL, js.data);
	pfree(js.data);
	pfree(ids.data);
}

/* Write the buffered signals with one INSERT and announce them (SPI connected). */
static void
watch_signals_flush(int depth, int min_ulevel)
{
	int			rc;
	int			n = 0,
				k = 0;
	Datum	   *id,
			   *ch,
			   *tb,
			   *rr,
			   *te,
			   *ru,
			   *va,
			   *tt;
	bool	   *rr_null,
			   *tt_null;
	Datum		args[8];
	int			dims[1];
	int			lbs[1] = {1};

	WatchPoint *points;
	int			npoints = 0,
				keep = 0;
	SubTransactionId cur = GetCurrentSubTransactionId();

	if (watch_npoints == 0)
		return;

	/*
	 * Take this flush's points out of the buffer before running any query:
	 * a user's trigger on qe.spc_signal may insert measurements, whose
	 * signals go into (and may reallocate) the buffer meanwhile.  A point
	 * is this flush's if its batch is of this depth (every depth: -1) and
	 * it was detected in this subtransaction or one it has absorbed;
	 * written from a subtransaction it was not detected in, it would
	 * vanish if that one rolled back.
	 */
	points = MemoryContextAlloc(TopTransactionContext, sizeof(WatchPoint) * watch_npoints);
	for (int i = 0; i < watch_npoints; i++)
	{
		if ((depth < 0 || watch_points[i].depth >= depth) && watch_points[i].subid >= cur &&
			!(depth == 0 && watch_points[i].depth == 0 && watch_points[i].ulevel <= min_ulevel))
			points[npoints++] = watch_points[i];
		else
			watch_points[keep++] = watch_points[i];
	}
	watch_npoints = keep;
	if (npoints == 0)
	{
		pfree(points);
		return;
	}
	CHECK_FOR_INTERRUPTS();
	if (watch_committing && ++watch_commit_writes > WATCH_MAX_COMMIT_WRITES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("qe.spc_watch: signals written at commit kept queuing deferred triggers that insert measurements (%d writes)",
						WATCH_MAX_COMMIT_WRITES),
				 errhint("A deferred trigger on qe.spc_signal inserts measurements whose signals fire it again: break the cycle.")));
	for (int i = 0; i < npoints; i++)
		n += pg_popcount32(points[i].bits);
	id = palloc(sizeof(Datum) * n);
	ch = palloc(sizeof(Datum) * n);
	tb = palloc(sizeof(Datum) * n);
	rr = palloc0(sizeof(Datum) * n);
	te = palloc(sizeof(Datum) * n);
	ru = palloc(sizeof(Datum) * n);
	va = palloc(sizeof(Datum) * n);
	tt = palloc0(sizeof(Datum) * n);
	rr_null = palloc(sizeof(bool) * n);
	tt_null = palloc(sizeof(bool) * n);
	for (int i = 0; i < npoints; i++)
	{
		const WatchPoint *p = &points[i];
		int			j = 0;
		Datum		c = CStringGetTextDatum(p->characteristic);
		Datum		tn = CStringGetTextDatum(p->table_name);
		Datum		r = p->row_ref ? CStringGetTextDatum(p->row_ref) : (Datum) 0;

		for (int b = 0; b < RULES_NTESTS; b++)
		{
			if (!(p->bits & (1u << b)))
				continue;
			id[k] = Int64GetDatum(p->ids[j++]);
			ch[k] = c;
			tb[k] = tn;
			rr[k] = r;
			rr_null[k] = p->row_ref == NULL;
			te[k] = Int32GetDatum(b + 1);
			ru[k] = CStringGetTextDatum(rules_test_names[b]);
			va[k] = Float8GetDatum(p->x);
			tt[k] = TimestampTzGetDatum(p->t);
			tt_null[k] = p->t_null;
			k++;
		}
	}
	dims[0] = n;
	args[0] = PointerGetDatum(construct_md_array(id, NULL, 1, dims, lbs, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[1] = PointerGetDatum(construct_md_array(ch, NULL, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_md_array(tb, NULL, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_md_array(rr, rr_null, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	args[4] = PointerGetDatum(construct_md_array(te, NULL, 1, dims, lbs, INT4OID, 4, true, TYPALIGN_INT));
	args[5] = PointerGetDatum(construct_md_array(ru, NULL, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
	args[6] = PointerGetDatum(construct_md_array(va, NULL, 1, dims, lbs, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[7] = PointerGetDatum(construct_md_array(tt, tt_null, 1, dims, lbs, TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	/*
	 * Without the pinned search path: this INSERT is fully qualified, and it
	 * is where sites hang their own triggers (forwarding alerts, say), which
	 * must resolve names under their own path.  The plan keeps the path it
	 * runs under, so it is not replanned each time.
	 */
	PopOverrideSearchPath();
	rc = SPI_execute_plan(plan_signal, args, NULL, false, 0);
	PushOverrideSearchPath(&watch_pinned_path);
	if (rc != SPI_OK_INSERT || SPI_processed != (uint64) n)
		elog(ERROR, "qe.spc_watch: inserting into qe.spc_signal failed");
	for (int i = 0; i < npoints; i++)
		watch_notify(&points[i]);
	pfree(points);
}

/*
 * Before pushing: the first push of a subtransaction (or any descendant of
 * one that already saved) into a batch opened outside it saves the runs,
 * which its rollback restores.
 */
static inline void
watch_before_push(WatchChar *batch)
{
	SubTransactionId cur = GetCurrentSubTransactionId();

	if (cur > (batch->undo != NULL ? batch->undo->subid : batch->open_subid))
	{
		WatchUndo  *u = MemoryContextAlloc(TopTransactionContext, sizeof(WatchUndo));

		u->subid = cur;
		u->st = batch->st;
		u->n_new = batch->n_new;
		u->prev = batch->undo;
		batch->undo = u;
	}
}

/*
 * Push one point of a watched characteristic; buffers its signals if it
 * fails a test.  The value is converted here, not for every row: rows of
 * characteristics without limits are ignored whatever their value.
 */
static void
watch_push(WatchCache *wc, WatchChar *wch, TupleTableSlot *slot,
		   Datum value, TimestampTz t, bool t_null)
{
	RulesPoint	p;
	uint32		bits;
	double		x = value_to_double(value, wc->value_type);

	if (unlikely(isnan(x) || isinf(x)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("trigger \"%s\": the value of characteristic \"%s\" must be a finite number, got %s",
						wc->trigger_name, wch->name, isnan(x) ? "NaN" : (x > 0 ? "Infinity" : "-Infinity")),
				 errhint("Insert NULL for a missing measurement (rows with a NULL value are not points), or repair the value.")));

	watch_before_push(wch);
	rules_pg_point_sigma(&p, &wch->cfg, x, wch->c, wch->cn, wch->s, wch->sn);
	bits = rules_push(&wch->st, &wch->cfg, &p);
	wch->n_new++;
	if (bits != 0)
		watch_signal(wc, slot, wch->name, wch->depth, wch->utility_level, x, t, t_null, bits);
}

/*
 * The batch of a characteristic in this statement (or, at depth 0, until the
 * statement's end), opened on its first point: lock and load once, later
 * points run in memory.  One batch per characteristic whichever form of the
 * trigger (row or statement level, on any table) pushes into it, so there is
 * only ever one copy of its runs.
 */
static WatchChar *
watch_batch_for(const char *key, int keylen)
{
	uint32		h = watch_hash(key, keylen);
	WatchChar  *batch = watch_find(watch_batches, key, keylen, h);

	if (batch == NULL)
	{
		batch = MemoryContextAllocZero(TopTransactionContext, sizeof(WatchChar));
		batch->name = watch_key_copy(TopTransactionContext, key, keylen);
		batch->namelen = keylen;
		batch->hash = h;
		if (watch_finish_depth > WATCH_MAX_DEPTH)
			ereport(ERROR,
					(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
					 errmsg("qe.spc_watch: measurements of characteristic \"%s\" are inserted %d statements deep",
							batch->name, watch_finish_depth),
					 errhint("A trigger on qe.spc_signal or qe.spc_state that inserts measurements must not feed itself.")));
		batch->depth = watch_finish_depth;
		batch->utility_level = watch_utility_level;
		batch->open_subid = GetCurrentSubTransactionId();
		watch_loading = true;
		watch_spi_begin();
		watch_load(batch);
		watch_spi_end();
		watch_loading = false;
		watch_batch_add(batch);
	}
	return batch;
}

/*
 * In the statement during which the library was loaded, no hook saw the
 * statement start, so nothing tells when a depth-0 batch's statement ends.
 * Alone in its transaction, the commit that follows writes the batches back
 * (a session's first COPY or INSERT, batched as any other); inside a
 * transaction block, later statements could change the state or roll back
 * to a savepoint first, so each such point is written back at once.
 * Preloading the library avoids the case.
 */
static inline void
watch_after_push(void)
{
	if (watch_finish_depth == 0 && watch_utility_level == 0 &&
		GetCurrentStatementStartTimestamp() == watch_load_stmt && IsTransactionBlock())
		watch_flush_depth0(-1);
}

/* FOR EACH STATEMENT with REFERENCING NEW TABLE: every inserted row in turn. */
static void
watch_statement(FunctionCallInfo fcinfo, TriggerData *td)
{
	WatchCache *wc = watch_setup(fcinfo, td);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation),
													&TTSOpsMinimalTuple);
	const char *key;
	int			keylen;
	Datum		x;
	TimestampTz t;
	bool		t_null;
	MemoryContext stmtcxt,
				rowcxt;

	if (td->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\": a statement-level qe.spc_watch needs the inserted rows",
						td->tg_trigger->tgname),
				 errhint("Add REFERENCING NEW TABLE AS new_rows to CREATE TRIGGER, or use FOR EACH ROW.")));

	stmtcxt = CurrentMemoryContext;
	rowcxt = AllocSetContextCreate(stmtcxt, "qe.spc_watch row", ALLOCSET_SMALL_SIZES);
	tuplestore_rescan(td->tg_newtable);
	for (;;)
	{
		WatchChar  *batch;

		/*
		 * Fetch outside the row context: a tuple read back from a transition
		 * table that spilled to disk is palloc'd, owned by the slot and
		 * freed by the next fetch, so it must not die with the row's reset.
		 */
		MemoryContextSwitchTo(stmtcxt);
		if (!tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			break;
		MemoryContextReset(rowcxt);
		MemoryContextSwitchTo(rowcxt);
		ItemPointerSetInvalid(&slot->tts_tid);
		if (!watch_row(wc, slot, &key, &keylen, &x, &t, &t_null))
			continue;
		batch = watch_batch_for(key, keylen);
		if (batch->watched)
			watch_push(wc, batch, slot, x, t, t_null);
	}
	MemoryContextSwitchTo(stmtcxt);
	watch_after_push();
	ExecDropSingleTupleTableSlot(slot);
	MemoryContextDelete(rowcxt);
}

Datum
qe_rules_spc_watch(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	WatchCache *wc;
	WatchChar  *batch;
	const char *key;
	int			keylen;
	Datum		x;
	TimestampTz t;
	bool		t_null;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("qe.spc_watch must be called as a trigger"),
				 errhint("CREATE TRIGGER ... AFTER INSERT ON ... FOR EACH ROW EXECUTE FUNCTION qe.spc_watch(...).")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\": qe.spc_watch must be fired AFTER INSERT",
						td->tg_trigger->tgname),
				 errhint("CREATE TRIGGER ... AFTER INSERT ON ... FOR EACH ROW EXECUTE FUNCTION qe.spc_watch(...).")));
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
	{
		watch_statement(fcinfo, td);
		return PointerGetDatum(NULL);
	}

	wc = watch_setup(fcinfo, td);
	if (!watch_row(wc, td->tg_trigslot, &key, &keylen, &x, &t, &t_null))
		return PointerGetDatum(NULL);

	batch = watch_batch_for(key, keylen);
	if (batch->watched)
		watch_push(wc, batch, td->tg_trigslot, x, t, t_null);
	watch_after_push();
	return PointerGetDatum(NULL);
}
