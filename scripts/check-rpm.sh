#!/usr/bin/env bash
# check-rpm.sh -- build the RPM packages of libpyz3.spec from the release
# tarball and check them with rpmlint.
#
#     sudo scripts/check-rpm.sh
#
# On Debian: installs rpm and rpmlint with apt-get if they are missing (as
# root), configures a build directory and runs `make dist`, then
# `rpmbuild -ba --nodeps` under a temporary _topdir (the spec's build
# dependencies are Fedora's names, which Debian's rpm database does not
# know; Debian's packages provide the tools). The build runs `make check`.
# Then rpmlint on the spec, the source RPM and the binary RPMs, with the
# filters of libpyz3-rpmlintrc, must report no error (warnings are
# printed, one line per kind), and the packages must hold what they
# should: the library in libpyz3, every installed header, the .pc files,
# the CMake package configuration and the man pages in libpyz3-devel,
# which requires libpyz3 of the same version and architecture. With
# RPM_FT_PYTHON (a free-threaded CPython), the build is `--with
# freethreaded` against it, and libpyz3t and libpyz3t-devel are checked
# the same way, and share no file with libpyz3 and libpyz3-devel.
#
# Prints "PASS|FAIL <what>" per step, then as its last line
# "N passed, N failed"; exits 1 if anything failed.
#
# Environment: PYTHON (the interpreter configure gets for `make dist`;
# default /usr/bin/python3); RPMBUILD_OPTIONS, more options for rpmbuild
# (--nocheck skips the tests of the build); PYZ3_NO_APT=1 installs nothing;
# CHECK_RPM_WORKDIR (default: a new temporary directory, kept).

set -u

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
. "$srcdir/scripts/report.sh"

if [ ! -f libpyz3.spec ] || [ ! -x configure ]; then
    echo "check-rpm.sh: run from a source tree with libpyz3.spec and configure" \
         "(autoreconf -fi)" >&2
    exit 2
fi
work=${CHECK_RPM_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/pyz3-rpm.XXXXXX")}
rm -rf "$work"
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
echo "==> work directory: $work"

if ! command -v rpmbuild >/dev/null || ! command -v rpmlint >/dev/null; then
    if [ -z "${PYZ3_NO_APT:-}" ] && [ "$(id -u)" = 0 ]; then
        run apt-tools sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q rpm rpmlint \
            || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
                 apt-get install -y -q rpm rpmlint; }' || finish
    else
        report FAIL "rpmbuild and rpmlint are installed (apt-get install rpm rpmlint)"
        finish
    fi
fi

# The tarball, and the spec of this tree.
mkdir -p "$work/dist"
run make-dist sh -c 'cd "$1" && "$2/configure" --with-python="$3" && make dist' sh \
    "$work/dist" "$srcdir" "$PYTHON" || finish
