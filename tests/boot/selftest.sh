#!/usr/bin/env bash
# The self-test image: threads over wait queues, sleeps, clocks, malloc.
# Each of its checks becomes one test result here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/selftest || exit 0
boot selftest "$ROOT/build/selftest/selftest.elf"
expect selftest 0 '^selftest: all passed$'
# Report each check the image ran, so a failure names itself.
grep -E '^selftest: (PASS|FAIL) ' "$LOGS/selftest.log" | sed -E 's/^selftest: (PASS|FAIL) ([^:]*)(: (.*))?$/\1 selftest\/\2\3/' || true
n=$(grep -cE '^selftest: PASS ' "$LOGS/selftest.log" || true)
[ "$n" -ge 12 ] && echo "PASS selftest/ran-all-checks" || echo "FAIL selftest/ran-all-checks: only $n checks passed, 12 expected"
# Each refused call logs one line naming itself and its caller.
expect selftest-refusals-logged 0 \
    '^libos: fork\(\) refused: ENOSYS .*called from [a-z_]+\+0x' \
    '^libos: system\("id"\) refused: ENOSYS' '^libos: popen\("ls /"\) refused: ENOSYS' \
    '^libos: execv\("/bin/sh"\) refused: ENOSYS'
