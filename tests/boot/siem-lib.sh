# shellcheck shell=bash
# Helpers for the SIEM's end-to-end tests (tests/boot/siem-*.sh): the real
# images, nats-server, logger and rsyslog, each test with a state folder
# and free ports of its own under build/tests/, everything stopped on exit.
# Sourced after tests/boot/lib.sh (free_port, wait_line, run_bg, stop_bg).
# Results are "PASS name" / "FAIL name: reason".

export ROOT
SIEM=$ROOT/tools/siem
SIEM_LOAD=$ROOT/tools/siem_load.py
SIEM_PROBE_PY=$ROOT/tools/siem_probe.py
SIEM_STATE="" SIEM_RSYSLOG_PID="" SIEM_GROUPS=""
# The modules there are: the manager once its app exists (it is being
# written; tools/siem boots it when its image is there).
SIEM_MODULES="normaliser correlator store"
[ -d "$ROOT/apps/siem/manager" ] && SIEM_MODULES="$SIEM_MODULES manager"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# siem_need TEST TOOL...: every tool is installed, or one FAIL line and a
# false status.
siem_need() {
    local test=$1 tool
    shift
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
            fail "$test" "$tool is missing (tools/bootstrap.sh installs it)"
            return 1
        fi
    done
}

# siem_build TEST: build the images of $SIEM_MODULES (quietly, logs in $LOGS).
siem_build() {
    local m
    for m in $SIEM_MODULES; do
        build_app "siem/$m" || { fail "$1" "the $m image does not build; see $LOGS/build-$m.log"; return 1; }
    done
}

# siem_up TEST [tools/siem up options...]: tools/siem up in a fresh state
# folder build/tests/TEST on free ports ($SIEM_UDP, $SIEM_TCP, $SIEM_RELP,
# $SIEM_NATS, $SIEM_WEB); images as built. siem_cleanup (the EXIT trap)
# stops it. The token up printed is in $SIEM_TOKEN.
siem_up() {
    local test=$1
    shift
    SIEM_STATE=$ROOT/build/tests/$test
    rm -rf "$SIEM_STATE"
    mkdir -p "$SIEM_STATE"
    read -r SIEM_UDP SIEM_TCP SIEM_RELP SIEM_NATS SIEM_WEB <<<"$(for _ in 1 2 3 4 5; do free_port; done | tr '\n' ' ')"
    if ! "$SIEM" up --state "$SIEM_STATE" --no-build --udp-port "$SIEM_UDP" --tcp-port "$SIEM_TCP" \
        --relp-port "$SIEM_RELP" --nats-port "$SIEM_NATS" --web-port "$SIEM_WEB" "$@" \
        >"$SIEM_STATE/up.out" 2>"$SIEM_STATE/up.err" </dev/null; then
        fail "$test/up" "tools/siem up failed: $(tr '\n' '|' <"$SIEM_STATE/up.err" | tail -c 600)"
        return 1
    fi
    SIEM_TOKEN=$(sed -n 's/^token //p' "$SIEM_STATE/up.out")
    # The tests' own bus clients log in as the operator.
    export SIEM_NATS_CREDS=$SIEM_STATE/keys/operator.nk
}

# siem_build_version TEST VERSION DIR: build each module of $SIEM_MODULES
# with SIEM_VERSION=VERSION and copy its image to DIR/siem-MODULE.elf (make
# builds into the same build/siem-MODULE/ folder whatever the version), then
# build the ordinary images again, so build/ holds those afterwards.
siem_build_version() {
    local test=$1 version=$2 dir=$3 m
    mkdir -p "$dir"
    for m in $SIEM_MODULES; do
        build_target "$test-$m-$version" APP="siem/$m" SIEM_VERSION="$version" || return 1
        cp "$ROOT/build/siem-$m/siem-$m.elf" "$dir/siem-$m.elf"
    done
    siem_build "$test"
}

# siem_cleanup: the EXIT trap of a SIEM test: what run_bg started
# (senders, rsyslogd), then the SIEM.
siem_cleanup() {
    stop_bg
    [ -n "$SIEM_STATE" ] && "$SIEM" down --state "$SIEM_STATE" >/dev/null 2>&1 </dev/null
    return 0
}

# siem ARGS...: tools/siem on this test's state folder.
siem() {
    local cmd=$1
    shift
    "$SIEM" "$cmd" --state "$SIEM_STATE" "$@" </dev/null
}

siem_load() { python3 "$SIEM_LOAD" "$@"; }
siem_probe() { python3 "$SIEM_PROBE_PY" --nats-port "$SIEM_NATS" "$@"; }

# siem_json EXPR: a value from STATE/siem.json (st is the parsed file).
siem_json() {
    python3 -c "import json,sys; st=json.load(open(sys.argv[1])); print($1)" "$SIEM_STATE/siem.json"
}

