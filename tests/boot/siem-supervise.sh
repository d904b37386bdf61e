#!/usr/bin/env bash
# tools/siem's supervisor without the module images, with a stand-in for
# QEMU that plays the modules (siem-fake-qemu.py): up's endpoints, token and
# QEMU arguments, status, query, logs, restart after kill -9, a module that
# keeps crashing left crash-looping (status, siem.supervisor.status),
# restart, update, down's order, and up failing cleanly. The real images
# run under the supervisor in siem-ops.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

siem=$ROOT/tools/siem
fake_qemu=$ROOT/tests/boot/siem-fake-qemu.py
for tool in python3 nats-server; do
    if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
        echo "FAIL siem-supervise: $tool is missing (tools/bootstrap.sh installs it)"
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
        echo "FAIL siem-supervise/$name: exit status $RC, expected $rc; stderr: $(head -c 300 "$tmp/err" | tr '\n' '|')"
    elif grep -q Traceback "$tmp/err"; then
        echo "FAIL siem-supervise/$name: a Python traceback: $(tail -n 1 "$tmp/err")"
    elif [ -n "$re" ] && { [ "$(wc -l <"$tmp/err")" != 1 ] || ! grep -qE -- "$re" "$tmp/err"; }; then
        echo "FAIL siem-supervise/$name: stderr is not one line matching /$re/: $(head -c 300 "$tmp/err" | tr '\n' '|')"
    else
        echo "PASS siem-supervise/$name"
    fi
}

read -r p1 p2 p3 p4 p5 p6 p7 <<<"$(for _ in 1 2 3 4 5 6 7; do free_port; done | tr '\n' ' ')"

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
    [ "$(wc -l <<<"$OUT")" = 6 ] && echo "PASS siem-supervise/up-endpoints" || echo "FAIL siem-supervise/up-endpoints: stdout: $(echo "$OUT" | tr '\n' '|')"
[ "$(stat -c %s "$tmp/st/store.img" 2>/dev/null)" = 1048576 ] && echo "PASS siem-supervise/up-disk" ||
    echo "FAIL siem-supervise/up-disk: $tmp/st/store.img is not a 1 MiB file"
if grep -q "hostfwd=udp:127.0.0.1:$up_-:514,hostfwd=tcp:127.0.0.1:$tp-:601,hostfwd=tcp:127.0.0.1:$rp-:2514" "$tmp/st/logs/normaliser.log" &&
    grep -q -- "-append -- nats=10.0.2.2:$np " "$tmp/st/logs/store.log" && grep -q -- "-drive file=$tmp/st/store.img" "$tmp/st/logs/store.log"; then
    echo "PASS siem-supervise/up-qemu-args"
else
    echo "FAIL siem-supervise/up-qemu-args: see $tmp/st/logs (normaliser.log, store.log)"
fi

run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}"
want up-twice 1 "^siem: already up \(supervisor, nats, normaliser, correlator, store, manager running"

run_siem status --state "$tmp/st"
want status 0
[ "$(grep -cE '^(normaliser|correlator|store|manager) +running +pid [0-9]+ +version 0\.1\.0-fake +uptime [0-9]+s +restarts 0 beats=[0-9]+ queue\.depth=0$' "$tmp/out")" = 4 ] &&
    grep -qE "^nats +running +pid [0-9]+ +127\.0\.0\.1:$np nats-server [0-9.]+ jetstream restarts 0$" "$tmp/out" &&
    grep -qE "^supervisor +running +pid [0-9]+$" "$tmp/out" &&
    echo "PASS siem-supervise/status-lines" || echo "FAIL siem-supervise/status-lines: $(echo "$OUT" | tr '\n' '|')"
run_siem status --state "$tmp/st" --json
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert all(r[n]['running'] for n in ('nats', 'normaliser', 'correlator', 'store')), r
assert r['store']['heartbeat']['module'] == 'store' and r['nats']['jetstream'], r
" "$tmp/out" 2>"$tmp/py" && echo "PASS siem-supervise/status-json" || echo "FAIL siem-supervise/status-json: $(tail -n 1 "$tmp/py")"

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
" "$tmp/out" 2>"$tmp/py" && echo "PASS siem-supervise/query-request" || echo "FAIL siem-supervise/query-request: $(tail -n 1 "$tmp/py")"
run_siem query --state "$tmp/st" --alerts
grep -q '"kind":"alerts"' "$tmp/out" && echo "PASS siem-supervise/query-alerts" || echo "FAIL siem-supervise/query-alerts: $OUT"
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
    match siem-supervise/crash-looping "$("$siem" status --state "$tmp/st")" "^correlator +crash-looping +- .*restarts 2 last exit: panic"
