"""tools/siem query: ask the store on siem.store.query and print the
records, one compact JSON object per line. Python 3 standard library only.
"""

from __future__ import annotations

import json
import sys
import time

import siem_nats
from siem_config import PORT
from siem_proc import Fail, load_state, note

STORE_PAGE = 1000  # the most records one store reply holds (apps/siem/store/query.h)


def nats_port(a, st: dict) -> int:
    return a.nats_port or st.get("ports", {}).get("nats") or PORT["nats"].default


def cmd_query(a) -> int:
    now = time.time()
    req = {"kind": "alerts" if a.alerts else "events"}
    if a.since is not None:
        req["since"] = round(now - a.since, 3)
    if a.until is not None:
        req["until"] = round(now - a.until, 3)
    if a.since is not None and a.until is not None and a.since < a.until:
        raise Fail("--since must reach further back than --until", status=2)
    fields = {}
    for fv in a.fields:
        k, sep, v = fv.partition("=")
        if not sep or not k:
            raise Fail("expected FIELD=VALUE, got %r (see tools/siem query --help)" % fv, status=2)
        fields[k] = v
    if fields:
        req["fields"] = fields
    if a.text is not None:
        req["text"] = a.text
    st = load_state(a.state)
    port = nats_port(a, st)
    out = sys.stdout
    want = None if a.count else a.limit
    got, pages, more = 0, 0, False
    with siem_nats.Client(port=port, name="siem query", timeout=min(a.timeout, 5.0)) as nc:
        # The store answers at most STORE_PAGE records, and stops after
        # its time budget: page on with the reply's cursor until enough
        # records came or none is left.
        while want is None or got < want:
            req["limit"] = STORE_PAGE if want is None else min(STORE_PAGE, want - got)
            reply = ask(nc, req, a.timeout)
            pages += 1
            for r in reply["results"]:
                if not a.count:
                    out.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")
            got += len(reply["results"])
            more = bool(reply.get("truncated"))
            if not more:
                break
            if not isinstance(reply.get("cursor"), int):
                raise Fail("the store's reply is truncated but has no cursor (an older store?)")
            req["cursor"] = reply["cursor"]
    if a.count:
        out.write("%d\n" % got)
    out.flush()
    if more and not a.count:
        note("more than --limit %d matches (%d pages); narrow the query or raise --limit" % (a.limit, pages))
    return 0


def ask(nc, req: dict, timeout: float) -> dict:
    msg = nc.request("siem.store.query", json.dumps(req, separators=(",", ":")), timeout)
    try:
        reply = msg.json()
    except ValueError:
        raise Fail("the store sent a reply that is not JSON: %r" % msg.data[:80]) from None
    if isinstance(reply, dict) and "error" in reply:
        raise Fail("the store refused the query: %s" % reply["error"])
    if not isinstance(reply, dict) or not isinstance(reply.get("results"), list):
        raise Fail("the store's reply has no results list: %r" % msg.data[:80])
    return reply
