#!/bin/sh
# example-install.sh -- build the example modules against an installed
# libpyz3 the way a user would, then import and test them.
#
# Usage: tests/example-install.sh PREFIX
#
# PREFIX is the prefix libpyz3 was installed with. If DESTDIR is set, the
# files are looked for under $DESTDIR$PREFIX, as `make install DESTDIR=...`
# leaves them, and pyz3.pc is read through a copy whose folders carry
# DESTDIR. Copies example/ to a temporary folder, compiles fastpath_bench.c
# and gil_bench.c there with nothing but `pkg-config --cflags --libs pyz3`
# and $CC, for the Python $PYTHON (default python3), and runs
# tests/test_examples.py on them. `make installcheck` runs it on the
# installed tree, `make check-example-install` on a staging install.
#
# Environment: PYTHON, CC (default cc), DESTDIR, EXAMPLE_CFLAGS (default:
# -O2 -DNDEBUG and warnings as errors), PYZ3_LIBNAME (pyz3, the default, or
# pyz3t for libpyz3t and pyz3t.pc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/.." && pwd)
CC=${CC:-cc}
EXAMPLE_CFLAGS=${EXAMPLE_CFLAGS:--O2 -DNDEBUG -Wall -Wextra -Wno-unused-parameter -Werror}

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: [DESTDIR=...] $0 PREFIX" >&2
    exit 2
fi
destdir=${DESTDIR:-}
destdir=${destdir%/}
root=$destdir$1
pc=${PYZ3_LIBNAME:-pyz3}

pcdir=
for dir in "$root"/lib/pkgconfig "$root"/lib64/pkgconfig "$root"/lib/*/pkgconfig; do
    if [ -f "$dir/$pc.pc" ]; then
        pcdir=$dir
        break
    fi
done
if [ -z "$pcdir" ]; then
    echo "example-install.sh: no $pc.pc under $root" >&2
    exit 1
fi

python=$("${PYTHON:-python3}" -c 'import os, sys; print(os.path.realpath(sys.executable))')
# shellcheck disable=SC2046
set -- $("$python" -c '
import sysconfig
v = sysconfig.get_config_var
print(v("LDVERSION"), v("LIBPC") or "-", v("EXT_SUFFIX"), v("LIBDIR"))')
ldversion=$1 libpc=$2 ext=$3 pylibdir=$4

work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-example.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$srcdir/example" "$work/example"
cd "$work/example"

# pyz3.pc, with DESTDIR in its folders, and the python3.pc of exactly this
# interpreter, which pyz3.pc requires.
mkdir -p "$work/pkgconfig"
if [ -n "$destdir" ]; then
    sed -E "s#^(prefix|exec_prefix|libdir|includedir)=/#\\1=$destdir/#" \
        "$pcdir/$pc.pc" > "$work/pkgconfig/$pc.pc"
else
    cp "$pcdir/$pc.pc" "$work/pkgconfig/$pc.pc"
fi
if [ -f "$libpc/python-$ldversion.pc" ]; then
    cp "$libpc/python-$ldversion.pc" "$work/pkgconfig/python3.pc"
fi
PKG_CONFIG_PATH="$work/pkgconfig:$libpc"
export PKG_CONFIG_PATH
libdir=$(pkg-config --variable=libdir "$pc")

for module in fastpath_bench gil_bench points; do
    echo "example-install.sh: $CC ... $module.c \$(pkg-config --cflags --libs $pc)"
    # shellcheck disable=SC2046,SC2086
    $CC $EXAMPLE_CFLAGS -fPIC -shared -o "$module$ext" "$module.c" \
        $(pkg-config --cflags --libs "$pc") -lm
done

# The installed library, not another one, must be what the modules load.
LD_LIBRARY_PATH="$libdir:$pylibdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PYTHONPATH=$work/example
export LD_LIBRARY_PATH PYTHONPATH
"$python" -c '
import sys, fastpath_bench, gil_bench
want, name = sys.argv[1:]
for line in open("/proc/self/maps"):
    if "/lib%s.so" % name in line:
        path = line.split()[-1]
        break
else:
    sys.exit("lib%s.so is not loaded" % name)
import os
if os.path.realpath(path) != os.path.realpath(want):
    sys.exit("lib%s loaded from %s, not %s" % (name, path, want))
print("example-install.sh: modules built against %s" % want)
' "$libdir/lib$pc.so.0" "$pc"
"$python" "$srcdir/tests/test_examples.py"
