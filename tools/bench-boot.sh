#!/usr/bin/env bash
# Measures how fast the hello image boots and exits in QEMU, next to "the
# floor" (a bare image that exits at once), plus its stripped size and the
# least guest RAM it boots in.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: tools/bench-boot.sh [--runs N] [--machine TYPE] [--timeout SEC]

Builds build/hello/hello.elf (make APP=hello) and the floor image
build/bench/floor.elf (tools/bench/floor.S: write one byte to COM1, exit
through isa-debug-exit), then boots them alternately (floor, hello, floor,
hello, ...) N times each with the same QEMU command line:

  qemu-system-x86_64 -M TYPE -accel tcg -cpu qemu64,+rdrand -m 128
    -nodefaults -no-reboot -display none -serial stdio
    -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel IMAGE  </dev/null

and prints, for each, the median and min-max wall time from launching QEMU
to the greeting on its stdout (the floor's one byte) and to QEMU's exit, the
hello/floor ratio of the exit medians, hello's stripped size, and the least
-m (MiB) hello still boots and exits 0 with. Targets are reported as met or
missed, never enforced.

Options:
  --runs N         boots of each image (default 10)
  --machine TYPE   QEMU machine type: pc (default), q35, microvm, ...
  --timeout SEC    kill a boot that takes longer (default 20)
  -h, --help       this help
Environment: QEMU (default qemu-system-x86_64).
Exits 0 when it measured; 1 with a one-line message when something could not
be built or booted; 2 on a usage error.
EOF
}

die() { echo "bench-boot: $*" >&2; exit 1; }

runs=10 machine=pc timeout=20
while [ $# -gt 0 ]; do
    case "$1" in
        --runs|--machine|--timeout)
            [ $# -ge 2 ] || { echo "bench-boot: $1 needs a value" >&2; exit 2; }
            case "$1" in
                --runs) runs=$2 ;;
                --machine) machine=$2 ;;
                --timeout) timeout=$2 ;;
            esac
            shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-boot: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench-boot: --runs needs a positive integer" >&2; exit 2; }
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || { echo "bench-boot: --timeout needs a positive whole number of seconds" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=build/bench
timer=tools/bench/boottime.py
qemu=${QEMU:-qemu-system-x86_64}
hello_marker='Hello from the unikernel!'
floor_marker='F'

command -v "$qemu" >/dev/null 2>&1 ||
    die "$qemu not found; install it with: apt-get install qemu-system-x86"
command -v python3 >/dev/null 2>&1 ||
    die "python3 not found; install it with: apt-get install python3"
for tool in gcc ld strip make; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool not found; install it with: apt-get install build-essential"
done

# --- Build ------------------------------------------------------------------
mkdir -p "$out"
echo "building hello (make APP=hello) and the floor image..."
if ! make APP=hello >"$out/make.log" 2>&1; then
    tail -n 15 "$out/make.log" >&2
    die "make APP=hello failed (full log: $out/make.log)"
fi
hello=build/hello/hello.elf
[ -f "$hello" ] || die "make APP=hello did not produce $hello"
floor=$out/floor.elf
gcc -m32 -c tools/bench/floor.S -o "$out/floor.o" ||
    die "could not assemble tools/bench/floor.S with gcc -m32"
ld -m elf_i386 -T tools/bench/floor.ld -z noexecstack -o "$floor" "$out/floor.o" ||
    die "could not link $floor with ld -m elf_i386"
strip -o "$out/hello.stripped" "$hello" || die "strip failed on $hello"

# --- Booting ----------------------------------------------------------------
# boot NAME MEM: one timed boot of the floor or hello with -m MEM; sets
# result to the timer's line. Hello's greeting counts once its line has
# ended; the floor's is its one byte. QEMU's stderr goes to qemu-stderr.log.
result=""
boot() {
    local image=$floor
    local -a wait_for=(--marker "$floor_marker")
    if [ "$1" = hello ]; then
        image=$hello
        wait_for=(--marker "$hello_marker" --line)
    fi
    result=$(python3 "$timer" "${wait_for[@]}" --timeout "$timeout" -- \
        "$qemu" -M "$machine" -accel tcg -cpu qemu64,+rdrand -m "$2" \
        -nodefaults -no-reboot -display none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$image" \
        2>"$out/qemu-stderr.last") || die "the timer ($timer) failed"
    cat "$out/qemu-stderr.last" >>"$out/qemu-stderr.log"
}

# boot_ok: true when the last boot printed its marker and QEMU exited 3
# (the guest wrote status 0: QEMU exits with ((status + 1) << 1) | 1).
boot_ok() {
    local kind rc
    read -r kind _ _ rc <<<"$result"
    [ "$kind" = ok ] && [ "$rc" = 3 ]
}

# explain: a phrase saying why the last boot failed.
explain() {
    local kind rc last
    read -r kind _ _ rc <<<"$result"
    last=$(grep -v '^$' "$out/qemu-stderr.last" | tail -n 1 || true)
    case "$kind" in
        timeout) echo "no exit within ${timeout}s" ;;
        noexec) echo "QEMU could not be started" ;;
        nomarker) echo "QEMU exited with status $rc without the greeting${last:+ ($last)}" ;;
        ok) echo "it printed the greeting but QEMU exited with status $rc, not 3 (guest status 0)" ;;
        *) echo "unexpected timer output '$result'" ;;
    esac
}

