#!/bin/sh
# quickstart.sh -- build and install libpyz3 on a Debian machine, then show
# it working.
#
#     sh scripts/quickstart.sh    (as root, or with sudo)
#
# Installs the build dependencies with apt-get, builds in _build/quickstart
# (the source tree stays clean, so scripts/test.sh can build beside it),
# installs into PREFIX (default /usr/local) and runs ldconfig, then compiles
# example/demo.c with nothing but `pkg-config --cflags --libs pyz3
# pyz3-embed` and runs it.
#
# The library is configured and tested with Debian's /usr/bin/python3 when
# it exists, else the python3 on PATH; set PYTHON to choose another. The
# installed libpyz3.so serves every CPython from 3.8 on either way.
#
# Environment: PREFIX, PYTHON, and PYZ3_NO_APT=1 to skip apt-get (when the
# dependencies are already installed).

set -eu

cd "$(dirname "$0")/.."
srcdir=$(pwd)
prefix=${PREFIX:-/usr/local}

if [ "$(id -u)" -eq 0 ]; then
    as_root=
elif command -v sudo > /dev/null 2>&1; then
    as_root=sudo
else
    echo "quickstart.sh: run as root (or install sudo)" >&2
    exit 1
fi

step() {
    printf '\n==> %s\n' "$*"
}

if [ "${PYZ3_NO_APT:-0}" != 1 ]; then
    step "Installing the build dependencies"
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends \
        build-essential autoconf automake libtool pkg-config python3-dev
fi

if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then
    PYTHON=/usr/bin/python3
fi

step "Generating configure"
autoreconf -fi

step "Configuring in _build/quickstart"
mkdir -p _build/quickstart
cd _build/quickstart
"$srcdir/configure" --prefix="$prefix" ${PYTHON:+--with-python="$PYTHON"}

step "Building"
make -j"$(nproc)"

step "Installing into $prefix"
$as_root make install
if command -v ldconfig > /dev/null 2>&1; then
    $as_root ldconfig
elif [ -x /sbin/ldconfig ]; then
    $as_root /sbin/ldconfig
fi

# A prefix outside the standard places needs to be named to pkg-config and
# to the dynamic linker.
case $prefix in
/usr | /usr/local) ;;
*)
    PKG_CONFIG_PATH=$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
    LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export PKG_CONFIG_PATH LD_LIBRARY_PATH
    ;;
esac

step "Compiling example/demo.c against the installed library"
flags=$(pkg-config --cflags --libs pyz3 pyz3-embed)
echo "cc -o demo example/demo.c $flags"
# shellcheck disable=SC2086
cc -o demo "$srcdir/example/demo.c" $flags

step "Running it"
./demo
printf '\nlibpyz3 is installed in %s. Extension modules build with the flags of\n"pkg-config --cflags --libs pyz3"; see man pyz3.\n' "$prefix"
