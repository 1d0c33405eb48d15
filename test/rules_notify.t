#!/bin/sh
# qe.spc_watch sends NOTIFY qe_spc_signal with a JSON payload when a committed
# INSERT fails a test; a listener in another session receives it, and a
# rolled-back INSERT sends nothing.  Needs PGDATABASE etc. (see run-tests.sh).
set -u
echo "1..4"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null 2>&1
DROP TABLE IF EXISTS public.notify_meas;
CREATE TABLE public.notify_meas (id int, part text, t timestamptz, x float8);
CREATE TRIGGER watch AFTER INSERT ON public.notify_meas FOR EACH ROW
    EXECUTE FUNCTION qe.spc_watch('part', 'x', 't', 'id');
DELETE FROM qe.spc_limits WHERE characteristic = 'N';
INSERT INTO qe.spc_limits (characteristic, center, sigma) VALUES ('N', 0, 1);
SQL
# psql prints notifications received after each command; the listener is the
# same session here but the notification is only delivered at commit.
out=$(psql -X -q <<'SQL' 2>&1
LISTEN qe_spc_signal;
BEGIN;
INSERT INTO public.notify_meas VALUES (1, 'N', '2024-03-01 10:00+00', 3.5);
ROLLBACK;
SELECT 'after rollback';
INSERT INTO public.notify_meas VALUES (2, 'N', '2024-03-01 11:00+00', -4);
SELECT 'after commit';
SQL
)
before=$(printf '%s\n' "$out" | sed -n '1,/after rollback/p')
case "$before" in
  *"Asynchronous notification"*) echo "not ok 1 - a rolled-back insert sends no notification";;
  *) echo "ok 1 - a rolled-back insert sends no notification";;
esac
case "$out" in
  *'Asynchronous notification "qe_spc_signal" with payload "{"characteristic":"N","table":"public.notify_meas","row":"2","value":-4,"t":"2024-03-01T11:00:00+00:00","tests":[1],"rules":["beyond_limits"],"signal_ids":['*) echo "ok 2 - committed signal notifies qe_spc_signal with the JSON payload";;
  *) echo "not ok 2 - committed signal notifies qe_spc_signal with the JSON payload"; printf '%s\n' "$out" | sed 's/^/# /';;
esac
n=$(psql -X -At -c "SELECT count(*) FROM qe.spc_signal WHERE characteristic = 'N'")
[ "$n" = 1 ] && echo "ok 3 - one signal row (the rolled-back one is gone)" || echo "not ok 3 - one signal row, got $n"
# payload is valid JSON
p=$(printf '%s\n' "$out" | sed -n 's/.*with payload "\(.*\)" received.*/\1/p' | head -1)
v=$(echo "SELECT (:'p'::json ->> 'value')::float8 = -4 AND (:'p'::json -> 'tests' ->> 0) = '1'" | psql -X -At -v p="$p")
[ "$v" = t ] && echo "ok 4 - the payload parses as JSON" || echo "not ok 4 - the payload parses as JSON ($p)"
psql -X -q -c "DROP TABLE public.notify_meas; DELETE FROM qe.spc_signal WHERE characteristic = 'N'; DELETE FROM qe.spc_limits WHERE characteristic = 'N'" >/dev/null 2>&1
