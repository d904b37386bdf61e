#!/usr/bin/env bash
# Store queries never block ingestion and cost bounded time: over 400
# stored 8 KB events and 1200 small ones, `tools/siem query --limit 5000`
# pages past the store's 1000 records a reply without duplicates and
# --count agrees; a worst-case text search (a 256-byte needle that almost
# matches everywhere) answers "truncated" with a cursor once the store's
# time budget is spent, and following the cursor scans every event once;
# then four clients run such searches through the manager while a syslog
# line arrives every 2 s: each line is stored within 3 s and the store's
# heartbeats keep coming (measured figures are printed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-query-isolation
BIG=400 SMALL=1200
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
D=$SIEM_STATE
tag=q$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
# Events whose message is "a" * 7800: the needle "a" * 255 + "b" matches
# nowhere, after comparing 255 bytes at almost every position.
needle=$(printf 'a%.0s' $(seq 255))b

python3 - "$SIEM_TCP" "$tag" "$BIG" "$SMALL" <<'PY'
import socket, sys
port, tag, big, small = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with socket.create_connection(("127.0.0.1", port)) as s:
    for n in range(big):
        s.sendall(("<13>1 - loadhost load - - - big-%s-%d %s\n" % (tag, n, "a" * 7800)).encode())
    for n in range(small):
        s.sendall(("<13>1 - loadhost load - - - small-%s-%d\n" % (tag, n)).encode())
    # Wait for the normaliser's close: it has read every record then, so
    # "settled" below cannot come while some are still in a socket buffer.
    s.shutdown(socket.SHUT_WR)
    s.settimeout(120)
    while s.recv(4096):
        pass
PY
if siem_settled 300 2>"$D/settled.err"; then
    pass $T/stored
else
    fail $T/stored "$(cat "$D/settled.err")"
    exit 0
fi

# --- paging past 1000 records -------------------------------------------
if siem query --limit 5000 --text "small-$tag" >"$D/paged.jsonl" 2>"$D/paged.err"; then
    python3 - "$D/paged.jsonl" "$SMALL" <<'PY' && pass $T/limit-5000-pages || fail $T/limit-5000-pages "$(tail -n 1 "$D/paged.py")"
import json, sys
ids = [json.loads(l)["event"]["id"] for l in open(sys.argv[1])]
assert len(ids) == int(sys.argv[2]) > 1000 and len(set(ids)) == len(ids), "%d records, %d distinct" % (len(ids), len(set(ids)))
PY
else
    fail $T/limit-5000-pages "$(tail -n 2 "$D/paged.err" | tr '\n' '|')"
fi
count=$(siem query --count --text "small-$tag" 2>"$D/count.err" || true)
[ "$count" = "$SMALL" ] && pass $T/count || fail $T/count "got '$count', expected $SMALL; $(tail -n 1 "$D/count.err")"
count=$(siem query --count --text "big-$tag" 2>"$D/count-big.err" || true)
[ "$count" = "$BIG" ] && pass $T/count-big || fail $T/count-big "got '$count', expected $BIG; $(tail -n 1 "$D/count-big.err")"

# --- one query over the time budget --------------------------------------
python3 - "$SIEM_NATS" "$needle" >"$D/budget.json" 2>"$D/budget.err" <<'PY' || true
import json, os, sys, time
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
with siem_probe.connect(int(sys.argv[1])) as nc:
    req, pages, scanned, first = {"text": sys.argv[2], "limit": 1}, 0, 0, None
    while pages < 20:
        t = time.monotonic()
        r = siem_probe.query(nc, req, 60)
        pages += 1
        scanned += r.get("scanned", 0)
        if first is None:
            first = dict(r, elapsed=round(time.monotonic() - t, 2))
        if not r.get("truncated"):
            break
        req["cursor"] = r.get("cursor")
    print(json.dumps({"first": first, "pages": pages, "scanned": scanned}))
PY
all=$(siem query --count 2>/dev/null || echo none)
python3 - "$D/budget.json" "$all" <<'PY' 2>"$D/budget.py" && pass $T/budget-truncated || fail $T/budget-truncated "$(tail -n 1 "$D/budget.py"); $(tail -n 1 "$D/budget.err")"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["first"]
print("siem-query-isolation: the worst-case search answered in %s s: truncated %s after %s of %s events; %d pages scanned %d"
      % (f["elapsed"], f["truncated"], f["scanned"], sys.argv[2], d["pages"], d["scanned"]), file=sys.stderr)
assert f["truncated"] is True and f["count"] == 0 and isinstance(f.get("cursor"), int), f
assert d["pages"] > 1 and d["scanned"] == int(sys.argv[2]), d
PY
cat "$D/budget.py" >&2

# --- heavy queries while events arrive ------------------------------------
python3 "$ROOT/tests/boot/siem-query-load.py" "$SIEM_NATS" "$SIEM_WEB" "$SIEM_TCP" "$SIEM_READ_TOKEN" "$tag" "$needle" \
    >"$D/load.json" 2>"$D/load.err" || true
python3 - "$D/load.json" <<'PY' >"$D/load.res" 2>&1 || true
import json, sys
d = json.load(open(sys.argv[1]))
delays, gaps, q = d["delays"], d["beat_gaps"], d["queries"]
print("siem-query-isolation: lines stored after %s s (max %s) while %d searches ran from %s s to %s s "
      "(lines sent at %s); store heartbeat gaps max %s s over %d beats; searches took %s s"
      % (delays, max((x for x in delays if x is not None), default=None), len(q), d["busy"][0], d["busy"][1],
         d["sends"], max(gaps, default=None), d["beats"], sorted(x["elapsed"] for x in q)), file=sys.stderr)
def check(name, ok, why):
    print(("PASS siem-query-isolation/%s" % name) if ok else ("FAIL siem-query-isolation/%s: %s" % (name, why)))
check("searches-ran-meanwhile", len(q) == 12 and d["sends"][-1] < d["busy"][1],
      "%d searches, the last line sent at %s s, the searches over at %s s" % (len(q), d["sends"][-1], d["busy"][1]))
check("stored-within-3s", all(x is not None and x <= 3.0 for x in delays), "delays %s" % delays)
check("heartbeats-keep-coming", d["beats"] >= 3 and max(gaps, default=99) <= 6.0, "gaps %s" % gaps)
check("searches-answer-truncated", all(x["status"] == 200 and x["truncated"] is True for x in q),
      "; ".join("%s %s truncated=%s" % (x["status"], x["elapsed"], x["truncated"]) for x in q))
PY
grep -v '^siem-query-isolation:' "$D/load.res" || true
grep '^siem-query-isolation:' "$D/load.res" >&2 || true
[ -s "$D/load.json" ] || fail $T/load "the load ran into: $(tail -n 2 "$D/load.err" | tr '\n' '|')"
