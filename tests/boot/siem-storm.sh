#!/usr/bin/env bash
# A storm of 10,000 malformed and oversized records over UDP, TCP (LF and
# octet counting, with broken octet counts) and RELP (bad records in good
# sessions, and sessions of broken frames): every module stays up and keeps
# beating, the normaliser counts what it saw (parse_errors, truncated,
# framing_errors, relp_errors), and a normal event afterwards still arrives.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-storm
N=10000
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0

if siem_load storm --udp "$SIEM_UDP" --tcp "$SIEM_TCP" --relp "$SIEM_RELP" --count $N >"$SIEM_STATE/sent.json" 2>"$SIEM_STATE/storm.err"; then
    pass $T/sent
else
    fail $T/sent "the sender failed: $(tail -n 2 "$SIEM_STATE/storm.err" | tr '\n' '|')"
    exit 0
fi

# Still there: each QEMU alive, and a heartbeat from each sent after the
# storm.
after=$(date +%s.%N)
for m in normaliser correlator store; do
    if [ -n "$(siem_qemu_pid "$m")" ] &&
        python3 -c "
import os, sys
sys.path.insert(0, os.environ['ROOT'] + '/tools')
import siem_probe
with siem_probe.connect(int(sys.argv[1])) as nc:
    siem_probe.wait_beat(nc, sys.argv[2], timeout=30, after=float(sys.argv[3]))
" "$SIEM_NATS" "$m" "$after" 2>"$SIEM_STATE/beat.err"; then
        pass $T/$m-alive
    else
        fail $T/$m-alive "no QEMU or no heartbeat after the storm: $(tail -n 1 "$SIEM_STATE/beat.err"); console: $(siem logs "$m" -n 3 | tr '\n' '|')"
    fi
done

# The normaliser counted the storm. Over TCP and RELP nothing is lost, so
# the counts there are known: one in 8 records has no <PRI> (a parse
# error), one in 8 is 100 KiB (truncated), 4 connections carry a broken
# octet count, 6 RELP sessions a broken frame.
siem_settled 180 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(cat "$SIEM_STATE/settled.err")"
siem_probe beat normaliser >"$SIEM_STATE/beat.json"
python3 - "$SIEM_STATE/sent.json" "$SIEM_STATE/beat.json" <<'PY'
import json, sys
sent = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))["counters"]
reliable = sent["tcp"] + sent["octet"] + sent["relp"]
want = {"parse_errors": reliable // 8, "truncated": sent["oversized_tcp_relp"],
        "framing_errors": sent["broken_octet"], "relp_errors": 5}
bad = ["%s=%s, expected at least %d" % (k, c.get(k), v) for k, v in want.items() if not c.get(k, -1) >= v]
print("FAIL siem-storm/counted: %s; counters %s" % ("; ".join(bad), json.dumps(c)) if bad
      else "PASS siem-storm/counted")
PY

# A normal line afterwards is stored like any other.
token=s$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=77 \
    -- "Failed password for after-$token from 203.0.113.77 port 40077 ssh2"
if siem_probe wait --text "after-$token" --count 1 --timeout 60 >"$SIEM_STATE/after.jsonl" 2>/dev/null &&
    grep -q '"action":"ssh_login"' "$SIEM_STATE/after.jsonl"; then
    pass $T/normal-event-after
else
    fail $T/normal-event-after "not stored within 60 s: $(head -c 300 "$SIEM_STATE/after.jsonl")"
fi
