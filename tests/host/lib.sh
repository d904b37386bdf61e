# shellcheck shell=bash
# Helpers for tests that run on this machine: result lines, free ports,
# waiting for a line in a log, background programs that are always
# stopped, and the DNS server's Linux build. Sourced by tests/host/*.sh and
# tests/dns/*.sh, and by tests/boot/lib.sh, which adds booting images.
# Each check prints one "PASS name" or "FAIL name: reason" line: those are
# the results tests/run.sh counts; anything else a test prints is ignored.
# Safe under set -euo pipefail: a helper reports, it does not end the test.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOGS=${LOGS:-$ROOT/build/tests/logs}
mkdir -p "$LOGS"

# check NAME STATUS REASON: "PASS NAME" when STATUS is 0, else
# "FAIL NAME: REASON". Usage: grep -q x f; check name $? "no x in f".
check() {
    if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; fi
}

# same NAME WANT GOT: "PASS NAME" when GOT is WANT, else a FAIL line with both.
same() {
    if [ "$2" = "$3" ]; then echo "PASS $1"; else echo "FAIL $1: expected '$2', got '$3'"; fi
}

# http_slow_client NAME PORT PATH: a client sends half a GET of PATH to
# 127.0.0.1:PORT and holds its connection while 20 concurrent GETs of PATH
# must all get 200 (NAME/concurrent-20-while-one-holds: the server is not
# blocked by it); released only then, it must get its own 200
# (NAME/slow-client-served). Ordering, not timing: the holder waits on a
# FIFO the test writes once the 20 are done.
http_slow_client() {
    local name=$1 port=$2 path=$3 dir out slow codes
    dir=$(mktemp -d)
    out=$dir/slow.out
    mkfifo "$dir/go"
    python3 - "$port" "$path" "$dir/go" >"$out" 2>&1 <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
s.sendall(b"GET " + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
print("holding", flush=True)
open(sys.argv[3]).read()
s.sendall(b"\r\n")
print(s.recv(4096).split(b"\r\n")[0].decode(), flush=True)
PY
    slow=$!
    if ! wait_line "$out" '^holding' 30 "$slow"; then
        echo "FAIL $name/slow-client: it could not connect: $(tail -n 2 "$out" | tr '\n' '|')"
        kill "$slow" 2>/dev/null
        rm -rf "$dir"
        return 0
    fi
    codes=$(seq 20 | xargs -P 20 -I{} curl -s -m 20 -o /dev/null -w '%{http_code}\n' \
        "http://127.0.0.1:$port$path" | sort | uniq -c | tr -s ' ' || true)
    same "$name/concurrent-20-while-one-holds" " 20 200" "$codes"
    echo >"$dir/go"
    wait "$slow" || true
    same "$name/slow-client-served" "HTTP/1.1 200 OK" "$(tail -n 1 "$out")"
    rm -rf "$dir"
}

# match NAME TEXT REGEX...: TEXT has a line matching each extended REGEX.
match() {
    local name=$1 text=$2 re
    shift 2
    for re in "$@"; do
        if ! grep -qE -- "$re" <<<"$text"; then
            echo "FAIL $name: no /$re/ in: $(head -c 300 <<<"$text" | tr '\n' '|')"
            return 0
        fi
    done
    echo "PASS $name"
}

# log_has NAME FILE REGEX...: FILE (CRs stripped) has a line matching each
# extended REGEX.
log_has() {
    local name=$1 file=$2 re
    shift 2
    for re in "$@"; do
        if ! tr -d '\r' <"$file" | grep -qE -- "$re"; then
            echo "FAIL $name: $file lacks /$re/"
            return 0
        fi
    done
    echo "PASS $name"
}

# count_lines FILE REGEX: how many lines of FILE (CRs stripped) match REGEX.
count_lines() {
    tr -d '\r' <"$1" | grep -cE -- "$2" || : # grep -c says 0 and fails when none match
}

# producer NAME CMD...: run CMD, a program that prints PASS/FAIL lines of
# its own, and pass them on. If it prints none, or fails (non-zero status)
# without printing a FAIL line, that is reported as "FAIL NAME: ...": a
# producer that dies early must not look like one that passed.
producer() {
    local name=$1 out rc=0
    shift
    out=$("$@" 2>&1) || rc=$?
    grep -E '^(PASS|FAIL) ' <<<"$out" || :
    if ! grep -qE '^(PASS|FAIL) ' <<<"$out"; then
        echo "FAIL $name: $1 reported nothing (status $rc): $(tail -n 3 <<<"$out" | tr '\n' '|')"
    elif [ $rc != 0 ] && ! grep -q '^FAIL ' <<<"$out"; then
        echo "FAIL $name: $1 exited with status $rc without reporting a failure"
    fi
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

# wait_line FILE REGEX [SECONDS [PID]]: wait until a line of FILE (CRs
# stripped) matches the extended REGEX; at most SECONDS (default 30), and
# no longer than process PID, when given, lives. Returns 0 once it is there,
# 1 otherwise. The matching line is left in $LINE.
wait_line() {
    local file=$1 re=$2 secs=${3:-30} pid=${4:-} end
    end=$((SECONDS + secs))
    while :; do
        if [ -f "$file" ] && LINE=$(tr -d '\r' <"$file" | grep -m1 -E -- "$re"); then
            return 0
        fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            # It may have printed the line just before it ended.
            [ -f "$file" ] && LINE=$(tr -d '\r' <"$file" | grep -m1 -E -- "$re") && return 0
            return 1
        fi
        [ $SECONDS -lt $end ] || return 1
        sleep 0.05
    done
}

# last_lines FILE [N]: the last N (default 3) lines of FILE on one line.
last_lines() {
    tail -n "${2:-3}" "$1" 2>/dev/null | tr -d '\r' | tr '\n' '|'
}

# start_bg NAME LOG REGEX CMD...: run CMD in the background, in a process
# group of its own, output to LOG, and wait (${START_TIMEOUT:-30} s) for a
# line matching REGEX. Its id is left in $BG_PID; stop_bg ends it, and
# every one still running ends when the test exits. Prints "FAIL NAME: ..."
# with the last lines of LOG and returns 1 if the line does not come.
BG_PIDS=()
start_bg() {
    local name=$1 log=$2 re=$3
    shift 3
    run_bg "$log" "$@"
    if ! wait_line "$log" "$re" "${START_TIMEOUT:-30}" "$BG_PID"; then
        echo "FAIL $name: no /$re/ from $1; last lines: $(last_lines "$log")"
        stop_bg "$BG_PID"
        return 1
    fi
}

# run_bg LOG CMD...: start_bg without the wait: CMD runs in the
# background in a process group of its own (id in $BG_PID), stdin from
# ${BG_INPUT:-/dev/null}, output to LOG, ended by stop_bg.
run_bg() {
    local log=$1
    shift
    : >"$log" # now, not in the child: a waiter must never read a previous run's lines
    setsid "$@" <"${BG_INPUT:-/dev/null}" >>"$log" 2>&1 &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# stop_bg [PID...]: end the process groups start_bg started (all of them
# when no PID is given) and wait for them.
stop_bg() {
    local p pids=("$@")
    [ $# -gt 0 ] || pids=("${BG_PIDS[@]}")
    for p in "${pids[@]}"; do
        kill -TERM -- "-$p" 2>/dev/null || : # it may have ended by itself
        wait "$p" 2>/dev/null || :
    done
    return 0
}
trap stop_bg EXIT

# build_target NAME TARGET...: make TARGET quietly (log in
# $LOGS/build-NAME.log); prints "FAIL NAME/build: ..." and returns 1 if
# that fails.
build_target() {
    local name=$1
    shift
    if ! make -s -C "$ROOT" "$@" >"$LOGS/build-$name.log" 2>&1; then
        echo "FAIL $name/build: $(grep -m1 -E 'error|Error' "$LOGS/build-$name.log")"
        return 1
    fi
}

# start_dns_host NAME ZONEFILE: build the DNS server's Linux program (ASan,
# UBSan) and start it on a free port of 127.0.0.1; sets DNS_PORT, DNS_PID
# and DNS_ERR (its stderr, where sanitizer reports go). Prints a FAIL line
# and returns 1 if that does not work.
start_dns_host() {
    local name=$1 zone=$2 file=${1//\//-}
    local out=$LOGS/$file-dns-host.out
    build_target "$file" dns-host || return 1
    DNS_ERR=$LOGS/$file-dns-host.err
    # stdout and stderr apart: start_bg watches the first.
    start_bg "$name/setup" "$out" ' port [0-9]+ \(udp, tcp\)$' \
        bash -c 'exec "$0" -a 127.0.0.1 -p 0 -z "$1" 2>"$2"' \
        "$ROOT/build/dns-host/dns" "$zone" "$DNS_ERR" || return 1
    DNS_PID=$BG_PID
    DNS_PORT=$(sed -n 's/.* port \([0-9]*\) (udp, tcp)$/\1/p' <<<"$LINE")
}

# check_dns_host NAME: the server start_dns_host started is still running
# and its stderr holds no sanitizer report.
check_dns_host() {
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
