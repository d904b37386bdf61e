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

port=$(free_port)
if start_image echo-dhcp '^echo: listening' --port "tcp:$port:7" --port "udp:$port:7" "$img"; then
    log_has echo-dhcp "$BOOT_LOG" '^net: eth0 10\.0\.2\.15/24 gw 10\.0\.2\.2 \(dhcp\)$'
    log_has echo-forward-line "$BOOT_LOG" "^forward: 127\.0\.0\.1:$port -> guest tcp/7$"
    producer echo-client python3 "$client" echo "$port" udp tcp-1mib tcp-50
    stop_vm
    expect_count echo-one-net-line "$BOOT_LOG" 1 '^net: '
fi

# A static address other than the one DHCP would give: the forward names it.
port=$(free_port)
if start_image echo-static '^echo: listening' --append "ip=10.0.2.20/24 gw=10.0.2.2 dns=10.0.2.3 --" \
    --port "tcp:$port:10.0.2.20:7" "$img"; then
    log_has echo-static "$BOOT_LOG" '^net: eth0 10\.0\.2\.20/24 gw 10\.0\.2\.2 \(static\)$'
    producer echo-client-static python3 "$client" echo-static "$port" tcp-small
    stop_vm
fi
