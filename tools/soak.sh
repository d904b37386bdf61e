#!/usr/bin/env bash
# Soak test: the DNS image under a steady dnsperf load for a long run, its
# stats channel (kernel option stats=SECONDS) read as the lines arrive; the
# heap's and the page allocator's high-water marks must stop rising after
# warm-up and no query may be lost.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tools/soak.sh [--minutes N] [--rate Q] [--warmup M] [--interval S]
                     [--tolerance-bytes B] [--tolerance-pages P] [--machine TYPE]
       tools/soak.sh --check CONSOLE DNSPERF_OUTPUT [--warmup M] [--tolerance-...]

Boots the DNS image (make APP=dns, its compiled-in example zone) under
tools/run with the kernel option stats=S, and runs
  dnsperf -s 127.0.0.1 -p PORT -d QUERIES -Q Q -l N*60
against it (UDP, one client; QUERIES is a fixed mix of answers, NXDOMAIN,
NODATA, wildcards, CNAME chains, referrals and truncated answers). Every
stats line is printed as it arrives, with the heap's and the pages' peaks.
After dnsperf ends the script waits for one more stats line, stops the VM
and prints dnsperf's sent/completed/lost and a verdict:
  - no query lost (dnsperf's "Queries lost" is 0 and completed = sent);
  - the heap peak and the page peak at the end exceed those of the first
    stats line at or after minute M of uptime by at most B bytes and P
    pages (default 0 and 0: flat);
  - the VM ran to the end.
Exits 0 when all hold, 1 with the reasons otherwise, 2 on a usage error.
--check gives the verdict on a console log and dnsperf output saved
earlier (build/soak/console.log, build/soak/dnsperf.txt), booting nothing.

Options (environment variables in brackets):
  --minutes N          length of the load, minutes [SOAK_MINUTES, 10]
  --rate Q             queries per second [SOAK_RATE, 5000; under TCG on a
                       2-core machine busy with other work the image answered
                       16,000/s (and ~24,000/s from 4 clients) for 30 s
                       without loss: a third of that leaves room]
  --warmup M           minutes of uptime before the marks must be flat [2]
  --interval S         seconds between stats lines [60]
  --tolerance-bytes B  heap peak growth allowed after warm-up [0]
  --tolerance-pages P  page peak growth allowed after warm-up [0]
  --machine TYPE       QEMU machine type, pc or microvm [pc]
Output files: build/soak/ (console.log, dnsperf.txt, queries.txt).
EOF
}

minutes=${SOAK_MINUTES:-10} rate=${SOAK_RATE:-5000} warmup=2 interval=60 tol_bytes=0 tol_pages=0
machine=pc check=0
while [ $# -gt 0 ]; do
    case "$1" in
        --check) [ $# -ge 3 ] || { echo "soak: --check wants a console log and dnsperf's output" >&2; exit 2; }
                 check=1 CONSOLE=$2 PERF=$3; shift 3 ;;
        --minutes) minutes=${2:-}; shift 2 ;;
        --rate) rate=${2:-}; shift 2 ;;
        --warmup) warmup=${2:-}; shift 2 ;;
        --interval) interval=${2:-}; shift 2 ;;
        --tolerance-bytes) tol_bytes=${2:-}; shift 2 ;;
        --tolerance-pages) tol_pages=${2:-}; shift 2 ;;
        --machine) machine=${2:-}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "soak: unknown argument '$1' (see tools/soak.sh --help)" >&2; exit 2 ;;
    esac
done
for v in minutes rate warmup interval tol_bytes tol_pages; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "soak: --${v//_/-} wants a whole number, not '${!v}'" >&2; exit 2; }
done
if [ "$minutes" -lt 1 ] || [ "$rate" -lt 1 ] || [ "$interval" -lt 1 ]; then
    echo "soak: --minutes, --rate and --interval must be at least 1" >&2; exit 2
fi
if [ "$check" = 0 ] && [ "$warmup" -ge "$minutes" ]; then
    echo "soak: --warmup ($warmup min) must end before the load does ($minutes min)" >&2; exit 2
