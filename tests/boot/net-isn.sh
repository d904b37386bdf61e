#!/usr/bin/env bash
# TCP initial sequence numbers must not be predictable (RFC 6528): boot the
# echo image on a tap device in a network namespace this test creates,
# connect repeatedly, capture the guest's SYN-ACKs and judge their ISNs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

name=net-isn-unpredictable
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null; then
    echo "FAIL $name: needs root, /dev/net/tun and iproute2 to create a network namespace"
    exit 0
fi
build_app apps/echo || exit 0
ns=uk-isn-$$
cleanup() {
    [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip tuntap add dev tap0 mode tap
ip netns exec "$ns" ip addr add 10.0.3.1/24 dev tap0
ip netns exec "$ns" ip link set tap0 up

ip netns exec "$ns" env QEMU_EXTRA="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,disable-legacy=on" \
    "$ROOT/tools/run" --timeout 60 --append "ip=10.0.3.2/24 gw=10.0.3.1 -- 7" \
    "$ROOT/build/echo/echo.elf" </dev/null >"$LOGS/$name.console" 2>&1 &
qpid=$!
for _ in $(seq 1 100); do
    grep -q 'listening' "$LOGS/$name.console" 2>/dev/null && break
    sleep 0.1
done
if ip netns exec "$ns" python3 "$ROOT/tests/boot/isn-probe.py" tap0 10.0.3.2 7 12 >"$LOGS/$name.log" 2>&1; then
    echo "PASS $name: $(grep '^verdict' "$LOGS/$name.log")"
else
    echo "FAIL $name: $(grep -E '^verdict|isn-probe' "$LOGS/$name.log" | head -n 2 | tr '\n' ' ') (see $LOGS/$name.log)"
fi
