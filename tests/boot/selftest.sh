#!/usr/bin/env bash
# The self-test image: threads over wait queues, sleeps, clocks, malloc.
# Each of its checks becomes one test result here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/selftest || exit 0
boot selftest "$ROOT/build/selftest/selftest.elf"
expect selftest 0 '^selftest: all passed$'
# Each check the image ran, so a failure names itself; none may vanish.
image_checks selftest selftest 19
# Each refused call logs one line naming itself and its caller, in the
# order the image makes them.
expect selftest-refusals-logged 0 \
    '^libos: fork\(\) refused: ENOSYS .*called from [a-z_]+\+0x' \
    '^libos: system\("id"\) refused: ENOSYS' '^libos: popen\("ls /"\) refused: ENOSYS' \
    '^libos: execv\("/bin/sh"\) refused: ENOSYS'
