#!/usr/bin/env bash
# The normaliser's decoder rule base from a boot module (decoders=module,
# tools/siem up --decoders): a broken one stops the normaliser with status
# 2 and one line naming file:line, before it listens or reaches the bus; a
# good one is loaded and its examples run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

T=siem-decoders
build_app siem/normaliser || exit 0
img=$ROOT/build/siem-normaliser/siem-normaliser.elf
rules=$ROOT/apps/siem/normaliser/decoders.rules
dir=$ROOT/build/tests/$T
mkdir -p "$dir"

# An unknown placeholder type on line 4.
printf '# broken\ndecoder sshd_x\n  program sshd\n  pattern "Failed %%user.name:usr%%"\nend\n' >"$dir/type.rules"
boot $T-bad-type --initrd "$dir/type.rules" --append "-- decoders=module" "$img"
expect $T/bad-type 2 '^normaliser: [^ ]*:4: unknown placeholder type \(word, text, ip, port, number, rest\)$'

# The shipped rule base with one example that does not hold (its line).
line=$(grep -n '^  expect user.name=bob source.ip=192.0.2.10 source.port=1022$' "$rules" | head -n 1 | cut -d: -f1)
sed "${line}s/user.name=bob/user.name=bobby/" "$rules" >"$dir/example.rules"
boot $T-bad-example --initrd "$dir/example.rules" --append "-- decoders=module" "$img"
expect $T/bad-example 2 "^normaliser: [^ ]*:$((line - 1)): expect: user.name is 'bob', not 'bobby'$"

boot $T-no-module --append "-- decoders=module" "$img"
expect $T/no-module 2 '^normaliser: decoders=module but no boot module was given'

# A good one: loaded, its examples run, then the normaliser goes on (to
# the bus, which is not there: how that ends does not matter here).
n=$(grep -c '^decoder ' "$rules")
BOOT_TIMEOUT=20 boot $T-good --initrd "$rules" --append "-- decoders=module" "$img"
expect_order $T/good "$BOOT_LOG" "^normaliser: $n decoders from [^ ]+, [0-9]+ examples checked$"
