#!/usr/bin/env bash
# Every fuzz target (tests/fuzz/fuzz.mk: DNS, SIEM normaliser, boot
# information, command line) built with ASan and UBSan and run once on each
# input of its seed corpus (tests/fuzz/corpus/) and its regression inputs
# (tests/fuzz/regress/: crashes found by fuzzing, since fixed). No fuzzing:
# a few seconds once the targets are built.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! command -v clang >/dev/null 2>&1; then
    echo "FAIL fuzz-regress/build: clang is missing (fix: apt-get install clang libclang-rt-14-dev)"
    exit 0
fi
log=$LOGS/fuzz-regress-build.log
if ! make -s -C "$ROOT" fuzz-build >"$log" 2>&1; then
    echo "FAIL fuzz-regress/build: make fuzz-build failed: $(grep -m1 -E 'error|Error' "$log" || tail -n 1 "$log") (see $log)"
    exit 0
fi
"$ROOT/tests/fuzz/fuzz.sh" --out "$ROOT/build/fuzz" --replay || true
