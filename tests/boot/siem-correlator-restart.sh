#!/usr/bin/env bash
# The correlator dies mid-stream: 30 addresses each fail 10 sshd logins,
# interleaved; its QEMU is killed with SIGKILL once 5 alerts have fired
# and the other addresses are one failure short of the threshold, the rest
# is sent while it boots again and replays. In the end every address has exactly one ssh_brute_force
# alert in the store: none missed, none doubled.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-correlator-restart
IPS=30 FAILS=10
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
token=c$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

# 300 failures; round r carries failure r+1 of every address, so the 8th
# round (records 210-239) fires the 30 alerts. The sequence is sent in two
# parts, the kill between them: first seven rounds and the first 5
# addresses' 8th failure (records 0-214: 5 alerts fire, the other 25
# addresses are one short of their threshold), then the rest. No race: the
# correlator is killed with exactly 5 alerts fired whatever the machine's
# speed.
FIRST=$((7 * IPS + 5))
brute() { python3 "$SIEM_LOAD" brute tcp "$SIEM_TCP" --ips $IPS --fails $FAILS --token "$token" --net 198.51 "$@"; }
brute --records 0:$FIRST --pause 0.01 >"$SIEM_STATE/sender.out" 2>&1 ||
    { fail $T/sender "$(tail -n 2 "$SIEM_STATE/sender.out" | tr '\n' '|')"; exit 0; }
# Kill it once the 5 alerts are in ALERTS.
if ! siem_probe messages ALERTS --at-least 5 --timeout 120 >/dev/null 2>"$SIEM_STATE/floor.err"; then
    fail $T/kill "$(cat "$SIEM_STATE/floor.err")"
    exit 0
fi
qemu=$(siem_qemu_pid correlator)
if [ -z "$qemu" ]; then
    fail $T/kill "the correlator's QEMU ended before the kill; console: $(siem logs correlator -n 12 | tr '\n' '|')"
    exit 0
fi
kill -9 "$qemu"
fired=$(siem_probe messages ALERTS --at-least 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"])')
echo "correlator killed with $fired alerts in ALERTS" >&2
[ "$fired" -lt $IPS ] && pass $T/killed-mid-stream || fail $T/killed-mid-stream "all $IPS alerts had fired before the kill"
brute --records $FIRST: --pause 0.01 >>"$SIEM_STATE/sender.out" 2>&1 && pass $T/sender-done ||
    fail $T/sender-done "$(tail -n 2 "$SIEM_STATE/sender.out" | tr '\n' '|')"

# The supervisor boots it again (on the same disk, for the store).
log=$SIEM_STATE/logs/correlator.log
if siem_restart correlator; then
    line=$(tr -d '\r' <"$log" | grep '^correlator: replayed' | tail -n 1 || true)
    [[ "$line" =~ ^correlator:\ replayed\ [0-9]+\ events\ .*\ [0-9]+\ known\ alerts\;\ caught\ up\ with\ [0-9]+\ events\ after\ it$ ]] &&
        pass $T/replay-line || fail $T/replay-line "got '$line'"
else
    fail $T/restart "the correlator did not get ready again; $(tail -n 3 "$log" | tr '\n' '|')"
    exit 0
fi

siem_settled 180 2>"$SIEM_STATE/settled.err" || fail $T/settled "$(cat "$SIEM_STATE/settled.err")"
siem_probe dump --alerts >"$SIEM_STATE/alerts.jsonl"
python3 - "$SIEM_STATE/alerts.jsonl" $IPS <<'PY'
import collections, json, os, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_load
alerts = [json.loads(l) for l in open(sys.argv[1])]
ips = {siem_load.brute_ip(a, "198.51") for a in range(int(sys.argv[2]))}
per = collections.Counter(a["group"]["value"] for a in alerts if a["rule"]["name"] == "ssh_brute_force")
missed = sorted(ips - set(per))
doubled = sorted(ip for ip, n in per.items() if n > 1)
other = sorted(set(per) - ips)
if missed or doubled or other:
    print("FAIL siem-correlator-restart/one-alert-per-address: missed %s, doubled %s, unexpected %s" % (
        missed, {ip: per[ip] for ip in doubled}, other))
else:
    print("PASS siem-correlator-restart/one-alert-per-address")
ids = collections.Counter(a["event"]["id"] for a in alerts)
twice = [i for i, n in ids.items() if n > 1]
print("FAIL siem-correlator-restart/alerts-stored-once: %d alert ids stored twice" % len(twice) if twice
      else "PASS siem-correlator-restart/alerts-stored-once")
PY
