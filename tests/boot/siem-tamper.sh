#!/usr/bin/env bash
# The store's log is tamper-evident. A small log (about three segments on
# a 272 KiB disk) is written through the whole SIEM, which is then stopped;
# copies of the disk are altered as the observed attack did (a record
# edited, one removed and the rest renumbered, two swapped, the log cut;
# every CRC32C recomputed, the tags left alone):
#   - tools/siem verify finds each kind of change at every record and
#     names it (tests/boot/siem-tamper.py sweep), and passes the intact
#     disk;
#   - the store booted on an altered copy says CHAIN BROKEN on its console
#     (once per kind), and on the intact one "chain verified";
#   - brought up on an edited disk, tools/siem status reports it loudly and
#     exits 3, and the store serves only the records before the change;
#   - brought up on a disk whose open segment lost its tail (which the
#     store cannot see), status reports the cut from the head it kept.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-tamper
N=400
HELPER=$ROOT/tests/boot/siem-tamper.py
siem_need $T python3 nats-server qemu-system-x86_64 || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T --disk-size 272K || exit 0
token=t$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
if ! python3 "$SIEM_LOAD" flood tcp "$SIEM_TCP" --count $N --token "$token" >"$SIEM_STATE/flood.out" 2>&1 ||
    ! siem_probe wait --text "$token" --count $N --timeout 180 >/dev/null 2>"$SIEM_STATE/wait.err"; then
    fail $T/log "the store did not get $N events: $(tail -c 300 "$SIEM_STATE/wait.err")"
    exit 0
fi
# Let a heartbeat carry the head of the whole log to the supervisor, which
# keeps it in the state file (up to 30 s).
for _ in $(seq 150); do
    [ "$(siem_json "(st.get('store_head') or {}).get('seq', 0)" 2>/dev/null || echo 0)" -ge $N ] && break
    sleep 0.2
done
siem down >/dev/null
keyfile=$SIEM_STATE/keys/store-seal.key
mode=$(stat -c %a "$keyfile" 2>/dev/null || echo none)
[ "$mode" = 600 ] && pass $T/seal-key-file || fail $T/seal-key-file "$keyfile: mode $mode, expected 600"
head=$(siem_json "st['store_head']['seq']" 2>/dev/null || echo none)
[ "$head" -ge $N ] 2>/dev/null && pass $T/head-kept || fail $T/head-kept "store_head in siem.json: $head"

# verify on the intact disk, its exit status and line.
out=$(siem verify 2>&1) && rc=0 || rc=$?
[ $rc = 0 ] && [[ "$out" == intact:* ]] && pass $T/verify-cli-intact ||
    fail $T/verify-cli-intact "status $rc: $out"

# Every kind at every record, through verify's own function (fast).
timeout 600 python3 "$HELPER" sweep "$SIEM_STATE" || true

# status_loud: tools/siem status once it exits 3 (the supervisor has had
# the store's heartbeat saying what is wrong), or as it is after 30 s;
# its status in $rc.
status_loud() {
    for _ in $(seq 150); do
        out=$(siem status 2>&1) && rc=0 || rc=$?
        [ $rc = 3 ] && return 0
        sleep 0.2
    done
}

# The CLI on one altered copy: status 1, the record named on the first line.
pristine=$SIEM_STATE/pristine.img
cp "$SIEM_STATE/store.img" "$pristine"
python3 "$HELPER" mutate edit 7 "$pristine" "$SIEM_STATE/edit.img"
out=$(siem verify --disk "$SIEM_STATE/edit.img" 2>&1) && rc=0 || rc=$?
[ $rc = 1 ] && [[ "$(head -n1 <<<"$out")" == "record 7: altered"* ]] && pass $T/verify-cli-edit ||
    fail $T/verify-cli-edit "status $rc: $(head -n2 <<<"$out" | tr '\n' '|')"

