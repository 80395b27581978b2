#!/usr/bin/env bash
# check-debian.sh -- build the Debian packages from the release tarball,
# check them, install them and use them.
#
#     sudo scripts/check-debian.sh
#
# On Debian, as root (it installs packages). From the source tree:
#
#   1. installs debhelper, devscripts, lintian, dpkg-dev and the build
#      dependencies of debian/control with apt-get (apt-get build-dep);
#   2. configures a build directory and runs `make dist`; the tarball
#      becomes libpyz3_VERSION.orig.tar.gz, unpacked with this tree's
#      debian/ on top (the upstream version of debian/changelog must be the
#      tarball's);
#   3. dpkg-buildpackage -us -uc -S (the source package), then
#      dpkg-buildpackage -us -uc -b (the binary packages: the build runs
#      `make check` and fails on any change of the exported symbols that
#      debian/libpyz3-0.symbols does not list);
#   4. lintian on both .changes: any E: or W: fails;
#   5. apt-get install of the built libpyz3-0 and libpyz3-dev;
#   6. the autopkgtests of debian/tests/control, run directly;
#   7. the one-library promise on the package: for every CPython 3.8-3.13
#      of pyenv and Debian's /usr/bin/python3.X, tests/buildsys/demo.c (an
#      extension module) and tests/buildsys/embed.c (a program embedding
#      that CPython), compiled against that CPython's headers with the
#      packaged pyz3.pc and pyz3-embed.pc, are linked to the packaged
#      libpyz3.so.0, imported or run, and must load that one file; then
#      tests/buildsys/run.sh /usr: Make, Meson, CMake and setuptools builds
#      against the package;
#   8. apt-get remove of the two packages.
#
# Prints "PASS|FAIL <what>" per step, then as its last line
# "N passed, N failed"; exits 1 if anything failed. The packages, logs and
# lintian output stay in the work directory (printed at the start).
#
# Environment: PYTHON (the interpreter configure gets for `make dist`;
# default /usr/bin/python3); JOBS (default 2); DEB_BUILD_OPTIONS (passed
# on: nocheck skips the tests of the build); PYZ3_NO_APT=1 installs no
# build tools; CHECK_DEBIAN_WORKDIR (default: a new temporary directory);
# CHECK_DEBIAN_KEEP=1 leaves the packages installed.

set -u

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-2}
. "$srcdir/scripts/report.sh"

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
        || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -q --no-install-recommends "$@"; }
}

if [ ! -f debian/control ] || [ ! -x configure ]; then
    echo "check-debian.sh: run from a source tree with debian/ and configure" \
         "(autoreconf -fi)" >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "check-debian.sh: run as root: it installs and removes packages" >&2
    exit 2
