#!/usr/bin/env bash
# The SIEM as a local attacker finds it (issue 16): with nothing but a
# socket to 127.0.0.1 and a local account, no one may log in to the bus
# anonymously, a module's identity may do only its module's job
# (siem-trust-probe.py: forged events, alerts, acknowledgements and
# heartbeats, eavesdropping, $JS.API), secrets are on no command line and
# the state folder is the SIEM's account's alone; a stream deleted with
# the operator's own key is re-created and raises an alert.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-trust
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
make -s -C "$ROOT" siem-nkey >/dev/null || { fail $T/nkey-tool "make siem-nkey failed"; exit 0; }
trap siem_cleanup EXIT
siem_up $T || exit 0
pass $T/up

python3 "$ROOT/tests/boot/siem-trust-probe.py" --state "$SIEM_STATE" --nats-port "$SIEM_NATS" ||
    true # each check printed its own line

# --- Secrets: on no command line, in no file another account can read ---
# Every process's arguments (anyone's: /proc/PID/cmdline is world-readable)
# must hold neither this SIEM's tokens nor any of its keys, and no process
# of this SIEM a token= or nkey= word.
seeds=$(cat "$SIEM_STATE"/keys/*.nk "$SIEM_STATE"/keys/store-seal.key)
leaks=""
for f in /proc/[0-9]*/cmdline; do
    words=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
    hit=0
    case "$words" in *"$SIEM_TOKEN"* | *"$SIEM_READ_TOKEN"*) hit=1 ;; esac
    case "$words" in *"$SIEM_STATE"*token=* | *"$SIEM_STATE"*nkey=*) hit=1 ;; esac
    for seed in $seeds; do
        case "$words" in *"$seed"*) hit=1 ;; esac
    done
    [ $hit = 0 ] || leaks="$leaks $(basename "$(dirname "$f")")"
done
if [ -z "$leaks" ]; then pass $T/no-secret-on-a-command-line; else
    fail $T/no-secret-on-a-command-line "processes with a secret in their arguments:$leaks"
fi
qemu=$(siem_qemu_pid manager)
if tr '\0' ' ' <"/proc/$qemu/cmdline" | grep -q 'fw_cfg name=opt/siem/secrets'; then
    pass $T/secrets-by-fw_cfg
else
    fail $T/secrets-by-fw_cfg "the manager's QEMU was not given its secrets file by fw_cfg"
fi

# Another account (nobody) can read nothing of the state folder.
modes=$(stat -c '%a %n' "$SIEM_STATE" "$SIEM_STATE/keys" "$SIEM_STATE"/keys/* "$SIEM_STATE/store.img" \
    "$SIEM_STATE/siem.json" "$SIEM_STATE/nats.conf" "$SIEM_STATE"/logs/*.log | awk '$1 !~ /^[67]00$/')
if [ -z "$modes" ]; then pass $T/state-modes; else fail $T/state-modes "readable by others: $(echo "$modes" | tr '\n' ' ')"; fi
readable=""
for f in siem.json nats.conf keys/operator.nk keys/manager.secrets store.img logs/store.log; do
    if runuser -u nobody -- cat "$SIEM_STATE/$f" >/dev/null 2>&1; then readable="$readable $f"; fi
done
if [ -z "$readable" ]; then pass $T/other-uid-reads-nothing; else
    fail $T/other-uid-reads-nothing "nobody could read:$readable"
fi

# The web UI still takes the token it is given (it now comes from fw_cfg).
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $SIEM_TOKEN" \
    "http://127.0.0.1:$SIEM_WEB/api/alerts/0123456789abcdef0123456789abcdef/ack" || true)
if [ "$code" != 401 ] && [ "$code" != 000 ]; then pass $T/manager-token-works; else
    fail $T/manager-token-works "the manager refused its own token (HTTP $code)"
fi

# --- The operator's key deletes EVENTS: re-created, and an alert says so ---
python3 "$ROOT/tools/siem_nats.py" --server "127.0.0.1:$SIEM_NATS" req '$JS.API.STREAM.DELETE.EVENTS' \
    >"$SIEM_STATE/delete.out" 2>&1 || true
if ! grep -q '"success":true' "$SIEM_STATE/delete.out"; then
    fail $T/operator-delete "the operator could not delete EVENTS: $(head -c 300 "$SIEM_STATE/delete.out")"
else
    found=""
    for _ in $(seq 1 60); do
        found=$(siem query --alerts --since 10m 2>/dev/null | grep -c siem-bus-repaired || true)
        [ "$found" -gt 0 ] && break
        sleep 1
    done
    if [ "$found" -gt 0 ]; then pass $T/stream-deleted-alert; else
        fail $T/stream-deleted-alert "no siem-bus-repaired alert in the store 60 s after EVENTS was deleted"
    fi
    if siem status --json | python3 -c 'import json,sys; r=json.load(sys.stdin)["bus_repairs"]; sys.exit(0 if r else 1)' \
        2>/dev/null; then pass $T/stream-deleted-status; else
        fail $T/stream-deleted-status "status --json names no bus repair"
    fi
    # And events flow again into the re-created stream, to the store.
    logger -n 127.0.0.1 -P "$SIEM_TCP" -T --rfc5424 -t sshd "Failed password for root from 10.66.0.1 port 22 ssh2 trustprobe"
    got=0
    for _ in $(seq 1 30); do
        got=$(siem query --since 10m source.ip=10.66.0.1 2>/dev/null | grep -c trustprobe || true)
        [ "$got" -gt 0 ] && break
        sleep 1
    done
    if [ "$got" -gt 0 ]; then pass $T/events-flow-after-repair; else
        fail $T/events-flow-after-repair "an event sent after the repair was not stored within 30 s"
    fi
fi
