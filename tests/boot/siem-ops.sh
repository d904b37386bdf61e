#!/usr/bin/env bash
# The SIEM under tools/siem's supervisor, with the real images: a module's
# QEMU killed with SIGKILL is back within a few seconds while the others
# keep working; nats-server stopped and started again is reconnected to by
# every module and nothing it acknowledged is lost; `tools/siem update`
# replaces the store with an image of another SIEM_VERSION while events
# flow, and status shows the new version. Events are sent over RELP by
# siem-relp-send.py, which retransmits what was not acknowledged.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

siem=$ROOT/tools/siem
send=$ROOT/tests/boot/siem-relp-send.py
tmp=$(mktemp -d)
st=$tmp/st
cleanup() {
    "$siem" down --state "$st" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap 'cleanup; stop_bg' EXIT

# The update's image first (the same app, another SIEM_VERSION), then the
# images up boots.
build_target siem-store-2 APP=siem/store SIEM_VERSION=2.0.0-ops || exit 0
cp "$ROOT/build/siem-store/siem-store.elf" "$tmp/siem-store-2.elf"
for m in normaliser correlator store manager; do build_app "siem/$m" || exit 0; done

read -r np up_ tp rp wp <<<"$(for _ in 1 2 3 4 5; do free_port; done | tr '\n' ' ')"
if ! "$siem" up --state "$st" --no-build --nats-port "$np" --udp-port "$up_" --tcp-port "$tp" --relp-port "$rp" --web-port "$wp" \
    --timeout 120 >"$tmp/up.out" 2>"$LOGS/siem-ops-up.err"; then
    echo "FAIL siem-ops/up: $(tail -n 5 "$LOGS/siem-ops-up.err" | tr '\n' '|')"
    exit 0
fi
echo "PASS siem-ops/up"

# field MODULE KEY: a value of the module's record in `status --json`.
field() {
    "$siem" status --state "$st" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'].get('$2'))"
}

# stored TAG N: wait (60 s) until the store holds N distinct records TAG-n.
stored() {
    local n=0
    for _ in $(seq 120); do
        n=$("$siem" query --state "$st" --text "$1-" --limit 1000 2>/dev/null |
            python3 -c "import json,sys; print(len({json.loads(l)['message'] for l in sys.stdin}))")
        [ "$n" = "$2" ] && return 0
        sleep 0.5
    done
    STORED=$n
    return 1
}

# back MODULE OLDPID: wait (60 s) until the supervisor runs MODULE again
# under another pid and it has sent a heartbeat.
back() {
    for _ in $(seq 120); do
        if [ "$(field "$1" state)" = running ] && [ "$(field "$1" pid)" != "$2" ] && [ "$(field "$1" pid)" != None ]; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# web_answers: the manager's web UI answers (its page and /api/modules,
# with the read token up printed).
web_answers() {
    curl -sf -o /dev/null --max-time 10 "http://127.0.0.1:$wp/" &&
        curl -sf -o /dev/null --max-time 10 -H "Authorization: Bearer $(sed -n 's/^read-token //p' "$tmp/up.out")" \
            "http://127.0.0.1:$wp/api/modules"
}

# --- kill -9 each module's QEMU in turn ---
for m in correlator store normaliser manager; do
    pid=$(field "$m" pid)
    restarts=$(field "$m" restarts)
    kill -9 "$pid"
    # Meanwhile the others work: events sent now are acknowledged (the
    # normaliser's once it is back: the sender retransmits) and stored, and
    # the web UI answers (the manager's own once it is back).
    python3 "$send" "$rp" "kill-$m" 0 20 --timeout 90 >"$tmp/send.out" 2>&1 ||
        echo "FAIL siem-ops/kill-$m-events: $(cat "$tmp/send.out")"
    if [ "$m" != manager ]; then
        web_answers && echo "PASS siem-ops/kill-$m-web-answers" ||
            echo "FAIL siem-ops/kill-$m-web-answers: the manager did not answer while the $m was down"
    fi
    if back "$m" "$pid"; then
        r=$(field "$m" restarts)
        check "siem-ops/kill-$m-back" "$([ "$r" = $((restarts + 1)) ]; echo $?)" "restarts $r, expected $((restarts + 1))"
    else
        echo "FAIL siem-ops/kill-$m-back: $(field "$m" state) after 60 s; see $st/logs/supervisor.log"
    fi
    match "siem-ops/kill-$m-exit-words" "$("$siem" status --state "$st")" "^$m +running .*last exit: killed by signal 9 \(SIGKILL\)"
    if stored "kill-$m" 20; then echo "PASS siem-ops/kill-$m-events-stored"; else
        echo "FAIL siem-ops/kill-$m-events-stored: $STORED of 20 in the store"
    fi
    if [ "$m" = manager ]; then
        web_answers && echo "PASS siem-ops/kill-manager-web-back" ||
            echo "FAIL siem-ops/kill-manager-web-back: the restarted manager does not answer"
    fi
done

# --- nats-server stopped and started again ---
python3 "$send" "$rp" before-nats 0 40 --timeout 60 >/dev/null || echo "FAIL siem-ops/nats-before: not all acknowledged"
npid=$(field nats pid)
kill -TERM "$npid" # the supervisor starts it again after its backoff
python3 "$send" "$rp" after-nats 0 20 --timeout 90 >"$tmp/send.out" 2>&1 ||
    echo "FAIL siem-ops/nats-after-send: $(cat "$tmp/send.out")"
back nats "$npid" || echo "FAIL siem-ops/nats-back: nats-server was not started again"
if stored before-nats 40 && stored after-nats 20; then echo "PASS siem-ops/nats-restart-nothing-lost"; else
    echo "FAIL siem-ops/nats-restart-nothing-lost: $STORED records found; see $st/logs"
fi
# Every module's next heartbeats (every 2 s) count the reconnection; the
# supervisor records the newest one. Look for up to 30 s.
reconnected=False
for _ in $(seq 1 30); do
    reconnected=$("$siem" status --state "$st" --json | python3 -c "
import json, sys
r = json.load(sys.stdin)
print(all((r[m].get('heartbeat') or {}).get('counters', {}).get('bus_reconnects', 0) >= 1
          for m in ('normaliser', 'correlator', 'store', 'manager')))")
    [ "$reconnected" = True ] && break
    sleep 1
done
check siem-ops/nats-restart-reconnected "$([ "$reconnected" = True ]; echo $?)" "a module reports bus_reconnects=0"

# --- update the store while events flow ---
BG_INPUT=/dev/null run_bg "$tmp/flow.out" python3 "$send" "$rp" flow 0 150 --interval 0.02 --timeout 120
flow_pid=$BG_PID
sleep 1
if "$siem" update --state "$st" store "$tmp/siem-store-2.elf" >"$tmp/update.out" 2>"$LOGS/siem-ops-update.err"; then
    match siem-ops/update "$(cat "$tmp/update.out")" "^updated store to version 2\.0\.0-ops \(pid [0-9]+\) .*unavailable for [0-9.]+ s"
else
    echo "FAIL siem-ops/update: $(tail -n 3 "$LOGS/siem-ops-update.err" | tr '\n' '|')"
fi
match siem-ops/update-status "$("$siem" status --state "$st")" "^store +running +pid [0-9]+ +version 2\.0\.0-ops "
wait "$flow_pid" || true
grep -q "^acked 150 " "$tmp/flow.out" || echo "FAIL siem-ops/update-flow: $(cat "$tmp/flow.out")"
if stored flow 150; then echo "PASS siem-ops/update-nothing-missed"; else
    echo "FAIL siem-ops/update-nothing-missed: $STORED of 150 in the store"
fi

out=$("$siem" down --state "$st" 2>&1) || true
match siem-ops/down "$out" "^stopped normaliser" "^stopped store" "^stopped nats"