tarball=$(ls "$work"/dist/libpyz3-*.tar.gz)
upstream=$(basename "$tarball" .tar.gz)
upstream=${upstream#libpyz3-}
spec_version=$(sed -n 's/^Version: *//p' libpyz3.spec)
if [ "$spec_version" != "$upstream" ]; then
    report FAIL "libpyz3.spec is for $spec_version, the tarball for $upstream"
    finish
fi
top=$work/rpmbuild
mkdir -p "$top/SOURCES" "$top/SPECS"
cp "$tarball" "$top/SOURCES/"
cp libpyz3.spec "$top/SPECS/"

ft_options=()
rpmlintrc=libpyz3-rpmlintrc
if [ -n "${RPM_FT_PYTHON:-}" ]; then
    ft_options=(--with freethreaded --define "__python3t $RPM_FT_PYTHON")
    # Filters for the freethreaded packages only (rpmlint fails a filter
    # that nothing matches, so libpyz3-rpmlintrc cannot hold them).
    # Mandriva's lib64 naming rule reads libpyz3-devel, which
    # libpyz3t-devel requires, as a library named with its SONAME major;
    # the 3 is part of the name, and Fedora has no such rule.
    rpmlintrc=$work/rpmlintrc
    { cat libpyz3-rpmlintrc
      echo 'addFilter(r"invalid-build-requires libpyz3-devel")'; } > "$rpmlintrc"
    # pyz3t-embed.pc gives the run path of a libpython outside the system's
    # directories, as a CPython built here has; a distribution's has none.
    ft_libdir=$("$RPM_FT_PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')
    case $ft_libdir in
    /usr/lib | /usr/lib64 | /usr/lib/*-linux-gnu) ;;
    *) echo 'addFilter(r"rpath-in-buildconfig .*/pyz3t-embed.pc")' >> "$rpmlintrc" ;;
    esac
fi
# shellcheck disable=SC2086
run rpmbuild rpmbuild --define "_topdir $top" --nodeps "${ft_options[@]}" ${RPMBUILD_OPTIONS:-} \
    -ba "$top/SPECS/libpyz3.spec" || finish
rpms=$(find "$top/RPMS" "$top/SRPMS" -name '*.rpm' | sort)
echo "$rpms" | sed 's/^/    /'

# rpmlint: errors fail, warnings are shown.
# shellcheck disable=SC2086
rpmlint -r "$rpmlintrc" "$top/SPECS/libpyz3.spec" $rpms >"$work/rpmlint.txt" 2>&1
grep -E '^[^ ]+: E: ' "$work/rpmlint.txt" | sed 's/^/    /'
grep -E '^[^ ]+: W: ' "$work/rpmlint.txt" | sed -E 's/^([^ ]+): W: ([^ ]+).*/\1 W: \2/' \
    | sort | uniq -c | sed 's/^ */    /'
summary=$(tail -n 1 "$work/rpmlint.txt")
errors=$(grep -cE '^[^ ]+: E: ' "$work/rpmlint.txt")
if [ "$errors" -eq 0 ]; then
    report PASS "rpmlint: no error ($summary)"
else
    report FAIL "rpmlint: $errors errors ($summary)"
fi

# What the packages hold.
arch=$(rpm --eval '%{_arch}')
libdir=$(rpm --eval '%{_libdir}')
licensedir=$(rpm --eval '%{_defaultlicensedir}')

# check_pair LIB REQUIRES DEVEL-FILE...: the binary packages LIB and
# LIB-devel. LIB holds LIB.so.0, LIB.so.0.* and its LICENSE; LIB-devel
# holds every DEVEL-FILE (a pattern of grep -x) and requires every package
# of REQUIRES at its own version. Sets pair_lib and pair_devel to the two
# package files.
check_pair() {
    local lib=$1 requires=$2 files devel_files missing="" unmet="" f need have isa
    shift 2
    pair_lib=$(ls "$top/RPMS/$arch/$lib-$upstream"-*."$arch".rpm)
    pair_devel=$(ls "$top/RPMS/$arch/$lib-devel-$upstream"-*."$arch".rpm)
    files=$(rpm -qlp "$pair_lib")
    devel_files=$(rpm -qlp "$pair_devel")
    for f in "$libdir/$lib\.so\.0" "$libdir/$lib\.so\.0\.[0-9.]*" "$licensedir/${lib}[^/]*/LICENSE"; do
        echo "$files" | grep -qx "$f" || missing="$missing $f"
    done
    for f in "$@"; do
        echo "$devel_files" | grep -qx "$f" || missing="$missing $f"
    done
    if [ -z "$missing" ]; then
        report PASS "contents: $(echo "$files" | wc -l) files in $lib, $(echo "$devel_files" | wc -l) in $lib-devel"
    else
        report FAIL "contents of $lib: missing$missing"
    fi
    have=$(rpm -qp --requires "$pair_devel")
    for need in $requires; do
        echo "$have" | grep -q "^$need(.*) = $upstream-" || unmet="$unmet $need"
    done
    if [ -z "$unmet" ]; then
        report PASS "$lib-devel requires ${requires// / and } of its own version"
    else
        echo "$have" | sed 's/^/    /'
        isa='%{?_isa}'
        report FAIL "$lib-devel requires ${requires// /$isa and }$isa of its own version"
    fi
}

devel_want=$(tar -tzf "$tarball" | sed -n 's#^[^/]*/include/\(.*\.h\)\(\.in\)\{0,1\}$#/usr/include/\1#p')
devel_want="$devel_want $(tar -tzf "$tarball" | sed -n 's#^[^/]*/man/\(.*\.3\)$#/usr/share/man/man3/\1.*#p')"
# shellcheck disable=SC2086
check_pair libpyz3 libpyz3 $devel_want "$libdir/libpyz3.so" "$libdir/pkgconfig/pyz3.pc" \
    "$libdir/pkgconfig/pyz3-embed.pc" "$libdir/cmake/pyz3/pyz3Config.cmake" \
    "$libdir/cmake/pyz3/pyz3ConfigVersion.cmake"
lib_rpm=$pair_lib devel_rpm=$pair_devel

if [ -n "${RPM_FT_PYTHON:-}" ]; then
    check_pair libpyz3t "libpyz3t libpyz3-devel" /usr/include/pyz3/config-t.h \
        "$libdir/libpyz3t.so" "$libdir/pkgconfig/pyz3t.pc" "$libdir/pkgconfig/pyz3t-embed.pc"
    # Files only, without the directories packages may share.
    files_of() {
        rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$@" | sed -n 's/^[^d][^ ]* //p' | sort -u
    }
    # Both pairs install into one system: only directories may be named
    # by both.
    shared=$(comm -12 <(files_of "$lib_rpm" "$devel_rpm") <(files_of "$pair_lib" "$pair_devel"))
    if [ -z "$shared" ]; then
        report PASS "libpyz3t and libpyz3t-devel share no file with libpyz3 and libpyz3-devel"
    else
        echo "$shared" | sed 's/^/    /'
        report FAIL "libpyz3t packages share files with libpyz3's"
    fi
fi

finish
