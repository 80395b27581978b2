#!/bin/sh
# run.sh -- the hostile checks one build can run, on the programs its
# Makefile built (`make check-hostile` runs this from the build directory).
#
#     run.sh SRCDIR [CHECK...]
#
# CHECK is one of:
#
#   threads    tests/hostile/threads: 8 threads (16 at full size) of nested
#              scopes, allocations, wraps, unwraps and pool look-ups;
#   failalloc  tests/hostile/failalloc and failalloc_ool: every public
#              function with the N-th allocation failing, for every N;
#   lifecycle  tests/hostile/lifecycle: Py_Initialize / Py_FinalizeEx
#              cycles, finalization with workers inside scopes, fork();
#   subinterp  tests/hostile/subinterp: the pool and GIL scopes in a
#              sub-interpreter with its own GIL (CPython 3.12 and later);
#   misuse     tests/hostile/misuse: in a build configured with
#              --enable-debug, each misuse aborts with its message;
#   refleak    tests/hostile/refleak.py on the example modules and
#              tests/hostile/refmod.c: no reference (on a debug
#              interpreter) and no memory block leaks, call after call.
#
# Without a CHECK, every one this build serves: subinterp only on 3.12+,
# misuse only in a debug build. Prints "PASS|FAIL name" per check and
# "N passed, N failed"; exits 1 if one failed. Logs in
# tests/hostile/work/NAME.log.
#
# Environment (from the Makefile): PYTHON, PYTHON_HEXVERSION, PYZ3_DEBUG;
# HOSTILE_QUICK=1 for small sizes; HOSTILE_ENV, more VAR=VALUE words for
# the programs' environment (the sanitizers' options).

set -u
srcdir=$1
shift
work=tests/hostile/work
rm -rf "$work"
mkdir -p "$work" || exit 2
. "$srcdir/scripts/report.sh"

size() {
    if [ "${HOSTILE_QUICK:-0}" = 1 ]; then echo "$1"; else echo "$2"; fi
}

# limited SECONDS COMMAND...: COMMAND with a time limit and HOSTILE_ENV;
# through sh, so that an abort on purpose prints no job message.
limited() {
    limit=$1
    shift
    # shellcheck disable=SC2086
    timeout -k 10 "$limit" env ${HOSTILE_ENV:-} sh -c '"$@"; exit $?' sh "$@" < /dev/null
}

check_threads() {
    limited 600 tests/hostile/threads "$(size 8 16)" "$(size 100000 400000)"
}

check_failalloc() {
    limited 600 tests/hostile/failalloc && limited 600 tests/hostile/failalloc_ool
}

check_lifecycle() {
    status=0
    for args in "cycles $(size 20 100)" "finalize unlocked" "finalize allow-threads" \
                "finalize python" "finalize waiting" "finalize waiting-new" "fork" "fork-worker"; do
        echo "== lifecycle $args"
        # shellcheck disable=SC2086
        limited 120 tests/hostile/lifecycle $args
        s=$?
        case $s in
        0) ;;
        124 | 142) echo "lifecycle $args hung"; status=1 ;;
        *) echo "lifecycle $args exited with status $s"; status=1 ;;
        esac
    done
    return $status
}

check_subinterp() {
    for round in $(seq "$(size 1 3)"); do
        echo "== round $round"
        limited 180 tests/hostile/subinterp || return 1
    done
}

check_misuse() {
    status=0
    tests/hostile/misuse list > "$work/misuse.list" || return 1
    tab=$(printf '\t')
    while IFS=$tab read -r case message; do
        limited 60 tests/hostile/misuse "$case" > "$work/misuse-$case.out" 2>&1
        s=$?
        cat "$work/misuse-$case.out"
        if [ "$s" -ne 134 ]; then
            echo "misuse $case: exit status $s, not an abort"; status=1
        elif ! grep -qF -- "$message" "$work/misuse-$case.out"; then
            echo "misuse $case: aborted without \"$message\""; status=1
        else
            echo "misuse $case: aborted with \"$message\""
        fi
    done < "$work/misuse.list"
    return $status
}

check_refleak() {
    PYTHONPATH=example:tests/hostile limited 1200 "$PYTHON" \
        "$srcdir/tests/hostile/refleak.py" "$(size 10000 100000)"
}

if [ $# -eq 0 ]; then
    set -- threads failalloc lifecycle
    [ $((PYTHON_HEXVERSION)) -ge $((0x030C0000)) ] && set -- "$@" subinterp
    [ "${PYZ3_DEBUG:-0}" = 1 ] && set -- "$@" misuse
    set -- "$@" refleak
fi
for check in "$@"; do
    case $check in
    threads | failalloc | lifecycle | subinterp | misuse | refleak)
        run "$check" "check_$check" ;;
    *)
        report FAIL "$check: no such check" ;;
    esac
done
finish
