#!/usr/bin/env bash
# The cost of the store's chain (docs/siem.md, "Chain and seals"): the
# store's own append rate on the host with the chain on and off (its log
# code filling a 256 MiB disk file, tools/bench/storefill.c), the rate at
# which `tools/siem verify` checks that disk, and, unless --no-e2e, events
# per second end to end through the whole SIEM (TCG) with the store's
# chain on and off (`--arg store=chain=off`, for benchmarks only). Called
# by tools/bench-siem.sh; prints "name  value" rows.
#   tools/bench/chainbench.sh [--events N] [--no-e2e] [--build-storefill DIR]
# --build-storefill DIR only builds DIR/storefill (tests/host/siem-verify.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
events=20000 e2e=1 build_only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=$2; shift 2 ;;
        --no-e2e) e2e=0; shift ;;
        --build-storefill) build_only=$2; shift 2 ;;
        *) echo "chainbench: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
OUT=${build_only:-$ROOT/build/bench/chain}
[ -n "$build_only" ] || rm -rf "$OUT"
mkdir -p "$OUT"
make -s build/host/libsodium.a >/dev/null
S=apps/siem/store C=apps/siem/common
gcc -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -I$S -I$C -Ibuild/src/cjson \
    -Ibuild/src/libsodium/src/libsodium/include tools/bench/storefill.c $S/chain.c $S/crc32c.c \
    $S/layout.c $S/meta.c $S/index.c $S/log.c $S/recover.c $C/civil.c $C/field.c $C/id.c $C/fnv1a.c \
    $C/siemtime.c build/src/cjson/cJSON.c build/host/libsodium.a -lm -o "$OUT/storefill"
[ -z "$build_only" ] || exit 0
python3 -c 'import secrets; print(secrets.token_hex(32))' >"$OUT/seal.key"
row() { printf '%-62s  %s\n' "$1" "$2"; }
off=$("$OUT/storefill" "$OUT/off.img" 262144 "$OUT/seal.key" off)
on=$("$OUT/storefill" "$OUT/store.img" 262144 "$OUT/seal.key" on)
rm -f "$OUT/off.img"
rate() { sed -E 's/.*, ([0-9]+) appends.*/\1/' <<<"$1"; }
row "store appends/s on the host, 256 MiB disk, chain off" "$(rate "$off")"
row "store appends/s on the host, 256 MiB disk, chain on" "$(rate "$on")"
v=$(tools/siem verify --disk "$OUT/store.img" --key "$OUT/seal.key" --timing | tail -n 1)
# "verified intact: N records (..) in M segments (..) in T s"
read -r n t <<<"$(sed -E 's/^verified intact: ([0-9]+) records.* in ([0-9.]+) s$/\1 \2/' <<<"$v")"
row "tools/siem verify, 256 MiB disk ($n records, $t s), records/s" "$(python3 -c "print(round($n / $t))")"
row "tools/siem verify, 256 MiB disk, MiB/s" "$(python3 -c "print(round(256 / $t))")"
[ $e2e = 1 ] || exit 0
# End to end, once per setting, each on a fresh state folder and disk.
for chain in on off; do
    state=$OUT/siem-$chain
    # A failure below must not leave this SIEM running.
    trap 'tools/siem down --state "$state" >/dev/null 2>&1 || true' EXIT
    port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    read -r udp tcp relp nats web <<<"$(port) $(port) $(port) $(port) $(port)"
    tools/siem up --state "$state" --no-build --udp-port "$udp" --tcp-port "$tcp" --relp-port "$relp" \
        --nats-port "$nats" --web-port "$web" --arg store=chain=$chain >/dev/null 2>"$state.err" ||
        { echo "chainbench: up failed: $(tail -n 3 "$state.err")" >&2; exit 1; }
    rate=$(SIEM_NATS_CREDS=$state/keys/operator.nk python3 - "$nats" "$tcp" "$events" <<'PY'
import sys
sys.path.insert(0, "tools"); sys.path.insert(0, "tools/bench")
import siem_probe, siembench
nats, tcp, n = map(int, sys.argv[1:])
with siem_probe.connect(nats, "chainbench") as nc:
    print("%.0f" % siembench.throughput(nc, "tcp", tcp, n)["stored"])
PY
)
    tools/siem down --state "$state" >/dev/null
    row "events/s over TCP, stored and acknowledged, chain $chain ($events)" "$rate"
done
