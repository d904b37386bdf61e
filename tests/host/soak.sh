#!/usr/bin/env bash
# tools/soak.sh's verdict, on console logs and dnsperf outputs written here
# (tools/soak.sh --check; nothing is booted): flat marks and no loss pass;
# a rising peak after warm-up, a lost query, missing stats lines or missing
# dnsperf figures fail, each with its reason; the tolerances move the line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

D=$LOGS/soak-host
rm -rf "$D" && mkdir -p "$D"
soak=$ROOT/tools/soak.sh

# console FILE PEAK...: a console with one stats line a minute, heap peak
# and page peak "H:P" for each minute given.
console() {
    local f=$1 m=0 hp
    shift
    printf 'entropy: RDRAND (ASLR offsets, canary, TCP ISN key, getentropy/arc4random)\r\n' >"$f"
    for hp in "$@"; do
        m=$((m + 1))
        printf 'stats: uptime %d s heap %d B (peak %d B) in use 1000 B pages %d (peak %d) threads 4 fds 5\r\n' \
            $((m * 60)) "${hp%:*}" "${hp%:*}" "${hp#*:}" "${hp#*:}" >>"$f"
    done
}
# perf FILE SENT COMPLETED LOST: dnsperf's summary, as dnsperf 2.10 words it.
perf() {
    printf '  Queries sent:         %s\n  Queries completed:    %s (100.00%%)\n  Queries lost:         %s (0.00%%)\n\n  Queries per second:   4999.99\n' \
        "$2" "$3" "$4" >"$1"
}

# verdict NAME WANT_RC REGEX [soak options]: run --check on $D/c and $D/p.
verdict() {
    local name=$1 want=$2 re=$3 rc=0
    shift 3
    "$soak" --check "$D/c" "$D/p" "$@" >"$D/$name.out" 2>&1 || rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL soak-verdict/$name: exit status $rc, expected $want: $(tr '\n' '|' <"$D/$name.out")"
    elif ! grep -qE -- "$re" "$D/$name.out"; then
        echo "FAIL soak-verdict/$name: no /$re/ in: $(tr '\n' '|' <"$D/$name.out")"
    else
        echo "PASS soak-verdict/$name"
    fi
}

perf "$D/p" 3000 3000 0
console "$D/c" 90000:200 92672:219 92672:219 92672:219 92672:219
verdict flat 0 '^soak: PASS: no query lost' # growth before minute 2 is warm-up

console "$D/c" 92672:219 92672:219 92672:219 96768:219 96768:219
verdict heap-grows 1 '^soak: FAIL: heap peak grew 4096 B after minute 2 \(92672 -> 96768 B\)$'
verdict heap-within-tolerance 0 '^soak: PASS' --tolerance-bytes 4096
verdict heap-over-tolerance 1 'heap peak grew 4096 B' --tolerance-bytes 4095
verdict warmup-moved 0 '^soak: PASS' --warmup 4

console "$D/c" 92672:219 92672:219 92672:219 92672:219 92672:221
verdict pages-grow 1 '^soak: FAIL: page peak grew 2 pages after minute 2 \(219 -> 221\)$'
verdict pages-within-tolerance 0 '^soak: PASS' --tolerance-pages 2

console "$D/c" 92672:219 92672:219 92672:219
perf "$D/p" 3000 2999 1
verdict lost 1 '^soak: FAIL: 1 of 3000 queries lost \(2999 completed\)$'

perf "$D/p" 3000 3000 0
console "$D/c" 92672:219 92672:219
verdict too-few-lines 1 '^soak: FAIL: not two stats lines from minute 2 on'

console "$D/c" 92672:219 92672:219 92672:219
echo "Error: could not connect" >"$D/p"
verdict no-dnsperf-figures 1 '^soak: FAIL: dnsperf gave no figures'

rc=0
"$soak" --help >"$D/help.out" 2>&1 || rc=$?
check soak-help "$([ "$rc" = 0 ] && grep -q '^Usage: tools/soak.sh' "$D/help.out"; echo $?)" \
    "--help: status $rc"
rc=0
"$soak" --minutes ten >"$D/bad.out" 2>&1 || rc=$?
check soak-bad-argument "$([ "$rc" = 2 ] && grep -q "wants a whole number, not 'ten'" "$D/bad.out"; echo $?)" \
    "status $rc: $(cat "$D/bad.out")"
