#!/usr/bin/env bash
# Prints a security audit of a built image: size by section, the W^X map of
# its loadable sections, which libos subsystems are linked, how many
# functions it holds, whether every exec-family entry point is the refusing
# stub from libos/refuse.c, where two boots put the image, the heap and the
# thread stacks (and the entropy of each), and, for a network-facing image, the ports it
# really opens (booted, then each TCP port connected to through a forward).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "Usage: tools/audit.sh IMAGE.elf [CMDLINE]   (or: make APP=name audit)"
    echo "A network-facing image is booted (with CMDLINE) to list the ports it opens."
    [ $# -ge 1 ] && exit 0 || exit 2
fi
elf=$1 cmdline=${2:-}
[ -f "$elf" ] || { echo "audit: no such image: $elf (build it with make APP=...)" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip -o "$stripped" "$elf"

echo "audit of $elf"
echo "image: $(stat -c %s "$stripped") bytes stripped, $(stat -c %s "$elf") with symbols and debug info"
echo
echo "sections loaded into memory (page permissions the kernel gives them; link addresses:"
echo "the image runs elsewhere at every boot, see address-space layout randomisation below):"
printf '  %-12s %10s  %-18s %s\n' section bytes address permissions
readelf -SW "$elf" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
    while read -r name _type addr _off size _es flags _rest; do
        [[ "$flags" == *A* ]] || continue
        case "$name" in
            .text) perm="r-x  (code: read-only, executable)" ;;
            .data|.bss) perm="rw-  (no-execute)" ;;
            *) perm="r--  (read-only, no-execute)" ;;
        esac
        printf '  %-12s %10d  0x%-16s %s\n' "$name" "$((16#$size))" "$addr" "$perm"
    done
echo "  heap, thread stacks, all other RAM: rw-  (no-execute); first MiB (NULL + offset): unmapped"
echo "  (the kernel walks its page tables at every boot and panics on any page both writable and executable)"
echo

syms=$(nm --defined-only "$elf")
has() { grep -qE " [TtWw] ($1)$" <<<"$syms"; }
echo "libos subsystems linked:"
net=0
has 'tcpip_thread|lwip_socket' && net=1
[ $net = 1 ] && echo "  net:     yes (lwIP TCP/IP stack, sockets)" || echo "  net:     no"
has 'blk_read|virtio_blk_init' && echo "  blk:     yes (virtio-blk)" || echo "  blk:     no"
has 'pthread_create' && echo "  threads: yes (pthread_create)" || echo "  threads: main thread only"
has 'pci_init|pci_find' && echo "  pci:     yes" || echo "  pci:     no"
echo "functions in the image: $(grep -cE ' [TtWw] ' <<<"$syms")"
echo

echo "exec-family entry points (must all be the refusing stubs in libos/refuse.c):"
bad=0 found=0
for fn in fork vfork execve execv execvp execl execlp system popen pclose wait waitpid kill posix_spawn posix_spawnp; do
    addr=$(awk -v f="$fn" '$3 == f && $2 ~ /[TtWw]/ { print $1; exit }' <<<"$syms")
    [ -n "$addr" ] || continue
    found=$((found + 1))
    # Debug info names this tree "." (reproducible images: the Makefile's
    # REPRO_FLAGS); older images name its absolute path.
    src=$(addr2line -e "$elf" "0x$addr" 2>/dev/null | sed 's/:.*//; s|^\./||')
    if [[ "$src" == libos/refuse.c || "$src" == */libos/refuse.c ]]; then
        printf '  %-13s refusing stub (%s)\n' "$fn" "${src#"$ROOT"/}"
    else
        printf '  %-13s NOT the refusing stub: defined in %s\n' "$fn" "${src:-unknown}"
        bad=1
    fi
done
[ "$found" = 0 ] && echo "  none linked: the app never calls them"
if [ "$bad" = 0 ]; then
    echo "  verdict: no code path can start a program (there is no interpreter in the image)"
else
    echo "  verdict: FAILED: an exec-family function is not the refusing stub"
    exit 1
fi

