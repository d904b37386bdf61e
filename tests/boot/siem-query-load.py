"""Heavy queries against the SIEM while events keep arriving, for
tests/boot/siem-query-isolation.sh. WORKERS threads each run ROUNDS
worst-case text searches through the manager's /api/events; meanwhile one
syslog line goes over TCP every GAP seconds, each timed from its send until
the store has acknowledged it to JetStream (the store acknowledges only
after its disk flush), and the store's heartbeats are timed. Prints one
JSON object: delays (s, per line; null: not stored within 60 s),
beat_gaps (s, between the store's heartbeats from the first query's start
to the last one's end), queries (status, elapsed, truncated per query),
busy (start and end of the queries, and of each line's send, in s from
the start).

usage: siem-query-load.py NATS_PORT WEB_PORT TCP_PORT READ_TOKEN TAG NEEDLE
"""

import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe  # noqa: E402

WORKERS, ROUNDS, PROBES, GAP = 4, 3, 8, 2.0

nats_port, web_port, tcp_port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
read_token, tag, needle = sys.argv[4], sys.argv[5], sys.argv[6]
t0 = time.monotonic()
queries, beats = [], []
stop = threading.Event()


def worker():
    url = "http://127.0.0.1:%d/api/events?text=%s&limit=1" % (web_port, needle)
    for _ in range(ROUNDS):
        start = time.monotonic()
        req = urllib.request.Request(url, headers={"Authorization": "Bearer " + read_token})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        except OSError as e:
            status, body = str(e), b"{}"
        try:
            truncated = json.loads(body).get("truncated")
        except ValueError:
            truncated = None
        queries.append({"status": status, "start": round(start - t0, 2),
                        "elapsed": round(time.monotonic() - start, 2), "truncated": truncated})


def heartbeats():
    with siem_probe.connect(nats_port, "query-load-beats") as nc:
        sid = nc.subscribe("siem.health.store")
        while not stop.is_set():
            for _ in nc.collect(sid, 0.5):
                beats.append(time.monotonic() - t0)


def last_seq(nc):
    return nc.request("$JS.API.STREAM.INFO.EVENTS", b"", 10).json()["state"]["last_seq"]


def stored_after(nc, sock, k):
    """Sends line k; seconds until the store acknowledged it (None: 60 s)."""
    before = last_seq(nc)
    sent = time.monotonic()
    sock.sendall(("<13>1 - probehost probe - - - probe-%s-%d\n" % (tag, k)).encode())
    seq = before
    while time.monotonic() - sent < 60:
        if seq == before:
            seq = last_seq(nc)
        if seq > before and siem_probe.consumer_info(nc, "EVENTS", "store-events")["ack_floor"]["stream_seq"] >= seq:
            return sent, round(time.monotonic() - sent, 2)
        time.sleep(0.05)
    return sent, None


beat_thread = threading.Thread(target=heartbeats, daemon=True)
beat_thread.start()
time.sleep(1)
workers = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
for w in workers:
    w.start()
time.sleep(1)  # the queries are in the store's hands
delays, sends = [], []
with siem_probe.connect(nats_port, "query-load") as nc, socket.create_connection(("127.0.0.1", tcp_port)) as sock:
    for k in range(PROBES):
        slot = time.monotonic()
        sent, delay = stored_after(nc, sock, k)
        sends.append(round(sent - t0, 2))
        delays.append(delay)
        time.sleep(max(0.0, GAP - (time.monotonic() - slot)))
for w in workers:
    w.join(200)
end = max((q["start"] + q["elapsed"] for q in queries), default=0)
time.sleep(2.5)  # one more heartbeat after the last query
stop.set()
beat_thread.join(5)
start = min((q["start"] for q in queries), default=0)
window = [b for b in beats if start - 3 <= b <= end + 2.5]
gaps = [round(b - a, 2) for a, b in zip(window, window[1:])]
print(json.dumps({"delays": delays, "sends": sends, "beat_gaps": gaps, "beats": len(window),
                  "queries": queries, "busy": [round(start, 2), round(end, 2)]}))
