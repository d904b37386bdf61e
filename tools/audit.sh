#!/usr/bin/env bash
# Prints a security audit of a built image: size by section, the W^X map of
# its loadable sections, which libos subsystems are linked, how many
# functions it holds, and whether every exec-family entry point is the
# refusing stub from libos/refuse.c.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "Usage: tools/audit.sh IMAGE.elf   (or: make APP=name audit)"
    [ $# -eq 1 ] && exit 0 || exit 2
fi
elf=$1
[ -f "$elf" ] || { echo "audit: no such image: $elf (build it with make APP=...)" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip -o "$stripped" "$elf"

echo "audit of $elf"
echo "image: $(stat -c %s "$stripped") bytes stripped, $(stat -c %s "$elf") with symbols and debug info"
echo
echo "sections loaded into memory (page permissions the kernel gives them):"
printf '  %-12s %10s  %-18s %s\n' section bytes address permissions
readelf -SW "$elf" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
    while read -r name _type addr _off size _es flags _rest; do
        [[ "$flags" == *A* ]] || continue
        case "$name" in
            .text) perm="r-x  (code: read-only, executable)" ;;
            .data|.bss) perm="rw-  (no-execute)" ;;
            *) perm="r--  (read-only, no-execute)" ;;
        esac
        printf '  %-12s %10d  0x%-16s %s\n' "$name" "$((16#$size))" "$addr" "$perm"
    done
echo "  heap, thread stacks, all other RAM: rw-  (no-execute); page 0: unmapped"
echo "  (the kernel walks its page tables at every boot and panics on any page both writable and executable)"
echo

syms=$(nm --defined-only "$elf")
has() { grep -qE " [TtWw] ($1)$" <<<"$syms"; }
echo "libos subsystems linked:"
has 'tcpip_thread|lwip_socket' && echo "  net:     yes (lwIP TCP/IP stack, sockets)" || echo "  net:     no"
has 'blk_read|virtio_blk_init' && echo "  blk:     yes (virtio-blk)" || echo "  blk:     no"
has 'pthread_create' && echo "  threads: yes (pthread_create)" || echo "  threads: main thread only"
has 'pci_init|pci_find' && echo "  pci:     yes" || echo "  pci:     no"
echo "functions in the image: $(grep -cE ' [TtWw] ' <<<"$syms")"
echo

echo "exec-family entry points (must all be the refusing stubs in libos/refuse.c):"
bad=0 found=0
for fn in fork vfork execve execv execvp execl execlp system popen pclose wait waitpid kill posix_spawn posix_spawnp; do
    addr=$(awk -v f="$fn" '$3 == f && $2 ~ /[TtWw]/ { print $1; exit }' <<<"$syms")
    [ -n "$addr" ] || continue
    found=$((found + 1))
    src=$(addr2line -e "$elf" "0x$addr" 2>/dev/null | sed 's/:.*//')
    if [[ "$src" == */libos/refuse.c ]]; then
        printf '  %-13s refusing stub (%s)\n' "$fn" "${src#"$ROOT"/}"
    else
        printf '  %-13s NOT the refusing stub: defined in %s\n' "$fn" "${src:-unknown}"
        bad=1
    fi
done
[ "$found" = 0 ] && echo "  none linked: the app never calls them"
if [ "$bad" = 0 ]; then
    echo "  verdict: no code path can start a program (there is no interpreter in the image)"
else
    echo "  verdict: FAILED: an exec-family function is not the refusing stub"
    exit 1
fi
