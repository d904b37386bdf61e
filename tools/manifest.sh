#!/usr/bin/env bash
# Prints what an image is made of: its SHA-256, the commit it was built
# from, and the exact Debian package versions of everything that went into
# it (compiler, assembler, linker, libgcc, newlib, lwIP and the libraries
# the app links), so anyone can rebuild the same bytes (make APP=x manifest).
set -euo pipefail

usage() {
    echo "Usage: tools/manifest.sh IMAGE.elf [APP_LIBS...]"
    echo "Prints image, sha256, commit, then one 'package NAME VERSION (ROLE)' line each."
}
[ $# -ge 1 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
elf=$1
shift
[ -f "$elf" ] || { echo "manifest: no such image: $elf (build it with make APP=...)" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$root/build/src

commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then
    commit+=" (with uncommitted changes)"
fi
echo "image   $elf"
echo "sha256  $(sha256sum "$elf" | cut -d' ' -f1)"
echo "commit  $commit"

# pkg ROLE FILE: the Debian binary package that owns FILE, and its version.
pkg() {
    local owner
    owner=$(dpkg -S "$(readlink -f "$2")" 2>/dev/null | head -n 1 | cut -d: -f1) ||
        owner=""
    if [ -z "$owner" ]; then
        echo "package ?  ?  ($1: $2 belongs to no Debian package)"
        return
    fi
    echo "package $owner $(dpkg-query -W -f='${Version}' "$owner") ($1)"
}
# srcpkg ROLE NAME: a Debian source package bootstrap fetched, and its version.
srcpkg() {
    if [ -f "$src/$2.version" ]; then
        echo "package $2 (source) $(<"$src/$2.version") ($1)"
    else
        echo "package $2 (source) ? ($1: build/src/$2.version is missing; run make bootstrap)"
    fi
}

pkg "C compiler driver" "$(command -v gcc)"
pkg "C compiler proper" "$(gcc -print-prog-name=cc1)"
pkg "assembler" "$(command -v as)"
pkg "linker" "$(command -v ld)"
pkg "libgcc" "$(gcc -print-libgcc-file-name)"
pkg "newlib (libc, libm)" /usr/src/newlib
nm "$elf" 2>/dev/null | grep -q ' lwip_init$' && srcpkg "TCP/IP stack" lwip
for lib in "$@"; do
    case "$lib" in
        cjson) srcpkg "JSON" cjson ;;
        microhttpd) srcpkg "HTTP server" libmicrohttpd ;;
        sodium) srcpkg "crypto" libsodium ;;
        *) echo "package ? ? (APP_LIBS names '$lib', which this script does not know)" ;;
    esac
done
