#!/usr/bin/env bash
# run.sh -- prove that one installed libpyz3.so serves every CPython.
#
# Usage: tests/onelib/run.sh PREFIX
#
# PREFIX is the prefix libpyz3 was installed with (e.g. /usr/local). If
# DESTDIR is set, the files are looked for under $DESTDIR$PREFIX, as
# `make install DESTDIR=...` leaves them, and the .pc files are read through
# copies whose absolute directories carry DESTDIR. `make check-onelib`
# installs the build tree under a DESTDIR in the build directory and runs
# this script on it.
#
# First the installed files themselves: lib/libpyz3.so.0 with that SONAME,
# no RPATH or RUNPATH, no libpython dependency, and nothing but pyz3_ names
# exported; pyz3.h and every <pyz3/...> header it includes; pyz3.pc and
# pyz3-embed.pc; a man page for every exported function.
#
# Then, for each CPython 3.8+ found (every pyenv version, and /usr/bin/
# python3.X and python3.Xd when their headers are installed):
#  - consumer.c, a program embedding that CPython, compiled against its
#    headers with `pkg-config --cflags --libs pyz3 pyz3-embed` and linked to
#    the installed libpyz3.so, runs every unit through the inline paths;
#  - module.c, built twice against that CPython's headers and the same
#    library (inline, and with Py_LIMITED_API as a .abi3.so), is imported
#    in both orders and exercised (imports.py);
#  - every Py*/_Py* symbol that libpyz3.so needs is exported by that CPython
#    (its executable and the libpython it links, and the libpython that an
#    embedding program links);
#  - the inline module built for the previous release (not debug) CPython
#    of another major.minor refuses to import, with the ImportError of
#    pyz3_check_python().
#
# Prints "PASS|FAIL|SKIP <what> (<detail>)" per line, then the last line
# "N passed, N failed" (and ", N skipped"); exits 1 if anything failed.
#
# Environment: CC (default cc); ONELIB_CFLAGS (default: warnings as errors);
# ONELIB_PYTHONS, a list of interpreters to test instead of searching;
# ONELIB_WORKDIR, where to build (default: a temporary directory, removed
# at the end); MANDIR (default: PREFIX/share/man).

set -u

here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
ONELIB_CFLAGS=${ONELIB_CFLAGS:--O2 -Wall -Wextra -Wno-unused-parameter -Werror}
. "$here/../../scripts/report.sh"

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: DESTDIR=... $0 PREFIX" >&2
    exit 2
fi
prefix=$1
destdir=${DESTDIR:-}
destdir=${destdir%/}
root=$destdir$prefix

if [ -n "${ONELIB_WORKDIR:-}" ]; then
    work=$ONELIB_WORKDIR
    rm -rf "$work"
    mkdir -p "$work" || exit 2
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-onelib.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)

# ---------------------------------------------------------------------------
# The installed files.

