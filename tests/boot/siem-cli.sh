#!/usr/bin/env bash
# The SIEM's operator tool, tools/siem, and its NATS client, without the
# module images: help and argument errors, a query with nothing running, a
# busy port, and the client against a real nats-server of the test's own.
# up/status/query/logs/down run against the real images in the end-to-end
# tests (siem-pipeline.sh and the others).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

siem=$ROOT/tools/siem
for tool in python3 nats-server; do
    if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
        echo "FAIL siem-cli: $tool is missing (tools/bootstrap.sh installs it)"
        exit 0
    fi
done
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)

tmp=$(mktemp -d)
NATS_PID=""
cleanup() {
    if [ -n "$NATS_PID" ]; then
        kill -TERM "$NATS_PID" 2>/dev/null || true
        wait "$NATS_PID" 2>/dev/null || true
    fi
    if [ -n "${HOLD_PID:-}" ]; then kill "$HOLD_PID" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# run_siem ARGS...: run tools/siem; $RC, $OUT (stdout), stderr in $tmp/err.
run_siem() {
    set +e
    "$siem" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    RC=$?
    set -e
    OUT=$(cat "$tmp/out")
}

# want NAME RC [ERR_REGEX]: the last run_siem exited with RC and, when a
# regex is given, printed exactly one line on stderr matching it.
want() {
    local name=$1 rc=$2 re=${3:-}
    if [ "$RC" != "$rc" ]; then
        echo "FAIL siem-cli/$name: exit status $RC, expected $rc; stderr: $(head -c 300 "$tmp/err" | tr '\n' '|')"
    elif grep -q Traceback "$tmp/err"; then
        echo "FAIL siem-cli/$name: a Python traceback: $(tail -n 1 "$tmp/err")"
    elif [ -n "$re" ] && { [ "$(wc -l <"$tmp/err")" != 1 ] || ! grep -qE -- "$re" "$tmp/err"; }; then
        echo "FAIL siem-cli/$name: stderr is not one line matching /$re/: $(head -c 300 "$tmp/err" | tr '\n' '|')"
    else
        echo "PASS siem-cli/$name"
    fi
}

# --- Help and argument errors ---
bad=""
for cmd in "" up down status logs update restart export query; do
    # shellcheck disable=SC2086
    run_siem $cmd --help
    [ "$RC" = 0 ] && grep -q "^usage: tools/siem" "$tmp/out" || bad+=" '${cmd:-tools/siem}'"
done
[ -z "$bad" ] && echo "PASS siem-cli/help" || echo "FAIL siem-cli/help: --help failed for$bad"

run_siem
want usage-no-command 2 'required: COMMAND'
run_siem frobnicate
want usage-unknown-command 2 "invalid choice: 'frobnicate'"
run_siem query --since 10x
want usage-bad-duration 2 "--since: expected a duration like 30s"
run_siem query user.name
want usage-bad-field 2 "expected FIELD=VALUE, got 'user.name'"
run_siem query --limit 0
want usage-bad-limit 2 "--limit: expected a whole number"
run_siem query --since 1m --until 1h
want usage-since-until 2 "--since must reach further back than --until"
run_siem up --nats-port 70000
want usage-bad-port 2 "--nats-port: expected a port number"
run_siem up --udp-port 5514 --tcp-port 5601 --relp-port 5601
want usage-same-port 2 "--tcp-port and --relp-port both ask for tcp port 5601"
run_siem logs kernel
want usage-bad-module 2 "invalid choice: 'kernel'"
run_siem up --disk-size 12X
want usage-bad-size 2 "--disk-size: expected a size like 256M"

# --- Nothing running ---
# Seven ports free now: each section below reuses them once the last is done.
read -r p1 p2 p3 p4 p5 p6 p7 <<<"$(for _ in 1 2 3 4 5 6 7; do free_port; done | tr '\n' ' ')"
free=$p1
run_siem query --state "$tmp/none" --nats-port "$free"
want query-nothing-up 1 "^siem: cannot reach NATS at 127\.0\.0\.1:$free \(is the SIEM up\? tools/siem up\)$"
run_siem down --state "$tmp/none"
want down-nothing-up 0
grep -q "nothing to stop" "$tmp/out" || echo "FAIL siem-cli/down-nothing-up-says: stdout: $OUT"
run_siem status --state "$tmp/none"
want status-nothing-up 3
[ "$(grep -c ' stopped ' "$tmp/out")" = 5 ] || echo "FAIL siem-cli/status-nothing-up-lines: $OUT"

# --- A busy port: up refuses, naming it and the option ---
# One holder keeps a UDP and two TCP ports busy; each up finds one of them.
: >"$tmp/hold"
busy_udp=$p1 busy_tcp1=$p2 busy_tcp2=$p3 f1=$p4 f2=$p5 f3=$p6 f4=$p7
python3 -c "
import socket, sys, time
held = []
for kind, port in ((socket.SOCK_DGRAM, sys.argv[1]), (socket.SOCK_STREAM, sys.argv[2]), (socket.SOCK_STREAM, sys.argv[3])):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(('127.0.0.1', int(port)))
    if kind == socket.SOCK_STREAM:
        s.listen()
    held.append(s)
print('bound', flush=True)
time.sleep(30)" "$busy_udp" "$busy_tcp1" "$busy_tcp2" >>"$tmp/hold" &
HOLD_PID=$!
for _ in $(seq 100); do grep -q bound "$tmp/hold" && break; sleep 0.05; done
run_siem up --state "$tmp/busy" --no-build --udp-port "$busy_udp" --tcp-port "$f1" --relp-port "$f2" --nats-port "$f3"
want up-busy-udp-port 1 "^siem: udp port $busy_udp on 127\.0\.0\.1 is in use; choose another with --udp-port$"
run_siem up --state "$tmp/busy" --no-build --udp-port "$f1" --tcp-port "$f2" --relp-port "$busy_tcp1" --nats-port "$f3"
want up-busy-relp-port 1 "^siem: tcp port $busy_tcp1 on 127\.0\.0\.1 is in use; choose another with --relp-port$"
run_siem up --state "$tmp/busy" --no-build --udp-port "$f1" --tcp-port "$f2" --relp-port "$f4" --nats-port "$busy_tcp2"
want up-busy-nats-port 1 "^siem: tcp port $busy_tcp2 on 127\.0\.0\.1 is in use; choose another with --nats-port$"
kill "$HOLD_PID" 2>/dev/null || true
wait "$HOLD_PID" 2>/dev/null || true
HOLD_PID=""
[ -e "$tmp/busy/siem.json" ] && echo "FAIL siem-cli/up-busy-starts-nothing: a state file was written" ||
    echo "PASS siem-cli/up-busy-starts-nothing"

# --- The NATS client against a real nats-server in a state folder of our own ---
port=$p1
mkdir -p "$tmp/nats/js"
cat >"$tmp/nats/nats.conf" <<EOF
listen: 127.0.0.1:$port
max_payload: 8MB
ping_interval: "250ms"
ping_max: 2
jetstream { store_dir: "$tmp/nats/js" }
EOF
"$nats_server" -c "$tmp/nats/nats.conf" >"$LOGS/siem-cli-nats.log" 2>&1 &
NATS_PID=$!
for _ in $(seq 100); do grep -q "Server is ready" "$LOGS/siem-cli-nats.log" && break; sleep 0.05; done
if grep -q "Server is ready" "$LOGS/siem-cli-nats.log"; then
    python3 "$ROOT/tests/boot/siem-nats-probe.py" "$port" "$p2" || echo "FAIL siem-cli/nats-probe: exited with status $?"
else
    echo "FAIL siem-cli/nats-server: it did not start; see $LOGS/siem-cli-nats.log"
fi
kill -TERM "$NATS_PID"
wait "$NATS_PID" 2>/dev/null || true
NATS_PID=""
