#!/usr/bin/env python3
"""Syslog senders and line generators for the SIEM's boot tests and its
benchmark: records over UDP, TCP (LF or octet-counted framing, RFC 6587)
and RELP (a client that waits for every "200 OK"), sshd brute-force
sequences, and a storm of malformed input. Python 3 standard library only.

  siem_load.py flood PROTO PORT --count N --token T [--first K]
                                             N generic lines (numbered from K)
  siem_load.py brute PROTO PORT --ips N --fails K --token T
                                             K failed sshd logins from each
                                             of N addresses, interleaved
  siem_load.py storm --udp P --tcp P --relp P --count N
                                             malformed and oversized input
  siem_load.py mixed PROTO PORT --count N --token T [--rate R]
                 [--gate-every K --gate-dir DIR]
                                             N records: generic lines with
                                             brute-force bursts (MIXED_PLAN),
                                             paced, pausing at gates
  siem_load.py mixed-expect [--count N]      the alerts per address that
                                             mixed's bursts give (JSON)
PROTO is udp, tcp (LF framing), octet (octet counting) or relp. Each
record carries the token, so a test finds exactly its own records.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import socket
import sys
import time

FAC_AUTH, FAC_AUTHPRIV, FAC_USER = 4, 10, 1
SEV_ERR, SEV_NOTICE, SEV_INFO = 3, 5, 6


# How long a sender waits for the normaliser to take or answer a record.
SEND_TIMEOUT_S = 180


def now_rfc3339() -> str:
    """Microseconds, so two records never share a timestamp (docs/siem.md:
    byte-identical RELP records within the duplicate window count once)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc5424(msg: str, app="app", host="loadhost", procid="-", msgid="-", sd="-", fac=FAC_USER,
            sev=SEV_INFO) -> bytes:
    return ("<%d>1 %s %s %s %s %s %s %s" % (fac * 8 + sev, now_rfc3339(), host, app, procid, msgid, sd,
                                            msg)).encode()


def rfc3164(msg: str, app="app", host="loadhost", pid=None, fac=FAC_USER, sev=SEV_INFO) -> bytes:
    stamp = time.strftime("%b %e %H:%M:%S", time.gmtime())
    return ("<%d>%s %s %s%s: %s" % (fac * 8 + sev, stamp, host, app, "[%d]" % pid if pid else "", msg)).encode()


def ssh_failure(ip: str, token: str, i: int) -> bytes:
    """One failed sshd password login from ip; the user name carries the
    token, the source port varies."""
    return rfc5424("Failed password for %s-u%d from %s port %d ssh2" % (token, i, ip, 40000 + i % 20000),
                   app="sshd", procid=str(1000 + i % 30000), fac=FAC_AUTHPRIV, sev=SEV_INFO)


def generic(token: str, i: int) -> bytes:
    return rfc5424("load %s %d the quick brown fox" % (token, i), app="loadgen", procid=str(4242))


# --- Senders -------------------------------------------------------------------


class UdpSender:
    def __init__(self, port: int, host="127.0.0.1"):
        self.addr = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def send(self, rec: bytes):
        self.sock.sendto(rec, self.addr)

    def close(self):
        self.sock.close()


class TcpSender:
    """RFC 6587 framing: LF after each record, or "LEN SP" before it."""

    def __init__(self, port: int, octet=False, host="127.0.0.1"):
        self.octet = octet
        # Back-pressure may hold a write for a long time while the SIEM is
        # slow (a loaded machine): that is a wait, not a failure.
        self.sock = socket.create_connection((host, port), timeout=SEND_TIMEOUT_S)
        self.buf = bytearray()

    def send(self, rec: bytes):
        self.buf += b"%d %s" % (len(rec), rec) if self.octet else rec + b"\n"
        if len(self.buf) >= 65536:
            self.flush()

    def send_raw(self, data: bytes):
        self.flush()
        self.sock.sendall(data)

    def flush(self):
        if self.buf:
            self.sock.sendall(self.buf)
            self.buf.clear()

    def close(self):
        """Flush, then close our half and wait for the peer's, so the
        records are in the normaliser (not in a socket buffer) on return."""
        self.flush()
        self.sock.shutdown(socket.SHUT_WR)
        self.sock.settimeout(SEND_TIMEOUT_S)
        try:
            while self.sock.recv(4096):
                pass
        except OSError:
            pass
        self.sock.close()


class RelpError(Exception):
    pass


