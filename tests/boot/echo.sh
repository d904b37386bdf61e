#!/usr/bin/env bash
# The echo image on a virtio-net device behind QEMU user networking, probed
# from this machine through forwarded ports: a UDP round trip, 1 MiB over
# TCP checked with SHA-256, 50 concurrent TCP clients, the DHCP line, and a
# static ip= configuration.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/echo || exit 0
img=$ROOT/build/echo/echo.elf
client=$ROOT/tests/boot/echo-client.py
command -v python3 >/dev/null || { echo "FAIL echo: python3 is needed to probe the image"; exit 0; }

trap stop_vm EXIT

# start_vm NAME [tools/run options...]: boot the echo image in the
# background, in a process group of its own so stop_vm ends all of it, and
# wait until it listens. The console goes to $LOGS/NAME.log.
start_vm() {
    local name=$1 i
    shift
    BOOT_LOG=$LOGS/$name.log
    setsid "$ROOT/tools/run" --timeout 300 "$@" "$img" </dev/null >"$BOOT_LOG" 2>&1 &
    VM_PID=$!
    for i in $(seq 1 300); do
        grep -q '^echo: listening' "$BOOT_LOG" && return 0
        kill -0 "$VM_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "FAIL $name: the image did not start listening; last lines: $(tail -n 3 "$BOOT_LOG" | tr -d '\r' | tr '\n' '|')"
    stop_vm
    return 1
}

# log_has NAME REGEX: the running VM's console matched REGEX.
log_has() {
    if tr -d '\r' <"$BOOT_LOG" | grep -qE -- "$2"; then
        echo "PASS $1"
    else
        echo "FAIL $1: console lacks /$2/; see $BOOT_LOG"
    fi
}

port=$(free_port)
if start_vm echo-dhcp --port "tcp:$port:7" --port "udp:$port:7"; then
    log_has echo-dhcp '^net: eth0 10\.0\.2\.15/24 gw 10\.0\.2\.2 \(dhcp\)$'
    log_has echo-forward-line "^forward: 127\.0\.0\.1:$port -> guest tcp/7$"
    python3 "$client" echo "$port" udp tcp-1mib tcp-50
    stop_vm
    c=$(tr -d '\r' <"$BOOT_LOG" | grep -c '^net: ' || true)
    [ "$c" = 1 ] && echo "PASS echo-one-net-line" || echo "FAIL echo-one-net-line: $c lines start with 'net: '"
fi

# A static address other than the one DHCP would give: the forward names it.
port=$(free_port)
if start_vm echo-static --append "ip=10.0.2.20/24 gw=10.0.2.2 dns=10.0.2.3 --" \
    --port "tcp:$port:10.0.2.20:7"; then
    log_has echo-static '^net: eth0 10\.0\.2\.20/24 gw 10\.0\.2\.2 \(static\)$'
    python3 "$client" echo-static "$port" tcp-small
    stop_vm
fi
