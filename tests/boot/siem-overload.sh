#!/usr/bin/env bash
# Overload: for LOAD_S seconds a TCP sender and a RELP sender go as fast as
# they can, and a UDP sender sends about 2,000 datagrams a second, all at
# once, into a SIEM whose normaliser holds at most INFLIGHT unacknowledged
# events. Then:
#   - every TCP and RELP record is stored exactly once (distinct event ids
#     per sender equal to what it sent, none twice);
#   - TCP is slowed, not dropped: the normaliser's heartbeats show it at
#     its in-flight limit (it stops reading then) and the sender's writes
#     waited;
#   - every UDP datagram the normaliser read is stored or counted as
#     dropped (dropped_udp, shown by tools/siem status), and some were;
#   - no module's heap high-water mark (the kernel's stats lines) grows
#     after the first third of the load by more than HEAP_SLACK, the
#     store's by more than that plus STORE_REC_HEAP bytes per record it
#     holds (its in-memory index, apps/siem/store/index.c, is one entry a
#     record by design, bounded by the disk, not by time).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-overload
LOAD_S=20
INFLIGHT=16
STATS_S=2
# Heap growth allowed after the first third: nano-malloc's free lists are
# not compacted, so a peak may still creep by a few blocks of the largest
# size in use (a 64 KiB datagram buffer, a 16 KiB read buffer, a batch).
HEAP_SLACK=$((256 * 1024))
# The store's index: a ring of 48-byte entries (struct store_rec) up to
# twice the records and an 8-byte hash slot per record at most half full,
# both doubling, the smaller arrays left behind in nano-malloc's free list:
# about 2 * (96 + 32) = 256 bytes per record at most; 384 to spare.
STORE_REC_HEAP=384
HELPER=$ROOT/tests/boot/siem-overload.py
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T --stats $STATS_S --arg normaliser=inflight=$INFLIGHT --arg normaliser=heartbeat=1 || exit 0
token=o$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

# heap_peaks: "MODULE PEAK" for each module, from its console's latest
# stats line.
heap_peaks() {
    local m
    for m in $SIEM_MODULES; do
        echo "$m $(tr -d '\r' <"$SIEM_STATE/logs/$m.log" | sed -n 's/^stats: .* heap [0-9]* B (peak \([0-9]*\) B).*/\1/p' | tail -n 1)"
    done
}

# --- The load: all three senders at once, heartbeats recorded ---
out=$SIEM_STATE/load
mkdir -p "$out"
run_bg "$out/beats.jsonl" python3 "$HELPER" beats "$SIEM_NATS" normaliser --seconds $((LOAD_S + 5))
beats_pid=$BG_PID
for p in tcp relp udp; do
    port_var=SIEM_${p^^}
    run_bg "$out/$p.json" python3 "$HELPER" flood $p "${!port_var}" --seconds $LOAD_S --token "$token-$p"
    eval "${p}_pid=$BG_PID"
done
sleep $((LOAD_S / 3 + STATS_S)) # a stats line from after the first third
heap_peaks >"$out/heap-third.txt"
ok=0
for p in tcp relp udp; do
    pid_var=${p}_pid
    wait "${!pid_var}" || ok=1
done
wait "$beats_pid" || :
check $T/senders $ok "$(cat "$out"/{tcp,relp,udp}.json | tr '\n' '|')"
echo "$T: $(cat "$out"/{tcp,relp,udp}.json | tr '\n' ' ')" >&2

