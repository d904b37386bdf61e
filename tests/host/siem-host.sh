#!/usr/bin/env bash
# The SIEM's normaliser, store and correlator as Linux programs (make
# siem-host) on a real nats-server with the identities, permissions and
# streams tools/siem up gives the images (tools/siem_host.py): 300 syslog
# lines and 8 failed sshd logins from one address over TCP are stored
# exactly once each, one ssh_brute_force alert fires and is stored, the
# heartbeats carry the modules' counters, and down leaves nothing running.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export ROOT

T=siem-host
N=300
state=$ROOT/build/tests/$T
rm -rf "$state"
mkdir -p "$state"
build_target $T siem-host siem-nkey || exit 0
read -r nats tcp <<<"$(free_port) $(free_port)"
host() { timeout 120 python3 "$ROOT/tools/siem_host.py" "$@" --state "$state"; }
cleanup() { host down >/dev/null 2>&1 || :; }
trap cleanup EXIT
if ! host up --nats-port "$nats" --tcp-port "$tcp" 2>"$state/up.err"; then
    echo "FAIL $T/up: $(tr '\n' '|' <"$state/up.err" | tail -c 600)"
    exit 0
fi
echo "PASS $T/up"
export SIEM_NATS_CREDS=$state/keys/operator.nk # the test's bus clients log in as the operator
probe() { timeout 120 python3 "$ROOT/tools/siem_probe.py" --nats-port "$nats" "$@"; }

token=host$RANDOM$RANDOM
ip=192.0.2.$((RANDOM % 200 + 20))
python3 "$ROOT/tools/siem_load.py" flood tcp "$tcp" --count $N --token "$token" >/dev/null
python3 - "$tcp" "$ip" "$token" <<'PY'
import os, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_load
tcp, ip, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
siem_load.send_all("tcp", tcp, (siem_load.ssh_failure(ip, "brute-" + token, i) for i in range(8)))
PY

if probe wait --alerts group.value="$ip" --count 1 --timeout 60 >"$state/alert.jsonl" 2>"$state/alert.err"; then
    echo "PASS $T/alert"
else
    echo "FAIL $T/alert: no alert for $ip within 60 s; correlator: $(last_lines "$state/logs/correlator.log")"
fi

# Settled: the store has acknowledged all of EVENTS and ALERTS, so what
# the dump finds is all there will be.
python3 - "$nats" "$state" "$token" "$ip" "$N" >"$state/check.out" 2>&1 <<'PY' || true
import json, os, sys, time
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
port, state, token, ip, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
T = "siem-host"
with siem_probe.connect(port) as nc:
    try:
        for stream, consumer in (("EVENTS", "store-events"), ("ALERTS", "store-alerts"), ("EVENTS", "correlator")):
            last = nc.request("$JS.API.STREAM.INFO." + stream, b"", 10).json()["state"]["last_seq"]
            siem_probe.wait_floor(nc, stream, consumer, last, 60)
        print("PASS %s/settled" % T)
    except siem_probe.ProbeError as e:
        print("FAIL %s/settled: %s" % (T, e))
    events = siem_probe.dump(nc, text="load " + token)
    numbers = sorted(int(e["message"].split()[2]) for e in events)
    ids = {e["event"]["id"] for e in events}
    if numbers == list(range(n)) and len(ids) == n:
        print("PASS %s/stored-exactly-once" % T)
    else:
        missing = sorted(set(range(n)) - set(numbers))[:10]
        print("FAIL %s/stored-exactly-once: %d records for %d lines, %d ids; missing %s" % (
            T, len(numbers), n, len(ids), missing))
    fails = siem_probe.dump(nc, text="brute-" + token)
    alerts = siem_probe.dump(nc, alerts=True, fields={"group.value": ip})
    a = alerts[0] if alerts else {}
    ok = (len(fails) == 8 and len(alerts) == 1 and siem_probe.field(a, "rule.name") == "ssh_brute_force"
          and sorted(siem_probe.field(a, "related.event_ids") or []) == sorted(e["event"]["id"] for e in fails))
    print("PASS %s/alert-stored-once" % T if ok else "FAIL %s/alert-stored-once: %d failures, alerts %s" % (
        T, len(fails), json.dumps(alerts)[:600]))
    # The counters of each heartbeat, as the images report them.
    want = {"normaliser": {"received_tcp": n + 8, "published": n + 8, "inflight": 0},
            "store": {"records": n + 9, "duplicates": 0, "rejected": 0, "chain_broken": 0},
            "correlator": {"alerts_published": 1, "bad_events": 0}}
    for module, counters in want.items():
        conds = [siem_probe.parse_condition("%s==%d" % kv) for kv in counters.items()]
        try:
            beat = siem_probe.wait_beat(nc, module, conds, 20)
            c = beat["counters"]
            ok = c.get("bus_reconnects") == 0 and beat.get("version") and "uptime_s" in beat
            print("PASS %s/heartbeat-%s" % (T, module) if ok else
                  "FAIL %s/heartbeat-%s: %s" % (T, module, json.dumps(beat)[:400]))
        except siem_probe.ProbeError as e:
            print("FAIL %s/heartbeat-%s: %s" % (T, module, e))
PY
cat "$state/check.out"
grep -qE '^(PASS|FAIL) ' "$state/check.out" || echo "FAIL $T/check: $(tail -c 300 "$state/check.out")"

pids=$(host pids | awk '{ print $2 }' | tr '\n' ' ')
host down >"$state/down.out" 2>&1 || :
# A zombie (not yet reaped by whoever inherited it) does not count.
left=$(for p in $pids; do ps -o stat= -p "$p" | grep -qv Z && echo "$p" || :; done | tr '\n' ' ')
check $T/down "$([ -z "$left" ] && [ "$(wc -w <<<"$pids")" = 4 ]; echo $?)" "pids [$pids] still running: [$left]"
