#!/usr/bin/env python3
"""Load generator for tools/bench-net.sh: TCP echo throughput and UDP echo
request/response rate against HOST:PORT. Prints one 'key: value' line each."""
import argparse
import socket
import sys
import threading
import time


def wait_ready(host, port, timeout):
    """Wait until the echo service answers a TCP round trip."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1) as s:
                s.sendall(b"ping\n")
                if s.recv(16):
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def tcp_throughput(host, port, mib):
    """Send mib MiB through the echo server, reading the echo concurrently."""
    total = mib << 20
    chunk = b"\xa5" * 65536
    got = [0]
    with socket.create_connection((host, port), timeout=30) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def reader():
            while got[0] < total:
                b = s.recv(1 << 20)
                if not b:
                    break
                got[0] += len(b)

        t = threading.Thread(target=reader)
        start = time.monotonic()
        t.start()
        sent = 0
        while sent < total:
            n = min(len(chunk), total - sent)
            s.sendall(chunk[:n])
            sent += n
        t.join(60)
        elapsed = time.monotonic() - start
    if got[0] != total:
        raise SystemExit(f"netload: tcp echo returned {got[0]} of {total} bytes")
    return total / elapsed / (1 << 20)


def udp_rate(host, port, seconds, clients):
    """Ping-pong 64-byte datagrams from several sockets; answers per second."""
    counts = [0] * clients
    lost = [0] * clients
    stop = time.monotonic() + seconds

    def client(i):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.5)
        msg = bytes([i]) * 64
        while time.monotonic() < stop:
            s.sendto(msg, (host, port))
            try:
                data, _ = s.recvfrom(2048)
                if data == msg:
                    counts[i] += 1
            except socket.timeout:
                lost[i] += 1
        s.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - start), sum(lost)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--mib", type=int, default=32, help="MiB through TCP (default 32)")
    ap.add_argument("--seconds", type=float, default=5, help="UDP run length (default 5)")
    ap.add_argument("--clients", type=int, default=4, help="UDP sockets (default 4)")
    ap.add_argument("--ready-timeout", type=float, default=60)
    a = ap.parse_args()
    if not wait_ready(a.host, a.port, a.ready_timeout):
        print(f"netload: no echo service on {a.host}:{a.port}", file=sys.stderr)
        return 1
    print(f"tcp_mib_s: {tcp_throughput(a.host, a.port, a.mib):.2f}")
    rate, lost = udp_rate(a.host, a.port, a.seconds, a.clients)
    print(f"udp_rr_s: {rate:.0f}")
    print(f"udp_timeouts: {lost}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
