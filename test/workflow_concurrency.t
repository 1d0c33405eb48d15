#!/bin/bash
# Two sessions moving the same record at once (run by prove with PGDATABASE,
# PGHOST, PGPORT, PGUSER set; see scripts/run-tests.sh).
#
# What PostgreSQL does: the second UPDATE waits for the first's row lock.
# Under READ COMMITTED it then re-reads the committed row, and the BEFORE
# trigger sees the new state as OLD, so it is judged from where the record
# really is, never from the stale state both sessions started from.  Under
# REPEATABLE READ the second session gets a serialization failure (40001).
set -u
n=0; failed=0
ok()   { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed+1)); fi; }
is()   { [ "$1" = "$2" ]; local r=$?; ok $r "$3"; [ $r = 0 ] || echo "#   got '$1', want '$2'"; }
like() { printf '%s' "$1" | grep -qE -- "$2"; local r=$?; ok $r "$3"; [ $r = 0 ] || echo "#   '$1' does not match /$2/"; }
q()    { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

tmp=$(mktemp -d)
cleanup() {
    exec 3>&- 2>/dev/null
    q -c "DROP SCHEMA IF EXISTS wfc CASCADE" -c "DELETE FROM qe.workflow WHERE name = 'wfc'" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

q <<'SQL' >/dev/null
DROP SCHEMA IF EXISTS wfc CASCADE;
DELETE FROM qe.workflow WHERE name = 'wfc';
CREATE SCHEMA wfc;
CREATE TABLE wfc.item (id int PRIMARY KEY, st text NOT NULL, note text);
INSERT INTO qe.workflow VALUES ('wfc', 'concurrency test');
INSERT INTO qe.workflow_state (workflow, state, is_initial) VALUES ('wfc', 'NEW', true), ('wfc', 'A', false), ('wfc', 'B', false);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state) VALUES ('wfc', 'NEW', 'A'), ('wfc', 'NEW', 'B');
CREATE TRIGGER wf BEFORE INSERT OR UPDATE ON wfc.item FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('wfc', 'st');
INSERT INTO wfc.item SELECT g, 'NEW' FROM generate_series(1, 400) g;
SQL

# only the audit records this run writes count (the trail outlives the test table)
start=$(q -c "SELECT coalesce(max(id), 0) FROM qe.audit_trail")

# session A: an open psql fed through a fifo, so its transaction stays open
start_a() {
    rm -f "$tmp/a"; mkfifo "$tmp/a"
    PGAPPNAME=wfc_a psql -X -q -At -v ON_ERROR_STOP=0 < "$tmp/a" > "$tmp/a.out" 2>&1 &
    apid=$!
    exec 3>"$tmp/a"
}
stop_a() { exec 3>&-; wait $apid; }
wait_for() {   # wait until a query returns t (at most 20 s)
    for _ in $(seq 1 200); do [ "$(q -c "$1")" = t ] && return 0; sleep 0.1; done; return 1
}
a_idle_in_tx() { wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'wfc_a' AND state = 'idle in transaction')"; }
b_waiting()    { wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'wfc_b' AND wait_event_type = 'Lock')"; }
audits()       { q -c "SELECT count(*) FROM qe.audit_trail WHERE id > $start AND table_name = 'wfc.item' AND row_key = '$1' AND event = 'transition'"; }

# 1. both move item 1 NEW -> A: the second waits, then sees A -> A (no change)
start_a
echo "BEGIN; UPDATE wfc.item SET st = 'A' WHERE id = 1;" >&3
a_idle_in_tx; ok $? "session A holds item 1 in an open transaction"
PGAPPNAME=wfc_b psql -X -q -At -c "UPDATE wfc.item SET st = 'A', note = 'b' WHERE id = 1" > "$tmp/b.out" 2>&1 &
bpid=$!
b_waiting; ok $? "session B waits for A's row lock"
echo "COMMIT;" >&3; stop_a
wait $bpid; brc=$?
is "$brc" 0 "B's update then goes through as a no-op on the state"
is "$(audits 1)" 1 "only one NEW -> A transition is audited for item 1"

# 2. A moves item 2 NEW -> A while B tries NEW -> B: B is judged from A and refused
start_a
echo "BEGIN; UPDATE wfc.item SET st = 'A' WHERE id = 2;" >&3
a_idle_in_tx
PGAPPNAME=wfc_b psql -X -q -At -v ON_ERROR_STOP=1 -c "UPDATE wfc.item SET st = 'B' WHERE id = 2" > "$tmp/b.out" 2>&1 &
bpid=$!
b_waiting; ok $? "session B waits for A's row lock"
echo "COMMIT;" >&3; stop_a
wait $bpid; brc=$?
ok $([ $brc -ne 0 ]; echo $?) "B's NEW -> B fails once A has committed NEW -> A"
like "$(cat "$tmp/b.out")" 'refuses wfc.item row 2: "A" -> "B"' "B is refused from the committed state A, not from NEW"
is "$(q -c "SELECT st FROM wfc.item WHERE id = 2")" A "item 2 is in state A"
is "$(audits 2)" 1 "one transition audited for item 2"

# 3. A rolls back: B, waiting on NEW -> B, then succeeds from NEW
start_a
echo "BEGIN; UPDATE wfc.item SET st = 'A' WHERE id = 3;" >&3
a_idle_in_tx
PGAPPNAME=wfc_b psql -X -q -At -v ON_ERROR_STOP=1 -c "UPDATE wfc.item SET st = 'B' WHERE id = 3" > "$tmp/b.out" 2>&1 &
bpid=$!
b_waiting
echo "ROLLBACK;" >&3; stop_a
wait $bpid; brc=$?
is "$brc" 0 "after A rolls back, B's NEW -> B succeeds"
is "$(q -c "SELECT st || ':' || (SELECT string_agg(from_state || '>' || to_state, ',') FROM qe.audit_trail WHERE id > $start AND table_name = 'wfc.item' AND row_key = '3' AND event = 'transition') FROM wfc.item WHERE id = 3")" "B:NEW>B" \
   "item 3 is B and only B's transition is audited"

# 4. REPEATABLE READ: the second session gets a serialization failure
start_a
echo "BEGIN; UPDATE wfc.item SET st = 'A' WHERE id = 4;" >&3
a_idle_in_tx
PGAPPNAME=wfc_b psql -X -q -At -v ON_ERROR_STOP=1 \
    -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1; UPDATE wfc.item SET st = 'B' WHERE id = 4; COMMIT;" > "$tmp/b.out" 2>&1 &
bpid=$!
b_waiting
echo "COMMIT;" >&3; stop_a
wait $bpid
like "$(cat "$tmp/b.out")" 'could not serialize access due to concurrent update' "REPEATABLE READ: B fails with a serialization failure"

# 5. a rule tightened in another session applies to a session that has the old rules cached
start_a
echo "UPDATE wfc.item SET st = 'A' WHERE id = 5;" >&3          # A loads and caches the definitions
q -c "UPDATE qe.workflow_transition SET required_columns = '{note}' WHERE workflow = 'wfc' AND from_state = 'NEW' AND to_state = 'B'"
echo "UPDATE wfc.item SET st = 'B' WHERE id = 6;" >&3
echo "SELECT 'done';" >&3
stop_a
like "$(cat "$tmp/a.out")" 'Missing: column note' "session A sees the tightened gate at its next statement (cache invalidated)"
is "$(q -c "SELECT st FROM wfc.item WHERE id = 6")" NEW "and the refused row stays NEW"
q -c "UPDATE qe.workflow_transition SET required_columns = '{}' WHERE workflow = 'wfc' AND from_state = 'NEW' AND to_state = 'B'"

# 6. many sessions appending at once: one linear chain (stream) per session
before=$(q -c "SELECT coalesce(max(id), 0) FROM qe.audit_trail")
for s in 0 1 2 3; do
    ( for i in $(seq 0 49); do
          id=$((100 + s * 50 + i))
          echo "UPDATE wfc.item SET st = 'A' WHERE id = $id;"
      done | psql -X -q -v ON_ERROR_STOP=1 > "$tmp/p$s.out" 2>&1 ) &
done
wait
is "$(q -c "SELECT count(*) FROM qe.audit_trail WHERE id > $before")" 200 "4 sessions x 50 transitions: 200 audit records"
is "$(q -c "SELECT count(DISTINCT stream) || ' ' || min(n) || ' ' || max(n) FROM (SELECT stream, count(*) n FROM qe.audit_trail WHERE id > $before GROUP BY stream) s")" "4 50 50" \
   "each session appended its 50 records to a stream of its own"
is "$(q -c "SELECT bool_and(seq = r) FROM (SELECT seq, row_number() OVER (PARTITION BY stream ORDER BY id) r FROM qe.audit_trail WHERE id > $before) s")" t \
   "within a stream, seq follows the order of appends: 1, 2, 3, ..."
is "$(q -c "SELECT ok FROM qe.verify_audit_trail()")" t "every stream verifies"
is "$(q -c "SELECT count(prev_hash) - count(DISTINCT prev_hash) FROM qe.audit_trail")" 0 "no two records share a predecessor (no fork)"

# 7. a rolled-back transaction: the session's stream continues from its last committed record
out=$(q <<'SQL'
UPDATE wfc.item SET st = 'A' WHERE id = 300;
SELECT stream || ' ' || seq FROM qe.audit_trail ORDER BY id DESC LIMIT 1;
BEGIN;
UPDATE wfc.item SET st = 'A' WHERE id = 301;
ROLLBACK;
UPDATE wfc.item SET st = 'A' WHERE id = 302;
SELECT stream || ' ' || seq FROM qe.audit_trail ORDER BY id DESC LIMIT 1;
SQL
)
set -- $out
is "$3 $4" "$1 $(($2 + 1))" "after a rollback the next record takes the place the rolled-back one had in the stream"
is "$(q -c "SELECT count(*) FROM qe.audit_trail WHERE id > $start AND table_name = 'wfc.item' AND row_key = '301' AND event = 'transition'")" 0 "the rolled-back record is gone"
is "$(q -c "SELECT ok FROM qe.verify_audit_trail()")" t "and the chain verifies"

echo "1..$n"
[ $failed = 0 ]
