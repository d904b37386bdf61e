#!/usr/bin/env bash
# Boot modules reach the app byte for byte: QEMU -initrd (PVH) and GRUB
# module2 (multiboot2), checked against a checksum computed on the host.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/modtest || exit 0
img=$ROOT/build/modtest/modtest.elf
data=$ROOT/build/tests/module-data.txt
{ echo "first line of the module"; head -c 300000 /dev/urandom | od -An -tx1; } >"$data"
len=$(stat -c %s "$data")
sum=$(python3 -c '
import sys
s = 0
for b in open(sys.argv[1], "rb").read():
    s = (s * 31 + b) & 0xffffffff
print("%08x" % s)' "$data")

boot modules-pvh-initrd --initrd "$data" "$img"
expect modules-pvh-initrd 0 '^modules: 1$' \
    "^module 0: name '[^']*' length $len sum $sum first 'first line of the module'$"

boot modules-none "$img"
expect modules-none 0 '^modules: 0$'

iso=$ROOT/build/tests/modtest.iso
if "$ROOT/tools/mkiso.sh" "$img" "$iso" "" "$data" >"$LOGS/mkiso-modules.log" 2>&1; then
    boot modules-grub-module2 "$iso"
    expect modules-grub-module2 0 '^modules: 1$' \
        "^module 0: name 'module-data.txt' length $len sum $sum first 'first line of the module'$"
else
    echo "FAIL modules-grub-module2: mkiso failed: $(tail -n 1 "$LOGS/mkiso-modules.log")"
fi
