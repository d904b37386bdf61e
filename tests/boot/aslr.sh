#!/usr/bin/env bash
# Address-space layout randomisation: two boots of one image put main(), the
# heap and a thread's stack at different addresses, each inside the region
# the kernel reports; aslr=off puts them at the same addresses every time,
# main() at its link address; backtraces still name functions (faults.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/aslr || exit 0
img=$ROOT/build/aslr/aslr.elf
link_main=$(nm "$img" | awk '$3 == "main" { print $1 }')
link_base=$(nm "$img" | awk '$3 == "__image_start" { print $1 }')

# addresses NAME: "main heap stack image heapbase stackbase bits", from the boot log.
addresses() {
    local a r
    a=$(sed -n 's/^addresses: main \(0x[0-9a-f]*\) heap \(0x[0-9a-f]*\) stack \(0x[0-9a-f]*\)$/\1 \2 \3/p' "$BOOT_LOG")
    r=$(sed -n 's/^aslr: image at \(0x[0-9a-f]*\) (\([0-9]*\) bits), heap at \(0x[0-9a-f]*\) .*thread stacks at \(0x[0-9a-f]*\) .*/\1 \3 \4 \2/p;
        s/^aslr: off (aslr=off): image at \(0x[0-9a-f]*\), heap at \(0x[0-9a-f]*\), thread stacks at \(0x[0-9a-f]*\)$/\1 \2 \3 0/p' "$BOOT_LOG")
    echo "$a $r"
}

# inside NAME ADDR LO SIZE: ADDR lies in [LO, LO + SIZE).
inside() {
    (($2 >= $3 && $2 < $3 + $4))
    check "$1" $? "$(printf '0x%x is not in [0x%x, +0x%x)' "$2" "$3" "$4")"
}

declare -A seen
for run in 1 2; do
    boot "aslr-boot-$run" "$img"
    expect "aslr-boot-$run" 0 '^aslr: image at 0x[0-9a-f]+ \([0-9]+ bits\), heap at' '^addresses: main '
    read -r main heap stack image heapbase stackbase bits <<<"$(addresses)" || true
    seen[$run]="$main $heap $stack"
    [ -n "${bits:-}" ] || continue
    # 64 GiB of 4 KiB pages for the image; the heap and stacks 256 GiB.
    ((bits >= 16))
    check "aslr-image-entropy-$run" $? "the image base has $bits bits of entropy, fewer than 16"
    # main() sits where the link put it relative to the image's start.
    same "aslr-main-in-moved-image-$run" "$((0x$link_main - 0x$link_base))" "$((main - image))"
    inside "aslr-heap-in-region-$run" "$heap" "$heapbase" $((64 << 30))
    inside "aslr-stack-in-region-$run" "$stack" "$stackbase" $((4096 * 16 << 20))
done
read -r m1 h1 s1 <<<"${seen[1]}"
read -r m2 h2 s2 <<<"${seen[2]}"
for what in main:m heap:h stack:s; do
    a=${what#*:}1 b=${what#*:}2
    [ -n "${!a}" ] && [ "${!a}" != "${!b}" ]
    check "aslr-${what%%:*}-moves" $? "two boots put ${what%%:*} at '${!a}' and '${!b}'"
done

# aslr=off: fixed addresses, main() at its link address, for a debugger.
for run in 1 2; do
    boot "aslr-off-$run" --append "aslr=off" "$img"
    expect "aslr-off-$run" 0 '^aslr: off \(aslr=off\): image at 0x100000,' '^addresses: main '
    read -r main heap stack _ <<<"$(addresses)" || true
    seen[off$run]="$main $heap $stack"
done
same aslr-off-main-at-link-address "$((0x$link_main))" "$(( ${seen[off1]%% *} ))"
same aslr-off-same-every-boot "${seen[off1]}" "${seen[off2]}"
