#!/usr/bin/env bash
# Network identifiers an off-path attacker must not guess: TCP initial
# sequence numbers (RFC 6528), DNS transaction ids and source ports. The
# images run on a tap device in a network namespace this test creates, so
# their own packets are seen (QEMU's user networking would rewrite them).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! can_netns; then
    echo "FAIL net-isn-unpredictable: needs root, /dev/net/tun and iproute2 to create a network namespace"
    exit 0
fi
ns=uk-net-$$
NETNS_QEMU=""
cleanup() {
    netns_stop
    netns_down "$ns"
}
trap cleanup EXIT
netns_tap_up "$ns"

# TCP: connect a dozen times to the echo image and judge its SYN-ACKs.
name=net-isn-unpredictable
if build_app apps/echo; then
    netns_boot "$ns" "$LOGS/$name.console" "ip=10.0.3.2/24 gw=10.0.3.1 -- 7" "$ROOT/build/echo/echo.elf"
    for _ in $(seq 1 100); do
        grep -q 'listening' "$LOGS/$name.console" 2>/dev/null && break
        sleep 0.1
    done
    if ip netns exec "$ns" python3 "$ROOT/tests/boot/isn-probe.py" tap0 10.0.3.2 7 12 >"$LOGS/$name.log" 2>&1; then
        echo "PASS $name: $(grep '^verdict' "$LOGS/$name.log")"
    else
        echo "FAIL $name: $(grep -E '^verdict|isn-probe' "$LOGS/$name.log" | head -n 2 | tr '\n' ' ') (see $LOGS/$name.log)"
    fi
    netns_stop
fi

# DNS: the resolver's queries to a stand-in server in the namespace.
name=net-dns-ids-unpredictable
if build_app tests/boot/apps/resolve; then
    names="a.test b.test c.test d.test e.test f.test g.test h.test i.test j.test"
    ip netns exec "$ns" python3 "$ROOT/tests/boot/dns-ids-probe.py" 10.0.3.1 30 10 >"$LOGS/$name.log" 2>&1 &
    probe=$!
    sleep 0.3
    netns_boot "$ns" "$LOGS/$name.console" "ip=10.0.3.2/24 gw=10.0.3.1 dns=10.0.3.1 -- $names" \
        "$ROOT/build/resolve/resolve.elf"
    if wait "$probe"; then
        echo "PASS $name: $(grep '^verdict' "$LOGS/$name.log")"
    else
        echo "FAIL $name: $(grep '^verdict' "$LOGS/$name.log") (see $LOGS/$name.log)"
    fi
    for _ in $(seq 1 100); do # the image exits once its lookups are done
        kill -0 "$NETNS_QEMU" 2>/dev/null || break
        sleep 0.1
    done
    netns_stop
    if grep -q '^resolve: j.test: ' "$LOGS/$name.console"; then
        echo "PASS net-dns-nxdomain-reported"
    else
        echo "FAIL net-dns-nxdomain-reported: the image did not finish its lookups; see $LOGS/$name.console"
    fi
fi
