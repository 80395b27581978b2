#!/bin/sh
# run.sh -- instructions per call of fast_function(21, 1.5, True, "hello"),
# libpyz3's against the same function written other ways.
#
#     bench/calls/run.sh
#
# Builds, for the Python $PYTHON (default python3), in a temporary folder:
#   - libpyz3: example/fastpath_bench.c with `pkg-config --cflags --libs
#     pyz3` (so PKG_CONFIG_PATH picks the library: an installed one, or the
#     build tree's example/pyz3-uninstalled.pc, as `make bench-calls` does),
#     once as is (inline paths) and once with Py_LIMITED_API (the library's
#     out-of-line paths);
#   - raw.c, by hand with the C API (METH_FASTCALL, positional only);
#   - pyarg.c, PyArg_ParseTupleAndKeywords() and Py_BuildValue();
#   - cy.pyx with cython3, pb.cpp with pybind11 and nb.cpp with nanobind
#     (NANOBIND_DIR, default Debian's /usr/share/nanobind), when they are installed
#     and build for this Python.
# Then counts, with valgrind --tool=callgrind on the interpreter binary and
# PYTHONHASHSEED=0, the instructions of count.py's module-level loop for
# two numbers of calls; the difference divided by the difference of the
# numbers is the cost of one iteration, and the same loop without the call
# ("loop") is subtracted from it: the table shows the net cost of one call,
# positional and by keyword, and the ratios to the other implementations.
#
# Environment: PYTHON, CC, CXX, CYTHON (default cython3), VALGRIND (default
# valgrind), PYZ3_SRCDIR (the source tree; default: two folders up),
# BENCH_CALLS_N (calls in the shorter run; the longer has 10 times as
# many, default 2000).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${PYZ3_SRCDIR:-$(cd "$here/../.." && pwd)}
CC=${CC:-cc}
CXX=${CXX:-c++}
CYTHON=${CYTHON:-cython3}
VALGRIND=${VALGRIND:-valgrind}
n1=${BENCH_CALLS_N:-2000}
n2=$((n1 * 10))
cflags="-O2 -DNDEBUG -fPIC -shared"

command -v "$VALGRIND" > /dev/null 2>&1 \
    || { echo "run.sh: $VALGRIND not found: nothing to count" >&2; exit 1; }

# The interpreter itself: python3 may be a shell script (a pyenv shim).
python=$("${PYTHON:-python3}" -c 'import os, sys; print(os.path.realpath(sys.executable))')
# shellcheck disable=SC2046
set -- $("$python" -c '
import sys, sysconfig
v = sysconfig.get_config_var
print(sys.version.split()[0], v("LDVERSION"), v("LIBPC") or "-", v("INCLUDEPY"), v("EXT_SUFFIX"))')
version=$1 ldversion=$2 libpc=$3 includepy=$4 ext=$5

work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-calls.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# python3.pc of exactly this interpreter, before any other.
mkdir -p "$work/pkgconfig"
if [ -f "$libpc/python-$ldversion.pc" ]; then
    cp "$libpc/python-$ldversion.pc" "$work/pkgconfig/python3.pc"
fi
PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}:$libpc"
export PKG_CONFIG_PATH
# pyz3t.pc for libpyz3t, the library of a free-threaded CPython.
pc=${PYZ3_LIBNAME:-pyz3}
pyz3_cflags=$(pkg-config --cflags "$pc")
pyz3_libs=$(pkg-config --libs "$pc")
libdir=$(pkg-config --variable=libdir "$pc" 2>/dev/null || true)
[ -z "$libdir" ] || pyz3_libs="$pyz3_libs -Wl,-rpath,$libdir"

# build NAME DIR COMMAND...: build one implementation into DIR, or say why
# not; the implementations built are listed in $work/built.
build() {
    name=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    if "$@" > "$work/$name.log" 2>&1; then
        echo "$name $dir" >> "$work/built"
    else
        echo "run.sh: $name does not build for Python $version (skipped):" >&2
        tail -n 5 "$work/$name.log" | sed 's/^/    /' >&2
    fi
}

: > "$work/built"
# shellcheck disable=SC2086
build libpyz3 "$work/inline" \
    $CC $cflags -o "$work/inline/fastpath_bench$ext" "$srcdir/example/fastpath_bench.c" \
    $pyz3_cflags $pyz3_libs
# shellcheck disable=SC2086
build libpyz3-abi3 "$work/abi3" \
    $CC $cflags -DPy_LIMITED_API=0x03080000 -o "$work/abi3/fastpath_bench.abi3.so" \
    "$srcdir/example/fastpath_bench.c" $pyz3_cflags $pyz3_libs
# shellcheck disable=SC2086
build raw "$work/raw" $CC $cflags -I"$includepy" -o "$work/raw/raw$ext" "$here/raw.c"
# shellcheck disable=SC2086
build pyarg "$work/pyarg" $CC $cflags -I"$includepy" -o "$work/pyarg/pyarg$ext" "$here/pyarg.c"
# shellcheck disable=SC2086
build pyarg-utf8 "$work/pyarg-utf8" $CC $cflags -DPYARG_UTF8 -I"$includepy" \
    -o "$work/pyarg-utf8/pyarg_utf8$ext" "$here/pyarg.c"
if command -v "$CYTHON" > /dev/null 2>&1; then
    build cython "$work/cython" sh -c \
        "'$CYTHON' -3 -o '$work/cython/cy.c' '$here/cy.pyx' \
         && $CC $cflags -I'$includepy' -o '$work/cython/cy$ext' '$work/cython/cy.c'"
else
    echo "run.sh: $CYTHON not found: no Cython (apt-get install cython3)" >&2
