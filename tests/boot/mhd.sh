#!/usr/bin/env bash
# Debian's libmicrohttpd, built unmodified against libos, in an image
# (tests/boot/apps/mhd) probed with curl through a forwarded port: the JSON
# API and the page, keep-alive, a POST body echoed back, 20 concurrent
# clients while a slow client holds a half-sent request open, malformed
# requests (400, 505), a 70 KB header (431), a too-large body (413), and a
# clean stop through POST /shutdown (MHD's thread woken by a libos pipe).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/mhd || exit 0
img=$ROOT/build/mhd/mhd.elf
for tool in curl python3 nc; do
    command -v $tool >/dev/null || { echo "FAIL mhd: $tool is needed to probe the image"; exit 0; }
done

trap stop_vm EXIT
port=$(free_port)
url=http://127.0.0.1:$port
start_image mhd '^mhd: libmicrohttpd .* listening' --port "tcp:$port:80" "$img" || exit 0
echo "PASS mhd-start"

# status_of ARGS...: the HTTP status curl saw (000: none).
status_of() { curl -s -m 20 -o /dev/null -w '%{http_code}' "$@" || true; }

got=$(curl -s -m 10 -D "$LOGS/mhd-status.h" "$url/api/status" || true)
if [[ $got =~ ^\{\"status\":\"ok\",\"requests\":[0-9]+,\"uptime_ms\":[0-9]+\}$ ]] &&
    grep -qi '^content-type: application/json' "$LOGS/mhd-status.h"; then
    echo "PASS mhd-json"
else
    echo "FAIL mhd-json: got '$got'"
fi
got=$(curl -s -m 10 "$url/" || true)
[[ $got == *'<h1>libos manager</h1>'* ]] && echo "PASS mhd-page" || echo "FAIL mhd-page: got '${got:0:80}'"
same mhd-404 404 "$(status_of "$url/nope")"

# Two requests on one connection: curl reuses it only if MHD kept it open.
got=$(curl -sv -m 10 -o /dev/null "$url/api/status" -o /dev/null "$url/" 2>&1 | grep -c 'Re-using existing connection' || true)
same mhd-keepalive 1 "$got"

head -c 30000 /dev/urandom | base64 -w0 >"$LOGS/mhd-body.txt"
if curl -s -m 20 --data-binary @"$LOGS/mhd-body.txt" "$url/api/echo" | cmp -s - "$LOGS/mhd-body.txt"; then
    echo "PASS mhd-post-echo"
else
    echo "FAIL mhd-post-echo: the 40 KB body did not come back unchanged"
fi

# A slow client sends half a request and holds the connection while 20
# others are served; then it finishes and gets its answer too.
http_slow_client mhd "$port" /api/status

# Malformed requests get an error status, not a crash.
got=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n' | nc -q 3 127.0.0.1 "$port" | head -n 1 | tr -d '\r')
same mhd-malformed-header "HTTP/1.1 400 Bad Request" "$got"
got=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' | nc -q 3 127.0.0.1 "$port" | head -n 1 | tr -d '\r')
same mhd-bad-content-length "HTTP/1.1 400 Bad Request" "$got"
got=$(printf 'GET / HTTP/9.9\r\nHost: x\r\n\r\n' | nc -q 3 127.0.0.1 "$port" | head -n 1 | tr -d '\r')
same mhd-bad-version "HTTP/1.1 505 HTTP Version Not Supported" "$got"
printf 'GARBAGE\r\n\r\n' | nc -q 3 127.0.0.1 "$port" >/dev/null || true
same mhd-huge-header 431 "$(status_of -H "X-Big: $(head -c 70000 /dev/zero | tr '\0' a)" "$url/api/status")"
head -c 100000 /dev/urandom | base64 -w0 >"$LOGS/mhd-big.txt"
same mhd-body-too-large 413 "$(status_of --data-binary @"$LOGS/mhd-big.txt" "$url/api/echo")"
same mhd-alive-after-abuse 200 "$(status_of "$url/api/status")"

# A clean stop: MHD_stop_daemon wakes MHD's thread through its pipe and
# joins it; the image exits 0.
same mhd-shutdown-reply 200 "$(status_of -X POST "$url/shutdown")"
rc=0
for _ in $(seq 1 100); do kill -0 "$VM_PID" 2>/dev/null || break; sleep 0.1; done
wait "$VM_PID" || rc=$?
VM_PID=""
if [ "$rc" = 0 ] && tr -d '\r' <"$BOOT_LOG" | grep -qE '^mhd: stopped after [0-9]+ requests$'; then
    echo "PASS mhd-clean-stop"
else
    echo "FAIL mhd-clean-stop: exit status $rc; last lines: $(tail -n 3 "$BOOT_LOG" | tr -d '\r' | tr '\n' '|')"
fi
