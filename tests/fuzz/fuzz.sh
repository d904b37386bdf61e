#!/usr/bin/env bash
# Runs the libFuzzer targets built by tests/fuzz/fuzz.mk (make fuzz-build),
# one at a time, each from a copy of its seed corpus in the build folder.
# Prints one PASS/FAIL line per target, then a table of executions,
# crashes, time and rate; exits 1 if any target crashed.
set -uo pipefail

usage() {
    cat <<'EOF'
Usage: tests/fuzz/fuzz.sh [--out DIR] MODE [TARGET...]
Modes:
  --time SECONDS          fuzz each target for SECONDS (make fuzz)
  --runs N [--max-time S] fuzz each target for N executions, stopping early
                          after S seconds when S > 0 (make fuzz-long)
  --replay                run every input of tests/fuzz/corpus/TARGET and
                          tests/fuzz/regress/TARGET once, without fuzzing
                          (tests/host/fuzz-regress.sh)
Options:
  --out DIR   where the binaries are and corpora, crashes, logs go
              (default build/fuzz)
TARGETs default to every folder of tests/fuzz/corpus/. A crash is saved
as DIR/crashes/TARGET/crash-..., named in the FAIL line; once fixed, add it
to tests/fuzz/regress/TARGET/ so make test replays it.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/fuzz mode= secs= runs= max_time=0 targets=()
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "fuzz.sh: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case "$1" in
        --out) need_value "$@"; out=$2; shift ;;
        --time) need_value "$@"; mode=time secs=$2; shift ;;
        --runs) need_value "$@"; mode=runs runs=$2; shift ;;
        --max-time) need_value "$@"; max_time=$2; shift ;;
        --replay) mode=replay ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
[ -n "$mode" ] || { echo "fuzz.sh: give --time, --runs or --replay (see --help)" >&2; exit 2; }
for n in "${secs:-0}" "${runs:-0}" "$max_time"; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "fuzz.sh: '$n' is not a whole number" >&2; exit 2; }
done
if [ ${#targets[@]} -eq 0 ]; then
    for d in "$here"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
for t in "${targets[@]}"; do
    [ -d "$here/corpus/$t" ] || { echo "fuzz.sh: unknown target '$t' (no tests/fuzz/corpus/$t)" >&2; exit 2; }
    [ -x "$out/fuzz-$t" ] || { echo "fuzz.sh: $out/fuzz-$t is missing (run make fuzz-build)" >&2; exit 2; }
done
mkdir -p "$out/logs"

# The inputs a target is replayed with, or seeded from.
inputs() {
    find "$here/corpus/$1" "$here/regress/$1" -type f 2>/dev/null | sort
}

# The first line of a libFuzzer log that says what went wrong.
reason() {
    grep -m1 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|ALARM|out-of-memory|leak' "$1" ||
        tail -n 1 "$1"
}

replay() {
    local t=$1 log=$out/logs/replay-$1.log files n
    mapfile -t files < <(inputs "$t")
    n=${#files[@]}
    if [ "$n" -eq 0 ]; then
        echo "FAIL fuzz-regress/$t: no inputs in tests/fuzz/corpus/$t or tests/fuzz/regress/$t"
        return 1
    fi
    if "$out/fuzz-$t" -timeout=60 -rss_limit_mb=2048 "${files[@]}" >"$log" 2>&1; then
        echo "PASS fuzz-regress/$t ($n inputs)"
        return 0
    fi
    local last
    last=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
    echo "FAIL fuzz-regress/$t: ${last#"$root"/} fails: $(reason "$log") (see $log)"
    return 1
}

table=()
fuzz() {
    local t=$1 corpus=$out/corpus/$1 crashes=$out/crashes/$1 log=$out/logs/fuzz-$1.log
    local dict=() limit=() before after new rc start end took n eps
    mkdir -p "$corpus" "$crashes"
    inputs "$t" | while IFS= read -r f; do cp -n "$f" "$corpus/"; done
    [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
    if [ "$mode" = time ]; then
        limit=(-max_total_time="$secs")
    else
        limit=(-runs="$runs")
        [ "$max_time" -gt 0 ] && limit+=(-max_total_time="$max_time")
    fi
    before=$(ls "$crashes")
    start=$(date +%s.%N)
    "$out/fuzz-$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" >"$log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    after=$(ls "$crashes")
    new=$(comm -13 <(echo "$before") <(echo "$after") | grep -E '^(crash|leak|timeout|oom)-' | sed "s|^|$crashes/|")
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    n=${n:-0}
    took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    eps=$(awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", (b > a) ? n / (b - a) : 0 }')
    local ncrash
    ncrash=$(grep -c . <<<"$new")
    table+=("$(printf '%-16s %12s %8s %9s %9s' "$t" "$n" "$ncrash" "$took" "$eps")")
    if [ $rc -eq 0 ] && [ "$ncrash" -eq 0 ]; then
        local note=
        [ "$mode" = runs ] && [ "$n" -lt "$runs" ] && note="; stopped by --max-time $max_time before $runs"
        echo "PASS fuzz/$t: $n executions, 0 crashes, $took s, $eps exec/s$note"
        return 0
    fi
    if [ "$ncrash" -gt 0 ]; then
        echo "FAIL fuzz/$t: crash $(head -n 1 <<<"$new"): $(reason "$log") (see $log)"
    else
        echo "FAIL fuzz/$t: exit $rc: $(reason "$log") (see $log)"
    fi
    return 1
}

fails=0
for t in "${targets[@]}"; do
    if [ "$mode" = replay ]; then
        replay "$t" || fails=$((fails + 1))
    else
        fuzz "$t" || fails=$((fails + 1))
    fi
done
if [ "$mode" != replay ]; then
    printf '%-16s %12s %8s %9s %9s\n' target executions crashes "time (s)" exec/s
    printf '%s\n' "${table[@]}"
fi
[ $fails -eq 0 ]
