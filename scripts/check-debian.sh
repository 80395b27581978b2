#!/usr/bin/env bash
# check-debian.sh -- build the Debian packages from the release tarball,
# check them, install them and use them, in a Debian root of their own.
#
#     sudo scripts/check-debian.sh
#
# On Debian, as root. Nothing is installed on the machine itself but
# debootstrap: the packages are built, installed and tested in a minbase
# root (Debian 12 "bookworm" by default) made or reused by
# scripts/debootstrap-root.sh, where a libpyz3 the user installed (in
# /usr/local, say) can neither hide the packages nor be disturbed. From the
# source tree:
#
#   1. makes or reuses the root, and installs in it debhelper, devscripts,
#      lintian, dpkg-dev and the build dependencies of debian/control
#      (apt-get build-dep);
#   2. configures a build directory on the machine and runs `make dist`; the
#      tarball becomes libpyz3_VERSION.orig.tar.gz, unpacked with this
#      tree's debian/ on top (the upstream version of debian/changelog must
#      be the tarball's);
#   3. in the root, dpkg-buildpackage -us -uc -S (the source package), then
#      dpkg-buildpackage -us -uc -b (the binary packages: the build runs
#      `make check` and fails on any change of the exported symbols that
#      debian/libpyz3-0.symbols does not list);
#   4. lintian on both .changes, in the root: any E: or W: fails;
#   5. apt-get install of the built libpyz3-0 and libpyz3-dev in the root;
#   6. the autopkgtests of debian/tests/control, run directly in the root
#      with the Depends: they name;
#   7. the one-library promise on the package: for every CPython 3.8-3.13
#      of the machine's pyenv (its versions mounted read-only into the
#      root) and the root's /usr/bin/python3.X, tests/buildsys/demo.c (an
#      extension module) and tests/buildsys/embed.c (a program embedding
#      that CPython), compiled against that CPython's headers with the
#      packaged pyz3.pc and pyz3-embed.pc, are linked to the packaged
#      libpyz3.so.0, imported or run, and must load that one file; then
#      tests/buildsys/run.sh /usr: Make, Meson, CMake and setuptools builds
#      against the package;
#   8. apt-get remove of the two packages, so that the root is reused clean.
#
# Prints "PASS|FAIL <what>" per step, then as its last line
# "N passed, N failed"; exits 1 if anything failed. The packages, logs and
# lintian output stay in the work directory (printed at the start), which
# the root sees under /build while the script runs.
#
# Environment: PYTHON (the interpreter configure gets for `make dist`;
# default /usr/bin/python3); JOBS (default 2); DEB_BUILD_OPTIONS (passed
# on: nocheck skips the tests of the build); PYZ3_DEBIAN_SUITE (default
# bookworm) and PYZ3_DEBIAN_ROOT (default /var/cache/pyz3/SUITE), the root;
# PYZ3_NO_APT=1 installs nothing (the root must then exist with what the
# steps need); CHECK_DEBIAN_WORKDIR (default: a new temporary directory);
# CHECK_DEBIAN_KEEP=1 leaves the packages installed in the root.

set -u

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-2}
suite=${PYZ3_DEBIAN_SUITE:-bookworm}
root=${PYZ3_DEBIAN_ROOT:-/var/cache/pyz3/$suite}
. "$srcdir/scripts/report.sh"
PYZ3_ROOT_LIB=1 . "$srcdir/scripts/debootstrap-root.sh"

if [ ! -f debian/control ] || [ ! -x configure ]; then
    echo "check-debian.sh: run from a source tree with debian/ and configure" \
         "(autoreconf -fi)" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "check-debian.sh: run as root: it makes a Debian root and installs packages in it" >&2
    exit 2
