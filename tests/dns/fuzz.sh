#!/usr/bin/env bash
# make fuzz: runs the two libFuzzer targets (built by apps/dns/host.mk) for
# SECONDS each from seed corpora, and prints a PASS/FAIL line for each.
# Usage: tests/dns/fuzz.sh BUILD_DIR SECONDS
set -uo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd) secs=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$out/corpus-packet" "$out/corpus-zone" "$out/crashes"

# Seeds: every conformance query as bytes, and the zones we have.
(cd "$here" && python3 -c "
import sys
from conformance import QUERIES, build
for i, spec in enumerate(QUERIES):
    open('$out/corpus-packet/seed-%03d' % i, 'wb').write(build(spec, 'example.test.'))
")
cp "$root/apps/dns/zones/example.test.zone" "$out/corpus-zone/seed-example"
printf '$TTL 60\n@ SOA ns hm 1 2 3 4 5\n NS ns\n*.w A 192.0.2.1\nd NS x.d\nx.d A 192.0.2.2\nc CNAME w\n' \
    >"$out/corpus-zone/seed-small"

fails=0
for t in packet zone; do
    dict=()
    [ "$t" = zone ] && dict=(-dict="$here/zone.dict")
    log=$out/fuzz-$t.log
    "$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$t-" "${dict[@]}" "$out/corpus-$t" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ $rc -eq 0 ]; then
        echo "PASS fuzz/$t (${runs:-?} inputs in ${secs} s, no crash)"
    else
        echo "FAIL fuzz/$t: exit $rc; $(grep -m1 -E 'ERROR|SUMMARY|deadly' "$log"); see $log and $out/crashes/"
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
