#!/usr/bin/env bash
# The RCE demonstration in a unikernel: boot apps/bindshell with guest port
# 4444 forwarded to a free port on 127.0.0.1 and run tools/rce-probe against
# it. It must say "no command executed" and exit 0; the guest console must
# show every command refused with ENOSYS (popen, then system and fork); and
# the service must go on accepting connections. The other verdict, EXECUTED
# against the Linux build, is asserted by tests/host/bindshell.sh.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

T=bindshell-unikernel
OUT=$LOGS/$T.probe

build_app apps/bindshell || exit 0

# greeted PORT: a new client on PORT gets the greeting within 20 s (the
# forward accepts before the guest does, so connecting is retried).
greeted() {
    python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 20
while True:
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
        line = s.makefile("rb").readline()
        sys.exit(line != b"connection successful, shell session over tcp initiated\n")
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.5)
PY
}

port=$(free_port)
START_TIMEOUT=120 start_image $T/boots-and-listens '^listening on tcp port 4444\.\.\.$' \
    --port "tcp:$port:4444" "$ROOT/build/bindshell/bindshell.elf" || exit 0
echo "PASS $T/boots-and-listens"
if nonic=$(grep -m1 '^net: no network device' "$BOOT_LOG"); then
    echo "FAIL $T/network: the image has no NIC to forward to: $nonic"
    exit 0
fi
greeted "$port"
check $T/greets-through-forward $? "no greeting on 127.0.0.1:$port (forwarded to guest 4444)"

timeout 600 "$ROOT/tools/rce-probe" --timeout 10 --settle 1 --transcript "$LOGS/$T.transcript" \
    127.0.0.1 "$port" >"$OUT" 2>&1
rc=$?
check $T/probe-exits-0 "$([ $rc = 0 ]; echo $?)" "exit status $rc, expected 0 (see $OUT)"
n=$(sed -n 's/^no command executed (0\/\([0-9]*\))$/\1/p' "$OUT")
check $T/probe-says-nothing-ran "$([ -n "$n" ]; echo $?)" "no 'no command executed (0/N)' line: $(tail -n 1 "$OUT")"

# Every command the probe sent reached popen() and was refused by name.
console=$LOGS/$T.console
tr -d '\r' <"$BOOT_LOG" >"$console"
missing=()
while IFS= read -r cmd; do
    grep -qF "libos: popen(\"$cmd\") refused: ENOSYS" "$console" || missing+=("$cmd")
done < <(sed -n 's/^<[^>]*> //p' "$LOGS/$T.transcript")
sent=$(count_lines "$LOGS/$T.transcript" '^<[^>]*> ')
check $T/every-command-refused "$([ "$sent" -ge 12 ] && [ ${#missing[@]} = 0 ]; echo $?)" \
    "$sent commands sent; no popen refusal on the console for: ${missing[*]:-?}"
# ... and the fallbacks were refused too, once per command.
for call in system fork; do
    k=$(count_lines "$console" "^libos: $call\(.*\) refused: ENOSYS")
    check "$T/$call-refused" "$([ "$k" -ge "$sent" ]; echo $?)" "$k '$call refused: ENOSYS' lines for $sent commands"
done
log_has $T/logs-connection "$console" '^received connection from [0-9.]+:[0-9]+$'

# The service survived all of it and still takes new clients.
greeted "$port"
check $T/accepts-after-probe $? "no greeting on a new connection after the probe"
kill -0 "$VM_PID" 2>/dev/null
check $T/still-running $? "the VM ended: $(last_lines "$BOOT_LOG")"
