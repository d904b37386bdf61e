#!/usr/bin/env bash
# tools/siem's supervisor with the real images and nats-server: up's
# endpoints, token, disk and the QEMU command lines; up twice; status and
# its JSON; the store's refusal and --limit's note through query; a module
# whose QEMU is killed with SIGKILL again and again left stopped as
# crash-looping (status and siem.supervisor.status say so) until restart;
# update to another version; logs; down's order, leaving nothing running;
# up failing cleanly when a module exits before its first heartbeat (the
# correlator given rules=module and no boot module: bad arguments) and when
# one never beats (the store sent to a port where no NATS listens), both
# through `up --arg`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-supervise
V=9.9.9-sup
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
img=$ROOT/build/tests/$T-images
mkdir -p "$img"
build_target $T-correlator-$V APP=siem/correlator SIEM_VERSION=$V || exit 0
cp "$ROOT/build/siem-correlator/siem-correlator.elf" "$img/siem-correlator.elf"
siem_build $T || exit 0
trap siem_cleanup EXIT

# run_siem ARGS...: tools/siem on this test's state folder; $RC, $OUT
# (stdout), stderr in $SIEM_STATE/err.
run_siem() {
    local cmd=$1
    shift
    set +e
    "$SIEM" "$cmd" --state "$SIEM_STATE" "$@" >"$SIEM_STATE/out" 2>"$SIEM_STATE/err" </dev/null
    RC=$?
    set -e
    OUT=$(cat "$SIEM_STATE/out")
}

# want NAME RC [ERR_REGEX]: the last run_siem exited with RC and, when a
# regex is given, printed one line on stderr matching it.
want() {
    local name=$1 rc=$2 re=${3:-} err=$SIEM_STATE/err
    if [ "$RC" != "$rc" ]; then
        fail "$T/$name" "exit status $RC, expected $rc; stderr: $(head -c 300 "$err" | tr '\n' '|')"
    elif grep -q Traceback "$err"; then
        fail "$T/$name" "a Python traceback: $(tail -n 1 "$err")"
    elif [ -n "$re" ] && { [ "$(wc -l <"$err")" != 1 ] || ! grep -qE -- "$re" "$err"; }; then
        fail "$T/$name" "stderr is not one line matching /$re/: $(head -c 300 "$err" | tr '\n' '|')"
    else
        pass "$T/$name"
    fi
}

# field MODULE KEY: the module's record in the state file.
field() { siem_json "st['components']['$1'].get('$2')"; }

# wait_state MODULE STATE: wait (60 s) until the state file says so.
wait_state() {
    for _ in $(seq 600); do [ "$(field "$1" state)" = "$2" ] && return 0; sleep 0.1; done
    return 1
}

# ours_left: any QEMU booted against this test's nats-server, or that
# nats-server, still running ("PID COMMAND..." lines).
ours_left() { pgrep -af -- "nats=10\.0\.2\.2:$SIEM_NATS( |\$)|$SIEM_STATE/nats\.conf" || :; }

# qemu_args MODULE: the running QEMU's own command line, one line.
qemu_args() { tr '\0' ' ' <"/proc/$(siem_qemu_pid "$1")/cmdline"; }

# --- up ---
siem_up $T --disk-size 1M --crash-limit 3 --crash-window 60 || exit 0
siem_remember_groups
OUT=$(cat "$SIEM_STATE/up.out")
expected="endpoint syslog-udp 127.0.0.1:$SIEM_UDP
endpoint syslog-tcp 127.0.0.1:$SIEM_TCP
endpoint relp 127.0.0.1:$SIEM_RELP
endpoint nats 127.0.0.1:$SIEM_NATS"
[[ " $SIEM_MODULES " == *" manager "* ]] && expected+=$'\n'"endpoint web 127.0.0.1:$SIEM_WEB"
n=$(($(wc -l <<<"$expected") + 2)) # and the token and read-token lines
[ "$(head -n $((n - 2)) <<<"$OUT")" = "$expected" ] && [[ "$SIEM_TOKEN" =~ ^[0-9a-f]{32}$ ]] &&
    [[ "$SIEM_READ_TOKEN" =~ ^[0-9a-f]{32}$ ]] && [ "$SIEM_READ_TOKEN" != "$SIEM_TOKEN" ] &&
    [ "$(wc -l <<<"$OUT")" = $n ] && pass $T/up-endpoints || fail $T/up-endpoints "stdout: $(tr '\n' '|' <<<"$OUT")"
