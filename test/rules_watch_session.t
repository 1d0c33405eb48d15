#!/bin/bash
# qe.spc_watch row-level batching across sessions and transactions (run by
# prove with PGDATABASE, PGHOST, PGPORT, PGUSER set; see scripts/run-tests.sh).
#
# Each psql below is a new session, so its first INSERT is also the statement
# during which the library is loaded: its triggers fire before the library's
# ExecutorFinish hook exists: alone in its transaction it batches until the
# commit; inside a transaction block each point is written back at once.
# Either way the signals must be those of the window function over the
# stored rows, and the stored state must carry on.
set -u
n=0; failed=0
ok()   { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed+1)); fi; }
is()   { [ "$1" = "$2" ]; local r=$?; ok $r "$3"; [ $r = 0 ] || echo "#   got '$1', want '$2'"; }
q()    { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
    q -c "DROP TABLE IF EXISTS public.wsess, public.whot, public.wd, public.wds, public.wx, public.wy, public.wz, public.wz_def, public.wz_audit, public.wloop" -c "DROP FUNCTION IF EXISTS public.wd_retune()" \
      -c "DROP TRIGGER IF EXISTS wx_chain ON qe.spc_signal" -c "DROP TRIGGER IF EXISTS wz_fwd ON qe.spc_signal" -c "DROP TRIGGER IF EXISTS wz_aud ON qe.spc_signal" -c "DROP FUNCTION IF EXISTS public.wz_fwd(), public.wz_aud()" -c "DROP TRIGGER IF EXISTS wloopd ON qe.spc_signal" -c "DROP FUNCTION IF EXISTS public.wloopf()" -c "DROP FUNCTION IF EXISTS public.wx_chain()" -c "DROP FUNCTION IF EXISTS public.wx_swallow()" -c "DELETE FROM qe.spc_signal WHERE characteristic ~ '^W[SHDXZ]'" \
      -c "DELETE FROM qe.spc_state WHERE characteristic ~ '^W[SHDXZ]'" -c "DELETE FROM qe.spc_limits WHERE characteristic ~ '^W[SHDXZ]'" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
q <<'SQL' >/dev/null
CREATE TABLE public.wsess (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.wsess FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('WS1', 0, 1), ('WS2', 0, 1);
SQL
# a deterministic series with shifts, trends and outliers: z-values in sigma units
rows() {  # $1 = first i, $2 = last i
    echo "INSERT INTO public.wsess (part, x) SELECT 'WS' || (1 + i % 2), CASE WHEN i % 97 = 0 THEN 3.5 WHEN (i / 2) % 40 < 9 THEN 1.2 + 0.1 * sin(i) WHEN (i / 2) % 40 < 16 THEN -2 + 0.4 * ((i / 2) % 40 - 9) ELSE 0.8 * sin(i * 1.7) END FROM generate_series($1, $2) i ORDER BY i;"
}

# 1. a new session's first statement, in an explicit transaction
out=$(q <<SQL
BEGIN;
$(rows 1 400)
SELECT coalesce(n_tup_upd, 0) FROM pg_stat_xact_user_tables WHERE relid = 'qe.spc_state'::regclass;
COMMIT;
SQL
)
is "$out" 400 "the statement that loads the library, inside a transaction block: each of its 400 points written back at once (no hook saw it start)"
is "$(q -c "SELECT string_agg(n_points::text, ',' ORDER BY characteristic) FROM qe.spc_state WHERE characteristic LIKE 'WS%'")" "200,200" \
   "... and writes them at commit: n_points 200 each"

# 2. a new session in autocommit, two statements: the first loads, the second batches per statement
q -c "SET search_path = ''" -c "$(rows 401 800)" -c "$(rows 801 1200)"
is "$(q -c "SELECT string_agg(n_points::text, ',' ORDER BY characteristic) FROM qe.spc_state WHERE characteristic LIKE 'WS%'")" "600,600" \
   "two more statements in a new session, search_path empty: n_points 600 each"

# 3. a transaction that rolls back leaves the state as it was
q -c "BEGIN" -c "$(rows 1201 1400)" -c "ROLLBACK"
is "$(q -c "SELECT string_agg(n_points::text, ',' ORDER BY characteristic) FROM qe.spc_state WHERE characteristic LIKE 'WS%'")" "600,600" \
   "a rolled-back transaction leaves n_points at 600"

# 4. single-row transactions update the state row in place (HOT): each new
#    transaction reaches it through the primary key, whose heap fetch prunes
#    the dead versions (a fetch by ctid never does, and the index would grow)
upd() { q -c "SELECT coalesce(sum(n_tup_upd), 0) || ' ' || coalesce(sum(n_tup_hot_upd), 0) FROM pg_stat_user_tables WHERE relid = 'qe.spc_state'::regclass"; }
q <<'SQL' >/dev/null
CREATE TABLE public.whot (part text, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.whot FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x');
INSERT INTO qe.spc_limits (characteristic, center, sigma) SELECT 'WH' || g, 0, 1 FROM generate_series(1, 100) g;
INSERT INTO public.whot SELECT 'WH' || g, 0 FROM generate_series(1, 100) g;   -- 100 state rows, two pages
SQL
sleep 0.5   # earlier sessions flush their statistics as they exit
before=$(upd)
{ for i in $(seq 1 300); do echo "INSERT INTO public.whot VALUES ('WH$(( (i * 37) % 100 + 1 ))', 0.8 * sin($i * 1.7));"; done
  echo "SELECT pg_stat_force_next_flush();"; echo "SELECT 1;"; } | q >/dev/null   # flushed when idle after the call
after=$(upd)
set -- $before $after
is "$(($3 - $1))" 300 "300 single-row transactions into 100 characteristics: 300 updates of the state rows"
ok $([ $(($4 - $2)) -ge 290 ]; echo $?) "... of which at least 290 are HOT (got $(($4 - $2)))"

# 5. the signals are those of qe.spc_rules over the stored rows, in id order
diff=$(q <<'SQL'
WITH w AS (
    SELECT id, part, qe.spc_rules(x, 0, 1) OVER (PARTITION BY part ORDER BY id) AS b FROM public.wsess
), want AS (
    SELECT w.part, w.id::text AS row_ref, r.name FROM w, LATERAL unnest(qe.rule_names(w.b)) r(name)
), got AS (
    SELECT characteristic AS part, row_ref, rule AS name FROM qe.spc_signal WHERE characteristic LIKE 'WS%'
)
SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM got) a)
     + (SELECT count(*) FROM (SELECT * FROM got EXCEPT ALL SELECT * FROM want) b)
SQL
)
is "$diff" 0 "signals over the three sessions = qe.spc_rules over the stored rows"
is "$(q -c "SELECT count(*) > 20 AND count(DISTINCT test) >= 3 FROM qe.spc_signal WHERE characteristic LIKE 'WS%'")" t \
   "the series raises signals of several tests (the comparison is not vacuous)"

# 6. depth-0 batches end with their statement (found by an adversarial pass:
#    each of these failed at COMMIT with an internal error, or with 55000)
q <<'SQL' >/dev/null
CREATE TABLE public.wd (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.wd FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
CREATE TABLE public.wds (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER watch AFTER INSERT ON public.wds REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('WD1', 0, 1), ('WD2', 0, 1), ('WD3', 0, 1), ('WD4', 0, 1);
SQL
points() { q -c "SELECT coalesce(string_agg(characteristic || '=' || n_points || CASE WHEN state IS NULL THEN '/reset' ELSE '' END, ',' ORDER BY characteristic), '') FROM qe.spc_state WHERE characteristic LIKE 'WD%'"; }
out=$(printf 'BEGIN;\nCOPY public.wd (part, x) FROM stdin;\nWD1\t1\nWD1\t2\n\\.\nUPDATE qe.spc_limits SET center = 10 WHERE characteristic = %s;\nCOMMIT;\n' "'WD1'" | q 2>&1)
is "$out$(points)" "WD1=2/reset" "COPY, then new limits in the same transaction: COPY's two points are written at its end, the new limits then restart the runs"
out=$(q -c "BEGIN" -c "INSERT INTO public.wd (part, x) VALUES ('WD2', 1)" -c "SAVEPOINT b" -c "INSERT INTO public.wd (part, x) VALUES ('WD2', 2)" \
        -c "ROLLBACK TO b" -c "COMMIT" 2>&1 | grep -v '^$')
is "$out $(points)" " WD1=2/reset,WD2=1" "a new session's first statement, then a statement rolled back to a savepoint: commits, one point counted"
out=$(q -c "WITH a AS (INSERT INTO public.wds (part, x) VALUES ('WD3', 1), ('WD3', 2) RETURNING 1) INSERT INTO public.wd (part, x) VALUES ('WD3', 3)" 2>&1)
is "$out $(points)" " WD1=2/reset,WD2=1,WD3=3" "the row and statement forms on one characteristic in one statement share its runs: three points"
q -c "CREATE FUNCTION public.wd_retune() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN UPDATE qe.spc_limits SET sigma = sigma * 2 WHERE characteristic = NEW.part; RETURN NULL; END \$\$" \
  -c "CREATE TRIGGER zz_retune AFTER INSERT ON public.wd FOR EACH ROW EXECUTE FUNCTION public.wd_retune()" >/dev/null
out=$(q -c "SELECT qe.rule_names(1)" -c "INSERT INTO public.wd (part, x) VALUES ('WD4', 1)" 2>&1 | sed -n 's/^ERROR: *\(.*characteristic "WD4" was changed while a statement.*\)$/refused/p')
is "$out $(points)" "refused WD1=2/reset,WD2=1,WD3=3" "limits changed by a trigger of the inserting statement: a clear error (55000), nothing written"
q -c "DROP TRIGGER zz_retune ON public.wd" -c "DROP FUNCTION public.wd_retune()" >/dev/null

# 7. a second pass of adversarial cases (each lost points or signals before)
q <<'SQL' >/dev/null
CREATE TABLE public.wx (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER spc_watch AFTER INSERT ON public.wx FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
CREATE FUNCTION public.wx_swallow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN BEGIN PERFORM 1 FROM pg_class LIMIT 1; RAISE EXCEPTION 'x'; EXCEPTION WHEN others THEN NULL; END; RETURN NULL; END $$;
CREATE TRIGGER z_swallow AFTER INSERT ON public.wx FOR EACH ROW EXECUTE FUNCTION public.wx_swallow();
CREATE TABLE public.wy (id bigserial PRIMARY KEY, part text, x double precision);
CREATE CONSTRAINT TRIGGER spc_watch AFTER INSERT ON public.wy DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
CREATE CONSTRAINT TRIGGER z_swallow AFTER INSERT ON public.wy DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION public.wx_swallow();
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('WX1', 0, 1), ('WX2', 0, 1), ('WX3', 0, 1), ('WX4', 0, 1);
SQL
sig() { q -c "SELECT count(*) || '/' || coalesce((SELECT n_points FROM qe.spc_state WHERE characteristic = '$1'), 0) FROM qe.spc_signal WHERE characteristic = '$1'"; }
q -c "SELECT qe.rule_names(1)" -c "INSERT INTO public.wx (part, x) VALUES ('WX1', 5)" >/dev/null
is "$(sig WX1)" "1/1" "another trigger that swallows an error in a subtransaction: the signal is kept (it was written inside that subtransaction and lost)"
q -c "SELECT qe.rule_names(1)" -c "INSERT INTO public.wy (part, x) VALUES ('WX2', 5), ('WX2', 5), ('WX2', 0)" >/dev/null
is "$(sig WX2)" "3/3" "deferred triggers with one that swallows an error: three points, three signals (beyond limits; beyond limits and zone A)"
printf 'BEGIN;\nCOPY public.wx (part, x) FROM stdin;\nWX3\t5\nWX3\t5\nWX3\t-5\n\\.\nSAVEPOINT s;\nSELECT 1;\nROLLBACK TO s;\nCOMMIT;\n' | q >/dev/null 2>&1
is "$(sig WX3)" "4/3" "a new session's COPY, then a statement rolled back to a savepoint: three points, four signals"
q -c "CREATE FUNCTION public.wx_chain() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS \$\$ BEGIN IF NEW.characteristic = 'WX4' THEN INSERT INTO wx (part, x) VALUES ('WX1', 0); END IF; RETURN NULL; END \$\$" \
  -c "CREATE TRIGGER wx_chain AFTER INSERT ON qe.spc_signal FOR EACH ROW EXECUTE FUNCTION public.wx_chain()" >/dev/null
before=$(q -c "SELECT n_points FROM qe.spc_state WHERE characteristic = 'WX1'")
q -c "INSERT INTO public.wx (part, x) SELECT 'WX4', 5 FROM generate_series(1, 100)" >/dev/null
after=$(q -c "SELECT n_points FROM qe.spc_state WHERE characteristic = 'WX1'")
got=$(q -c "SELECT count(DISTINCT row_ref) || ' points signalled, ' || count(*) || ' signals' FROM qe.spc_signal WHERE characteristic = 'WX4'")
want="100 points signalled, $((after - before)) signals"
is "$got" "$want" "a trigger on qe.spc_signal that inserts a measurement per signal: all 100 points signalled, and as many new points counted as signals written"
q -c "DROP TRIGGER wx_chain ON qe.spc_signal" -c "DROP FUNCTION public.wx_chain()" >/dev/null

# 8. a third pass (each failed or lost data before)
q <<'SQL' >/dev/null
CREATE TABLE public.wz (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER w AFTER INSERT ON public.wz FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
CREATE TABLE public.wz_def (id bigserial PRIMARY KEY, part text, x double precision);
CREATE CONSTRAINT TRIGGER w AFTER INSERT ON public.wz_def DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
CREATE TABLE public.wz_audit (signal_id bigint);
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('WZA', 0, 1), ('WZB', 0, 1), ('WZE', 0, 1), ('WZU', 0, 1), ('WZF', 0, 1);
CREATE FUNCTION public.wz_aud() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.characteristic LIKE 'WZ%' THEN INSERT INTO public.wz_audit VALUES (NEW.signal_id); END IF; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER wz_aud AFTER INSERT ON qe.spc_signal DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.wz_aud();
CREATE FUNCTION public.wz_fwd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.characteristic = 'WZE' AND NEW.value > 5 THEN INSERT INTO public.wz_def (part, x) VALUES ('WZE', -4); END IF;
  IF NEW.characteristic = 'WZA' THEN INSERT INTO public.wz (part, x) VALUES ('WZB', 0.5); END IF;
  IF NEW.characteristic = 'WZF' THEN INSERT INTO public.wz (part, x) VALUES ('WZF', 9); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER wz_fwd AFTER INSERT ON qe.spc_signal FOR EACH ROW EXECUTE FUNCTION public.wz_fwd();
SQL
st() { q -c "SELECT coalesce((SELECT n_points FROM qe.spc_state WHERE characteristic = '$1'), 0)"; }
q -c "INSERT INTO public.wz_def (part, x) VALUES ('WZE', 9)" >/dev/null
is "$(st WZE) $(q -c "SELECT count(*) FROM public.wz_audit")" "2 2" \
   "deferred triggers queued while writing at commit fire too: the cascaded row counted, both signals audited"
out=$(q -c "BEGIN" -c "INSERT INTO public.wz (part, x) VALUES ('WZA', 9)" -c "SAVEPOINT a" -c "INSERT INTO public.wz (part, x) VALUES ('WZB', 0.5)" \
        -c "ROLLBACK TO a" -c "UPDATE qe.spc_limits SET center = 0.1 WHERE characteristic = 'WZB'" -c "COMMIT" 2>&1 | grep ERROR)
is "$out$(st WZB)" "1" "points cascaded from a signal are written with their statement: a later savepoint rollback and new limits commit"
printf 'CREATE TEMP TABLE wz_u (n int);\nCREATE FUNCTION pg_temp.wz_util() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN SET LOCAL application_name = %s; RETURN NULL; END $$;\nCREATE TRIGGER z_util AFTER INSERT ON public.wz FOR EACH ROW EXECUTE FUNCTION pg_temp.wz_util();\nBEGIN;\nCREATE TEMP TABLE u0 AS SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = %s::regclass;\nCOPY public.wz (part, x) FROM stdin;\n' "'x'" "'qe.spc_state'" > /tmp/wz_copy.sql
for i in $(seq 1 2000); do printf 'WZU\t0.1\n' >> /tmp/wz_copy.sql; done
printf '\\.\nSELECT n_tup_upd - (SELECT n_tup_upd FROM u0) FROM pg_stat_xact_user_tables WHERE relid = %s::regclass;\nCOMMIT;\n' "'qe.spc_state'" >> /tmp/wz_copy.sql
is "$(q -c "SELECT qe.rule_names(1)" -f /tmp/wz_copy.sql 2>&1 | tail -1)" "1" "COPY with another trigger that runs a utility statement per row: the state written once, not per row"
rm -f /tmp/wz_copy.sql
out=$(q -c "INSERT INTO public.wz (part, x) VALUES ('WZF', 9)" 2>&1 | sed -n 's/^ERROR: *\(qe.spc_watch: measurements of characteristic "WZF" are inserted\).*/\1/p')
is "$out" 'qe.spc_watch: measurements of characteristic "WZF" are inserted' "a signal trigger that feeds itself is stopped by the depth guard, quickly"
q -c "DROP TRIGGER wz_fwd ON qe.spc_signal" -c "DROP TRIGGER wz_aud ON qe.spc_signal" >/dev/null

# 9. a deferred trigger on the signals that feeds itself is stopped at commit
q <<'SQL' >/dev/null
CREATE TABLE public.wloop (id bigserial PRIMARY KEY, part text, x double precision);
CREATE TRIGGER w AFTER INSERT ON public.wloop FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x', '', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('WZL', 0, 1);
CREATE FUNCTION public.wloopf() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.characteristic = 'WZL' THEN INSERT INTO public.wloop (part, x) VALUES ('WZL', 9); END IF; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER wloopd AFTER INSERT ON qe.spc_signal DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.wloopf();
SQL
out=$(timeout 300 psql -X -q -At -c "INSERT INTO public.wloop (part, x) VALUES ('WZL', 9)" 2>&1 | sed -n 's/^ERROR: *\(qe.spc_watch: signals written at commit kept queuing\).*/\1/p')
is "$out $(q -c "SELECT count(*) FROM public.wloop")" "qe.spc_watch: signals written at commit kept queuing 0" \
   "a deferred signal trigger that inserts measurements forever: stopped with an error, nothing committed"
q -c "DROP TRIGGER wloopd ON qe.spc_signal" -c "DROP FUNCTION public.wloopf()" >/dev/null

echo "1..$n"
[ $failed = 0 ]