class RelpSender:
    """A RELP client (librelp's protocol: "TXNR COMMAND DATALEN DATA\\n"):
    open, then syslog frames with up to `window` unacknowledged, close.
    Every record is acknowledged by "rsp 200" before close() returns."""

    def __init__(self, port: int, window=128, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=SEND_TIMEOUT_S)
        self.window = window
        self.txnr = 0
        self.unacked = set()
        self.rbuf = bytearray()
        self.acked = 0
        offer = b"relp_version=0\nrelp_software=siem_load\ncommands=syslog"
        self._frame(b"open", offer)
        self._drain(0)

    def _frame(self, cmd: bytes, data: bytes):
        self.txnr += 1
        self.unacked.add(self.txnr)
        # RFC 5424-relp: DATALEN, then SP DATA only when there is data.
        sp = b" " if data else b""
        self.sock.sendall(b"%d %s %d%s%s\n" % (self.txnr, cmd, len(data), sp, data))

    def _read_rsp(self):
        while True:
            parts = bytes(self.rbuf).split(b" ", 3)
            if len(parts) >= 3 and parts[2].split(b"\n")[0].isdigit():
                txnr, cmd = parts[0], parts[1]
                dlen_text = parts[2].split(b"\n")[0]
                dlen = int(dlen_text)
                head = len(txnr) + len(cmd) + len(dlen_text) + 2 + (1 if dlen else 0)
                if len(self.rbuf) >= head + dlen + 1:
                    data = bytes(self.rbuf[head:head + dlen])
                    del self.rbuf[:head + dlen + 1]
                    return int(txnr), cmd, data
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RelpError("the RELP server closed the session with %d records unacknowledged" %
                                len(self.unacked))
            self.rbuf += chunk

    def _drain(self, keep: int):
        while len(self.unacked) > keep:
            txnr, cmd, data = self._read_rsp()
            if cmd == b"serverclose":
                raise RelpError("the RELP server closed the session")
            if cmd != b"rsp" or not data.startswith(b"200"):
                raise RelpError("RELP answer to %d: %r %r" % (txnr, cmd, data[:80]))
            self.unacked.discard(txnr)
            self.acked += 1

    def send(self, rec: bytes):
        self._frame(b"syslog", rec)
        self._drain(self.window - 1)

    def close(self):
        self._drain(0)
        self._frame(b"close", b"")
        try:
            self._drain(0)
        except RelpError:
            pass
        self.sock.close()


def sender(proto: str, port: int):
    if proto == "udp":
        return UdpSender(port)
    if proto in ("tcp", "octet"):
        return TcpSender(port, octet=proto == "octet")
    if proto == "relp":
        return RelpSender(port)
    raise ValueError("unknown transport %r (udp, tcp, octet, relp)" % proto)


def send_all(proto: str, port: int, records, udp_pause=0.0, pace=0.0):
    """Send every record; returns their count. UDP has no flow control, so
    a sender can pause between datagrams (udp_pause seconds each 100); with
    pace, each record leaves at once and is followed by a pause of pace
    seconds."""
    s = sender(proto, port)
    n = 0
    for rec in records:
        s.send(rec)
        n += 1
        if pace:
            if hasattr(s, "flush"):
                s.flush()
            time.sleep(pace)
        if proto == "udp" and udp_pause and n % 100 == 0:
            time.sleep(udp_pause)
    s.close()
    return n


def brute_records(ips: int, fails: int, token: str, net="198.51"):
    """fails failed logins from each of ips addresses, interleaved: round
    r sends one failure from every address."""
    n = 0
    for r in range(fails):
        for a in range(ips):
            yield ssh_failure(brute_ip(a, net), token, n)
            n += 1


