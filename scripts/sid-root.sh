#!/usr/bin/env bash
# sid-root.sh -- a Debian sid root for the newest CPythons and compilers.
#
#     bash scripts/sid-root.sh [ROOT]        (as root)
#
# Makes ROOT (default $PYZ3_SID_ROOT, else /var/cache/pyz3/sid) a Debian sid
# system with what the tests need there: CPython 3.13, 3.14 and 3.15 with
# their headers and debug builds, gcc and clang (sid's gcc defaults to C23),
# Check, valgrind. Run on the machine's own Debian (12 or later) as root:
#
#   - installs debootstrap if it is missing (apt-get update first);
#   - reuses ROOT when it is complete: debootstrap finished in it and dpkg
#     there has every package of the list installed; then it writes the list
#     to ROOT/etc/pyz3-sid.stamp, so a root made by hand is adopted as well;
#   - installs what is missing when only packages are (an older list);
#   - otherwise (missing, or left half-made by an interrupted run) makes it
#     anew in ROOT.part with `debootstrap --variant=minbase sid` from the
#     host's Debian mirror (the first .../debian URI of /etc/apt/sources.list
#     and /etc/apt/sources.list.d/, or $PYZ3_SID_MIRROR, else
#     http://deb.debian.org/debian), and renames it to ROOT only when it is
#     complete;
#   - sets Acquire::Check-Valid-Until "false" there: sid's Release file may
#     be past its Valid-Until on a mirror;
#   - mounts proc and dev in ROOT (they stay mounted for the chroots that
#     follow).
#
# Prints "sid root: ROOT" as its last line and exits 0, or exits 1 with the
# reason. The log of the long steps goes to stderr.

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

# The Debian mirror the host uses.
host_mirror() {
    local uri
    if [ -n "${PYZ3_SID_MIRROR:-}" ]; then
        echo "$PYZ3_SID_MIRROR"
        return
    fi
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
          | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' \
          | grep -E '^https?://[^ ]*/debian/?$' | head -n 1)
    [ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^ ]*\).*/\2/p' \
          | grep -E '^https?://[^ ]*/debian/?$' | head -n 1)
    echo "${uri:-http://deb.debian.org/debian}"
}

mount_root() {
    mountpoint -q "$1/proc" || mount -t proc proc "$1/proc" || return 1
    mountpoint -q "$1/dev" || mount --rbind /dev "$1/dev" || return 1
}

umount_root() {
    local m
    for m in dev proc; do
        if mountpoint -q "$1/$m"; then
            umount -R "$1/$m" 2>/dev/null || umount -l "$1/$m" || return 1
        fi
    done
}

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

configure_apt() {
    mkdir -p "$1/etc/apt/apt.conf.d" || return 1
    echo 'Acquire::Check-Valid-Until "false";' > "$1/etc/apt/apt.conf.d/99pyz3" || return 1
    [ -f /etc/resolv.conf ] && cp -L /etc/resolv.conf "$1/etc/resolv.conf" 2>/dev/null
    return 0
}

install_packages() {
    note "apt-get install ${packages[*]} in $1"
    configure_apt "$1" && mount_root "$1" || return 1
    chroot "$1" apt-get update -q >&2 < /dev/null \
        && chroot "$1" apt-get install -y -q --no-install-recommends "${packages[@]}" >&2 < /dev/null \
        && chroot "$1" apt-get clean >&2 < /dev/null \
        && packages_complete "$1"
}

write_stamp() {
    printf '%s\n' "${packages[@]}" > "$1/$stamp_path"
}

# remove DIR: unmount what is mounted in it, then delete it without
# crossing into another file system.
remove_dir() {
    [ -e "$1" ] || return 0
    umount_root "$1" || die "cannot unmount proc or dev in $1"
    rm -rf --one-file-system "$1" || die "cannot remove $1"
}

if [ -d "$root" ] && base_complete "$root"; then
    if [ -f "$root/$stamp_path" ] && cmp -s "$root/$stamp_path" <(printf '%s\n' "${packages[@]}") \
       && packages_complete "$root"; then
        note "reusing $root"
    elif packages_complete "$root"; then
        note "adopting $root: every package is installed"
        write_stamp "$root" || die "cannot write $root/$stamp_path"
    elif install_packages "$root"; then
        write_stamp "$root" || die "cannot write $root/$stamp_path"
    else
        die "installing the packages in $root failed"
    fi
    mount_root "$root" || die "cannot mount proc and dev in $root"
    echo "sid root: $root"
    exit 0
fi

if ! command -v debootstrap > /dev/null 2>&1; then
    note "apt-get install debootstrap"
    { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; } >&2 < /dev/null \
        || die "cannot install debootstrap"
fi

part=$root.part
mirror=$(host_mirror)
remove_dir "$part"
[ -e "$root" ] && note "$root is incomplete: making it anew"
mkdir -p "$(dirname "$root")" || die "cannot make $(dirname "$root")"
note "debootstrap --variant=minbase sid $part $mirror"
debootstrap --variant=minbase sid "$part" "$mirror" >&2 < /dev/null \
    || die "debootstrap failed (its log: $part/debootstrap/debootstrap.log)"
base_complete "$part" || die "debootstrap left $part incomplete"
printf 'deb %s sid main\n' "$mirror" > "$part/etc/apt/sources.list"
install_packages "$part" || die "installing the packages in $part failed"
write_stamp "$part" || die "cannot write $part/$stamp_path"
umount_root "$part" || die "cannot unmount proc or dev in $part"
remove_dir "$root"
mv "$part" "$root" || die "cannot rename $part to $root"
mount_root "$root" || die "cannot mount proc and dev in $root"
echo "sid root: $root"
