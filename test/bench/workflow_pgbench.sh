#!/bin/sh
# pgbench: single-row UPDATEs of a state column by several clients, with
# qe.enforce_workflow (and its audit append) against the same table without it,
# and against the same workflow with audit = false (the engine alone).
# Run inside pg_virtualenv after 'make install', e.g.
#   flock /tmp/qe-pg.lock sh -c 'make install && pg_virtualenv -v 15 sh test/bench/workflow_pgbench.sh'
# Environment: CLIENTS (4), SECONDS_EACH (10), ROWS (100000).
set -eu
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
CLIENTS=${CLIENTS:-4}; T=${SECONDS_EACH:-10}; ROWS=${ROWS:-100000}
db=qe_wf_pgbench
dropdb --if-exists $db; createdb $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE EXTENSION quality_escape;
CREATE SCHEMA wfb;
CREATE TABLE wfb.plain (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.trig  (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
CREATE TABLE wfb.noaudit (id int PRIMARY KEY, st text NOT NULL, qty int, note text);
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
VACUUM ANALYZE;
SQL
tmp=$(mktemp -d)
for t in plain trig noaudit; do
    cat > "$tmp/$t.sql" <<SQL
\set id random(1, $ROWS)
UPDATE wfb.$t SET st = CASE st WHEN 'A' THEN 'B' ELSE 'A' END WHERE id = :id;
SQL
done
run() {   # prints tps
    "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$T" -f "$tmp/$1.sql" $db 2>/dev/null |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
echo "== workflow pgbench: $CLIENTS clients, ${T}s each, $ROWS rows, fsync=$(psql -X -At -d $db -c 'SHOW fsync'), synchronous_commit=$(psql -X -At -d $db -c 'SHOW synchronous_commit') =="
# alternate the three, twice, and keep the best tps of each (shared, noisy machine)
p1=$(run plain); t1=$(run trig); a1=$(run noaudit); p2=$(run plain); t2=$(run trig); a2=$(run noaudit)
best() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }
p=$(best "$p1" "$p2"); t=$(best "$t1" "$t2"); a=$(best "$a1" "$a2")
echo "no trigger:                        tps $p1 / $p2 -> $p"
echo "enforce_workflow + audit:          tps $t1 / $t2 -> $t"
echo "enforce_workflow, audit = false:   tps $a1 / $a2 -> $a"
echo "$p $t" | awk '{printf "ratio with audit    (time per UPDATE, trigger / no trigger): %.2fx\n", $1 / $2}'
echo "$p $a" | awk '{printf "ratio without audit (time per UPDATE, trigger / no trigger): %.2fx\n", $1 / $2}'
psql -X -At -d $db -c "SELECT 'audit chain ok: ' || ok || ', records: ' || records FROM qe.verify_audit_trail()"
rm -rf "$tmp"
dropdb $db