# --- Stored exactly once ---
siem_settled 300 2>"$out/settled.err" || fail $T/settled "$(tail -c 300 "$out/settled.err")"
sleep $((STATS_S + 1)) # a stats line from after the store caught up
heap_peaks >"$out/heap-end.txt"
for p in tcp relp udp; do siem_probe dump --text "$token-$p" >"$out/$p-stored.jsonl"; done
siem status >"$out/status.txt" 2>&1 || :
siem_probe beat normaliser --timeout 10 >"$out/last-beat.json" 2>/dev/null || :
siem_probe beat store --timeout 10 >"$out/store-beat.json" 2>/dev/null || :
python3 - "$out" "$INFLIGHT" "$HEAP_SLACK" "$STORE_REC_HEAP" <<'PY'
import collections, json, re, sys
out, inflight, slack, per_rec = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
T = "siem-overload"
def result(name, ok, why=""):
    print("PASS %s/%s" % (T, name) if ok else "FAIL %s/%s: %s" % (T, name, why))

def stored(p):
    recs = [json.loads(l) for l in open("%s/%s-stored.jsonl" % (out, p))]
    ids = collections.Counter(r["event"]["id"] for r in recs)
    seqs = collections.Counter(int(m.group(1)) for r in recs
                               for m in [re.search(r"^load \S+ (\d+) ", r.get("message", ""))] if m)
    return recs, ids, seqs

sent = {p: json.load(open("%s/%s.json" % (out, p))) for p in ("tcp", "relp", "udp")}
for p in ("tcp", "relp"):
    recs, ids, seqs = stored(p)
    n = sent[p]["sent"]
    twice = [i for i, c in ids.items() if c > 1]
    missing = sorted(set(range(n)) - set(seqs))
    result("%s-stored-once" % p, len(recs) == n and len(ids) == n and not twice and not missing,
           "%d sent, %d stored, %d distinct ids, %d ids twice, %d missing (first %s)" % (
               n, len(recs), len(ids), len(twice), len(missing), missing[:5]))

beats = [json.loads(l)["beat"]["counters"] for l in open(out + "/beats.jsonl")]
at_limit = sum(1 for b in beats if b["inflight"] >= inflight)
result("tcp-back-pressure", at_limit > 0 and sent["tcp"]["blocked_s"] > 0,
       "%d of %d heartbeats at the in-flight limit %d; the TCP sender waited %s s" % (
           at_limit, len(beats), inflight, sent["tcp"]["blocked_s"]))

last = json.load(open(out + "/last-beat.json"))["counters"]
recs, ids, _ = stored("udp")
dropped, received = last["dropped_udp"], last["received_udp"]
result("udp-accounted", received == len(ids) + dropped + last["dropped_quota"] and len(recs) == len(ids),
       "received %d, stored %d (%d distinct), dropped %d, over quota %d" % (
           received, len(recs), len(ids), dropped, last["dropped_quota"]))
result("udp-drops-counted", dropped > 0, "no UDP datagram was dropped: the test did not overload")
status = open(out + "/status.txt").read()
result("udp-drops-in-status", re.search(r"^normaliser .* dropped_udp=%d( |$)" % dropped, status, re.M),
       "no dropped_udp=%d on the normaliser's status line: %s" % (dropped, status[:400]))

third = dict(l.split() for l in open(out + "/heap-third.txt") if len(l.split()) == 2)
end = dict(l.split() for l in open(out + "/heap-end.txt") if len(l.split()) == 2)
records = json.load(open(out + "/store-beat.json"))["counters"]["records"]
allow = {m: slack + (per_rec * records if m == "store" else 0) for m in end}
grown = {m: (int(third[m]), int(end[m])) for m in end if m in third and int(end[m]) > int(third[m]) + allow[m]}
result("heap-bounded", len(third) == len(end) > 0 and not grown,
       "heap peaks (at a third, at the end) grew by more than allowed %s: %s; at a third %s, at the end %s" % (
           allow, grown, third, end))
print("%s: sent tcp %d relp %d udp %d; udp received %d dropped %d; heartbeats at the limit %d of %d; "
      "heap peaks at a third %s, at the end %s (store: %d records)" % (
          T, sent["tcp"]["sent"], sent["relp"]["sent"], sent["udp"]["sent"], received, dropped,
          at_limit, len(beats), third, end, records), file=sys.stderr)
PY
