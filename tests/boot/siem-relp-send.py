#!/usr/bin/env python3
"""A RELP sender for tests/boot/siem-ops.sh that behaves as rsyslog's omrelp
does when the normaliser goes away: records not acknowledged are sent
again on a new session until they are, so nothing is lost.

Usage: siem-relp-send.py PORT TAG FIRST COUNT [--interval S] [--timeout S]
Sends COUNT records "TAG-n" (n = FIRST ...) to 127.0.0.1:PORT, one at a
time, each acknowledged (200 OK: the event is in JetStream) before the
next; prints "acked N resent R" and exits 0 once all are, 1 at the timeout.
"""
import argparse
import socket
import sys
import time


def frame(txnr: int, cmd: str, data: bytes = b"") -> bytes:
    return b"%d %s %d%s\n" % (txnr, cmd.encode(), len(data), b" " + data if data else b"")


def read_rsp(f) -> bytes:
    """One RELP frame from the server: TXNR rsp LEN DATA LF; returns DATA."""
    head = b""
    while head.count(b" ") < 3 and not head.endswith(b"\n"):
        c = f.read(1)
        if not c:
            raise ConnectionError("closed")
        head += c
    parts = head.split(b" ")
    length = int(parts[2])
    data = head.split(b" ", 3)[3] if len(parts) > 3 else b""
    data += f.read(length - len(data) + 1)
    if parts[1] != b"rsp":
        return read_rsp(f)  # e.g. serverclose: the next frame decides
    return data


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("tag")
    ap.add_argument("first", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--interval", type=float, default=0.0)
    ap.add_argument("--timeout", type=float, default=120.0)
    a = ap.parse_args()
    deadline = time.monotonic() + a.timeout
    n, resent, conn, rec = a.first, 0, None, None
    while n < a.first + a.count:
        if time.monotonic() > deadline:
            print("acked %d resent %d (timed out)" % (n - a.first, resent), flush=True)
            return 1
        try:
            if conn is None:
                s = socket.create_connection(("127.0.0.1", a.port), timeout=5)
                f = s.makefile("rb")
                s.sendall(frame(1, "open", b"relp_version=0\nrelp_software=siem-test\ncommands=syslog"))
                if not read_rsp(f).startswith(b"200"):
                    raise ConnectionError("open refused")
                conn, txnr = (s, f), 2
            if rec is None:  # a record is sent again byte for byte: the same event id
                stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%06dZ" % (time.time() % 1 * 1e6)
                rec = "<38>1 %s testhost sshd 4242 - - %s-%d" % (stamp, a.tag, n)
            conn[0].sendall(frame(txnr, "syslog", rec.encode()))
            txnr += 1
            if not read_rsp(conn[1]).startswith(b"200"):
                raise ConnectionError("not acknowledged")
            n, rec = n + 1, None
            time.sleep(a.interval)
        except (OSError, ValueError, IndexError):
            if conn:
                conn[0].close()
            conn = None
            resent += 1
            time.sleep(0.3)
    print("acked %d resent %d" % (a.count, resent), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
