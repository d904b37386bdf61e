#!/usr/bin/env bash
# SIEM benchmark: brings the SIEM up (tools/siem up, its own state folder
# and free ports), then measures a native client's raw JetStream publish
# rate on its nats-server (512 B, 64 in flight), events per second end to
# end (syslog in -> stored and acknowledged by the store) with each
# component's host CPU time per event, alert latency p50/p99 (the line
# that completes a brute force -> the alert on the bus, and queryable in
# the store), alone and beside other events at --load-rate/s, the time from each module's crash (its QEMU killed) to its
# serving again, each module's downtime during `tools/siem update` (to the
# same app built with SIEM_VERSION=bench-2), the web API's requests/s for
# an alert query under ab (once the manager exists) and the least -m each
# module boots and beats in; then the TCP rate with the bus identities and
# the store's chain on and off (tools/siem up --no-bus-auth --arg
# store=chain=off), interleaved; then the cost of the
# store's chain (tools/bench/chainbench.sh): appends/s with it on and off,
# tools/siem verify's records/s on a 256 MiB disk, events/s end to end on
# and off; then the same modules as Linux programs on the same kind of
# nats-server (tools/bench-siem-host.sh): the protocol's own rate, CPU per
# event and, with perf, each module's top symbols. Prints tables; no
# thresholds. Measurements:
# tools/bench/siembench.py.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: tools/bench-siem.sh [--events N] [--relp-events N] [--alerts K] [--load-rate R]
                           [--requests N] [--no-minram] [--no-chain] [--no-host]

  --events N        events sent over TCP for the throughput (default 20000)
  --relp-events N   events sent over RELP, each acknowledged (default 5000)
  --alerts K        brute-force sequences timed for the alert latency (default 30)
  --load-rate R     other events/s over TCP while the alert latency is timed again
                    (default 5000; at most 80% of the TCP rate measured)
  --requests N      web API requests under ab, once the manager exists (default 2000)
  --no-minram       skip the least-memory search (it boots each module up to 10 times)
  --no-chain        skip the chain's cost (tools/bench/chainbench.sh)
  --no-host         skip the Linux programs' rate (tools/bench-siem-host.sh)
Modules run as tools/siem boots them (tools/run, TCG, -m 128M).
EOF2
}

args=() chain=1 host=1 events=20000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) args+=("$1" "$2"); events=$2; shift 2 ;;
        --no-chain) chain=0; shift ;;
        --no-host) host=0; shift ;;
        --relp-events | --alerts | --load-rate | --requests) args+=("$1" "$2"); shift 2 ;;
        --no-minram) args+=("$1"); shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench-siem: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=$ROOT/build/bench/siem
for tool in qemu-system-x86_64 python3; do
    command -v "$tool" >/dev/null ||
        { echo "bench-siem: $tool not found; run tools/bootstrap.sh as root" >&2; exit 1; }
done

modules="normaliser correlator store"
[ -d apps/siem/manager ] && modules="$modules manager"
rm -rf "$STATE"
mkdir -p "$STATE/images"
# The images update boots: the same apps with another version string. make
# builds them into the same build/siem-MODULE/ folder, so they are copied
# out before the ordinary images are built again.
echo "building the SIEM images ($modules)..."
for m in $modules; do
    make -s APP=siem/$m SIEM_VERSION=bench-2 >/dev/null
    cp build/siem-$m/siem-$m.elf "$STATE/images/"
done
for m in $modules; do
    make -s APP=siem/$m >/dev/null
done
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
read -r udp tcp relp nats web <<<"$(port) $(port) $(port) $(port) $(port)"
trap 'for s in "$STATE" "$STATE-on" "$STATE-off"; do tools/siem down --state "$s" >/dev/null 2>&1 || true; done' EXIT
token=$(tools/siem up --state "$STATE" --no-build --udp-port "$udp" --tcp-port "$tcp" --relp-port "$relp" \
    --nats-port "$nats" --web-port "$web" | sed -n 's/^token //p')
export SIEM_NATS_CREDS=$STATE/keys/operator.nk # the benchmark's bus clients log in as the operator
echo "measuring (state and logs in $STATE)..."
python3 tools/bench/siembench.py --state "$STATE" --nats-port "$nats" --tcp-port "$tcp" --relp-port "$relp" \
    --web-port "$web" --token "$token" --images "$STATE/images" "${args[@]}"

# What trust costs: the TCP rate with the bus's identities and permissions
# and the store's chain on (as above) and both off, the same images, one
# SIEM after the other. Each is measured twice, interleaved, against the
# machine's noise.
tcp_rate() { # MODE: on or off
    local st=$STATE-$1 extra=()
    [ "$1" = off ] && extra=(--no-bus-auth --arg store=chain=off)
    rm -rf "$st"
    tools/siem up --state "$st" --no-build --udp-port "$udp" --tcp-port "$tcp" --relp-port "$relp" \
        --nats-port "$nats" --web-port "$web" "${extra[@]}" >/dev/null 2>"$st.err" ||
        { echo "bench-siem: up ($1) failed: $(tail -n 3 "$st.err")" >&2; return 1; }
    SIEM_NATS_CREDS=$st/keys/operator.nk python3 tools/bench/siembench.py --state "$st" --nats-port "$nats" \
        --tcp-port "$tcp" --relp-port "$relp" --events 20000 --tcp-only
    tools/siem down --state "$st" >/dev/null
}
tools/siem down --state "$STATE" >/dev/null
echo "measuring what the bus identities and the store's chain cost (TCP, 20,000 events, on/off/on/off)..."
on1=$(tcp_rate on) off1=$(tcp_rate off) on2=$(tcp_rate on) off2=$(tcp_rate off)
printf '%-60s  %s\n' "events/s over TCP, identities and chain on (two runs)" "$on1 $on2" \
    "events/s over TCP, identities and chain off (two runs)" "$off1 $off2"
python3 -c 'import sys; on, off = sum(map(float, sys.argv[1:3])), sum(map(float, sys.argv[3:5]))
print("%-60s  %+.1f%%" % ("on vs off (the sums)", (on - off) / off * 100))' \
    "$on1" "$on2" "$off1" "$off2"
if [ $chain = 1 ]; then
    echo
    echo "the store's chain (tools/bench/chainbench.sh)..."
    tools/bench/chainbench.sh --events "$events"
fi
if [ $host = 1 ]; then
    echo
    echo "the same modules as Linux programs (tools/bench-siem-host.sh)..."
    tools/bench-siem-host.sh --events "$events"
fi
