#!/usr/bin/env bash
# check-abi.sh -- the ABI of libpyz3.so against the baseline in abi/.
#
#     scripts/check-abi.sh                      check, then show it can fail
#     scripts/check-abi.sh --update             regenerate the baseline
#     scripts/check-abi.sh --update --unreleased
#
# abi/libpyz3.abi is the ABI of the last release: what abidw (Debian's
# abigail-tools) reads from its libpyz3.so, built with -g -O2, keeping the
# types of the public headers. Its second line records that release's
# version and libtool -version-info (current:revision:age, set by
# PYZ3_LT_VERSION in configure.ac). The ABI is every exported function, the
# exported data (pyz3_py_allocator, pyz3__pool_ints) and thread-local
# variable (pyz3__gil_depth) with their types, and the layout of the public
# structs (pyz3_gil, pyz3_unlock, pyz3_allocator, pyz3_arena, ...).
#
# The rule: an ABI change lands only in the same change as the version-info
# it calls for and the regenerated baseline. So the check fails when
#
#   - abidiff --headers-dir1/--headers-dir2 finds any difference between the
#     baseline and the library built from this tree: a function or variable
#     removed, added or of another type, a public struct of another layout;
#   - the version-info in configure.ac is not the one the baseline records;
#
# and --update writes a new baseline only when configure.ac's version-info
# moved from the recorded one as libtool asks for the change abidiff sees:
#
#   - something removed or changed incompatibly: current+1, revision 0,
#     age 0 (a new SONAME, libpyz3.so.N: rename the Debian package too);
#   - only additions: current+1, revision 0, age+1;
#   - no ABI change: current and age as they were (revision is bumped for a
#     release whose code changed, and only recorded).
#
# --unreleased skips that rule, for a baseline whose version was never
# released: regenerate the 0.1.0 baseline as functions land before 0.1.0
# ships, with the version-info left at 0:0:0.
#
# Without --update, after checking this tree the script shows that the
# check fails when it should: in a scratch copy of the tree it removes an
# exported function, adds a member to struct pyz3_gil, changes the type of
# the thread-local pyz3__gil_depth, adds an exported function, and changes
# the version-info alone; each must fail the check, the first three as
# incompatible changes. Then the same removal with the version-info
# left alone must be refused by --update, and with a new SONAME accepted.
#
# Prints "PASS|FAIL <what>" per check, then as its last line
# "N passed, N failed"; exits 1 if anything failed.
#
# Environment: PYTHON (the interpreter configure gets; default
# /usr/bin/python3 if its headers are installed, else python3); JOBS
# (default 2); CHECK_ABI_WORKDIR (default: a temporary directory, removed
# at the end).

set -u

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)
baseline=$srcdir/abi/libpyz3.abi
JOBS=${JOBS:-2}
. "$srcdir/scripts/report.sh"

update=no unreleased=no
for arg in "$@"; do
    case $arg in
    --update) update=yes ;;
    --unreleased) unreleased=yes ;;
    *) echo "usage: $0 [--update [--unreleased]]" >&2; exit 2 ;;
    esac
done

if ! command -v abidiff >/dev/null || ! command -v abidw >/dev/null; then
    if [ -z "${PYZ3_NO_APT:-}" ] && [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q abigail-tools >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 \
                 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q abigail-tools >/dev/null 2>&1; }
    fi
    command -v abidiff >/dev/null || { report FAIL "abidiff and abidw (apt-get install abigail-tools)"; finish; }
fi
if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
        PYTHON=/usr/bin/python3
    fi
fi

if [ -n "${CHECK_ABI_WORKDIR:-}" ]; then
    work=$CHECK_ABI_WORKDIR
    rm -rf "$work"
    mkdir -p "$work" || exit 2
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-abi.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)

# version_info SRC: the -version-info that SRC/configure.ac sets.
version_info() {
    sed -n 's/^AC_SUBST(\[PYZ3_LT_VERSION\], *\[\([0-9]*:[0-9]*:[0-9]*\)\]).*/\1/p' "$1/configure.ac"
}

# recorded BASELINE: the -version-info recorded in BASELINE.
recorded() {
    sed -n '2s/.*-version-info \([0-9]*:[0-9]*:[0-9]*\).*/\1/p' "$1"
}

