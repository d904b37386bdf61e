#!/usr/bin/env bash
# The test command behind `make test`: the formatting check and the host
# unit tests (Check), then every host-side test in tests/host/ (Linux
# builds and tools, nothing booted), then every boot-and-probe test in
# tests/boot/, then one summary line.
set -uo pipefail

usage() {
    echo "Usage: tests/run.sh [--unit-only | --boot-only] [tests/{host,boot}/NAME.sh...]"
    echo "  --unit-only  lint and unit tests only (make unit-test)"
    echo "  --boot-only  the scripts in tests/host/ and tests/boot/ only"
    echo "Prints one PASS/FAIL line per test and ends with 'N passed, N failed'."
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
unit=1 boot=1 scripts=()
for arg in "$@"; do
    case "$arg" in
        --unit-only) boot=0 ;;
        --boot-only) unit=0 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "tests/run.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
        *) scripts+=("$arg") ;;
    esac
done
[ ${#scripts[@]} -gt 0 ] || scripts=("$ROOT"/tests/host/*.sh "$ROOT"/tests/boot/*.sh)

# Boot-and-probe tests that run on microvm too.
MICROVM_TESTS="boot/hello boot/echo boot/dns boot/blk"

# The tests and tools need Python's standard library only: use Debian's
# python3 directly. A version manager's shim in front of it in PATH (pyenv)
# runs a few shell scripts per call, a second or two on a busy machine,
# and the suite calls python3 hundreds of times.
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
    mkdir -p "$ROOT/build/tests/bin"
    ln -sf /usr/bin/python3 "$ROOT/build/tests/bin/python3"
    export PATH="$ROOT/build/tests/bin:$PATH"
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# Run a test producer; show and keep its PASS/FAIL lines. A producer that
# dies without reporting counts as a failure of its own.
run() {
    local name=$1
    shift
    local lines_before fails_before rc t0
    t0=$(date +%s)
    lines_before=$(wc -l <"$results")
    fails_before=$(grep -c '^FAIL ' "$results")
    "$@" 2>&1 | grep -E '^(PASS|FAIL) ' | tee -a "$results"
    rc=${PIPESTATUS[0]}
    if [ "$(wc -l <"$results")" = "$lines_before" ] ||
        { [ "$rc" != 0 ] && [ "$(grep -c '^FAIL ' "$results")" = "$fails_before" ]; }; then
        echo "FAIL $name: exited with status $rc without reporting a failure" | tee -a "$results"
    fi
    echo "$(($(date +%s) - t0)) s $name" >>"$timings"
}

# How long each producer took, slowest first at the end: the suite has a
# 20-minute budget.
mkdir -p "$ROOT/build/tests"
timings="$ROOT/build/tests/timings.txt"
: >"$timings"
start=$(date +%s)
if [ $unit = 1 ]; then
    run lint "$ROOT/tools/format.sh" --check
    run unit "$ROOT/tests/unit/run.sh"
fi
if [ $boot = 1 ]; then
    for s in "${scripts[@]}"; do
        case "$(basename "$s")" in lib.sh | *-lib.sh) continue ;; esac # sourced helpers
        run "$(basename "$(dirname "$s")")/$(basename "$s" .sh)" bash "$s"
    done
    # The same scripts again on QEMU microvm (virtio-mmio, IOAPIC): results
    # named NAME@microvm, logs in build/tests/logs/microvm/.
    for s in "${scripts[@]}"; do
        name="$(basename "$(dirname "$s")")/$(basename "$s" .sh)"
        case " $MICROVM_TESTS " in *" $name "*) ;; *) continue ;; esac
        run "$name@microvm" env MACHINE=microvm LOGS="$ROOT/build/tests/logs/microvm" \
            bash -c 'set -o pipefail; bash "$0" 2>&1 | sed -E "s/^(PASS|FAIL) ([^: ]+)/\1 \2@microvm/"' "$s"
    done
fi

passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
echo "($(($(date +%s) - start)) s; logs in build/tests/logs; slowest: $(sort -rn "$timings" | head -3 | awk '{printf "%s%s %s s", (NR > 1 ? ", " : ""), $3, $1}'))"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