# Two boots: where the image, the heap and the thread stacks landed, from
# the kernel's "aslr:" line, and how many bits of entropy each has.
echo
echo "address-space layout randomisation (two boots, command line '$cmdline'):"
aslr_log=$(mktemp)
trap 'rm -f "$stripped" "$aslr_log"' EXIT
aslr_line() {
    setsid "$ROOT/tools/run" --timeout 60 --append "$cmdline" "$elf" </dev/null >"$aslr_log" 2>&1 &
    local p=$! line=""
    for _ in $(seq 1 300); do
        line=$(tr -d '\r' <"$aslr_log" | grep -m1 '^aslr:' || true)
        [ -n "$line" ] && break
        kill -0 "$p" 2>/dev/null || break
        sleep 0.1
    done
    kill -- -"$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    echo "$line"
}
first=$(aslr_line) second=$(aslr_line)
region() { # LINE NAME: "ADDRESS BITS" of region NAME in an aslr: line
    sed -n "s/.*$2 at \(0x[0-9a-f]*\) (\([0-9]*\) bits).*/\1 \2/p" <<<"$1"
}
if [[ "$first" != "aslr: image at"* || "$second" != "aslr: image at"* ]]; then
    echo "  not randomised: ${first:-no aslr line in the boot log}"
    echo "  verdict: FAILED: the image runs at fixed addresses"
    exit 1
fi
moved=0
for name in image heap "thread stacks"; do
    read -r a bits <<<"$(region "$first" "$name")"
    read -r b _ <<<"$(region "$second" "$name")"
    printf '  %-14s %d bits of entropy (one of %d pages); boots: %s, %s\n' "$name:" "$bits" \
        $((1 << bits)) "$a" "$b"
    [ "$a" != "$b" ] && moved=$((moved + 1))
done
if [ "$moved" = 3 ]; then
    echo "  verdict: every region moved between the two boots"
else
    echo "  verdict: FAILED: $((3 - moved)) region(s) at the same address in both boots"
    exit 1
fi
[ $net = 1 ] || exit 0

# Boot it with a NIC; libos prints "libos: listening on PROTO port N" for
# every port the service opens. Then check each TCP port from outside.
echo
echo "open ports (booted with a NIC, command line '$cmdline'):"
log=$(mktemp)
trap 'rm -f "$stripped" "$aslr_log" "$log"' EXIT
boot_bg() { # extra tools/run options...; sets $pid
    setsid "$ROOT/tools/run" --timeout 60 "$@" --append "$cmdline" "$elf" </dev/null >"$log" 2>&1 &
    pid=$!
}
stop() { kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
boot_bg --net
# Services open their ports right after boot; wait for the output to settle.
last=-1
for _ in $(seq 1 100); do
    sleep 0.2
    size=$(stat -c %s "$log")
    if grep -q '^libos: listening' "$log" && [ "$size" = "$last" ]; then break; fi
    last=$size
done
stop
ports=$(tr -d '\r' <"$log" | sed -n 's/^libos: listening on \(tcp\|udp\) port \([0-9]*\)$/\1 \2/p' | sort -u)
if [ -z "$ports" ]; then
    echo "  none: the service opened no port within 20 s"
    exit 0
fi
fwd=() hostport=$((30000 + RANDOM % 20000)) map=""
while read -r proto port; do
    fwd+=(--port "$proto:$hostport:$port")
    map+="$proto $port $hostport"$'\n'
    hostport=$((hostport + 1))
done <<<"$ports"
boot_bg "${fwd[@]}"
while read -r proto port host; do
    [ -n "$proto" ] || continue
    if [ "$proto" = udp ]; then
        printf '  udp/%-6s open (bound; UDP has no handshake to check)\n' "$port"
        continue
    fi
    ok=0
    for _ in $(seq 1 50); do
        if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$host" 2>/dev/null &&
            grep -q "^libos: listening on tcp port $port" "$log"; then
            ok=1
            break
        fi
        sleep 0.2
    done
    if [ $ok = 1 ]; then
        printf '  tcp/%-6s open (accepts connections)\n' "$port"
    else
        printf '  tcp/%-6s reported, but no connection was accepted\n' "$port"
    fi
done <<<"$map"
stop
