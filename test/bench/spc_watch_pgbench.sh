#!/bin/sh
# pgbench: single-row INSERT transactions (one measurement each, as an
# instrument or an operator screen sends them) into a table watched by
# qe.spc_watch, against the same INSERTs into the same table without it.
# Each transaction locks, reads and writes its characteristic's state once.
# Run inside pg_virtualenv after 'make install', e.g.
#   pg_virtualenv -v 15 sh test/bench/spc_watch_pgbench.sh
# Environment: CLIENTS (2), SECONDS_EACH (10), ROUNDS (3), CHARACTERISTICS (100).
set -eu
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
CLIENTS=${CLIENTS:-2}; T=${SECONDS_EACH:-10}; ROUNDS=${ROUNDS:-3}; NCHAR=${CHARACTERISTICS:-100}
db=qe_watch_pgbench
dropdb --if-exists $db; createdb $db
psql -X -q -v ON_ERROR_STOP=1 -d $db <<SQL
CREATE EXTENSION quality_escape;
CREATE TABLE public.meas_plain (id bigserial PRIMARY KEY, part text, t timestamptz, x float8);
CREATE TABLE public.meas_watch (id bigserial PRIMARY KEY, part text, t timestamptz, x float8);
CREATE TRIGGER watch AFTER INSERT ON public.meas_watch FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
INSERT INTO qe.spc_limits (characteristic, center, sigma) SELECT 'P' || g, 0, 1 FROM generate_series(1, $NCHAR) g;
SQL
tmp=$(mktemp -d)
for t in plain watch; do
    cat > "$tmp/$t.sql" <<SQL
\set p random(1, $NCHAR)
INSERT INTO public.meas_$t (part, t, x) VALUES ('P' || :p, now(), (random() + random() + random() + random() - 2) * 1.7);
SQL
done
. "$(dirname "$0")/_pgbench.sh"   # run NAME: tps and server CPU per transaction
echo "== spc_watch pgbench: $CLIENTS clients, ${T}s each, $ROUNDS rounds, $NCHAR characteristics, fsync=$(psql -X -At -d $db -c 'SHOW fsync') =="
tps_plain=0; tps_watch=0; cpu_plain=1e9; cpu_watch=1e9; all_plain=; all_watch=
i=0
while [ $i -lt "$ROUNDS" ]; do
    set -- $(run plain); all_plain="$all_plain $1/$2"
    tps_plain=$(echo $tps_plain $1 | awk '{print ($2 > $1) ? $2 : $1}'); cpu_plain=$(echo $cpu_plain $2 | awk '{print ($2 < $1) ? $2 : $1}')
    set -- $(run watch); all_watch="$all_watch $1/$2"
    tps_watch=$(echo $tps_watch $1 | awk '{print ($2 > $1) ? $2 : $1}'); cpu_watch=$(echo $cpu_watch $2 | awk '{print ($2 < $1) ? $2 : $1}')
    i=$((i + 1))
done
echo "runs as tps/server CPU us per transaction:"
echo "  no trigger:    $all_plain"
echo "  qe.spc_watch:  $all_watch"
echo "$tps_plain $tps_watch $cpu_plain $cpu_watch" |
    awk '{printf "best tps %d vs %d: %.2fx; least CPU %.1f vs %.1f us per INSERT: %.2fx\n", $2, $1, $1 / $2, $4, $3, $4 / $3}'
psql -X -At -d $db -c "SELECT 'points watched: ' || sum(n_points) || ', updates HOT: ' || (SELECT n_tup_hot_upd || ' of ' || n_tup_upd FROM pg_stat_user_tables WHERE relid = 'qe.spc_state'::regclass) FROM qe.spc_state"
rm -rf "$tmp"
dropdb $db
