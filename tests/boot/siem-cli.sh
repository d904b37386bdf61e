#!/usr/bin/env bash
# The SIEM's operator tool, tools/siem, and its NATS client, without the
# module images: help and argument errors, a query with nothing running, a
# busy port, the client against a real nats-server of the test's own, and
# up/status/query/logs/down with a stand-in for QEMU that plays the modules.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

siem=$ROOT/tools/siem
fake_qemu=$ROOT/tests/boot/siem-fake-qemu.py
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
    "$siem" down --state "$tmp/st" >/dev/null 2>&1 || true
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

# --- up/status/query/logs/down with QEMU played by $fake_qemu ---
mkdir -p "$tmp/img"
images=()
for m in normaliser correlator store manager; do
    echo "not an image" >"$tmp/img/siem-$m.elf"
    images+=(--image "$m=$tmp/img/siem-$m.elf")
done
np=$p4 up_=$p5 tp=$p6 rp=$p7 wp=$p2
ports=(--nats-port "$np" --udp-port "$up_" --tcp-port "$tp" --relp-port "$rp" --web-port "$wp")
export QEMU=$fake_qemu
SIEM_FAKE_CRASH_FILE=$tmp/crash run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}" --disk-size 1M --timeout 20 \
    --crash-limit 3 --crash-window 60
want up 0
expected="endpoint syslog-udp 127.0.0.1:$up_
endpoint syslog-tcp 127.0.0.1:$tp
endpoint relp 127.0.0.1:$rp
endpoint nats 127.0.0.1:$np
endpoint web 127.0.0.1:$wp"
[ "$(head -n 5 <<<"$OUT")" = "$expected" ] && grep -qE '^token [0-9a-f]{32}$' <<<"$(tail -n 1 <<<"$OUT")" &&
    [ "$(wc -l <<<"$OUT")" = 6 ] && echo "PASS siem-cli/up-endpoints" || echo "FAIL siem-cli/up-endpoints: stdout: $(echo "$OUT" | tr '\n' '|')"
[ "$(stat -c %s "$tmp/st/store.img" 2>/dev/null)" = 1048576 ] && echo "PASS siem-cli/up-disk" ||
    echo "FAIL siem-cli/up-disk: $tmp/st/store.img is not a 1 MiB file"
if grep -q "hostfwd=udp:127.0.0.1:$up_-:514,hostfwd=tcp:127.0.0.1:$tp-:601,hostfwd=tcp:127.0.0.1:$rp-:2514" "$tmp/st/logs/normaliser.log" &&
    grep -q -- "-append -- nats=10.0.2.2:$np " "$tmp/st/logs/store.log" && grep -q -- "-drive file=$tmp/st/store.img" "$tmp/st/logs/store.log"; then
    echo "PASS siem-cli/up-qemu-args"
else
    echo "FAIL siem-cli/up-qemu-args: see $tmp/st/logs (normaliser.log, store.log)"
fi

run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}"
want up-twice 1 "^siem: already up \(supervisor, nats, normaliser, correlator, store, manager running"

run_siem status --state "$tmp/st"
want status 0
[ "$(grep -cE '^(normaliser|correlator|store|manager) +running +pid [0-9]+ +version 0\.1\.0-fake +uptime [0-9]+s +restarts 0 beats=[0-9]+ queue\.depth=0$' "$tmp/out")" = 4 ] &&
    grep -qE "^nats +running +pid [0-9]+ +127\.0\.0\.1:$np nats-server [0-9.]+ jetstream restarts 0$" "$tmp/out" &&
    grep -qE "^supervisor +running +pid [0-9]+$" "$tmp/out" &&
    echo "PASS siem-cli/status-lines" || echo "FAIL siem-cli/status-lines: $(echo "$OUT" | tr '\n' '|')"
run_siem status --state "$tmp/st" --json
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert all(r[n]['running'] for n in ('nats', 'normaliser', 'correlator', 'store')), r
assert r['store']['heartbeat']['module'] == 'store' and r['nats']['jetstream'], r
" "$tmp/out" 2>"$tmp/py" && echo "PASS siem-cli/status-json" || echo "FAIL siem-cli/status-json: $(tail -n 1 "$tmp/py")"

run_siem query --state "$tmp/st" --since 10m --until 30s user.name=root source.ip=10.1.2.3 --text Failed --limit 5
want query 0
python3 -c "
import json, sys, time
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2 and all(' ' not in l for l in lines), lines
req = json.loads(lines[0])['request']
now = time.time()
assert req['kind'] == 'events' and abs(req['since'] - (now - 600)) < 30 and abs(req['until'] - (now - 30)) < 30, req
assert req['fields'] == {'user.name': 'root', 'source.ip': '10.1.2.3'} and req['text'] == 'Failed' and req['limit'] == 5, req
assert json.loads(lines[1]) == {'n': 1}
" "$tmp/out" 2>"$tmp/py" && echo "PASS siem-cli/query-request" || echo "FAIL siem-cli/query-request: $(tail -n 1 "$tmp/py")"
run_siem query --state "$tmp/st" --alerts
grep -q '"kind":"alerts"' "$tmp/out" && echo "PASS siem-cli/query-alerts" || echo "FAIL siem-cli/query-alerts: $OUT"
run_siem query --state "$tmp/st" --text boom
want query-error-reply 1 "^siem: the store refused the query: bad query: boom$"
run_siem query --state "$tmp/st" --limit 1
want query-truncated 0 "more than --limit 1 matches"

