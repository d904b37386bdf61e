#!/usr/bin/env python3
"""Probes an echo server (the echo image behind QEMU's hostfwd) like a real
client would and prints one "PASS name" or "FAIL name: reason" per check.

Usage: echo-client.py PREFIX PORT [CHECK...]
CHECKs: udp, tcp-1mib, tcp-50, tcp-small (default: all but tcp-small).
"""
import hashlib
import os
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def report(ok, name, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def udp(prefix, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    sizes, bad = [1, 512, 1400, 4000], []
    for n in sizes:
        msg = os.urandom(n)
        got = None
        for _ in range(3):  # UDP may drop; the first datagram also waits for ARP
            s.sendto(msg, (HOST, port))
            try:
                got, _ = s.recvfrom(65536)
                break
            except socket.timeout:
                continue
        if got != msg:
            bad.append(f"{n} bytes: {'no reply' if got is None else f'{len(got)} bytes back'}")
    report(not bad, f"{prefix}/udp-roundtrip",
           "; ".join(bad) if bad else "datagrams of " + ", ".join(map(str, sizes)) + " bytes")


def recv_all(s):
    """Everything s receives until the peer closes its side."""
    got = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return bytes(got)
        got += chunk


def tcp_roundtrip(port, data, timeout=60):
    """Send data on one connection while reading the echo; returns the echo."""
    s = socket.create_connection((HOST, port), timeout=timeout)

    def sender():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=sender)
    t.start()
    got = recv_all(s)
    t.join()
    s.close()
    return got


def tcp_1mib(prefix, port):
    data = os.urandom(1 << 20)
    t0 = time.time()
    try:
        got = tcp_roundtrip(port, data)
    except OSError as e:
        report(False, f"{prefix}/tcp-1MiB-sha256", str(e))
        return
    dt = time.time() - t0
    want, have = hashlib.sha256(data).hexdigest(), hashlib.sha256(got).hexdigest()
    report(want == have, f"{prefix}/tcp-1MiB-sha256",
           f"{len(got)} bytes back in {dt:.2f} s ({len(got) / 1048576 / dt:.2f} MiB/s), "
           f"sha256 {have[:16]}{'' if want == have else ' != ' + want[:16]}")


def tcp_50(prefix, port):
    n, errors, retried, lock, retry_lock = 50, [], [], threading.Lock(), threading.Lock()
    ready = threading.Barrier(n)

    def exchange(s, data):
        for off in range(0, len(data), 1000):
            s.sendall(data[off:off + 1000])
        s.shutdown(socket.SHUT_WR)
        return recv_all(s)

    def client(i):
        data = (f"client {i} ".encode() * 1000)[: 8192 + i]
        try:
            s = socket.create_connection((HOST, port), timeout=60)
            ready.wait(timeout=60)  # all 50 connected at once before any sends
            try:
                got = exchange(s, data)
            except ConnectionResetError:
                # QEMU's user networking resets a forwarded connection whose
                # guest side it could not set up in time (a loaded host);
                # the guest never saw it. Again, one retrying client at a
                # time (at most 3 tries), and say so.
                s.close()
                with lock:
                    retried.append(i)
                with retry_lock:
                    for attempt in range(3):
                        s = socket.create_connection((HOST, port), timeout=60)
                        try:
                            got = exchange(s, data)
                            break
                        except ConnectionResetError:
                            s.close()
                            if attempt == 2:
                                raise
            s.close()
            if got != data:
                raise ValueError(f"{len(got)} of {len(data)} bytes came back right")
        except Exception as e:  # noqa: BLE001 - every failure is reported
            with lock:
                errors.append(f"client {i}: {e}")

    t0 = time.time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    note = f" ({len(retried)} reset by QEMU's user networking and retried)" if retried else ""
    report(not errors, f"{prefix}/tcp-50-concurrent",
           "; ".join(errors[:3]) if errors else f"{n} clients echoed in {time.time() - t0:.2f} s{note}")


def tcp_small(prefix, port):
    try:
        got = tcp_roundtrip(port, b"static hello\n", timeout=20)
    except OSError as e:
        got = str(e).encode()
    report(got == b"static hello\n", f"{prefix}/tcp-roundtrip", repr(got))


CHECKS = {"udp": udp, "tcp-1mib": tcp_1mib, "tcp-50": tcp_50, "tcp-small": tcp_small}

if __name__ == "__main__":
    prefix, port = sys.argv[1], int(sys.argv[2])
    for name in sys.argv[3:] or ["udp", "tcp-1mib", "tcp-50"]:
        CHECKS[name](prefix, port)
