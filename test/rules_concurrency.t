#!/bin/sh
# qe.spc_watch under concurrency: two sessions insert into the same
# characteristic at once (single-row transactions, and batches); the state
# row lock serialises them: every measurement is counted exactly once, no
# error, no deadlock, and the stored state stays valid.
set -u
echo "1..7"
psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL'
DROP TABLE IF EXISTS public.conc_meas;
CREATE TABLE public.conc_meas (id bigserial, part text, x float8);
CREATE TRIGGER watch AFTER INSERT ON public.conc_meas FOR EACH ROW EXECUTE FUNCTION qe.spc_watch('part', 'x');
DELETE FROM qe.spc_limits WHERE characteristic IN ('CONC1', 'CONC2');
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('CONC1', 0, 1), ('CONC2', 0, 1);
SQL
session() {
    # $1 = seed; 300 single-row transactions, then 5 batches of 200 rows, both characteristics
    {
        i=0
        while [ $i -lt 300 ]; do
            echo "INSERT INTO public.conc_meas (part, x) VALUES ('CONC' || (1 + $i % 2), (random() - 0.5) * 5);"
            i=$((i + 1))
        done
        for b in 1 2 3 4 5; do
            echo "INSERT INTO public.conc_meas (part, x) SELECT 'CONC' || (1 + k % 2), (random() - 0.5) * 5 FROM generate_series(1, 200) k;"
        done
    } | psql -X -q -v ON_ERROR_STOP=1 >/tmp/qe_conc_$1.out 2>&1
    echo $? > /tmp/qe_conc_$1.rc
}
session a & session b & wait
ra=$(cat /tmp/qe_conc_a.rc); rb=$(cat /tmp/qe_conc_b.rc)
[ "$ra" = 0 ] && [ "$rb" = 0 ] && echo "ok 1 - both sessions finished without error" \
    || { echo "not ok 1 - both sessions finished without error"; sed 's/^/# /' /tmp/qe_conc_a.out /tmp/qe_conc_b.out | head -20; }
n=$(psql -X -At -c "SELECT sum(n_points) FROM qe.spc_state WHERE characteristic IN ('CONC1', 'CONC2')")
rows=$(psql -X -At -c "SELECT count(*) FROM public.conc_meas")
[ "$n" = "$rows" ] && [ "$rows" = 2600 ] && echo "ok 2 - every one of the 2600 measurements counted once" \
    || echo "not ok 2 - every measurement counted once (n_points $n, rows $rows)"
s=$(psql -X -At -c "SELECT count(*) FROM qe.spc_state WHERE characteristic IN ('CONC1', 'CONC2')")
[ "$s" = 2 ] && echo "ok 3 - one state row per characteristic" || echo "not ok 3 - one state row per characteristic ($s)"
# the stored state is valid: one more insert goes through
psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO public.conc_meas (part, x) VALUES ('CONC1', 0)" >/dev/null 2>&1 \
    && echo "ok 4 - the stored state is still valid" || echo "not ok 4 - the stored state is still valid"

# 5-6. REPEATABLE READ: two sessions take the first measurement of a new
# characteristic at once.  The second waits for the first's lock, then cannot
# see its new state row in its snapshot: it must fail with a serialization
# error, not create a second state row (which forks the runs).
psql -X -q -c "INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('CONC_RR', 0, 1)" >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT 1" \
     -c "INSERT INTO public.conc_meas (part, x) VALUES ('CONC_RR', 1)" -c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null 2>&1 &
sleep 0.5
err=$(psql -X -q -v ON_ERROR_STOP=1 -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT 1" \
     -c "INSERT INTO public.conc_meas (part, x) VALUES ('CONC_RR', 1)" -c "COMMIT" 2>&1 | sed -n 's/^ERROR: *\(could not serialize\).*/\1/p')
wait
[ "$err" = "could not serialize" ] && echo "ok 5 - repeatable read: the second first-measurement fails with a serialization error" \
    || echo "not ok 5 - repeatable read: the second first-measurement fails with a serialization error (got '$err')"
s=$(psql -X -At -c "SELECT count(*) || '/' || sum(n_points) FROM qe.spc_state WHERE characteristic = 'CONC_RR'")
[ "$s" = "1/1" ] && echo "ok 6 - ... one state row, one point" || echo "not ok 6 - ... one state row, one point (rows/points $s)"

# 7. the documented privileges are enough: a member of qe_inspector with
# INSERT on the measurement table records the first point of a new
# characteristic (its lock used to need UPDATE on qe.spc_limits)
out=$(psql -X -q -At -v ON_ERROR_STOP=1 2>&1 <<'SQL'
SET client_min_messages = warning;
DROP ROLE IF EXISTS qe_conc_meter;
CREATE ROLE qe_conc_meter IN ROLE qe_inspector;
GRANT INSERT ON public.conc_meas TO qe_conc_meter;
GRANT USAGE ON SEQUENCE public.conc_meas_id_seq TO qe_conc_meter;
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('CONC_PRIV', 0, 1);
SET ROLE qe_conc_meter;
INSERT INTO public.conc_meas (part, x) VALUES ('CONC_PRIV', 5), ('CONC_UNWATCHED', 1);
RESET ROLE;
SELECT n_points || '/' || (SELECT count(*) FROM qe.spc_signal WHERE characteristic = 'CONC_PRIV') FROM qe.spc_state WHERE characteristic = 'CONC_PRIV';
SQL
)
[ "$out" = "1/1" ] && echo "ok 7 - a qe_inspector records a new characteristic's first point and its signal" \
    || { echo "not ok 7 - a qe_inspector records a new characteristic's first point and its signal"; echo "$out" | sed 's/^/# /'; }
psql -X -q -c "DROP ROLE IF EXISTS qe_conc_meter" -c "DROP TABLE public.conc_meas" \
     -c "DELETE FROM qe.spc_signal WHERE characteristic LIKE 'CONC%'" -c "DELETE FROM qe.spc_limits WHERE characteristic LIKE 'CONC%'" >/dev/null 2>&1
rm -f /tmp/qe_conc_a.out /tmp/qe_conc_b.out /tmp/qe_conc_a.rc /tmp/qe_conc_b.rc
