# shellcheck shell=bash
# Helpers for boot-and-probe tests: boot an image under a timeout, then
# assert on its exit status and console output. Sourced by tests/boot/*.sh.
# Each assertion prints one "PASS name" or "FAIL name: reason" line.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOGS=${LOGS:-$ROOT/build/tests/logs}
mkdir -p "$LOGS"

# build_app DIR: build an app image quietly; print a FAIL line if it fails.
build_app() {
    local name
    name=$(basename "$1")
    if ! make -s -C "$ROOT" APP="$1" >"$LOGS/build-$name.log" 2>&1; then
        echo "FAIL build/$name: $(grep -m1 -E 'error|Error' "$LOGS/build-$name.log")"
        return 1
    fi
}

# boot NAME [tools/run options...] IMAGE: boot and keep the console in
# $LOGS/NAME.log (CR stripped) and the exit status in $BOOT_RC.
boot() {
    local name=$1
    shift
    set +e
    "$ROOT/tools/run" --timeout "${BOOT_TIMEOUT:-60}" "$@" </dev/null >"$LOGS/$name.raw" 2>&1
    BOOT_RC=$?
    set -e
    tr -d '\r' <"$LOGS/$name.raw" >"$LOGS/$name.log"
    BOOT_LOG=$LOGS/$name.log
}

# expect NAME WANT_RC REGEX...: the last boot exited with WANT_RC and its
# console matched every extended REGEX; report the result as test NAME.
expect() {
    local name=$1 want=$2 re
    shift 2
    if [ "$BOOT_RC" != "$want" ]; then
        echo "FAIL $name: exit status $BOOT_RC, expected $want; last lines: $(tail -n 3 "$BOOT_LOG" | tr '\n' '|')"
        return 0
    fi
    for re in "$@"; do
        if ! grep -qE -- "$re" "$BOOT_LOG"; then
            echo "FAIL $name: console lacks /$re/; see $BOOT_LOG"
            return 0
        fi
    done
    echo "PASS $name"
}

# netns_tap_up NAME: a network namespace of our own holding tap0 at
# 10.0.3.1/24, for tests that must see the guest's own packets (QEMU's user
# networking rewrites them). Removed by netns_down NAME.
netns_tap_up() {
    ip netns add "$1"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" ip tuntap add dev tap0 mode tap
    ip netns exec "$1" ip addr add 10.0.3.1/24 dev tap0
    ip netns exec "$1" ip link set tap0 up
}

netns_down() {
    ip netns del "$1" 2>/dev/null || true
}

# netns_boot NAME LOG CMDLINE IMAGE: boot IMAGE in namespace NAME on tap0
# in the background, in a process group of its own (its id in $NETNS_QEMU;
# netns_stop ends it), console to LOG.
netns_boot() {
    setsid ip netns exec "$1" env QEMU_EXTRA="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,disable-legacy=on" \
        "$ROOT/tools/run" --timeout 60 --append "$3" "$4" </dev/null >"$2" 2>&1 &
    NETNS_QEMU=$!
}

netns_stop() {
    [ -n "${NETNS_QEMU:-}" ] || return 0
    kill -- -"$NETNS_QEMU" 2>/dev/null || true
    wait "$NETNS_QEMU" 2>/dev/null || true
    NETNS_QEMU=""
}

# can_netns: root, /dev/net/tun and iproute2 are there.
can_netns() {
    [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && command -v ip >/dev/null
}

# free_port: a port number free on 127.0.0.1 for both TCP and UDP right now.
free_port() {
    python3 - <<'PY'
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port)); break
    except OSError:
        pass
    finally:
        t.close(); u.close()
print(port)
PY
}

# stop_vm: end the VM a test started in the background in a process group
# of its own (its id in $VM_PID), if any.
VM_PID=""
stop_vm() {
    if [ -n "$VM_PID" ]; then
        kill -TERM -- "-$VM_PID" 2>/dev/null || true
        wait "$VM_PID" 2>/dev/null || true
        VM_PID=""
    fi
}