fi
if [ -f /usr/include/pybind11/pybind11.h ] || "$python" -c 'import pybind11' 2> /dev/null; then
    pbinc=$("$python" -c 'import pybind11; print(pybind11.get_include())' 2> /dev/null || true)
    # shellcheck disable=SC2086
    build pybind11 "$work/pybind11" \
        $CXX $cflags -std=c++17 ${pbinc:+-I"$pbinc"} -I"$includepy" \
        -o "$work/pybind11/pb$ext" "$here/pb.cpp"
else
    echo "run.sh: no pybind11 headers: no pybind11 (apt-get install pybind11-dev)" >&2
fi

nbdir=${NANOBIND_DIR:-/usr/share/nanobind}
if [ -f "$nbdir/src/nb_combined.cpp" ]; then
    # shellcheck disable=SC2086
    build nanobind "$work/nanobind" \
        $CXX $cflags -std=c++17 -fvisibility=hidden -fno-strict-aliasing \
        -I"$nbdir/include" -I"$includepy" -o "$work/nanobind/nb$ext" \
        "$here/nb.cpp" "$nbdir/src/nb_combined.cpp"
else
    echo "run.sh: no nanobind sources in $nbdir: no nanobind (apt-get install nanobind-dev)" >&2
fi

# instructions DIR MODULE MODE N: what callgrind counts for count.py.
instructions() {
    PYTHONPATH=$1 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
        "$VALGRIND" --tool=callgrind --callgrind-out-file=/dev/null \
        "$python" "$here/count.py" "$2" "$3" "$4" 2>&1 \
        | sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

# per_call DIR MODULE MODE: the instructions of one iteration of the loop.
per_call() {
    a=$(instructions "$1" "$2" "$3" "$n1")
    b=$(instructions "$1" "$2" "$3" "$n2")
    if [ -z "$a" ] || [ -z "$b" ]; then
        echo "run.sh: callgrind counted nothing for $2 $3" >&2
        exit 1
    fi
    echo $(((b - a + (n2 - n1) / 2) / (n2 - n1)))
}

module_of() {
    case $1 in
    libpyz3*) echo fastpath_bench ;;
    raw) echo raw ;;
    pyarg) echo pyarg ;;
    pyarg-utf8) echo pyarg_utf8 ;;
    cython) echo cy ;;
    pybind11) echo pb ;;
    nanobind) echo nb ;;
    esac
}

echo "Counting with $("$VALGRIND" --version), Python $version ($python)..." >&2
loop=$(per_call "$work/raw" raw loop)
: > "$work/results"
while read -r name dir; do
    module=$(module_of "$name")
    pos=$(per_call "$dir" "$module" pos)
    if [ "$name" = raw ]; then
        kw=-
    else
        kw=$(($(per_call "$dir" "$module" kw) - loop))
    fi
    echo "$name $((pos - loop)) $kw" >> "$work/results"
    echo "  $name done" >&2
done < "$work/built"

"$python" - "$work/results" "$loop" "$version" "$n1" "$n2" <<'EOF'
import sys

path, loop, version, n1, n2 = sys.argv[1:]
rows = {}
order = []
for line in open(path):
    name, pos, kw = line.split()
    rows[name] = (int(pos), None if kw == "-" else int(kw))
    order.append(name)

labels = {
    "libpyz3": "libpyz3 (pyz3_parse_args, inline paths)",
    "libpyz3-abi3": "libpyz3, Py_LIMITED_API (library calls)",
    "raw": "hand-written METH_FASTCALL (no keywords)",
    "pyarg": "PyArg_ParseTupleAndKeywords + Py_BuildValue (name: \"U\" in, \"O\" out)",
    "pyarg-utf8": "PyArg_ParseTupleAndKeywords + Py_BuildValue (name: \"s#\" in and out)",
    "cython": "Cython",
    "pybind11": "pybind11 (py::str, argument names)",
    "nanobind": "nanobind (nb::str, argument names)",
}
print("fast_function(21, 1.5, True, \"hello\") -> (42, 3.0, False, \"hello\")")
print("Python %s; instructions per call (callgrind, PYTHONHASHSEED=0), net of"
      " the loop (%s per iteration), from %s and %s calls." % (version, loop, n1, n2))
print()
print("| implementation | positional, net | keywords, net |")
print("|---|---:|---:|")
for name in order:
    pos, kw = rows[name]
    print("| %s | %d | %s |" % (labels[name], pos, "—" if kw is None else kw))
print()

ours = rows.get("libpyz3")
if ours is None:
    sys.exit("libpyz3's module did not build")
goals = [("raw", 1.0, "hand-written"), ("cython", 0.75, "Cython"),
         ("pyarg", 0.3, "PyArg_ParseTupleAndKeywords (\"U\"/\"O\")"),
         ("pyarg-utf8", 0.3, "PyArg_ParseTupleAndKeywords (\"s#\")"),
         ("pybind11", 0.3, "pybind11")]
print("| libpyz3 against | positional | keywords | goal |")
print("|---|---:|---:|---|")
for name, goal, label in goals:
    if name not in rows:
        print("| %s | — | — | ≤ %.2f× (not built) |" % (label, goal))
        continue
    other = rows[name]
    cells, met = [], True
    for i in (0, 1):
        if other[i] is None or ours[i] is None:
            cells.append("—")
            continue
        ratio = ours[i] / other[i]
        met = met and ratio <= goal
        cells.append("%.2f×" % ratio)
    print("| %s | %s | %s | ≤ %.2f×: %s |"
          % (label, cells[0], cells[1], goal, "met" if met else "NOT met"))
EOF
