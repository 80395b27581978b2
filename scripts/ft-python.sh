#!/usr/bin/env bash
# ft-python.sh -- a free-threaded CPython to build libpyz3t against.
#
#     bash scripts/ft-python.sh          (as root, on Debian 12 or newer)
#
# Debian has no free-threaded CPython package, so this builds one from
# Debian trixie's python3.13 source package (3.13.5): ./configure
# --disable-gil --enable-shared into PREFIX (default
# /var/cache/pyz3/python3.13t), about 15 minutes with make -j2. A complete
# install already at PREFIX is reused, whoever built it: complete means its
# interpreter runs, reports Py_GIL_DISABLED, and has its headers, its
# libpython and its pkg-config files. A missing or partial one is built
# again from scratch. The source package is fetched once into CACHE/ft-src
# (apt-get source --download-only, with a deb-src line for trixie on the
# host's own Debian mirror) and kept.
#
# Prints the interpreter's path as the last line of its output; exits 0 only
# if that interpreter is complete.
#
# PYZ3_FT_TSAN=1 builds the same interpreter instrumented for
# ThreadSanitizer (--with-thread-sanitizer, by the system compiler) into
# /var/cache/pyz3/python3.13t-tsan instead, with the same reuse rule; the
# hostile threads check needs it to see races inside the interpreter too.
# It takes longer (about 20 minutes on 2 cores).
#
# Environment: PYZ3_FT_PREFIX, PYZ3_FT_CACHE (default /var/cache/pyz3), JOBS
# (default 2), PYZ3_NO_APT=1 (install nothing), PYZ3_FT_TSAN=1 (the TSan
# build).

if [ -z "${BASH_VERSION:-}" ]; then
    exec bash "$0" "$@"
fi
set -u

cache=${PYZ3_FT_CACHE:-/var/cache/pyz3}
tsan=${PYZ3_FT_TSAN:-0}
if [ "$tsan" = 1 ]; then
    prefix=${PYZ3_FT_PREFIX:-$cache/python3.13t-tsan}
    build_dir=$cache/ft-build-tsan
    extra_configure=--with-thread-sanitizer
else
    prefix=${PYZ3_FT_PREFIX:-$cache/python3.13t}
    build_dir=$cache/ft-build
    extra_configure=
fi
jobs=${JOBS:-2}
python=$prefix/bin/python3.13t
src_dir=$cache/ft-src

note() {
    printf '==> ft-python: %s\n' "$*" >&2
}

die() {
    note "$*"
    exit 1
}

# Whether PREFIX holds a complete free-threaded 3.13 (instrumented for
# ThreadSanitizer if that is what was asked).
complete() {
    if [ "$tsan" = 1 ]; then
        grep -qs -- --with-thread-sanitizer "$prefix/lib/python3.13t/config-3.13t-"*/Makefile \
            || return 1
    fi
    [ -x "$python" ] \
    && [ -f "$prefix/include/python3.13t/Python.h" ] \
    && [ -f "$prefix/lib/libpython3.13t.so" ] \
    && [ -f "$prefix/lib/pkgconfig/python-3.13t-embed.pc" ] \
    && "$python" -c 'import sys, sysconfig
sys.exit(not sysconfig.get_config_var("Py_GIL_DISABLED"))' 2>/dev/null
}

if complete; then
    note "reusing $prefix"
    echo "$python"
    exit 0
fi

# ---------------------------------------------------------------------------
# What the build needs.

apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get "$@" < /dev/null
}

# The host's Debian mirror: the first URI of a deb line (deb822 or one-line
# format) that serves the main archive, not the security one.
mirror() {
    local f
    {
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) print $i }' "$f"
        done
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file|ftp):/) { print $i; break } }' "$f"
        done
    } | grep -m 1 /debian
}

if [ "${PYZ3_NO_APT:-0}" != 1 ]; then
    [ "$(id -u)" -eq 0 ] || die "not root: cannot apt-get the build dependencies (PYZ3_NO_APT=1 skips them)"
    note "apt-get install the build dependencies"
    apt_get update -q > /dev/null || die "apt-get update failed"
    apt_get install -y -q --no-install-recommends build-essential pkg-config dpkg-dev \
        xz-utils zlib1g-dev libffi-dev libssl-dev libbz2-dev liblzma-dev \
        libsqlite3-dev libreadline-dev uuid-dev > /dev/null \
        || die "apt-get install of the build dependencies failed"
fi

# ---------------------------------------------------------------------------
# The source.

mkdir -p "$src_dir" || die "cannot create $src_dir"
orig=$(ls "$src_dir"/python3.13_3.13.*.orig.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$orig" ]; then
    [ "${PYZ3_NO_APT:-0}" != 1 ] || die "no source in $src_dir and PYZ3_NO_APT=1"
    if ! grep -rqsE '^deb-src .* trixie( |$)' /etc/apt/sources.list.d/; then
        url=$(mirror)
        [ -n "$url" ] || die "no Debian mirror found in /etc/apt/sources.list.d/"
        note "adding deb-src $url trixie main"
        echo "deb-src $url trixie main" > /etc/apt/sources.list.d/pyz3-trixie-src.list \
            || die "cannot write /etc/apt/sources.list.d/pyz3-trixie-src.list"
        apt_get update -q > /dev/null || die "apt-get update with the trixie sources failed"
    fi
    note "apt-get source --download-only python3.13/trixie into $src_dir"
    (cd "$src_dir" && apt_get source --download-only python3.13/trixie) > /dev/null \
        || die "apt-get source python3.13/trixie failed"
    orig=$(ls "$src_dir"/python3.13_3.13.*.orig.tar.xz 2>/dev/null | sort -V | tail -n 1)
    [ -n "$orig" ] || die "apt-get source left no python3.13 orig tarball in $src_dir"
fi

# ---------------------------------------------------------------------------
# The build, from scratch: a partial install or build tree is never resumed.

version=${orig##*/python3.13_}
version=${version%.orig.tar.xz}
log=$build_dir/build.log
note "building CPython $version --disable-gil $extra_configure into $prefix (log: $log)"
rm -rf "$prefix" "$build_dir"
mkdir -p "$build_dir" || die "cannot create $build_dir"
tar -C "$build_dir" -xJf "$orig" || die "cannot extract $orig"
tree=$build_dir/Python-$version
[ -d "$tree" ] || die "$orig holds no Python-$version folder"
if ! (cd "$tree" \
      && ./configure --disable-gil $extra_configure --enable-shared --prefix="$prefix" \
             LDFLAGS="-Wl,-rpath,$prefix/lib" \
      && make -j"$jobs" \
      && make install) > "$log" 2>&1 < /dev/null; then
    tail -n 30 "$log" >&2
    rm -rf "$prefix"
    die "the build failed"
fi
complete || die "$prefix is still not a complete free-threaded CPython"
note "built $prefix"
echo "$python"
