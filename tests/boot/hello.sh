#!/usr/bin/env bash
# hello through both loaders: QEMU -kernel (PVH) and a GRUB ISO (multiboot2);
# argv, exit status, small memory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/hello || exit 0
img=$ROOT/build/hello/hello.elf

boot hello-pvh --append "-- one two" "$img"
expect hello-pvh 0 '^Hello from the unikernel!$' '^argc=3$' '^argv\[0\]=hello$' \
    '^argv\[1\]=one$' '^argv\[2\]=two$' '^uptime [0-9]+\.[0-9]{6} s$'

boot hello-quoted-args --append 'ip=dhcp -- "a b" c\ d' "$img"
expect hello-quoted-args 0 '^argc=3$' '^argv\[1\]=a b$' '^argv\[2\]=c d$'

boot hello-no-args "$img"
expect hello-no-args 0 '^Hello from the unikernel!$' '^argc=1$'

boot hello-8MiB --mem 8M "$img"
expect hello-8MiB 0 '^Hello from the unikernel!$'

# GRUB needs a PC BIOS and a CD drive: not on microvm.
[ "$MACHINE" = pc ] || exit 0
iso=$ROOT/build/hello/hello-test.iso
if "$ROOT/tools/mkiso.sh" "$img" "$iso" "-- from grub" >"$LOGS/mkiso.log" 2>&1; then
    boot hello-grub-multiboot2 "$iso"
    expect hello-grub-multiboot2 0 '^Hello from the unikernel!$' '^argc=3$' \
        '^argv\[1\]=from$' '^argv\[2\]=grub$'
else
    echo "FAIL hello-grub-multiboot2: mkiso failed: $(tail -n 1 "$LOGS/mkiso.log")"
fi
