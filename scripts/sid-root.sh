#!/usr/bin/env bash
# sid-root.sh -- a Debian sid root for the newest CPythons and compilers.
#
#     bash scripts/sid-root.sh [ROOT]        (as root)
#
# Makes ROOT (default $PYZ3_SID_ROOT, else /var/cache/pyz3/sid) a Debian sid
# system with what the tests need there: CPython 3.13, 3.14 and 3.15 with
# their headers and debug builds, gcc and clang (sid's gcc defaults to C23),
# g++, Check, valgrind. On the machine's own Debian (12 or later), as root:
#
#   - a ROOT that is complete (debootstrap finished in it, and dpkg there
#     has every package of the list) is reused, a root made by hand
#     included: it is adopted by writing the marker of
#     scripts/debootstrap-root.sh and the package list to
#     ROOT/etc/pyz3-sid.stamp;
#   - otherwise scripts/debootstrap-root.sh makes it (debootstrap
#     --variant=minbase sid from the host's Debian mirror, in ROOT.new,
#     moved to ROOT once complete, so that an interrupted run leaves
#     nothing that looks complete; debootstrap itself is installed with
#     apt-get if missing) and installs the packages missing from it;
#   - apt there does not check Valid-Until: sid's Release file may be past
#     it on a mirror;
#   - proc and dev are mounted in ROOT, and stay mounted for the chroots
#     that follow.
#
# Prints "sid root: ROOT" as its last line and exits 0, or exits 1 with the
# reason. What apt-get and debootstrap print goes to stderr.

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi
set -u

root=${1:-${PYZ3_SID_ROOT:-/var/cache/pyz3/sid}}
root=${root%/}
packages=(build-essential autoconf automake libtool pkg-config check
          python3.13-dev python3.13-dbg python3.14-dev python3.14-dbg
          python3.15-dev python3.15-dbg g++ clang valgrind nanobind-dev
          pybind11-dev cython3 make)
stamp_path=etc/pyz3-sid.stamp

note() {
    printf '==> sid-root: %s\n' "$*" >&2
}
die() {
    echo "sid-root.sh: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mount)"
case $root in
/?*) ;;
*) die "ROOT must be an absolute path: $root" ;;
esac

export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
srcdir=$(cd "$(dirname "$0")/.." && pwd)
PYZ3_ROOT_LIB=1 . "$srcdir/scripts/debootstrap-root.sh"

# Whether debootstrap finished in DIR: it removes DIR/debootstrap last.
base_complete() {
    [ -x "$1/usr/bin/apt-get" ] && [ -x "$1/usr/bin/dpkg-query" ] \
        && [ ! -e "$1/debootstrap" ] && chroot "$1" true 2>/dev/null
}

# Whether dpkg in DIR has every package of the list installed.
packages_complete() {
    local p status
    for p in "${packages[@]}"; do
        status=$(chroot "$1" dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
        [ "$status" = "install ok installed" ] || return 1
    done
}

if [ -d "$root" ] && base_complete "$root" && packages_complete "$root"; then
    if [ -f "$root/.pyz3-root" ] && cmp -s "$root/$stamp_path" <(printf '%s\n' "${packages[@]}"); then
        note "reusing $root"
    else
        note "adopting $root: every package is installed"
    fi
else
    if [ -d "$root" ] && ! base_complete "$root"; then
        rm -f "$root/.pyz3-root"        # made anew by make_root
    elif [ -f "$root/.pyz3-root" ]; then
        # Packages only are missing; an interrupted dpkg is finished first.
        mount_root "$root" && chroot "$root" dpkg --configure -a >&2 < /dev/null
    fi
    note "making $root (log on stderr)"
    make_root sid "$root" "${packages[@]}" >&2 < /dev/null \
        || die "making the sid root $root failed"
    packages_complete "$root" || die "packages are missing in $root after apt-get install"
fi
[ -f "$root/.pyz3-root" ] || date > "$root/.pyz3-root" || die "cannot write $root/.pyz3-root"
mkdir -p "$root/etc/apt/apt.conf.d" \
    && echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99pyz3" \
    && printf '%s\n' "${packages[@]}" > "$root/$stamp_path" \
    || die "cannot write the apt configuration or the stamp in $root"
[ -f /etc/resolv.conf ] && cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
mount_root "$root" || die "cannot mount proc and dev in $root"
echo "sid root: $root"