# build SRC BUILD: configure SRC in BUILD (once) and build the library.
build() {
    local src=$1 build=$2
    mkdir -p "$build"
    if [ ! -f "$build/Makefile" ]; then
        (cd "$build" && "$src/configure" --with-python="$PYTHON" CFLAGS="-g -O2") \
            >"$build/configure.log" 2>&1 || { tail -n 20 "$build/configure.log"; return 1; }
    fi
    make -C "$build" -j"$JOBS" lib/libpyz3.la >"$build/make.log" 2>&1 \
        || { tail -n 20 "$build/make.log"; return 1; }
}

headers() {
    # headers N SRC BUILD: the --headers-dirN options of the public headers
    echo "--headers-dir$1 $2/include --headers-dir$1 $3/include"
}

# compare BASELINE SRC BUILD REPORT: abidiff of BASELINE against the library
# in BUILD; returns abidiff's status (bit 4: a change; bit 8: incompatible).
compare() {
    # shellcheck disable=SC2046
    abidiff $(headers 1 "$2" "$3") $(headers 2 "$2" "$3") \
        "$1" "$3/lib/.libs/libpyz3.so" >"$4" 2>&1
}

# kind STATUS REPORT: none, added or incompatible, for an abidiff STATUS
# and REPORT. abidiff sets bit 8 of its status only for removed interfaces;
# a function or variable whose type changed (a struct's layout, say) sets
# bit 4, as an addition does: the counts of its summary lines tell them
# apart, and any change to an existing interface counts as incompatible.
kind() {
    if [ $(($1 & 8)) -ne 0 ]; then
        echo incompatible
    elif [ $(($1 & 4)) -eq 0 ]; then
        echo none
    elif grep -Eq '(^|[^0-9])[1-9][0-9]* (Removed|Changed)' "$2"; then
        echo incompatible
    else
        echo added
    fi
}

# check SRC BUILD BASELINE: the rule. Prints why it fails; returns 1 then.
check() {
    local src=$1 build=$2 base=$3 status current record
    compare "$base" "$src" "$build" "$work/abidiff.txt"
    status=$?
    current=$(version_info "$src")
    record=$(recorded "$base")
    if [ $((status & 3)) -ne 0 ]; then
        echo "abidiff failed (status $status):"
        cat "$work/abidiff.txt"
        return 1
    fi
    if [ "$status" -ne 0 ]; then
        if [ "$(kind "$status" "$work/abidiff.txt")" = incompatible ]; then
            echo "incompatible ABI change against $(basename "$base"):"
        else
            echo "ABI change (additions) against $(basename "$base"):"
        fi
        sed 's/^/  /' "$work/abidiff.txt"
        echo "bump the version-info in configure.ac and run $0 --update"
        echo "(or $0 --update --unreleased while this version was never released)"
        return 1
    fi
    if [ "$current" != "$record" ]; then
        echo "configure.ac has -version-info $current, the baseline records $record:"
        echo "the baseline and the version-info change together ($0 --update)"
        return 1
    fi
    echo "ABI as in the baseline, -version-info $current"
}

# dump SRC BUILD OUT: the baseline of the library in BUILD.
dump() {
    local src=$1 build=$2 out=$3 version
    version=$(sed -n 's/^#define PYZ3_VERSION *"\(.*\)"/\1/p' "$build/include/pyz3/version.h")
    # shellcheck disable=SC2046
    abidw --no-corpus-path --no-comp-dir-path --short-locs --drop-private-types \
        $(headers '' "$src" "$build") --out-file "$work/dump.xml" \
        "$build/lib/.libs/libpyz3.so" || return 1
    {
        head -n 1 "$work/dump.xml"
        echo "  <!-- libpyz3 $version, libtool -version-info $(version_info "$src") -->"
        tail -n +2 "$work/dump.xml"
    } >"$out"
}

# allowed OLD NEW KIND: whether -version-info NEW follows OLD for a change
# of KIND (none, added, incompatible); prints what it should be otherwise.
allowed() {
    local oc or oa nc nr na want
    IFS=: read -r oc or oa <<EOF
$1
EOF
    IFS=: read -r nc nr na <<EOF
$2
EOF
    if [ "$3" = incompatible ]; then
        want="$((oc + 1)):0:0"
        [ "$2" = "$want" ] && return 0
        echo "an incompatible change needs -version-info $want (a new SONAME), not $2"
    elif [ "$3" = added ]; then
        want="$((oc + 1)):0:$((oa + 1))"
        [ "$2" = "$want" ] && return 0
        echo "added interfaces need -version-info $want, not $2"
    else
        [ "$nc" = "$oc" ] && [ "$na" = "$oa" ] && [ "$nr" -ge "$or" ] && return 0
        echo "no ABI change: current and age stay $oc and $oa, not $2"
    fi
    return 1
}