fi

# verdict ALIVE: judge $CONSOLE and $PERF (ALIVE 1: the VM ran to the end);
# prints the figures and PASS or one FAIL line per reason; 0 or 1.
verdict() {
    local alive=$1 sent completed lost qps w_up w_heap w_pages l_up l_heap l_pages reasons=()
    field() { awk -v k="$1" 'index($0, k) { sub(/.*: */, ""); print $1; exit }' "$PERF"; }
    sent=$(field "Queries sent") completed=$(field "Queries completed") lost=$(field "Queries lost")
    qps=$(field "Queries per second")
    echo "soak: dnsperf: sent ${sent:-?}, completed ${completed:-?}, lost ${lost:-?}," \
        "${qps:-?} queries/s (output: $PERF)"
    [ "$alive" = 1 ] || reasons+=("the VM ended before the run did: $(tr -d '\r' <"$CONSOLE" | tail -n 2 | tr '\n' '|')")
    if [ -z "$sent" ] || [ -z "$lost" ] || [ -z "$completed" ]; then
        reasons+=("dnsperf gave no figures: $(tail -n 2 "$PERF" | tr '\n' '|')")
    elif [ "$lost" != 0 ] || [ "$completed" != "$sent" ]; then
        reasons+=("$lost of $sent queries lost ($completed completed)")
    fi
    # The marks: the first line at or after the warm-up against the last one.
    read -r w_up w_heap w_pages l_up l_heap l_pages < <(tr -d '\r' <"$CONSOLE" | awk -v w=$((warmup * 60)) '
        /^stats: uptime [0-9]+ s heap [0-9]+ B \(peak [0-9]+ B\) .* pages [0-9]+ \(peak [0-9]+\)/ {
            if (!got && $3 >= w) { got = 1; wu = $3; wh = $9; wp = $18 + 0 }
            lu = $3; lh = $9; lp = $18 + 0 }
        END { if (got) print wu, wh, wp, lu, lh, lp; else print "- - - - - -" }') || :
    if [ "${w_up:--}" = - ] || [ "$w_up" = "$l_up" ]; then
        reasons+=("not two stats lines from minute $warmup on to compare (see $CONSOLE)")
    else
        echo "soak: heap peak $w_heap B at $w_up s -> $l_heap B at $l_up s;" \
            "page peak $w_pages -> $l_pages (tolerance $tol_bytes B, $tol_pages pages)"
        [ $((l_heap - w_heap)) -le "$tol_bytes" ] ||
            reasons+=("heap peak grew $((l_heap - w_heap)) B after minute $warmup ($w_heap -> $l_heap B)")
        [ $((l_pages - w_pages)) -le "$tol_pages" ] ||
            reasons+=("page peak grew $((l_pages - w_pages)) pages after minute $warmup ($w_pages -> $l_pages)")
    fi
    if [ ${#reasons[@]} = 0 ]; then
        echo "soak: PASS: no query lost; heap and page high-water marks flat after minute $warmup"
        return 0
    fi
    local r
    for r in "${reasons[@]}"; do echo "soak: FAIL: $r"; done
    return 1
}
if [ "$check" = 1 ]; then
    for f in "$CONSOLE" "$PERF"; do [ -r "$f" ] || { echo "soak: cannot read $f" >&2; exit 2; }; done
    verdict 1 && exit 0 || exit 1
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
for tool in dnsperf dig qemu-system-x86_64; do
    command -v "$tool" >/dev/null ||
        { echo "soak: $tool not found; run tools/bootstrap.sh as root (installs dnsperf bind9-dnsutils qemu-system-x86)" >&2; exit 1; }
done
OUT=build/soak
mkdir -p "$OUT"
CONSOLE=$OUT/console.log PERF=$OUT/dnsperf.txt QUERIES=$OUT/queries.txt
: >"$CONSOLE"

# The query mix, all names of apps/dns/zones/example.test.zone or just
# outside it: plain answers, NODATA, NXDOMAIN, wildcards, CNAME chains,
# a referral, answers too large for 512 bytes (truncated over UDP).
cat >"$QUERIES" <<'EOF'
example.test SOA
example.test NS
example.test MX
example.test A
example.test AAAA
example.test TXT
example.test CAA
www.example.test A
www.example.test AAAA
www.example.test MX
mail.example.test A
ns1.example.test AAAA
ftp.example.test A
alias.example.test A
dangling.example.test A
loop1.example.test A
foo.wild.example.test A
foo.wild.example.test TXT
host.wild.example.test A
x.a.b.wild.example.test A
x.c.deep.example.test A
c.deep.example.test A
host.sub.example.test A
other.example.test NS
_sip._tcp.example.test SRV
1.2.0.192.example.test PTR
txt.example.test TXT
medium.example.test TXT
nosuchname.example.test A
nosuch.example.org A
EOF

echo "soak: building the DNS image..."
make -s APP=dns >"$OUT/build.log" 2>&1 || { echo "soak: make APP=dns failed; see $OUT/build.log" >&2; exit 1; }

port=$((20000 + RANDOM % 20000))
seconds=$((minutes * 60))
vm=""
cleanup() {
    [ -z "$vm" ] || { kill -- -"$vm" 2>/dev/null || kill "$vm" 2>/dev/null || :; wait "$vm" 2>/dev/null || :; }
}
trap cleanup EXIT
# A process group of its own, so the VM and tools/run's helpers end together.
setsid tools/run --machine "$machine" --timeout $((seconds + interval + 600)) \
    --port "udp:$port:53" --port "tcp:$port:53" --append "stats=$interval --" build/dns/dns.elf \
    </dev/null >"$CONSOLE" 2>&1 &
vm=$!

ready=0
for _ in $(seq 1 120); do
    kill -0 "$vm" 2>/dev/null || break
    dig @127.0.0.1 -p "$port" +time=1 +tries=1 www.example.test >/dev/null 2>&1 && { ready=1; break; }
    sleep 0.5
done
if [ "$ready" != 1 ]; then
    echo "soak: the DNS image did not answer within 60 s; last console lines:" >&2
    tail -n 5 "$CONSOLE" >&2
    exit 1
fi
grep -m1 '^entropy:' "$CONSOLE" | sed 's/^/soak: image: /' || :
echo "soak: serving on 127.0.0.1:$port; dnsperf at $rate queries/s for $minutes min," \
    "stats every $interval s (console: $CONSOLE)"

dnsperf -s 127.0.0.1 -p "$port" -d "$QUERIES" -Q "$rate" -l "$seconds" >"$PERF" 2>&1 &
perf=$!

# show_new: print the stats lines not printed yet, one per line:
# "minute M: heap peak B B, pages peak P" and the rest of the figures.
shown=0
show_new() {
    local line
    while IFS= read -r line; do
        shown=$((shown + 1))
        awk '{ printf "soak: minute %5.1f: heap peak %s B, page peak %s   (heap %s B, in use %s B, pages %s, threads %s, fds %s)\n",
               $3 / 60, $9, $18 + 0, $6, $13, $16, $20, $22 }' <<<"$line"
    done < <(tr -d '\r' <"$CONSOLE" | grep '^stats: uptime' | tail -n +$((shown + 1)))
}
while kill -0 "$perf" 2>/dev/null; do
    show_new
    kill -0 "$vm" 2>/dev/null || break
    sleep 2
done
kill -0 "$vm" 2>/dev/null || kill "$perf" 2>/dev/null || : # nothing left to ask
wait "$perf" || :

# One more stats line after the load: the figures at the end of the run.
show_new
want=$((shown + 1)) end=$((SECONDS + interval + 30))
while [ "$shown" -lt "$want" ] && [ $SECONDS -lt $end ] && kill -0 "$vm" 2>/dev/null; do
    sleep 2
    show_new
done
alive=0
kill -0 "$vm" 2>/dev/null && alive=1
cleanup
vm=""

echo "soak: asked $rate queries/s for $minutes min"
verdict "$alive" && exit 0 || exit 1
