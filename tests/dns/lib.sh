# Helpers for the DNS scripts in tests/dns/: start the host build of the
# server on a free port and stop it again. Sourced; sets ROOT.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DNS_PIDS=()
DNS_TMP=$(mktemp -d)

dns_cleanup() {
    for p in "${DNS_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$DNS_TMP"
}
trap dns_cleanup EXIT

# start_host_server NAME ZONEFILE: builds build/dns-host/dns and starts it
# on 127.0.0.1 with a free port; sets DNS_PORT, DNS_PID and DNS_ERR (its
# stderr, where sanitizer reports go). Prints a FAIL line and returns 1 if
# that does not work.
start_host_server() {
    local name=$1 zone=$2
    if ! make -s -C "$ROOT" dns-host >"$DNS_TMP/build.log" 2>&1; then
        echo "FAIL $name/build: $(grep -m1 -E 'error|Error' "$DNS_TMP/build.log")"
        return 1
    fi
    DNS_ERR=$DNS_TMP/dns.err
    "$ROOT/build/dns-host/dns" -a 127.0.0.1 -p 0 -z "$zone" >"$DNS_TMP/dns.out" 2>"$DNS_ERR" &
    DNS_PID=$!
    DNS_PIDS+=("$DNS_PID")
    DNS_PORT=""
    for _ in $(seq 100); do
        DNS_PORT=$(sed -n 's/.* port \([0-9]*\) (udp, tcp)$/\1/p' "$DNS_TMP/dns.out")
        [ -n "$DNS_PORT" ] && return 0
        sleep 0.1
    done
    echo "FAIL $name/setup: the server did not start: $(head -c 300 "$DNS_ERR")"
    return 1
}

# check_host_server NAME: the server is still running and its stderr holds
# no sanitizer report.
check_host_server() {
    local name=$1
    if ! kill -0 "$DNS_PID" 2>/dev/null; then
        echo "FAIL $name/server-alive: the server exited: $(tail -c 300 "$DNS_ERR")"
        return 1
    fi
    if grep -qE 'Sanitizer|runtime error' "$DNS_ERR"; then
        echo "FAIL $name/sanitizers: $(grep -m1 -E 'Sanitizer|runtime error' "$DNS_ERR")"
        return 1
    fi
    echo "PASS $name/server-alive (no sanitizer report)"
}
