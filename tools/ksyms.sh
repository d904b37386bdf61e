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

# The table: ksyms_count, then each function's start as a 32-bit offset from
# __text_start (the image is far smaller than 4 GiB), then the names as
# consecutive NUL-terminated strings in the same order. A lookup walks the
# names, which only panics and refused calls do; no per-name offsets keeps
# the table at 4 bytes + the name per function.
cat <<'HDR'
        .section .ksyms, "a"
        .balign 4
        .globl ksyms_count, ksyms_offsets, ksyms_names
HDR

if [ $# -eq 0 ]; then
    printf 'ksyms_count:\n        .long 0\nksyms_offsets:\nksyms_names:\n        .byte 0\n'
    exit 0
fi

# Function symbols in address order, one name per address.
base=$(nm --defined-only "$1" | awk '$3 == "__text_start" { print $1 }')
functions "$1" | awk -v base="$base" '
function hex(s,    i, v) {
    v = 0
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
}
{ addr[NR] = $1; name[NR] = $2 }
END {
    printf "ksyms_count:\n        .long %d\nksyms_offsets:\n", NR
    for (i = 1; i <= NR; i++) printf "        .long %d\n", hex(addr[i]) - hex(base)
    printf "ksyms_names:\n"
    for (i = 1; i <= NR; i++) printf "        .asciz \"%s\"\n", name[i]
}'
