#!/usr/bin/env bash
# The normaliser's decoder rule base (apps/siem/normaliser/decoders.rules)
# checked on the host as the build checks it: every decoder's examples give
# their expected fields and its nomatch lookalikes are not read by it; and
# deliberately broken copies are refused with file:line and the reason,
# by the checker and by the very make rule the image's build depends on.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

T=decoders
rules=$ROOT/apps/siem/normaliser/decoders.rules
tool=$ROOT/build/host/siem-decoders
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build_target $T DEC_RULES="$rules" build/host/siem-decoders || exit 0

n=$(grep -c '^decoder ' "$rules")
if out=$("$tool" check "$rules" 2>&1); then
    match $T/examples "$out" "^$rules: $n decoders, [0-9]+ examples: ok$"
else
    echo "FAIL $T/examples: $out"
fi

# refused NAME SED-SCRIPT LINE REASON: a copy edited by SED-SCRIPT is
# refused with "FILE:LINE: REASON" (an extended regex).
refused() {
    local name=$1 script=$2 line=$3 reason=$4 out rc=0
    sed "$script" "$rules" >"$tmp/$name.rules"
    out=$("$tool" check "$tmp/$name.rules" 2>&1) || rc=$?
    if [ "$rc" != 1 ]; then
        echo "FAIL $T/$name: status $rc, expected 1: $out"
        return
    fi
    match "$T/$name" "$out" "^$tmp/$name.rules:$line: $reason\$"
}
at() { grep -n -m1 -F -- "$1" "$rules" | cut -d: -f1; }

l=$(at 'pattern "Accepted %-:word% for')
refused bad-type "${l}s/%source.ip:ip%/%source.ip:ipv4%/" "$l" 'unknown placeholder type .*'
l=$(at 'expect user.name=bob source.ip=192.0.2.10 source.port=1022')
refused wrong-field "${l}s/user.name=bob/user.name=bobby/" $((l - 1)) "expect: user.name is 'bob', not 'bobby'"
refused unlisted-field "${l}s/ source.port=1022//" $((l - 1)) "expect: source.port='1022' is not listed"
l=$(at 'nomatch sshd "Disconnected from weird bob')
refused lookalike-read "${l}s/weird bob/invalid user bob/" "$l" 'nomatch: the decoder reads this line'
l=$(at 'set event.category=session event.type=end event.action=ssh_disconnect')
refused reserved-field "${l}s/\$/ event.id=x/" "$l" 'the normaliser sets this field itself'
l=$(at 'decoder sshd_accepted')
refused unknown-keyword "$((l + 1))s/program/programme/" $((l + 1)) 'unknown keyword .*'
refused no-end "$((l + 1))s/program sshd sshd-session/program sshd\nend\ndecoder y/" "$l" 'decoder has no pattern line'
l=$(at 'pattern "Invalid user %user.name:text?% from %source.ip:ip% port')
refused unused-capture "${l}s/%user.name:text?%/%who:text?%/" "$((l - 2))" 'a capture is never used .*'
refused text-text "${l}s/%user.name:text?% from/%user.name:text?%%-:text%/" "$l" \
    'a text placeholder must be followed by literal text or the end'

# sudo's decoder: without TYPE! its example of a line with two readings
# would take one of them; an optional part left open is refused.
l=$(at 'decoder sudo_command')
e=$(at 'example sudo "mallory : TTY=pts/1 ; PWD=/t ; USER=nobody ; COMMAND=x ; USER=root')
refused not-unique "$((l + 2))s/%user.target.name:word!%/%user.target.name:word%/" "$e" \
    "expect: user.target.name='root' is not listed"
refused part-open "$((l + 2))s/%\]COMMAND=/COMMAND=/" "$((l + 2))" '%\[ without %\]'

# The rule the image's object depends on (apps/siem/normaliser/app.mk):
# a broken rule base stops make with its file:line.
l=$(at 'pattern "Accepted %-:word% for')
sed "${l}s/%source.port:port%/%source.port:prt%/" "$rules" >"$tmp/build.rules"
if make -s -C "$ROOT" DEC_RULES="$tmp/build.rules" build/host/decoders.checked >"$tmp/make.out" 2>&1; then
    echo "FAIL $T/build-stops: make accepted a broken rule base"
else
    match $T/build-stops "$(cat "$tmp/make.out")" "^$tmp/build.rules:$l: unknown placeholder type"
fi

# tools/siem up --decoders: a broken file stops up (status 2, file:line)
# before anything starts.
rc=0
"$ROOT/tools/siem" up --state "$tmp/state" --decoders "$tmp/build.rules" >"$tmp/up.out" 2>&1 || rc=$?
if [ "$rc" = 2 ]; then
    match $T/up-refuses "$(cat "$tmp/up.out")" "^siem: --decoders: $tmp/build.rules:$l: unknown placeholder type"
else
    echo "FAIL $T/up-refuses: status $rc, expected 2: $(tr '\n' '|' <"$tmp/up.out")"
fi
