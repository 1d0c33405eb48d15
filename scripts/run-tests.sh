#!/bin/sh
# Runs inside pg_virtualenv (PGHOST/PGPORT/PGUSER point at a throwaway cluster).
# 1. pg_regress (sql/ + expected/), 2. pgTAP files test/*.sql via pg_prove,
# 3. TAP scripts test/*.t (multi-connection, dump/restore) via prove.
set -eu
cd "$(dirname "$0")/.."
status=0

if ! make --no-print-directory installcheck; then
    [ -f regression.diffs ] && cat regression.diffs
    status=1
fi

dropdb --if-exists qe_tap
createdb qe_tap
psql -X -q -v ON_ERROR_STOP=1 -d qe_tap \
     -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION quality_escape'
set -- test/*.sql
if [ -e "$1" ]; then
    pg_prove -d qe_tap "$@" || status=1
fi
set -- test/*.t
if [ -e "$1" ]; then
    PGDATABASE=qe_tap prove "$@" || status=1
fi
exit $status
