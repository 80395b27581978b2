#!/usr/bin/env bash
# run.sh -- other people's builds against an installed libpyz3.
#
# Usage: tests/buildsys/run.sh [PREFIX]
#
# Builds demo.c, an extension module using a GIL scope, the i64 fast paths
# and pyz3_check_python(), the way projects that use libpyz3 build:
#
#   make        demo.mk, flags from `pkg-config --cflags --libs pyz3`;
#   meson       meson.build: dependency('pyz3') and the python module's
#               extension_module(), as meson-python projects do;
#   cmake-pc    CMakeLists.txt: pkg_check_modules(... IMPORTED_TARGET pyz3);
#   cmake-pkg   CMakeLists.txt: find_package(pyz3), the package
#               configuration that libpyz3 installs (pyz3::pyz3);
#   setuptools  setup.py: Extension() with the flags of pkg-config;
#
# imports each module with PYTHON and calls it (check.py), checking that
# the libpyz3 it loaded is the installed one. Also builds embed.c, a
# program embedding PYTHON, with `pkg-config --cflags --libs pyz3-embed`
# (demo.mk) and runs it, and checks that find_package(pyz3 1.0) refuses a
# 0.x libpyz3.
#
# PREFIX is where libpyz3 was installed, configured with --prefix=PREFIX
# (e.g. /usr for the distribution package). Without it, the source tree
# this script is in is configured, built and installed into a temporary
# prefix first.
#
# Prints "PASS|FAIL <what>" per line, then "N passed, N failed"; exits 1
# if anything failed.
#
# Environment: PYTHON (default /usr/bin/python3, Debian's; another one
# needs setuptools, and Meson 1.0 of Debian 12 handles CPython 3.11 at
# most); CC; JOBS
# (default 2); PYZ3_NO_APT=1 installs nothing (otherwise, as root, missing
# tools are installed with apt-get: meson, ninja-build, cmake,
# python3-setuptools, pkg-config); BUILDSYS_WORKDIR, where to build
# (default: a temporary directory, removed at the end).

set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-2}
. "$srcdir/scripts/report.sh"

if [ $# -gt 1 ]; then
    echo "usage: $0 [PREFIX]" >&2
    exit 2
fi

if [ -n "${BUILDSYS_WORKDIR:-}" ]; then
    work=$BUILDSYS_WORKDIR
    rm -rf "$work"
    mkdir -p "$work" || exit 2
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-buildsys.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)

