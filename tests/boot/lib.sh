# shellcheck shell=bash
# Helpers for boot-and-probe tests: build an image, boot it under a
# timeout (in the foreground, or in the background while the test probes
# it), then assert on its exit status and console. Sourced by
# tests/boot/*.sh; adds to tests/host/lib.sh (check, match, log_has,
# free_port, wait_line, start_bg, ...), which it sources.
# Each assertion prints one "PASS name" or "FAIL name: reason" line.
# MACHINE (default pc) is the QEMU machine type every boot uses;
# tests/run.sh runs some scripts a second time with MACHINE=microvm.

# shellcheck source=../host/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../host/lib.sh"

MACHINE=${MACHINE:-pc}

# virtio_device MODEL: QEMU's -device name of a virtio MODEL (blk, net) on
# $MACHINE, for tests that add devices of their own through QEMU_EXTRA.
virtio_device() {
    case "$MACHINE" in
        microvm*) echo "virtio-$1-device" ;;
        *) echo "virtio-$1-pci,disable-legacy=on" ;;
    esac
}

# build_app DIR: build an app image quietly; print a FAIL line if it fails.
build_app() {
    build_target "$(basename "$1")" APP="$1"
}

# boot NAME [tools/run options...] IMAGE: boot and keep the console in
# $LOGS/NAME.log (CR stripped) and the exit status in $BOOT_RC.
boot() {
    local name=$1
    shift
    BOOT_RC=0
    "$ROOT/tools/run" --machine "$MACHINE" --timeout "${BOOT_TIMEOUT:-60}" "$@" </dev/null >"$LOGS/$name.raw" 2>&1 ||
        BOOT_RC=$?
    tr -d '\r' <"$LOGS/$name.raw" >"$LOGS/$name.log"
    BOOT_LOG=$LOGS/$name.log
}

# expect NAME WANT_RC REGEX...: the last boot exited with WANT_RC and its
# console has lines matching the extended REGEXes in this order (a later
# one below the line an earlier one matched); report it as test NAME.
expect() {
    local name=$1 want=$2
    shift 2
    if [ "$BOOT_RC" != "$want" ]; then
        echo "FAIL $name: exit status $BOOT_RC, expected $want; last lines: $(last_lines "$BOOT_LOG")"
        return 0
    fi
    expect_order "$name" "$BOOT_LOG" "$@"
}

# expect_order NAME FILE REGEX...: FILE (CRs stripped) has lines matching
# the REGEXes in this order.
expect_order() {
    local name=$1 file=$2 re at=0 n
    shift 2
    for re in "$@"; do
        n=$(tr -d '\r' <"$file" | tail -n +$((at + 1)) | grep -m1 -nE -- "$re" | cut -d: -f1) || :
        if [ -z "$n" ]; then
            if tr -d '\r' <"$file" | grep -qE -- "$re"; then
                echo "FAIL $name: /$re/ is not after line $at (order); see $file"
            else
                echo "FAIL $name: console lacks /$re/; see $file"
            fi
            return 0
        fi
        at=$((at + n))
    done
    echo "PASS $name"
}

# expect_count NAME FILE N REGEX: exactly N lines of FILE (CRs stripped)
# match REGEX.
expect_count() {
    local n
    n=$(count_lines "$2" "$4")
    check "$1" "$([ "$n" = "$3" ]; echo $?)" "$n lines match /$4/, expected $3; see $2"
}

# image_checks NAME PREFIX [N]: the last boot's image reported its own
# checks as "PREFIX: PASS check" / "PREFIX: FAIL check: why" lines: one
# result line NAME/check each and, given N, NAME/ran-all-checks, which
# fails unless exactly N passed (a check that vanished is a failure).
image_checks() {
    local name=$1 prefix=$2 want=${3:-} n
    sed -nE "s/^$prefix: (PASS|FAIL) ([^:]*)(: (.*))?\$/\1 $name\/\2\3/p" "$BOOT_LOG"
    [ -n "$want" ] || return 0
    n=$(count_lines "$BOOT_LOG" "^$prefix: PASS ")
    check "$name/ran-all-checks" "$([ "$n" = "$want" ]; echo $?)" \
        "$n checks passed, $want expected; see $BOOT_LOG"
}

# start_image NAME REGEX [tools/run options...] IMAGE: boot IMAGE in the
# background, in a process group of its own (its id in $VM_PID; stop_vm
# ends it, and so does the test's end), console to $LOGS/NAME.log
# ($BOOT_LOG, CRs as QEMU wrote them), and wait for a console line
# matching the extended REGEX, at most ${START_TIMEOUT:-60} s. Returns 1
# after a "FAIL NAME: ..." line with the last console lines if the image
# ends or the time runs out first. The run itself is limited to
# ${VM_TIMEOUT:-300} s.
start_image() {
    local name=$1 re=$2
    shift 2
    BOOT_LOG=$LOGS/${name//\//-}.log
    if ! START_TIMEOUT=${START_TIMEOUT:-60} start_bg "$name" "$BOOT_LOG" "$re" \
        "$ROOT/tools/run" --machine "$MACHINE" --timeout "${VM_TIMEOUT:-300}" "$@"; then
        VM_PID=""
        return 1
    fi
    VM_PID=$BG_PID
}

# stop_vm: end the VM start_image (or netns_boot) started, if any.
VM_PID=""
stop_vm() {
    if [ -n "$VM_PID" ]; then
        stop_bg "$VM_PID"
        VM_PID=""
    fi
}

# netns_tap_up NAME: a network namespace of our own holding tap0 at
# 10.0.3.1/24, for tests that must see the guest's own packets (QEMU's user
# networking rewrites them). Removed by netns_down NAME.
netns_tap_up() {
    ip netns add "$1"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" ip tuntap add dev tap0 mode tap
    ip netns exec "$1" ip addr add 10.0.3.1/24 dev tap0
    ip netns exec "$1" ip link set tap0 up
}

netns_down() {
    ip netns del "$1" 2>/dev/null || true
}

# netns_image NS NAME REGEX CMDLINE IMAGE: start_image in namespace NS on
# tap0 with kernel command line CMDLINE.
netns_image() {
    local ns=$1 name=$2 re=$3 cmdline=$4 image=$5
    BOOT_LOG=$LOGS/${name//\//-}.console
    if ! START_TIMEOUT=${START_TIMEOUT:-60} start_bg "$name" "$BOOT_LOG" "$re" \
        ip netns exec "$ns" env QEMU_EXTRA="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,disable-legacy=on" \
        "$ROOT/tools/run" --timeout 60 --append "$cmdline" "$image"; then
        VM_PID=""
        return 1
    fi
    VM_PID=$BG_PID
}

# can_netns: root, /dev/net/tun and iproute2 are there.
can_netns() {
    [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && command -v ip >/dev/null
}
