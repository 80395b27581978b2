#!/bin/sh
# shapes.sh -- instructions per call of bisect_left(a, x, lo=0, hi=None, *,
# key=None) in every call shape of shapes.py: libpyz3's parser against the
# same body with its arguments parsed by hand as Argument Clinic's code
# does (bisect_ac.c), PyArg_ParseTupleAndKeywords() (bisect_pyarg.c),
# Cython (bisect_cy.pyx), pybind11 (bisect_pb.cpp), nanobind
# (bisect_nb.cpp) and CPython's own _bisect, which Argument Clinic parses,
# compiled into the interpreter; and the interpreter's own part of each
# call, a function that parses nothing (bisect_floor.c).
#
#     bench/calls/shapes.sh
#
# Builds the modules for $PYTHON (default python3) in a temporary folder,
# libpyz3's with `pkg-config --cflags --libs pyz3` as run.sh does; then
# runs shapes.py once per module under valgrind --tool=callgrind with
# PYTHONHASHSEED=0 and a dump before each getppid() of the C library (what
# os.getppid() calls, a symbol that a stripped interpreter such as Debian's
# still lets callgrind see), so that each run of a loop is counted apart: a shape's cost is the difference of its two
# runs over the difference of their lengths, less the empty loop's. Prints
# the table and the ratios to the hand-written parsing.
#
# Environment: as run.sh (PYTHON, CC, CXX, CYTHON, VALGRIND, PYZ3_LIBNAME),
# and BENCH_CALLS_N (calls in the shorter run; the longer has 11 times as
# many, default 1000).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}
CYTHON=${CYTHON:-cython3}
VALGRIND=${VALGRIND:-valgrind}
n1=${BENCH_CALLS_N:-1000}
n2=$((n1 * 11))
cflags="-O2 -DNDEBUG -fPIC -shared"

command -v "$VALGRIND" > /dev/null 2>&1 \
    || { echo "shapes.sh: $VALGRIND not found: nothing to count" >&2; exit 1; }
python=$("${PYTHON:-python3}" -c 'import os, sys; print(os.path.realpath(sys.executable))')
# shellcheck disable=SC2046
set -- $("$python" -c '
import sys, sysconfig
v = sysconfig.get_config_var
print(sys.version.split()[0], v("INCLUDEPY"), v("EXT_SUFFIX"), v("LDVERSION"), v("LIBPC") or "-")')
version=$1 includepy=$2 ext=$3 ldversion=$4 libpc=$5

work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-shapes.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# python3.pc of exactly this interpreter, before any other, as run.sh has it.
mkdir -p "$work/pkgconfig"
if [ -f "$libpc/python-$ldversion.pc" ]; then
    cp "$libpc/python-$ldversion.pc" "$work/pkgconfig/python3.pc"
fi
PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}:$libpc"
export PKG_CONFIG_PATH
pc=${PYZ3_LIBNAME:-pyz3}
pyz3_cflags=$(pkg-config --cflags "$pc")
pyz3_libs=$(pkg-config --libs "$pc")
libdir=$(pkg-config --variable=libdir "$pc" 2>/dev/null || true)
[ -z "$libdir" ] || pyz3_libs="$pyz3_libs -Wl,-rpath,$libdir"

: > "$work/built"
build() {
    name=$1
    shift
    if "$@" > "$work/$name.log" 2>&1; then
        echo "$name" >> "$work/built"
    else
        echo "shapes.sh: $name does not build for Python $version (skipped):" >&2
        tail -n 5 "$work/$name.log" | sed 's/^/    /' >&2
    fi
}
# shellcheck disable=SC2086
build bis_pyz3 $CC $cflags -o "$work/bis_pyz3$ext" "$here/bisect_pyz3.c" $pyz3_cflags $pyz3_libs
# shellcheck disable=SC2086
build bis_ac $CC $cflags -I"$includepy" -o "$work/bis_ac$ext" "$here/bisect_ac.c"
# shellcheck disable=SC2086
build bis_floor $CC $cflags -I"$includepy" -o "$work/bis_floor$ext" "$here/bisect_floor.c"
# shellcheck disable=SC2086
build bis_pyarg $CC $cflags -I"$includepy" -o "$work/bis_pyarg$ext" "$here/bisect_pyarg.c"
if command -v "$CYTHON" > /dev/null 2>&1; then
    # Cython names the module after its .pyx file.
    cp "$here/bisect_cy.pyx" "$work/bis_cy.pyx"
    build bis_cy sh -c "'$CYTHON' -3 -o '$work/bis_cy.c' '$work/bis_cy.pyx' \
        && $CC $cflags -I'$includepy' -o '$work/bis_cy$ext' '$work/bis_cy.c'"
fi
if [ -f /usr/include/pybind11/pybind11.h ]; then
    # shellcheck disable=SC2086
    build bis_pb $CXX $cflags -std=c++17 -I"$includepy" -o "$work/bis_pb$ext" "$here/bisect_pb.cpp"
fi
# nanobind (Debian's nanobind-dev): its sources built into the module.
nbdir=${NANOBIND_DIR:-/usr/share/nanobind}
if [ -f "$nbdir/src/nb_combined.cpp" ]; then
    # shellcheck disable=SC2086
    build bis_nb $CXX $cflags -std=c++17 -fvisibility=hidden -fno-strict-aliasing \
        -I"$nbdir/include" -I"$includepy" -o "$work/bis_nb$ext" \
        "$here/bisect_nb.cpp" "$nbdir/src/nb_combined.cpp"
fi
# CPython's _bisect takes key= from 3.10 on.
if "$python" -c 'import _bisect; _bisect.bisect_left([], 0, key=None)' 2> /dev/null; then
    echo _bisect >> "$work/built"
fi

echo "Counting with $("$VALGRIND" --version), Python $version ($python)..." >&2
while read -r module; do
    mkdir -p "$work/cg-$module"
    (cd "$work" && PYTHONPATH=$work PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
        "$VALGRIND" --tool=callgrind --dump-before=getppid \
        --callgrind-out-file="$work/cg-$module/out" \
        "$python" "$here/shapes.py" "$module" "$n1" "$n2" > "$work/names" 2> "$work/cg-$module.log") \
        || { echo "shapes.sh: $module failed:" >&2; tail -n 5 "$work/cg-$module.log" >&2; exit 1; }
    echo "  $module done" >&2
done < "$work/built"

"$python" "$here/shapes_report.py" "$work" "$version" "$n1" "$n2"