# What the builds need.
need=
command -v pkg-config >/dev/null || need="$need pkg-config"
command -v meson >/dev/null || need="$need meson"
command -v ninja >/dev/null || need="$need ninja-build"
command -v cmake >/dev/null || need="$need cmake"
"$PYTHON" -c 'import setuptools' 2>/dev/null || need="$need python3-setuptools"
if [ -n "$need" ] && [ -z "${PYZ3_NO_APT:-}" ] && [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install$need"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >"$work/apt.log" 2>&1 \
        || { apt-get update -q >>"$work/apt.log" 2>&1 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >>"$work/apt.log" 2>&1; } \
        || report FAIL "apt-get install$need (see below)"
    [ "$failed" -eq 0 ] || tail -n 5 "$work/apt.log"
fi

# The installation to test.
if [ $# -eq 1 ]; then
    prefix=$1
else
    prefix=$work/prefix
    echo "==> building $srcdir into $prefix"
    mkdir -p "$work/build"
    if (cd "$work/build" \
        && "$srcdir/configure" --prefix="$prefix" --with-python="$PYTHON" \
        && make -j"$JOBS" && make install) >"$work/install.log" 2>&1; then
        report PASS "libpyz3 built and installed into a temporary prefix"
    else
        tail -n 20 "$work/install.log"
        report FAIL "libpyz3 built and installed into a temporary prefix"
        finish
    fi
fi
pcdir=
for dir in "$prefix"/lib/pkgconfig "$prefix"/lib/*/pkgconfig "$prefix"/lib64/pkgconfig; do
    if [ -f "$dir/pyz3.pc" ]; then
        pcdir=$dir
        break
    fi
done
if [ -z "$pcdir" ]; then
    report FAIL "pyz3.pc found under $prefix/lib*"
    finish
fi
libdir=$(dirname "$pcdir")
echo "==> libpyz3 in $libdir; Python: $PYTHON"

# pkg-config's python3 (which pyz3.pc requires) must be PYTHON's.
pylibpc=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBPC") or "")')
PKG_CONFIG_PATH=$pcdir${pylibpc:+:$pylibpc}${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH

mkdir -p "$work/src"
cp "$here"/demo.c "$here"/embed.c "$here"/demo.mk "$here"/meson.build "$here"/CMakeLists.txt \
    "$here"/setup.py "$work/src/" || exit 2

# step NAME DIR COMMAND...: run COMMAND (its output in NAME.log), then
# import the module it built in DIR.
step() {
    local name=$1 dir=$2 start=$SECONDS
    shift 2
    if ! "$@" >"$work/$name.log" 2>&1; then
        tail -n 20 "$work/$name.log"
        report FAIL "$name: build ($((SECONDS - start))s)"
        return
    fi
    if LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
        "$PYTHON" "$here/check.py" "$dir" "$libdir" >"$work/$name.out" 2>&1; then
        report PASS "$name: $(cat "$work/$name.out") ($((SECONDS - start))s)"
    else
        cat "$work/$name.out"
        report FAIL "$name: import and call ($((SECONDS - start))s)"
    fi
}

copy() {
    # copy NAME: a fresh copy of the sources in $work/NAME
    rm -rf "${work:?}/$1"
    cp -r "$work/src" "$work/$1"
}

strict="-O2 -Wall -Wextra -Wno-unused-parameter -Werror"
copy make
step make "$work/make" make -C "$work/make" -f demo.mk PYTHON="$PYTHON" CFLAGS="$strict"

# The embedding program runs with the installed libpyz3 and PYTHON's
# libpython.
start=$SECONDS
pylibdir=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
ldpath=$libdir:$pylibdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if ! make -C "$work/make" -f demo.mk embed CFLAGS="$strict" >"$work/embed.log" 2>&1; then
    tail -n 20 "$work/embed.log"
    report FAIL "make-embed: build ($((SECONDS - start))s)"
elif ! out=$(LD_LIBRARY_PATH=$ldpath "$work/make/embed" 2>&1); then
    echo "$out"
    report FAIL "make-embed: run ($((SECONDS - start))s)"
else
    lib=$(LD_LIBRARY_PATH=$ldpath ldd "$work/make/embed" | awk '/libpyz3/ { print $3 }')
    if [ "$(dirname "$(readlink -f "$lib")")" = "$(readlink -f "$libdir")" ]; then
        report PASS "make-embed: $out, libpyz3 from $lib ($((SECONDS - start))s)"
    else
        report FAIL "make-embed: loaded libpyz3 from '$lib', not from $libdir"
    fi
fi

# find_installation() takes the python of the machine file.
printf "[binaries]\npython = '%s'\n" "$PYTHON" >"$work/native.ini"
step meson "$work/meson-build" \
    sh -c 'meson setup --native-file "$3" "$1" "$2" && meson compile -C "$1"' sh \
    "$work/meson-build" "$work/src" "$work/native.ini"

step cmake-pc "$work/cmake-pc" \
    sh -c 'cmake -S "$1" -B "$2" -DPYZ3_FIND=pkgconfig -DPython3_EXECUTABLE="$3" \
           && cmake --build "$2"' sh "$work/src" "$work/cmake-pc" "$PYTHON"

step cmake-pkg "$work/cmake-pkg" \
    sh -c 'cmake -S "$1" -B "$2" -DPYZ3_FIND=config -DPython3_EXECUTABLE="$3" \
           -DCMAKE_PREFIX_PATH="$4" && cmake --build "$2"' sh \
    "$work/src" "$work/cmake-pkg" "$PYTHON" "$prefix"

# pyz3ConfigVersion.cmake: a request for another major version fails.
if cmake -S "$work/src" -B "$work/cmake-v1" -DPYZ3_FIND=config \
    -DPython3_EXECUTABLE="$PYTHON" -DCMAKE_PREFIX_PATH="$prefix" \
    -DPYZ3_VERSION_WANTED=1.0 >"$work/cmake-v1.log" 2>&1; then
    report FAIL "cmake-pkg: find_package(pyz3 1.0) accepted libpyz3 $(pkg-config --modversion pyz3)"
elif grep -q 'pyz3Config.cmake, version: ' "$work/cmake-v1.log"; then
    report PASS "cmake-pkg: find_package(pyz3 1.0) refuses libpyz3 $(pkg-config --modversion pyz3)"
else
    tail -n 20 "$work/cmake-v1.log"
    report FAIL "cmake-pkg: find_package(pyz3 1.0) failed for another reason"
fi

copy setuptools
step setuptools "$work/setuptools" \
    sh -c 'cd "$1" && "$2" setup.py build_ext --inplace' sh \
    "$work/setuptools" "$PYTHON"

finish
