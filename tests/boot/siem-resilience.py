#!/usr/bin/env python3
"""The attacks of tests/boot/siem-resilience.sh, as one local process would
make them against a SIEM's normaliser on 127.0.0.1.

  siem-resilience.py starve --tcp P --relp P --nats P --idle N --token T --bound S
      opens N idle TCP connections to the syslog TCP port and keeps them
      open; then, from other sockets, sends one TCP line (text T-tcp) and
      one RELP record (T-relp) and prints one JSON object: how long the
      RELP record took to be acknowledged ("relp_ack_s") and the TCP line
      to be in the store ("tcp_stored_s"), null when not within S seconds.
  siem-resilience.py udp --udp P --nats P --token T --size N... --bound S
      sends one datagram of each size (text T-N at the start, padded with
      'x') and prints {"N": seconds until it was in the store, or null}.
  siem-resilience.py idle --tcp P --relp P --bound S
      opens one TCP and one RELP connection, sends nothing, and prints how
      long the normaliser took to close each ("tcp_closed_s",
      "relp_closed_s"), null when not within S seconds.
"""
import argparse
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.environ["ROOT"], "tools"))
import siem_probe  # noqa: E402


def relp_frame(txnr: int, cmd: str, data: bytes = b"") -> bytes:
    return b"%d %s %d%s\n" % (txnr, cmd.encode(), len(data), b" " + data if data else b"")


def relp_until(sock, want: bytes, deadline: float) -> bool:
    """Reads until a frame containing want arrives; False at the deadline or EOF."""
    got = b""
    while want not in got:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            chunk = sock.recv(4096)
        except (socket.timeout, OSError):
            return False
        if not chunk:
            return False
        got += chunk
    return True


def relp_session(port: int, text: str, deadline: float) -> bool:
    """One RELP session: open, one syslog record, wait for its 200 OK."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(relp_frame(1, "open", b"relp_version=0\nrelp_software=test\ncommands=syslog"))
            if not relp_until(s, b"1 rsp ", deadline):
                return False
            rec = b"<13>1 - test resilience - - - " + text.encode()
            s.sendall(relp_frame(2, "syslog", rec))
            if not relp_until(s, b"2 rsp 6 200 OK", deadline):
                return False
            s.sendall(relp_frame(3, "close"))
            return True
    except OSError:
        return False


def relp_send(port: int, text: str, deadline: float):
    """Sends the record as omrelp does: a session that ends before the
    record is acknowledged is opened again; seconds until acknowledged."""
    t0 = time.monotonic()
    while time.monotonic() < deadline:
        if relp_session(port, text, deadline):
            return round(time.monotonic() - t0, 2)
        time.sleep(0.2)
    return None


def stored_within(nc, text: str, deadline: float, t0: float):
    try:
        got = siem_probe.wait_count(nc, 1, max(0.1, deadline - time.monotonic()), text=text)
    except siem_probe.ProbeError:
        return None
    return round(time.monotonic() - t0, 2) if got else None


def starve(a) -> dict:
    idle = []
    for _ in range(a.idle):
        s = socket.socket()
        s.settimeout(5)
        s.connect(("127.0.0.1", a.tcp))
        idle.append(s)
    time.sleep(2)  # the guest has seen them all by now (or dropped them)
    t0 = time.monotonic()
    deadline = t0 + a.bound
    line = "<13>1 - test resilience - - - %s-tcp\n" % a.token
    s = socket.create_connection(("127.0.0.1", a.tcp), timeout=5)
    s.sendall(line.encode())
    s.close()
    out = {"relp_ack_s": relp_send(a.relp, a.token + "-relp", deadline)}
    with siem_probe.connect(a.nats) as nc:
        out["tcp_stored_s"] = stored_within(nc, a.token + "-tcp", deadline, t0)
    # How many of the idle connections the normaliser closed meanwhile.
    closed = 0
    for s in idle:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    out["idle_closed"] = closed
    return out


def idle(a) -> dict:
    """One TCP and one RELP connection that send nothing: seconds until the
    normaliser closed each, null when it had not after --bound seconds."""
    socks = {"tcp": socket.create_connection(("127.0.0.1", a.tcp), timeout=5),
             "relp": socket.create_connection(("127.0.0.1", a.relp), timeout=5)}
    t0 = time.monotonic()
    out = {}
    for name, s in socks.items():
        s.settimeout(max(0.1, t0 + a.bound - time.monotonic()))
        try:
            gone = s.recv(1) == b""
        except socket.timeout:
            gone = False
        except OSError:
            gone = True
        out[name + "_closed_s"] = round(time.monotonic() - t0, 2) if gone else None
        s.close()
    return out


def udp(a) -> dict:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    t0 = time.monotonic()
    for n in a.size:
        head = ("<13>1 - test resilience - - - %s-%d " % (a.token, n)).encode()
        s.sendto(head + b"x" * (n - len(head)), ("127.0.0.1", a.udp))
    out = {}
    deadline = t0 + a.bound
    with siem_probe.connect(a.nats) as nc:
        for n in a.size:
            out[str(n)] = stored_within(nc, "%s-%d " % (a.token, n), deadline, t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("starve")
    p.add_argument("--tcp", type=int, required=True)
    p.add_argument("--relp", type=int, required=True)
    p.add_argument("--idle", type=int, default=200)
    for p in (p, sub.add_parser("udp")):
        p.add_argument("--nats", type=int, required=True)
        p.add_argument("--token", required=True)
        p.add_argument("--bound", type=float, default=15)
    p.add_argument("--udp", type=int, required=True)
    p.add_argument("--size", type=int, action="append", required=True)
    p = sub.add_parser("idle")
    p.add_argument("--tcp", type=int, required=True)
    p.add_argument("--relp", type=int, required=True)
    p.add_argument("--bound", type=float, default=30)
    a = ap.parse_args()
    print(json.dumps({"starve": starve, "udp": udp, "idle": idle}[a.cmd](a)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
