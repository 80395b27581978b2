#!/usr/bin/env bash
# check-hostile.sh -- libpyz3 never crashes, hangs or leaks: the checks.
#
#     bash scripts/check-hostile.sh          (about 10 minutes on 2 cores)
#     HOSTILE_QUICK=1 bash scripts/check-hostile.sh     (a few minutes)
#
# Runs from the source tree (configure must exist: autoreconf -fi). It only
# chooses configurations and runs targets: each check configures a fresh
# build directory of its own under the work directory, and the Makefile
# builds every program (`make hostile-programs`, `make fuzz-NAME`) and runs
# the checks a plain build serves (`make check-hostile`, through
# tests/hostile/run.sh):
#
#   threads-tsan     tests/hostile/threads.c (8 threads x 100000 iterations
#                    of nested scopes, allocations, wraps, unwraps and pool
#                    look-ups, the main thread releasing and retaking the GIL)
#                    under ThreadSanitizer; first a race on purpose must be
#                    caught, then no report may have a libpyz3 frame
#                    (tests/hostile/tsan.supp, tests/hostile/reports.py)
#   threads-full     the same without ThreadSanitizer, 16 x 400000
#   asan-ubsan       the Check suites, failalloc, lifecycle, and the Python
#                    tests of the example modules (tests/test_examples.py,
#                    tests/hostile/refleak.py) under AddressSanitizer and
#                    UndefinedBehaviorSanitizer
#   valgrind         the Check suites (out-of-line variants, version, and
#                    the inline fastpath and args) under memcheck, CK_FORK=no,
#                    PYTHONMALLOC=malloc (debug where free-threaded): no
#                    error, no definitely lost block with a libpyz3 frame
#                    (tests/hostile/valgrind.supp)
#   refleak-debug    built for Debian's debug python3.11d (or
#                    HOSTILE_DEBUG_PYTHON): 100000 calls of
#                    every example function and of tests/hostile/refmod.c
#                    leave sys.gettotalrefcount() where it was
#   failalloc        tests/hostile/failalloc.c: every public function with
#                    the N-th allocation failing, for every N
#   lifecycle        tests/hostile/lifecycle.c: 100 Py_Initialize /
#                    Py_FinalizeEx cycles, finalization with workers inside
#                    scopes, fork() with scopes open and kept thread states
#   subinterp-3.12, subinterp-3.13 (or HOSTILE_SUBINTERP_VERSIONS)
#                    tests/hostile/subinterp.c: the pool and GIL scopes in a
#                    sub-interpreter with its own GIL
#   fuzz-wrap_str, fuzz-unwrap, fuzz-args
#                    the libFuzzer targets of tests/fuzz/, from the corpus
#                    of tests/fuzz/corpus/, 60 seconds each
#   misuse-debug     --enable-debug: each misuse of tests/hostile/misuse.c
#                    aborts with its message; the Check suites' own misuse
#                    cases of the GIL and the arena
#
# Prints one line per check, "PASS name", "FAIL name (reason)" or "SKIP
# name (why)", then "N passed, N failed, N skipped" (scripts/report.sh);
# exits 1 if one failed. Progress, times and log names go to stderr; each
# check's log is in WORK/logs/NAME.log.
#
# Environment: PYTHON (default: python3 on PATH), HOSTILE_WORK (default
# _build/hostile), HOSTILE_QUICK=1 (smaller sizes, 10-second fuzzing),
# HOSTILE_ONLY (space-separated check names to run), HOSTILE_NO_APT=1 (do
# not apt-get install python3.11-dbg), HOSTILE_DEBUG_PYTHON (the debug
# interpreter of refleak-debug), HOSTILE_SUBINTERP_VERSIONS (default "3.12
# 3.13"), JOBS (default 2), HOSTILE_TSAN_PYTHON (see below).
#
# With a free-threaded PYTHON the checks build libpyz3t and choose the
# subset that applies: threads-tsan needs the interpreter instrumented too,
# HOSTILE_TSAN_PYTHON (default /var/cache/pyz3/python3.13t-tsan/bin/python3.13t,
# as `PYZ3_FT_TSAN=1 bash scripts/ft-python.sh` builds it), and reports
# SKIP without one; refleak-debug (no free-threaded debug build here) and
# subinterp-* (built for CPythons with the GIL) report SKIP with why.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi
set -u

