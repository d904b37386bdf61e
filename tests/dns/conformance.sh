#!/usr/bin/env bash
# Conformance against a real server: runs Debian's NSD on 127.0.0.1 with the
# same zone as the server under test, sends both the same queries
# (conformance.py) and prints one PASS/FAIL line per query.
set -uo pipefail

usage() {
    cat <<'EOF'
Usage: tests/dns/conformance.sh [--target ADDR:PORT] [--zone FILE] [--label NAME]

Starts NSD on a free port of 127.0.0.1 with FILE (default: the example zone,
apps/dns/zones/example.test.zone; the zone is named after the file, minus
".zone") and compares its answers with the server under test:
  default            the host build (make dns-host), started here on a free port
  --target ADDR:PORT a server already running with the same zone, e.g. the
                     booted unikernel behind QEMU's hostfwd
  --label NAME       result names start with NAME (default dns-conformance)
Prints "PASS dns-conformance/<query>" or "FAIL ...: <difference>" per query.
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target="" zone=$ROOT/apps/dns/zones/example.test.zone
while [ $# -gt 0 ]; do
    case "$1" in
        --target) target=$2; shift 2 ;;
        --label) export DNS_TEST_LABEL=$2; shift 2 ;;
        --zone) zone=$(realpath "$2"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
origin=$(basename "$zone" .zone)
name=${DNS_TEST_LABEL:-dns-conformance}

if ! command -v nsd >/dev/null 2>&1 && [ ! -x /usr/sbin/nsd ]; then
    echo "FAIL $name/setup: NSD is not installed (fix: apt-get install nsd)"
    exit 1
fi
NSD=$(command -v nsd || echo /usr/sbin/nsd)

source "$ROOT/tests/host/lib.sh"
tmp=$(mktemp -d)
trap 'stop_bg; rm -rf "$tmp"' EXIT

# Waits until SERVER answers the zone's SOA (at most ~10 s).
wait_ready() {
    for _ in $(seq 100); do
        if python3 -c "
import sys; sys.path.insert(0, '$ROOT/tests/dns')
from dnslib import *
a, p = '$1'.rsplit(':', 1)
r = udp_exchange(a, int(p), build_query('$origin.', 'SOA'), timeout=0.2)
sys.exit(0 if r and Message(r).rcode == 0 else 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

nsd_port=$(free_port)
cp "$zone" "$tmp/zone"
cat >"$tmp/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$nsd_port
    username: ""
    chroot: ""
    zonesdir: "$tmp"
    database: ""
    pidfile: "$tmp/nsd.pid"
    xfrdfile: "$tmp/xfrd.state"
    zonelistfile: "$tmp/zone.list"
    logfile: "$tmp/nsd.log"
    server-count: 1
    verbosity: 1
    # Our server's choices, so the comparison is of behaviour, not of
    # configuration: minimal responses (no NS/glue added to positive
    # answers), no response-rate limiting.
    minimal-responses: yes
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "$origin"
    zonefile: "$tmp/zone"
EOF
run_bg "$tmp/nsd.out" "$NSD" -d -c "$tmp/nsd.conf"
if ! wait_ready "127.0.0.1:$nsd_port"; then
    echo "FAIL $name/setup: NSD did not start: $(tail -n 2 "$tmp/nsd.log" "$tmp/nsd.out" 2>/dev/null | tr '\n' ' ')"
    exit 1
fi

if [ -z "$target" ]; then
    start_dns_host "$name" "$zone" || exit 1
    target=127.0.0.1:$DNS_PORT
fi

(cd "$ROOT/tests/dns" && python3 conformance.py "127.0.0.1:$nsd_port" "$target" "$origin")
rc=$?
if [ -n "${DNS_PID:-}" ]; then
    check_dns_host "$name" || rc=1
fi
exit $rc