[ "$(stat -c %s "$SIEM_STATE/store.img" 2>/dev/null)" = 1048576 ] && pass $T/up-disk ||
    fail $T/up-disk "$SIEM_STATE/store.img is not a 1 MiB file"
match $T/up-qemu-args-normaliser "$(qemu_args normaliser)" \
    "hostfwd=udp:127\.0\.0\.1:$SIEM_UDP-:514,hostfwd=tcp:127\.0\.0\.1:$SIEM_TCP-:601,hostfwd=tcp:127\.0\.0\.1:$SIEM_RELP-:2514" \
    "-append -- nats=10\.0\.2\.2:$SIEM_NATS( |$)" "-m 128M "
match $T/up-qemu-args-store "$(qemu_args store)" "-drive file=$SIEM_STATE/store\.img," \
    "-append -- nats=10\.0\.2\.2:$SIEM_NATS( |$)" "-kernel [^ ]*/build/siem-store/siem-store\.elf "
log_has $T/store-formatted "$SIEM_STATE/logs/store.log" '^store: formatted a blank disk' '^store: ready'

run_siem up --nats-port "$SIEM_NATS"
want up-twice 1 "^siem: already up \(supervisor, nats, $(echo $SIEM_MODULES | sed 's/ /, /g') running"

# --- status, query ---
run_siem status
want status 0
[ "$(grep -cE '^(normaliser|correlator|store|manager) +running +pid [0-9]+ +version 0\.1\.0 +uptime [0-9]+s +restarts 0 [a-z_]+=' <<<"$OUT")" = "$(echo $SIEM_MODULES | wc -w)" ] &&
    grep -qE "^nats +running +pid [0-9]+ +127\.0\.0\.1:$SIEM_NATS nats-server [0-9.]+ jetstream restarts 0$" <<<"$OUT" &&
    grep -qE "^supervisor +running +pid [0-9]+$" <<<"$OUT" && pass $T/status-lines ||
    fail $T/status-lines "$(tr '\n' '|' <<<"$OUT")"
run_siem status --json
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert all(r[n]['running'] for n in ['nats'] + sys.argv[2:]), r
assert r['store']['heartbeat']['module'] == 'store' and r['nats']['jetstream'], r
assert r['store']['image'].endswith('/build/siem-store/siem-store.elf'), r['store']['image']
" "$SIEM_STATE/out" $SIEM_MODULES 2>"$SIEM_STATE/py" && pass $T/status-json || fail $T/status-json "$(tail -n 1 "$SIEM_STATE/py")"

token=s$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
siem_load flood tcp "$SIEM_TCP" --count 3 --token "$token" >/dev/null
siem_probe wait --text "$token" --count 3 --timeout 60 >/dev/null || fail $T/query-setup "3 events not stored"
run_siem query --text "$token" --limit 1
want query-truncated 0 "more than --limit 1 matches"
[ "$(wc -l <<<"$OUT")" = 1 ] && grep -q "load $token 2 " <<<"$OUT" && pass $T/query-newest ||
    fail $T/query-newest "$OUT"
# A field name the store refuses (the tool passes names through).
run_siem query "$(printf 'f%.0s' $(seq 1 300))=x"
want query-error-reply 1 "^siem: the store refused the query: fields: a name must have 1\.\.255 characters$"

# --- Supervision: kill -9 until crash-looping, restart, update ---
for i in 1 2 3; do
    pid=$(field correlator pid)
    [ "$pid" != None ] && kill -9 "$pid"
    [ $i = 3 ] && break
    # Wait for the restart (a new QEMU), then kill that one too.
    for _ in $(seq 600); do
        p=$(field correlator pid)
        [ "$p" != None ] && [ "$p" != "$pid" ] && break
        sleep 0.1
    done
done
if wait_state correlator crash-looping; then
    match $T/crash-looping "$("$SIEM" status --state "$SIEM_STATE")" \
        "^correlator +crash-looping +- .*restarts 2 last exit: killed by signal 9 \(SIGKILL\)"
else
    fail $T/crash-looping "correlator is $(field correlator state); see $SIEM_STATE/logs/supervisor.log"
fi
"$ROOT/tools/siem_nats.py" --server "127.0.0.1:$SIEM_NATS" sub siem.supervisor.status --count 1 --timeout 5 \
    >"$SIEM_STATE/sup" 2>&1 || true
