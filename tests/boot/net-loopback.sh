#!/usr/bin/env bash
# Sockets with no network device: the nettest image talks TCP and UDP to
# itself over 127.0.0.1 and ::1 (1 MiB echoed with a checksum, poll/select,
# timeouts, ECONNREFUSED, ENETDOWN, getaddrinfo). Each of its checks becomes
# one test result here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/nettest || exit 0
img=$ROOT/build/nettest/nettest.elf

boot net-loopback "$img"
expect net-loopback 0 '^nettest: all passed$' \
    '^net: no network device; sockets to other hosts fail with ENETDOWN$'
grep -E '^nettest: (PASS|FAIL) ' "$LOGS/net-loopback.log" |
    sed -E 's/^nettest: (PASS|FAIL) ([^:]*)(: (.*))?$/\1 net-loopback\/\2\3/' || true
n=$(grep -cE '^nettest: PASS ' "$LOGS/net-loopback.log" || true)
[ "$n" -ge 26 ] && echo "PASS net-loopback/ran-all-checks" ||
    echo "FAIL net-loopback/ran-all-checks: only $n checks passed, 26 expected"
c=$(grep -c '^net: ' "$LOGS/net-loopback.log" || true)
[ "$c" = 1 ] && echo "PASS net-loopback/one-net-line" ||
    echo "FAIL net-loopback/one-net-line: $c lines start with 'net: '"

# Console input ends a poll() that waits on a socket and stdin together.
set +e
(sleep 1; printf 'typed\n'; sleep 1) |
    "$ROOT/tools/run" --timeout 30 --append "-- console" "$img" >"$LOGS/net-console.raw" 2>&1
BOOT_RC=$?
set -e
tr -d '\r' <"$LOGS/net-console.raw" >"$LOGS/net-console.log"
BOOT_LOG=$LOGS/net-console.log
expect net-console 0 '^nettest: poll gave 1 after [0-9.]+ s, console read "typed"$'

# The stack's static pools and buffers fit a small VM.
boot net-loopback-16MiB --mem 16M "$img"
expect net-loopback-16MiB 0 '^nettest: all passed$'

# Images that do not use sockets carry no lwIP.
build_app apps/hello || exit 0
if nm "$ROOT/build/hello/hello.elf" 2>/dev/null | grep -qE ' (lwip_|tcpip_|tcp_input|sys_arch_)'; then
    echo "FAIL net-not-linked-without-sockets: hello.elf contains lwIP symbols"
elif [ -f "$ROOT/build/hello/hello.elf" ]; then
    echo "PASS net-not-linked-without-sockets"
fi
