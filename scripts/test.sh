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
#                  lifecycle, sub-interpreters, fuzzing; it keeps one core
#                  busy for a long time, so it runs in the background from
#                  the start, beside the other steps, and is counted last;
#   (n) sid-*      CPython 3.13, 3.14 and 3.15 and gcc 16 (C23) in a Debian
#                  sid root that scripts/sid-root.sh makes or reuses (as
#                  root on Debian; PYZ3_SID_ROOT, default /var/cache/pyz3/sid):
#                  sid-root (the root and the sources copied into it);
#                  sid-python3.13, 3.14, 3.15, 3.14d, 3.15d (configure, make,
#                  make check, counted like (c)); sid-onelib (the library of
#                  (a) with each of them); sid-hostile-3.14 and 3.15 (valgrind,
#                  refleak-debug with 3.14d and 3.15d, subinterp, lifecycle
#                  of check-hostile.sh, at its quick sizes unless
#                  PYZ3_SID_HOSTILE_QUICK=0). What cannot be had (not root,
#                  not Debian, a version missing) is reported SKIP.
#   (o) ft-*       the free-threaded build, libpyz3t, against the 3.13t that
#                  scripts/ft-python.sh builds once per machine or reuses
#                  (as root on Debian; PYZ3_FT_PYTHON names another one):
#                  ft-python3.13t (configure --with-python=<it>, make, make
#                  check, counted like (c)); ft-coinstall
#                  (tests/ft/coinstall.sh: libpyz3 of (a) and libpyz3t into
#                  one prefix); ft-rpm (check-rpm.sh with RPM_FT_PYTHON:
#                  the spec --with freethreaded); ft-bench (BENCH_QUICK=1 make bench in the
#                  free-threaded build, with (a)'s bench program as
#                  BENCH_COMPARE when (a) built); ft-hostile (check-hostile.sh on the
#                  free-threaded build at its quick sizes: the checks
#                  that apply there, which check-hostile.sh chooses, or
#                  those PYZ3_FT_HOSTILE names).
#                  threads-tsan uses the ThreadSanitizer build of 3.13t
#                  (PYZ3_FT_TSAN=1 of ft-python.sh) when it is already
#                  built, and is skipped otherwise; building it costs about
#                  20 minutes more, so only PYZ3_FT_TSAN_BUILD=1 asks for it.
#
# PYZ3_STEPS="sid" (or any of sid-matrix, sid-onelib, sid-hostile) runs only
# those steps (sid-onelib also builds (a) without its tests); PYZ3_STEPS="ft"
# (or any of ft-matrix, ft-coinstall, ft-rpm, ft-bench, ft-hostile) likewise for (o)
# (ft-coinstall also builds (a) without its tests).
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
# Environment: PYTHON, JOBS (default 2), PYZ3_BUILD_DIR, PYZ3_NO_APT,
# PYZ3_STEPS, PYZ3_SID_ROOT, PYZ3_SID_HOSTILE_QUICK, PYZ3_FT_PYTHON,
# PYZ3_FT_TSAN_BUILD.

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

# ---------------------------------------------------------------------------
# (n) The newest CPythons and compilers, in a Debian sid root
# (scripts/sid-root.sh). The sources are copied into ROOT/root/pyz3/src
# (the files git knows, or the whole tree outside git) and configure is
# made there; every step runs in the root with a clean environment.

sid_root=${PYZ3_SID_ROOT:-/var/cache/pyz3/sid}
sid_work=/root/pyz3             # inside the root
sid_ok=0
sid_why=

# sid_run COMMAND...: COMMAND in the root, with a clean environment.
sid_run() {
    chroot "$sid_root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 JOBS="$jobs" "$@"
}

