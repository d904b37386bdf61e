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
fwd=(--port "udp:$port:53" --port "tcp:$port:53")

if start_image dns-boot "^dns: serving" "${fwd[@]}" "$img"; then
    log_has dns/startup-line "$BOOT_LOG" \
        '^dns: serving 1 zone: example\.test\. \([0-9]+ records\) on 0\.0\.0\.0 port 53 \(udp, tcp\)$'
    match dns/dig-udp "$(dig @127.0.0.1 -p "$port" www.example.test +norec +time=3 +tries=2)" \
        'status: NOERROR' 'flags: qr aa;' 'IN	A	192\.0\.2\.80' 'IN	A	192\.0\.2\.81'
    match dns/dig-udp-truncated \
        "$(dig @127.0.0.1 -p "$port" big.example.test TXT +norec +ignore +noedns +time=3 +tries=2)" \
        'flags: qr aa tc;'
    match dns/kdig-tcp-large "$(kdig @127.0.0.1 -p "$port" +tcp big.example.test TXT +time=3)" \
        'status: NOERROR' 'ANSWER: 40'
    match dns/dig-nxdomain "$(dig @127.0.0.1 -p "$port" nope.example.test +norec +time=3 +tries=2)" \
        'status: NXDOMAIN' 'example\.test\.	+300	IN	SOA'
    # The server's own logic, the same on every machine type: on pc only.
    if [ "$MACHINE" = pc ]; then
        producer dns/conformance "$dns_tests/conformance.sh" --target "127.0.0.1:$port" \
            --label dns/conformance
        producer dns/robustness "$dns_tests/robustness.sh" --target "127.0.0.1:$port" \
            --label dns/robustness
    fi
    stop_vm
fi

# A zone as a boot module replaces the one compiled in; one with an error
# stops the server, naming the module and the line.
zones=$ROOT/build/tests/dns-zones
mkdir -p "$zones"
printf '$ORIGIN other.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n NS ns\nns A 192.0.2.7\nhello TXT "from a module"\n' \
    >"$zones/other.test.zone"
printf '$ORIGIN bad.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n NS ns\nx A 300.1.2.3\n' >"$zones/bad.test.zone"
if start_image dns-module "^dns: serving" "${fwd[@]}" --initrd "$zones/other.test.zone" "$img"; then
    match dns/module-zone "$(dig @127.0.0.1 -p "$port" hello.other.test TXT +norec +time=3 +tries=2)" \
        'status: NOERROR' '"from a module"'
    match dns/module-replaces-builtin "$(dig @127.0.0.1 -p "$port" www.example.test +norec +time=3 +tries=2)" \
        'status: REFUSED'
    stop_vm
fi
boot dns-bad-module --initrd "$zones/bad.test.zone" "$img"
expect dns/bad-module-refused 1 "^dns: module0:5: bad IPv4 address '300\.1\.2\.3'$" \
    '^dns: 1 of 1 zone rejected; not serving$'
