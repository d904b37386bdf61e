#!/usr/bin/env bash
# Measures how fast the hello image boots and exits in QEMU, next to "the
# floor" (a bare image that exits at once) and a Linux guest reaching its
# init, what `make APP=hello run` adds over the bare QEMU command, plus its
# stripped size and the least guest RAM it boots in; on pc, or on another
# machine type side by side with pc.
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
-m (MiB) hello still boots and exits 0 with. Next to them: the Linux guest
of ../shared/baselines/linux-guest (Debian's kernel, PVH) from launch to its
init's first line, when that baseline is built (build/baseline/linux-guest),
and `make APP=hello run` against the bare QEMU command tools/run runs
(tools/run --print), the difference being what make and the runner add.
With --machine TYPE other than pc, every figure is measured on pc and on
TYPE, interleaved, and printed side by side. Targets are reported as met or
missed, never enforced.

Options:
  --runs N         boots of each image (default 10)
  --machine TYPE   QEMU machine type: pc (default), q35, microvm, ...;
                   other than pc: side by side with pc
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
linux=build/baseline/linux-guest
linux_marker='appliance: init running'
machines=(pc)
[ "$machine" = pc ] || machines+=("$machine")

# boot NAME MEM MACHINE: one timed boot of floor, hello, linux or make (make
# APP=hello run) with -m MEM; sets result to the timer's line. Hello's
# greeting counts once its line has ended; the floor's is its one byte;
# Linux's is its init's first line, and the guest is stopped there.
result=""
boot() {
    local m=$3 cmd
    local -a wait_for=(--marker "$floor_marker" --line) qemu_cmd
    case "$1" in
        floor) wait_for=(--marker "$floor_marker") ;;
        hello|make) wait_for=(--marker "$hello_marker" --line) ;;
        linux) wait_for=(--marker "$linux_marker" --line --stop) ;;
    esac
    case "$1" in
        floor|hello)
            local image=$floor
            [ "$1" = hello ] && image=$hello
            mapfile -t qemu_cmd < <(tools/run --print --machine "$m" --mem "$2" "$image") ;;
        linux)
            mapfile -t qemu_cmd < <(tools/run --print --machine "$m" --mem "$2" \
                --append "console=ttyS0 quiet panic=-1 tsc=reliable" --initrd "$linux/initramfs.cpio" \
                "$linux/vmlinux") ;;
        make) qemu_cmd=(make -s APP=hello run MACHINE="$m") ;;
    esac
    result=$(python3 "$timer" "${wait_for[@]}" --timeout "$timeout" -- "${qemu_cmd[@]}" \
        2>"$out/qemu-stderr.last") || die "the timer ($timer) failed"
    cat "$out/qemu-stderr.last" >>"$out/qemu-stderr.log"
}