# sid_prepare: make or reuse the root, copy the sources into it; sets
# sid_ok, or sid_why to the reason it could not.
sid_prepare() {
    local t=$SECONDS status
    if [ "$(id -u)" -ne 0 ]; then
        sid_why="not root: scripts/sid-root.sh needs debootstrap and chroot"
        return
    fi
    if ! command -v apt-get > /dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
        sid_why="not a Debian machine: no debootstrap"
        return
    fi
    note "sid-root: scripts/sid-root.sh $sid_root ($logs/sid-root.log)"
    {
        bash "$srcdir/scripts/sid-root.sh" "$sid_root" \
        && rm -rf --one-file-system "$sid_root$sid_work" \
        && mkdir -p "$sid_root$sid_work/src" \
        && if git -C "$srcdir" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
               (cd "$srcdir" && git ls-files -co --exclude-standard -z \
                | tar -c --null -T - | tar -x -C "$sid_root$sid_work/src")
           else
               (cd "$srcdir" && tar -c --exclude=./_build --exclude=./.git . \
                | tar -x -C "$sid_root$sid_work/src")
           fi \
        && sid_run sh -c "cd $sid_work/src && autoreconf -fi"
    } > "$logs/sid-root.log" 2>&1 < /dev/null
    status=$?
    if [ "$status" -eq 0 ]; then
        sid_ok=1
        record sid-root 0 1 0 $((SECONDS - t)) "$sid_root"
    else
        sid_why="the sid root could not be made (sid-root failed)"
        record sid-root "$status" 0 1 $((SECONDS - t)) "$sid_root"
    fi
}

# The interpreters of the root, as VERSION (3.14, 3.14d, ...).
sid_versions="3.13 3.14 3.15 3.14d 3.15d"

# sid_matrix: configure, make, make check for each of them, with sid's gcc
# (C23 by default), counted like (c).
sid_matrix() {
    local v name dir t status
    for v in $sid_versions; do
        name=sid-python$v
        if [ "$sid_ok" != 1 ]; then
            skip "$name" "$sid_why"
            continue
        fi
        if [ ! -x "$sid_root/usr/bin/python$v" ] \
           || [ ! -f "$sid_root/usr/include/python$v/Python.h" ]; then
            skip "$name" "python$v or its headers are not in $sid_root"
            continue
        fi
        dir=$sid_work/build/python$v
        t=$SECONDS
        note "$name: configure --with-python=/usr/bin/python$v && make && make check in $sid_root$dir"
        sid_run sh -c "rm -rf $dir && mkdir -p $dir && cd $dir \
            && ../../src/configure --with-python=/usr/bin/python$v \
            && make -j$jobs && make -j$jobs check" > "$logs/$name.log" 2>&1 < /dev/null
        status=$?
        count_tests "$sid_root$dir"
        record "$name" "$status" "$counted_passed" "$counted_failed" $((SECONDS - t)) \
            "--with-python=/usr/bin/python$v (sid root)"
    done
}

# sid_onelib: the library installed from (a), built on this machine, with
# every CPython of the root (tests/onelib/run.sh there); (d) tested it with
# this machine's.
sid_onelib() {
    local t=$SECONDS status stage prefix pythons v last p f s
    if [ "$sid_ok" != 1 ]; then
        skip sid-onelib "$sid_why"
        return
    fi
    stage=$default_dir/tests/onelib/sid-stage
    prefix=$(sed -n 's/^prefix = //p' "$default_dir/Makefile" 2>/dev/null)
    pythons=
    for v in $sid_versions; do
        [ -x "$sid_root/usr/bin/python$v" ] && pythons="$pythons /usr/bin/python$v"
    done
    note "sid-onelib: the library of (a) with$pythons in the sid root"
    {
        [ -n "$prefix" ] \
        && rm -rf "$stage" \
        && (cd "$default_dir" && make install DESTDIR="$stage") \
        && rm -rf "$sid_root$sid_work/onelib" \
        && mkdir -p "$sid_root$sid_work/onelib" \
        && cp -a "$stage" "$sid_root$sid_work/onelib/root" \
        && sid_run env DESTDIR="$sid_work/onelib/root" \
               MANDIR="$sid_work/onelib/root$prefix/share/man" \
               ONELIB_WORKDIR="$sid_work/onelib/work" ONELIB_PYTHONS="${pythons# }" CC=cc \
               bash "$sid_work/src/tests/onelib/run.sh" "$prefix"
    } > "$logs/sid-onelib.log" 2>&1 < /dev/null
    status=$?
    last=$(result_line "$logs/sid-onelib.log")
    if [ -n "$last" ]; then
        read -r p f s <<< "$last"
        record sid-onelib "$status" "$p" "$f" $((SECONDS - t)) "$s skipped"
    else
        record sid-onelib 1 0 1 $((SECONDS - t)) "no result line"
    fi
}