# siem_qemu_pid MODULE: the QEMU process in the module's process group.
siem_qemu_pid() {
    local pgid
    pgid=$(siem_json "st['components']['$1']['pid']")
    ps -eo pid=,pgid=,comm= | awk -v g="$pgid" '$2 == g && $3 ~ /^qemu-system/ { print $1 }'
}

# siem_group_left: the live processes (zombies aside) of every process
# group noted by siem_remember_groups, one "PID COMMAND" a line.
siem_group_left() {
    ps -eo pid=,pgid=,stat=,comm= | awk -v groups=" $SIEM_GROUPS " \
        'index(groups, " " $2 " ") && $3 !~ /^Z/ { print $1 " " $4 }'
}

# siem_remember_groups: note every component's process group id now (down
# clears the pids in the state file) in $SIEM_GROUPS.
siem_remember_groups() {
    SIEM_GROUPS="$SIEM_GROUPS $(siem_json "' '.join(str(c['pid']) for c in st['components'].values() if c['pid'])")"
}

# siem_restart MODULE: after MODULE's QEMU was killed, wait (up to 120 s)
# until the supervisor has booted it again and that boot printed
# "MODULE: ready" (the supervisor appends a restart to the same console
# log after a "--- ..." line).
siem_restart() {
    local m=$1 log=$SIEM_STATE/logs/$1.log i
    for i in $(seq 1 1200); do
        if tr -d '\r' <"$log" | awk -v ready="^$m: ready" '
            /^--- / { restarted = 1; up = 0 }
            $0 ~ ready { up = 1 }
            END { exit !(restarted && up) }'; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# siem_settled TIMEOUT: every event the normaliser took in is in EVENTS,
# and the correlator and the store have acknowledged everything in EVENTS
# and ALERTS (so any alert those events cause is stored too).
siem_settled() {
    python3 - "$SIEM_NATS" "$1" <<'PY'
import sys, time, os
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
port, timeout = int(sys.argv[1]), float(sys.argv[2])
deadline = time.monotonic() + timeout
with siem_probe.connect(port) as nc:
    siem_probe.wait_beat(nc, "normaliser", [siem_probe.parse_condition("inflight==0")], timeout)
    while True:
        infos = [siem_probe.consumer_info(nc, s, c) for s, c in
                 (("EVENTS", "correlator"), ("EVENTS", "store-events"), ("ALERTS", "store-alerts"))]
        busy = [i["name"] for i in infos if i["num_pending"] or i["num_ack_pending"]]
        if not busy:
            break
        if time.monotonic() > deadline:
            sys.exit("still busy after %g s: %s" % (timeout, ", ".join(busy)))
        time.sleep(0.5)
PY
}

# --- rsyslog with omrelp, in a configuration and folder of the test's own ---

# siem_rsyslog_start: rsyslogd listening with imtcp on $RSYSLOG_TCP,
# forwarding everything it receives there over RELP to the normaliser
# (RSYSLOG_SyslogProtocol23Format, a disk-assisted queue). The system's
# rsyslog is not touched: own config, work directory and pid file.
siem_rsyslog_start() {
    local dir=$SIEM_STATE/rsyslog i
    mkdir -p "$dir/work"
    RSYSLOG_TCP=$(free_port)
    cat >"$dir/rsyslog.conf" <<EOF
# rsyslog for a SIEM test: imtcp in, omrelp out, nothing else.
global(workDirectory="$dir/work")
module(load="imtcp")
module(load="omrelp")
input(type="imtcp" port="$RSYSLOG_TCP" address="127.0.0.1" ruleset="to_siem")
ruleset(name="to_siem") {
    action(type="omrelp" target="127.0.0.1" port="$SIEM_RELP"
           template="RSYSLOG_SyslogProtocol23Format"
           queue.type="LinkedList" queue.filename="to_siem" queue.saveOnShutdown="on"
           action.resumeRetryCount="-1" action.resumeInterval="1")
}
EOF
    run_bg "$dir/rsyslogd.log" rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/rsyslog.pid"
    SIEM_RSYSLOG_PID=$BG_PID
    for i in $(seq 100); do
        ss -ltn "sport = :$RSYSLOG_TCP" | grep -q LISTEN && return 0
        kill -0 "$SIEM_RSYSLOG_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "rsyslog" "rsyslogd did not listen on 127.0.0.1:$RSYSLOG_TCP; $(tail -n 3 "$dir/rsyslogd.log" | tr '\n' '|')"
    return 1
}

siem_rsyslog_stop() {
    [ -n "$SIEM_RSYSLOG_PID" ] || return 0
    stop_bg "$SIEM_RSYSLOG_PID"
    SIEM_RSYSLOG_PID=""
}