# update SRC BUILD BASELINE RULE: write BASELINE for the library in BUILD,
# if RULE is no or the version-info follows the rule.
update() {
    local src=$1 build=$2 base=$3 rule=$4 status=0
    if [ -f "$base" ] && [ "$rule" = yes ]; then
        compare "$base" "$src" "$build" "$work/abidiff.txt"
        status=$?
        if [ $((status & 3)) -ne 0 ]; then
            cat "$work/abidiff.txt"
            return 1
        fi
        cat "$work/abidiff.txt"
        allowed "$(recorded "$base")" "$(version_info "$src")" \
            "$(kind "$status" "$work/abidiff.txt")" || return 1
    fi
    mkdir -p "$(dirname "$base")"
    dump "$src" "$build" "$base"
}

# ---------------------------------------------------------------------------
# This tree.

start=$SECONDS
if ! build "$srcdir" "$work/build"; then
    report FAIL "build of the library ($((SECONDS - start))s)"
    finish
fi
report PASS "build of the library with -g -O2 against $PYTHON ($((SECONDS - start))s)"

if [ "$update" = yes ]; then
    if out=$(update "$srcdir" "$work/build" "$baseline" \
                "$([ "$unreleased" = yes ] && echo no || echo yes)"); then
        [ -z "$out" ] || echo "$out" | sed 's/^/    /'
        report PASS "baseline written: abi/libpyz3.abi ($(sed -n 's/^ *<!-- \(.*\) -->$/\1/p' "$baseline"))"
    else
        echo "$out" | sed 's/^/    /'
        report FAIL "baseline not written"
    fi
    finish
fi

if [ ! -f "$baseline" ]; then
    report FAIL "abi/libpyz3.abi exists ($0 --update --unreleased writes the first one)"
    finish
fi
if out=$(check "$srcdir" "$work/build" "$baseline"); then
    report PASS "this tree: $out"
else
    echo "$out" | sed 's/^/    /'
    report FAIL "this tree against abi/libpyz3.abi"
fi

# ---------------------------------------------------------------------------
# The check fails when it should: changes made in a scratch copy.

scratch=$work/scratch
mkdir -p "$scratch"
tar -C "$srcdir" --exclude=./.git --exclude=./_build --exclude=./autom4te.cache \
    -cf - . | tar -C "$scratch" -xf -
start=$SECONDS
if ! build "$scratch" "$work/scratch-build"; then
    report FAIL "build of the scratch copy ($((SECONDS - start))s)"
    finish
fi
# The changes are measured against a baseline of the unchanged copy, so
# that they show the same whether abi/libpyz3.abi is up to date or not.
reference=$work/reference.abi
dump "$scratch" "$work/scratch-build" "$reference" || { report FAIL "abidw of the scratch copy"; finish; }

# mutate NAME FILE SED-SCRIPT: apply SED-SCRIPT to the scratch FILE.
mutate() {
    sed -i "$3" "$scratch/$2"
    if cmp -s "$srcdir/$2" "$scratch/$2"; then
        echo "the change to $2 did not apply: update $0 for the new source"
        return 1
    fi
}

# restore FILE...: the scratch FILEs as in the tree. Sources get a new time,
# so that make rebuilds; configure.ac keeps its own, so that it does not
# regenerate configure.
restore() {
    local f
    for f in "$@"; do
        case $f in
        configure.ac) cp -p "$srcdir/$f" "$scratch/$f" ;;
        *) cp "$srcdir/$f" "$scratch/$f" ;;
        esac
    done
}