: >"$out/qemu-stderr.log"
# One untimed boot of each first: checks that both boot on this machine type
# (and fails clearly if not) and warms the page cache for QEMU and its
# firmware, so the first timed run is not an outlier.
for name in floor hello; do
    boot "$name" 128
    boot_ok || die "$name does not boot on -M $machine: $(explain)"
done

declare -a floor_greet=() floor_exit=() hello_greet=() hello_exit=()
echo "timing $runs boots of each, interleaved, on -M $machine..."
for ((i = 1; i <= runs; i++)); do
    boot floor 128
    boot_ok || die "floor run $i failed on -M $machine: $(explain)"
    read -r _ g e _ <<<"$result"
    floor_greet+=("$g"); floor_exit+=("$e")
    boot hello 128
    boot_ok || die "hello run $i failed on -M $machine: $(explain)"
    read -r _ g e _ <<<"$result"
    hello_greet+=("$g"); hello_exit+=("$e")
done

# stats VALUE...: prints "median min max" with 3 decimals, then the median
# unrounded (for the ratio).
stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f %.6f\n", m, v[1], v[NR], m
        }'
}

read -r fg_med fg_min fg_max _ <<<"$(stats "${floor_greet[@]}")"
read -r fe_med fe_min fe_max fe_raw <<<"$(stats "${floor_exit[@]}")"
read -r hg_med hg_min hg_max _ <<<"$(stats "${hello_greet[@]}")"
read -r he_med he_min he_max he_raw <<<"$(stats "${hello_exit[@]}")"
ratio=$(awk -v h="$he_raw" -v f="$fe_raw" 'BEGIN { printf "%.3f", h / f }')

verdict() { # verdict VALUE LIMIT: "target met" when VALUE <= LIMIT
    awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "target met" : "target missed" }'
}

# --- Least memory -------------------------------------------------------------
# Bisects over whole MiB in [1, 128] for the smallest -m hello boots, greets
# and exits 0 with, assuming more memory never hurts. Any failure (QEMU
# refusing the size, the firmware or the kernel failing, a timeout) counts as
# "does not boot". A probe gets at most 3 s (hello boots in well under 1 s,
# and too little RAM can hang the firmware, which would else cost the full
# --timeout per probe).
echo "searching the least -m hello boots with..."
run_timeout=$timeout
timeout=$((timeout < 3 ? timeout : 3))
boot hello 128
if boot_ok; then
    lo=0 hi=128         # lo fails (or is below the range), hi boots
    while ((hi - lo > 1)); do
        mid=$(((lo + hi) / 2))
        boot hello "$mid"
        if boot_ok; then hi=$mid; else lo=$mid; fi
    done
    min_mem=$hi
    mem_line=$(printf '%d MiB  (target <= 8 MiB: %s)' "$min_mem" "$(verdict "$min_mem" 8)")
    # Whose limit is it? If the floor fails one MiB lower too, QEMU or the
    # firmware gives up before any kernel runs.
    if ((min_mem > 1)); then
        boot floor $((min_mem - 1))
        boot_ok && why="the floor still boots there" || why="the floor fails there too: QEMU/firmware limit"
        mem_line+=" [$((min_mem - 1)) MiB: $why]"
    fi
else
    mem_line="hello does not boot even with -m 128 ($(explain)) (target <= 8 MiB: target missed)"
fi
timeout=$run_timeout

# --- Report -------------------------------------------------------------------
size=$(stat -c %s "$out/hello.stripped")
kib=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1024 }')

echo
echo "boot benchmark: $runs runs each, interleaved, -M $machine -accel tcg -m 128 (seconds)"
printf '%-7s %-26s %s\n' image "launch to greeting" "launch to exit" \
    "" "median (min-max)" "median (min-max)" \
    floor "$fg_med ($fg_min-$fg_max)" "$fe_med ($fe_min-$fe_max)" \
    hello "$hg_med ($hg_min-$hg_max)" "$he_med ($he_min-$he_max)"
echo
printf 'hello/floor, median launch to exit:  %.2fx  (target <= 1.3x: %s)\n' "$ratio" "$(verdict "$ratio" 1.3)"
printf 'hello.elf stripped size:             %d bytes = %s KiB  (target <= 128 KiB: %s)\n' \
    "$size" "$kib" "$(verdict "$size" $((128 * 1024)))"
printf 'least -m hello boots and exits 0:    %s\n' "$mem_line"
