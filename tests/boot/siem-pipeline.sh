#!/usr/bin/env bash
# The whole SIEM, real components only: tools/siem up (nats-server and the
# three images) on free ports; logger over UDP and TCP (LF and octet
# counting), RFC 5424 and RFC 3164, and through rsyslog with omrelp; every
# event queried back with tools/siem query and checked field by field; ten
# failed sshd logins from one address give exactly one ssh_brute_force
# alert; status, logs, and down leaving nothing running.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-pipeline
siem_need $T python3 nats-server qemu-system-x86_64 logger rsyslogd ss || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
siem_remember_groups
events=$ROOT/tests/boot/siem-pipeline-events.py
token=p$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

lines=$(grep -c '^endpoint ' "$SIEM_STATE/up.out" || true)
grep -q "^endpoint relp 127.0.0.1:$SIEM_RELP$" "$SIEM_STATE/up.out" && [ "$lines" = 5 ] && pass $T/up-endpoints ||
    fail $T/up-endpoints "$(tr '\n' '|' <"$SIEM_STATE/up.out")"

# --- Every kind of line, every way in ---
if siem_rsyslog_start; then
    python3 "$events" send "$token" "$SIEM_UDP" "$SIEM_TCP" "$RSYSLOG_TCP"
    want=$(python3 "$events" count)
    # Poll the store with the operator's own command until all are there.
    got=0
    for _ in $(seq 120); do
        siem query --text "$token" --limit 1000 >"$SIEM_STATE/events.jsonl" 2>"$SIEM_STATE/query.err" || true
        got=$(wc -l <"$SIEM_STATE/events.jsonl")
        [ "$got" -ge "$want" ] && break
        sleep 0.5
    done
    [ "$got" = "$want" ] && pass $T/all-events-stored ||
        fail $T/all-events-stored "$got of $want events after 60 s; $(head -c 300 "$SIEM_STATE/query.err")"
    python3 "$events" check "$token" "$SIEM_STATE/events.jsonl"
    siem query --text "$token" user.name="u6-$token" >"$SIEM_STATE/q.out" 2>&1 || true
    [ "$(wc -l <"$SIEM_STATE/q.out")" = 1 ] && grep -q '"sudo_command"' "$SIEM_STATE/q.out" &&
        pass $T/query-field || fail $T/query-field "user.name=u6-$token gave: $(head -c 300 "$SIEM_STATE/q.out")"
fi

# --- Ten failed logins from one address: one alert ---
ip=192.0.2.$((RANDOM % 200 + 20))
for i in $(seq 0 9); do
    logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=$((3000 + i)) \
        -- "Failed password for brute-$token from $ip port $((51000 + i)) ssh2"
done
if siem_probe wait --alerts group.value="$ip" --count 1 --timeout 60 >"$SIEM_STATE/alert.jsonl"; then
    pass $T/brute-force-alert
else
    fail $T/brute-force-alert "no alert for $ip within 60 s; correlator: $(siem logs correlator -n 3 | tr '\n' '|')"
fi
# Wait until the correlator has taken every event and the store every
# alert: a second alert would be there by then.
if siem_settled 120 2>"$SIEM_STATE/settled.err"; then
    siem query --alerts group.value="$ip" >"$SIEM_STATE/alerts.jsonl"
    python3 - "$SIEM_STATE/alerts.jsonl" "$ip" "$token" "$SIEM_NATS" <<'PY' && pass $T/brute-force-exactly-one
import json, os, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
alerts = [json.loads(l) for l in open(sys.argv[1])]
ip, token = sys.argv[2], sys.argv[3]
def bad(why):
    print("FAIL siem-pipeline/brute-force-exactly-one: %s; alerts: %s" % (why, json.dumps(alerts)[:1500]))
    sys.exit(1)
if len(alerts) != 1:
    bad("%d alerts for %s" % (len(alerts), ip))
a = alerts[0]
g = siem_probe.field
want = {"rule.name": "ssh_brute_force", "group.field": "source.ip", "group.value": ip, "count": 8,
        "event.kind": "alert", "event.severity": 73}
for k, v in want.items():
    if g(a, k) != v:
        bad("%s is %r, expected %r" % (k, g(a, k), v))
with siem_probe.connect(int(sys.argv[4])) as nc:
    fails = siem_probe.dump(nc, text="brute-" + token)
fails.sort(key=lambda e: e["source"]["port"])
ids = [e["event"]["id"] for e in fails]
if len(fails) != 10:
    bad("%d of the 10 failures stored" % len(fails))
if g(a, "trigger.event_id") != ids[7]:
    bad("the trigger is not the 8th failure (port 51007)")
if sorted(g(a, "related.event_ids") or []) != sorted(ids[:8]):
    bad("related.event_ids are not the first 8 failures")
PY
else
    fail $T/brute-force-exactly-one "the SIEM did not settle: $(tail -c 300 "$SIEM_STATE/settled.err")"
fi

# --- status, logs, down ---
siem status >"$SIEM_STATE/status.out" 2>&1 && rc=0 || rc=$?
[ "$rc" = 0 ] && [ "$(grep -cE '^(normaliser|correlator|store) +running +pid [0-9]+ +version ' "$SIEM_STATE/status.out")" = 3 ] &&
    grep -qE "^nats +running .*127\.0\.0\.1:$SIEM_NATS nats-server" "$SIEM_STATE/status.out" &&
    pass $T/status || fail $T/status "status $rc: $(tr '\n' '|' <"$SIEM_STATE/status.out")"
siem status --json >"$SIEM_STATE/status.json" || true
python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert all(r[m]['heartbeat'] for m in ('normaliser', 'correlator', 'store')), 'a module sent no heartbeat'
n = r['normaliser']['heartbeat']['counters']
assert n['received_udp'] >= 4 and n['received_tcp'] >= 16 and n['received_relp'] >= 2, n
assert r['store']['heartbeat']['counters']['records'] >= 23, r['store']
" "$SIEM_STATE/status.json" 2>"$SIEM_STATE/py.err" && pass $T/status-counters ||
    fail $T/status-counters "$(tail -n 1 "$SIEM_STATE/py.err")"
siem logs store -n 50 | grep -q '^store: ready' && pass $T/logs || fail $T/logs "no 'store: ready' in tools/siem logs store"

siem_rsyslog_stop
siem down >"$SIEM_STATE/down.out" 2>&1 && rc=0 || rc=$?
left=$(siem_group_left)
[ "$rc" = 0 ] && [ -z "$left" ] && pass $T/down-stops-all ||
    fail $T/down-stops-all "status $rc, still running: $(echo "$left" | tr '\n' ' ')"
