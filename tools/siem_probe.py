#!/usr/bin/env python3
"""Looks at a running SIEM through its bus, for the boot tests and the
benchmark: waits for a heartbeat whose counters meet a condition, reads
every record of the store that matches a query (paging past the store's
1000-record limit), waits until a query finds enough records, and reads a
JetStream consumer's ack floor with the stream messages below it. Python 3
standard library only; the bus is tools/siem_nats.py.

  siem_probe.py --nats-port P beat MODULE [--where 'records>=100' ...] [--timeout S]
  siem_probe.py --nats-port P dump [--alerts] [--text WORD] [FIELD=VALUE ...]
  siem_probe.py --nats-port P wait [--alerts] [--text WORD] [FIELD=VALUE ...] --count N [--timeout S]
  siem_probe.py --nats-port P acked STREAM CONSUMER [--text WORD]
  siem_probe.py --nats-port P floor STREAM CONSUMER --at-least N [--timeout S]
  siem_probe.py --nats-port P messages STREAM --at-least N [--timeout S]
Output is JSON: one heartbeat, one record per line, or one object.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import operator
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import siem_nats  # noqa: E402

QUERY_LIMIT = 1000  # the store's largest "limit"


class ProbeError(Exception):
    pass


def connect(port: int, name="siem_probe") -> siem_nats.Client:
    return siem_nats.Client(port=port, name=name, timeout=5.0)


def field(obj, dotted: str):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


# --- Heartbeats ------------------------------------------------------------------

OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, ">": operator.gt, "<": operator.lt,
       "!=": operator.ne}


def parse_condition(text: str):
    """'records>=100' -> (counter name, op, number). The name is a dotted
    path under the heartbeat's counters (rules.ssh_brute_force.alerts)."""
    m = re.fullmatch(r"([A-Za-z0-9_.]+)(>=|<=|==|!=|>|<)(-?\d+(?:\.\d+)?)", text)
    if not m:
        raise ValueError("expected COUNTER OP NUMBER (records>=100), got %r" % text)
    return m.group(1), OPS[m.group(2)], float(m.group(3))


def beat_meets(beat: dict, conditions) -> bool:
    for name, op, value in conditions:
        v = field(beat.get("counters", {}), name)
        if not isinstance(v, (int, float)) or not op(v, value):
            return False
    return True


def wait_beat(nc, module: str, conditions=(), timeout=60.0, after: float = 0.0) -> dict:
    """The first heartbeat of module whose counters meet every condition
    (and, with after, that was sent after that time.time())."""
    sid = nc.subscribe("siem.health." + module)
    deadline = time.monotonic() + timeout
    last = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProbeError("no heartbeat of %s met %s within %g s; the last: %s" % (
                    module, " and ".join("%s%s%g" % (n, next(k for k, f in OPS.items() if f is o), v)
                                         for n, o, v in conditions) or "anything", timeout,
                    json.dumps(last.get("counters")) if last else "none"))
            try:
                msg = nc.next_msg(sid, left)
            except siem_nats.Timeout:
                continue
            try:
                beat = msg.json()
            except ValueError:
                continue
            if time.time() < after:
                continue
            last = beat
            if beat_meets(beat, conditions):
                return beat
    finally:
        nc.unsubscribe(sid)


# --- The store ---------------------------------------------------------------------


def ms_text(ms: int) -> str:
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def record_ms(rec: dict):
    t = field(rec, "event.created") or rec.get("@timestamp")
    if not isinstance(t, str):
        return None
    t = t.replace("Z", "+00:00")
    return round(datetime.datetime.fromisoformat(t).timestamp() * 1000)


def query(nc, req: dict, timeout=30.0) -> dict:
    msg = nc.request("siem.store.query", json.dumps(req), timeout)
    reply = msg.json()
    if "error" in reply:
        raise ProbeError("the store refused %s: %s" % (json.dumps(req), reply["error"]))
    return reply


def dump(nc, alerts=False, text=None, fields=None) -> list:
    """Every record matching the query, newest first, duplicates included:
    the store answers at most 1000 records per reply, or what it found
    within its time budget, and then a cursor; the same query with the
    cursor goes on from there (docs/siem.md "Store queries")."""
    req = {"kind": "alerts" if alerts else "events", "limit": QUERY_LIMIT}
    if text:
        req["text"] = text
    if fields:
        req["fields"] = fields
    out = []
    while True:
        reply = query(nc, req)
        out += reply["results"]
        if not reply.get("truncated"):
            break
        if "cursor" not in reply:
            raise ProbeError("the store cut a reply short without a cursor: %s" % json.dumps(req))
        req["cursor"] = reply["cursor"]
    out.sort(key=lambda r: record_ms(r) or 0, reverse=True)
    return out


def wait_count(nc, count: int, timeout: float, alerts=False, text=None, fields=None) -> list:
    """Poll the store until a query finds at least count records."""
    deadline = time.monotonic() + timeout
    got = []
    while True:
        try:
            got = dump(nc, alerts, text, fields)
        except (siem_nats.Timeout, siem_nats.NoResponders):
            got = got or []
        if len(got) >= count or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


# --- JetStream ---------------------------------------------------------------------


def consumer_info(nc, stream: str, consumer: str) -> dict:
    reply = nc.request("$JS.API.CONSUMER.INFO.%s.%s" % (stream, consumer), b"", 10).json()
    if "error" in reply:
        raise ProbeError("consumer %s on %s: %s" % (consumer, stream, reply["error"]))
    return reply


