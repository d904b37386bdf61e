#!/usr/bin/env bash
# `make run` without surprises: an explicit PORTS= forward for a guest port
# the app forwards by default replaces that default (and answers), two
# forwards of one guest UDP port are refused, a busy host port is named in
# one line; out-of-tree apps of one name build in folders of their own,
# each booting its own code, and their warnings are not errors.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app apps/echo || exit 0
command -v python3 >/dev/null || { echo "FAIL make-run: python3 is needed"; exit 0; }

# PORTS=udp:P:7 replaces echo's default udp:8007:7 (its tcp:8007:7 stays).
port=$(free_port)
if START_TIMEOUT=60 start_bg make-run-ports-override "$LOGS/make-run-ports.log" '^echo: listening' \
    make -s -C "$ROOT" APP=echo run PORTS="udp:$port:7"; then
    VM_PID=$BG_PID
    log_has make-run-ports-override/forward "$LOGS/make-run-ports.log" \
        "^forward: 127\.0\.0\.1:$port -> guest udp/7$" '^forward: 127\.0\.0\.1:8007 -> guest tcp/7$'
    expect_count make-run-ports-override/default-udp-dropped "$LOGS/make-run-ports.log" 0 \
        '^forward: 127\.0\.0\.1:8007 -> guest udp/7$'
    producer make-run-ports-override/udp-answers python3 "$ROOT/tests/boot/echo-client.py" \
        make-run-ports-override "$port" udp
    stop_vm
fi

# Two forwards of one guest UDP port: refused before QEMU starts.
p1=$(free_port) p2=$(free_port)
out=$(make -s -C "$ROOT" APP=echo run PORTS="udp:$p1:7 udp:$p2:7" 2>&1 </dev/null) && rc=0 || rc=$?
errs=$(grep -vEc '^(forward|make(\[[0-9]+\])?): ' <<<"$out" || :)
check make-run-duplicate-udp-refused "$([ "$rc" != 0 ] && [ "$errs" = 1 ] &&
    grep -q "^run: --port udp:$p2:7: guest udp port 7 is already forwarded from 127.0.0.1:$p1" <<<"$out"
    echo $?)" "status $rc, output: $(tr '\n' '|' <<<"$out")"

# A host port in use: one line naming it and PORTS.
busy=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
print("bound", flush=True); time.sleep(60)' "$busy" >"$LOGS/make-run-busy-holder.log" &
holder=$!
wait_line "$LOGS/make-run-busy-holder.log" '^bound$' 10 "$holder" || :
out=$(make -s -C "$ROOT" APP=echo run PORTS="udp:$busy:7" 2>&1 </dev/null) && rc=0 || rc=$?
kill "$holder" 2>/dev/null || :
wait "$holder" 2>/dev/null || :
# (make adds its own "make: *** ... Error 126" line, as for any failed run.)
check make-run-busy-port-named "$([ "$rc" != 0 ] && [ "$(grep -vEc '^(forward|make(\[[0-9]+\])?): ' <<<"$out")" = 1 ] &&
    grep -q "^run: 127\.0\.0\.1:$busy (udp) is in use.*PORTS=udp:OTHER:7" <<<"$out"
    echo $?)" "status $rc, output: $(tr '\n' '|' <<<"$out")"

# The DNS server's default host port is not mDNS's.
grep -qE '^APP_PORTS := .*udp:5353:' "$ROOT/apps/dns/app.mk" && rc=1 || rc=0
check make-run-dns-port-not-mdns "$rc" "apps/dns/app.mk still forwards 5353 (mDNS)"

# Two out-of-tree apps both named "service", built one after the other
# from different folders: each boots its own code; one has a warning.
ext=$(mktemp -d "${TMPDIR:-/tmp}/make-run-ext.XXXXXX")
trap 'stop_bg; rm -rf "$ext"' EXIT
for who in first second; do
    mkdir -p "$ext/$who/service"
    printf '#include <stdio.h>\nint main(void)\n{\n    int unused;\n    printf("service: the %s one\\n");\n    return 0;\n}\n' \
        "$who" >"$ext/$who/service/main.c"
done
sed -i '/int unused;/d' "$ext/second/service/main.c"
for who in first second; do
    if make -s -C "$ROOT" APP="$ext/$who/service" >"$LOGS/build-ext-$who.log" 2>&1; then
        elf=$(sed -n 's/^ *IMAGE *\([^ ]*\) .*/\1/p' "$LOGS/build-ext-$who.log")
        boot "make-run-ext-$who" "$ROOT/${elf:-build/ext$ext/$who/service/service.elf}"
        expect "make-run-ext-$who" 0 "^service: the $who one$"
    else
        echo "FAIL make-run-ext-$who: build failed: $(last_lines "$LOGS/build-ext-$who.log")"
    fi
done
grep -q "warning: unused variable .unused." "$LOGS/build-ext-first.log" && rc=0 || rc=1
check make-run-ext-warning-shown $rc "no unused-variable warning in $LOGS/build-ext-first.log"
touch "$ext/first/service/main.c" # WERROR applies to what this run compiles
make -s -C "$ROOT" APP="$ext/first/service" WERROR=1 >"$LOGS/build-ext-werror.log" 2>&1 && rc=1 || rc=0
check make-run-ext-werror "$rc" "WERROR=1 did not fail the build with a warning"
# A moved app builds (and boots) again: no stale dependency files.
mv "$ext/second" "$ext/moved"
if make -s -C "$ROOT" APP="$ext/moved/service" >"$LOGS/build-ext-moved.log" 2>&1; then
    boot make-run-ext-moved "$ROOT/build/ext$ext/moved/service/service.elf"
    expect make-run-ext-moved 0 '^service: the second one$'
else
    echo "FAIL make-run-ext-moved: build failed: $(last_lines "$LOGS/build-ext-moved.log")"
fi
rm -rf "$ROOT/build/ext$ext"