# The store's own check at boot. The record to alter is in the open
# segment for edit, remove and reorder (the one whose key the store
# holds), in a sealed one for the cut.
last=$(siem_json "st['store_head']['seq']")
open_rec=$((last - 5))
sealed_rec=$((last / 4))
[ "$(python3 "$HELPER" where $sealed_rec "$SIEM_STATE")" = sealed ] ||
    fail $T/layout "record $sealed_rec is not in a sealed segment; the log is too small"
store_elf=$ROOT/build/siem-store/siem-store.elf
boot_store() {
    local name=$1 disk=$2 re=$3
    START_TIMEOUT=90 start_image "$T/boot-$name" "$re" --net --disk "$disk" \
        --append "-- nats=10.0.2.2:1 heartbeat=60" "$store_elf" && pass "$T/boot-$name"
    stop_vm
}
cp "$pristine" "$SIEM_STATE/boot-intact.img"
boot_store intact "$SIEM_STATE/boot-intact.img" "^store: chain verified: $last records"
for kind in edit remove reorder truncate; do
    n=$open_rec
    [ $kind = truncate ] && n=$sealed_rec
    python3 "$HELPER" mutate $kind $n "$pristine" "$SIEM_STATE/boot-$kind.img"
    boot_store "$kind-at-$n" "$SIEM_STATE/boot-$kind.img" "^store: CHAIN BROKEN at record [0-9]+"
done
# The store left the altered disk as it found it (evidence).
cmp -s "$SIEM_STATE/boot-edit.img" <(python3 "$HELPER" mutate edit $open_rec "$pristine" /dev/stdout) &&
    pass $T/broken-disk-untouched || fail $T/broken-disk-untouched "the store wrote to the altered disk"

# Up again on the edited disk: loud in status, only the prefix served.
cp "$SIEM_STATE/boot-edit.img" "$SIEM_STATE/store.img"
"$SIEM" up --state "$SIEM_STATE" --no-build --udp-port "$SIEM_UDP" --tcp-port "$SIEM_TCP" \
    --relp-port "$SIEM_RELP" --nats-port "$SIEM_NATS" --web-port "$SIEM_WEB" \
    >"$SIEM_STATE/up2.out" 2>"$SIEM_STATE/up2.err" </dev/null ||
    { fail $T/up-broken "tools/siem up failed: $(tail -c 400 "$SIEM_STATE/up2.err")"; exit 0; }
status_loud
[ $rc = 3 ] && grep -q "^store .*CHAIN BROKEN at record $open_rec" <<<"$out" && pass $T/status-loud ||
    fail $T/status-loud "status $rc: $(grep '^store' <<<"$out")"
served=$(siem_probe dump --text "$token" | wc -l)
[ "$served" = $((open_rec - 1)) ] && pass $T/serves-prefix ||
    fail $T/serves-prefix "$served records served, expected the $((open_rec - 1)) before record $open_rec"

# A tail cut from the open segment: the store's key could re-tag it, so
# its own check passes, but it comes back with a head below the one the
# supervisor kept, and status says CHAIN CUT.
siem down >/dev/null
python3 - "$SIEM_STATE/siem.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
st.pop("store_cut", None)  # what the edited disk's shorter prefix left
json.dump(st, open(sys.argv[1], "w"))
PY
python3 "$HELPER" mutate truncate $((last - 3)) "$pristine" "$SIEM_STATE/store.img"
"$SIEM" up --state "$SIEM_STATE" --no-build --udp-port "$SIEM_UDP" --tcp-port "$SIEM_TCP" \
    --relp-port "$SIEM_RELP" --nats-port "$SIEM_NATS" --web-port "$SIEM_WEB" \
    >"$SIEM_STATE/up3.out" 2>"$SIEM_STATE/up3.err" </dev/null ||
    { fail $T/up-cut "tools/siem up failed: $(tail -c 400 "$SIEM_STATE/up3.err")"; exit 0; }
status_loud
[ $rc = 3 ] && grep -q "^store .*CHAIN CUT: the store came back ending at record $((last - 4)), it had reported record $last" <<<"$out" &&
    pass $T/status-cut || fail $T/status-cut "status $rc: $(grep '^store' <<<"$out" | cut -c1-300)"
