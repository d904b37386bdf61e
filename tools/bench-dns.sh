#!/usr/bin/env bash
# DNS benchmark: the unikernel DNS server against the Linux guest baseline
# (Debian kernel + busybox + NSD) serving the same zone under the same QEMU
# settings, in one run: boot to first answer, dnsperf queries/s and latency,
# image size and the least RAM that serves; with the ratios.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: tools/bench-dns.sh [--boots N] [--seconds S] [--machine TYPE] [--no-minram]

With --machine TYPE other than pc (microvm), everything is measured on pc
and on TYPE and printed side by side. Both guests run with the same QEMU
settings:
  qemu-system-x86_64 -M TYPE -accel tcg -cpu qemu64,+rdrand -m 256 -nodefaults
    -netdev user,hostfwd=udp+tcp:127.0.0.1:PORT-:53
    -device virtio-net-pci,disable-legacy=on,romfile=
(on microvm: -M microvm, ACPI on, as the Linux guest needs to find its
virtio-mmio NIC, -global virtio-mmio.force-legacy=false and
-device virtio-net-device), the same zone and query file (../shared/baselines/linux-guest: example.test.zone,
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
machines=(pc)
[ "$machine" = pc ] || machines+=("$machine")
mach=pc
qemu() { # mem guest-args... -> the full QEMU command on stdout, one word per line
    local mem=$1 nic=(-device virtio-net-pci,netdev=n0,disable-legacy=on,romfile=)
    shift
    case "$mach" in
        microvm*) nic=(-global virtio-mmio.force-legacy=false -device virtio-net-device,netdev=n0) ;;
    esac
    printf '%s\n' qemu-system-x86_64 -M "$mach" -accel tcg -cpu qemu64,+rdrand -m "$mem" \
        -nodefaults -no-reboot -display none -serial null \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-:53,hostfwd=tcp:127.0.0.1:$port-:53" \
        "${nic[@]}" "$@"
}
UK=(-kernel build/dns/dns.elf -initrd "$ZONE")
LX=(-kernel "$BASE_OUT/vmlinux" -initrd "$BASE_OUT/initramfs.cpio"
    -append "console=ttyS0 quiet panic=-1 tsc=reliable")

first_answer() { # timeout mem guest-args... -> seconds, or empty
    local timeout=$1 mem=$2
    shift 2
    local cmd
    mapfile -t cmd < <(qemu "$mem" "$@")
    { python3 tools/bench/firstanswer.py "$port" "$timeout" -- "${cmd[@]}" || :; } | sed -n 's/^answer //p'
}

