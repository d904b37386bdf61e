#!/usr/bin/env bash
# The malformed-input storm (robustness.py) against the host build of the
# DNS server, or against a running server given with --target.
set -uo pipefail

usage() {
    cat <<'USAGE'
Usage: tests/dns/robustness.sh [--target ADDR:PORT] [--count N] [--seed S] [--label NAME]

Sends N (default 12000) malformed datagrams and garbage TCP streams, then
checks the server still answers and its counters (stats.server. CH TXT)
account for every datagram. The server must serve the example zone.
  default            the host build (make dns-host), started here with
                     ASan and UBSan; also checks it is alive and clean after
  --target ADDR:PORT a server already running, e.g. the booted unikernel
  --label NAME       result names start with NAME (default dns-robustness)
USAGE
}

source "$(dirname "${BASH_SOURCE[0]}")/../host/lib.sh"
target="" count=12000 seed=""
while [ $# -gt 0 ]; do
    case "$1" in
        --target) target=$2; shift 2 ;;
        --label) export DNS_TEST_LABEL=$2; shift 2 ;;
        --count) count=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

if [ -z "$target" ]; then
    start_dns_host dns-robustness "$ROOT/apps/dns/zones/example.test.zone" || exit 1
    target=127.0.0.1:$DNS_PORT
fi
(cd "$ROOT/tests/dns" && python3 robustness.py "$target" "$count" $seed)
rc=$?
if [ -n "${DNS_PID:-}" ]; then
    check_dns_host dns-robustness || rc=1
fi
exit $rc