fi
work=${CHECK_DEBIAN_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/pyz3-debian.XXXXXX")}
rm -rf "$work"
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
echo "==> work directory: $work"

# A libpyz3 under /usr/local comes first for the compiler, pkg-config and
# the dynamic linker: the installed packages could not be tested.
shadow=$(ls /usr/local/include/pyz3.h /usr/local/lib/libpyz3.so* \
            /usr/local/lib/*/libpyz3.so* 2>/dev/null | tr '\n' ' ')
if [ -n "$shadow" ]; then
    report FAIL "no libpyz3 in /usr/local, which would hide the packages: $shadow"
    finish
fi

# 1. Tools and build dependencies.
if [ -z "${PYZ3_NO_APT:-}" ]; then
    run apt-tools apt_install debhelper devscripts lintian dpkg-dev \
        build-essential pkgconf || finish
    run build-deps sh -c 'DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q ./ \
        || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q ./; }' \
        || finish
fi

# 2. The tarball, as the orig tarball, with debian/ from this tree.
mkdir -p "$work/dist"
run make-dist sh -c 'cd "$1" && "$2/configure" --with-python="$3" && make dist' sh \
    "$work/dist" "$srcdir" "$PYTHON" || finish
tarball=$(ls "$work"/dist/libpyz3-*.tar.gz)
upstream=$(basename "$tarball" .tar.gz)
upstream=${upstream#libpyz3-}
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
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

# 3. The source package (from the pristine tree), then the binary ones.
run source-package sh -c 'cd "$1" && dpkg-buildpackage -us -uc -S -d' sh "$tree"
run binary-packages sh -c 'cd "$1" && dpkg-buildpackage -us -uc -b -j"$2"' sh \
    "$tree" "$JOBS" || finish
grep -E '^dpkg-gensymbols: (warning|error)' "$work/binary-packages.log"

# 4. lintian.
changes=$(ls "$pkg"/*.changes)
# shellcheck disable=SC2086
lintian --info --display-info --pedantic $changes >"$work/lintian.txt" 2>&1
grep -E '^[EWIPX]:' "$work/lintian.txt" | sed 's/^/    /'
problems=$(grep -cE '^[EW]:' "$work/lintian.txt")
if [ "$problems" -eq 0 ]; then
    report PASS "lintian: no error, no warning ($(grep -cE '^[IPX]:' "$work/lintian.txt") informational)"
else
    report FAIL "lintian: $problems errors and warnings (details: $work/lintian.txt)"
fi

# 5. Install.
debs="$pkg/libpyz3-0_${version}_$(dpkg --print-architecture).deb"
debs="$debs $pkg/libpyz3-dev_${version}_$(dpkg --print-architecture).deb"
# shellcheck disable=SC2086
run install apt_install $debs || finish

# 6. The autopkgtests, run as autopkgtest would from the unpacked source,
# with the system's PATH (python3 is Debian's, not a pyenv shim).
for t in $(sed -n 's/^Tests: *//p' "$tree/debian/tests/control" | tr ',' ' '); do
    mkdir -p "$work/autopkgtest-$t"
    run "autopkgtest-$t" env AUTOPKGTEST_TMP="$work/autopkgtest-$t" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        sh -c 'cd "$1" && "debian/tests/$2"' sh "$tree" "$t"
    sed 's/^/    /' "$work/autopkgtest-$t.log"
done

# 7. One library for every CPython: each one's headers and the package's
# pyz3.pc, pyz3-embed.pc and libpyz3.so.0.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=/usr/lib/$multiarch
pythons=
if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null); do
        case $v in
        3.8.* | 3.9.* | 3.1[0-3].*) pythons="$pythons $(pyenv prefix "$v")/bin/python3" ;;
        esac
    done
fi
for exe in /usr/bin/python3.[0-9] /usr/bin/python3.[0-9][0-9]; do
    [ -x "$exe" ] && pythons="$pythons $exe"
done

one_python() {
    local exe=$1 dir=$2 info suffix libpc pylibdir lib
    info=$("$exe" -c 'import sysconfig as s; v = s.get_config_var
print(v("EXT_SUFFIX"), v("LIBPC"), v("LIBDIR"))') || return 1
    read -r suffix libpc pylibdir <<EOF
$info
EOF
    mkdir -p "$dir"
    export PKG_CONFIG_PATH=$libpc
    # shellcheck disable=SC2046
    gcc -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
        $(pkg-config --cflags pyz3) -o "$dir/pyz3demo$suffix" \
        tests/buildsys/demo.c $(pkg-config --libs pyz3) || return 1
    "$exe" tests/buildsys/check.py "$dir" "$libdir" || return 1
    # shellcheck disable=SC2046
    gcc -pthread -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
        $(pkg-config --cflags pyz3-embed) -o "$dir/embed" tests/buildsys/embed.c \
        -Wl,-rpath,"$pylibdir" $(pkg-config --libs pyz3-embed) || return 1
    "$dir/embed" || return 1
    lib=$(ldd "$dir/embed" | awk '/libpyz3/ { print $3 }')
    [ "$(readlink -f "$lib")" = "$(readlink -f "$libdir/libpyz3.so.0")" ] \
        || { echo "embed loaded $lib"; return 1; }
}

for exe in $pythons; do
    v=$("$exe" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) \
        || continue
    name="onelib-python$v"
    [ "${exe#/usr/bin/}" != "$exe" ] && name="$name-debian"
    run "$name" one_python "$exe" "$work/$name"
    grep -E '^(pyz3demo|libpyz3)' "$work/$name.log" | sed 's/^/    /'
done

# Make, Meson, CMake (pkg-config and find_package) and setuptools against
# the package.
run buildsys-usr env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    BUILDSYS_WORKDIR="$work/buildsys" bash tests/buildsys/run.sh /usr
grep -E '^(PASS|FAIL)' "$work/buildsys-usr.log" | sed 's/^/    /'

# 8. Remove.
if [ -z "${CHECK_DEBIAN_KEEP:-}" ]; then
    run remove env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q libpyz3-dev libpyz3-0
fi

finish