# sid_hostile: the checks of scripts/check-hostile.sh that the new versions
# change, in the root, once per version: valgrind memcheck, the reference
# leak check with its debug interpreter, sub-interpreters, the interpreter
# life cycle. PYZ3_SID_HOSTILE_QUICK=0 runs them at full size.
sid_hostile() {
    local v name t status last p f s
    for v in 3.14 3.15; do
        name=sid-hostile-$v
        if [ "$sid_ok" != 1 ]; then
            skip "$name" "$sid_why"
            continue
        fi
        if [ ! -x "$sid_root/usr/bin/python$v" ]; then
            skip "$name" "python$v is not in $sid_root"
            continue
        fi
        t=$SECONDS
        note "$name: scripts/check-hostile.sh with python$v and python${v}d in the sid root"
        sid_run env PYTHON=/usr/bin/python$v HOSTILE_DEBUG_PYTHON=/usr/bin/python${v}d \
            HOSTILE_SUBINTERP_VERSIONS=$v HOSTILE_NO_APT=1 \
            HOSTILE_QUICK="${PYZ3_SID_HOSTILE_QUICK:-1}" HOSTILE_WORK="$sid_work/hostile-$v" \
            HOSTILE_ONLY="valgrind refleak-debug subinterp-$v lifecycle" \
            bash "$sid_work/src/scripts/check-hostile.sh" > "$logs/$name.log" 2>&1 < /dev/null
        status=$?
        last=$(result_line "$logs/$name.log")
        if [ -n "$last" ]; then
            read -r p f s <<< "$last"
            record "$name" "$status" "$p" "$f" $((SECONDS - t)) "$s skipped"
        else
            record "$name" 1 0 1 $((SECONDS - t)) "no result line"
        fi
    done
}

sid_steps() {
    sid_prepare
    sid_matrix
    sid_onelib
    sid_hostile
}

# ---------------------------------------------------------------------------
# (o) The free-threaded build, libpyz3t (scripts/ft-python.sh for the
# interpreter).

ft_dir=$build/ft-python3.13t
ft_ok=0
ft_why=
ft_python=
ft_built=0

# ft_prepare: find, reuse or build the free-threaded interpreter; sets
# ft_ok and ft_python, or ft_why to the reason it could not.
ft_prepare() {
    local t=$SECONDS status
    if [ -n "${PYZ3_FT_PYTHON:-}" ]; then
        ft_python=$PYZ3_FT_PYTHON
    elif [ "$(id -u)" -ne 0 ]; then
        ft_why="not root: scripts/ft-python.sh builds into /var/cache/pyz3"
        return
    elif ! command -v apt-get > /dev/null 2>&1 || [ ! -f /etc/debian_version ]; then
        ft_why="not a Debian machine: scripts/ft-python.sh builds Debian's source"
        return
    else
        note "ft-python: scripts/ft-python.sh ($logs/ft-python.log)"
        JOBS=$jobs bash "$srcdir/scripts/ft-python.sh" > "$logs/ft-python.log" 2>&1 < /dev/null
        status=$?
        ft_python=$(tail -n 1 "$logs/ft-python.log")
        if [ "$status" -ne 0 ]; then
            ft_why="scripts/ft-python.sh failed ($logs/ft-python.log)"
            record ft-python "$status" 0 1 $((SECONDS - t)) "scripts/ft-python.sh"
            return
        fi
    fi
    if ! "$ft_python" -c 'import sys, sysconfig
sys.exit(not sysconfig.get_config_var("Py_GIL_DISABLED"))' 2>/dev/null; then
        ft_why="$ft_python is not a free-threaded CPython"
        return
    fi
    ft_ok=1
}

ft_matrix() {
    if [ "$ft_ok" != 1 ]; then
        skip ft-python3.13t "$ft_why"
        return
    fi
    check_build ft-python3.13t "$ft_dir" --with-python="$ft_python"
    [ -f "$ft_dir/lib/libpyz3t.la" ] && ft_built=1
}

# script_step NAME COMMAND...: run a script that ends with "N passed, N
# failed[, N skipped]" and count what it says.
script_step() {
    local name=$1 t=$SECONDS status
    shift
    note "$name: $*"
    (cd "$srcdir" && "$@") > "$logs/$name.log" 2>&1 < /dev/null
    status=$?
    script_record "$name" "$status" $((SECONDS - t)) "$*"
}

# script_record NAME STATUS SECONDS WHAT: record what the last result line
# of NAME's log says.
script_record() {
    local last p f
    last=$(result_line "$logs/$1.log")
    if [ -n "$last" ]; then
        read -r p f _ <<< "$last"
        record "$1" "$2" "$p" "$f" "$3" "$4"
    else
        record "$1" 1 0 1 "$3" "no result line"
    fi
}