# Supervision: a module killed comes back; one that keeps crashing is left
# stopped as crash-looping (status and siem.supervisor.status say so) until
# restart; update boots another image and status shows its version.
field() {
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['components']['$1'].get('$2'))" "$tmp/st/siem.json"
}
wait_state() { # MODULE STATE: wait (30 s) for it in the state file
    for _ in $(seq 300); do [ "$(field "$1" state)" = "$2" ] && return 0; sleep 0.1; done
    return 1
}
echo correlator >"$tmp/crash"
kill -9 "$(field correlator pid)"
if wait_state correlator crash-looping; then
    match siem-cli/crash-looping "$("$siem" status --state "$tmp/st")" "^correlator +crash-looping +- .*restarts 2 last exit: panic"
else
    echo "FAIL siem-cli/crash-looping: correlator is $(field correlator state); see $tmp/st/logs/supervisor.log"
fi
"$ROOT/tools/siem_nats.py" --server "127.0.0.1:$np" sub siem.supervisor.status --count 1 --timeout 5 >"$tmp/sup" 2>&1 || true
grep -q '"name": *"correlator", *"state": *"crash-looping"' "$tmp/sup" && echo "PASS siem-cli/supervisor-status-subject" ||
    echo "FAIL siem-cli/supervisor-status-subject: $(head -c 300 "$tmp/sup")"
rm "$tmp/crash"
run_siem restart --state "$tmp/st" correlator
want restart 0
wait_state correlator running && echo "PASS siem-cli/restart-running" || echo "FAIL siem-cli/restart-running: $(field correlator state)"
mkdir -p "$tmp/img9"
echo "version=9.9.9-fake" >"$tmp/img9/siem-store.elf"
run_siem update --state "$tmp/st" store "$tmp/img9/siem-store.elf" --timeout 20
want update 0
match siem-cli/update-status "$("$siem" status --state "$tmp/st")" "^store +running +pid [0-9]+ +version 9\.9\.9-fake "

run_siem logs store --state "$tmp/st"
want logs 0
grep -q "^store: connected to nats" "$tmp/out" && echo "PASS siem-cli/logs-content" || echo "FAIL siem-cli/logs-content: $OUT"

pids=$(python3 -c "import json,sys; print(' '.join(str(c['pid']) for c in json.load(open(sys.argv[1]))['components'].values()))" "$tmp/st/siem.json")
run_siem down --state "$tmp/st"
want down 0
[ "$(echo "$OUT" | sed -E 's/ \(pid [0-9]+\)$//' | tr '\n' '|')" = "stopped normaliser|stopped manager|stopped correlator|stopped store|stopped nats|" ] &&
    echo "PASS siem-cli/down-order" || echo "FAIL siem-cli/down-order: $(echo "$OUT" | tr '\n' '|')"
left=""
for p in $pids; do # a zombie awaiting its reaper counts as gone
    [ -r "/proc/$p/stat" ] && ! sed -E 's/^.*\) //' "/proc/$p/stat" | grep -q '^Z' && left+=" $p"
done
pgrep -f "$fake_qemu.*$tmp/img" >/dev/null && left+=" (a fake QEMU)"
[ -z "$left" ] && echo "PASS siem-cli/down-stops-all" || echo "FAIL siem-cli/down-stops-all: still running:$left"
run_siem down --state "$tmp/st"
want down-twice 0

# A module that dies before its first heartbeat: up fails, naming it and
# showing its console, and leaves nothing running.
SIEM_FAKE_CRASH=correlator run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}" --timeout 20
if [ "$RC" = 1 ] && grep -q "^siem: the correlator module exited with status 120 (panic) before its first heartbeat" "$tmp/err" &&
    grep -q "^  panic: fake correlator crash" "$tmp/err"; then
    echo "PASS siem-cli/up-module-dies"
else
    echo "FAIL siem-cli/up-module-dies: status $RC; stderr: $(tail -n 4 "$tmp/err" | tr '\n' '|')"
fi
run_siem status --state "$tmp/st"
[ "$(grep -cE ' (stopped|exited) ' "$tmp/out")" = 6 ] && echo "PASS siem-cli/up-failure-cleans-up" ||
    echo "FAIL siem-cli/up-failure-cleans-up: $(echo "$OUT" | tr '\n' '|')"

# A module that never beats: up gives up after --timeout, naming it.
SIEM_FAKE_SILENT=store run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}" --timeout 5
if [ "$RC" = 1 ] && grep -q "^siem: no heartbeat from store within 5 s (--timeout); last lines of $tmp/st/logs/store.log:" "$tmp/err" &&
    grep -q "^  store: silent" "$tmp/err"; then
    echo "PASS siem-cli/up-no-heartbeat"
else
    echo "FAIL siem-cli/up-no-heartbeat: status $RC; stderr: $(tail -n 4 "$tmp/err" | tr '\n' '|')"
fi
pgrep -f "$fake_qemu.*$tmp/img" >/dev/null && echo "FAIL siem-cli/up-timeout-cleans-up: a fake QEMU still runs" ||
    echo "PASS siem-cli/up-timeout-cleans-up"
