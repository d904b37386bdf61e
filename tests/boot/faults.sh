#!/usr/bin/env bash
# Protection faults must be caught, explained and symbolised, and must end
# the VM with the kernel's own status: 121 CPU exception, 120 panic, 122
# stack smashing. A guard fault names the thread whose guard it is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/faults || exit 0
img=$ROOT/build/faults/faults.elf
bt='^  #[0-9]+ 0x[0-9a-f]+ [a-z_]+\+0x[0-9a-f]+$'

boot fault-write-text --append "-- write-text" "$img"
expect fault-write-text 121 'page fault: write to 0x[0-9a-f]+ in \.text \(read-only code\)' "$bt"

boot fault-exec-heap --append "-- exec-heap" "$img"
expect fault-exec-heap 121 'page fault: instruction fetch from 0x[0-9a-f]+ in the heap \(no-execute\)' "$bt"

boot fault-exec-stack --append "-- exec-stack" "$img"
expect fault-exec-stack 121 'page fault: instruction fetch from 0x[0-9a-f]+ in a thread stack \(no-execute\)'

boot fault-null-deref --append "-- null-deref" "$img"
expect fault-null-deref 121 'page fault: read from 0x0 in page 0 \(NULL pointer\)' '#0 0x[0-9a-f]+ main\+0x'

# The whole first MiB is unmapped, not just page 0: conventional RAM
# (0x8000, 0x9e000 were mapped once) and the BIOS area below 1 MiB.
for off in 0x8000 0x9e000 0xff000; do
    boot fault-null-offset-$off --append "-- null-offset $off" "$img"
    expect fault-null-offset-$off 121 \
        "page fault: read from $off in low memory \(NULL pointer \+ offset\)" 'null_offset\+0x'
done

boot fault-stack-overflow --append "-- stack-overflow" "$img"
expect fault-stack-overflow 121 "in the stack guard of thread 'main': stack overflow" 'recurse\+0x'

# A frame larger than the gap to the stack below (built with
# -fstack-clash-protection, it is probed page by page) faults in its own
# thread's guard; unprobed, its store would land in main's stack.
boot fault-stack-clash --append "-- stack-clash" "$img"
expect fault-stack-clash 121 "^\*\*\* CPU exception 14 .* in thread 'clash'\$" \
    "in the stack guard of thread 'clash': stack overflow" 'clash_frame\+0x'

# An overrun running up a stack meets unmapped memory, not the thread's
# record: the report still has the thread's own name.
boot fault-stack-top --append "-- stack-top" "$img"
expect fault-stack-top 121 "^\*\*\* CPU exception 14 .* in thread 'overrun'\$" \
    'page fault: write to 0x[0-9a-f]+000 in the stack area, between stacks' 'overrun_up\+0x'

# At least 64 KiB of guard below the smallest and the largest stack: the
# lowest byte of those 64 KiB faults as the thread's guard.
boot fault-guard-min --append "-- guard-min" "$img"
expect fault-guard-min 121 'stack 0x[0-9a-f]+, 16384 bytes' \
    "in the stack guard of thread 'small': stack overflow" 'touch_guard_bottom\+0x'
boot fault-guard-max --append "-- guard-max" "$img"
expect fault-guard-max 121 'stack 0x[0-9a-f]+, 16711680 bytes' \
    "in the stack guard of thread 'big': stack overflow" 'touch_guard_bottom\+0x'

boot fault-stack-smash --append "-- stack-smash" "$img"
expect fault-stack-smash 122 '^stack smashing detected' 'stack_smash\+0x'

boot fault-panic --append "-- panic" "$img"
expect fault-panic 120 '^panic: deliberate panic, code 42$' "^in thread 'main'$" 'libos_panic\+0x'

boot fault-assert --append "-- assert" "$img"
expect fault-assert 120 'assertion "argc == 99" failed' '^panic: abort\(\) called$' '__assert_func\+0x'

# An app's own non-zero status passes through unchanged.
boot exit-status --append "-- no-such-fault" "$img"
expect exit-status 2 "unknown fault 'no-such-fault'"
