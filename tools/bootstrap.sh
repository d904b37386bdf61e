#!/usr/bin/env bash
# Prepares everything the build needs: Debian packages, newlib built for x86_64-elf, and Debian's lwIP source tree.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tools/bootstrap.sh [--no-lwip] [BUILD_DIR]

Prepares the build prerequisites (idempotent; a fast no-op once done):
  1. checks the Debian packages the build needs and installs missing ones
     when run as root (otherwise prints the apt-get command and fails);
  2. builds newlib from Debian's newlib-source for x86_64-elf with the host
     gcc, installed as BUILD_DIR/newlib/{include,lib};
  3. downloads Debian's lwip source package (bookworm) through a private apt
     configuration and unpacks it as BUILD_DIR/src/lwip;
  4. the same for Debian's cjson source package (with Debian's own patches,
     which are security fixes) as BUILD_DIR/src/cjson, and for Debian's
     libmicrohttpd source package (trixie's 1.0.1) as
     BUILD_DIR/src/libmicrohttpd and libsodium as BUILD_DIR/src/libsodium,
     for the SIEM modules.

BUILD_DIR defaults to "build" in the repository root.

Options:
  --no-lwip   skip steps 3 and 4
  -h, --help  show this help

Environment:
  BOOTSTRAP_EXTRA_PACKAGES  extra Debian packages to require (space separated)
EOF
}

PACKAGES=(qemu-system-x86 grub-pc-bin grub-common xorriso mtools newlib-source
          check pkg-config dpkg-dev bind9-dnsutils knot-dnsutils netcat-openbsd
          curl gcc make binutils gdb python3 nsd dnsperf clang libclang-rt-14-dev
          nats-server rsyslog rsyslog-relp bsdutils systemd apache2-utils chromium
          linux-perf)

# The lwIP version the project is written against is the one in bookworm (2.1.3).
LWIP_SUITE=bookworm
# libmicrohttpd comes from the next release (see the end of this script).
MHD_SUITE=trixie
DEFAULT_MIRROR=http://deb.debian.org/debian

# Kernel ABI: no red zone, position-independent (the kernel relocates itself to
# a random address at boot), stack-clash probes (a large frame cannot step
# over a stack guard), frame pointers kept, small code model, static.
# -nostdinc keeps the host's glibc headers out; newlib's build puts its own
# headers first and gcc's freestanding headers (stddef.h, stdarg.h...) come last.
# -O2 without its alignment padding, as the Makefile compiles the kernel (not
# -Os: newlib then swaps its word-at-a-time string functions for byte loops).
NEWLIB_CFLAGS=(-O2 -g -falign-functions=1 -falign-jumps=1 -falign-loops=1 -falign-labels=1
    -mno-red-zone -fPIE -fstack-clash-protection -fno-omit-frame-pointer
    -fno-stack-protector -fno-asynchronous-unwind-tables -ffunction-sections
    -fdata-sections -nostdinc)

# All of these exist in newlib 3.3.0's newlib/configure except --disable-nls,
# which nothing in the newlib tree recognises, so it is not passed.
NEWLIB_CONFIGURE_OPTIONS=(--target=x86_64-elf --disable-multilib
    --disable-newlib-supplied-syscalls --disable-newlib-multithread
    --enable-newlib-io-long-long --enable-newlib-io-c99-formats
    --enable-newlib-nano-malloc)

say() { echo "bootstrap: $*"; }
die() { echo "bootstrap: $*" >&2; exit 1; }

