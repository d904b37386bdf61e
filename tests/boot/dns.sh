#!/usr/bin/env bash
# The DNS image booted in QEMU (user networking, forwarded ports) and probed
# from this machine: dig and kdig answers, the NSD comparison and the
# malformed-input storm against the unikernel itself, and zones given as
# boot modules, a broken one refused with its line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/dns || exit 0
img=$ROOT/build/dns/dns.elf
dns_tests=$ROOT/tests/dns

port=$(free_port)

trap stop_vm EXIT

# start_vm NAME [tools/run options...]: boots the image in the background
# (its own process group) with the DNS port forwarded, and waits for the
# startup line. The console goes to $LOGS/NAME.log.
start_vm() {
    local name=$1 i
    shift
    BOOT_LOG=$LOGS/$name.log
    setsid "$ROOT/tools/run" --timeout 300 --port "udp:$port:53" --port "tcp:$port:53" "$@" \
        "$img" </dev/null >"$BOOT_LOG" 2>&1 &
    VM_PID=$!
    for i in $(seq 1 300); do
        grep -q '^dns: serving' "$BOOT_LOG" && return 0
        kill -0 "$VM_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "FAIL $name: the server did not start; last lines: $(tail -n 3 "$BOOT_LOG" | tr -d '\r' | tr '\n' '|')"
    stop_vm
    return 1
}

# check NAME OUTPUT REGEX...: OUTPUT matched every extended REGEX.
check() {
    local name=$1 out=$2 re
    shift 2
    for re in "$@"; do
        if ! grep -qE -- "$re" <<<"$out"; then
            echo "FAIL $name: no /$re/ in: $(head -c 300 <<<"$out" | tr '\n' '|')"
            return 0
        fi
    done
    echo "PASS $name"
}

if start_vm dns-boot; then
    check dns/startup-line "$(tr -d '\r' <"$BOOT_LOG")" \
        '^dns: serving 1 zone: example\.test\. \([0-9]+ records\) on 0\.0\.0\.0 port 53 \(udp, tcp\)$'
    check dns/dig-udp "$(dig @127.0.0.1 -p "$port" www.example.test +norec +time=3 +tries=2)" \
        'status: NOERROR' 'flags: qr aa;' 'IN	A	192\.0\.2\.80' 'IN	A	192\.0\.2\.81'
    check dns/dig-udp-truncated \
        "$(dig @127.0.0.1 -p "$port" big.example.test TXT +norec +ignore +noedns +time=3 +tries=2)" \
        'flags: qr aa tc;'
    check dns/kdig-tcp-large "$(kdig @127.0.0.1 -p "$port" +tcp big.example.test TXT +time=3)" \
        'status: NOERROR' 'ANSWER: 40'
    check dns/dig-nxdomain "$(dig @127.0.0.1 -p "$port" nope.example.test +norec +time=3 +tries=2)" \
        'status: NXDOMAIN' 'example\.test\.	+300	IN	SOA'
    "$dns_tests/conformance.sh" --target "127.0.0.1:$port" --label dns/conformance || true
    "$dns_tests/robustness.sh" --target "127.0.0.1:$port" --label dns/robustness || true
    stop_vm
fi

# A zone as a boot module replaces the one compiled in; one with an error
# stops the server, naming the module and the line.
zones=$ROOT/build/tests/dns-zones
mkdir -p "$zones"
printf '$ORIGIN other.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n NS ns\nns A 192.0.2.7\nhello TXT "from a module"\n' \
    >"$zones/other.test.zone"
printf '$ORIGIN bad.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n NS ns\nx A 300.1.2.3\n' >"$zones/bad.test.zone"
if start_vm dns-module --initrd "$zones/other.test.zone"; then
    check dns/module-zone "$(dig @127.0.0.1 -p "$port" hello.other.test TXT +norec +time=3 +tries=2)" \
        'status: NOERROR' '"from a module"'
    check dns/module-replaces-builtin "$(dig @127.0.0.1 -p "$port" www.example.test +norec +time=3 +tries=2)" \
        'status: REFUSED'
    stop_vm
fi
boot dns-bad-module --initrd "$zones/bad.test.zone" "$img"
expect dns/bad-module-refused 1 "^dns: module0:5: bad IPv4 address '300\.1\.2\.3'$" \
    '^dns: 1 of 1 zone rejected; not serving$'
