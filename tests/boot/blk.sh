#!/usr/bin/env bash
# Disks (<libos/blk.h> over virtio-blk): write a patterned 8 MiB image, boot
# again and read it back (persistence across VMs), check it from the host,
# then read-only disks, range and argument errors, no disk, 4 KiB sectors,
# injected I/O errors, and that images without blk_* carry no driver.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/blktest || exit 0
elf=$ROOT/build/blktest/blktest.elf
dir=$ROOT/build/tests
img=$dir/blk.img
seed=20250611
sectors=16384

# blk_boot NAME [tools/run options...] -- ARGS: boot blktest, expect exit 0
# and "all passed", and report each of its own checks as NAME/check.
blk_boot() {
    local name=$1 opts=()
    shift
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    boot "$name" "${opts[@]}" --append "-- $*" "$elf"
    expect "$name" 0 '^blktest: all passed$'
    image_checks "$name" blktest
}

rm -f "$img"
truncate -s $((sectors * 512)) "$img"
blk_boot blk-write --disk "$img" -- write $seed
blk_boot blk-verify-after-reboot --disk "$img" -- verify $seed

# The host reads the image file: sectors 0, the middle and the last start
# with their own number and the seed (blktest's pattern, little-endian).
ok=1 detail=""
for s in 0 $((sectors / 2)) $((sectors - 1)); do
    got=$(od -A n -t u8 -j $((s * 512)) -N 16 "$img" | tr -s ' ' | sed 's/^ //')
    [ "$got" = "$s $seed" ] || { ok=0; detail="$detail sector $s starts '$got';"; }
done
[ $ok = 1 ] && echo "PASS blk-host-sees-sector-headers" ||
    echo "FAIL blk-host-sees-sector-headers:$detail expected '<sector> $seed'"
# ... and every word of the last sector, where python3 is there to compute it.
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$img" $seed $((sectors - 1)) <<'EOF'; then
import struct, sys
path, seed, sector = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
M = (1 << 64) - 1
def mix(i):
    z = (seed * 0x9e3779b97f4a7c15 + sector * 0x100000001b3 + i) & M
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
want = [sector, seed] + [mix(i) for i in range(2, 64)]
with open(path, "rb") as f:
    f.seek(sector * 512)
    got = list(struct.unpack("<64Q", f.read(512)))
sys.exit(0 if got == want else 1)
EOF
        echo "PASS blk-host-sees-last-sector"
    else
        echo "FAIL blk-host-sees-last-sector: sector $((sectors - 1)) of $img differs from the pattern"
    fi
fi

blk_boot blk-read-only --disk-ro "$img" -- ro $seed
blk_boot blk-range --disk "$img" -- range
blk_boot blk-no-disk -- nodisk

# A disk with 4 KiB logical sectors: the sector size comes from BLK_SIZE.
img4k=$dir/blk-4k.img
rm -f "$img4k"
truncate -s 4M "$img4k"
QEMU_EXTRA="-drive file=$img4k,if=none,id=d4k,format=raw -device $(virtio_device blk),drive=d4k,logical_block_size=4096,physical_block_size=4096" \
    blk_boot blk-4k-sectors -- write 7 verify 7 range
grep -qE '^blktest: disk 0: 1024 sectors of 4096 bytes$' "$LOGS/blk-4k-sectors.log" &&
    echo "PASS blk-4k-sectors/geometry" ||
    echo "FAIL blk-4k-sectors/geometry: expected 1024 sectors of 4096 bytes; see $LOGS/blk-4k-sectors.log"

# Two disks, numbered in the order tools/run got them.
blk_boot blk-two-disks --disk "$img" --disk-ro "$img4k" -- count 2
expect blk-two-disks/probe 0 '^blk0: virtio-blk .*, 16384 sectors of 512 bytes \(8 MiB\), read-write' \
    '^blk1: virtio-blk .*, 8192 sectors of 512 bytes \(4 MiB\), read-only'

# QEMU's blkdebug driver fails every read that touches sector 40.
cat >"$dir/blk-eio.conf" <<'EOF'
[inject-error]
event = "read_aio"
errno = "5"
sector = "40"
EOF
QEMU_EXTRA="-drive file=blkdebug:$dir/blk-eio.conf:$img,if=none,id=deio,format=raw,rerror=report,werror=report -device $(virtio_device blk),drive=deio" \
    blk_boot blk-io-error -- eio 40

# tools/run refuses a missing disk image before starting QEMU.
boot blk-missing-image --disk "$dir/no-such.img" "$elf"
expect blk-missing-image 2 'no such disk image'

# Only images that call blk_* link the drivers.
if make -s -C "$ROOT" APP=hello >"$LOGS/build-hello-blk.log" 2>&1; then
    n=$(nm "$ROOT/build/hello/hello.elf" | grep -ciE 'virtio|virtq|pci_') || : # grep -c fails on 0
    [ "$n" = 0 ] && echo "PASS blk-driver-not-in-hello" ||
        echo "FAIL blk-driver-not-in-hello: $n driver symbols in hello.elf"
else
    echo "FAIL blk-driver-not-in-hello: hello did not build; see $LOGS/build-hello-blk.log"
fi