# Boots that never answered (within the timeout) count as missing values.
median() { sort -g | awk '{v[NR]=$1} END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
range() { sort -g | awk 'NR == 1 {lo=$1} {hi=$1} END { if (NR) printf "%s-%s", lo, hi }'; }

echo "boot to first answer: $boots boots each, interleaved, on -M ${machines[*]}..."
for mach in "${machines[@]}"; do : >"$OUT/boot-uk-$mach.txt"; : >"$OUT/boot-lx-$mach.txt"; done
for _ in $(seq 1 "$boots"); do
    for mach in "${machines[@]}"; do
        first_answer 20 256 "${UK[@]}" >>"$OUT/boot-uk-$mach.txt"
        first_answer 60 256 "${LX[@]}" >>"$OUT/boot-lx-$mach.txt"
    done
done

perf() { # name qps-limit guest-args... -> dnsperf output in $OUT/perf-name.txt
    # A guest that does not answer within 30 s is started again, up to 3
    # times: the Linux guest on microvm sometimes never brings its NIC up
    # (about one boot in two here, with either virtio-mmio version).
    local name=$1 limit=$2 pid cmd try up=0
    shift 2
    mapfile -t cmd < <(qemu 256 "$@")
    for try in 1 2 3; do
        setsid "${cmd[@]}" </dev/null >/dev/null 2>&1 &
        pid=$!
        local end=$((SECONDS + 30))
        while [ $SECONDS -lt $end ]; do
            dig @127.0.0.1 -p "$port" +time=1 +tries=1 www.example.test >/dev/null 2>&1 && { up=1; break; }
            sleep 0.1
        done
        [ "$up" = 1 ] && break
        echo "  ($name: no answer within 30 s, boot $try; starting it again)"
        kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    dnsperf -s 127.0.0.1 -p "$port" -d "$QUERIES" -c 4 -l "$seconds" ${limit:+-Q "$limit"} \
        >"$OUT/perf-$name.txt" 2>&1 || true
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
field() { awk -v k="$2" 'index($0, k) { sub(/.*: */, ""); print $1; exit }' "$OUT/perf-$1.txt"; }

least_ram() { # guest-args... -> least -m (MiB) that answers
    local lo=1 hi=256 mid
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if [ -n "$(first_answer 30 "$mid" "$@")" ]; then hi=$mid; else lo=$mid; fi
    done
    echo "$hi"
}
declare -A ram=()
for mach in "${machines[@]}"; do
    echo "dnsperf on -M $mach: $seconds s at full speed, then $seconds s at 1,000 q/s, each guest..."
    perf "uk-$mach" "" "${UK[@]}"
    perf "lx-$mach" "" "${LX[@]}"
    perf "uk-light-$mach" 1000 "${UK[@]}"
    perf "lx-light-$mach" 1000 "${LX[@]}"
    ram[uk-$mach]=n/a ram[lx-$mach]=n/a
    if [ "$minram" = 1 ]; then
        echo "least RAM on -M $mach: bisecting -m for each guest..."
        ram[uk-$mach]=$(least_ram "${UK[@]}")
        ram[lx-$mach]=$(least_ram "${LX[@]}")
    fi
done

size=$(stat -c %s "$OUT/dns.stripped")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
ms() { awk -v s="$1" 'BEGIN { if (s+0 > 0) printf "%.0f us", s * 1e6; else print "n/a" }'; }
met() { if awk "BEGIN { exit !($1) }" 2>/dev/null; then echo "target met"; else echo "target missed"; fi }

echo
echo "DNS benchmark: -accel tcg, virtio-net, user networking, same zone and queries"
hdr=("") sub=("")
for mach in "${machines[@]}"; do hdr+=("-M $mach" "" ""); sub+=(unikernel "Linux+NSD" ratio); done
row() { printf '%-34s' "$1"; shift; printf ' %13s' "$@"; echo; }
row "${hdr[@]}"
row "${sub[@]}"
cells() { # cells KIND: the row's cells for every machine
    local mach u l
    for mach in "${machines[@]}"; do
        case "$1" in
            boot) u=$(median <"$OUT/boot-uk-$mach.txt") l=$(median <"$OUT/boot-lx-$mach.txt")
                  echo "$u" "$l" "$(ratio "$l" "$u")" ;;
            range) echo "$(range <"$OUT/boot-uk-$mach.txt")" "$(range <"$OUT/boot-lx-$mach.txt")" "" ;;
            qps) u=$(field "uk-$mach" "Queries per second") l=$(field "lx-$mach" "Queries per second")
                 echo "$u" "$l" "$(ratio "$u" "$l")" ;;
            lost) echo "$(field "uk-$mach" "Queries lost")" "$(field "lx-$mach" "Queries lost")" "" ;;
            lat) echo "$(ms "$(field "uk-$mach" "Average Latency")" | tr ' ' _)" \
                 "$(ms "$(field "lx-$mach" "Average Latency")" | tr ' ' _)" "" ;;
            light) echo "$(ms "$(field "uk-light-$mach" "Average Latency")" | tr ' ' _)" \
                   "$(ms "$(field "lx-light-$mach" "Average Latency")" | tr ' ' _)" "" ;;
            size) echo "$size" "$(stat -c %s "$BASE_OUT/vmlinux")" "" ;;
            ram) echo "${ram[uk-$mach]}" "${ram[lx-$mach]}" "" ;;
        esac
    done
}
table_row() { # table_row LABEL KIND
    local label=$1 out u l r
    out=$(printf '%-34s' "$label")
    while read -r u l r; do
        out+=$(printf ' %13s %13s %13s' "$u" "$l" "${r:-}")
    done < <(cells "$2")
    echo "$out" | tr _ ' '
}
table_row "boot to first answer (s, median)" boot
table_row "  min-max over $boots boots" range
table_row "queries/s (dnsperf -c 4)" qps
table_row "  queries lost" lost
table_row "latency at full speed (avg)" lat
table_row "latency at 1,000 q/s (avg)" light
table_row "image (stripped dns.elf / kernel, B)" size
table_row "least -m that serves (MiB)" ram
echo
for mach in "${machines[@]}"; do
    ub=$(median <"$OUT/boot-uk-$mach.txt") lb=$(median <"$OUT/boot-lx-$mach.txt")
    uq=$(field "uk-$mach" "Queries per second") lq=$(field "lx-$mach" "Queries per second")
    echo "-M $mach: boot Linux/unikernel target >= 10x: $(met "$ub > 0 && $lb / $ub >= 10");" \
        "queries/s unikernel/Linux target >= 2x: $(met "$lq > 0 && $uq / $lq >= 2");" \
        "least RAM target <= 8 MiB: $(if [ "${ram[uk-$mach]}" = n/a ]; then echo "not measured"; else met "${ram[uk-$mach]} <= 8"; fi)"
done
echo "image target <= 262144 B: $(met "$size <= 262144")"
echo "(raw dnsperf output in $OUT/)"