fi
work=${CHECK_DEBIAN_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/pyz3-debian.XXXXXX")}
rm -rf "$work"
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
echo "==> work directory: $work; Debian root: $root"

# in_root COMMAND...: COMMAND in the root, in a clean environment, from the
# unpacked source tree once there is one.
in_root() {
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        ${DEB_BUILD_OPTIONS:+DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS"} \
        sh -c 'cd "$1" 2>/dev/null; shift; exec "$@"' sh "${intree:-/}" "$@"
}

# 1. The root and the build tools in it. The work directory and the pyenv
# versions are mounted into it until the script ends.
tools="debhelper devscripts lintian dpkg-dev build-essential pkgconf"
if [ -z "${PYZ3_NO_APT:-}" ]; then
    # shellcheck disable=SC2086
    run root make_root "$suite" "$root" $tools || finish
elif [ ! -f "$root/.pyz3-root" ]; then
    report FAIL "PYZ3_NO_APT is set and there is no Debian root at $root"
    finish
fi
inwork=/build/$(basename "$work")
trap 'umount_root "$root"' EXIT
mount_root "$root" && mkdir -p "$root$inwork" && mount --bind "$work" "$root$inwork" \
    || { report FAIL "mount the work directory into $root"; finish; }
pyenv_versions=
if command -v pyenv >/dev/null 2>&1 && [ -d "$(pyenv root)/versions" ]; then
    pyenv_versions=$(cd "$(pyenv root)/versions" && pwd -P)
    mkdir -p "$root$pyenv_versions" \
        && mount --bind "$pyenv_versions" "$root$pyenv_versions" \
        && mount -o remount,bind,ro "$root$pyenv_versions" \
        || { report FAIL "mount $pyenv_versions read-only into $root"; finish; }
fi

# 2. The tarball, as the orig tarball, with debian/ from this tree.
mkdir -p "$work/dist"
run make-dist sh -c 'cd "$1" && "$2/configure" --with-python="$3" && make dist' sh \
    "$work/dist" "$srcdir" "$PYTHON" || finish
tarball=$(ls "$work"/dist/libpyz3-*.tar.gz)
upstream=$(basename "$tarball" .tar.gz)
upstream=${upstream#libpyz3-}
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
if [ "${version%-*}" != "$upstream" ]; then
    report FAIL "debian/changelog is for $version, the tarball for $upstream"
    finish
fi
pkg=$work/pkg
mkdir -p "$pkg"
cp "$tarball" "$pkg/libpyz3_$upstream.orig.tar.gz"
tar -C "$pkg" -xzf "$tarball"
tree=$pkg/libpyz3-$upstream
rm -rf "$tree/debian"
cp -R debian "$tree/debian"
intree=$inwork/pkg/libpyz3-$upstream

if [ -z "${PYZ3_NO_APT:-}" ]; then
    build_deps() {
        in_root apt-get build-dep -y -q ./ \
            || { in_root apt-get update -q && in_root apt-get build-dep -y -q ./; }
    }
    run build-deps build_deps || finish
fi

# 3. The source package (from the pristine tree), then the binary ones.
run source-package in_root dpkg-buildpackage -us -uc -S -d
run binary-packages in_root dpkg-buildpackage -us -uc -b -j"$JOBS" || finish
grep -E '^dpkg-gensymbols: (warning|error)' "$work/binary-packages.log"

# 4. lintian.
changes=$(cd "$pkg" && ls ./*.changes)
# shellcheck disable=SC2086
(cd "$pkg" && in_root sh -c 'cd "$1" && shift && lintian --info --display-info --pedantic "$@"' \
    sh "$inwork/pkg" $changes) >"$work/lintian.txt" 2>&1
status=$?
grep -E '^[EWIPX]:' "$work/lintian.txt" | sed 's/^/    /'
problems=$(grep -cE '^[EW]:' "$work/lintian.txt")
if [ "$status" -gt 1 ]; then
    tail -n 5 "$work/lintian.txt"
    report FAIL "lintian did not run (exit status $status)"
elif [ "$problems" -eq 0 ]; then
    report PASS "lintian: no error, no warning ($(grep -cE '^[IPX]:' "$work/lintian.txt") informational)"
else
    report FAIL "lintian: $problems errors and warnings (details: $work/lintian.txt)"
fi

# 5. Install, with what the autopkgtests depend on.
arch=$(in_root dpkg --print-architecture)
debs="$inwork/pkg/libpyz3-0_${version}_$arch.deb $inwork/pkg/libpyz3-dev_${version}_$arch.deb"
depends=$(sed -n 's/^Depends: *//p' "$tree/debian/tests/control" | tr ',' '\n' \
    | sed 's/^ *//; s/ *$//' | grep -vxE 'libpyz3-(0|dev)|@' | sort -u | tr '\n' ' ')
if [ -z "${PYZ3_NO_APT:-}" ]; then
    # shellcheck disable=SC2086
    run install in_root apt-get install -y -q $debs $depends || finish
else
    # shellcheck disable=SC2086
    run install in_root dpkg -i $debs || finish
fi

# 6. The autopkgtests, run as autopkgtest would from the unpacked source.
for t in $(sed -n 's/^Tests: *//p' "$tree/debian/tests/control" | tr ',' ' '); do
    mkdir -p "$work/autopkgtest-$t"
    run "autopkgtest-$t" in_root env AUTOPKGTEST_TMP="$inwork/autopkgtest-$t" \
        "debian/tests/$t"
    sed 's/^/    /' "$work/autopkgtest-$t.log"
done

# 7. One library for every CPython: each one's headers and the package's
# pyz3.pc, pyz3-embed.pc and libpyz3.so.0, in the root.
libdir=/usr/lib/$(in_root dpkg-architecture -qDEB_HOST_MULTIARCH)
pythons=
if [ -n "$pyenv_versions" ]; then
    for v in $(pyenv versions --bare 2>/dev/null); do
        case $v in
        3.8.* | 3.9.* | 3.1[0-3].*) pythons="$pythons $pyenv_versions/$v/bin/python3" ;;
        esac
    done
fi
for exe in "$root"/usr/bin/python3.[0-9] "$root"/usr/bin/python3.[0-9][0-9]; do
    [ -x "$exe" ] && pythons="$pythons ${exe#"$root"}"
done

# one_python EXE DIR LIBDIR, run in the root from the source tree.
# shellcheck disable=SC2016
one_python='exe=$1 dir=$2 libdir=$3
    info=$("$exe" -c "import sysconfig as s; v = s.get_config_var
print(v(\"EXT_SUFFIX\"), v(\"LIBPC\"), v(\"LIBDIR\"))") || exit 1
    set -- $info
    suffix=$1 PKG_CONFIG_PATH=$2 pylibdir=$3
    export PKG_CONFIG_PATH
    mkdir -p "$dir"
    gcc -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
        $(pkg-config --cflags pyz3) -o "$dir/pyz3demo$suffix" \
        tests/buildsys/demo.c $(pkg-config --libs pyz3) || exit 1
    "$exe" tests/buildsys/check.py "$dir" "$libdir" || exit 1
    gcc -pthread -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
        $(pkg-config --cflags pyz3-embed) -o "$dir/embed" tests/buildsys/embed.c \
        -Wl,-rpath,"$pylibdir" $(pkg-config --libs pyz3-embed) || exit 1
    "$dir/embed" || exit 1
    lib=$(ldd "$dir/embed" | awk "/libpyz3/ { print \$3 }")
    [ "$(readlink -f "$lib")" = "$(readlink -f "$libdir/libpyz3.so.0")" ] \
        || { echo "embed loaded $lib"; exit 1; }'

for exe in $pythons; do
    v=$(in_root "$exe" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) \
        || continue
    name="onelib-python$v"
    [ "${exe#/usr/bin/}" != "$exe" ] && name="$name-debian"
    run "$name" in_root sh -c "$one_python" sh "$exe" "$inwork/$name" "$libdir"
    grep -E '^(pyz3demo|libpyz3)' "$work/$name.log" | sed 's/^/    /'
done

# Make, Meson, CMake (pkg-config and find_package) and setuptools against
# the package, with the tools installed in the root.
if [ -z "${PYZ3_NO_APT:-}" ]; then
    run buildsys-tools in_root apt-get install -y -q meson ninja-build cmake \
        python3-setuptools pkgconf
fi
run buildsys-usr in_root env BUILDSYS_WORKDIR="$inwork/buildsys" PYZ3_NO_APT=1 \
    bash tests/buildsys/run.sh /usr
grep -E '^(PASS|FAIL)' "$work/buildsys-usr.log" | sed 's/^/    /'

# 8. Remove, so that the next run finds the root as it was made.
if [ -z "${CHECK_DEBIAN_KEEP:-}" ]; then
    run remove in_root apt-get remove -y -q libpyz3-dev libpyz3-0
fi

finish
