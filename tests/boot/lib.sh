# Helpers for boot-and-probe tests: boot an image under a timeout, then
# assert on its exit status and console output. Sourced by tests/boot/*.sh.
# Each assertion prints one "PASS name" or "FAIL name: reason" line.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOGS=${LOGS:-$ROOT/build/tests/logs}
mkdir -p "$LOGS"

# build_app DIR: build an app image quietly; print a FAIL line if it fails.
build_app() {
    local name
    name=$(basename "$1")
    if ! make -s -C "$ROOT" APP="$1" >"$LOGS/build-$name.log" 2>&1; then
        echo "FAIL build/$name: $(grep -m1 -E 'error|Error' "$LOGS/build-$name.log")"
        return 1
    fi
}

# boot NAME [tools/run options...] IMAGE: boot and keep the console in
# $LOGS/NAME.log (CR stripped) and the exit status in $BOOT_RC.
boot() {
    local name=$1
    shift
    set +e
    "$ROOT/tools/run" --timeout "${BOOT_TIMEOUT:-60}" "$@" </dev/null >"$LOGS/$name.raw" 2>&1
    BOOT_RC=$?
    set -e
    tr -d '\r' <"$LOGS/$name.raw" >"$LOGS/$name.log"
    BOOT_LOG=$LOGS/$name.log
}

# expect NAME WANT_RC REGEX...: the last boot exited with WANT_RC and its
# console matched every extended REGEX; report the result as test NAME.
expect() {
    local name=$1 want=$2 re
    shift 2
    if [ "$BOOT_RC" != "$want" ]; then
        echo "FAIL $name: exit status $BOOT_RC, expected $want; last lines: $(tail -n 3 "$BOOT_LOG" | tr '\n' '|')"
        return 0
    fi
    for re in "$@"; do
        if ! grep -qE -- "$re" "$BOOT_LOG"; then
            echo "FAIL $name: console lacks /$re/; see $BOOT_LOG"
            return 0
        fi
    done
    echo "PASS $name"
}
