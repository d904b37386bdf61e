#!/usr/bin/env bash
# The store loses power: its QEMU is killed with SIGKILL while 10,000
# events stream in over TCP (the first 6,000 sent, the rest held back
# until after the kill, so the kill always falls mid-stream), then it boots again on the same disk with the
# command line tools/siem up recorded. It must report its recovery, still
# hold every event its durable consumer had acknowledged before the kill,
# and in the end hold each of the 10,000 events exactly once.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-poweroff
N=10000
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
token=o$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

FIRST=6000
run_bg "$SIEM_STATE/sender.out" python3 "$SIEM_LOAD" flood tcp "$SIEM_TCP" --count $FIRST --token "$token"
SENDER=$BG_PID
# Pull the plug once the store has acknowledged a good part of the stream.
if ! siem_probe floor EVENTS store-events --at-least 1500 --timeout 120 >/dev/null 2>"$SIEM_STATE/floor.err"; then
    fail $T/kill "$(cat "$SIEM_STATE/floor.err")"
    exit 0
fi
qemu=$(siem_qemu_pid store)
if [ -z "$qemu" ]; then
    fail $T/kill "the store's QEMU ended before the kill; console: $(siem logs store -n 12 | tr '\n' '|')"
    exit 0
fi
kill -9 "$qemu"
siem_probe acked EVENTS store-events --text "$token" >"$SIEM_STATE/acked.json"
floor=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['ack_floor'], len(d['ids']))" "$SIEM_STATE/acked.json")
echo "store killed (QEMU pid $qemu) at ack floor ${floor% *}: ${floor#* } of our events acknowledged" >&2
[ "${floor#* }" -lt $N ] && pass $T/killed-mid-stream || fail $T/killed-mid-stream "all $N events were acknowledged before the kill"

# The rest of the stream, while the store is down or booting again.
wait "$SENDER" && python3 "$SIEM_LOAD" flood tcp "$SIEM_TCP" --count $((N - FIRST)) --first $FIRST --token "$token" \
    >>"$SIEM_STATE/sender.out" 2>&1 && pass $T/sender-done || fail $T/sender-done "$(tail -n 2 "$SIEM_STATE/sender.out" | tr '\n' '|')"

# The supervisor boots it again (on the same disk, for the store).
log=$SIEM_STATE/logs/store.log
if siem_restart store; then
    line=$(tr -d '\r' <"$log" | grep -m1 '^store: recovered' || true)
    if [[ "$line" =~ ^store:\ recovered\ ([0-9]+)\ records\ .*corrupt\ segments:\ 0\  ]] &&
        [ "${BASH_REMATCH[1]}" -ge "${floor#* }" ]; then
        pass $T/recovery-line
    else
        fail $T/recovery-line "expected 'store: recovered N records ... corrupt segments: 0' with N >= ${floor#* }, got '$line'"
    fi
else
    fail $T/restart "the store did not get ready again; $(tail -n 3 "$log" | tr '\n' '|')"
    exit 0
fi

# Everything acknowledged before the kill is in the log (ask right away,
# before redelivery could fill a gap).
siem_probe dump --text "$token" >"$SIEM_STATE/after-restart.jsonl"
python3 - "$SIEM_STATE/acked.json" "$SIEM_STATE/after-restart.jsonl" <<'PY'
import json, sys
acked = set(json.load(open(sys.argv[1]))["ids"])
stored = {json.loads(l)["event"]["id"] for l in open(sys.argv[2])}
missing = acked - stored
print("FAIL siem-poweroff/acked-kept: %d of %d acknowledged events missing after recovery, e.g. %s" % (
    len(missing), len(acked), sorted(missing)[:3]) if missing else "PASS siem-poweroff/acked-kept")
PY

# In the end (unacknowledged messages come back after the consumer's
# 30 s ack wait) every event is stored exactly once.
siem_probe wait --text "$token" --count $N --timeout 180 >/dev/null 2>&1 || true
siem_settled 120 2>/dev/null || true
siem_probe dump --text "$token" >"$SIEM_STATE/final.jsonl"
python3 - "$SIEM_STATE/final.jsonl" $N <<'PY'
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
ids = collections.Counter(r["event"]["id"] for r in recs)
seqs = collections.Counter(int(r["message"].split()[2]) for r in recs)
twice = [i for i, c in ids.items() if c > 1]
missing = sorted(set(range(n)) - set(seqs))
if len(recs) == n and not twice and not missing and len(seqs) == n:
    print("PASS siem-poweroff/all-exactly-once")
else:
    print("FAIL siem-poweroff/all-exactly-once: %d records, %d distinct ids, %d ids stored twice, "
          "%d events missing (e.g. %s), %d lines stored more than once" % (
              len(recs), len(ids), len(twice), len(missing), missing[:5], sum(1 for c in seqs.values() if c > 1)))
PY