# boot_ok: true when the last boot printed its marker and QEMU exited 3
# (the guest wrote status 0: QEMU exits with ((status + 1) << 1) | 1), or
# tools/run 0 (make run), or was stopped at the marker (Linux).
boot_ok() {
    local kind rc
    read -r kind _ _ rc <<<"$result"
    [ "$kind" = ok ] && { [ "$rc" = 3 ] || [ "$rc" = - ] || { [ "$1" = make ] && [ "$rc" = 0 ]; }; }
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

kinds=(floor hello make)
if [ -f "$linux/vmlinux" ] && [ -f "$linux/initramfs.cpio" ]; then
    kinds+=(linux)
else
    echo "(no Linux guest: build it with ../shared/baselines/linux-guest/build.sh $linux)"
fi

: >"$out/qemu-stderr.log"
# One untimed boot of each first: checks that all boot on this machine type
# (and fails clearly if not) and warms the page cache for QEMU and its
# firmware, so the first timed run is not an outlier.
for m in "${machines[@]}"; do
    for name in "${kinds[@]}"; do
        boot "$name" 128 "$m"
        boot_ok "$name" || die "$name does not boot on -M $m: $(explain)"
    done
done

declare -A greet=() exits=()
echo "timing $runs boots of each, interleaved, on -M ${machines[*]}..."
for ((i = 1; i <= runs; i++)); do
    for m in "${machines[@]}"; do
        for name in "${kinds[@]}"; do
            boot "$name" 128 "$m"
            boot_ok "$name" || die "$name run $i failed on -M $m: $(explain)"
            read -r _ g e _ <<<"$result"
            greet[$m/$name]+="$g " exits[$m/$name]+="$e "
        done
    done
done

# stats VALUE...: prints "median min max" with 3 decimals, then the median
# unrounded (for ratios and differences).
stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f %.6f\n", m, v[1], v[NR], m
        }'
}
# cell KEY greet|exit: "median (min-max)" of a series, or "-".
cell() {
    local -a v
    if [ "$2" = greet ]; then read -ra v <<<"${greet[$1]:-}"; else read -ra v <<<"${exits[$1]:-}"; fi
    [ ${#v[@]} -gt 0 ] && [ "${v[0]}" != - ] || { echo -; return; }
    read -r med lo hi _ <<<"$(stats "${v[@]}")"
    echo "$med ($lo-$hi)"
}
raw() { # raw KEY greet|exit: the unrounded median
    local -a v
    if [ "$2" = greet ]; then read -ra v <<<"${greet[$1]}"; else read -ra v <<<"${exits[$1]}"; fi
    stats "${v[@]}" | cut -d' ' -f4
}

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
declare -A mem_line=()
run_timeout=$timeout
timeout=$((timeout < 3 ? timeout : 3))
for m in "${machines[@]}"; do
    echo "searching the least -m hello boots with on -M $m..."
    boot hello 128 "$m"
    if boot_ok hello; then
        lo=0 hi=128 # lo fails (or is below the range), hi boots
        while ((hi - lo > 1)); do
            mid=$(((lo + hi) / 2))
            boot hello "$mid" "$m"
            if boot_ok hello; then hi=$mid; else lo=$mid; fi
        done
        line=$(printf '%d MiB (%s)' "$hi" "$(verdict "$hi" 8)")
        # Whose limit is it? If the floor fails one MiB lower too, QEMU or
        # the firmware gives up before any kernel runs.
        if ((hi > 1)); then
            boot floor $((hi - 1)) "$m"
            boot_ok floor && why="the floor still boots there" || why="the floor fails there too: QEMU/firmware limit"
            line+=" [$((hi - 1)) MiB: $why]"
        fi
    else
        line="does not boot with -m 128 ($(explain))"
    fi
    mem_line[$m]=$line
done
timeout=$run_timeout

# --- Report -------------------------------------------------------------------
size=$(stat -c %s "$out/hello.stripped")
kib=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1024 }')

echo
echo "boot benchmark: $runs runs each, interleaved, -accel tcg -m 128 (seconds, median (min-max))"
row() { # row LABEL CELL-per-machine...
    local label=$1
    shift
    printf '%-36s' "$label"
    printf ' %-26s' "$@"
    echo
}
row "" "${machines[@]/#/-M }"
for name in "${kinds[@]}"; do
    case "$name" in
        floor) row "floor: launch to its byte" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/floor" greet | tr ' ' '_')"; done)
               row "floor: launch to exit" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/floor" exit | tr ' ' '_')"; done) ;;
        hello) row "hello: launch to greeting" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/hello" greet | tr ' ' '_')"; done)
               row "hello: launch to exit" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/hello" exit | tr ' ' '_')"; done) ;;
        make) row "make APP=hello run: to exit" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/make" exit | tr ' ' '_')"; done) ;;
        linux) row "Linux guest: launch to init" $(for m in "${machines[@]}"; do printf '%s\n' "$(cell "$m/linux" greet | tr ' ' '_')"; done) ;;
    esac
done | tr '_' ' '
echo
for m in "${machines[@]}"; do
    he=$(raw "$m/hello" exit) fe=$(raw "$m/floor" exit) me=$(raw "$m/make" exit)
    ratio=$(awk -v h="$he" -v f="$fe" 'BEGIN { printf "%.2f", h / f }')
    over=$(awk -v a="$me" -v b="$he" 'BEGIN { printf "%.0f", (a - b) * 1000 }')
    printf -- '-M %-8s hello/floor, median launch to exit:   %sx  (target <= 1.3x: %s)\n' "$m" "$ratio" "$(verdict "$ratio" 1.3)"
    if [ -n "${greet[$m/linux]:-}" ]; then
        lx=$(raw "$m/linux" greet)
        printf -- '-M %-8s Linux to init / hello to exit:        %sx\n' "$m" \
            "$(awk -v l="$lx" -v h="$he" 'BEGIN { printf "%.1f", l / h }')"
    fi
    printf -- '-M %-8s make run overhead (make APP=hello run - bare QEMU, medians): %s ms  (target <= 20 ms: %s)\n' \
        "$m" "$over" "$(verdict "$over" 20)"
    printf -- '-M %-8s least -m hello boots and exits 0:    %s\n' "$m" "${mem_line[$m]}"
done
printf 'hello.elf stripped size:                %d bytes = %s KiB  (target <= 128 KiB: %s)\n' \
    "$size" "$kib" "$(verdict "$size" $((128 * 1024)))"
