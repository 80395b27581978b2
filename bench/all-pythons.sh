#!/bin/sh
# all-pythons.sh -- the instruction tables of `make bench` for every CPython
# on this machine, each configured and built in a folder of its own, then
# one table of the key ratios with a column per Python.
#
#   bench/all-pythons.sh [PYTHON...]
#
# Without arguments: every pyenv CPython and every /usr/bin/python3.N
# (bench/pythons.sh).
# Interpreters that configure refuses (older than 3.8, free-threaded) are
# skipped. Build folders go under $BENCH_BUILDS (default ./bench-builds),
# and are reused. Times are skipped unless BENCH_TIMES=1; BENCH_QUICK=1
# makes each run short.
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builds=${BENCH_BUILDS:-$PWD/bench-builds}
mkdir -p "$builds"
builds=$(cd "$builds" && pwd)

# shellcheck disable=SC2046
[ $# -ne 0 ] || set -- $(sh "$srcdir/bench/pythons.sh")

results=
seen=
report_python=
for py in "$@"; do
    real=$(readlink -f "$py")
    case " $seen " in *" $real "*) continue ;; esac
    seen="$seen $real"
    name=$("$py" -c 'import sys, sysconfig
print("%d.%d.%d" % sys.version_info[:3] + (sysconfig.get_config_var("ABIFLAGS") or ""))' 2>/dev/null) || {
        echo "== $py: does not run, skipped"; continue; }
    dir=$builds/py$name
    n=2
    while [ -f "$dir/.python" ] && [ "$(cat "$dir/.python")" != "$real" ]; do
        dir=$builds/py$name-$n; n=$((n + 1))
    done
    mkdir -p "$dir"
    echo "$real" > "$dir/.python"
    echo "== $py (Python $name) in $dir"
    if [ ! -f "$dir/Makefile" ] && ! (cd "$dir" && "$srcdir/configure" --with-python="$py" > configure.log 2>&1); then
        echo "   configure refused it (see $dir/configure.log), skipped"
        continue
    fi
    if ! (cd "$dir" && BENCH_TIMES=${BENCH_TIMES:-0} make -j2 bench > bench.log 2>&1); then
        echo "   make bench failed (see $dir/bench.log)"
        tail -n 20 "$dir/bench.log"
        continue
    fi
    sed -n '/^libpyz3 .* benchmark/,/^Results: /p' "$dir/bench.log"
    file=$(sed -n 's/^Results: //p' "$dir/bench.log")
    results="$results $dir/$file"
    report_python=${report_python:-$py}
done

if [ -z "$results" ]; then
    echo "no Python could be benchmarked" >&2
    exit 1
fi
echo
echo "### Instruction ratios, pyz3 inline / raw C API, per Python"
echo
# shellcheck disable=SC2086
"$report_python" "$srcdir/bench/report.py" --summary $results
