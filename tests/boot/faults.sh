#!/usr/bin/env bash
# Protection faults must be caught, explained and symbolised, and must end
# the VM with the kernel's own status: 121 CPU exception, 120 panic, 122
# stack smashing.
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

boot fault-stack-overflow --append "-- stack-overflow" "$img"
expect fault-stack-overflow 121 "in a thread stack's guard page \(stack overflow\)" 'recurse\+0x'

boot fault-stack-smash --append "-- stack-smash" "$img"
expect fault-stack-smash 122 '^stack smashing detected' 'stack_smash\+0x'

boot fault-panic --append "-- panic" "$img"
expect fault-panic 120 '^panic: deliberate panic, code 42$' "^in thread 'main'$" 'libos_panic\+0x'

boot fault-assert --append "-- assert" "$img"
expect fault-assert 120 'assertion "argc == 99" failed' '^panic: abort\(\) called$' '__assert_func\+0x'

# An app's own non-zero status passes through unchanged.
boot exit-status --append "-- no-such-fault" "$img"
expect exit-status 2 "unknown fault 'no-such-fault'"