else
    echo "FAIL siem-supervise/crash-looping: correlator is $(field correlator state); see $tmp/st/logs/supervisor.log"
fi
"$ROOT/tools/siem_nats.py" --server "127.0.0.1:$np" sub siem.supervisor.status --count 1 --timeout 5 >"$tmp/sup" 2>&1 || true
grep -q '"name": *"correlator", *"state": *"crash-looping"' "$tmp/sup" && echo "PASS siem-supervise/supervisor-status-subject" ||
    echo "FAIL siem-supervise/supervisor-status-subject: $(head -c 300 "$tmp/sup")"
rm "$tmp/crash"
run_siem restart --state "$tmp/st" correlator
want restart 0
wait_state correlator running && echo "PASS siem-supervise/restart-running" || echo "FAIL siem-supervise/restart-running: $(field correlator state)"
mkdir -p "$tmp/img9"
echo "version=9.9.9-fake" >"$tmp/img9/siem-store.elf"
run_siem update --state "$tmp/st" store "$tmp/img9/siem-store.elf" --timeout 20
want update 0
match siem-supervise/update-status "$("$siem" status --state "$tmp/st")" "^store +running +pid [0-9]+ +version 9\.9\.9-fake "

run_siem logs store --state "$tmp/st"
want logs 0
grep -q "^store: connected to nats" "$tmp/out" && echo "PASS siem-supervise/logs-content" || echo "FAIL siem-supervise/logs-content: $OUT"

pids=$(python3 -c "import json,sys; print(' '.join(str(c['pid']) for c in json.load(open(sys.argv[1]))['components'].values()))" "$tmp/st/siem.json")
run_siem down --state "$tmp/st"
want down 0
[ "$(echo "$OUT" | sed -E 's/ \(pid [0-9]+\)$//' | tr '\n' '|')" = "stopped normaliser|stopped manager|stopped correlator|stopped store|stopped nats|" ] &&
    echo "PASS siem-supervise/down-order" || echo "FAIL siem-supervise/down-order: $(echo "$OUT" | tr '\n' '|')"
left=""
for p in $pids; do # a zombie awaiting its reaper counts as gone
    [ -r "/proc/$p/stat" ] && ! sed -E 's/^.*\) //' "/proc/$p/stat" | grep -q '^Z' && left+=" $p"
done
pgrep -f "$fake_qemu.*$tmp/img" >/dev/null && left+=" (a fake QEMU)"
[ -z "$left" ] && echo "PASS siem-supervise/down-stops-all" || echo "FAIL siem-supervise/down-stops-all: still running:$left"
run_siem down --state "$tmp/st"
want down-twice 0

# A module that dies before its first heartbeat: up fails, naming it and
# showing its console, and leaves nothing running.
SIEM_FAKE_CRASH=correlator run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}" --timeout 20
if [ "$RC" = 1 ] && grep -q "^siem: the correlator module exited with status 120 (panic) before its first heartbeat" "$tmp/err" &&
    grep -q "^  panic: fake correlator crash" "$tmp/err"; then
    echo "PASS siem-supervise/up-module-dies"
else
    echo "FAIL siem-supervise/up-module-dies: status $RC; stderr: $(tail -n 4 "$tmp/err" | tr '\n' '|')"
fi
run_siem status --state "$tmp/st"
[ "$(grep -cE ' (stopped|exited) ' "$tmp/out")" = 6 ] && echo "PASS siem-supervise/up-failure-cleans-up" ||
    echo "FAIL siem-supervise/up-failure-cleans-up: $(echo "$OUT" | tr '\n' '|')"

# A module that never beats: up gives up after --timeout, naming it.
SIEM_FAKE_SILENT=store run_siem up --state "$tmp/st" "${ports[@]}" "${images[@]}" --timeout 5
if [ "$RC" = 1 ] && grep -q "^siem: no heartbeat from store within 5 s (--timeout); last lines of $tmp/st/logs/store.log:" "$tmp/err" &&
    grep -q "^  store: silent" "$tmp/err"; then
    echo "PASS siem-supervise/up-no-heartbeat"
else
    echo "FAIL siem-supervise/up-no-heartbeat: status $RC; stderr: $(tail -n 4 "$tmp/err" | tr '\n' '|')"
fi
pgrep -f "$fake_qemu.*$tmp/img" >/dev/null && echo "FAIL siem-supervise/up-timeout-cleans-up: a fake QEMU still runs" ||
    echo "PASS siem-supervise/up-timeout-cleans-up"
