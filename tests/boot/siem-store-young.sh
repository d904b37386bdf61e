#!/usr/bin/env bash
# One sender fills a small store (a 260 KiB disk: 4 segments of 64 KiB)
# with events of about 1.5 KiB: retention reclaims the earlier "Accepted
# password for root" event although it is minutes old, far below the
# store's min-age (7 days by default). The store counts that in its
# heartbeat (evicted_young) and the correlator raises
# siem-store-evicting-young, once, visible through tools/siem query
# --alerts. Before, the event was reclaimed silently.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-store-young
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T --disk-size 260K || exit 0
token=y$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=5000 \
    -- "Accepted password for root from 203.0.113.50 port 50000 ssh2 $token"
if siem_probe wait --text "Accepted password for root from 203.0.113.50 port 50000 ssh2 $token" \
    --count 1 --timeout 60 >/dev/null 2>&1; then
    pass $T/first-event-stored
else
    fail $T/first-event-stored "not stored within 60 s"
    exit 0
fi

# The flood: records of about 1 KiB over TCP, 20 at a time, until the
# store's retention has reclaimed its first segment (the one holding the
# first event). Stopping there leaves room in the newest segment for the
# alert, which a longer flood would reclaim in turn.
if python3 - "$SIEM_TCP" "$SIEM_NATS" "$token" <<'PY' 2>"$SIEM_STATE/flood.err"; then
import os, socket, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
tcp, nats, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pad = "x" * 1000
sent = 0
with siem_probe.connect(nats) as nc:
    while sent < 1000:
        with socket.create_connection(("127.0.0.1", tcp)) as s:
            s.sendall("".join("<14>Dec  1 00:00:00 flooder app: flood %s %d %s\n" % (token, sent + i, pad)
                              for i in range(20)).encode())
        sent += 20
        beat = siem_probe.wait_beat(nc, "store", [siem_probe.parse_condition("appended>=%d" % (sent + 1))],
                                    timeout=60)
        if beat["counters"]["segments_reclaimed"] >= 1:
            sys.exit(0)
sys.exit("no segment reclaimed after %d records" % sent)
PY
    pass $T/flood
else
    fail $T/flood "$(tail -n 1 "$SIEM_STATE/flood.err")"
fi
siem_settled 180 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(cat "$SIEM_STATE/settled.err")"

siem query --text "Accepted password for root from 203.0.113.50 port 50000 ssh2 $token" \
    >"$SIEM_STATE/first.jsonl" 2>&1 || true
[ ! -s "$SIEM_STATE/first.jsonl" ] && pass $T/first-event-reclaimed ||
    fail $T/first-event-reclaimed "still stored: the flood did not wrap the disk"

if siem_probe beat store --where 'evicted_young>=1' --timeout 30 >/dev/null 2>"$SIEM_STATE/beat.err"; then
    pass $T/evicted-young-counted
else
    fail $T/evicted-young-counted "$(tail -n 1 "$SIEM_STATE/beat.err")"
fi

# The alert, through the operator's own command (polled: the correlator
# sees the store's next heartbeat, then the store stores the alert).
for _ in $(seq 60); do
    siem query --alerts rule.name=siem-store-evicting-young >"$SIEM_STATE/alerts.jsonl" 2>"$SIEM_STATE/query.err" || true
    [ -s "$SIEM_STATE/alerts.jsonl" ] && break
    sleep 1
done
if [ "$(wc -l <"$SIEM_STATE/alerts.jsonl")" = 1 ] &&
    grep -q '"module":{"name":"store"' "$SIEM_STATE/alerts.jsonl"; then
    pass $T/alert
else
    fail $T/alert "$(wc -l <"$SIEM_STATE/alerts.jsonl") alerts: $(head -c 400 "$SIEM_STATE/alerts.jsonl") $(head -c 200 "$SIEM_STATE/query.err")"
fi
