#!/usr/bin/env python3
"""Load for tests/boot/siem-overload.sh: senders that go as fast as they
can for a bounded time, and a heartbeat recorder.

  siem-overload.py flood tcp|relp|udp PORT --seconds S --token T
      sends generic records "load T n ..." (siem_load.generic) to
      127.0.0.1:PORT until S seconds have passed, then closes (TCP: once
      the normaliser has read everything; RELP: once every record is
      acknowledged) and prints one JSON line: proto, sent, seconds, and
      blocked_s, the time spent in sends that did not return at once
      (the receiver not reading: back-pressure).
  siem-overload.py beats NATS_PORT MODULE --seconds S
      prints every heartbeat of MODULE for S seconds, one JSON line each.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import siem_load  # noqa: E402
import siem_nats  # noqa: E402
import siem_probe  # noqa: E402

SLOW_SEND_S = 0.01  # a send that took longer waited for the receiver
# A pause after each 100 datagrams: UDP has no back-pressure, and a sender
# spinning on one of a small machine's cores would starve the QEMUs.
UDP_PAUSE_S = 0.05


def flood(proto: str, port: int, seconds: float, token: str) -> dict:
    s = siem_load.sender(proto, port)
    start = time.monotonic()
    end = start + seconds
    n, blocked = 0, 0.0
    while True:
        # 100 records between looks at the clock; TCP buffers them into
        # 64 KiB writes, RELP keeps 128 unacknowledged.
        for _ in range(100):
            t = time.monotonic()
            s.send(siem_load.generic(token, n))
            took = time.monotonic() - t
            if took > SLOW_SEND_S:
                blocked += took
            n += 1
        if proto == "udp":
            time.sleep(UDP_PAUSE_S)
        if time.monotonic() >= end:
            break
    t = time.monotonic()
    s.close()
    blocked += time.monotonic() - t
    return {"proto": proto, "sent": n, "seconds": round(time.monotonic() - start, 2),
            "blocked_s": round(blocked, 2)}


def beats(port: int, module: str, seconds: float):
    with siem_probe.connect(port) as nc:
        sid = nc.subscribe("siem.health." + module)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                msg = nc.next_msg(sid, max(0.1, end - time.monotonic()))
            except siem_nats.Timeout:
                continue
            print(json.dumps({"t": round(time.time(), 3), "beat": msg.json()}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("flood")
    p.add_argument("proto", choices=("tcp", "relp", "udp"))
    p.add_argument("port", type=int)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--token", required=True)
    p = sub.add_parser("beats")
    p.add_argument("port", type=int)
    p.add_argument("module")
    p.add_argument("--seconds", type=float, required=True)
    a = ap.parse_args()
    if a.cmd == "flood":
        print(json.dumps(flood(a.proto, a.port, a.seconds, a.token)), flush=True)
    else:
        beats(a.port, a.module, a.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
