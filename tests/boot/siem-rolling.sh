#!/usr/bin/env bash
# Rolling update of every module, one after the other, while rsyslog sends
# 20,000 events over RELP: each module is replaced by `tools/siem update`
# with the same app built with another SIEM_VERSION. The stream carries
# brute-force bursts (siem_load.py mixed: 20 addresses fail 7 times, 20
# fail 8 times, 20 fail 15 times). In the end the store holds each of the
# 20,000 exactly once (by event.id), every address has exactly the
# ssh_brute_force alerts its burst gives (0 or 1: none missed, none
# doubled), and `tools/siem status --json` (and the manager's /api/modules,
# once the manager exists) shows the new versions.
#
# The sender pauses at a gate before each update's share of the stream and
# goes on once the update has begun, so every update happens while records
# are still on their way; the normaliser's makes rsyslog retransmit what it
# had not acknowledged.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-rolling
N=20000
V=2.0.0-roll
siem_need $T python3 nats-server qemu-system-x86_64 rsyslogd ss || exit 0
img=$ROOT/build/tests/$T-images
siem_build_version $T $V "$img" || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
siem_rsyslog_start || exit 0
token=r$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
t0=$SECONDS

# --- The stream, and one update at each gate ---
gates=$SIEM_STATE/gates
mkdir -p "$gates"
set -- $SIEM_MODULES
every=$((N / ($# + 1)))
run_bg "$SIEM_STATE/feeder.out" python3 "$SIEM_LOAD" mixed tcp "$RSYSLOG_TCP" --count $N --token "$token" \
    --rate 2000 --gate-every $every --gate-dir "$gates"
feeder=$BG_PID
k=0
for m in $SIEM_MODULES; do
    k=$((k + 1))
    if ! wait_line "$SIEM_STATE/feeder.out" "^at gate $k " 300 "$feeder"; then
        fail $T/feeder "the sender did not reach gate $k: $(last_lines "$SIEM_STATE/feeder.out")"
        exit 0
    fi
    out=$SIEM_STATE/update-$m.out
    run_bg "$out" "$SIEM" update --state "$SIEM_STATE" "$m" "$img/siem-$m.elf"
    upd=$BG_PID
    # Release the next records once the update has begun (its first note).
    wait_line "$out" '^siem: (stopping|booting) ' 60 "$upd" || :
    touch "$gates/gate-$k"
    wait "$upd" && rc=0 || rc=$?
    if [ $rc = 0 ] && grep -qE "^updated $m to version ${V//./\\.} \(pid [0-9]+\) in [0-9.]+ s; unavailable for [0-9.]+ s" "$out"; then
        pass "$T/update-$m"
        echo "$T: $(grep '^updated' "$out")" >&2
    else
        fail "$T/update-$m" "status $rc: $(tr '\n' '|' <"$out" | tail -c 400)"
    fi
done
touch "$gates/gate-$((k + 1))"
wait "$feeder" && grep -q "^sent $N " "$SIEM_STATE/feeder.out" && pass $T/sent-to-rsyslog ||
    fail $T/sent-to-rsyslog "$(last_lines "$SIEM_STATE/feeder.out")"

# --- Every event stored once ---
siem_probe wait --text "$token" --count $N --timeout 600 >"$SIEM_STATE/events.jsonl" 2>"$SIEM_STATE/wait.err" ||
    fail $T/all-stored "$(cat "$SIEM_STATE/wait.err"); rsyslog: $(last_lines "$SIEM_STATE/rsyslog/rsyslogd.log")"
siem_settled 300 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(tail -c 300 "$SIEM_STATE/settled.err")"
siem_probe dump --text "$token" >"$SIEM_STATE/events.jsonl"
siem_probe dump --alerts >"$SIEM_STATE/alerts.jsonl"
siem_load mixed-expect --count $N >"$SIEM_STATE/expected.json"
python3 - "$SIEM_STATE" $N "$token" <<'PY'
import collections, json, re, sys
state, n, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
T = "siem-rolling"
events = [json.loads(l) for l in open(state + "/events.jsonl")]
ids = collections.Counter(e["event"]["id"] for e in events)
seqs = collections.Counter()
for e in events:
    m = re.search(r"load %s (\d+) |for %s-u(\d+) from" % (token, token), e.get("message", ""))
    if m:
        seqs[int(m.group(1) or m.group(2))] += 1
missing = sorted(set(range(n)) - set(seqs))
twice_ids = [i for i, c in ids.items() if c > 1]
twice_seqs = sorted(s for s, c in seqs.items() if c > 1)
if len(events) == n and not missing and not twice_ids and not twice_seqs:
    print("PASS %s/events-exactly-once" % T)
else:
    print("FAIL %s/events-exactly-once: %d records, %d distinct ids, %d ids stored twice, %d records missing "
          "(first %s), %d stored twice under other ids (first %s)" % (
              len(events), len(ids), len(twice_ids), len(missing), missing[:5], len(twice_seqs), twice_seqs[:5]))

expected = json.load(open(state + "/expected.json"))
alerts = [json.loads(l) for l in open(state + "/alerts.jsonl")]
brute = [a for a in alerts if a["rule"]["name"] == "ssh_brute_force"]
per = collections.Counter(a["group"]["value"] for a in brute)
missed = sorted(ip for ip, k in expected.items() if per.get(ip, 0) < k)
doubled = {ip: c for ip, c in per.items() if c > expected.get(ip, 0)}
if not missed and not doubled:
    print("PASS %s/alerts-exact (%d alerts for %d addresses)" % (T, len(brute), len(expected)))
else:
    print("FAIL %s/alerts-exact: missed %s; more than expected %s" % (T, missed, doubled))
twice = [i for i, c in collections.Counter(a["event"]["id"] for a in alerts).items() if c > 1]
print("FAIL %s/alerts-stored-once: %d alert ids stored twice" % (T, len(twice)) if twice
      else "PASS %s/alerts-stored-once" % T)
PY

# --- The new versions ---
siem status --json >"$SIEM_STATE/status.json" || true
python3 - "$SIEM_STATE/status.json" "$V" $SIEM_MODULES <<'PY' 2>"$SIEM_STATE/py.err" && pass $T/status-versions ||
import json, sys
r, v = json.load(open(sys.argv[1])), sys.argv[2]
bad = {m: (r[m].get("state"), r[m].get("version")) for m in sys.argv[3:]
       if r[m].get("state") != "running" or r[m].get("version") != v}
assert not bad, "not running version %s: %s" % (v, bad)
PY
    fail $T/status-versions "$(tail -n 1 "$SIEM_STATE/py.err")"
# The manager learns the versions from the heartbeats: ask until it shows
# them all (a minute at most).
api_versions() {
    curl -sf -H "Authorization: Bearer $SIEM_TOKEN" "http://127.0.0.1:$SIEM_WEB/api/modules" \
        >"$SIEM_STATE/api-modules.json" 2>"$SIEM_STATE/curl.err" || return 1
    python3 - "$SIEM_STATE/api-modules.json" "$V" $SIEM_MODULES <<'PY' 2>"$SIEM_STATE/py.err"
import json, sys
r, v = json.load(open(sys.argv[1])), sys.argv[2]
got = {m.get("name"): m.get("version") for m in r["modules"]}
bad = {m: got.get(m) for m in sys.argv[3:] if got.get(m) != v}
assert not bad, "/api/modules does not show version %s: %s" % (v, bad)
PY
}
if [[ " $SIEM_MODULES " == *" manager "* ]]; then
    ok=1
    for _ in $(seq 120); do api_versions && ok=0 && break; sleep 0.5; done
    check $T/api-modules-versions $ok "$(tail -n 1 "$SIEM_STATE/py.err") $(head -c 200 "$SIEM_STATE/curl.err")"
fi
echo "$T: $N events, $(echo $SIEM_MODULES | wc -w) updates in $((SECONDS - t0)) s; normaliser duplicates:" \
    "$(siem_json "st['components']['normaliser']['heartbeat']['counters']['duplicates']")" >&2
