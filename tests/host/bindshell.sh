#!/usr/bin/env bash
# The other half of the RCE demonstration, on the host: tools/rce-probe
# against the Linux build of apps/bindshell, where commands really run, must
# say EXECUTED and exit 1. Against a closed port it must exit 2, and against
# fake services that run nothing (tests/rce/fake_server.py) it must say
# "no command executed" and exit 0. Boots nothing.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

T=bindshell-host
PROBE=("$ROOT/tools/rce-probe" --timeout 3 --settle 0.2)
LISTENING='^listening on tcp port [0-9]+'

# start NAME LOG CMD...: run a server in the background and wait for its
# "listening on tcp port N" line; the port is left in $PORT.
start() {
    local name=$1 log=$2
    shift 2
    START_TIMEOUT=5 start_bg "$T/$name" "$log" "$LISTENING" "$@" || return 1
    PORT=$(sed -n 's/^listening on tcp port \([0-9]*\).*/\1/p' <<<"$LINE")
}

# probe NAME PORT: run the probe; output in $LOGS/$T-NAME.probe, status in $RC.
probe() {
    OUT=$LOGS/$T-$1.probe
    timeout 120 "${PROBE[@]}" 127.0.0.1 "$2" >"$OUT" 2>&1
    RC=$?
}

# The real thing: commands run, and the probe must see it.
if build_target "$T" bindshell-host; then
    echo "PASS $T/build"
    # It is a real remote shell on a random loopback port for these seconds:
    # as root, give it nobody's rights (any user's will do for the probe).
    bin=$ROOT/build/bindshell-host/bindshell
    as=()
    drop=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    if [ "$(id -u)" = 0 ] && "${drop[@]}" test -x "$bin" 2>/dev/null; then as=("${drop[@]}"); fi
    if start listening "$LOGS/$T.log" "${as[@]}" "$bin" 0; then
        echo "PASS $T/listening"
        probe live "$PORT"
        check $T/probe-exits-1 "$([ "$RC" = 1 ]; echo $?)" "exit status $RC, expected 1 (see $OUT)"
        grep -qE '^EXECUTED [0-9]+/[0-9]+$' "$OUT"
        check $T/probe-says-executed $? "no 'EXECUTED k/N' line: $(tail -n 1 "$OUT")"
        grep -qE '^received connection from 127\.0\.0\.1:[0-9]+$' "$LOGS/$T.log"
        check $T/logs-connection $? "no 'received connection from 127.0.0.1:PORT' in $LOGS/$T.log"
        # The service outlives a session: a new client still gets the greeting.
        python3 - "$PORT" >"$LOGS/$T-reconnect.log" 2>&1 <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
line = s.makefile("rb").readline()
sys.exit(line != b"connection successful, shell session over tcp initiated\n")
PY
        check $T/accepts-after-probe $? "no greeting on a new connection after the probe"
        stop_bg
    fi
fi

# A port nobody listens on: exit 2 and one clear line.
PORT=$(free_port)
probe closed-port "$PORT"
check $T/probe-closed-port-exits-2 "$([ "$RC" = 2 ]; echo $?)" "exit status $RC, expected 2 (see $OUT)"
grep -qE "^rce-probe: cannot connect to 127\.0\.0\.1:$PORT: " "$OUT"
check $T/probe-closed-port-message $? "no 'cannot connect' line (see $OUT)"

# Services that run nothing: one refuses as the unikernel does, one quotes
# every command back (its text is no evidence). Both must come out clean.
for mode in refuse echo; do
    start "fake-$mode" "$LOGS/$T-fake-$mode.log" python3 "$ROOT/tests/rce/fake_server.py" "$mode" ||
        continue
    probe "fake-$mode" "$PORT"
    check "$T/probe-fake-$mode-exits-0" "$([ "$RC" = 0 ]; echo $?)" "exit status $RC, expected 0 (see $OUT)"
    grep -qE '^no command executed \(0/[0-9]+\)$' "$OUT"
    check "$T/probe-fake-$mode-says-nothing-ran" $? "no 'no command executed (0/N)' line: $(tail -n 1 "$OUT")"
    stop_bg
done