# demo WHAT EXPECT KIND FILE SED-SCRIPT [FILE SED-SCRIPT]...: the change
# must build and fail the check, with EXPECT in the report, and be of KIND
# (added or incompatible).
demo() {
    local what=$1 expect=$2 want=$3 files='' out status found start=$SECONDS
    shift 3
    while [ $# -ge 2 ]; do
        files="$files $1"
        out=$(mutate "$what" "$1" "$2") || { report FAIL "$what: $out"; restore $files; return; }
        shift 2
    done
    if ! out=$(build "$scratch" "$work/scratch-build"); then
        echo "$out" | sed 's/^/    /'
        report FAIL "$what: the changed copy does not build"
    elif out=$(check "$scratch" "$work/scratch-build" "$reference"); then
        report FAIL "$what: the check passed ($out)"
    else
        compare "$reference" "$scratch" "$work/scratch-build" "$work/demo.txt"
        status=$?
        found=$(kind "$status" "$work/demo.txt")
        if ! echo "$out" | grep -q -- "$expect"; then
            echo "$out" | sed 's/^/    /'
            report FAIL "$what: the report does not mention $expect"
        elif [ "$found" != "$want" ]; then
            echo "$out" | sed 's/^/    /'
            report FAIL "$what: taken as $found, not $want (abidiff status $status)"
        else
            grep -E "^ *\[[ACD]\]|changed from|insertion" "$work/demo.txt" \
                | head -n 3 | sed 's/^ */    /'
            report PASS "$what: the check fails ($found; abidiff status $status; $((SECONDS - start))s)"
        fi
    fi
    # shellcheck disable=SC2086
    restore $files
}

demo "exported function removed (pyz3_version)" "pyz3_version" incompatible \
    lib/version.c 's/^pyz3_version(void)$/pyz3__abi_check_removed(void)/'

demo "member added to struct pyz3_gil" "pyz3_gil" incompatible \
    include/pyz3/gil.h '/^typedef struct pyz3_gil {$/a\    void *pyz3__abi_check_added;'

demo "type of the thread-local pyz3__gil_depth changed" "pyz3__gil_depth" incompatible \
    include/pyz3/gil.h 's/unsigned int pyz3__gil_depth/unsigned long pyz3__gil_depth/' \
    lib/gil.c 's/unsigned int pyz3__gil_depth/unsigned long pyz3__gil_depth/'

demo "exported function added" "pyz3_abi_check_added" added \
    lib/version.c '$a\PYZ3_API int pyz3_abi_check_added(void); int pyz3_abi_check_added(void) { return 0; }'

# The version-info alone, with the library of this tree (rebuilt after the
# last change was undone): the check reads configure.ac, no build needed.
build "$scratch" "$work/scratch-build" >/dev/null
start=$SECONDS
current=$(version_info "$srcdir")
IFS=: read -r c r a <<EOF
$current
EOF
bumped="$c:$((r + 1)):$a"
if out=$(mutate version-info configure.ac \
            "s/^\(AC_SUBST(\[PYZ3_LT_VERSION\], *\[\)$current\]/\1$bumped]/") \
    && ! out=$(check "$scratch" "$work/scratch-build" "$reference"); then
    echo "$out" | sed 's/^/    /'
    report PASS "version-info changed alone ($current to $bumped): the check fails ($((SECONDS - start))s)"
else
    echo "$out" | sed 's/^/    /'
    report FAIL "version-info changed alone ($current to $bumped): the check passed"
fi
restore configure.ac

# --update: a removal needs a new SONAME.
start=$SECONDS
cp "$reference" "$work/baseline.abi"
mutate removal lib/version.c 's/^pyz3_version(void)$/pyz3__abi_check_removed(void)/' >/dev/null
build "$scratch" "$work/scratch-build" >/dev/null
if out=$(update "$scratch" "$work/scratch-build" "$work/baseline.abi" yes); then
    report FAIL "--update refuses a removal with -version-info $current"
else
    echo "$out" | tail -n 1 | sed 's/^/    /'
    report PASS "--update refuses a removal with -version-info $current"
fi
newsoname="$((c + 1)):0:0"
mutate version-info configure.ac \
    "s/^\(AC_SUBST(\[PYZ3_LT_VERSION\], *\[\)$current\]/\1$newsoname]/" >/dev/null
if out=$(update "$scratch" "$work/scratch-build" "$work/baseline.abi" yes) \
    && out=$(check "$scratch" "$work/scratch-build" "$work/baseline.abi"); then
    report PASS "--update accepts it with -version-info $newsoname, and the check passes ($((SECONDS - start))s)"
else
    echo "$out" | sed 's/^/    /'
    report FAIL "--update accepts a removal with -version-info $newsoname"
fi
restore configure.ac lib/version.c

finish
