#!/bin/sh
# Generates the kernel symbol table (assembly for the .ksyms section) that
# backtraces use to print function+offset.
#   tools/ksyms.sh              an empty table (for the first link)
#   tools/ksyms.sh IMAGE.elf    the table of IMAGE's functions
#   tools/ksyms.sh --check A B  fail unless A and B have the same functions
#                               at the same addresses
set -eu

functions() {
    nm -n --defined-only "$1" | awk '$2 ~ /^[tTwW]$/ && $1 != prev { print $1, $3; prev = $1 }'
}

if [ "${1:-}" = "--check" ]; then
    if [ "$(functions "$2")" != "$(functions "$3")" ]; then
        echo "ksyms: adding the symbol table moved code; check that .ksyms ends .rodata (linker.ld)" >&2
        exit 1
    fi
    exit 0
fi

cat <<'HDR'
        .section .ksyms, "a"
        .balign 8
        .globl ksyms_count, ksyms_addrs, ksyms_name_offsets, ksyms_names
HDR

if [ $# -eq 0 ]; then
    printf 'ksyms_count:\n        .quad 0\nksyms_addrs:\nksyms_name_offsets:\nksyms_names:\n        .byte 0\n'
    exit 0
fi

# Function symbols in address order, one name per address.
functions "$1" | awk '
{ addr[NR] = $1; name[NR] = $2 }
END {
    printf "ksyms_count:\n        .quad %d\nksyms_addrs:\n", NR
    for (i = 1; i <= NR; i++) printf "        .quad 0x%s\n", addr[i]
    printf "ksyms_name_offsets:\n"
    off = 0
    for (i = 1; i <= NR; i++) { printf "        .long %d\n", off; off += length(name[i]) + 1 }
    printf "ksyms_names:\n"
    for (i = 1; i <= NR; i++) printf "        .asciz \"%s\"\n", name[i]
}'
