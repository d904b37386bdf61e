#!/usr/bin/env bash
# Network benchmark: TCP throughput and UDP request/response rate through
# the echo service, for the unikernel image and for the Linux guest baseline
# (Debian kernel + busybox, running the same echo source built for Linux),
# under the same QEMU settings, measured in one run and printed side by side.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: tools/bench-net.sh [--runs N] [--mib N] [--seconds S] [--machine TYPE]

Boots build/echo/echo.elf and a Linux guest (../shared/baselines/linux-guest,
built into build/baseline/ on first use) running apps/echo/main.c compiled
for Linux, alternately, N times each (default 3), each with:
  qemu-system-x86_64 -M TYPE -accel tcg -cpu qemu64,+rdrand -m 256 -nodefaults
    -netdev user,hostfwd=tcp+udp:127.0.0.1:PORT-:7
    -device virtio-net-pci,disable-legacy=on,romfile=
and drives each with tools/bench/netload.py: MIB MiB echoed over one TCP
connection (default 32) and S seconds of 64-byte UDP ping-pong from 4
sockets (default 5). Prints medians and the unikernel/Linux ratios.
EOF2
}

runs=3 mib=32 seconds=5 machine=pc
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --mib) mib=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --machine) machine=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-net: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=build/bench/net
BASE_SRC=${BASELINE_DIR:-$ROOT/../shared/baselines/linux-guest}
BASE_OUT=build/baseline/linux-guest
mkdir -p "$OUT"
command -v qemu-system-x86_64 >/dev/null ||
    { echo "bench-net: qemu-system-x86_64 not found; apt-get install qemu-system-x86" >&2; exit 1; }
command -v cpio >/dev/null || { echo "bench-net: cpio not found; apt-get install cpio" >&2; exit 1; }

echo "building the echo image and the Linux guest..."
make -s APP=echo >/dev/null
if [ ! -f "$BASE_OUT/vmlinux" ]; then
    [ -x "$BASE_SRC/build.sh" ] ||
        { echo "bench-net: no Linux baseline at $BASE_SRC (set BASELINE_DIR)" >&2; exit 1; }
    "$BASE_SRC/build.sh" "$ROOT/$BASE_OUT" >"$OUT/baseline-build.log" 2>&1 ||
        { echo "bench-net: building the Linux baseline failed; see $OUT/baseline-build.log" >&2; exit 1; }
fi
# The Linux guest: the baseline's root file system, the same echo source
# built as a static Linux program, and an init that starts it on port 7.
rm -rf "$OUT/rootfs"
cp -a "$BASE_OUT/rootfs" "$OUT/rootfs"
gcc -static -O2 -pthread -o "$OUT/rootfs/usr/sbin/echo" apps/echo/main.c
cat >"$OUT/rootfs/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/sbin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
         virtio_mmio failover net_failover; do
    insmod /lib/modules/$m.ko
done
insmod /lib/modules/virtio_net.ko napi_tx=0
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2
arping -c 1 -w 1 -I eth0 10.0.2.2 >/dev/null &
echo "appliance: echo starting"
/usr/sbin/echo 7
poweroff -f
INIT
chmod 755 "$OUT/rootfs/init"
(cd "$OUT/rootfs" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$OUT/linux-echo.cpio"

port=$((20000 + RANDOM % 20000))
# shellcheck disable=SC2054 # the commas belong to QEMU's option syntax
qemu_common=(-M "$machine" -accel tcg -cpu qemu64,+rdrand -m 256 -nodefaults -no-reboot
             -display none -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:7,hostfwd=udp:127.0.0.1:$port-:7"
             -device virtio-net-pci,netdev=n0,disable-legacy=on,romfile=)

measure() { # name -> appends "tcp udp" to $OUT/name.txt
    local name=$1 log=$OUT/$1.console pid
    shift
    setsid qemu-system-x86_64 "${qemu_common[@]}" -serial "file:$log" "$@" </dev/null &
    pid=$!
    if python3 tools/bench/netload.py 127.0.0.1 "$port" --mib "$mib" --seconds "$seconds" \
        >"$OUT/$name.last" 2>&1; then
        awk '/^tcp_mib_s/ {t=$2} /^udp_rr_s/ {u=$2} END {print t, u}' "$OUT/$name.last" >>"$OUT/$name.txt"
    else
        echo "bench-net: $name: $(tail -n 1 "$OUT/$name.last")" >&2
    fi
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

rm -f "$OUT/unikernel.txt" "$OUT/linux.txt"
for i in $(seq 1 "$runs"); do
    echo "run $i/$runs: unikernel, then Linux guest..."
    measure unikernel -kernel build/echo/echo.elf -append "-- 7"
    measure linux -kernel "$BASE_OUT/vmlinux" -initrd "$OUT/linux-echo.cpio" \
        -append "console=ttyS0 quiet panic=-1 tsc=reliable"
done

median() { sort -g | awk '{v[NR]=$1} END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
col() { [ -f "$OUT/$1.txt" ] && awk -v c="$2" '{print $c}' "$OUT/$1.txt" | median || echo n/a; }
ut=$(col unikernel 1) uu=$(col unikernel 2) lt=$(col linux 1) lu=$(col linux 2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
verdict() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) print (a >= b ? "target met" : "target missed"); else print "not measured" }'; }

echo
echo "network benchmark: echo service, $runs runs each, -M $machine -accel tcg, virtio-net, user networking"
printf '%-28s %12s %12s %8s\n' "" unikernel "Linux guest" ratio
printf '%-28s %12s %12s %8s   %s\n' "TCP echo throughput (MiB/s)" "$ut" "$lt" "$(ratio "$ut" "$lt")" "(target >= 1x: $(verdict "$ut" "$lt"))"
printf '%-28s %12s %12s %8s   %s\n' "UDP request/response (1/s)" "$uu" "$lu" "$(ratio "$uu" "$lu")" "(target >= 1x: $(verdict "$uu" "$lu"))"
echo "(TCP: $mib MiB over one connection; UDP: 64-byte ping-pong from 4 sockets for $seconds s; medians)"
