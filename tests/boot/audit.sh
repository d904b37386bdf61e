#!/usr/bin/env bash
# make audit on the bind shell: every exec-family function it calls is the
# refusing stub, two boots put it at different addresses (with the entropy
# of each region), and the one port it opens is found by booting it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/bindshell || exit 0
log=$LOGS/audit-bindshell.log
if ! "$ROOT/tools/audit.sh" "$ROOT/build/bindshell/bindshell.elf" "-- 4444" >"$log" 2>&1; then
    echo "FAIL audit-bindshell: tools/audit.sh failed: $(tail -n 1 "$log")"
    exit 0
fi
T=audit-bindshell
log_has $T/text-is-rx "$log" '^  \.text +[0-9]+  0x[0-9a-f]+ +r-x'
log_has $T/data-is-nx "$log" '^  \.data +[0-9]+  0x[0-9a-f]+ +rw-  \(no-execute\)'
log_has $T/net-linked "$log" '^  net: +yes'
for fn in popen system fork execve; do
    log_has "$T/$fn-is-stub" "$log" "^  $fn +refusing stub \(libos/refuse\.c\)$"
done
log_has $T/verdict "$log" '^  verdict: no code path can start a program'
log_has $T/port-4444-open "$log" '^  tcp/4444 +open \(accepts connections\)$'
expect_count $T/only-one-port "$log" 1 '^  (tcp|udp)/'
# Randomisation: each region's entropy, and two boots at different addresses.
log_has $T/aslr-image-bits "$log" '^  image: +(1[6-9]|[2-9][0-9]) bits of entropy'
log_has $T/aslr-heap-bits "$log" '^  heap: +(1[6-9]|[2-9][0-9]) bits of entropy'
log_has $T/aslr-stacks-bits "$log" '^  thread stacks: +(1[6-9]|[2-9][0-9]) bits of entropy'
log_has $T/aslr-verdict "$log" '^  verdict: every region moved between the two boots$'