cd "$(dirname "$0")/.." || exit 1
srcdir=$(pwd)
hostile_work=${HOSTILE_WORK:-$srcdir/_build/hostile}
quick=${HOSTILE_QUICK:-0}
only=${HOSTILE_ONLY:-}
jobs=${JOBS:-2}
logs=$hostile_work/logs
. "$srcdir/scripts/report.sh"

if [ ! -x "$srcdir/configure" ]; then
    echo "check-hostile.sh: run autoreconf -fi first" >&2
    report FAIL "configure exists"
    finish
fi
rm -rf "$hostile_work"
mkdir -p "$logs" || exit 1

python=${PYTHON:-python3}
python=$("$python" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
if [ -z "$python" ]; then
    echo "check-hostile.sh: no Python to build against" >&2
    report FAIL "a Python to build against"
    finish
fi

# Whether PYTHON is free-threaded: then the library is libpyz3t.
free_threaded=$("$python" -c 'import sysconfig
print(1 if sysconfig.get_config_var("Py_GIL_DISABLED") else 0)')
if [ "$free_threaded" = 1 ]; then
    libla=lib/libpyz3t.la
else
    libla=lib/libpyz3.la
fi
# CPython's allocator under the memory checkers: the system's malloc, so
# that they see every block. A free-threaded CPython has only mimalloc;
# its debug hooks (guard bytes, freed memory overwritten) come nearest.
if [ "$free_threaded" = 1 ]; then pymalloc=debug; else pymalloc=malloc; fi

note() {
    printf '==> %s\n' "$*" >&2
}

# size QUICK FULL: the figure for this run.
size() {
    if [ "$quick" = 1 ]; then echo "$1"; else echo "$2"; fi
}

wanted() {
    [ -z "$only" ] && return 0
    case " $only " in *" $1 "*) return 0 ;; esac
    return 1
}

# pass NAME / fail NAME REASON / skip NAME WHY, with the check's time.
check_started=0
pass() {
    report PASS "$1"
    note "$1: passed in $((SECONDS - check_started))s"
}
fail() {
    report FAIL "$1 ($2)"
    note "$1: FAILED in $((SECONDS - check_started))s: $2 (log: $logs/$1.log)"
    tail -n 25 "$logs/$1.log" 2>/dev/null | sed 's/^/    /' >&2
}
skip() {
    report SKIP "$1 ($2)"
    note "$1: skipped: $2"
}

# begin NAME: whether to run it; starts its clock and log.
begin() {
    wanted "$1" || return 1
    check_started=$SECONDS
    note "$1 ..."
    : > "$logs/$1.log"
    return 0
}

# build DIR LOG [CONFIGURE-ARGS...]: configure a fresh DIR and build the
# library in it.
build() {
    local dir=$1 log=$2
    shift 2
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && "$srcdir/configure" "$@" && make -j"$jobs" "$libla") \
        >> "$log" 2>&1 < /dev/null
}

# targets DIR LOG TARGET...: make TARGETs in DIR.
targets() {
    local dir=$1 log=$2
    shift 2
    (cd "$dir" && make -j"$jobs" "$@") >> "$log" 2>&1 < /dev/null
}

