#!/bin/sh
# run.sh -- run the benchmark program and print its report; `make bench`
# calls it with the program just built.
#
#   run.sh SRCDIR PROGRAM RESULTS
#
# First `PROGRAM ops`: each operation next to the raw C API, instructions
# under callgrind, then times. Then `PROGRAM process`: the seed's combined
# benchmark (process_data over 100,000 small ints, five builds),
# process_data against the number of items, and GIL scopes from 1, 2, 4
# and 8 threads. bench/report.py prints the tables and writes the figures
# to RESULTS; with gnuplot installed, the scaling figures are drawn in
# scaling.svg next to it.
#
# Environment: PYTHON (the configured interpreter, which also runs the
# report), VALGRIND (empty: no instruction counts), CC, CFLAGS, VERSION;
# BENCH_QUICK=1 for a short run; BENCH_TIMES=0 for instruction counts only;
# BENCH_IR_N, BENCH_TIME_N, BENCH_RUNS to set the sizes; BENCH_COMPARE,
# another build's benchmark program (or its build directory), whose thread
# measurements are taken in the same run and shown beside this build's: a
# GIL build's beside a free-threaded one's.
set -eu

srcdir=$1
prog=$2
results=$3

if [ "${BENCH_QUICK:-0}" != 0 ]; then
    ir_n=${BENCH_IR_N:-2000}; time_n=${BENCH_TIME_N:-20000}; runs=${BENCH_RUNS:-3}
else
    ir_n=${BENCH_IR_N:-100000}; time_n=${BENCH_TIME_N:-1000000}; runs=${BENCH_RUNS:-21}
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Instruction counts repeat exactly only with a fixed hash seed.
PYTHONHASHSEED=0
export PYTHONHASHSEED

"$prog" ops --list > "$work/list"

set -- --list "$work/list" --results "$results" \
    --info "version=${VERSION:-?}" --info "python=${PYTHON:-?}" \
    --info "cc=$(${CC:-cc} --version 2>/dev/null | sed -n 1p)" \
    --info "cflags=${CFLAGS:-}"

if [ -z "${VALGRIND:-}" ]; then
    echo "run.sh: valgrind not found: no instruction counts" >&2
elif ! grep -q "^callgrind.yes$" "$work/list"; then
    echo "run.sh: built without <valgrind/callgrind.h>: no instruction counts" >&2
else
    mkdir "$work/cg"
    if ! "$VALGRIND" --tool=callgrind --separate-threads=yes \
            --callgrind-out-file="$work/cg/cg.out" \
            "$prog" ops --callgrind "$ir_n" > "$work/cg.log" 2>&1; then
        cat "$work/cg.log" >&2
        exit 1
    fi
    set -- "$@" --callgrind "$work/cg" --info "ir_n=$ir_n" \
        --info "valgrind=$("$VALGRIND" --version)"
fi

if [ "${BENCH_TIMES:-1}" != 0 ]; then
    "$prog" ops --time "$time_n" "$runs" > "$work/times"
    set -- "$@" --times "$work/times" --info "time_n=$time_n" --info "runs=$runs"
fi

"$PYTHON" "$srcdir/bench/report.py" "$@"

# The seed's combined benchmark, with items and threads.
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

"$prog" process --list > "$work/plist"

ft=$("$PYTHON" -c 'import sysconfig; print("yes" if sysconfig.get_config_var("Py_GIL_DISABLED") else "no")')
compare=${BENCH_COMPARE:-}
if [ -n "$compare" ] && [ -d "$compare" ]; then
    compare=$compare/bench/pyz3_bench
fi
if [ -n "$compare" ] && [ ! -x "$compare" ]; then
    echo "run.sh: BENCH_COMPARE: $compare is not a program" >&2
    exit 1
fi

set -- --process --list "$work/plist" --results "$results" --info "free_threaded=$ft" \
    --plot "$(dirname "$results")/scaling.svg" \
    --info "version=${VERSION:-?}" --info "python=${PYTHON:-?}" \
    --info "cc=$(${CC:-cc} --version 2>/dev/null | sed -n 1p)" \
    --info "cflags=${CFLAGS:-}"

if [ -n "${VALGRIND:-}" ] && grep -q "^callgrind.yes$" "$work/plist"; then
    mkdir "$work/pcg"
    if ! "$VALGRIND" --tool=callgrind --callgrind-out-file="$work/pcg/cg.out" \
            "$prog" process --callgrind "$ir_n" > "$work/pcg.log" 2>&1; then
        cat "$work/pcg.log" >&2
        exit 1
    fi
    set -- "$@" --callgrind "$work/pcg" --info "valgrind=$("$VALGRIND" --version)"
fi

if [ "${BENCH_TIMES:-1}" != 0 ]; then
    "$prog" process --seed "$seed_n" "$runs" > "$work/ptimes"
    # shellcheck disable=SC2086
    "$prog" process --sizes "$runs" "$size_min" $sizes >> "$work/ptimes"
    # shellcheck disable=SC2086
    "$prog" process --threads "$thread_n" "$thread_runs" $threads >> "$work/ptimes"
    if [ -n "$compare" ]; then
        # shellcheck disable=SC2086
        "$compare" process --threads "$thread_n" "$thread_runs" $threads > "$work/ctimes"
        cpython=$("$compare" process --list | sed -n 's/^python[ \t]//p' | sed -n 1p)
        set -- "$@" --compare-times "$work/ctimes" \
            --info "compare=Python ${cpython:-?}, $compare"
    fi
    set -- "$@" --times "$work/ptimes" --info "runs=$runs" \
        --info "thread_runs=$thread_runs" --info "seed_n=$seed_n" \
        --info "size_min=$size_min"
fi

"$PYTHON" "$srcdir/bench/report.py" "$@"
echo
echo "Results: $results"
