#!/usr/bin/env bash
# The normaliser's decoder rule base from a boot module (decoders=module,
# tools/siem up --decoders): a broken one stops the normaliser with status
# 2 and one line naming file:line, before it listens or reaches the bus; a
# good one is loaded and its examples run; and end to end, a site's rule
# base with one decoder more (docs/siem.md's worked example) given to
# tools/siem up --decoders reads that site's lines into stored events.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

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

# --- End to end: tools/siem up --decoders with a site's decoder ---
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
{ cat "$rules"; sed -n '/^decoder proftpd_login_failed/,/^end/p' "$ROOT/docs/siem.md"; } >"$dir/site.rules"
grep -q '^decoder proftpd_login_failed' "$dir/site.rules" ||
    { fail $T/site-rules "docs/siem.md has no decoder proftpd_login_failed"; exit 0; }
siem_up $T-up --decoders "$dir/site.rules" || exit 0
siem logs normaliser | grep -qE "^normaliser: $((n + 1)) decoders from [^ ]+, [0-9]+ examples checked$" &&
    pass $T/up-loads || fail $T/up-loads "$(siem logs normaliser -n 5 | tr '\n' '|')"
token=t$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
logger -n 127.0.0.1 -P "$SIEM_TCP" -T -t proftpd -p authpriv.info --id=2210 \
    -- "ftp.example.com (192.0.2.9[192.0.2.9]) - USER $token (Login failed): Incorrect password"
got=""
for _ in $(seq 60); do
    got=$(siem query user.name="$token" 2>/dev/null || true)
    [ -n "$got" ] && break
    sleep 0.5
done
python3 - "$got" <<'PY' && pass $T/site-decoder-reads || fail $T/site-decoder-reads "stored: ${got:0:400}"
import json, sys
e = json.loads(sys.argv[1].splitlines()[0])
assert e["event"]["action"] == "ftp_login" and e["event"]["outcome"] == "failure", e["event"]
assert e["source"]["ip"] == "192.0.2.9" and e["event"]["reason"] == "Incorrect password", e
PY
