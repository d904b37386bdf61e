#!/usr/bin/env bash
# The unit tests of tools/rce-probe's decisions (tests/rce/, Python's
# unittest): one PASS/FAIL line per test case. Runs on the host, boots nothing.
set -uo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL rce-probe/unit: python3 is missing (fix: apt-get install python3)"
    exit 1
fi
python3 "$ROOT/tests/rce/run.py"