python3 -c "
import json, sys
line = [l for l in open(sys.argv[1]) if '{' in l][0]
mods = {m['name']: m for m in json.loads(line[line.index('{'):])['modules']}
c = mods['correlator']
assert c['state'] == 'crash-looping' and c['last_exit'] == 'killed by signal 9 (SIGKILL)' and c['last_exit_status'] == -9, c
assert mods['store']['state'] == 'running', mods['store']
" "$SIEM_STATE/sup" 2>"$SIEM_STATE/py" && pass $T/supervisor-status-subject ||
    fail $T/supervisor-status-subject "$(tail -n 1 "$SIEM_STATE/py"); $(head -c 300 "$SIEM_STATE/sup")"
grep -q "^--- siem supervisor: restart 2 at .* after killed by signal 9 (SIGKILL) ---" "$SIEM_STATE/logs/correlator.log" &&
    pass $T/restart-banner || fail $T/restart-banner "no restart banner in $SIEM_STATE/logs/correlator.log"

run_siem restart correlator
want restart 0
wait_state correlator running && pass $T/restart-running || fail $T/restart-running "$(field correlator state)"

run_siem update correlator "$img/siem-correlator.elf" --timeout 60
want update 0
match $T/update-stop-first "$OUT" \
    "^updated correlator to version ${V//./\\.} \(pid [0-9]+\) in [0-9.]+ s; unavailable for [0-9.]+ s$"
match $T/update-status "$("$SIEM" status --state "$SIEM_STATE")" "^correlator +running +pid [0-9]+ +version ${V//./\\.} "
siem_remember_groups

run_siem logs store
want logs 0
grep -q "^store: ready" <<<"$OUT" && pass $T/logs-content || fail $T/logs-content "no 'store: ready' in $(head -c 200 <<<"$OUT")"

# --- down ---
run_siem down
want down 0
order="stopped normaliser|"
[[ " $SIEM_MODULES " == *" manager "* ]] && order+="stopped manager|"
order+="stopped correlator|stopped store|stopped nats|"
[ "$(sed -E 's/ \(pid [0-9]+\)$//' <<<"$OUT" | tr '\n' '|')" = "$order" ] && pass $T/down-order ||
    fail $T/down-order "$(tr '\n' '|' <<<"$OUT")"
left=$(siem_group_left; ours_left)
[ -z "$left" ] && pass $T/down-stops-all || fail $T/down-stops-all "still running: $(tr '\n' ' ' <<<"$left")"
run_siem down
want down-twice 0

# --- up failing: a module exits with bad arguments, or never beats ---
ports=(--no-build --udp-port "$SIEM_UDP" --tcp-port "$SIEM_TCP" --relp-port "$SIEM_RELP" --nats-port "$SIEM_NATS"
    --web-port "$SIEM_WEB")
run_siem up "${ports[@]}" --arg correlator=rules=module --timeout 120
if [ "$RC" = 1 ] && grep -q "^siem: the correlator module exited with status 2 (bad arguments) before its first heartbeat" "$SIEM_STATE/err" &&
    grep -q "^  correlator: rules=module but no boot module was given" "$SIEM_STATE/err"; then
    pass $T/up-module-dies
else
    fail $T/up-module-dies "status $RC; stderr: $(tail -n 4 "$SIEM_STATE/err" | tr '\n' '|')"
fi
run_siem status
left=$(ours_left)
[ "$(grep -cE ' (stopped|exited) ' <<<"$OUT")" = $(($(echo $SIEM_MODULES | wc -w) + 2)) ] && [ -z "$left" ] &&
    pass $T/up-failure-cleans-up || fail $T/up-failure-cleans-up "$(tr '\n' '|' <<<"$OUT"); still running: $left"

run_siem up "${ports[@]}" --arg store=nats=10.0.2.2:1 --timeout 10
if [ "$RC" = 1 ] && grep -q "^siem: no heartbeat from store within 10 s (--timeout); last lines of $SIEM_STATE/logs/store.log:" "$SIEM_STATE/err" &&
    grep -q "^  bus: cannot reach NATS at 10.0.2.2:1; retrying" "$SIEM_STATE/err"; then
    pass $T/up-no-heartbeat
else
    fail $T/up-no-heartbeat "status $RC; stderr: $(tail -n 4 "$SIEM_STATE/err" | tr '\n' '|')"
fi
left=$(ours_left)
[ -z "$left" ] && pass $T/up-timeout-cleans-up || fail $T/up-timeout-cleans-up "still running: $(tr '\n' ' ' <<<"$left")"