# background_step NAME COMMAND...: script_step, run while the steps after
# it run (a script that keeps one core busy for long, beside steps that
# build with both); background_wait records it.
bg_names=() bg_pids=() bg_whats=()
background_step() {
    local name=$1
    shift
    note "$name: $* (in the background)"
    ( t=$SECONDS
      (cd "$srcdir" && "$@") > "$logs/$name.log" 2>&1 < /dev/null
      echo "$? $((SECONDS - t))" > "$logs/$name.status" ) &
    bg_names+=("$name") bg_pids+=("$!") bg_whats+=("$*")
}
background_wait() {
    local i status seconds
    for i in "${!bg_names[@]}"; do
        note "${bg_names[$i]}: waiting for it"
        wait "${bg_pids[$i]}"
        read -r status seconds < "$logs/${bg_names[$i]}.status" 2>/dev/null \
            || { status=1 seconds=0; }
        script_record "${bg_names[$i]}" "$status" "$seconds" "${bg_whats[$i]}"
    done
}
trap '[ ${#bg_pids[@]} -eq 0 ] || kill "${bg_pids[@]}" 2>/dev/null; exit 1' INT TERM

ft_coinstall() {
    if [ "$ft_built" != 1 ]; then
        skip ft-coinstall "${ft_why:-the free-threaded build did not build}"
    elif [ ! -f "$default_dir/lib/libpyz3.la" ]; then
        record ft-coinstall 1 0 1 0 "(a) did not build"
    else
        script_step ft-coinstall sh tests/ft/coinstall.sh "$default_dir" "$ft_dir"
    fi
}

# ft_rpm: the RPM packaging with its free-threaded packages.
ft_rpm() {
    if [ "$ft_ok" != 1 ]; then
        skip ft-rpm "$ft_why"
    else
        script_step ft-rpm env RPM_FT_PYTHON="$ft_python" bash scripts/check-rpm.sh
    fi
}

ft_bench() {
    if [ "$ft_built" != 1 ]; then
        skip ft-bench "${ft_why:-the free-threaded build did not build}"
    elif [ -f "$default_dir/lib/libpyz3.la" ]; then
        # The GIL build of (a) beside it in the scaling table.
        make_step ft-bench "$ft_dir" "BENCH_QUICK=1 BENCH_COMPARE=(a) make bench" \
            sh -c 'make -C "$1" bench/pyz3_bench && BENCH_QUICK=1 BENCH_COMPARE="$1" make bench' \
            sh "$default_dir"
    else
        make_step ft-bench "$ft_dir" "BENCH_QUICK=1 make bench" env BENCH_QUICK=1 make bench
    fi
}

# ft_hostile: the checks of check-hostile.sh that free threading changes;
# sub-interpreters and the debug interpreter's reference count have no
# free-threaded build here.
ft_hostile() {
    local tsan_python=${PYZ3_FT_CACHE:-/var/cache/pyz3}/python3.13t-tsan/bin/python3.13t
    if [ "$ft_built" != 1 ]; then
        skip ft-hostile "${ft_why:-the free-threaded build did not build}"
        return
    fi
    if [ "${PYZ3_FT_TSAN_BUILD:-0}" = 1 ] && [ -z "${PYZ3_FT_PYTHON:-}" ]; then
        note "ft-python-tsan: PYZ3_FT_TSAN=1 scripts/ft-python.sh ($logs/ft-python-tsan.log)"
        PYZ3_FT_TSAN=1 JOBS=$jobs bash "$srcdir/scripts/ft-python.sh" \
            > "$logs/ft-python-tsan.log" 2>&1 < /dev/null
    fi
    [ -x "$tsan_python" ] || tsan_python=
    script_step ft-hostile env PYTHON="$ft_python" HOSTILE_TSAN_PYTHON="$tsan_python" \
        HOSTILE_NO_APT=1 HOSTILE_QUICK=1 HOSTILE_WORK="$build/ft-hostile" \
        HOSTILE_ONLY="${PYZ3_FT_HOSTILE:-}" \
        bash scripts/check-hostile.sh
}

ft_steps() {
    ft_prepare
    ft_matrix
    ft_coinstall
    ft_rpm
    ft_bench
    ft_hostile
}

