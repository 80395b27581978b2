#!/bin/sh
# debootstrap-root.sh -- make, or reuse, a Debian root of its own for the
# checks that install system packages, so that they never meet or disturb
# what the machine's user installed (a libpyz3 in /usr/local, say).
#
#     sh scripts/debootstrap-root.sh SUITE DIR [PACKAGE...]
#
# As root. A minbase root of SUITE (bookworm, sid, ...) is made in DIR.new
# with debootstrap (installed on the host with apt-get if missing), from the
# Debian mirror the host's own apt sources name, and moved to DIR only once
# complete; a DIR that is complete is reused. Then apt-get installs the
# PACKAGEs inside it (updating its lists first when one is missing). The
# root's /proc and /dev are not mounted here: mount_root below does that
# for the script that uses the root, and umount_root undoes it.
#
# Sourced (`. scripts/debootstrap-root.sh` with PYZ3_ROOT_LIB=1), it only
# defines the functions.

root_mirror() {
    # The first Debian mirror of the host's apt sources, deb822 or one-line.
    {
        sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
        sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
    } | tr ' ' '\n' | grep -E '/debian/?$' | head -n 1
}

root_security_mirror() {
    {
        sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
        sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
    } | tr ' ' '\n' | grep -E '/debian-security/?$' | head -n 1
}

# make_root SUITE DIR [PACKAGE...]
make_root() {
    suite=$1 dir=$2
    shift 2
    mirror=$(root_mirror)
    mirror=${mirror:-http://deb.debian.org/debian}
    if [ ! -f "$dir/.pyz3-root" ]; then
        if ! command -v debootstrap > /dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get update -q \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                    --no-install-recommends debootstrap \
                || return 1
        fi
        # Never follow a mount that an interrupted run left behind.
        [ -d "$dir.new" ] && umount_root "$dir.new"
        rm -rf --one-file-system "$dir.new"
        mkdir -p "$(dirname "$dir")" || return 1
        echo "debootstrap --variant=minbase $suite $dir $mirror"
        debootstrap --variant=minbase "$suite" "$dir.new" "$mirror" || return 1
        {
            echo "deb $mirror $suite main"
            case $suite in
            sid | unstable) ;;
            *)
                echo "deb $mirror $suite-updates main"
                security=$(root_security_mirror)
                [ -n "$security" ] && echo "deb $security $suite-security main"
                ;;
            esac
        } > "$dir.new/etc/apt/sources.list"
        # The host's snapshot mirrors may serve Release files past their
        # Valid-Until date; the root must accept what the host accepts.
        apt-config dump 2>/dev/null | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
            > "$dir.new/etc/apt/apt.conf.d/99host"
        echo 'APT::Install-Recommends "false";' >> "$dir.new/etc/apt/apt.conf.d/99host"
        [ -d "$dir" ] && umount_root "$dir"
        rm -rf --one-file-system "$dir"
        mv "$dir.new" "$dir" || return 1
        chroot "$dir" apt-get update -q || return 1
        date > "$dir/.pyz3-root"
    fi
    [ $# -eq 0 ] && return 0
    chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" \
        || { chroot "$dir" apt-get update -q \
             && chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; }
}

# mount_root DIR: /proc, /dev and /dev/pts of the host inside DIR, as far
# as they are not already.
mount_root() {
    mountpoint -q "$1/proc" || mount -t proc proc "$1/proc" || return 1
    mountpoint -q "$1/dev" || mount --rbind /dev "$1/dev" || return 1
    mount --make-rslave "$1/dev" 2>/dev/null
    return 0
}

# umount_root DIR: undoes mount_root and any mount below DIR.
umount_root() {
    for m in $(awk -v d="$(cd "$1" && pwd)" \
                 '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do
        umount -l "$m"
    done
}

if [ -z "${PYZ3_ROOT_LIB:-}" ]; then
    if [ $# -lt 2 ]; then
        echo "usage: debootstrap-root.sh SUITE DIR [PACKAGE...]" >&2
        exit 2
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "debootstrap-root.sh: run as root" >&2
        exit 2
    fi
    make_root "$@"
fi
