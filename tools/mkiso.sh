#!/usr/bin/env bash
# Makes a BIOS-bootable ISO in which GRUB loads IMAGE through its multiboot2
# header, with CMDLINE as the kernel command line and each MODULE file as a
# multiboot2 boot module.
set -euo pipefail

if [ $# -lt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "Usage: tools/mkiso.sh IMAGE.elf OUT.iso [CMDLINE [MODULE...]]"
    [ $# -ge 2 ] || exit 2
    exit 0
fi
image=$1 out=$2 cmdline=${3:-}
shift $(($# < 3 ? $# : 3))
for m in "$@"; do
    [ -f "$m" ] || { echo "mkiso: no such module file: $m" >&2; exit 1; }
done
for tool in grub-mkrescue xorriso mformat; do
    command -v "$tool" >/dev/null || {
        echo "mkiso: $tool not found; install it with: apt-get install grub-pc-bin grub-common xorriso mtools" >&2
        exit 1
    }
done
[ -d /usr/lib/grub/i386-pc ] || {
    echo "mkiso: GRUB's BIOS modules are missing; install them with: apt-get install grub-pc-bin" >&2
    exit 1
}

name=$(basename "$image" .elf)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub"
cp "$image" "$root/boot/$name.elf"
modlines=""
for m in "$@"; do
    cp "$m" "$root/boot/"
    modlines+="    module2 /boot/$(basename "$m") $(basename "$m")"$'\n'
done
# No menu, no delay: the ISO boots straight into the image.
cat >"$root/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "$name" {
    multiboot2 /boot/$name.elf $cmdline
${modlines}    boot
}
CFG
if ! grub-mkrescue -o "$out" "$root" >"$out.log" 2>&1; then
    echo "mkiso: grub-mkrescue failed; see $out.log" >&2
    exit 1
fi
rm -f "$out.log"
echo "  ISO     $out"