def wait_floor(nc, stream: str, consumer: str, at_least: int, timeout: float) -> dict:
    """Poll until the consumer's ack floor reaches at_least; its info."""
    deadline = time.monotonic() + timeout
    while True:
        info = consumer_info(nc, stream, consumer)
        if info["ack_floor"]["stream_seq"] >= at_least:
            return info
        if time.monotonic() > deadline:
            raise ProbeError("the ack floor of %s on %s is %d after %g s, not %d" % (
                consumer, stream, info["ack_floor"]["stream_seq"], timeout, at_least))
        time.sleep(0.05)


def wait_stream(nc, stream: str, at_least: int, timeout: float) -> dict:
    """Poll until the stream holds at least at_least messages; its state."""
    deadline = time.monotonic() + timeout
    while True:
        state = nc.request("$JS.API.STREAM.INFO." + stream, b"", 10).json().get("state", {})
        if state.get("messages", 0) >= at_least:
            return state
        if time.monotonic() > deadline:
            raise ProbeError("%s holds %s messages after %g s, not %d" % (stream, state.get("messages"), timeout,
                                                                         at_least))
        time.sleep(0.05)


def stream_messages(nc, stream: str, first: int, last: int, batch=500):
    """The stream's messages first..last as (seq, subject, data, headers),
    asked for with pipelined direct gets ($JS.API.STREAM.MSG.GET)."""
    inbox = "_INBOX.probe%x" % id(nc)
    sid = nc.subscribe(inbox + ".*")
    out = []
    for start in range(first, last + 1, batch):
        end = min(last, start + batch - 1)
        for seq in range(start, end + 1):
            nc.publish("$JS.API.STREAM.MSG.GET." + stream, json.dumps({"seq": seq}), reply="%s.%d" % (inbox, seq))
        for msg in nc.collect(sid, 30, count=end - start + 1):
            reply = msg.json()
            if "error" in reply:
                continue  # deleted or beyond the stream
            m = reply["message"]
            data = base64.b64decode(m.get("data", ""))
            hdrs = base64.b64decode(m["hdrs"]).decode() if m.get("hdrs") else ""
            out.append((m["seq"], m["subject"], data, hdrs))
    nc.unsubscribe(sid)
    return sorted(out)


def acked(nc, stream: str, consumer: str, text=None) -> dict:
    """The consumer's ack floor and the event ids of the stream messages at
    or below it (those whose data contains text, when given)."""
    info = consumer_info(nc, stream, consumer)
    floor = info["ack_floor"]["stream_seq"]
    ids = []
    for seq, subject, data, hdrs in stream_messages(nc, stream, 1, floor):
        if text and text.encode() not in data:
            continue
        ids.append(field(json.loads(data), "event.id"))
    return {"ack_floor": floor, "num_ack_pending": info.get("num_ack_pending"), "ids": ids}


# --- Command line ------------------------------------------------------------------


def fields_arg(items) -> dict:
    out = {}
    for fv in items:
        k, sep, v = fv.partition("=")
        if not sep:
            raise SystemExit("siem_probe.py: expected FIELD=VALUE, got %r" % fv)
        out[k] = v
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="siem_probe.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--nats-port", type=int, required=True)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("beat", help="print the first heartbeat of MODULE meeting every --where")
    p.add_argument("module")
    p.add_argument("--where", action="append", default=[], type=parse_condition)
    p.add_argument("--timeout", type=float, default=60)
    for name in ("dump", "wait"):
        p = sub.add_parser(name, help="every record matching the query" if name == "dump" else
                           "poll until the query matches --count records, then print them")
        p.add_argument("fields", nargs="*", metavar="FIELD=VALUE")
        p.add_argument("--alerts", action="store_true")
        p.add_argument("--text")
        if name == "wait":
            p.add_argument("--count", type=int, required=True)
            p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("acked", help="the ack floor of CONSUMER and the event ids below it")
    p.add_argument("stream")
    p.add_argument("consumer")
    p.add_argument("--text")
    p = sub.add_parser("floor", help="wait until the ack floor of CONSUMER reaches --at-least")
    p.add_argument("stream")
    p.add_argument("consumer")
    p.add_argument("--at-least", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("messages", help="wait until STREAM holds --at-least messages")
    p.add_argument("stream")
    p.add_argument("--at-least", type=int, required=True)
    p.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args(argv)
    try:
        with connect(a.nats_port) as nc:
            if a.cmd == "beat":
                print(json.dumps(wait_beat(nc, a.module, a.where, a.timeout)))
            elif a.cmd == "dump":
                for r in dump(nc, a.alerts, a.text, fields_arg(a.fields)):
                    print(json.dumps(r, separators=(",", ":")))
            elif a.cmd == "wait":
                got = wait_count(nc, a.count, a.timeout, a.alerts, a.text, fields_arg(a.fields))
                for r in got:
                    print(json.dumps(r, separators=(",", ":")))
                if len(got) < a.count:
                    print("siem_probe.py: %d of %d records after %g s" % (len(got), a.count, a.timeout),
                          file=sys.stderr)
                    return 1
            elif a.cmd == "messages":
                print(json.dumps(wait_stream(nc, a.stream, a.at_least, a.timeout)))
            elif a.cmd == "floor":
                print(json.dumps(wait_floor(nc, a.stream, a.consumer, a.at_least, a.timeout)))
            else:
                print(json.dumps(acked(nc, a.stream, a.consumer, a.text)))
    except (ProbeError, siem_nats.NatsError) as e:
        print("siem_probe.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
