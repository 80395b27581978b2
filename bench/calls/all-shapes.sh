#!/bin/sh
# all-shapes.sh -- the call-shape table of shapes.sh on every CPython here,
# then one table of its ratios with a column per version
# (shapes_summary.py).
#
#     bench/calls/all-shapes.sh
#
# Every pyenv CPython and /usr/bin/python3.N of this machine
# (bench/pythons.sh), each built in a folder of its own under $BENCH_BUILDS
# (default ./bench-builds/shapes);
# then, as root where scripts/sid-root.sh made its root ($PYZ3_SID_ROOT,
# default /var/cache/pyz3/sid), Debian sid's python3.13, 3.14 and 3.15 in
# it, built with sid's gcc (and nanobind where nanobind-dev is there).
# Cython is sid's Cython 3 (sid-cython.sh) where the root has it: Debian
# 12's 0.29 does not compile for 3.11 on. Each version's own table is kept
# in the build folder as shapes.txt.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builds=${BENCH_BUILDS:-$PWD/bench-builds}/shapes
root=${PYZ3_SID_ROOT:-/var/cache/pyz3/sid}
mkdir -p "$builds"
builds=$(cd "$builds" && pwd)
cython=
[ "$(id -u)" -eq 0 ] && [ -x "$root/usr/bin/cython3" ] && cython=$here/sid-cython.sh

# shellcheck disable=SC2046
set -- $(sh "$srcdir/bench/pythons.sh")

outputs=
for py in "$@"; do
    name=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])') || continue
    dir=$builds/py$name-$(echo "$py" | cksum | cut -d' ' -f1)
    echo "== $py (Python $name) in $dir"
    mkdir -p "$dir"
    if ! (cd "$dir" && { [ -f Makefile ] || "$srcdir/configure" --with-python="$py"; } \
          && make -j2 && make example/pyz3-uninstalled.pc) > "$dir/build.log" 2>&1; then
        echo "   does not build (see $dir/build.log), skipped"
        continue
    fi
    if (cd "$dir" && env PYTHON="$py" PKG_CONFIG_PATH="$dir/example" CYTHON="${cython:-cython3}" \
            sh "$here/shapes.sh") > "$dir/shapes.txt" 2>&1; then
        outputs="$outputs $dir/shapes.txt"
    else
        echo "   shapes.sh failed (see $dir/shapes.txt)"
    fi
done

# Debian sid's interpreters, in a copy of the tree inside the root.
if [ "$(id -u)" -eq 0 ] && [ -x "$root/usr/bin/python3.15" ]; then
    work=/pyz3-shapes
    rm -rf --one-file-system "$root$work"
    mkdir -p "$root$work/src"
    if git -C "$srcdir" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
        (cd "$srcdir" && git ls-files -co --exclude-standard -z | tar -c --null -T - \
         | tar -x -C "$root$work/src")
    else
        (cd "$srcdir" && tar -c --exclude=./_build --exclude=./.git . | tar -x -C "$root$work/src")
    fi
    sid() {
        chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
    }
    sid sh -c "cd $work/src && autoreconf -fi" > "$root$work/autoreconf.log" 2>&1
    for v in 3.13 3.14 3.15; do
        [ -x "$root/usr/bin/python$v" ] || continue
        dir=$work/py$v
        echo "== python$v of the sid root in $root$dir"
        if ! sid sh -c "mkdir -p $dir && cd $dir && ../src/configure --with-python=/usr/bin/python$v \
                && make -j2 && make example/pyz3-uninstalled.pc" > "$root$work/build-$v.log" 2>&1; then
            echo "   does not build (see $root$work/build-$v.log), skipped"
            continue
        fi
        if sid sh -c "cd $dir && PYTHON=/usr/bin/python$v PKG_CONFIG_PATH=$dir/example \
                sh ../src/bench/calls/shapes.sh" > "$root$dir/shapes.txt" 2>&1; then
            outputs="$outputs $root$dir/shapes.txt"
        else
            echo "   shapes.sh failed (see $root$dir/shapes.txt)"
        fi
    done
fi

[ -n "$outputs" ] || { echo "all-shapes.sh: no CPython could be counted" >&2; exit 1; }
echo
# shellcheck disable=SC2086
python3 "$here/shapes_summary.py" $outputs
