#!/bin/sh
# pgbench: single-row UPDATEs of a state column by several clients, with
# qe.enforce_workflow (and its audit append) against the same table without it,
# against the same workflow with audit = false (the engine alone), and against
# the floor of any audited state change: the same UPDATE writing one row into
# a table shaped and indexed as qe.audit_trail, in the same statement (a
# writable CTE), with no check, no hash and no trigger.
# Run inside pg_virtualenv after 'make install', e.g.
#   flock /tmp/qe-pg.lock sh -c 'make install && pg_virtualenv -v 15 sh test/bench/workflow_pgbench.sh'
# Environment: CLIENTS (4), SECONDS_EACH (10), ROUNDS (3), ROWS (100000);
# EXTRA_SQL: statements run after CREATE EXTENSION, to measure a variant.
set -eu
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
CLIENTS=${CLIENTS:-4}; T=${SECONDS_EACH:-10}; ROUNDS=${ROUNDS:-3}; ROWS=${ROWS:-100000}
db=qe_wf_pgbench
dropdb --if-exists $db; createdb $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE EXTENSION quality_escape;
${EXTRA_SQL:-}
CREATE SCHEMA wfb;
CREATE TABLE wfb.plain (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.trig  (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.noaudit (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.floor (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.floor_audit (LIKE qe.audit_trail INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
INSERT INTO qe.workflow VALUES ('bench', 'two-state toggle');
INSERT INTO qe.workflow (name, description, audit) VALUES ('bench_noaudit', 'the same, audit = false', false);
INSERT INTO qe.workflow_state (workflow, state, is_initial) VALUES ('bench_noaudit', 'A', true), ('bench_noaudit', 'B', false);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_columns, required_role)
VALUES ('bench_noaudit', 'A', 'B', '{qty}', 'qe_viewer'), ('bench_noaudit', 'B', 'A', '{qty}', 'qe_viewer');
INSERT INTO qe.workflow_state (workflow, state, is_initial) VALUES ('bench', 'A', true), ('bench', 'B', false);
INSERT INTO qe.workflow_transition (workflow, from_state, to_state, required_columns, required_role)
VALUES ('bench', 'A', 'B', '{qty}', 'qe_viewer'), ('bench', 'B', 'A', '{qty}', 'qe_viewer');
INSERT INTO wfb.plain SELECT g, 'A', g, 'x' FROM generate_series(1, $ROWS) g;
CREATE TRIGGER wf BEFORE INSERT OR UPDATE ON wfb.trig FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('bench', 'st');
INSERT INTO wfb.trig SELECT g, 'A', g, 'x' FROM generate_series(1, $ROWS) g;
CREATE TRIGGER wf BEFORE INSERT OR UPDATE ON wfb.noaudit FOR EACH ROW EXECUTE FUNCTION qe.enforce_workflow('bench_noaudit', 'st');
INSERT INTO wfb.noaudit SELECT g, 'A', g, 'x' FROM generate_series(1, $ROWS) g;
INSERT INTO wfb.floor SELECT g, 'A', g, 'x' FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL
tmp=$(mktemp -d)
for t in plain trig noaudit; do
    cat > "$tmp/$t.sql" <<SQL
\set id random(1, $ROWS)
UPDATE wfb.$t SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END WHERE id = :id;
SQL
done
cat > "$tmp/floor.sql" <<SQL
\set id random(1, $ROWS)
WITH u AS (UPDATE wfb.floor SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END WHERE id = :id RETURNING id, st)
INSERT INTO wfb.floor_audit (at, table_name, row_key, stream, seq, workflow, event, from_state, to_state,
                             session_user_name, current_user_name, prev_hash, hash)
SELECT now(), 'wfb.floor', u.id::text, 1, 1, 'bench', 'transition', CASE u.st WHEN 'A' THEN 'B' ELSE 'A' END, u.st,
       session_user, current_user, '\\x00', '\\x00' FROM u;
SQL
. "$(dirname "$0")/_pgbench.sh"   # run NAME: tps and server CPU per transaction
echo "== workflow pgbench: $CLIENTS clients, ${T}s each, $ROUNDS rounds, $ROWS rows, fsync=$(psql -X -At -d $db -c 'SHOW fsync'), synchronous_commit=$(psql -X -At -d $db -c 'SHOW synchronous_commit') =="
# alternate the three ROUNDS times; keep the best tps and the least CPU of each
for k in plain trig noaudit floor; do eval "tps_$k=0 cpu_$k=1e9 all_$k="; done
i=0
while [ $i -lt "$ROUNDS" ]; do
    for k in plain trig noaudit floor; do
        set -- $(run $k)
        eval "all_$k=\"\$all_$k \$1/\$2\""
        eval "tps_$k=\$(echo \$tps_$k \$1 | awk '{print (\$2 > \$1) ? \$2 : \$1}')"
        eval "cpu_$k=\$(echo \$cpu_$k \$2 | awk '{print (\$2 < \$1) ? \$2 : \$1}')"
    done
    i=$((i + 1))
done
echo "runs as tps/server CPU us per transaction:"
echo "  no trigger:                      $all_plain"
echo "  enforce_workflow + audit:        $all_trig"
echo "  enforce_workflow, audit = false: $all_noaudit"
echo "  UPDATE + audit row, no trigger:  $all_floor"
echo "$tps_plain $tps_trig $cpu_plain $cpu_trig" |
    awk '{printf "with audit:    best tps %d vs %d: %.2fx; least CPU %.1f vs %.1f us per UPDATE: %.2fx\n", $2, $1, $1 / $2, $4, $3, $4 / $3}'
echo "$tps_plain $tps_noaudit $cpu_plain $cpu_noaudit" |
    awk '{printf "without audit: best tps %d vs %d: %.2fx; least CPU %.1f vs %.1f us per UPDATE: %.2fx\n", $2, $1, $1 / $2, $4, $3, $4 / $3}'
echo "$tps_plain $tps_floor $cpu_plain $cpu_floor" |
    awk '{printf "floor (UPDATE + one audit row, no trigger): best tps %d vs %d: %.2fx; least CPU %.1f vs %.1f us: %.2fx\n", $2, $1, $1 / $2, $4, $3, $4 / $3}'
echo "$tps_floor $tps_trig $cpu_floor $cpu_trig" |
    awk '{printf "with audit against that floor: tps %.2fx; CPU %.2fx\n", $1 / $2, $4 / $3}'
psql -X -At -d $db -c "SELECT 'audit chain ok: ' || ok || ', records: ' || records FROM qe.verify_audit_trail()"
rm -rf "$tmp"
dropdb $db
