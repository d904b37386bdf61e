#!/usr/bin/env python3
"""A stand-in DNS server for tests/boot/net-unpredictable.sh: answers every query
with NXDOMAIN and records its transaction id and source port. After
SECONDS, prints them and a verdict: predictable when ids or ports repeat,
step by small regular amounts, or ports stay within a narrow range."""
import socket
import sys
import time


def main():
    addr, seconds, want = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    print("listening on udp port 53", flush=True)  # the test boots the image now
    s.settimeout(0.2)
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and len(seen) < want:
        try:
            q, peer = s.recvfrom(1500)
        except socket.timeout:
            continue
        if len(q) < 12:
            continue
        seen.append((int.from_bytes(q[:2], "big"), peer[1]))
        # NXDOMAIN: QR, RD copied, RA, rcode 3; question echoed.
        s.sendto(q[:2] + bytes([0x80 | (q[2] & 0x01), 0x83]) + q[4:6] + b"\0\0\0\0\0\0" + q[12:], peer)
    ids = [i for i, _ in seen]
    ports = [p for _, p in seen]
    print("ids: " + " ".join(f"{i:04x}" for i in ids))
    print("ports: " + " ".join(str(p) for p in ports))
    if len(seen) < want:
        print(f"verdict: only {len(seen)} of {want} queries arrived")
        return 2
    id_gaps = {(b - a) % 65536 for a, b in zip(ids, ids[1:])}
    port_gaps = {(b - a) % 65536 for a, b in zip(ports, ports[1:])}
    if len(set(ids)) < len(ids) - 1 or len(id_gaps) < len(ids) // 2:
        print("verdict: predictable transaction ids")
        return 1
    if len(set(ports)) < len(ports) - 1 or len(port_gaps) < len(ports) // 2 or \
            max(ports) - min(ports) < 1024:
        print("verdict: predictable source ports")
        return 1
    print("verdict: unpredictable ids and source ports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