installed_pcdir=
for dir in "$root"/lib/pkgconfig "$root"/lib64/pkgconfig "$root"/lib/*/pkgconfig; do
    if [ -f "$dir/pyz3.pc" ]; then
        installed_pcdir=$dir
        break
    fi
done
if [ -z "$installed_pcdir" ]; then
    report FAIL "install ($root: no lib/pkgconfig/pyz3.pc)"
    finish
fi

# With DESTDIR, the .pc files name the final directories: read copies that
# name the staged ones.
pcdir=$work/pkgconfig
mkdir -p "$pcdir"
for pc in pyz3.pc pyz3-embed.pc; do
    [ -f "$installed_pcdir/$pc" ] || continue
    if [ -n "$destdir" ]; then
        sed -E "s#^(prefix|exec_prefix|libdir|includedir)=/#\\1=$destdir/#" \
            "$installed_pcdir/$pc" > "$pcdir/$pc"
    else
        cp "$installed_pcdir/$pc" "$pcdir/$pc"
    fi
done

# pyz3.pc requires python3; a stub stands in for the variable queries.
mkdir -p "$work/stub"
printf 'Name: python3\nDescription: stub\nVersion: 3.8\n' > "$work/stub/python3.pc"
pcvar() {
    PKG_CONFIG_PATH="$pcdir:$work/stub" pkg-config --variable="$1" pyz3
}
libdir=$(pcvar libdir)
includedir=$(pcvar includedir)
library=$libdir/libpyz3.so.0
mandir=${MANDIR:-$root/share/man}

# Names, one per line, of the dynamic symbols of $2 selected by nm option $1.
dynamic_symbols() {
    nm -D "$1" "$2" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//' | sort -u
}

check_install() {
    local header exported name missing problems=
    [ -f "$pcdir/pyz3-embed.pc" ] || problems="$problems; no pyz3-embed.pc"
    if [ ! -f "$library" ]; then
        echo "no $library"
        return 1
    fi
    [ -e "$libdir/libpyz3.so" ] || problems="$problems; no libpyz3.so link"
    readelf -d "$library" | grep -q 'Library soname: \[libpyz3\.so\.0\]' \
        || problems="$problems; SONAME is not libpyz3.so.0"
    if readelf -d "$library" | grep -Eq '\((RPATH|RUNPATH)\)'; then
        problems="$problems; has an RPATH or RUNPATH"
    fi
    if readelf -d "$library" | grep -q 'Shared library: \[libpython'; then
        problems="$problems; links libpython"
    fi
    exported=$(dynamic_symbols --defined-only "$library")
    name=$(echo "$exported" | grep -v '^pyz3_' | tr '\n' ' ')
    [ -z "$name" ] || problems="$problems; exports non-pyz3 names: $name"

    if [ -f "$includedir/pyz3.h" ]; then
        for header in $(sed -n 's/^#include <\(pyz3\/[a-z_]*\.h\)>.*/\1/p' "$includedir/pyz3.h") \
                      pyz3/version.h; do
            [ -f "$includedir/$header" ] || problems="$problems; no $includedir/$header"
        done
    else
        problems="$problems; no $includedir/pyz3.h"
    fi

    missing=
    for name in pyz3 $(echo "$exported" | grep '^pyz3_' | grep -v '^pyz3__'); do
        [ -f "$mandir/man3/$name.3" ] || missing="$missing $name.3"
    done
    [ -z "$missing" ] || problems="$problems; not in $mandir/man3:$missing"

    if [ -n "$problems" ]; then
        echo "${problems#; }"
        return 1
    fi
}

if reason=$(check_install); then
    report PASS "install ($root)"
else
    report FAIL "install ($root: $reason)"
    [ -f "$library" ] || finish
fi
library_real=$(readlink -f "$library")

# ---------------------------------------------------------------------------
# One CPython.

# The last inline module built, and the major.minor it was built for.
previous_module=
previous_version=

