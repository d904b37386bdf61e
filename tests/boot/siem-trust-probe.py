#!/usr/bin/env python3
"""The bus as an attacker finds it (tests/boot/siem-trust.sh): against a
running SIEM's nats-server, every door issue 16 found open must be shut.
Prints "PASS siem-trust/NAME" or "FAIL siem-trust/NAME: why" a check.

  siem-trust-probe.py --state STATE --nats-port PORT
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "tools"))
import siem_nats as nats  # noqa: E402

T = "siem-trust"
failures = 0


def result(name: str, ok: bool, why: str = ""):
    global failures
    if ok:
        print("PASS %s/%s" % (T, name), flush=True)
    else:
        failures += 1
        print("FAIL %s/%s: %s" % (T, name, why), flush=True)


def refused(port: int, creds: str, action) -> str:
    """Run action(client) as the identity in creds; returns the server's
    refusal ("" when it was not refused)."""
    try:
        with nats.Client(port=port, name="attacker", timeout=3.0, creds=creds) as nc:
            action(nc)
            nc.flush(3.0)
    except nats.NatsError as e:
        return str(e)
    return ""


def pub(subject, data=b"x", headers=None):
    return lambda nc: nc.publish(subject, data, headers=headers)


def sub(subject):
    return lambda nc: nc.subscribe(subject)


def stream_names(port: int, creds: str) -> list:
    with nats.Client(port=port, name="check", creds=creds) as nc:
        return nc.request("$JS.API.STREAM.NAMES", b"", timeout=5.0).json().get("streams") or []


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True, type=Path)
    ap.add_argument("--nats-port", required=True, type=int)
    a = ap.parse_args()
    port, keys = a.nats_port, a.state / "keys"
    key = {name: str(keys / ("%s.nk" % name)) for name in ("operator", "normaliser", "correlator", "store",
                                                             "manager")}

    # Anonymous: refused at the door, whatever it wants.
    why = refused(port, "", lambda nc: None)
    result("anonymous-refused", "Authorization Violation" in why, "an anonymous CONNECT was accepted (%r)" % why)
    # A made-up identity is no better.
    fake = a.state / "fake.nk"
    fake.write_text(nats.subprocess.run([nats.nkey_tool(), "gen"], capture_output=True, text=True).stdout.split()[0])
    why = refused(port, str(fake), lambda nc: None)
    result("unknown-key-refused", "Authorization Violation" in why, "an unknown nkey was accepted (%r)" % why)

    # Each module identity, outside its subjects: the attacks of the issue.
    attacks = [
        ("normaliser", "forge-alert", pub("siem.alerts.ssh_brute_force", json.dumps({"event": {"kind": "alert"}}))),
        ("normaliser", "forge-ack", pub("siem.alerts.ack.0123456789abcdef0123456789abcdef")),
        ("normaliser", "forge-heartbeat", pub("siem.health.store", json.dumps({"module": "store"}))),
        ("normaliser", "forge-supervisor-status", pub("siem.supervisor.status", b"{}")),
        ("normaliser", "hear-everything", sub(">")),
        ("normaliser", "hear-replies", sub("_INBOX.>")),
        ("normaliser", "hear-manager-inbox", sub("_INBOX.siem-manager.>")),
        ("normaliser", "js-stream-delete", pub("$JS.API.STREAM.DELETE.EVENTS")),
        ("normaliser", "js-stream-purge", pub("$JS.API.STREAM.PURGE.EVENTS")),
        ("normaliser", "js-msg-get", pub("$JS.API.STREAM.MSG.GET.EVENTS", b'{"seq":1}')),
        ("normaliser", "store-query", pub("siem.store.query", b"{}")),
        ("correlator", "forge-ack", pub("siem.alerts.ack.0123456789abcdef0123456789abcdef")),
        ("correlator", "forge-event", pub("siem.events.authentication", b"{}")),
        ("correlator", "js-stream-delete", pub("$JS.API.STREAM.DELETE.ALERTS")),
        ("correlator", "js-consumer-delete", pub("$JS.API.CONSUMER.DELETE.EVENTS.store-events")),
        ("correlator", "steal-store-events", pub("$JS.API.CONSUMER.MSG.NEXT.EVENTS.store-events", b'{"batch":1}')),
        ("store", "forge-event", pub("siem.events.authentication", b"{}")),
        ("store", "forge-alert", pub("siem.alerts.ssh_brute_force", b"{}")),
        ("store", "js-stream-create", pub("$JS.API.STREAM.CREATE.X", b'{"name":"X","subjects":["x.>"]}')),
        ("store", "forge-reply-to-normaliser", pub("_INBOX.siem-normaliser.x.r.1", b"{}")),
        ("correlator", "forge-reply-to-store", pub("_INBOX.siem-store.x.r.1", b"{}")),
        ("manager", "forge-event", pub("siem.events.authentication", b"{}")),
        ("manager", "forge-alert", pub("siem.alerts.ssh_brute_force", b"{}")),
        ("manager", "js-stream-delete", pub("$JS.API.STREAM.DELETE.EVENTS")),
        ("manager", "hear-events", sub("siem.events.>")),
    ]
    for who, what, action in attacks:
        why = refused(port, key[who], action)
        result("%s-%s-refused" % (who, what), "Permissions Violation" in why,
               "the %s identity was allowed (%r)" % (who, why))

    # What each module needs still works (the same checks the other way round).
    allowed = [
        ("normaliser", "publish-event", pub("siem.events.trustprobe", b"{}")),
        ("correlator", "publish-alert", pub("siem.alerts.trustprobe", b"{}")),
        ("manager", "publish-ack", pub("siem.alerts.ack.trustprobe", b"{}")),
        ("manager", "hear-heartbeats", sub("siem.health.>")),
        ("store", "serve-queries", sub("siem.store.query")),
    ]
    for who, what, action in allowed:
        why = refused(port, key[who], action)
        result("%s-%s-allowed" % (who, what), why == "", "refused: %s" % why)

    # Nothing was deleted along the way.
    names = stream_names(port, key["operator"])
    result("streams-intact", sorted(names) == ["ALERTS", "EVENTS"], "streams now: %s" % names)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
