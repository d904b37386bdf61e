#!/usr/bin/env bash
# The bus client's rates (tools/bench/busbench.c) against a real
# nats-server with JetStream on a free port of 127.0.0.1, its store in a
# temporary folder. Usage: tools/bench/busbench.sh [N] (default 200000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-200000}
BIN=${BUSBENCH:-$ROOT/build/host/busbench}
NATS=${NATS_SERVER:-nats-server}
command -v "$NATS" >/dev/null || { echo "busbench: nats-server not found; run tools/bootstrap.sh as root" >&2; exit 1; }
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NATS" -a 127.0.0.1 -p "$port" -js -sd "$dir" >"$dir/nats.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
    grep -q "Server is ready" "$dir/nats.log" && break
    sleep 0.1
done
"$BIN" "127.0.0.1:$port" "$pid" "$N"
