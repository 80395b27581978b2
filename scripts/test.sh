#!/usr/bin/env bash
# test.sh -- the whole libpyz3 test suite, from a clean checkout.
#
#     sh scripts/test.sh          (as root, or with sudo for apt-get)
#
# Installs what the tests use with apt-get (on Debian, as root or through
# sudo; PYZ3_NO_APT=1 skips it), generates configure if it is missing, then
# builds in fresh directories under _build/ (PYZ3_BUILD_DIR) and runs:
#
#   (a) default    configure, make, make check, with PYTHON if set, else
#                  the python3 on PATH;
#   (b) pymalloc   make check again in (a) with PYTHONMALLOC=debug;
#   (c) python*    make check against every other CPython 3.8+ found: each
#                  pyenv version, /usr/bin/python3.X and the debug
#                  /usr/bin/python3.Xd, in a build directory of its own;
#                  3.8 to 3.13 missing from pyenv are reported as skipped;
#   (d) onelib     make check-onelib in (a): one installed libpyz3.so for
#                  every CPython (tests/onelib/run.sh);
#   (e) debug      configure --enable-debug, make check;
#   (f) distcheck  make distcheck in (a);
#   (g) bench      BENCH_QUICK=1 make bench in (a), if there is such a
#                  target; that it runs is the test, not its times;
#   (h) manlint    mandoc -Tlint on every manual page;
#   (i) buildsys   tests/buildsys/run.sh: Make, Meson, CMake and setuptools
#                  builds against the library installed from (a);
#   (j) abi        scripts/check-abi.sh: the ABI against abi/libpyz3.abi;
#   (k) debian     scripts/check-debian.sh: the .debs, lintian, autopkgtests,
#                  in a Debian root of their own (scripts/debootstrap-root.sh);
#   (l) rpm        scripts/check-rpm.sh: the .rpms and rpmlint;
#   (m) hostile    scripts/check-hostile.sh: sanitizers, valgrind, leaks with
#                  the debug interpreter, allocation failure, interpreter
#                  lifecycle, sub-interpreters, fuzzing.
#
# Counts individual tests: the :test-result: lines of the .trs files that
# `make check` writes (tests/count-driver.sh writes one per Check test and
# unittest test inside a program, and one for any other test program), the
# last line of tests/onelib/run.sh, one test for each of (f), (g) and (h),
# and the last "N passed, N failed" line of each script of (i) to (m)
# (scripts/report.sh, which also keeps this script's count). A step that
# fails to build or run counts as one failed test. The log of each step is
# in _build/logs/. Prints a summary per step, and as its last line "N
# passed, N failed"; exits 0 only if nothing failed.
#
# Environment: PYTHON, JOBS (default 2), PYZ3_BUILD_DIR, PYZ3_NO_APT.

# Started as `sh scripts/test.sh`: continue in bash.
if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi

set -u

cd "$(dirname "$0")/.." || exit 1
srcdir=$(pwd)
build=${PYZ3_BUILD_DIR:-$srcdir/_build}
jobs=${JOBS:-2}
logs=$build/logs
summary=()
. "$srcdir/scripts/report.sh"

note() {
    printf '==> %s\n' "$*"
}

# ---------------------------------------------------------------------------
# What the tests need.

if [ -f "$srcdir/config.status" ]; then
    echo "test.sh: $srcdir is configured in place; run 'make distclean' there first" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
rm -rf "$build"
mkdir -p "$logs" || { echo "0 passed, 1 failed"; exit 1; }

# python3-dbg: the debug interpreter of (c) and (m); valgrind: the
# instruction counts of (g) and memcheck in (m); mandoc: (h); abigail-tools:
# (j); cmake, meson, ninja-build, python3-setuptools: (i); clang and its
# runtime: the libFuzzer targets of (m).
packages=(build-essential autoconf automake libtool pkg-config check python3-dev
          python3-dbg valgrind mandoc abigail-tools cmake meson ninja-build
          python3-setuptools clang libclang-rt-14-dev)
if [ "${PYZ3_NO_APT:-0}" != 1 ] && command -v apt-get > /dev/null 2>&1; then
    as_root=
    [ "$(id -u)" -eq 0 ] || as_root="sudo -n"
    if [ -n "$as_root" ] && ! command -v sudo > /dev/null 2>&1; then
        note "not root and no sudo: testing with what is installed"
    else
        note "apt-get install ${packages[*]} ($logs/apt.log)"
        if ! { $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
               && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                      --no-install-recommends "${packages[@]}"; } \
               > "$logs/apt.log" 2>&1 < /dev/null; then
            tail -n 20 "$logs/apt.log" | sed 's/^/    /'
            note "apt-get failed: testing with what is installed"
        fi
    fi
