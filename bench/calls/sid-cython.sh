#!/bin/sh
# sid-cython.sh -- Debian sid's Cython 3, from the sid root of
# scripts/sid-root.sh, for the CPythons whose C API Debian 12's Cython 0.29
# no longer compiles against (3.11 on). The C it writes compiles for every
# CPython from 3.8 on.
#
#     CYTHON=bench/calls/sid-cython.sh bench/calls/shapes.sh
#
# Takes what shapes.sh and run.sh give cython3: -3 -o OUT.c IN.pyx. Needs
# root (chroot); PYZ3_SID_ROOT is the root (default /var/cache/pyz3/sid).
set -eu

root=${PYZ3_SID_ROOT:-/var/cache/pyz3/sid}
if [ $# -ne 4 ] || [ "$1" != -3 ] || [ "$2" != -o ]; then
    echo "usage: sid-cython.sh -3 -o OUT.c IN.pyx" >&2
    exit 2
fi
out=$3 in=$4
[ -x "$root/usr/bin/cython3" ] || { echo "sid-cython.sh: no cython3 in $root" >&2; exit 1; }
tmp=$(mktemp -d "$root/tmp/cython.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$in" "$tmp/"
chroot "$root" cython3 -3 -o "/tmp/${tmp##*/}/out.c" "/tmp/${tmp##*/}/$(basename "$in")"
cp "$tmp/out.c" "$out"
