#!/usr/bin/env bash
# The normaliser under a local attacker: 200 idle TCP connections from one
# process must not keep another sender's TCP line out of the store or its
# RELP record from being acknowledged (within 15 s); the normaliser counts
# the connections it closed. UDP datagrams of 32 KiB and of 65,507 bytes
# (the most UDP carries) are taken, cut at max-line and stored. With
# idle=20, a quiet TCP connection and a quiet RELP session are closed
# (within 60 s) and counted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-resilience
HELPER=$ROOT/tests/boot/siem-resilience.py
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T --arg normaliser=idle=20 || exit 0

token=r$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
if python3 "$HELPER" starve --tcp "$SIEM_TCP" --relp "$SIEM_RELP" --nats "$SIEM_NATS" \
    --idle 200 --token "$token" --bound 15 >"$SIEM_STATE/starve.json" 2>"$SIEM_STATE/starve.err"; then
    r=$(cat "$SIEM_STATE/starve.json")
    for k in relp_ack_s tcp_stored_s; do
        if python3 -c "import json,sys; sys.exit(json.loads(sys.argv[1])[sys.argv[2]] is None)" "$r" "$k"; then
            pass "$T/idle-200-$k"
        else
            fail "$T/idle-200-$k" "not within 15 s with 200 idle connections open: $r"
        fi
    done
else
    fail "$T/idle-200" "the attacker failed: $(tail -n 2 "$SIEM_STATE/starve.err" | tr '\n' '|')"
fi

# The connections the normaliser closed or refused are in its heartbeat.
if siem_probe beat normaliser --where 'connections_evicted>=1' --timeout 30 >"$SIEM_STATE/beat.json" 2>/dev/null; then
    pass "$T/counted"
else
    fail "$T/counted" "no heartbeat with connections_evicted>=1: $(siem_probe beat normaliser --timeout 10 2>&1 | head -c 600)"
fi

if python3 "$HELPER" udp --udp "$SIEM_UDP" --nats "$SIEM_NATS" --token "$token" \
    --size 32768 --size 65507 --bound 30 >"$SIEM_STATE/udp.json" 2>"$SIEM_STATE/udp.err"; then
    r=$(cat "$SIEM_STATE/udp.json")
    for n in 32768 65507; do
        if python3 -c "import json,sys; sys.exit(json.loads(sys.argv[1])[sys.argv[2]] is None)" "$r" "$n"; then
            pass "$T/udp-$n"
        else
            fail "$T/udp-$n" "a $n-byte datagram was not stored within 30 s: $r; counters $(siem_probe beat normaliser --timeout 10 2>&1 | head -c 600)"
        fi
    done
else
    fail "$T/udp" "the sender failed: $(tail -n 2 "$SIEM_STATE/udp.err" | tr '\n' '|')"
fi

if python3 "$HELPER" idle --tcp "$SIEM_TCP" --relp "$SIEM_RELP" --bound 120 >"$SIEM_STATE/idle.json" 2>"$SIEM_STATE/idle.err"; then
    r=$(cat "$SIEM_STATE/idle.json")
    for k in tcp_closed_s relp_closed_s; do
        if python3 -c "import json,sys; sys.exit(json.loads(sys.argv[1])[sys.argv[2]] is None)" "$r" "$k"; then
            pass "$T/idle-timeout-$k"
        else
            fail "$T/idle-timeout-$k" "a quiet connection was still open after 120 s with idle=20: $r; counters $(siem_probe beat normaliser --timeout 10 2>&1 | head -c 900)"
        fi
    done
    if siem_probe beat normaliser --where 'connections_timed_out>=2' --timeout 60 >/dev/null 2>&1; then
        pass "$T/idle-timeout-counted"
    else
        fail "$T/idle-timeout-counted" "no heartbeat with connections_timed_out>=2 within 60 s: $r; counters $(siem_probe beat normaliser --timeout 10 2>&1 | head -c 900)"
    fi
else
    fail "$T/idle-timeout" "the client failed: $(tail -n 2 "$SIEM_STATE/idle.err" | tr '\n' '|')"
fi