# hostile DIR LOG CHECK... [VAR=VALUE...]: make check-hostile in DIR for
# the CHECKs (tests/hostile/run.sh), at this run's size.
hostile() {
    local dir=$1 log=$2 checks=
    shift 2
    while [ $# -gt 0 ] && [ "${1#*=}" = "$1" ]; do
        checks="$checks $1"
        shift
    done
    (cd "$dir" && make check-hostile HOSTILE_CHECKS="${checks# }" HOSTILE_QUICK="$quick" "$@") \
        >> "$log" 2>&1 < /dev/null
}

# The Check programs of the sources, those that exist.
check_programs() {
    local p
    for p in gil alloc fastpath pool args tstate; do
        [ -f "$srcdir/tests/check_$p.c" ] && printf 'tests/check_%s tests/check_%s_ool ' "$p" "$p"
    done
    [ -f "$srcdir/tests/check_version.c" ] && printf 'tests/check_version'
}

# limit LOG SECONDS COMMAND...: COMMAND with a time limit, output to LOG;
# its exit status (128 + the signal if one ended it, 124 if the time ran
# out). Through sh, so that an abort on purpose prints no job message.
limit() {
    local log=$1 seconds=$2
    shift 2
    timeout -k 10 "$seconds" sh -c '"$@"; exit $?' sh "$@" >> "$log" 2>&1 < /dev/null
}

asan_env=(ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:abort_on_error=0
          UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1)

# ---------------------------------------------------------------------------
# 1. Threads under ThreadSanitizer, and at full size without it.

tsan_python=$python
if [ "$free_threaded" = 1 ]; then
    tsan_python=${HOSTILE_TSAN_PYTHON:-/var/cache/pyz3/python3.13t-tsan/bin/python3.13t}
fi
if ! begin threads-tsan; then
    :
elif [ ! -x "$tsan_python" ]; then
    skip threads-tsan "no free-threaded CPython built with ThreadSanitizer at $tsan_python (HOSTILE_TSAN_PYTHON; PYZ3_FT_TSAN=1 bash scripts/ft-python.sh builds one)"
else
    name=threads-tsan dir=$hostile_work/$name log=$logs/$name.log
    iterations=$(size 20000 100000)
    if ! build "$dir" "$log" --with-python="$tsan_python" --enable-sanitizers=thread \
         || ! targets "$dir" "$log" tests/hostile/threads; then
        fail $name "build failed"
    else
        tsan="halt_on_error=0:exitcode=66:history_size=4"
        limit "$dir/race.log" 120 env TSAN_OPTIONS="$tsan" "$dir/tests/hostile/threads" race
        if ! grep -q 'WARNING: ThreadSanitizer' "$dir/race.log" \
           || "$python" "$srcdir/tests/hostile/reports.py" tsan "$srcdir" \
                "$srcdir/tests/hostile/tsan.supp" "$dir/race.log" >> "$log" 2>&1; then
            fail $name "the race on purpose was not reported as libpyz3's"
        else
            limit "$log" 1200 env TSAN_OPTIONS="$tsan" "$dir/tests/hostile/threads" 8 "$iterations"
            status=$?
            if [ "$status" -ne 0 ] && [ "$status" -ne 66 ]; then
                fail $name "threads exited with status $status"
            elif ! "$python" "$srcdir/tests/hostile/reports.py" tsan "$srcdir" \
                    "$srcdir/tests/hostile/tsan.supp" "$log" >> "$log.reports" 2>&1; then
                cat "$log.reports" >> "$log"
                fail $name "$(head -n 1 "$log.reports")"
            else
                cat "$log.reports" >> "$log"
                pass $name
            fi
        fi
    fi
fi

# The checks of tests/hostile/run.sh that need nothing but a plain build,
# each in a build of its own: NAME CHECK.
for pair in "threads-full threads" "failalloc failalloc" "lifecycle lifecycle"; do
    set -- $pair
    begin "$1" || continue
    name=$1 dir=$hostile_work/$1 log=$logs/$1.log
    if ! build "$dir" "$log" --with-python="$python"; then
        fail $name "build failed"
    elif hostile "$dir" "$log" "$2"; then
        pass $name
    else
        fail $name "$(grep -m 1 -E '^FAIL|hung|exited with' "$log" || echo "$2 failed")"
    fi
done

# ---------------------------------------------------------------------------
# 2. AddressSanitizer and UndefinedBehaviorSanitizer.

if begin asan-ubsan; then
    name=asan-ubsan dir=$hostile_work/$name log=$logs/$name.log
    programs=$(check_programs)
    why=
    # shellcheck disable=SC2086
    if ! build "$dir" "$log" --with-python="$python" --enable-sanitizers=address,undefined \
         || ! targets "$dir" "$log" $programs hostile-programs; then
        why="build failed"
    else
        for p in $programs; do
            limit "$log" 900 env "${asan_env[@]}" "$dir/$p" || why=${why:-"$p failed"}
        done
        for p in failalloc failalloc_ool "lifecycle cycles $(size 10 30)" "lifecycle fork" \
                 "lifecycle finalize unlocked"; do
            # shellcheck disable=SC2086
            limit "$log" 600 env "${asan_env[@]}" PYTHONMALLOC=$pymalloc "$dir"/tests/hostile/$p \
                || why=${why:-"$p failed"}
        done
        # The Python tests: the interpreter is not built with the
        # sanitizers, so their runtimes are loaded first.
        cc=$(sed -n 's/^CC = //p' "$dir/Makefile")
        preload="$($cc -print-file-name=libasan.so) $($cc -print-file-name=libubsan.so)"
        pyenv_=(env "${asan_env[@]}" LD_PRELOAD="$preload" PYTHONMALLOC=$pymalloc
                PYTHONPATH="$dir/example:$dir/tests/hostile")
        (cd "$dir" && limit "$log" 600 "${pyenv_[@]}" "$python" "$srcdir/tests/test_examples.py" -v) \
            || why=${why:-"tests/test_examples.py failed"}
        limit "$log" 600 "${pyenv_[@]}" "$python" "$srcdir/tests/hostile/refleak.py" "$(size 200 1000)" \
            || why=${why:-"tests/hostile/refleak.py failed"}
        if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$log"; then
            why=${why:-"a sanitizer report"}
            why="$why: $(grep -m 1 -E 'ERROR: AddressSanitizer|runtime error:' "$log")"
        fi
    fi
    if [ -z "$why" ]; then pass $name; else fail $name "$why"; fi
fi

# ---------------------------------------------------------------------------
# 3. valgrind memcheck.

if begin valgrind; then
    name=valgrind dir=$hostile_work/$name log=$logs/$name.log
    if ! command -v valgrind > /dev/null 2>&1; then
        skip $name "valgrind is not installed"
    else
        # The library's own code (the out-of-line variants), the inline
        # paths that read CPython's objects, and the thread states.
        if [ "$quick" = 1 ]; then
            want="fastpath_ool pool_ool"
        else
            want="fastpath_ool pool_ool alloc_ool gil_ool args_ool tstate_ool version fastpath args"
        fi
        programs=
        for p in $want; do
            [ -f "$srcdir/tests/check_${p%_ool}.c" ] && programs="$programs tests/check_$p"
        done
        # shellcheck disable=SC2086
        if ! build "$dir" "$log" --with-python="$python" CFLAGS="-g -O1" \
             || ! targets "$dir" "$log" $programs; then
            fail $name "build failed"
        else
            mkdir -p "$dir/xml"
            # Two programs at a time: memcheck runs one thread at a time.
            status=0
            printf '%s\n' $programs | xargs -P 2 -I{} sh -c '
                p=$1; dir=$2; supp=$3; pymalloc=$4; base=$(basename "$p")
                cd "$dir" && CK_FORK=no PYTHONMALLOC=$pymalloc timeout -k 10 1500 \
                  valgrind --quiet --track-origins=yes \
                    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=none \
                    --num-callers=40 --suppressions="$supp" --child-silent-after-fork=no \
                    --xml=yes --xml-file="$dir/xml/$base-%p.xml" "./$p" \
                    > "$dir/xml/$base.out" 2>&1 < /dev/null
                s=$?; echo "$p: exit $s" >> "$dir/xml/status"; exit $s' \
                sh {} "$dir" "$srcdir/tests/hostile/valgrind.supp" "$pymalloc" || status=1
            cat "$dir"/xml/status "$dir"/xml/*.out >> "$log" 2>/dev/null
            if [ "$status" -ne 0 ]; then
                fail $name "$(grep -v ': exit 0$' "$dir/xml/status" | head -n 1)"
            elif ! "$python" "$srcdir/tests/hostile/reports.py" valgrind "$srcdir" \
                    "$dir"/xml/*.xml > "$dir/reports" 2>&1; then
                cat "$dir/reports" >> "$log"
                fail $name "$(head -n 1 "$dir/reports")"
            else
                cat "$dir/reports" >> "$log"
                pass $name
            fi
        fi
    fi
fi

# ---------------------------------------------------------------------------
# 4. Reference leaks, counted by the debug interpreter.

if [ "$free_threaded" = 1 ]; then
    wanted refleak-debug && skip refleak-debug "no free-threaded debug CPython here; refleak.py runs in asan-ubsan instead"
elif begin refleak-debug; then
    name=refleak-debug dir=$hostile_work/$name log=$logs/$name.log
    pyd=${HOSTILE_DEBUG_PYTHON:-/usr/bin/python3.11d}
    if [ ! -x "$pyd" ] && [ "${HOSTILE_NO_APT:-0}" != 1 ] && [ "$(id -u)" -eq 0 ] \
       && command -v apt-get > /dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11-dbg >> "$log" 2>&1 < /dev/null
    fi
    if [ ! -x "$pyd" ]; then
        skip $name "$pyd is not installed (apt-get install $(basename "$pyd" | sed 's/d$//')-dbg)"
    elif ! build "$dir" "$log" --with-python="$pyd"; then
        fail $name "build against $pyd failed (the library is built with Py_LIMITED_API)"
    elif hostile "$dir" "$log" refleak; then
        pass $name
    else
        fail $name "$(grep -m 1 '^FAIL' "$log" || echo 'refleak.py failed')"
    fi
fi

# ---------------------------------------------------------------------------
# 5. Sub-interpreters with their own GIL.

for version in ${HOSTILE_SUBINTERP_VERSIONS:-3.12 3.13}; do
    minor=${version#3.}
    name=subinterp-3.$minor
    if [ "$free_threaded" = 1 ]; then
        wanted $name && skip $name "built for a CPython with the GIL, not libpyz3t"
        continue
    fi
    begin $name || continue
    dir=$hostile_work/$name log=$logs/$name.log
    exe=
    if command -v pyenv > /dev/null 2>&1; then
        v=$(pyenv versions --bare 2>/dev/null | grep -E "^3\.$minor\.[0-9]+$" | sort -V | tail -n 1)
        [ -n "$v" ] && exe=$(pyenv prefix "$v")/bin/python3
    fi
    [ -z "$exe" ] && command -v "python3.$minor" > /dev/null 2>&1 && exe=$(command -v "python3.$minor")
    if [ -z "$exe" ] || [ ! -x "$exe" ]; then
        skip $name "no CPython 3.$minor"
        continue
    fi
    if ! build "$dir" "$log" --with-python="$exe"; then
        fail $name "build failed"
    elif hostile "$dir" "$log" subinterp; then
        pass $name
    else
        fail $name "$(grep -m 1 'expected' "$log" || echo "subinterp failed")"
    fi
done

# ---------------------------------------------------------------------------
# 6. Fuzzing: `make fuzz-NAME` in a build with clang and the sanitizers.

fuzz_targets="wrap_str unwrap"
[ -f "$srcdir/include/pyz3/args.h" ] && fuzz_targets="$fuzz_targets args"
fuzz_dir=$hostile_work/fuzz
fuzz_built=
for target in $fuzz_targets; do
    name=fuzz-$target
    begin $name || continue
    log=$logs/$name.log
    if ! command -v clang > /dev/null 2>&1; then
        skip $name "clang is not installed"
        continue
    fi
    if [ -z "$fuzz_built" ]; then
        fuzz_built=no
        build "$fuzz_dir" "$log" --with-python="$python" CC=clang \
            --enable-sanitizers=address,undefined \
            && grep -q '^tests/fuzz/fuzz_wrap_str' "$fuzz_dir/Makefile" \
            && fuzz_built=yes
    fi
    if [ "$fuzz_built" != yes ]; then
        fail $name "build failed (libFuzzer needs clang and libclang-rt-14-dev)"
        continue
    fi
    seconds=$(size 10 60)
    if limit "$log" $((seconds + 600)) make -C "$fuzz_dir" "fuzz-$target" FUZZ_SECONDS="$seconds"; then
        pass $name
    else
        fail $name "$(grep -m 1 -E '^fuzz:|ERROR:|runtime error' "$log" || echo "make fuzz-$target failed")"
    fi
done

# ---------------------------------------------------------------------------
# 7. API misuse in the debug build.

if begin misuse-debug; then
    name=misuse-debug dir=$hostile_work/$name log=$logs/$name.log
    if ! build "$dir" "$log" --with-python="$python" --enable-debug \
         || ! targets "$dir" "$log" tests/check_gil tests/check_gil_ool tests/check_alloc \
                 tests/check_alloc_ool; then
        fail $name "build failed"
    else
        why=
        # The Check suites' own misuse cases, which the debug build adds.
        for p in check_gil check_gil_ool check_alloc check_alloc_ool; do
            limit "$log" 300 "$dir/tests/$p" || why=${why:-"tests/$p failed"}
        done
        hostile "$dir" "$log" misuse \
            || why=${why:-"$(grep -m 1 '^misuse .*: \(exit\|aborted without\)' "$log" || echo 'misuse failed')"}
        if [ -z "$why" ]; then pass $name; else fail $name "$why"; fi
    fi
fi

note "all checks in $((SECONDS - started))s; logs in $logs"
finish
