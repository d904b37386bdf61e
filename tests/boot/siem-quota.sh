#!/usr/bin/env bash
# Per-source quotas: with source-rate=20000 and source-burst=65536, one
# sender's UDP flood (800 records of about 1 KiB) is mostly dropped and
# counted (dropped_quota) instead of filling a small store (260 KiB), so
# the earlier "Accepted password for root" event stays and nothing young
# is evicted; its TCP records are slowed (throttled), none lost.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-quota
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T --disk-size 260K --arg normaliser=source-rate=20000 --arg normaliser=source-burst=65536 || exit 0
token=q$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
first="Accepted password for root from 203.0.113.51 port 50001 ssh2 $token"

logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=5001 -- "$first"
if ! siem_probe wait --text "$first" --count 1 --timeout 60 >/dev/null 2>&1; then
    fail $T/first-event-stored "not stored within 60 s"
    exit 0
fi

python3 - "$SIEM_UDP" "$SIEM_TCP" "$token" <<'PY'
import socket, sys, time
udp, tcp, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pad = "x" * 1000
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    for i in range(800):
        s.sendto(("<14>Dec  1 00:00:00 flooder app: udp-flood %s %d %s" % (token, i, pad)).encode(),
                 ("127.0.0.1", udp))
        if i % 50 == 49:
            time.sleep(0.05)  # spare QEMU's own socket buffer: the quota should drop, not it
with socket.create_connection(("127.0.0.1", tcp)) as s:
    s.sendall("".join("<14>Dec  1 00:00:00 flooder app: tcp-slow %s %d %s\n" % (token, i, pad)
                      for i in range(40)).encode())
PY

if siem_probe beat normaliser --where 'dropped_quota>=100' --where 'throttled>=1' --where 'received_tcp>=41' \
    --timeout 60 >/dev/null 2>"$SIEM_STATE/beat.err"; then
    pass $T/counted
else
    fail $T/counted "$(tail -n 1 "$SIEM_STATE/beat.err")"
fi
if siem_probe wait --text "tcp-slow $token" --count 40 --timeout 90 >/dev/null 2>&1; then
    pass $T/tcp-slowed-not-lost
else
    fail $T/tcp-slowed-not-lost "not all 40 TCP records stored within 90 s"
fi
siem_settled 120 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(cat "$SIEM_STATE/settled.err")"
siem query --text "$first" >"$SIEM_STATE/first.jsonl" 2>&1 || true
[ "$(wc -l <"$SIEM_STATE/first.jsonl")" = 1 ] && pass $T/first-event-kept ||
    fail $T/first-event-kept "$(head -c 300 "$SIEM_STATE/first.jsonl")"
siem_probe beat store --where 'evicted_young==0' --where 'segments_reclaimed==0' --timeout 30 \
    >/dev/null 2>"$SIEM_STATE/store.err" && pass $T/nothing-evicted ||
    fail $T/nothing-evicted "$(tail -n 1 "$SIEM_STATE/store.err")"