# Prints a path relative to the repository root when it lies inside it.
pretty() {
    case $1 in
        "$ROOT"/*) echo "${1#"$ROOT"/}" ;;
        *) echo "$1" ;;
    esac
}

# Reads a stamp file's content (empty if it does not exist).
stamp_of() { cat "$STAMPS/$1" 2>/dev/null || true; }

write_stamp() { printf '%s\n' "$2" >"$STAMPS/$1"; }

## Step 1: Debian packages.

ensure_packages() {
    local wanted=("${PACKAGES[@]}")
    local extra
    read -r -a extra <<<"${BOOTSTRAP_EXTRA_PACKAGES:-}"
    wanted+=("${extra[@]}")

    local missing
    missing=$(missing_packages "${wanted[@]}")
    [[ -z $missing ]] && return 0

    local -a missing_list
    read -r -a missing_list <<<"$missing"
    if [[ $EUID -ne 0 ]]; then
        echo "bootstrap: missing packages: ${missing_list[*]}" >&2
        echo "sudo apt-get install -y --no-install-recommends ${missing_list[*]}" >&2
        exit 1
    fi

    say "installing missing packages: ${missing_list[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local install=(apt-get install -y -q --no-install-recommends "${missing_list[@]}")
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update -q
    fi
    if ! "${install[@]}"; then
        say "install failed; refreshing the package lists and retrying"
        apt-get update -q
        "${install[@]}"
    fi
    missing=$(missing_packages "${wanted[@]}")
    [[ -z $missing ]] || die "packages still missing after apt-get install: $missing"
}

# Prints the given packages that are not installed, space separated.
missing_packages() {
    local status installed=" " pkg missing=()
    # One dpkg-query call for all packages; unknown ones are simply not listed.
    status=$(dpkg-query -W -f='${Package} ${binary:Package} ${Status}\n' "$@" 2>/dev/null || true)
    while read -r name binary_name _want _flag state; do
        if [[ $state == installed ]]; then
            installed+="$name $binary_name "
        fi
    done <<<"$status"
    for pkg in "$@"; do
        [[ $installed == *" $pkg "* ]] || missing+=("$pkg")
    done
    echo "${missing[*]}"
}

## Step 2: newlib.

ensure_newlib() {
    local tarball
    tarball=$(find_newlib_tarball)
    local name version cflags
    name=$(basename "$tarball")
    version=${name#newlib-}
    version=${version%%.tar.*}
    cflags="${NEWLIB_CFLAGS[*]} -isystem $(gcc -print-file-name=include)"

    local prefix=$BUILD/newlib
    local size fingerprint
    size=$(stat -c %s "$tarball")
    # Debug info names build/... instead of this folder, so an image is the
    # same whichever folder built it; the map is left out of the fingerprint,
    # as mapped objects do not depend on the folder.
    fingerprint="$name $size ${NEWLIB_CONFIGURE_OPTIONS[*]} CFLAGS=$cflags paths=build/"
    if [[ $(stamp_of newlib) == "$fingerprint" && -f $prefix/lib/libc.a && -f $prefix/include/stdio.h ]]; then
        touch "$STAMPS/newlib" # newer than this script: make need not run it again
        return 0
    fi

    local log=$BUILD/newlib-build.log
    say "building newlib $version (one time, a few minutes)..."
    rm -f "$STAMPS/newlib"
    local start=$SECONDS rc
    # set -e does not apply inside an "if" condition, so run the build in a
    # subshell with errexit on and check its status afterwards.
    set +e
    (set -e; build_newlib "$tarball" "$version" "$cflags -ffile-prefix-map=$BUILD=build") >"$log" 2>&1
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        say "newlib build failed; see $(pretty "$log") (last lines below)" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    verify_newlib "$prefix" || die "newlib was built but fails verification; see $(pretty "$log")"
    write_stamp newlib "$fingerprint"
    say "newlib ready in $(pretty "$prefix") ($((SECONDS - start)) s)"
}

# Prints the newest newlib source tarball shipped by the newlib-source package.
find_newlib_tarball() {
    local tarballs=()
    shopt -s nullglob
    tarballs=(/usr/src/newlib/newlib-*.tar.*)
    shopt -u nullglob
    [[ ${#tarballs[@]} -gt 0 ]] || die "no /usr/src/newlib/newlib-*.tar.* (is newlib-source installed?)"
    printf '%s\n' "${tarballs[@]}" | sort -V | tail -n 1
}

# Unpacks, configures, builds and installs newlib; all output goes to the log.
build_newlib() {
    local tarball=$1 version=$2 cflags=$3
    local srcdir=$BUILD/src/newlib-$version
    local objdir=$BUILD/newlib-build
    local unpack=$BUILD/src/.newlib-unpack

    # Debian's tarball unpacks to "newlib-salsa/", so rename whatever the top directory is.
    rm -rf "$srcdir" "$unpack" "$objdir"
    mkdir -p "$unpack" "$objdir"
    tar -xf "$tarball" -C "$unpack" --no-same-owner
    local top=("$unpack"/*)
    [[ ${#top[@]} -eq 1 && -d ${top[0]} ]] || { echo "unexpected tarball layout"; return 1; }
    mv "${top[0]}" "$srcdir"
    rmdir "$unpack"

    # The staging prefix does not exist while building, so no stale headers get picked up.
    local stage=$objdir/install
    cd "$objdir"
    "$srcdir/configure" --prefix="$stage" "${NEWLIB_CONFIGURE_OPTIONS[@]}" \
        CC_FOR_TARGET=gcc AS_FOR_TARGET=as AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib \
        LD_FOR_TARGET=ld NM_FOR_TARGET=nm OBJCOPY_FOR_TARGET=objcopy \
        CFLAGS_FOR_TARGET="$cflags"
    make -j"$(nproc)" all-target-newlib
    make install-target-newlib

    # make install creates $stage/x86_64-elf/{include,lib}; flatten it to $BUILD/newlib.
    [[ -f $stage/x86_64-elf/lib/libc.a ]] || { echo "install produced no x86_64-elf/lib/libc.a"; return 1; }
    rm -rf "$BUILD/newlib"
    mv "$stage/x86_64-elf" "$BUILD/newlib"
    rm -rf "$stage"
}

# Checks that libc.a/libm.a exist, provide the basics and were built as intended.
verify_newlib() {
    local prefix=$1 lib=$1/lib/libc.a
    [[ -f $lib && -f $prefix/lib/libm.a ]] || { echo "libc.a or libm.a missing" >&2; return 1; }

    local found
    found=$(nm -g --defined-only "$lib" 2>/dev/null | grep -cE ' T (printf|malloc)$' || true)
    [[ $found -eq 2 ]] || { echo "libc.a does not define printf and malloc" >&2; return 1; }

    # Every member must be ELF64 x86-64.
    local formats
    formats=$(objdump -f "$lib" | sed -n 's/.*file format //p' | sort -u)
    [[ $formats == elf64-x86-64 ]] || { echo "libc.a object formats: $formats" >&2; return 1; }

    # The flags took effect: no unwind tables, and no 32-bit absolute
    # relocations outside debug info (position-independent code: the kernel
    # moves itself to a random address at boot).
    local count
    count=$(objdump -h "$lib" | grep -c '\.eh_frame' || true)
    [[ $count -eq 0 ]] || { echo "libc.a has .eh_frame sections (CFLAGS not applied?)" >&2; return 1; }
    count=$(objdump -r "$lib" | awk '/RELOCATION RECORDS FOR/ { sec = $4 }
        $2 ~ /^R_X86_64_32S?$/ && sec !~ /debug/ { n++ } END { print n + 0 }')
    [[ $count -eq 0 ]] || { echo "libc.a has $count 32-bit absolute relocations (built without -fPIE?)" >&2; return 1; }
}

## Steps 3 and 4: Debian source packages (lwIP, cJSON).

# ensure_source PACKAGE TREE CHECK_FILE PATCHES [SUITE]: PACKAGE's Debian
# source unpacked as TREE (once; CHECK_FILE proves it is complete). PATCHES
# is "debian" to apply Debian's own patch series or "upstream" to skip it.
# SUITE is the Debian release to take it from (default bookworm).
ensure_source() {
    local package=$1 tree=$2 check=$3 patches=$4 suite=${5:-$LWIP_SUITE}
    local fingerprint="$package $suite"
    [[ $patches == debian ]] && fingerprint+=" debian-patches"
    if [[ $(stamp_of "$package") == "$fingerprint" && -f $tree/$check ]]; then
        touch "$STAMPS/$package"
        return 0
    fi
    rm -f "$STAMPS/$package"

    local mirror
    mirror=$(debian_mirror)
    local host=${mirror#*://}
    host=${host%%/*}
    local log=$BUILD/$package-fetch.log
    local reason
    if ! reason=$(fetch_source "$mirror" "$package" "$tree" "$check" "$patches" "$suite" 2>"$log"); then
        die "cannot fetch Debian's $package source package: $reason; check network access to $host (log: $(pretty "$log"))"
    fi
    write_stamp "$package" "$fingerprint"
    say "$package $(<"$BUILD/src/$package.version") ready in $(pretty "$tree")"
}

# Prints the URI of the Debian archive the system's apt sources use.
debian_mirror() {
    local file uri suite line
    # One-line format: deb [options] URI suite components...
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $file ]] || continue
        while read -r line; do
            line=$(sed -E 's/\[[^]]*\]//' <<<"$line")
            read -r _ uri suite _ <<<"$line"
            if [[ $uri == http*://* && $suite == "$LWIP_SUITE" ]]; then
                echo "$uri"
                return
            fi
        done < <(grep -E '^[[:space:]]*deb(-src)?[[:space:]]' "$file")
    done
    # deb822 format: a stanza with "URIs:" and "Suites:" fields.
    for file in /etc/apt/sources.list.d/*.sources; do
        [[ -r $file ]] || continue
        uri=$(awk -v RS= '/(^|\n)Suites:[^\n]*[[:space:]]'"$LWIP_SUITE"'([[:space:]]|$)/' "$file" |
              sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' | head -n 1)
        if [[ -n $uri ]]; then
            echo "$uri"
            return
        fi
    done
    echo "$DEFAULT_MIRROR"
}

# Downloads and unpacks a source package; on failure prints the reason.
fetch_source() {
    local mirror=$1 package=$2 tree=$3 check=$4 patches=$5 suite=$6
    # One private apt state per suite: an update for one suite then never
    # discards the other's index.
    local aptdir=$BUILD/apt
    [[ $suite == "$LWIP_SUITE" ]] || aptdir=$BUILD/apt-$suite
    local download=$BUILD/src/$package-debian
    mkdir -p "$aptdir/state/lists/partial" "$aptdir/cache/archives/partial"
    rm -rf "$download" "$tree" "$tree.tmp"
    mkdir -p "$download"

    local signed_by=""
    if [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
        signed_by="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    fi
    echo "deb-src ${signed_by}$mirror $suite main" >"$aptdir/sources.list"

    local apt=(apt-get -q
        -o Dir::Etc::SourceList="$aptdir/sources.list"
        -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State="$aptdir/state"
        -o Dir::Cache="$aptdir/cache")
    if [[ $EUID -eq 0 ]]; then
        # The _apt sandbox user cannot write into the build directory.
        apt+=(-o APT::Sandbox::User=root)
    fi

    local out
    # apt-get update exits 0 even when an index could not be fetched, so look for the result.
    out=$("${apt[@]}" update 2>&1) || true
    echo "$out" >&2
    if ! compgen -G "$aptdir/state/lists/*_Sources*" >/dev/null; then
        apt_reason "$out" "apt-get update did not get the Sources index"
        return 1
    fi
    if ! out=$(cd "$download" && "${apt[@]}" source --download-only "$package/$suite" 2>&1); then
        echo "$out" >&2
        apt_reason "$out" "apt-get source failed"
        return 1
    fi
    echo "$out" >&2

    local dsc=("$download/${package}"_*.dsc)
    [[ -f ${dsc[0]} ]] || { echo "no $package .dsc was downloaded"; return 1; }
    local skip=()
    [[ $patches == upstream ]] && skip=(--skip-patches)
    if ! dpkg-source -x --no-check "${skip[@]}" "${dsc[0]}" "$tree.tmp" >&2; then
        echo "dpkg-source -x failed"
        return 1
    fi
    [[ -f $tree.tmp/$check ]] || { echo "unpacked $package has no $check"; return 1; }
    mv "$tree.tmp" "$tree"
    # dpkg-source copies the upstream tarball next to the tree; it is not needed.
    rm -f "$BUILD/src/${package}"_*.orig.tar.*
    local version=${dsc[0]##*/"${package}"_}
    echo "${version%.dsc}" >"$BUILD/src/$package.version"
}