# test_python EXE: all the checks above for one interpreter, in the current
# shell (it keeps the previous module). Sets tested_version; returns 0 on
# success, else prints why and returns 1 to fail or 2 to skip.
test_python() {
    local exe=$1 dir info version ldversion libpc includepy ext_suffix pylibdir
    local pypc cflags libs ldpath out missing providers lib order debug

    info=$("$exe" -c '
import sys, sysconfig
v = sysconfig.get_config_var
print(sys.implementation.name, "%d.%d" % sys.version_info[:2],
      v("LDVERSION"), v("LIBPC") or "-", v("INCLUDEPY"), v("EXT_SUFFIX"),
      v("LIBDIR"), 1 if v("Py_GIL_DISABLED") else 0, 1 if v("Py_DEBUG") else 0)' 2>&1) \
        || { echo "does not run: $info"; return 1; }
    # shellcheck disable=SC2086
    set -- $info
    if [ $# -ne 9 ]; then
        echo "unexpected configuration: $info"
        return 1
    fi
    if [ "$1" != cpython ]; then
        echo "$1, not CPython"
        return 2
    fi
    version=$2 ldversion=$3 libpc=$4 includepy=$5 ext_suffix=$6 pylibdir=$7 debug=$9
    tested_version=$ldversion
    if [ "$8" = 1 ]; then
        echo "free-threaded build"
        return 2
    fi
    if [ ! -f "$includepy/Python.h" ]; then
        echo "no headers: $includepy/Python.h"
        return 2
    fi
    if [ ! -f "$libpc/python-$ldversion-embed.pc" ]; then
        echo "no $libpc/python-$ldversion-embed.pc"
        return 2
    fi

    dir=$work/python$ldversion-$(echo "$exe" | cksum | cut -d' ' -f1)
    mkdir -p "$dir/pkgconfig" "$dir/modules" || return 1
    # python3.pc and python3-embed.pc of exactly this interpreter, found
    # before any other.
    cp "$libpc/python-$ldversion.pc" "$dir/pkgconfig/python3.pc" || return 1
    cp "$libpc/python-$ldversion-embed.pc" "$dir/pkgconfig/python3-embed.pc" || return 1
    pypc="$dir/pkgconfig:$pcdir:$libpc"
    ldpath="$libdir:$pylibdir"

    # The embedding program.
    cflags=$(PKG_CONFIG_PATH=$pypc pkg-config --cflags pyz3 pyz3-embed) \
        || { echo "pkg-config --cflags pyz3 pyz3-embed failed"; return 1; }
    libs=$(PKG_CONFIG_PATH=$pypc pkg-config --libs pyz3 pyz3-embed) \
        || { echo "pkg-config --libs pyz3 pyz3-embed failed"; return 1; }
    # shellcheck disable=SC2086
    $CC $ONELIB_CFLAGS -o "$dir/consumer" "$here/consumer.c" $cflags $libs -pthread \
        > "$dir/consumer.build.log" 2>&1 \
        || { echo "consumer.c does not build:"; cat "$dir/consumer.build.log"; return 1; }
    out=$(LD_LIBRARY_PATH=$ldpath "$dir/consumer" 2>&1)
    [ "$(echo "$out" | tail -n 1)" = OK ] \
        || { echo "consumer fails:"; echo "$out"; return 1; }
    lib=$(echo "$out" | sed -n 's/^libpyz3 .* from //p')
    [ "$(readlink -f "$lib")" = "$library_real" ] \
        || { echo "consumer loaded libpyz3 from $lib, not $library"; return 1; }

    # The two extension modules.
    cflags=$(PKG_CONFIG_PATH=$pypc pkg-config --cflags pyz3) \
        || { echo "pkg-config --cflags pyz3 failed"; return 1; }
    libs=$(PKG_CONFIG_PATH=$pypc pkg-config --libs pyz3) \
        || { echo "pkg-config --libs pyz3 failed"; return 1; }
    # shellcheck disable=SC2086
    $CC $ONELIB_CFLAGS -shared -fPIC \
        -DMODULE_NAME='"onelib_plain"' -DMODULE_INIT=PyInit_onelib_plain \
        -o "$dir/modules/onelib_plain$ext_suffix" "$here/module.c" $cflags $libs \
        > "$dir/plain.build.log" 2>&1 \
        || { echo "module.c (inline) does not build:"; cat "$dir/plain.build.log"; return 1; }
    # shellcheck disable=SC2086
    $CC $ONELIB_CFLAGS -shared -fPIC -DPy_LIMITED_API=0x03080000 \
        -DMODULE_NAME='"onelib_abi3"' -DMODULE_INIT=PyInit_onelib_abi3 \
        -o "$dir/modules/onelib_abi3.abi3.so" "$here/module.c" $cflags $libs \
        > "$dir/abi3.build.log" 2>&1 \
        || { echo "module.c (Py_LIMITED_API) does not build:"; cat "$dir/abi3.build.log"; return 1; }
    for order in "onelib_plain onelib_abi3" "onelib_abi3 onelib_plain"; do
        # shellcheck disable=SC2086
        out=$(cd "$dir" && LD_LIBRARY_PATH=$ldpath PYTHONPATH="$dir/modules" \
              ONELIB_LIBRARY=$library_real "$exe" "$here/imports.py" $order 2>&1) \
            || { echo "import $order:"; echo "$out"; return 1; }
    done

    # Every Python symbol the library needs, from the interpreter (the
    # executable and what it links) and from an embedding program.
    for providers in \
        "$(LD_LIBRARY_PATH=$ldpath ldd "$exe" | awk '/libpython/ { print $3 }') $exe" \
        "$(LD_LIBRARY_PATH=$ldpath ldd "$dir/consumer" | awk '/libpython/ { print $3 }')"; do
        missing=$(comm -23 \
            <(dynamic_symbols --undefined-only "$library" | grep -E '^_?Py') \
            <(for lib in $providers; do dynamic_symbols --defined-only "$lib"; done | sort -u) \
            | tr '\n' ' ')
        [ -z "$missing" ] || { echo "not exported by $providers: $missing"; return 1; }
    done

    # An inline module built for another major.minor must refuse to load.
    if [ -n "$previous_module" ] && [ "$previous_version" != "$version" ]; then
        out=$(LD_LIBRARY_PATH=$ldpath "$exe" "$here/imports.py" --refuse \
              "$previous_module" "$previous_version" "$version" 2>&1) \
            || { echo "the inline module for Python $previous_version:"; echo "$out"; return 1; }
    fi
    # Only a release build's module: one built for a debug interpreter
    # needs its debug symbols, and would fail to load before it could
    # refuse.
    if [ "$debug" = 0 ]; then
        previous_module=$dir/modules/onelib_plain$ext_suffix
        previous_version=$version
    fi
}

run_python() {
    # run_python EXE
    local status label
    tested_version=
    test_python "$1" > "$work/reason" 2>&1
    status=$?
    label=$(basename "$1")
    [ -z "$tested_version" ] || label=python$tested_version
    case $status in
    0)
        report PASS "$label ($1)"
        ;;
    2)
        report SKIP "$label ($1: $(cat "$work/reason"))"
        ;;
    *)
        report FAIL "$label ($1: $(head -n 1 "$work/reason"))"
        tail -n +2 "$work/reason" | head -n 40 | sed 's/^/    /'
        ;;
    esac
}

