#!/usr/bin/env bash
# make audit on the bind shell: every exec-family function it calls is the
# refusing stub, and the one port it opens is found by booting it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/bindshell || exit 0
log=$LOGS/audit-bindshell.log
if ! "$ROOT/tools/audit.sh" "$ROOT/build/bindshell/bindshell.elf" "-- 4444" >"$log" 2>&1; then
    echo "FAIL audit-bindshell: tools/audit.sh failed: $(tail -n 1 "$log")"
    exit 0
fi
check() { # name regex
    if grep -qE -- "$2" "$log"; then echo "PASS audit-bindshell/$1"; else echo "FAIL audit-bindshell/$1: report lacks /$2/; see $log"; fi
}
check text-is-rx '^  \.text +[0-9]+  0x[0-9a-f]+ +r-x'
check data-is-nx '^  \.data +[0-9]+  0x[0-9a-f]+ +rw-  \(no-execute\)'
check net-linked '^  net: +yes'
for fn in popen system fork execve; do
    check "$fn-is-stub" "^  $fn +refusing stub \(libos/refuse\.c\)$"
done
check verdict '^  verdict: no code path can start a program'
check port-4444-open '^  tcp/4444 +open \(accepts connections\)$'
n=$(grep -cE '^  (tcp|udp)/' "$log" || true)
[ "$n" = 1 ] && echo "PASS audit-bindshell/only-one-port" || echo "FAIL audit-bindshell/only-one-port: $n ports listed; see $log"
