#!/usr/bin/env python3
"""Boot-to-first-answer timer for tools/bench-dns.sh: launches the QEMU
command given after '--', sends a DNS query for www.example.test/A to
127.0.0.1:PORT every 10 ms, and prints the seconds from launch to the first
valid answer ('answer SECONDS'), or 'timeout'. QEMU is stopped either way."""
import os
import signal
import socket
import subprocess
import sys
import time

QUERY_ID = 0x4142
QUERY = (QUERY_ID.to_bytes(2, "big") + b"\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"
         + b"\x03www\x07example\x04test\x00\x00\x01\x00\x01")


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print("usage: firstanswer.py PORT TIMEOUT -- QEMU-COMMAND...", file=sys.stderr)
        return 2
    port, timeout, cmd = int(sys.argv[1]), float(sys.argv[2]), sys.argv[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.01)
    start = time.monotonic()
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    result = "timeout"
    try:
        while time.monotonic() - start < timeout and q.poll() is None:
            s.sendto(QUERY, ("127.0.0.1", port))
            try:
                data = s.recv(4096)
            except (socket.timeout, ConnectionRefusedError):
                continue
            # A response to our query (QR set) with rcode NOERROR and answers.
            if (len(data) > 12 and int.from_bytes(data[:2], "big") == QUERY_ID
                    and data[2] & 0x80 and data[3] & 0x0F == 0 and data[6:8] != b"\x00\x00"):
                result = f"answer {time.monotonic() - start:.3f}"
                break
    finally:
        try:
            os.killpg(q.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        q.wait()
    print(result)
    return 0 if result != "timeout" else 1


if __name__ == "__main__":
    sys.exit(main())
