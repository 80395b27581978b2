#!/bin/sh
# coinstall.sh -- libpyz3 and libpyz3t install into one prefix.
#
# Usage: tests/ft/coinstall.sh GIL-BUILD-DIR FT-BUILD-DIR
#
# Runs `make install` of both configured build trees into one staging
# DESTDIR, each also into a DESTDIR of its own, and checks that every file
# both install is the same file byte for byte (the shared headers and
# manual pages), that each library keeps its own files (libpyz3.so.0,
# pyz3.pc, <pyz3/config.h>; libpyz3t.so.0, pyz3t.pc, <pyz3/config-t.h>),
# and that the shared prefix holds all of them. Prints "N passed, N failed".
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 GIL-BUILD-DIR FT-BUILD-DIR" >&2
    exit 2
fi
gil=$(cd "$1" && pwd) || exit 1
ft=$(cd "$2" && pwd) || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/pyz3-coinstall.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
passed=0
failed=0

check() {
    if [ "$1" = 0 ]; then
        passed=$((passed + 1))
        echo "PASS $2"
    else
        failed=$((failed + 1))
        echo "FAIL $2"
    fi
}

prefix=/usr/local
for d in "$gil" "$ft"; do
    p=$(sed -n 's/^prefix = //p' "$d/Makefile")
    [ "$p" = "$prefix" ] || { echo "coinstall.sh: $d is configured for prefix $p, not $prefix" >&2; exit 1; }
done

(cd "$gil" && make install DESTDIR="$work/gil") > "$work/gil.log" 2>&1
check $? "make install of libpyz3"
(cd "$ft" && make install DESTDIR="$work/ft") > "$work/ft.log" 2>&1
check $? "make install of libpyz3t"
(cd "$gil" && make install DESTDIR="$work/both" && cd "$ft" && make install DESTDIR="$work/both") \
    > "$work/both.log" 2>&1
check $? "make install of both into one prefix"

(cd "$work/gil" && find . -type f -o -type l | sort) > "$work/gil.files"
(cd "$work/ft" && find . -type f -o -type l | sort) > "$work/ft.files"
status=0
for f in $(comm -12 "$work/gil.files" "$work/ft.files"); do
    if ! cmp -s "$work/gil/$f" "$work/ft/$f"; then
        echo "coinstall.sh: both install $f, and differently" >&2
        status=1
    fi
done
check $status "the files both libraries install are the same"

status=0
for f in lib/libpyz3.so.0 lib/pkgconfig/pyz3.pc lib/pkgconfig/pyz3-embed.pc include/pyz3/config.h; do
    grep -qx "./${prefix#/}/$f" "$work/gil.files" && ! grep -qx "./${prefix#/}/$f" "$work/ft.files" \
        || { echo "coinstall.sh: $f is not libpyz3's alone" >&2; status=1; }
done
for f in lib/libpyz3t.so.0 lib/pkgconfig/pyz3t.pc lib/pkgconfig/pyz3t-embed.pc include/pyz3/config-t.h; do
    grep -qx "./${prefix#/}/$f" "$work/ft.files" && ! grep -qx "./${prefix#/}/$f" "$work/gil.files" \
        || { echo "coinstall.sh: $f is not libpyz3t's alone" >&2; status=1; }
done
check $status "each library keeps its own files"

(cd "$work/both" && find . -type f -o -type l | sort) > "$work/both.files"
sort -u "$work/gil.files" "$work/ft.files" | cmp -s - "$work/both.files"
check $? "the shared prefix holds the files of both"

soname() {
    objdump -p "$1" 2>/dev/null | sed -n 's/^ *SONAME *//p'
}
[ "$(soname "$work/both/${prefix#/}/lib/libpyz3.so.0")" = libpyz3.so.0 ] \
    && [ "$(soname "$work/both/${prefix#/}/lib/libpyz3t.so.0")" = libpyz3t.so.0 ]
check $? "SONAMEs libpyz3.so.0 and libpyz3t.so.0"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
