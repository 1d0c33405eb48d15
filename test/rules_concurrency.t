#!/bin/sh
# qe.spc_watch under concurrency: two sessions insert into the same
# characteristic at once (single-row transactions, and batches); the state
# row lock serialises them: every measurement is counted exactly once, no
# error, no deadlock, and the stored state stays valid.
set -u
echo "1..4"
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
psql -X -q -c "DROP TABLE public.conc_meas; DELETE FROM qe.spc_signal WHERE characteristic IN ('CONC1', 'CONC2'); DELETE FROM qe.spc_limits WHERE characteristic IN ('CONC1', 'CONC2')" >/dev/null 2>&1
rm -f /tmp/qe_conc_a.out /tmp/qe_conc_b.out /tmp/qe_conc_a.rc /tmp/qe_conc_b.rc
