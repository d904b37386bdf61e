#!/usr/bin/env python3
"""The SIEM benchmark's measurements (tools/bench-siem.sh runs it against a
SIEM it brought up): events per second end to end, alert latency, the time
from a module's crash (its QEMU killed) to its serving again, each module's
downtime during `tools/siem update`, the web API's requests per second for
an alert query under ab (once the manager exists), and the least memory
each module boots and beats in. Prints one table.

  siembench.py --state DIR --nats-port P --tcp-port P --relp-port P
               [--web-port P --token HEX] [--images DIR]
               [--events N] [--relp-events N] [--alerts K] [--requests N] [--no-minram]
DIR/siem-MODULE.elf in --images are the images `update` boots.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import siem_load  # noqa: E402
import siem_nats  # noqa: E402
import siem_probe  # noqa: E402

MEMS = ("128M", "64M", "48M", "32M", "24M", "16M", "12M", "8M", "6M", "4M")


def stream_last(nc, stream="EVENTS") -> int:
    return nc.request("$JS.API.STREAM.INFO." + stream, b"", 10).json()["state"]["last_seq"]


def wait_floor(nc, consumer: str, seq: int, timeout=600.0) -> float:
    """Poll until the consumer on EVENTS has acknowledged up to seq; the
    time (monotonic) it was first seen."""
    siem_probe.wait_floor(nc, "EVENTS", consumer, seq, timeout)
    return time.monotonic()


def component_pids(state: Path) -> dict:
    """name -> the pid doing the component's work: nats-server's, each
    module's QEMU (the process in the module's process group)."""
    st = json.loads((state / "siem.json").read_text())
    out = {}
    for name, rec in st["components"].items():
        pgid = rec.get("pid")
        if not pgid:
            continue
        if name == "nats":
            out[name] = pgid
            continue
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path("/proc/%s/stat" % entry).read_text().rsplit(")", 1)[1].split()
                    comm = Path("/proc/%s/comm" % entry).read_text().strip()
                except OSError:
                    continue
                if int(fields[2]) == pgid and comm.startswith("qemu-system"):
                    out[name] = int(entry)
    return out


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of pid so far."""
    fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_jetstream(nc, n: int, size=512, inflight=64) -> float:
    """A native client's JetStream publish rate on the same nats-server: n
    messages of size bytes into a file stream of its own, inflight acks
    outstanding (the broker's own pace, for comparison)."""
    name = "BENCHRAW"
    nc.request("$JS.API.STREAM.DELETE." + name, b"", 10)
    r = nc.request("$JS.API.STREAM.CREATE." + name, json.dumps(
        {"name": name, "subjects": ["benchraw.>"], "storage": "file"}), 10).json()
    if "error" in r:
        raise SystemExit("bench-siem: cannot create the raw stream: %s" % r["error"])
    inbox = "_INBOX.benchraw.%x" % os.getpid()
    sid = nc.subscribe(inbox + ".*")
    data = b"x" * size
    t0 = time.monotonic()
    sent = acked = 0
    while acked < n:
        while sent < n and sent - acked < inflight:
            nc.publish("benchraw.x", data, reply="%s.%d" % (inbox, sent))
            sent += 1
        got = nc.collect(sid, 5.0, count=1)
        if not got:
            raise SystemExit("bench-siem: the raw stream acknowledged nothing for 5 s")
        acked += len(got)
    rate = n / (time.monotonic() - t0)
    nc.unsubscribe(sid)
    nc.request("$JS.API.STREAM.DELETE." + name, b"", 10)
    return rate


def throughput(nc, proto: str, port: int, n: int, pids=None) -> dict:
    """Send n events; time until EVENTS has them all (ingest) and until
    the store has stored and acknowledged them all (end to end); with pids
    (component_pids), each one's CPU time per event over the run (µs)."""
    cpu0 = {k: cpu_seconds(p) for k, p in (pids or {}).items()}
    base = stream_last(nc)
    token = "bench%x" % int(time.time() * 1000)
    t0 = time.monotonic()
    siem_load.send_all(proto, port, (siem_load.generic(token, i) for i in range(n)))
    t_sent = time.monotonic()
    while stream_last(nc) < base + n:
        if time.monotonic() - t0 > 600:
            raise SystemExit("bench-siem: EVENTS got %d of %d events" % (stream_last(nc) - base, n))
        time.sleep(0.02)
    t_ingest = time.monotonic()
    t_store = wait_floor(nc, "store-events", base + n)
    cpu = {k: (cpu_seconds(p) - cpu0[k]) / n * 1e6 for k, p in (pids or {}).items()}
    return {"sent": n / (t_sent - t0), "ingest": n / (t_ingest - t0), "stored": n / (t_store - t0),
            "seconds": t_store - t0, "cpu_us": cpu}


