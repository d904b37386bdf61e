#!/usr/bin/env bash
# DNS benchmark: the unikernel DNS server against the Linux guest baseline
# (Debian kernel + busybox + NSD) serving the same zone under the same QEMU
# settings, in one run: boot to first answer, dnsperf queries/s and latency,
# image size and the least RAM that serves; with the ratios.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: tools/bench-dns.sh [--boots N] [--seconds S] [--machine TYPE] [--no-minram]

Both guests run with the same QEMU settings:
  qemu-system-x86_64 -M TYPE -accel tcg -cpu qemu64,+rdrand -m 256 -nodefaults
    -netdev user,hostfwd=udp+tcp:127.0.0.1:PORT-:53
    -device virtio-net-pci,disable-legacy=on,romfile=
the same zone and query file (../shared/baselines/linux-guest: example.test.zone,
queries.txt; the unikernel gets the zone as a boot module), and
  dnsperf -s 127.0.0.1 -p PORT -d queries.txt -c 4 -l S   (default S = 20)
plus a run at 1,000 queries/s (-Q 1000) for latency under light load.
Boot to first answer: median of N boots each (default 5), interleaved.
Least RAM: bisection over -m (MiB) for a guest that boots and answers.
EOF2
}

boots=5 seconds=20 machine=pc minram=1
while [ $# -gt 0 ]; do
    case "$1" in
        --boots) boots=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --machine) machine=$2; shift 2 ;;
        --no-minram) minram=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-dns: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=build/bench/dns
BASE_SRC=${BASELINE_DIR:-$ROOT/../shared/baselines/linux-guest}
BASE_OUT=build/baseline/linux-guest
mkdir -p "$OUT"
for tool in qemu-system-x86_64 dnsperf python3; do
    command -v "$tool" >/dev/null ||
        { echo "bench-dns: $tool not found; run tools/bootstrap.sh as root (installs qemu-system-x86 dnsperf)" >&2; exit 1; }
done
[ -f "$BASE_SRC/example.test.zone" ] ||
    { echo "bench-dns: no Linux baseline at $BASE_SRC (set BASELINE_DIR)" >&2; exit 1; }
ZONE=$BASE_SRC/example.test.zone
QUERIES=$BASE_SRC/queries.txt

echo "building the DNS image and the Linux guest..."
make -s APP=dns >/dev/null
if [ ! -f "$BASE_OUT/vmlinux" ]; then
    "$BASE_SRC/build.sh" "$ROOT/$BASE_OUT" >"$OUT/baseline-build.log" 2>&1 ||
        { echo "bench-dns: building the Linux baseline failed; see $OUT/baseline-build.log" >&2; exit 1; }
fi
strip -o "$OUT/dns.stripped" build/dns/dns.elf

port=$((20000 + RANDOM % 20000))
qemu() { # mem guest-args... -> the full QEMU command on stdout, one word per line
    local mem=$1
    shift
    printf '%s\n' qemu-system-x86_64 -M "$machine" -accel tcg -cpu qemu64,+rdrand -m "$mem" \
        -nodefaults -no-reboot -display none -serial null \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-:53,hostfwd=tcp:127.0.0.1:$port-:53" \
        -device virtio-net-pci,netdev=n0,disable-legacy=on,romfile= "$@"
}
UK=(-kernel build/dns/dns.elf -initrd "$ZONE")
LX=(-kernel "$BASE_OUT/vmlinux" -initrd "$BASE_OUT/initramfs.cpio"
    -append "console=ttyS0 quiet panic=-1 tsc=reliable")

first_answer() { # timeout mem guest-args... -> seconds, or empty
    local timeout=$1 mem=$2
    shift 2
    local cmd
    mapfile -t cmd < <(qemu "$mem" "$@")
    python3 tools/bench/firstanswer.py "$port" "$timeout" -- "${cmd[@]}" | sed -n 's/^answer //p'
}

