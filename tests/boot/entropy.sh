#!/usr/bin/env bash
# Where the canary, the TCP ISN key and getentropy/arc4random come from:
# the boot log names the source once. tools/run's default CPU model
# (qemu64,+rdrand under TCG) and -cpu max have RDRAND; a model without
# RDRAND and RDSEED must fall back to the TSC and say so loudly, and the
# image must still run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/hello || exit 0
img=$ROOT/build/hello/hello.elf
hw='^entropy: (RDRAND|RDSEED) \(ASLR offsets, canary, TCP ISN key, getentropy/arc4random\)$'
tsc='^entropy: WARNING: no RDRAND/RDSEED: seeding from the TSC, which is predictable; run QEMU with -cpu max or -cpu host$'

boot entropy-default "$img"
expect entropy-default 0 "$hw" '^Hello from the unikernel!$'
expect_count entropy-default/once "$BOOT_LOG" 1 '^entropy:'
expect_count entropy-default/no-warning "$BOOT_LOG" 0 'WARNING'

QEMU_EXTRA="-cpu max" boot entropy-cpu-max "$img"
expect entropy-cpu-max 0 "$hw" '^Hello from the unikernel!$'

QEMU_EXTRA="-cpu qemu64,-rdrand,-rdseed" boot entropy-no-rdrand "$img"
expect entropy-no-rdrand 0 "$tsc" '^Hello from the unikernel!$'
expect_count entropy-no-rdrand/once "$BOOT_LOG" 1 '^entropy:'

# getentropy and arc4random still give differing bytes on the fallback.
build_app tests/boot/apps/selftest || exit 0
QEMU_EXTRA="-cpu qemu64,-rdrand,-rdseed" boot entropy-no-rdrand-selftest \
    "$ROOT/build/selftest/selftest.elf"
log_has entropy-no-rdrand-selftest "$BOOT_LOG" "$tsc" '^selftest: PASS entropy$'