fi

if [ ! -x "$srcdir/configure" ]; then
    note "autoreconf -fi"
    autoreconf -fi < /dev/null || { echo "0 passed, 1 failed"; exit 1; }
fi

# ---------------------------------------------------------------------------
# Counting.

# count_tests DIR: sets counted_passed and counted_failed from the .trs
# files of the build directory DIR, which hold one :test-result: line per
# test (tests/count-driver.sh writes one per Check or unittest test inside
# a program).
count_tests() {
    local result
    counted_passed=0
    counted_failed=0
    while IFS= read -r result; do
        case $result in
        PASS | XFAIL) counted_passed=$((counted_passed + 1)) ;;
        SKIP) ;;
        *) counted_failed=$((counted_failed + 1)) ;;
        esac
    done < <(find "$1" -name '*.trs' -not -path "$1/libpyz3-*" \
                 -exec sed -n 's/^:test-result: //p' {} +)
}

# record NAME STATUS PASSED FAILED SECONDS [NOTE]: one line of the summary.
record() {
    local name=$1 status=$2 p=$3 f=$4 seconds=$5 what=${6:-}
    local verdict=PASS
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1        # it did not build or run
    fi
    [ "$f" -eq 0 ] || verdict=FAIL
    tally "$p" "$f"
    summary+=("$(printf '%-4s %-20s %4d passed, %3d failed  %3dm%02ds  %s' \
        "$verdict" "$name" "$p" "$f" $((seconds / 60)) $((seconds % 60)) "$what")")
    note "$verdict $name: $p passed, $f failed ($logs/$name.log)"
    if [ "$verdict" = FAIL ]; then
        tail -n 60 "$logs/$name.log" | sed 's/^/    /'
    fi
}

skip() {
    summary+=("$(printf 'SKIP %-20s %s' "$1" "$2")")
    note "SKIP $1: $2"
}

# ---------------------------------------------------------------------------
# The steps.

# check_build NAME DIR [CONFIGURE-ARGS...]: configure in DIR, build, make
# check, count.
check_build() {
    local name=$1 dir=$2 t=$SECONDS status
    shift 2
    note "$name: configure${*:+ $*} && make && make check in $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    (
        cd "$dir" \
        && "$srcdir/configure" "$@" \
        && make -j"$jobs" \
        && make -j"$jobs" check
    ) > "$logs/$name.log" 2>&1 < /dev/null
    status=$?
    count_tests "$dir"
    record "$name" "$status" "$counted_passed" "$counted_failed" $((SECONDS - t)) "$*"
}

# make_step NAME DIR WHAT COMMAND...: run COMMAND in DIR as one test.
make_step() {
    local name=$1 dir=$2 what=$3 t=$SECONDS status
    shift 3
    note "$name: $* in $dir"
    (cd "$dir" && "$@") > "$logs/$name.log" 2>&1 < /dev/null
    status=$?
    if [ "$status" -eq 0 ]; then
        record "$name" 0 1 0 $((SECONDS - t)) "$what"
    else
        record "$name" "$status" 0 1 $((SECONDS - t)) "$what"
    fi
}

# The executable an interpreter really is, and its major.minor (with the
# ABI flags, e.g. 3.11d); empty if it does not run.
python_exe() {
    "$1" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null
}
python_ldversion() {
    "$1" -c 'import sysconfig; print(sysconfig.get_config_var("LDVERSION"))' 2>/dev/null
}

# (a)
default_dir=$build/default
check_build default "$default_dir" ${PYTHON:+--with-python="$PYTHON"}
default_exe=$(sed -n 's/^PYTHON = //p' "$default_dir/Makefile" 2>/dev/null)
default_exe=$( [ -n "$default_exe" ] && python_exe "$default_exe")
default_ok=0
[ -f "$default_dir/lib/libpyz3.la" ] && default_ok=1

# (b)
if [ "$default_ok" = 1 ]; then
    t=$SECONDS
    note "pymalloc: PYTHONMALLOC=debug make check in $default_dir"
    (cd "$default_dir" && PYTHONMALLOC=debug make -j"$jobs" check) \
        > "$logs/pymalloc.log" 2>&1 < /dev/null
    status=$?
    count_tests "$default_dir"
    record pymalloc "$status" "$counted_passed" "$counted_failed" $((SECONDS - t)) "PYTHONMALLOC=debug"
else
    record pymalloc 1 0 1 0 "(a) did not build"
fi