# ---------------------------------------------------------------------------
# The interpreters.

if [ -n "${ONELIB_PYTHONS:-}" ]; then
    for exe in $ONELIB_PYTHONS; do
        run_python "$exe"
    done
    finish
fi

found_minors=" "
pyenv_missing="pyenv is not installed"
if command -v pyenv > /dev/null 2>&1; then
    pyenv_missing="not installed with pyenv"
    for v in $(pyenv versions --bare 2>/dev/null); do
        case $v in
        3.[0-9]*.*) ;;
        *) continue ;;
        esac
        minor=${v#3.}
        minor=${minor%%.*}
        [ "$minor" -ge 8 ] 2>/dev/null || continue
        found_minors="$found_minors$minor "
        run_python "$(pyenv prefix "$v")/bin/python3"
    done
fi
for minor in 8 9 10 11 12 13; do
    case $found_minors in
    *" $minor "*) ;;
    *) report SKIP "python3.$minor ($pyenv_missing)" ;;
    esac
done
for exe in /usr/bin/python3.*; do
    case $(basename "$exe") in
    python3.[0-9]|python3.[0-9][0-9]|python3.[0-9]d|python3.[0-9][0-9]d) ;;
    *) continue ;;
    esac
    minor=$(basename "$exe" | sed 's/^python3\.\([0-9]*\).*/\1/')
    [ "$minor" -ge 8 ] || continue
    run_python "$exe"
done
finish
