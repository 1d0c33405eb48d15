# Sourced by the pgbench benchmarks (after $db, $tmp, $PGBENCH, $CLIENTS and
# $T are set).  run NAME runs pgbench on $tmp/NAME.sql and prints two
# figures: tps (wall clock, what the clients see) and the server's CPU time
# per transaction: the CPU the backends used, read from the postmaster's
# reaped-children times (/proc/PID/stat fields 16 and 17) once pgbench's
# connections have exited, divided by the transactions done.  The CPU
# figure is far less disturbed by other tenants of a shared machine.
datadir=$(psql -X -At -d $db -c 'SHOW data_directory')
pm=$(head -1 "$datadir/postmaster.pid")
hz=$(getconf CLK_TCK)
children_ticks() { awk '{print $16 + $17}' "/proc/$pm/stat"; }
run() {   # prints "tps cpu_us_per_transaction"
    c0=$(children_ticks)
    out=$("$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$T" -f "$tmp/$1.sql" $db 2>"$tmp/err") || { echo "pgbench failed:" >&2; tail -5 "$tmp/err" >&2; exit 1; }
    sleep 0.3   # let the backends exit and be reaped
    c1=$(children_ticks)
    n=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    echo "$tps $c0 $c1 $n $hz" | awk '{printf "%.0f %.1f\n", $1, ($3 - $2) * 1e6 / $5 / $4}'
}
