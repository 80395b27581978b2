#!/bin/sh
# process.sh -- run bench/pyz3_process and print its tables: the seed's
# combined benchmark (process_data over 100,000 small ints, five builds),
# process_data against the number of items, and GIL scopes from 1, 2, 4
# and 8 threads. bench/run.sh calls it after the per-operation tables.
#
#   process.sh SRCDIR PROGRAM RESULTS
#
# The tables are appended to RESULTS; with gnuplot installed, the scaling
# figures are drawn in scaling.svg next to it. Environment as for run.sh:
# PYTHON, VALGRIND, CC, CFLAGS, VERSION, BENCH_QUICK, BENCH_TIMES,
# BENCH_RUNS.
set -eu

srcdir=$1
prog=$2
results=$3

seed_n=100000
sizes="1000 10000 100000 1000000"
threads="1 2 4 8"
# A thread measurement lasts many GIL switch intervals (5 ms), even in a
# quick run: a thread waiting for the GIL asks for it only after one, so a
# shorter one measures how the threads start rather than how they share.
thread_n=160000000
if [ "${BENCH_QUICK:-0}" != 0 ]; then
    ir_n=10000; size_min=100000; runs=${BENCH_RUNS:-3}; thread_runs=${BENCH_RUNS:-1}
else
    ir_n=$seed_n; size_min=1000000; runs=${BENCH_RUNS:-21}; thread_runs=${BENCH_RUNS:-5}
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-process.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

PYTHONHASHSEED=0
export PYTHONHASHSEED

"$prog" --list > "$work/list"

set -- --list "$work/list" --results "$results" \
    --plot "$(dirname "$results")/scaling.svg" \
    --info "version=${VERSION:-?}" --info "python=${PYTHON:-?}" \
    --info "cc=$(${CC:-cc} --version 2>/dev/null | sed -n 1p)" \
    --info "cflags=${CFLAGS:-}"

if [ -n "${VALGRIND:-}" ] && grep -q "^callgrind.yes$" "$work/list"; then
    mkdir "$work/cg"
    if ! "$VALGRIND" --tool=callgrind --callgrind-out-file="$work/cg/cg.out" \
            "$prog" --callgrind "$ir_n" > "$work/cg.log" 2>&1; then
        cat "$work/cg.log" >&2
        exit 1
    fi
    set -- "$@" --callgrind "$work/cg" --info "valgrind=$("$VALGRIND" --version)"
fi

if [ "${BENCH_TIMES:-1}" != 0 ]; then
    "$prog" --seed "$seed_n" "$runs" > "$work/times"
    # shellcheck disable=SC2086
    "$prog" --sizes "$runs" "$size_min" $sizes >> "$work/times"
    # shellcheck disable=SC2086
    "$prog" --threads "$thread_n" "$thread_runs" $threads >> "$work/times"
    set -- "$@" --times "$work/times" --info "runs=$runs" \
        --info "thread_runs=$thread_runs" --info "seed_n=$seed_n" \
        --info "size_min=$size_min"
fi

"$PYTHON" "$srcdir/bench/process_report.py" "$@"