# Prints apt's first error (or else warning) message, or the given fallback.
apt_reason() {
    local line
    line=$(grep -m 1 '^E: ' <<<"$1" || grep -m 1 '^W: ' <<<"$1" || true)
    line=${line#?: }
    echo "${line:-$2}" | tr -s ' '
}

## Main.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
WITH_LWIP=1
build_arg_seen=0

while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --no-lwip) WITH_LWIP=0 ;;
        -*) usage >&2; exit 2 ;;
        *)
            [[ $build_arg_seen -eq 0 ]] || { usage >&2; exit 2; }
            BUILD=$1
            build_arg_seen=1
            ;;
    esac
    shift
done

mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
STAMPS=$BUILD/stamps
mkdir -p "$STAMPS"

# Serialise concurrent runs (e.g. parallel make invocations).
exec 9>"$STAMPS/.lock"
flock 9

ensure_packages
ensure_newlib
if [[ $WITH_LWIP -eq 1 ]]; then
    # lwIP without Debian's patches: they make src/api/sockets.c depend on
    # macros only Debian's unix port defines.
    ensure_source lwip "$BUILD/src/lwip" src/core/tcp.c upstream
    ensure_source cjson "$BUILD/src/cjson" cJSON.c debian
    # libmicrohttpd (the SIEM manager's HTTP server) from trixie, not
    # bookworm: bookworm's 0.9.75 orig tarball is no longer downloadable from
    # the archive (404), trixie's 1.0.1 is. Only this package's deb-src line
    # names trixie, and only in the private apt configuration of
    # BUILD_DIR/apt-trixie; the system's apt sources are not touched and
    # nothing from trixie is installed. Debian's patches are applied.
    ensure_source libmicrohttpd "$BUILD/src/libmicrohttpd" src/microhttpd/daemon.c debian "$MHD_SUITE"
    # libsodium (bookworm's 1.0.18): Ed25519 for the SIEM's bus identities
    # (nkeys), BLAKE2b and SHA-256 for its store's sealed chain.
    ensure_source libsodium "$BUILD/src/libsodium" src/libsodium/crypto_sign/ed25519/ref10/sign.c debian
fi
