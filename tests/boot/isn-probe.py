#!/usr/bin/env python3
"""Connects to a guest N times over a tap device and records the initial
sequence number of each SYN-ACK the guest sends (captured with an AF_PACKET
socket on the tap). Prints the ISNs, the gaps between consecutive ones and a
verdict: predictable when the gaps are small or regular, as with a counter."""
import socket
import struct
import sys
import threading
import time

ETH_P_ALL = 0x0003


def capture(ifname, guest_ip, port, isns, stop):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.settimeout(0.2)
    guest = socket.inet_aton(guest_ip)
    while not stop.is_set():
        try:
            frame = s.recv(2048)
        except socket.timeout:
            continue
        if len(frame) < 14 + 20 + 20 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 6 or ip[12:16] != guest:
            continue
        tcp = ip[ihl:]
        sport, _dport, seq = struct.unpack("!HHI", tcp[:8])
        flags = tcp[13]
        if sport == port and flags & 0x12 == 0x12:  # SYN and ACK
            isns.append(seq)


def main():
    ifname, guest_ip, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    isns, stop = [], threading.Event()
    t = threading.Thread(target=capture, args=(ifname, guest_ip, port, isns, stop))
    t.start()
    time.sleep(0.3)
    for _ in range(n):
        try:
            with socket.create_connection((guest_ip, port), timeout=5):
                pass
        except OSError as e:
            print(f"isn-probe: connect failed: {e}")
        time.sleep(0.05)
    time.sleep(0.5)
    stop.set()
    t.join()
    gaps = [(b - a) % (1 << 32) for a, b in zip(isns, isns[1:])]
    print("isns: " + " ".join(f"{x:08x}" for x in isns))
    print("gaps: " + " ".join(str(g) for g in gaps))
    small = sum(1 for g in gaps if g < (1 << 24) or g > (1 << 32) - (1 << 24))
    if len(isns) < n:
        print(f"verdict: only {len(isns)} of {n} SYN-ACKs captured")
        return 2
    if small > 2 or len(set(gaps)) < len(gaps):
        print(f"verdict: predictable ({small} of {len(gaps)} gaps below 2^24)")
        return 1
    print(f"verdict: unpredictable ({small} of {len(gaps)} gaps below 2^24)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