class Background:
    """Generic events over TCP at rate/s on a thread of their own (paced
    in 10 ms slices), while a measurement runs; sent counts them."""

    def __init__(self, tcp: int, rate: float):
        self.tcp, self.rate, self.sent = tcp, rate, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        s = siem_load.TcpSender(self.tcp)
        token = "bg%x" % int(time.time() * 1000)
        t0 = time.monotonic()
        while not self.stop.is_set():
            due = int((time.monotonic() - t0) * self.rate)
            while self.sent < due:
                s.send(siem_load.generic(token, self.sent))
                self.sent += 1
            s.flush()
            time.sleep(0.01)
        s.close()
        self.seconds = time.monotonic() - t0

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def alert_latency(nc, tcp: int, k: int, net=200) -> dict:
    """k times: 7 failed logins from a fresh address (in 203.0.<net>.0 and
    up: each call its own net, or the rule's suppression of a repeated
    alert for one address would hold it back), then the 8th; the time
    from sending the 8th to the alert on siem.alerts.> and to the alert
    being answered by a store query."""
    sid = nc.subscribe("siem.alerts.>")
    bus, stored = [], []
    token = "lat%x" % int(time.time() * 1000)
    for a in range(k):
        ip = "203.0.%d.%d" % (net + a // 250, 1 + a % 250)
        s = siem_load.TcpSender(tcp)
        for i in range(7):
            s.send(siem_load.ssh_failure(ip, token, a * 10 + i))
        s.flush()
        time.sleep(0.3)  # let the 7 be counted first
        t0 = time.monotonic()
        s.send(siem_load.ssh_failure(ip, token, a * 10 + 7))
        s.flush()
        while True:
            m = nc.next_msg(sid, 60)
            if m.json().get("group", {}).get("value") == ip:
                bus.append(time.monotonic() - t0)
                break
        while not siem_probe.query(nc, {"kind": "alerts", "fields": {"group.value": ip}, "limit": 1})["results"]:
            if time.monotonic() - t0 > 60:
                raise SystemExit("bench-siem: the alert for %s was not stored within 60 s" % ip)
            time.sleep(0.01)
        stored.append(time.monotonic() - t0)
        s.close()
    nc.unsubscribe(sid)
    return {"bus": bus, "stored": stored}


def modules(state: Path) -> list:
    """The modules this SIEM runs, in tools/siem's order."""
    comps = json.loads((state / "siem.json").read_text())["components"]
    return [m for m in ("normaliser", "correlator", "store", "manager") if m in comps]


def crash_to_serving(nc, state: Path, module: str, timeout=300.0) -> float:
    """Kill the module's QEMU (SIGKILL) and time until a new instance of it
    sends its first heartbeat (the module beats once it serves; the
    supervisor's first backoff, 1 s, is part of it)."""
    rec = json.loads((state / "siem.json").read_text())["components"][module]
    old = (rec.get("heartbeat") or {}).get("instance")
    sid = nc.subscribe("siem.health." + module)
    nc.flush()
    t0 = time.monotonic()
    os.kill(rec["pid"], signal.SIGKILL)
    try:
        while True:
            left = t0 + timeout - time.monotonic()
            if left <= 0:
                raise SystemExit("bench-siem: the %s did not beat again within %g s after its crash" % (module, timeout))
            try:
                hb = nc.next_msg(sid, left).json()
            except siem_nats.Timeout:
                continue
            if hb.get("instance") != old:
                return time.monotonic() - t0
    finally:
        nc.unsubscribe(sid)


def update(state: Path, module: str, image: Path) -> dict:
    """tools/siem update MODULE IMAGE; its own figures: the time the module
    was unavailable (stopped until the new one beat; 0 for a rolling one)
    and the whole update's time."""
    out = subprocess.run([str(ROOT / "tools" / "siem"), "update", "--state", str(state), module, str(image)],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    m = re.search(r"^updated \S+ to version (\S+) \(pid \d+\) in ([0-9.]+) s; unavailable for ([0-9.]+) s",
                  out.stdout, re.M)
    if out.returncode != 0 or not m:
        raise SystemExit("bench-siem: tools/siem update %s failed: %s" % (module, (out.stderr or out.stdout)[-400:]))
    return {"version": m.group(1), "total": float(m.group(2)), "unavailable": float(m.group(3))}


def web_rps(port: int, token: str, requests: int) -> str:
    """ab (apache2-utils) against the manager's alert query: requests/s,
    8 concurrent clients, keep-alive."""
    ab = shutil.which("ab")
    if not ab:
        return "skipped: no ab (apache2-utils; tools/bootstrap.sh installs it)"
    url = "http://127.0.0.1:%d/api/alerts?limit=100" % port
    out = subprocess.run([ab, "-q", "-k", "-n", str(requests), "-c", "8", "-H", "Authorization: Bearer " + token, url],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    rps = re.search(r"^Requests per second:\s+([0-9.]+)", out.stdout, re.M)
    failed = re.search(r"^(?:Failed requests|Non-2xx responses):\s+([1-9]\d*)", out.stdout, re.M)
    if out.returncode != 0 or not rps:
        return "failed: %s" % (out.stderr or out.stdout).strip()[-200:]
    return "%.0f%s" % (float(rps.group(1)), " (%s failed)" % failed.group(1) if failed else "")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boots_in(module: str, mem: str, nats_port: int, work: Path) -> bool:
    """Boot the module alone with mem of RAM against nats-server on
    nats_port; True when it sends a heartbeat within 60 s."""
    image = ROOT / "build" / ("siem-" + module) / ("siem-%s.elf" % module)
    cmd = [str(ROOT / "tools" / "run"), "--timeout", "90", "--mem", mem, "--net"]
    if module == "store":
        disk = work / "store-minram.img"
        disk.unlink(missing_ok=True)
        with open(disk, "wb") as f:
            f.truncate(64 << 20)
        cmd += ["--disk", str(disk)]
    cmd += ["--append", "-- nats=10.0.2.2:%d" % nats_port, str(image)]
    with siem_nats.Client(port=nats_port) as nc:
        sid = nc.subscribe("siem.health." + module)
        nc.flush()
        log = open(work / ("minram-%s-%s.log" % (module, mem)), "wb")
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and p.poll() is None:
                try:
                    nc.next_msg(sid, 0.5)
                    return True
                except siem_nats.Timeout:
                    pass
            return False
        finally:
            try:
                os.killpg(p.pid, 9)
            except ProcessLookupError:
                pass
            p.wait()
            log.close()


def least_memory(work: Path) -> dict:
    """For each module the least of MEMS it beats in, from a nats-server
    of its own (fresh JetStream)."""
    port = free_port()
    (work / "js").mkdir(parents=True, exist_ok=True)
    conf = work / "nats.conf"
    conf.write_text("listen: 127.0.0.1:%d\nmax_payload: 8MB\njetstream { store_dir: %s }\n" % (
        port, json.dumps(str(work / "js"))))
    nats = subprocess.Popen([os.environ.get("NATS_SERVER", "nats-server"), "-c", str(conf)],
                            stdout=open(work / "nats.log", "wb"), stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                siem_nats.Client(port=port).close()
                break
            except siem_nats.NatsError:
                time.sleep(0.1)
        out = {}
        for m in ("normaliser", "correlator", "store"):
            least = None
            for mem in MEMS:
                if not boots_in(m, mem, port, work):
                    break
                least = mem
            out[m] = least or "> %s" % MEMS[0]
        return out
    finally:
        nats.terminate()
        nats.wait()


def main() -> int:
    ap = argparse.ArgumentParser(prog="siembench.py")
    ap.add_argument("--state", type=Path, required=True)
    ap.add_argument("--nats-port", type=int, required=True)
    ap.add_argument("--tcp-port", type=int, required=True)
    ap.add_argument("--relp-port", type=int, required=True)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--relp-events", type=int, default=5000)
    ap.add_argument("--alerts", type=int, default=30)
    ap.add_argument("--load-rate", type=float, default=5000,
                    help="other events/s while alert latency is measured again (default 5000)")
    ap.add_argument("--web-port", type=int)
    ap.add_argument("--token", default="")
    ap.add_argument("--images", type=Path, help="DIR/siem-MODULE.elf: the images update boots")
    ap.add_argument("--requests", type=int, default=2000, help="web API requests under ab (default 2000)")
    ap.add_argument("--no-minram", action="store_true")
    ap.add_argument("--tcp-only", action="store_true", help="only the TCP rate, stored and acknowledged: one number")
    a = ap.parse_args()
    if a.tcp_only:
        with siem_probe.connect(a.nats_port, "bench-siem") as nc:
            print("%.0f" % throughput(nc, "tcp", a.tcp_port, a.events)["stored"])
        return 0
    rows = []
    with siem_probe.connect(a.nats_port, "bench-siem") as nc:
        raw = raw_jetstream(nc, a.events)
        rows.append(("raw JetStream publishes/s, native client (512 B, 64 in flight, file)", "%.0f" % raw))
        pids = component_pids(a.state)
        for proto, n in (("tcp", a.events), ("relp", a.relp_events)):
            port = a.tcp_port if proto == "tcp" else a.relp_port
            r = throughput(nc, proto, port, n, pids)
            rows.append(("events/s over %s, into EVENTS (%d events)" % (proto.upper(), n), "%.0f" % r["ingest"]))
            rows.append(("events/s over %s, stored and acknowledged" % proto.upper(), "%.0f" % r["stored"]))
            if proto == "tcp":
                tcp_stored = r["stored"]
                rows.append(("  TCP rate / raw JetStream rate", "%.0f%%" % (r["stored"] / raw * 100)))
            for k, us in sorted(r["cpu_us"].items()):
                rows.append(("  host CPU per event over %s: %s (µs)" % (proto.upper(), k), "%.0f" % us))
            print("  %s: %d events sent at %.0f/s, stored in %.1f s" % (proto, n, r["sent"], r["seconds"]),
                  file=sys.stderr, flush=True)
        lat = alert_latency(nc, a.tcp_port, a.alerts)
        for what, xs in (("on siem.alerts.>", lat["bus"]), ("queryable in the store", lat["stored"])):
            rows.append(("alert latency %s, p50 (ms, %d alerts)" % (what, len(xs)), "%.0f" % (pct(xs, 50) * 1000)))
            rows.append(("alert latency %s, p99 (ms)" % what, "%.0f" % (pct(xs, 99) * 1000)))
        # The same under load: other events beside the brute force at
        # --load-rate/s, or at 80% of the TCP rate just measured when the
        # SIEM cannot take that many (the figure says which).
        load = min(a.load_rate, 0.8 * tcp_stored)
        with Background(a.tcp_port, load) as bg:
            lat = alert_latency(nc, a.tcp_port, a.alerts, net=220)
        got = bg.sent / bg.seconds
        for what, xs in (("on siem.alerts.>", lat["bus"]), ("queryable in the store", lat["stored"])):
            rows.append(("  under %.0f other events/s: %s, p50 / p99 (ms)" % (got, what),
                         "%.0f / %.0f" % (pct(xs, 50) * 1000, pct(xs, 99) * 1000)))
        print("  alert latency measured beside %.0f events/s" % got, file=sys.stderr, flush=True)
        mods = modules(a.state)
        for m in mods:
            t = crash_to_serving(nc, a.state, m)
            rows.append(("%s: crash (QEMU killed) to serving again (s)" % m, "%.1f" % t))
            print("  %s: back %.1f s after its crash" % (m, t), file=sys.stderr, flush=True)
        for m in mods if a.images else ():
            u = update(a.state, m, a.images / ("siem-%s.elf" % m))
            rows.append(("%s: update, unavailable (s)%s" % (m, ""),
                         "%.1f" % u["unavailable"]))
            rows.append(("%s: update, whole command (s)" % m, "%.1f" % u["total"]))
            print("  %s: updated to %s" % (m, u["version"]), file=sys.stderr, flush=True)
        if "manager" in mods and a.web_port:
            rows.append(("web API requests/s, alert query (ab, %d requests, 8 clients)" % a.requests,
                         web_rps(a.web_port, a.token, a.requests)))
        else:
            rows.append(("web API requests/s, alert query", "skipped: no manager image"))
    if not a.no_minram:
        with tempfile.TemporaryDirectory(dir=a.state) as work:
            for m, least in least_memory(Path(work)).items():
                rows.append(("least -m the %s beats in (of %s)" % (m, " ".join(MEMS)), least))
    width = max(len(r[0]) for r in rows)
    print("%-*s  %s" % (width, "SIEM (TCG, %d host CPUs)" % os.cpu_count(), "value"))
    print("-" * (width + 10))
    for name, value in rows:
        print("%-*s  %s" % (width, name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
