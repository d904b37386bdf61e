#!/usr/bin/env python3
"""Exercises tools/siem_nats.py against a real nats-server on 127.0.0.1:PORT
(started by tests/boot/siem-cli.sh with ping_interval 250ms) and prints one
"PASS name" or "FAIL name: reason" per check.

Usage: siem-nats-probe.py PORT FREE_PORT
FREE_PORT is a port nothing listens on, for the refused-connection check.
"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import siem_nats as nats  # noqa: E402

PORT, FREE = int(sys.argv[1]), int(sys.argv[2])


def report(ok, name, detail=""):
    print("%s siem-nats/%s%s" % ("PASS" if ok else "FAIL", name, ": " + detail if detail and not ok else ""), flush=True)


def check(name):
    """Run the decorated function now as one check; an exception fails it."""
    def run(fn):
        try:
            detail = fn()
            report(not detail, name, detail or "")
        except Exception as e:  # the check's own failure, reported as one line
            report(False, name, "%s: %s" % (type(e).__name__, e))
    return run


@check("connect-info")
def _():
    with nats.Client(port=PORT) as nc:
        if not nc.info.get("headers"):
            return "INFO lacks headers: %r" % nc.info
        if nc.info.get("max_payload", 0) < 2 << 20:
            return "max_payload %r" % nc.info.get("max_payload")


@check("pub-sub")
def _():
    with nats.Client(port=PORT) as sub, nats.Client(port=PORT) as pub:
        sid = sub.subscribe("siem.test.>")
        sub.flush()
        big = os.urandom(1 << 20)
        sent = [("siem.test.a", b"hello"), ("siem.test.b.c", b""), ("siem.test.big", big),
                ("siem.test.crlf", b"a\r\nMSG x 1 2\r\n")]
        for subject, data in sent:
            pub.publish(subject, data)
        pub.publish("siem.other", b"not for us")
        pub.flush()
        got = [(m.subject, m.data) for m in sub.collect(sid, 5.0, count=len(sent))]
        if got != sent:
            return "received %r" % [(s, len(d)) for s, d in got]
        if sub.collect(sid, 0.2):
            return "a message outside siem.test.> arrived"


@check("headers")
def _():
    with nats.Client(port=PORT) as nc:
        sid = nc.subscribe("siem.test.h")
        nc.publish("siem.test.h", b'{"x":1}', headers={"Nats-Msg-Id": "abc123", "X-Two": "1"})
        m = nc.next_msg(sid, 5.0)
        if m.headers != {"Nats-Msg-Id": "abc123", "X-Two": "1"} or m.json() != {"x": 1} or m.status is not None:
            return "got headers %r status %r data %r" % (m.headers, m.status, m.data)


def responder(ready, stop, seen):
    """A store stand-in: answers siem.store.query with the request echoed."""
    with nats.Client(port=PORT, name="responder") as nc:
        sid = nc.subscribe("siem.store.query", queue="store")
        nc.flush()
        ready.set()
        while not stop.is_set():
            try:
                m = nc.next_msg(sid, 0.1)
            except nats.Timeout:
                continue
            seen.append(m)
            nc.publish(m.reply, json.dumps({"results": [{"echo": m.data.decode()}], "count": 1}))


@check("request-reply")
def _():
    ready, stop, seen = threading.Event(), threading.Event(), []
    t = threading.Thread(target=responder, args=(ready, stop, seen), daemon=True)
    t.start()
    try:
        if not ready.wait(5):
            return "the responder did not start"
        with nats.Client(port=PORT) as nc:
            for i in range(20):
                r = nc.request("siem.store.query", '{"n":%d}' % i, 5.0).json()
                if r["results"][0]["echo"] != '{"n":%d}' % i:
                    return "request %d got %r" % (i, r)
        if not all(m.reply and m.reply.startswith("_INBOX.") for m in seen):
            return "reply subjects %r" % {m.reply for m in seen}
        if len({m.reply for m in seen}) != 20:
            return "inboxes were reused"
    finally:
        stop.set()
        t.join(5)


@check("no-responders")
def _():
    with nats.Client(port=PORT) as nc:
        try:
            nc.request("siem.store.query", "{}", 5.0)
        except nats.NoResponders as e:
            want = "no service answers on siem.store.query (is the store running?)"
            return None if str(e) == want else "message %r" % str(e)
        return "no NoResponders"


@check("request-timeout")
def _():
    with nats.Client(port=PORT) as silent, nats.Client(port=PORT) as nc:
        silent.subscribe("siem.test.silent")
        silent.flush()
        t0 = time.monotonic()
        try:
            nc.request("siem.test.silent", "x", 0.5)
        except nats.Timeout as e:
            took = time.monotonic() - t0
            return None if 0.4 < took < 2 else "took %.2f s (%s)" % (took, e)
        return "no Timeout"


@check("server-ping")
def _():
    # The server pings every 250 ms and drops a client that leaves two
    # unanswered (after about 0.75 s); waiting 1.2 s shows the client answers.
    with nats.Client(port=PORT) as nc:
        sid = nc.subscribe("siem.test.idle")
        nc.collect(sid, 1.2)
        nc.flush(2.0)


@check("server-error")
def _():
    with nats.Client(port=PORT) as nc:
        nc._send(b"SUB siem..bad 99\r\n")  # a subject the server rejects
        try:
            nc.flush()
        except nats.ServerError as e:
            return None if "Invalid Subject" in str(e) else "message %r" % str(e)
        return "no ServerError"


@check("unsubscribe")
def _():
    with nats.Client(port=PORT) as nc:
        sid = nc.subscribe("siem.test.u")
        nc.unsubscribe(sid, 2)
        for i in range(4):
            nc.publish("siem.test.u", str(i))
        got = [m.data for m in nc.collect(sid, 1.0)]
        if got != [b"0", b"1"]:
            return "received %r after UNSUB 2" % got


@check("connection-refused")
def _():
    try:
        nats.Client(port=FREE, timeout=2)
    except nats.ConnectError as e:
        want = "cannot reach NATS at 127.0.0.1:%d (is the SIEM up? tools/siem up)" % FREE
        return None if str(e) == want else "message %r" % str(e)
    return "connected"
