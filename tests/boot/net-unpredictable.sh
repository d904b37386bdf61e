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
trap 'stop_bg; netns_down "$ns"' EXIT
netns_tap_up "$ns"

# TCP: connect a dozen times to the echo image and judge its SYN-ACKs.
name=net-isn-unpredictable
if build_app apps/echo &&
    netns_image "$ns" "$name" '^echo: listening' "ip=10.0.3.2/24 gw=10.0.3.1 -- 7" \
        "$ROOT/build/echo/echo.elf"; then
    if ip netns exec "$ns" python3 "$ROOT/tests/boot/isn-probe.py" tap0 10.0.3.2 7 12 >"$LOGS/$name.log" 2>&1; then
        echo "PASS $name: $(grep '^verdict' "$LOGS/$name.log")"
    else
        echo "FAIL $name: $(grep -E '^verdict|isn-probe' "$LOGS/$name.log" | head -n 2 | tr '\n' ' ') (see $LOGS/$name.log)"
    fi
    stop_vm
fi

# DNS: the resolver's queries to a stand-in server in the namespace, which
# listens before the image boots.
name=net-dns-ids-unpredictable
names="a.test b.test c.test d.test e.test f.test g.test h.test i.test j.test"
if build_app tests/boot/apps/resolve &&
    start_bg "$name" "$LOGS/$name.log" '^listening on udp port 53$' \
        ip netns exec "$ns" python3 "$ROOT/tests/boot/dns-ids-probe.py" 10.0.3.1 30 10; then
    probe=$BG_PID
    # The image exits once its lookups are done; the last one is j.test.
    if netns_image "$ns" net-dns-nxdomain-reported '^resolve: j\.test: ' \
        "ip=10.0.3.2/24 gw=10.0.3.1 dns=10.0.3.1 -- $names" "$ROOT/build/resolve/resolve.elf"; then
        echo "PASS net-dns-nxdomain-reported"
    fi
    verdict=""
    if wait "$probe"; then
        verdict=$(grep '^verdict' "$LOGS/$name.log") || :
        echo "PASS $name: $verdict"
    else
        verdict=$(grep '^verdict' "$LOGS/$name.log") || :
        echo "FAIL $name: $verdict (see $LOGS/$name.log)"
    fi
    stop_vm
fi
