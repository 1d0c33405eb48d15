#!/bin/sh
# Runs inside pg_virtualenv (see 'make bench').  Usage:
#   test/bench/run.sh [name ...]      names of test/bench/<name>.sql; default: all
# Environment: ROWS (default 10000000) is passed to every script as :rows.
# Each script prints its timings and the ratios against the baselines it
# measures in the same run; nothing here asserts a time.
set -eu
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-10000000}
dropdb --if-exists qe_bench
createdb qe_bench
psql -X -q -v ON_ERROR_STOP=1 -d qe_bench -c 'CREATE EXTENSION quality_escape' -f test/bench/_lib.sql
if [ $# -eq 0 ]; then
    set -- $(ls test/bench/*.sql | grep -v '/_' | sed 's|test/bench/||; s|\.sql$||')
fi
for name in "$@"; do
    echo "== bench $name (rows = $ROWS) =="
    psql -X -q -v ON_ERROR_STOP=1 -P pager=off -v rows="$ROWS" -d qe_bench -f "test/bench/$name.sql"
done
