#!/usr/bin/env bash
# Reproducible images: the committed tree, cloned into two folders of
# different names and depths and built one after the other, gives
# bit-identical hello and dns images, debug info included; neither holds
# the name of the folder it was built in.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 || { echo "FAIL repro: $ROOT is not a git checkout"; exit 0; }
for d in newlib/lib src/lwip stamps; do
    [ -e "$ROOT/build/$d" ] || { echo "FAIL repro: build/$d is missing (run make bootstrap)"; exit 0; }
done
a=$(mktemp -d "${TMPDIR:-/tmp}/repro-a.XXXXXX")
b=$ROOT/build/tests/repro/second-clone-folder
trap 'rm -rf "$a" "$b"' EXIT
rm -rf "$b"
mkdir -p "$(dirname "$b")"

# clone_build DIR: clone HEAD into DIR, give it this tree's bootstrapped
# dependencies (newlib, Debian's sources; the same bytes a fresh bootstrap
# makes, see tools/bootstrap.sh), build the images.
clone_build() {
    local dir=$1 app
    git clone -q "$ROOT" "$dir/tree" || return 1
    mkdir -p "$dir/tree/build/src"
    cp -a "$ROOT/build/newlib" "$ROOT/build/stamps" "$dir/tree/build/"
    cp -a "$ROOT/build/src/lwip" "$ROOT/build/src/"*.version "$dir/tree/build/src/"
    for app in hello dns; do
        make -s -j2 -C "$dir/tree" APP=$app >>"$LOGS/repro-$(basename "$dir").log" 2>&1 || return 1
    done
}
for d in "$a" "$b"; do
    if ! clone_build "$d"; then
        echo "FAIL repro/build: building in $d failed; see $LOGS/repro-$(basename "$d").log"
        exit 0
    fi
done

for app in hello dns; do
    ha=$(sha256sum <"$a/tree/build/$app/$app.elf" | cut -d' ' -f1)
    hb=$(sha256sum <"$b/tree/build/$app/$app.elf" | cut -d' ' -f1)
    check "repro/$app-identical (sha256 $ha)" "$([ "$ha" = "$hb" ]; echo $?)" \
        "$a: $ha, $b: $hb (cmp: $(cmp "$a/tree/build/$app/$app.elf" "$b/tree/build/$app/$app.elf" 2>&1 | head -n 1))"
    n=$(strings -a "$b/tree/build/$app/$app.elf" | grep -c -e "$b" -e "$ROOT") || :
    check "repro/$app-no-build-path" "$([ "$n" = 0 ]; echo $?)" "$n strings name the build folder"
    n=$(readelf --debug-dump=info "$b/tree/build/$app/$app.elf" 2>/dev/null | grep -c DW_AT_comp_dir) || :
    check "repro/$app-has-debug-info ($n compile units)" "$([ "${n:-0}" -gt 0 ]; echo $?)" \
        "no DWARF compile units in $app.elf"
done
