#!/usr/bin/env bash
# make debug: QEMU halts with a gdb stub, the image boots with aslr=off, and
# gdb, attached with the image's own symbols, stops at a breakpoint on main
# and names the source line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/hello || exit 0
img=$ROOT/build/hello/hello.elf
port=$(free_port)
log=$LOGS/debug-qemu.log
DEBUG_PORT=$port start_bg debug-stub "$log" 'QEMU is halted with a gdb stub' \
    "$ROOT/tools/run" --debug --timeout 120 "$img" || exit 0
log_has debug-aslr-off-said "$log" '^debug: booted with aslr=off'
out=$LOGS/debug-gdb.log
timeout 100 gdb -batch -nx -ex "target remote 127.0.0.1:$port" -ex 'break main' -ex continue \
    -ex 'info symbol $pc' -ex kill "$img" >"$out" 2>&1 || :
log_has debug-breakpoint-at-main "$out" '^Breakpoint 1, main \(.*\) at \./apps/hello/main\.c:[0-9]+'
log_has debug-pc-symbolised "$out" '^main( \+ [0-9]+)? in section \.text'
log_has debug-guest-aslr-off "$log" '^aslr: off \(aslr=off\): image at 0x100000,'
stop_bg