median() { sort -g | awk '{v[NR]=$1} END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
range() { sort -g | awk 'NR == 1 {lo=$1} {hi=$1} END { if (NR) printf "%s-%s", lo, hi }'; }

echo "boot to first answer: $boots boots each, interleaved..."
: >"$OUT/boot-uk.txt"
: >"$OUT/boot-lx.txt"
for _ in $(seq 1 "$boots"); do
    first_answer 20 256 "${UK[@]}" >>"$OUT/boot-uk.txt"
    first_answer 60 256 "${LX[@]}" >>"$OUT/boot-lx.txt"
done

perf() { # name qps-limit guest-args... -> dnsperf output in $OUT/perf-name.txt
    local name=$1 limit=$2 pid cmd
    shift 2
    mapfile -t cmd < <(qemu 256 "$@")
    setsid "${cmd[@]}" </dev/null >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        dig @127.0.0.1 -p "$port" +time=1 +tries=1 www.example.test >/dev/null 2>&1 && break
        sleep 0.1
    done
    dnsperf -s 127.0.0.1 -p "$port" -d "$QUERIES" -c 4 -l "$seconds" ${limit:+-Q "$limit"} \
        >"$OUT/perf-$name.txt" 2>&1 || true
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
field() { awk -v k="$2" 'index($0, k) { sub(/.*: */, ""); print $1; exit }' "$OUT/perf-$1.txt"; }

echo "dnsperf: $seconds s at full speed, then $seconds s at 1,000 q/s, each guest..."
perf uk "" "${UK[@]}"
perf lx "" "${LX[@]}"
perf uk-light 1000 "${UK[@]}"
perf lx-light 1000 "${LX[@]}"

least_ram() { # guest-args... -> least -m (MiB) that answers
    local lo=1 hi=256 mid
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if [ -n "$(first_answer 30 "$mid" "$@")" ]; then hi=$mid; else lo=$mid; fi
    done
    echo "$hi"
}
uk_ram=n/a lx_ram=n/a
if [ "$minram" = 1 ]; then
    echo "least RAM: bisecting -m for each guest..."
    uk_ram=$(least_ram "${UK[@]}")
    lx_ram=$(least_ram "${LX[@]}")
fi

ub=$(median <"$OUT/boot-uk.txt") lb=$(median <"$OUT/boot-lx.txt")
uq=$(field uk "Queries per second") lq=$(field lx "Queries per second")
ul=$(field uk "Average Latency") ll=$(field lx "Average Latency")
ull=$(field uk-light "Average Latency") lll=$(field lx-light "Average Latency")
ulost=$(field uk "Queries lost") llost=$(field lx "Queries lost")
size=$(stat -c %s "$OUT/dns.stripped")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
ms() { awk -v s="$1" 'BEGIN { if (s+0 > 0) printf "%.0f us", s * 1e6; else print "n/a" }'; }
met() { if awk "BEGIN { exit !($1) }" 2>/dev/null; then echo "target met"; else echo "target missed"; fi }

echo
echo "DNS benchmark: -M $machine -accel tcg, virtio-net, user networking, same zone and queries"
printf '%-34s %14s %14s %9s\n' "" unikernel "Linux+NSD" ratio
printf '%-34s %14s %14s %9s   %s\n' "boot to first answer (s, median)" "$ub" "$lb" "$(ratio "$lb" "$ub")" \
    "(Linux/unikernel; target >= 10x: $(met "$ub > 0 && $lb / $ub >= 10"))"
printf '%-34s %14s %14s\n' "  min-max over $boots boots" "$(range <"$OUT/boot-uk.txt")" "$(range <"$OUT/boot-lx.txt")"
printf '%-34s %14s %14s %9s   %s\n' "queries/s (dnsperf -c 4)" "$uq" "$lq" "$(ratio "$uq" "$lq")" \
    "(target >= 2x: $(met "$lq > 0 && $uq / $lq >= 2"))"
printf '%-34s %14s %14s\n' "  queries lost" "$ulost" "$llost"
printf '%-34s %14s %14s\n' "latency at full speed (avg)" "$(ms "$ul")" "$(ms "$ll")"
printf '%-34s %14s %14s\n' "latency at 1,000 q/s (avg)" "$(ms "$ull")" "$(ms "$lll")"
printf '%-34s %14s %14s   %s\n' "image (stripped dns.elf / kernel)" "$size B" \
    "$(stat -c %s "$BASE_OUT/vmlinux") B" "(target <= 262144 B: $(met "$size <= 262144"))"
printf '%-34s %14s %14s   %s\n' "least -m that serves (MiB)" "$uk_ram" "$lx_ram" \
    "(target <= 8: $(if [ "$uk_ram" = n/a ]; then echo "not measured"; else met "$uk_ram <= 8"; fi))"
echo "(raw dnsperf output in $OUT/)"
