#!/usr/bin/env bash
# The stats channel (kernel option stats=SECONDS, libos/stats.c): an image
# that holds 1 MiB of heap and three extra threads for 2.5 s of guest time,
# then frees them, boots with stats=1. Its stats lines must be well formed,
# their peaks never below the current figures nor falling, and the figures
# must show what the image held and what it let go.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/statstest || exit 0
img=$ROOT/build/statstest/statstest.elf

boot stats-on --append "stats=1 --" "$img"
expect stats-on 0 '^statstest: holding 1048576 B and 3 threads$' \
    '^stats: uptime ' '^stats: uptime ' '^statstest: released$' '^stats: uptime ' '^statstest: done$'

# check_stats LOG: one "PASS/FAIL stats/..." line per property of the stats
# lines in LOG.
check_stats() {
    awk -v hold=1048576 '
    function fail(name, why) { bad[name] = bad[name] ? bad[name] : why }
    /^statstest: holding/ { phase = "hold"; next }
    /^statstest: released/ { phase = "released"; next }
    /^stats: / {
        n++
        if (!match($0, /^stats: uptime [0-9]+ s heap [0-9]+ B \(peak [0-9]+ B\) in use [0-9]+ B pages [0-9]+ \(peak [0-9]+\) threads [0-9]+ fds [0-9]+$/)) {
            fail("format", "line " n " is not in the documented form: " $0); next
        }
        up = $3; heap = $6; hpeak = $9; inuse = $13; pages = $16; ppeak = $18 + 0
        threads = $20; fds = $22
        if (hpeak + 0 < heap + 0) fail("peaks", "heap peak " hpeak " below heap " heap ": " $0)
        if (ppeak < pages + 0) fail("peaks", "page peak " ppeak " below pages " pages ": " $0)
        if (inuse + 0 > heap + 0) fail("peaks", "in use " inuse " above the heap " heap ": " $0)
        if (n > 1 && (hpeak + 0 < last_hpeak || ppeak < last_ppeak)) fail("peaks", "a peak fell: " $0)
        if (n > 1 && up + 0 <= last_up) fail("uptime", "uptime did not advance: " $0)
        if (fds + 0 < 3) fail("format", "fewer than the console'"'"'s 3 fds: " $0)
        last_hpeak = hpeak + 0; last_ppeak = ppeak; last_up = up + 0
        if (phase == "hold") {
            held++; held_threads = threads + 0
            if (inuse + 0 < hold) fail("holding", "in use " inuse " B below the " hold " B held: " $0)
            if (pages + 0 < hold / 4096) fail("holding", "pages " pages " below the " hold / 4096 " the block needs: " $0)
            if (threads + 0 < 5) fail("holding", "threads " threads ", expected main, 3 waiters and stats: " $0)
        } else if (phase == "released") {
            after++
            if (inuse + 0 >= hold) fail("released", "in use " inuse " B after free(): " $0)
            if (hpeak + 0 < hold) fail("released", "heap peak " hpeak " B forgot the " hold " B block: " $0)
            if (ppeak < hold / 4096) fail("released", "page peak " ppeak " forgot the block: " $0)
            if (threads + 3 > held_threads) fail("released", "threads " threads " after joining 3 of " held_threads ": " $0)
        }
    }
    END {
        if (held < 2) fail("holding", held + 0 " stats lines while holding, expected 2 (at 1 s and 2 s)")
        if (after < 1) fail("released", "no stats line after releasing")
        split("format peaks uptime holding released", names, " ")
        for (i = 1; i <= 5; i++)
            print (bad[names[i]] ? "FAIL stats/" names[i] ": " bad[names[i]] : "PASS stats/" names[i])
    }' "$1"
}
check_stats "$BOOT_LOG"

# Without the option there are no stats lines; a bad value is named.
build_app apps/hello || exit 0
hello=$ROOT/build/hello/hello.elf
boot stats-off "$hello"
expect stats-off 0 '^Hello from the unikernel!$'
expect_count stats-off/no-lines "$BOOT_LOG" 0 '^stats:'
boot stats-bad-value --append "stats=1x --" "$hello"
expect stats-bad-value 0 '^stats: ignoring stats=1x: expected whole seconds from 1 to 86400$' \
    '^Hello from the unikernel!$'
