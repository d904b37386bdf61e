#!/usr/bin/env bash
# Events dated far in the future cannot blind the correlator: nine forged
# events for one address, published straight on the bus with event.created
# in 2200 (8 failed sshd logins and a success, as someone who can publish
# on siem.events.* would), then ten real failed logins and a success from
# that address through syslog: the real success still raises
# ssh_login_after_failures, and the correlator counts the forged times as
# clamped. Before the clamp the forged firings suppressed the address until
# 2200.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-forged-time
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
# skew-future=1: forged times are clamped to reception + 1 s, so the real
# events need only wait a few seconds to come after them.
siem_up $T --arg correlator=skew-future=1 || exit 0
token=f$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
ip=198.51.100.$((RANDOM % 200 + 20))

# The forgery: each published with JetStream's acknowledgement.
if python3 - "$SIEM_NATS" "$ip" "$token" <<'PY' 2>"$SIEM_STATE/forge.err"; then
import json, os, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
port, ip, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with siem_probe.connect(port) as nc:
    for i in range(9):
        outcome = "success" if i == 8 else "failure"
        t = "2200-01-01T00:00:%02d.000Z" % i
        ev = {"@timestamp": t,
              "event": {"id": "%032x" % (0xf0f0 << 64 | i), "created": t, "kind": "event",
                        "category": "authentication", "type": "start", "action": "ssh_login",
                        "outcome": outcome},
              "process": {"name": "sshd"}, "source": {"ip": ip, "port": 40000 + i},
              "user": {"name": "forged-" + token}, "message": "forged " + token}
        ack = nc.request("siem.events.authentication", json.dumps(ev), timeout=10).json()
        if "seq" not in ack:
            sys.exit("no PubAck: %r" % ack)
PY
    pass $T/forged-published
else
    fail $T/forged-published "$(tail -n 2 "$SIEM_STATE/forge.err" | tr '\n' '|')"
    exit 0
fi
# The correlator has taken the forgery in before the real events come, and
# the real ones come after the clamped time (reception + skew-future):
# settled is after the reception, so 4 s later is past it whatever the
# machine's speed, with 3 s to spare for the guest's clock (read from the
# RTC in whole seconds at boot) being behind the host's.
siem_settled 120 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(cat "$SIEM_STATE/settled.err")"
sleep 4

for i in $(seq 0 9); do
    logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=$((4000 + i)) \
        -- "Failed password for real-$token from $ip port $((52000 + i)) ssh2"
done
logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t sshd -p authpriv.info --id=4010 \
    -- "Accepted password for real-$token from $ip port 52010 ssh2"

if siem_probe wait --text "Accepted password for real-$token" --count 1 --timeout 60 >"$SIEM_STATE/success.jsonl" 2>/dev/null; then
    id=$(python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['event']['id'])" "$SIEM_STATE/success.jsonl")
    if siem_probe wait --alerts trigger.event_id="$id" --count 1 --timeout 60 >"$SIEM_STATE/alert.jsonl" 2>/dev/null &&
        grep -q '"name":"ssh_login_after_failures"' "$SIEM_STATE/alert.jsonl"; then
        pass $T/real-attack-alerted
    else
        siem query --alerts group.value="$ip" >"$SIEM_STATE/alerts.jsonl" 2>&1 || true
        fail $T/real-attack-alerted "no ssh_login_after_failures alert triggered by the real success $id; alerts for $ip: $(head -c 600 "$SIEM_STATE/alerts.jsonl")"
    fi
else
    fail $T/real-attack-alerted "the real success was not stored within 60 s"
fi

if siem_probe beat correlator --where 'clamped_events>=9' --timeout 30 >/dev/null 2>"$SIEM_STATE/beat.err"; then
    pass $T/clamped-counted
else
    fail $T/clamped-counted "$(tail -n 1 "$SIEM_STATE/beat.err")"
fi