def brute_ip(a: int, net="198.51") -> str:
    return "%s.%d.%d" % (net, 100 + a // 250, 1 + a % 250)


# --- A mixed stream: generic lines and brute-force bursts -------------------------

# (failures, addresses): each address of the group fails that many sshd
# logins in one burst. ssh_brute_force (8 in 120 s, then 60 s suppressed)
# fires once for 8 and once for 15 (the 7 after the firing are either
# suppressed or too few), whatever the timing, and never for 7.
MIXED_PLAN = ((7, 20), (8, 20), (15, 20))
MIXED_NET = "198.18"
BURST_STEP = 3  # a burst's failures are every 3rd record, generic lines between


def mixed_bursts(count: int):
    """position in the stream -> (address, failure number); each address's
    burst starts at an evenly spaced position."""
    ips = [(fails, a) for fails, n in MIXED_PLAN for a in range(n)]
    ips = [(fails, "%s.%d.%d" % (MIXED_NET, fails, 1 + a)) for fails, a in ips]
    span = count // len(ips)
    if span < max(f for f, _ in MIXED_PLAN) * BURST_STEP:
        raise ValueError("mixed: --count %d is too small for %d bursts" % (count, len(ips)))
    at = {}
    for j, (fails, ip) in enumerate(sorted(ips, key=lambda x: x[1].split(".")[3] + x[1])):
        for f in range(fails):
            at[j * span + span // 2 + f * BURST_STEP] = ip
    return at


def mixed_expected(count: int) -> dict:
    """address -> the number of ssh_brute_force alerts its burst gives."""
    per = {}
    for ip in mixed_bursts(count).values():
        per[ip] = per.get(ip, 0) + 1
    return {ip: 1 if n >= 8 else 0 for ip, n in per.items()}


def mixed_records(count: int, token: str):
    """Record i is an sshd failure of a burst or the generic line i; both
    carry the token and i (generic: "load TOKEN i", failure: user TOKEN-ui)."""
    bursts = mixed_bursts(count)
    for i in range(count):
        yield ssh_failure(bursts[i], token, i) if i in bursts else generic(token, i)


def send_mixed(proto: str, port: int, count: int, token: str, rate: float, gate_every: int, gate_dir: str):
    """Send mixed_records at about rate records/s; after every gate_every
    records wait until the file gate_dir/gate-K (K = 1, 2, ...) exists,
    saying so on stdout first, so a test can act while records still
    remain to be sent."""
    s = sender(proto, port)
    t0 = time.monotonic()
    for i, rec in enumerate(mixed_records(count, token)):
        if gate_every and i and i % gate_every == 0:
            if hasattr(s, "flush"):
                s.flush()
            gate = os.path.join(gate_dir, "gate-%d" % (i // gate_every))
            print("at gate %d after %d records" % (i // gate_every, i), flush=True)
            deadline = time.monotonic() + 600
            while not os.path.exists(gate):
                if time.monotonic() > deadline:
                    raise SystemExit("siem_load.py: %s did not appear within 600 s" % gate)
                time.sleep(0.02)
            t0 = time.monotonic() - i / rate if rate else t0
        s.send(rec)
        if rate and i % 100 == 99:
            if hasattr(s, "flush"):
                s.flush()
            ahead = t0 + (i + 1) / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    s.close()
    return count


# --- The storm: input that must be counted, not crash anything ----------------


STORM_KINDS = 8
OVERSIZED = 3  # the kind that is 100 KiB long


def storm_kind(i: int) -> int:
    """Record i goes to channel i % 4 and is of kind (i // 4) % 8: every
    channel gets every kind."""
    return (i // 4) % STORM_KINDS


def storm_records(rng: random.Random, i: int) -> bytes:
    kind = storm_kind(i)
    if kind == 0:  # random bytes, NULs and LFs included
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 600)))
    if kind == 1:  # no <PRI>
        return b"no priority here %d %s" % (i, os.urandom(8).hex().encode())
    if kind == 2:  # a PRI out of range, a broken header
        return b"<%d>1 not-a-time %d" % (rng.choice([192, 999, 2 ** 31]), i)
    if kind == OVERSIZED:  # 100 KiB
        return b"<13>1 - - big - - - " + b"x" * (100 * 1024)
    if kind == 4:  # unterminated structured data
        return b"<13>1 2024-01-01T00:00:00Z h a - - [sd@1 k=\"v " + b"y" * rng.randint(0, 300)
    if kind == 5:  # invalid UTF-8
        return b"<13>Jan  1 00:00:00 host app: \xff\xfe\xc3\x28 %d" % i
    if kind == 6:  # a PRI alone, empty fields
        return b"<13>"
    return b"<13>1 2024-13-45T99:99:99Z host app - - - bad date %d" % i


def storm(udp: int, tcp: int, relp: int, count: int, seed=1) -> dict:
    """count malformed records spread over UDP, TCP (LF and octet framing,
    with broken octet counts) and RELP (good sessions carrying bad records,
    and sessions of broken frames). Returns what was sent per channel."""
    rng = random.Random(seed)
    sent = {"udp": 0, "tcp": 0, "octet": 0, "relp": 0, "oversized_tcp_relp": 0, "broken_octet": 0,
            "broken_relp": 0}
    u = UdpSender(udp)
    t = TcpSender(tcp)
    o = TcpSender(tcp, octet=True)
    r = RelpSender(relp)
    for i in range(count):
        rec = storm_records(rng, i)
        ch = i % 4
        if ch and storm_kind(i) == OVERSIZED:
            sent["oversized_tcp_relp"] += 1
        if ch == 0:
            u.send(rec[:65000])
            sent["udp"] += 1
            if sent["udp"] % 50 == 0:
                time.sleep(0.01)  # UDP has no flow control
        elif ch == 1:
            t.send(rec.replace(b"\n", b" "))
            sent["tcp"] += 1
        elif ch == 2:
            o.send(rec)
            sent["octet"] += 1
        else:
            r.send(rec)
            sent["relp"] += 1
    for s in (u, t, o, r):
        s.close()
    # Broken octet counts (RFC 6587 3.4.1: a count of 1-9 digits without a
    # leading 0, then SP): too long, zero, a leading 0, no SP.
    for junk in (b"9999999999 <13>x", b"0 <13>x\n", b"012 <13>x\n", b"12<13>x\n"):
        b = TcpSender(tcp, octet=True)
        b.send_raw(b"10 <13>1 - - ")  # one good frame first, so it is octet framing
        b.send_raw(junk)
        b.close()
        sent["broken_octet"] += 1
    # Broken RELP frames: garbage, a syslog before open, a huge DATALEN, a
    # missing trailer, a non-numeric TXNR.
    for junk in (b"garbage\n", b"1 syslog 5 hello\n", b"1 open 99999999999 x\n", b"1 open 3 abcX",
                 b"x open 0\n", bytes(rng.getrandbits(8) for _ in range(2000))):
        s = socket.create_connection(("127.0.0.1", relp), timeout=30)
        try:
            s.sendall(junk)
            s.shutdown(socket.SHUT_WR)
            while s.recv(4096):
                pass
        except OSError:
            pass
        s.close()
        sent["broken_relp"] += 1
    return sent


# --- Command line ------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="siem_load.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("flood", help="COUNT generic lines")
    p.add_argument("proto", choices=("udp", "tcp", "octet", "relp"))
    p.add_argument("port", type=int)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--first", type=int, default=0, metavar="K",
                   help="number the lines from K, so a test can send a sequence in parts")
    p = sub.add_parser("brute", help="failed sshd logins from many addresses, interleaved")
    p.add_argument("proto", choices=("udp", "tcp", "octet", "relp"))
    p.add_argument("port", type=int)
    p.add_argument("--ips", type=int, required=True)
    p.add_argument("--fails", type=int, default=10)
    p.add_argument("--token", required=True)
    p.add_argument("--net", default="198.51", help="first two octets of the addresses")
    p.add_argument("--pause", type=float, default=0, help="seconds between records")
    p.add_argument("--records", default="", metavar="FROM:TO",
                   help="only records FROM to TO-1 of the sequence (0-based; either may be left out), so a test "
                        "can send it in parts with something in between")
    p = sub.add_parser("storm", help="malformed and oversized records on every input")
    p.add_argument("--udp", type=int, required=True)
    p.add_argument("--tcp", type=int, required=True)
    p.add_argument("--relp", type=int, required=True)
    p.add_argument("--count", type=int, default=10000)
    p = sub.add_parser("mixed", help="generic lines with brute-force bursts, paced, with gates")
    p.add_argument("proto", choices=("udp", "tcp", "octet", "relp"))
    p.add_argument("port", type=int)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--rate", type=float, default=0, help="records per second (default: as fast as it goes)")
    p.add_argument("--gate-every", type=int, default=0, metavar="K",
                   help="after every K records wait for the file GATE_DIR/gate-N (N = 1, 2, ...)")
    p.add_argument("--gate-dir", default=".")
    p = sub.add_parser("mixed-expect", help="the alerts per address mixed's bursts give, as JSON")
    p.add_argument("--count", type=int, default=20000)
    a = ap.parse_args(argv)
    t0 = time.monotonic()
    if a.cmd == "mixed-expect":
        print(json.dumps(mixed_expected(a.count), sort_keys=True))
        return 0
    if a.cmd == "mixed":
        n = send_mixed(a.proto, a.port, a.count, a.token, a.rate, a.gate_every, a.gate_dir)
        print("sent %d in %.2f s" % (n, time.monotonic() - t0), flush=True)
        return 0
    if a.cmd == "flood":
        n = send_all(a.proto, a.port, (generic(a.token, i) for i in range(a.first, a.first + a.count)), udp_pause=0.005)
        print("sent %d in %.2f s" % (n, time.monotonic() - t0), flush=True)
    elif a.cmd == "brute":
        first, _, last = a.records.partition(":")
        records = itertools.islice(brute_records(a.ips, a.fails, a.token, a.net), int(first or 0),
                                   int(last) if last else None)
        n = send_all(a.proto, a.port, records, udp_pause=0.005, pace=a.pause)
        print("sent %d in %.2f s" % (n, time.monotonic() - t0), flush=True)
    else:
        sent = storm(a.udp, a.tcp, a.relp, a.count)
        sent["seconds"] = round(time.monotonic() - t0, 2)
        print(json.dumps(sent), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
