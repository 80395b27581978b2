#!/bin/sh
# run.sh -- run the benchmark program and print its report; `make bench`
# calls it with the program just built.
#
#   run.sh SRCDIR PROGRAM RESULTS [PROCESS]
#
# PROCESS, the program bench/pyz3_process, adds the tables of
# bench/process.sh (the seed's combined benchmark and scaling).
#
# Environment: PYTHON (the configured interpreter, which also runs the
# report), VALGRIND (empty: no instruction counts), CC, CFLAGS, VERSION;
# BENCH_QUICK=1 for a short run; BENCH_TIMES=0 for instruction counts only;
# BENCH_IR_N, BENCH_TIME_N, BENCH_RUNS to set the sizes.
set -eu

srcdir=$1
prog=$2
results=$3
process=${4:-}

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

"$prog" --list > "$work/list"

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
            "$prog" --callgrind "$ir_n" > "$work/cg.log" 2>&1; then
        cat "$work/cg.log" >&2
        exit 1
    fi
    set -- "$@" --callgrind "$work/cg" --info "ir_n=$ir_n" \
        --info "valgrind=$("$VALGRIND" --version)"
fi

if [ "${BENCH_TIMES:-1}" != 0 ]; then
    "$prog" --time "$time_n" "$runs" > "$work/times"
    set -- "$@" --times "$work/times" --info "time_n=$time_n" --info "runs=$runs"
fi

"$PYTHON" "$srcdir/bench/report.py" "$@"
if [ -n "$process" ]; then
    sh "$srcdir/bench/process.sh" "$srcdir" "$process" "$results"
fi
echo
echo "Results: $results"
