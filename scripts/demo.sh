#!/bin/sh
# Runs inside pg_virtualenv: a fresh database, the extension, then demo/*.sql in order.
set -eu
cd "$(dirname "$0")/.."
dropdb --if-exists qe_demo
createdb qe_demo
psql -X -q -v ON_ERROR_STOP=1 -d qe_demo -c 'CREATE EXTENSION quality_escape'
for f in demo/*.sql; do
    [ -e "$f" ] || continue
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d qe_demo -f "$f"
done
