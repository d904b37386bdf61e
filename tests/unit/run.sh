#!/usr/bin/env bash
# Builds the host unit tests (make unit-build: tests/unit/unit.mk says what
# goes into each binary), runs them and prints one line per test case:
# "PASS unit/<suite>/<test>" or "FAIL unit/<suite>/<test>: <message>".
# Exits 0 only if every test passed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

OUT=build/tests/unit
BIN=$OUT/unit-tests
BUILD_LOG=$OUT/build.log
RESULTS=$OUT/results.log # Check's own log: one line per test
OUTPUT=$OUT/output.log   # the binary's stdout and stderr (sanitizer reports)
# The DNS server's suites are a second binary (tests/unit/dns/main.c).
DNS_BIN=$OUT/dns-unit-tests
# The SIEM's suites: one binary per folder tests/unit/siem/NAME/, built from
# its *.c, the app sources its file "sources" lists, and Debian's cJSON;
# the module's own folder apps/siem/NAME is on the include path.
SIEM_DIRS=(tests/unit/siem/*/)
# A sanitizer finding must fail the test, not just print.
SAN=(-fsanitize=address -fsanitize=undefined -fno-sanitize-recover=all)

mkdir -p "$OUT"

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists check; then
    echo "FAIL unit/build: the Check unit-test library is missing (fix: apt-get install check pkg-config)"
    exit 1
fi
# Some sandboxes cannot run ASan (it needs a large shadow mapping); keep
# UBSan there and say so on stderr, which is not part of the result lines.
probe=$OUT/asan-probe
if ! { echo 'int main(void) { return 0; }' | gcc -x c "${SAN[@]}" -o "$probe" - &&
    "$probe"; } >/dev/null 2>&1; then
    echo "tests/unit/run.sh: AddressSanitizer cannot run here; using UBSan only" >&2
    SAN=(-fsanitize=undefined -fno-sanitize-recover=all)
fi

# build NAME BINARY: make one test binary; a FAIL line names it otherwise.
build() {
    if ! make -s -j"$(nproc 2>/dev/null || echo 1)" -C "$ROOT" UNIT_SAN="${SAN[*]}" "$2" >>"$BUILD_LOG" 2>&1; then
        first=$(grep -m1 -E 'error|undefined reference' "$BUILD_LOG" || head -n1 "$BUILD_LOG")
        echo "FAIL unit/$1: ${first:-the build failed, see $BUILD_LOG}"
        exit 1
    fi
}
: >"$BUILD_LOG"
build build "$BIN"
build build-dns "$DNS_BIN"

for dir in "${SIEM_DIRS[@]}"; do
    name=$(basename "$dir")
    build "build-siem-$name" "$OUT/siem-$name-unit-tests"
done

# Clear every Check variable that could select or skip tests, then run with
# each test in its own process (main.c sets CK_FORK).
rm -f "$RESULTS" "$RESULTS".*
rc=0
env -u CK_RUN_SUITE -u CK_RUN_CASE -u CK_INCLUDE_TAGS -u CK_EXCLUDE_TAGS -u CK_FORK \
    -u CK_TAP_LOG_FILE_NAME -u CK_XML_LOG_FILE_NAME \
    CK_VERBOSITY=verbose CK_LOG_FILE_NAME="$RESULTS" "$BIN" >"$OUTPUT" 2>&1 || rc=$?
env -u CK_RUN_SUITE -u CK_RUN_CASE -u CK_INCLUDE_TAGS -u CK_EXCLUDE_TAGS -u CK_FORK \
    -u CK_TAP_LOG_FILE_NAME -u CK_XML_LOG_FILE_NAME \
    CK_VERBOSITY=verbose CK_LOG_FILE_NAME="$RESULTS.dns" "$DNS_BIN" >>"$OUTPUT" 2>&1 || rc=$?
for dir in "${SIEM_DIRS[@]}"; do
    name=$(basename "$dir")
    env -u CK_RUN_SUITE -u CK_RUN_CASE -u CK_INCLUDE_TAGS -u CK_EXCLUDE_TAGS -u CK_FORK \
        -u CK_TAP_LOG_FILE_NAME -u CK_XML_LOG_FILE_NAME \
        CK_VERBOSITY=verbose CK_LOG_FILE_NAME="$RESULTS.siem-$name" \
        "$OUT/siem-$name-unit-tests" >>"$OUTPUT" 2>&1 || rc=$?
done
[ -f "$RESULTS" ] || : >"$RESULTS"
[ ! -f "$RESULTS.dns" ] || cat "$RESULTS.dns" >>"$RESULTS"
for dir in "${SIEM_DIRS[@]}"; do
    f="$RESULTS.siem-$(basename "$dir")"
    [ ! -f "$f" ] || cat "$f" >>"$RESULTS"
done

# Check's log has "Running suite NAME" and then, per test,
# "file:line:P|F|E:tcase:test:iteration: message".
declare -A seen=()
fails=0
suite=unknown
while IFS= read -r line; do
    if [[ $line =~ ^Running\ suite\ (.*)$ ]]; then
        suite=${BASH_REMATCH[1]}
    elif [[ $line =~ ^([^:]*):([0-9]+):([PFE]):([^:]*):([^:]*):-?[0-9]+:\ ?(.*)$ ]]; then
        where="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
        kind=${BASH_REMATCH[3]}
        name="$suite/${BASH_REMATCH[5]}"
        msg=${BASH_REMATCH[6]}
        seen[$name]=1
        if [ "$kind" = P ]; then
            echo "PASS unit/$name"
        elif [ "$kind" = F ]; then
            echo "FAIL unit/$name: $msg ($where)"
            fails=$((fails + 1))
        else # E: a crash, a timeout or a sanitizer report
            echo "FAIL unit/$name: $msg (near $where; see $OUTPUT)"
            fails=$((fails + 1))
        fi
    fi
done <"$RESULTS"

# Every registered test must have reported: none may vanish silently.
for src in tests/unit/test_*.c tests/unit/dns/test_*.c tests/unit/siem/*/test_*.c; do
    suite=$(sed -n 's/.*suite_create("\([^"]*\)").*/\1/p' "$src" | head -n1)
    while IFS= read -r test; do
        if [ -z "${seen[$suite/$test]+set}" ]; then
            echo "FAIL unit/$suite/$test: no result; the test did not run (see $OUTPUT)"
            fails=$((fails + 1))
        fi
    done < <(sed -n 's/.*tcase_add_test([^,]*, *\([A-Za-z_0-9]*\)).*/\1/p' "$src")
done

if [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; then
    echo "FAIL unit/runner: exited with status $rc without a failed test (see $OUTPUT)"
    fails=1
fi
[ "$fails" -eq 0 ]
