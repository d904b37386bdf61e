#!/usr/bin/env python3
"""A minimal NATS client over one TCP socket, for tools/siem and its tests.

It speaks the NATS client protocol (https://docs.nats.io/reference/reference-protocols/nats-protocol):
INFO/CONNECT with headers and no_responders, PUB/HPUB, SUB/UNSUB, MSG/HMSG
with headers and status lines ("NATS/1.0 503"), PING/PONG and -ERR. It is
synchronous: nothing is read from the socket until a caller waits (next_msg,
collect, request, flush), and the server's PINGs are answered then. One
Client belongs to one thread; a thread that serves requests opens its own.

Logins: a server that has nkey users sends a nonce in INFO; the client
signs it with the user seed in the file `creds` names (by default the one
$SIEM_NATS_CREDS names; tools/siem points it at the operator's key) through
build/host/siem-nkey (`make siem-nkey`; Ed25519 is not in the standard
library).

Python 3 standard library only. Run as a program it is a small bus tool:
  siem_nats.py [--server HOST:PORT] pub SUBJECT [DATA]
  siem_nats.py [--server HOST:PORT] sub SUBJECT [--count N] [--timeout S]
  siem_nats.py [--server HOST:PORT] req SUBJECT [DATA] [--timeout S]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4222

# The server's own limit on a control line is 4 KiB; a longer line without
# CRLF means the peer is not speaking NATS.
MAX_CONTROL_LINE = 64 * 1024

# What an operator should check when nothing answers on a subject.
NO_RESPONDER_HINTS = {"siem.store.query": "is the store running?"}
CONNECT_HINT = "is the SIEM up? tools/siem up"


class NatsError(Exception):
    """Any failure of the bus; str() is one line for the operator."""


class ConnectError(NatsError):
    """The server could not be reached or refused the connection."""


class Timeout(NatsError):
    """Nothing arrived before the deadline."""


class NoResponders(NatsError):
    """A request found no subscriber on its subject (status 503)."""


class ServerError(NatsError):
    """The server sent -ERR."""


class ProtocolError(NatsError):
    """The peer sent something that is not the NATS protocol."""


@dataclass
class Msg:
    subject: str
    reply: Optional[str]
    data: bytes
    headers: dict = field(default_factory=dict)
    status: Optional[int] = None  # from a "NATS/1.0 503 ..." header line
    description: str = ""
    sid: int = 0

    def json(self):
        return json.loads(self.data)


@dataclass
class _Sub:
    subject: str
    pending: collections.deque = field(default_factory=collections.deque)
    remaining: Optional[int] = None  # UNSUB max: deliveries left


def encode_headers(headers: dict) -> bytes:
    out = ["NATS/1.0\r\n"]
    for k, v in headers.items():
        k, v = str(k), str(v)
        if any(c in k + v for c in "\r\n") or ":" in k or not k:
            raise NatsError("invalid header %r" % k)
        out.append("%s: %s\r\n" % (k, v))
    out.append("\r\n")
    return "".join(out).encode()


def parse_headers(block: bytes):
    """(status, description, headers) from an HMSG header block. A key seen
    twice keeps both values, joined by ", " as HTTP does."""
    lines = block.decode("utf-8", "replace").split("\r\n")
    first = lines[0].split(None, 2)
    if not first or not first[0].startswith("NATS/"):
        raise ProtocolError("header block does not start with NATS/1.0: %r" % lines[0][:80])
    status = int(first[1]) if len(first) > 1 and first[1].isdigit() else None
    description = first[2] if len(first) > 2 else ""
    headers = {}
    for line in lines[1:]:
        if not line:
            continue
        k, sep, v = line.partition(":")
        if not sep:
            raise ProtocolError("header line without a colon: %r" % line[:80])
        k, v = k.strip(), v.strip()
        headers[k] = headers[k] + ", " + v if k in headers else v
    return status, description, headers


def _payload(data) -> bytes:
    if data is None:
        return b""
    if isinstance(data, str):
        return data.encode()
    return bytes(data)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CREDS_ENV = "SIEM_NATS_CREDS"


_tool_checked = False


def nkey_tool() -> str:
    """build/host/siem-nkey, built first (once a process) when it is
    missing or older than its sources."""
    global _tool_checked
    tool = os.path.join(ROOT, "build", "host", "siem-nkey")
    if _tool_checked:
        return tool
    p = subprocess.run(["make", "-s", "-C", ROOT, "siem-nkey"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if p.returncode != 0 or not os.access(tool, os.X_OK):
        raise NatsError("cannot build %s (make siem-nkey): %s" % (tool, p.stderr.decode(errors="replace").strip()))
    _tool_checked = True
    return tool


def sign_nonce(creds: str, nonce: str) -> str:
    p = subprocess.run([nkey_tool(), "sign", creds], input=nonce.encode(), capture_output=True)
    if p.returncode != 0:
        raise ConnectError("cannot sign the login: %s" % p.stderr.decode(errors="replace").strip())
    return p.stdout.decode().strip()


def public_key(creds: str) -> str:
    p = subprocess.run([nkey_tool(), "public", creds], capture_output=True)
    if p.returncode != 0:
        raise ConnectError(p.stderr.decode(errors="replace").strip())
    return p.stdout.decode().strip()


class Client:
    """One connection to a NATS server. Connects in the constructor; use it
    as a context manager or call close(). creds: a user seed file to log in
    with (None: $SIEM_NATS_CREDS if set; "": none, anonymous)."""

    def __init__(self, host=DEFAULT_HOST, port=DEFAULT_PORT, name="siem", timeout=5.0, hint=CONNECT_HINT,
                 creds=None):
        self.host, self.port = host, int(port)
        creds = os.environ.get(CREDS_ENV, "") if creds is None else creds
        self.info: dict = {}
        self._buf = bytearray()
        self._subs: dict = {}
        self._sids = itertools.count(1)
        self._pings = self._pongs = 0
        # The operator's tools' inbox prefix: the store and the correlator
        # may answer into it (tools/siem_trust.py).
        self._inbox = "_INBOX.operator." + os.urandom(8).hex()
        self._requests = itertools.count(1)
        where = "%s:%d" % (host, self.port)
        try:
            self._sock = socket.create_connection((host, self.port), timeout=timeout)
        except OSError:
            raise ConnectError("cannot reach NATS at %s%s" % (where, " (%s)" % hint if hint else "")) from None
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            deadline = time.monotonic() + timeout
            self._wait(lambda: self.info, deadline, "the server's INFO")
            connect = {
                "verbose": False,
                "pedantic": False,
                "headers": True,
                "no_responders": True,
                "lang": "python",
                "version": "0.1.0",
                "protocol": 1,
                "name": name,
            }
            if creds and self.info.get("nonce"):
                connect["nkey"] = public_key(creds)
                connect["sig"] = sign_nonce(creds, self.info["nonce"])
            self._send(b"CONNECT " + json.dumps(connect, separators=(",", ":")).encode() + b"\r\n")
            self._ping_wait(deadline)
        except Timeout:
            self.close()
            raise ConnectError("%s accepted a connection but did not answer as a NATS server" % where) from None
        except ServerError as e:
            self.close()
            if "Authorization Violation" in str(e):
                raise ConnectError("NATS at %s refused the login (%s): %s" % (
                    where, "the key in %s is not one it knows" % creds if creds else
                    "no identity given; set %s to an operator key file, e.g. STATE/keys/operator.nk" % CREDS_ENV,
                    e)) from None
            raise
        except NatsError:
            self.close()
            raise

    # --- context manager ---------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    # --- sending -----------------------------------------------------------

    def _send(self, data: bytes):
        if self._sock is None:
            raise NatsError("the connection to NATS is closed")
        try:
            self._sock.sendall(data)
        except OSError as e:
            raise NatsError("lost the connection to NATS at %s:%d (%s)" % (self.host, self.port, e.strerror or e)) from None

    def publish(self, subject: str, data=b"", reply: Optional[str] = None, headers: Optional[dict] = None):
        payload = _payload(data)
        hdr = encode_headers(headers) if headers else b""
        limit = self.info.get("max_payload")
        if limit and len(hdr) + len(payload) > limit:
            raise NatsError("a message of %d bytes exceeds the server's max_payload of %d" % (len(hdr) + len(payload), limit))
        _check_subject(subject)
        head = subject + (" " + reply if reply else "")
        if hdr:
            if not self.info.get("headers"):
                raise NatsError("this NATS server does not support headers")
            line = "HPUB %s %d %d\r\n" % (head, len(hdr), len(hdr) + len(payload))
            self._send(line.encode() + hdr + payload + b"\r\n")
        else:
            self._send(("PUB %s %d\r\n" % (head, len(payload))).encode() + payload + b"\r\n")

    def subscribe(self, subject: str, queue: Optional[str] = None) -> int:
        """Subscribe; returns the subscription id for next_msg/collect."""
        _check_subject(subject)
        sid = next(self._sids)
        self._subs[sid] = _Sub(subject)
        self._send(("SUB %s %s%d\r\n" % (subject, queue + " " if queue else "", sid)).encode())
        return sid

    def unsubscribe(self, sid: int, max_msgs: Optional[int] = None):
        """Stop at once, or after max_msgs more messages in total."""
        if max_msgs:
            self._send(b"UNSUB %d %d\r\n" % (sid, max_msgs))
            if sid in self._subs:
                self._subs[sid].remaining = max_msgs
        else:
            self._send(b"UNSUB %d\r\n" % sid)
            self._subs.pop(sid, None)

    def flush(self, timeout=5.0):
        """Round trip a PING: everything sent before has reached the server."""
        self._ping_wait(time.monotonic() + timeout)

    def _ping_wait(self, deadline):
        self._pings += 1
        want = self._pings
        self._send(b"PING\r\n")
        self._wait(lambda: self._pongs >= want, deadline, "PONG")

    # --- receiving ---------------------------------------------------------

    def next_msg(self, sid: int, timeout=5.0) -> Msg:
        """The next message on subscription sid; Timeout if none arrives."""
        sub = self._subs.get(sid)
        if sub is None:
            raise NatsError("no subscription %d" % sid)
        if sub.remaining == 0 and not sub.pending:
            raise Timeout("subscription %d has ended" % sid)
        self._wait(lambda: sub.pending, time.monotonic() + timeout, "a message on %s" % sub.subject)
        msg = sub.pending.popleft()
        self._drop_if_done(sid)
        return msg

    def collect(self, sid: int, timeout: float, count: Optional[int] = None) -> list:
        """Messages on sid that arrive within timeout seconds, returning
        early once count have arrived."""
        out = []
        deadline = time.monotonic() + timeout
        while (count is None or len(out) < count) and sid in self._subs:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                out.append(self.next_msg(sid, left))
            except Timeout:
                break
        return out

    def request(self, subject: str, data=b"", timeout=5.0, headers: Optional[dict] = None) -> Msg:
        """Publish with a unique reply inbox and wait for the one reply."""
        inbox = "%s.%d" % (self._inbox, next(self._requests))
        sid = self.subscribe(inbox)
        self.unsubscribe(sid, 1)
        self.publish(subject, data, reply=inbox, headers=headers)
        try:
            msg = self.next_msg(sid, timeout)
        except Timeout:
            self.unsubscribe(sid)
            raise Timeout("no reply on %s within %g s" % (subject, timeout)) from None
        if msg.status == 503:
            hint = NO_RESPONDER_HINTS.get(subject)
            raise NoResponders("no service answers on %s%s" % (subject, " (%s)" % hint if hint else ""))
        return msg

    def _drop_if_done(self, sid):
        sub = self._subs.get(sid)
        if sub is not None and sub.remaining == 0 and not sub.pending:
            del self._subs[sid]

    def _wait(self, done, deadline, what):
        """Read and handle protocol messages until done() is true."""
        while True:
            while self._parse_one():
                pass
            if done():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout("timed out waiting for %s" % what)
            self._fill(left)

    def _fill(self, timeout):
        if self._sock is None:
            raise NatsError("the connection to NATS is closed")
        self._sock.settimeout(timeout)
        try:
            chunk = self._sock.recv(256 * 1024)
        except socket.timeout:
            return
        except OSError as e:
            raise NatsError("lost the connection to NATS at %s:%d (%s)" % (self.host, self.port, e.strerror or e)) from None
        if not chunk:
            self.close()
            raise NatsError("NATS at %s:%d closed the connection" % (self.host, self.port))
        self._buf += chunk

    def _parse_one(self) -> bool:
        """Handle one complete protocol message from the buffer; False when
        the buffer holds no complete message."""
        end = self._buf.find(b"\r\n")
        if end < 0:
            if len(self._buf) > MAX_CONTROL_LINE:
                raise ProtocolError("%s:%d sent a line longer than %d bytes" % (self.host, self.port, MAX_CONTROL_LINE))
            return False
        line = bytes(self._buf[:end])
        op, _, rest = line.partition(b" ")
        op = op.upper()
        if op in (b"MSG", b"HMSG"):
            return self._parse_msg(op, rest, end + 2)
        del self._buf[: end + 2]
        if op == b"PING":
            self._send(b"PONG\r\n")
        elif op == b"PONG":
            self._pongs += 1
        elif op == b"+OK":
            pass
        elif op == b"-ERR":
            raise ServerError("NATS server error: %s" % rest.decode("utf-8", "replace").strip().strip("'"))
        elif op == b"INFO":
            try:
                self.info = json.loads(rest)
            except ValueError:
                raise ProtocolError("%s:%d sent an INFO that is not JSON" % (self.host, self.port)) from None
        else:
            raise ProtocolError("%s:%d is not a NATS server (it sent %r)" % (self.host, self.port, line[:40]))
        return True

    def _parse_msg(self, op, rest, start) -> bool:
        args = rest.decode("utf-8", "replace").split()
        try:
            if op == b"MSG" and len(args) in (3, 4):
                hdr_len, total = 0, int(args[-1])
            elif op == b"HMSG" and len(args) in (4, 5):
                hdr_len, total = int(args[-2]), int(args[-1])
            else:
                raise ValueError
            subject, sid = args[0], int(args[1])
            reply = args[2] if len(args) == (4 if op == b"MSG" else 5) else None
        except ValueError:
            raise ProtocolError("malformed %s line: %r" % (op.decode(), rest[:80])) from None
        if len(self._buf) < start + total + 2:
            return False
        body = bytes(self._buf[start : start + total])
        del self._buf[: start + total + 2]
        msg = Msg(subject, reply, body[hdr_len:], sid=sid)
        if hdr_len:
            msg.status, msg.description, msg.headers = parse_headers(body[:hdr_len])
        sub = self._subs.get(sid)
        if sub is not None:  # a message racing an UNSUB is dropped
            sub.pending.append(msg)
            if sub.remaining is not None:
                sub.remaining -= 1
        return True


def _check_subject(subject: str):
    if not subject or any(c in subject for c in " \t\r\n"):
        raise NatsError("invalid subject %r" % subject)


def parse_server(text: str):
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError("expected HOST:PORT, got %r" % text)
    return host or DEFAULT_HOST, int(port)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="siem_nats.py", description="Publish, subscribe and request on a NATS bus.")
    ap.add_argument("--server", default="%s:%d" % (DEFAULT_HOST, DEFAULT_PORT), help="HOST:PORT (default %(default)s)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pub", help="publish one message")
    p.add_argument("subject")
    p.add_argument("data", nargs="?", default="")
    p = sub.add_parser("sub", help="print messages as they arrive: SUBJECT DATA")
    p.add_argument("subject")
    p.add_argument("--count", type=int, help="stop after this many")
    p.add_argument("--timeout", type=float, default=0, help="stop after this many seconds (0: never)")
    p = sub.add_parser("req", help="send a request and print the reply")
    p.add_argument("subject")
    p.add_argument("data", nargs="?", default="")
    p.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args(argv)
    try:
        host, port = parse_server(a.server)
    except ValueError as e:
        ap.error(str(e))
    try:
        with Client(host, port, name="siem_nats.py") as nc:
            if a.cmd == "pub":
                nc.publish(a.subject, a.data)
                nc.flush()
            elif a.cmd == "req":
                print(nc.request(a.subject, a.data, a.timeout).data.decode("utf-8", "replace"))
            else:
                sid, n = nc.subscribe(a.subject), 0
                deadline = time.monotonic() + a.timeout if a.timeout else None
                while a.count is None or n < a.count:
                    left = deadline - time.monotonic() if deadline else 3600
                    if left <= 0:
                        break
                    try:
                        m = nc.next_msg(sid, left)
                    except Timeout:
                        continue
                    print(m.subject, m.data.decode("utf-8", "replace"), flush=True)
                    n += 1
    except NatsError as e:
        print("siem_nats.py: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