# (c)
pythons=()
if command -v pyenv > /dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null); do
        case $v in
        3.[0-9]*.*) ;;
        *) continue ;;
        esac
        minor=${v#3.}
        minor=${minor%%.*}
        [ "$minor" -ge 8 ] 2>/dev/null && pythons+=("$(pyenv prefix "$v")/bin/python3")
    done
fi
found=" "
for exe in "${pythons[@]}"; do
    found="$found$(python_ldversion "$exe") "
done
for minor in 8 9 10 11 12 13; do
    case $found in
    *" 3.$minor "*) ;;
    *) skip "python3.$minor" "not installed with pyenv" ;;
    esac
done
for exe in /usr/bin/python3.*; do
    case ${exe#/usr/bin/} in
    python3.[0-9] | python3.[0-9][0-9] | python3.[0-9]d | python3.[0-9][0-9]d) ;;
    *) continue ;;
    esac
    minor=${exe#/usr/bin/python3.}
    minor=${minor%d}
    [ "$minor" -ge 8 ] && pythons+=("$exe")
done
for exe in "${pythons[@]}"; do
    ldversion=$(python_ldversion "$exe")
    name=python$ldversion
    case $exe in
    /usr/bin/*) name=$name-system ;;
    esac
    if [ -z "$ldversion" ]; then
        skip "$name" "$exe does not run"
    elif [ "$(python_exe "$exe")" = "$default_exe" ]; then
        skip "$name" "$exe is the default Python of (a)"
    elif [ ! -f "$("$exe" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ]; then
        skip "$name" "$exe has no headers"
    elif "$exe" -c 'import sys, sysconfig; sys.exit(not sysconfig.get_config_var("Py_GIL_DISABLED"))'; then
        skip "$name" "$exe is a free-threaded build"
    else
        check_build "$name" "$build/$name" --with-python="$exe"
    fi
done

# (d)
if [ "$default_ok" = 1 ]; then
    t=$SECONDS
    note "onelib: make check-onelib in $default_dir"
    (cd "$default_dir" && make check-onelib) > "$logs/onelib.log" 2>&1 < /dev/null
    status=$?
    last=$(result_line "$logs/onelib.log")
    if [ -n "$last" ]; then
        read -r p f s <<< "$last"
        record onelib "$status" "$p" "$f" $((SECONDS - t)) "$s skipped"
    else
        record onelib 1 0 1 $((SECONDS - t)) "no result line"
    fi
else
    record onelib 1 0 1 0 "(a) did not build"
fi

# (e)
check_build debug "$build/debug" --enable-debug ${PYTHON:+--with-python="$PYTHON"}

# (f)
if [ "$default_ok" = 1 ]; then
    make_step distcheck "$default_dir" "make distcheck" make distcheck
else
    record distcheck 1 0 1 0 "(a) did not build"
fi

# (g)
# A bench/ directory in the sources would satisfy a missing target.
if [ "$default_ok" = 1 ] && grep -q '^bench:' "$default_dir/Makefile"; then
    make_step bench "$default_dir" "BENCH_QUICK=1 make bench" env BENCH_QUICK=1 make bench
else
    skip bench "no bench target"
fi

# script_step NAME COMMAND...: run a script that ends with "N passed, N
# failed[, N skipped]" and count what it says.
script_step() {
    local name=$1 t=$SECONDS status last p f
    shift
    note "$name: $*"
    (cd "$srcdir" && "$@") > "$logs/$name.log" 2>&1 < /dev/null
    status=$?
    last=$(result_line "$logs/$name.log")
    if [ -n "$last" ]; then
        read -r p f _ <<< "$last"
        record "$name" "$status" "$p" "$f" $((SECONDS - t)) "$*"
    else
        record "$name" 1 0 1 $((SECONDS - t)) "no result line"
    fi
}

# (h)
if command -v mandoc > /dev/null 2>&1; then
    make_step manlint "$srcdir" "mandoc -Tlint -W warning" \
        sh -c 'out=$(mandoc -Tlint -W warning man/*.3); [ -z "$out" ] || { echo "$out"; exit 1; }'
else
    skip manlint "mandoc is not installed"
fi

# (i) to (m)
if [ "$default_ok" = 1 ]; then
    script_step buildsys bash tests/buildsys/run.sh
else
    record buildsys 1 0 1 0 "(a) did not build"
fi
script_step abi bash scripts/check-abi.sh
script_step debian bash scripts/check-debian.sh
script_step rpm bash scripts/check-rpm.sh
if [ -f "$srcdir/scripts/check-hostile.sh" ]; then
    script_step hostile bash scripts/check-hostile.sh
else
    skip hostile "scripts/check-hostile.sh is missing"
fi

# ---------------------------------------------------------------------------

elapsed=$((SECONDS - started))
echo
echo "libpyz3 test summary ($((elapsed / 60))m$((elapsed % 60))s, logs in $logs):"
printf '  %s\n' "${summary[@]}"
finish
