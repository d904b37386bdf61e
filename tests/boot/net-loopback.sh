#!/usr/bin/env bash
# Sockets with no network device: the nettest image talks TCP and UDP to
# itself over 127.0.0.1 and ::1 (1 MiB echoed with a checksum, poll/select,
# timeouts, ECONNREFUSED, ENETDOWN, getaddrinfo). Each of its checks becomes
# one test result here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/nettest || exit 0
img=$ROOT/build/nettest/nettest.elf

boot net-loopback "$img"
expect net-loopback 0 '^net: no network device; sockets to other hosts fail with ENETDOWN$' \
    '^nettest: all passed$'
image_checks net-loopback nettest 27
expect_count net-loopback/one-net-line "$BOOT_LOG" 1 '^net: '

# Console input ends a poll() that waits on a socket and stdin together:
# the line is typed once the image says it waits for it.
fifo=$LOGS/net-console.in
rm -f "$fifo"
mkfifo "$fifo"
exec 3<>"$fifo" # held open both ways: neither QEMU nor we block opening it
if BG_INPUT=$fifo VM_TIMEOUT=60 start_image net-console '^nettest: waiting for console input$' \
    --append "-- console" "$img"; then
    printf 'typed\n' >&3
    BOOT_RC=0
    wait "$VM_PID" || BOOT_RC=$?
    VM_PID=""
    expect net-console 0 '^nettest: poll gave 1 after [0-9.]+ s, console read "typed"$'
fi
exec 3>&-

# The stack's static pools and buffers fit a small VM.
boot net-loopback-16MiB --mem 16M "$img"
expect net-loopback-16MiB 0 '^nettest: all passed$'

# Images that do not use sockets carry no lwIP.
build_app apps/hello || exit 0
if nm "$ROOT/build/hello/hello.elf" 2>/dev/null | grep -qE ' (lwip_|tcpip_|tcp_input|sys_arch_)'; then
    echo "FAIL net-not-linked-without-sockets: hello.elf contains lwIP symbols"
elif [ -f "$ROOT/build/hello/hello.elf" ]; then
    echo "PASS net-not-linked-without-sockets"
fi
