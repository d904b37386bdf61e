#!/usr/bin/env bash
# tools/siem export systemd: the units it writes pass systemd-analyze verify
# (a unit naming a missing program does not, so the check can fail), a
# clustered nats-server configuration passes nats-server -t, and too few
# cluster routes are refused in one line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

siem=$ROOT/tools/siem
for tool in systemd-analyze nats-server; do
    if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
        echo "FAIL siem-export: $tool is missing (tools/bootstrap.sh installs it)"
        exit 0
    fi
done
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/img"
for m in normaliser correlator store manager; do echo "image" >"$tmp/img/siem-$m.elf"; done
images=(--image "normaliser=$tmp/img/siem-normaliser.elf" --image "correlator=$tmp/img/siem-correlator.elf"
    --image "store=$tmp/img/siem-store.elf" --image "manager=$tmp/img/siem-manager.elf")

if "$siem" export systemd "$tmp/units" "${images[@]}" >"$tmp/out" 2>"$tmp/err"; then
    n=$(grep -c '\.service$' "$tmp/out")
    check siem-export/units "$([ "$n" = 5 ]; echo $?)" "$n units listed, expected 5: $(tr '\n' ' ' <"$tmp/out")"
    if systemd-analyze verify "$tmp"/units/*.service "$tmp/units/siem.target" >"$tmp/verify" 2>&1; then
        echo "PASS siem-export/systemd-analyze-verify"
    else
        echo "FAIL siem-export/systemd-analyze-verify: $(head -c 400 "$tmp/verify" | tr '\n' '|')"
    fi
    grep -q '^RestartPreventExitStatus=2 3 126$' "$tmp/units/siem-store.service" &&
        grep -q '^ExecStart=.*/tools/run .*--disk .*store.img' "$tmp/units/siem-store.service"
    check siem-export/store-unit $? "see $tmp/units/siem-store.service"
    sed 's|^ExecStart=[^ ]*|ExecStart=/nonexistent/run|' "$tmp/units/siem-correlator.service" >"$tmp/siem-broken.service"
    ! systemd-analyze verify "$tmp/siem-broken.service" >/dev/null 2>&1
    check siem-export/verify-can-fail $? "systemd-analyze verify accepted a unit with a missing program"
else
    echo "FAIL siem-export/units: $(tr '\n' '|' <"$tmp/err")"
fi

"$siem" export systemd "$tmp/cluster" "${images[@]}" --cluster a:6222,b:6222,c:6222 --server-name a >/dev/null 2>"$tmp/err" &&
    "$nats_server" -t -c "$tmp/cluster/siem-nats.conf" >"$tmp/t" 2>&1
check siem-export/cluster-config $? "$(tail -c 300 "$tmp/err" "$tmp/t" 2>/dev/null | tr '\n' '|')"

set +e
"$siem" export systemd "$tmp/c2" "${images[@]}" --cluster a:6222,b:6222 >/dev/null 2>"$tmp/err"
rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "at least 3 hosts" "$tmp/err"
check siem-export/cluster-too-small $? "status $rc: $(cat "$tmp/err")"