# PYZ3_STEPS: run only the steps named, then print the summary.
if [ -n "${PYZ3_STEPS:-}" ]; then
    default_dir=$build/default
    sid_prepared=0
    ft_prepared=0
    for step in $PYZ3_STEPS; do
        case $step in
        sid | sid-matrix | sid-onelib | sid-hostile) ;;
        ft | ft-matrix | ft-coinstall | ft-rpm | ft-bench | ft-hostile)
            if [ "$ft_prepared" = 0 ]; then
                ft_prepare
                ft_prepared=1
            fi
            case $step in
            ft | ft-coinstall)
                note "default: configure && make in $default_dir (for ft-coinstall)"
                (rm -rf "$default_dir" && mkdir -p "$default_dir" && cd "$default_dir" \
                 && "$srcdir/configure" ${PYTHON:+--with-python="$PYTHON"} && make -j"$jobs") \
                    > "$logs/default.log" 2>&1 < /dev/null
                ;;
            esac
            # Every part of (o) needs the free-threaded build.
            if [ "$ft_built" = 0 ] && [ "$ft_ok" = 1 ]; then
                if [ "$step" = ft ] || [ "$step" = ft-matrix ]; then
                    ft_matrix
                else
                    note "ft-python3.13t: configure && make in $ft_dir (for $step)"
                    (rm -rf "$ft_dir" && mkdir -p "$ft_dir" && cd "$ft_dir" \
                     && "$srcdir/configure" --with-python="$ft_python" && make -j"$jobs") \
                        > "$logs/ft-python3.13t.log" 2>&1 < /dev/null
                    [ -f "$ft_dir/lib/libpyz3t.la" ] && ft_built=1
                fi
            elif [ "$ft_ok" != 1 ] && { [ "$step" = ft ] || [ "$step" = ft-matrix ]; }; then
                ft_matrix
            fi
            case $step in
            ft) ft_coinstall; ft_rpm; ft_bench; ft_hostile ;;
            ft-coinstall) ft_coinstall ;;
            ft-rpm) ft_rpm ;;
            ft-bench) ft_bench ;;
            ft-hostile) ft_hostile ;;
            esac
            continue
            ;;
        *)
            echo "test.sh: PYZ3_STEPS: unknown step $step" >&2
            record "$step" 1 0 1 0 "unknown step"
            continue
            ;;
        esac
        if [ "$sid_prepared" = 0 ]; then
            sid_prepare
            sid_prepared=1
        fi
        case $step in
        sid-onelib | sid)
            # The library of (a), built without its tests.
            note "default: configure && make in $default_dir (for sid-onelib)"
            (rm -rf "$default_dir" && mkdir -p "$default_dir" && cd "$default_dir" \
             && "$srcdir/configure" ${PYTHON:+--with-python="$PYTHON"} && make -j"$jobs") \
                > "$logs/default.log" 2>&1 < /dev/null
            ;;
        esac
        case $step in
        sid) sid_matrix; sid_onelib; sid_hostile ;;
        sid-matrix) sid_matrix ;;
        sid-onelib) sid_onelib ;;
        sid-hostile) sid_hostile ;;
        esac
    done
    echo
    echo "libpyz3 test summary, steps $PYZ3_STEPS ($(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s, logs in $logs):"
    printf '  %s\n' "${summary[@]}"
    finish
fi

# (m) uses one core for most of its time: it runs beside (a) to (n).
if [ -f "$srcdir/scripts/check-hostile.sh" ]; then
    background_step hostile env HOSTILE_NO_APT=1 bash scripts/check-hostile.sh
else
    skip hostile "scripts/check-hostile.sh is missing"
fi

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

# (h)
if command -v mandoc > /dev/null 2>&1; then
    make_step manlint "$srcdir" "mandoc -Tlint -W warning" \
        sh -c 'out=$(mandoc -Tlint -W warning man/*.3); [ -z "$out" ] || { echo "$out"; exit 1; }'
else
    skip manlint "mandoc is not installed"
fi

# (i) to (l)
if [ "$default_ok" = 1 ]; then
    script_step buildsys bash tests/buildsys/run.sh
else
    record buildsys 1 0 1 0 "(a) did not build"
fi
script_step abi bash scripts/check-abi.sh
script_step debian bash scripts/check-debian.sh
script_step rpm bash scripts/check-rpm.sh

# (n)
sid_steps

# (o)
ft_steps

# (m)
background_wait

# ---------------------------------------------------------------------------

elapsed=$((SECONDS - started))
echo
echo "libpyz3 test summary ($((elapsed / 60))m$((elapsed % 60))s, logs in $logs):"
printf '  %s\n' "${summary[@]}"
finish
