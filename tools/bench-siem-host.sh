#!/usr/bin/env bash
# The SIEM's protocol-level rate with no VM in the way: the normaliser,
# store and correlator as Linux programs (make siem-host) on a nats-server
# of their own, with the identities, permissions, streams and the store's
# chain tools/siem up gives the images (tools/siem_host.py). Measures
# events/s over TCP stored and acknowledged by the store (its disk a file,
# each batch fdatasync'ed), twice, with each process's CPU µs per event;
# then, when perf is installed, the top 10 symbols of each module over one
# more run (perf record, user space; kernel symbols if perf may read them).
# Called by tools/bench-siem.sh; prints a table, no thresholds.
#   tools/bench-siem-host.sh [--events N]
set -euo pipefail

events=20000
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=$2; shift 2 ;;
        -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-siem-host: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STATE=$ROOT/build/bench/siem-host
echo "building the SIEM's Linux programs (make siem-host)..."
make -s siem-host siem-nkey >/dev/null
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
read -r nats tcp <<<"$(port) $(port)"
rm -rf "$STATE"
mkdir -p "$STATE"
host() { python3 tools/siem_host.py "$@" --state "$STATE"; }
trap 'host down >/dev/null 2>&1 || :' EXIT
host up --nats-port "$nats" --tcp-port "$tcp"
export SIEM_NATS_CREDS=$STATE/keys/operator.nk # the benchmark's bus clients log in as the operator
pids=$(host pids | awk '{ printf "%s%s=%s", sep, $1, $2; sep = "," }')

# rate N: one throughput run of N events; one line of figures.
rate() {
    python3 - "$nats" "$tcp" "$1" "$pids" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "tools"))
sys.path.insert(0, os.path.join(os.getcwd(), "tools", "bench"))
import siem_probe
import siembench
port, tcp, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
pids = {k: int(v) for k, v in (kv.split("=") for kv in sys.argv[4].split(","))}
with siem_probe.connect(port) as nc:
    r = siembench.throughput(nc, "tcp", tcp, n, pids)
cpu = " ".join("%s=%.1f" % (k, r["cpu_us"][k]) for k in ("normaliser", "store", "correlator", "nats"))
print("%.0f %.0f %.1f %s" % (r["ingest"], r["stored"], r["seconds"], cpu))
PY
}
echo "measuring (state and logs in $STATE)..."
rate 2000 >/dev/null # warm-up: the stream's first blocks, the page cache
r1=$(rate "$events")
r2=$(rate "$events")
printf '%-58s  %s\n' "events/s over TCP into EVENTS, Linux programs (two runs)" \
    "$(cut -d' ' -f1 <<<"$r1") $(cut -d' ' -f1 <<<"$r2")"
printf '%-58s  %s\n' "events/s over TCP stored and acknowledged (two runs)" \
    "$(cut -d' ' -f2 <<<"$r1") $(cut -d' ' -f2 <<<"$r2")"
for run in "$r1" "$r2"; do
    printf '%-58s  %s\n' "CPU µs per event (run of $events)" "$(cut -d' ' -f4- <<<"$run")"
done

if ! command -v perf >/dev/null; then
    echo "perf is not installed (tools/bootstrap.sh installs linux-perf): no profile"
    exit 0
fi
echo
echo "profile: perf record over one more run of $events events..."
perf record -q -F 1999 -g -o "$STATE/perf.data" -p "$(host pids | awk '$1 != "nats" { print $2 }' | paste -sd,)" \
    >"$STATE/perf.log" 2>&1 &
perf_pid=$!
sleep 1
rate "$events" >/dev/null
kill -INT "$perf_pid"
wait "$perf_pid" || :
for m in normaliser store correlator; do
    echo "top 10 symbols, siem-$m (share of its samples, self):"
    perf report -i "$STATE/perf.data" --comms "siem-$m" --no-children --sort sym --stdio -g none \
        --percentage relative 2>/dev/null | grep -E '^ +[0-9.]+%' | head -n 10
done
