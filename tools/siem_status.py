"""tools/siem status: one line per component from the state file the
supervisor keeps (state, QEMU pid, version, uptime, restarts, last exit in
words, the latest heartbeat's counters), or one JSON object with --json.
Python 3 standard library only.
"""

from __future__ import annotations

import datetime
import json

import siem_nats
from siem_config import COMPONENTS, MODULE
from siem_proc import alive, load_state, ours
from siem_query import nats_port

STALE = 10.0  # seconds without a heartbeat after which status says so


def flatten(d, prefix="") -> list:
    """counters {"a":1,"b":{"c":2}} -> ["a=1", "b.c=2"]"""
    out = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += flatten(v, prefix + k + ".")
        else:
            out.append("%s%s=%s" % (prefix, k, json.dumps(v) if isinstance(v, str) else v))
    return out


def duration_text(s) -> str:
    try:
        s = int(float(s))
    except (TypeError, ValueError):
        return "?"
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    parts = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
    return "".join("%d%s" % (n, u) for n, u in parts if n) or "0s"


def age(stamp) -> float:
    """Seconds since an RFC 3339 stamp of the state file (None: unknown)."""
    try:
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return None
    return (datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()


def chain_verdict(c: dict, kept: dict, cut: dict):
    """None when the store's chain is whole as far as its heartbeat and the
    head kept in the state file tell, else what is wrong, in capitals."""
    if c.get("chain_broken"):
        return "CHAIN BROKEN at record %s (the store serves what comes before, stores nothing new; " \
               "tools/siem verify)" % c.get("chain_broken_at")
    seq = c.get("chain_head_seq")
    if isinstance(seq, (int, float)) and kept.get("seq", 0) > seq:
        cut = {"had": kept["seq"], "found": seq}
    if cut:
        return "CHAIN CUT: the store came back ending at record %d, it had reported record %d (tools/siem " \
               "verify)" % (cut["found"], cut["had"])
    return None


def report(a) -> tuple:
    """(the report as --json prints it, whether everything runs and beats)."""
    st = load_state(a.state)
    comps = st.get("components", {})
    sup = st.get("supervisor") or {}
    supervised = alive(sup)
    port = nats_port(a, st)
    info = None
    if (comps.get("nats") and ours(comps["nats"])) or a.nats_port:
        try:
            with siem_nats.Client(port=port, name="siem status", timeout=2.0) as nc:
                info = nc.info
        except siem_nats.NatsError:
            pass
    out = {"supervisor": {"running": supervised, "pid": sup.get("pid") if supervised else None,
                          "since": sup.get("since"), "log": sup.get("log")}}
    ok = supervised
    for n in COMPONENTS:
        rec = comps.get(n)
        if rec is None:
            out[n] = {"state": "absent" if n in MODULE and MODULE[n].optional else "stopped", "running": False,
                      "pid": None, "restarts": 0, "last_exit": None}
            ok = ok and n in MODULE and MODULE[n].optional
            continue
        running = alive(rec)
        state = rec.get("state") or ("running" if running else "stopped")
        if not supervised and state not in ("crash-looping",):
            state = "running" if ours(rec) else "stopped"
        r = {"state": state, "running": running, "pid": rec.get("pid") if running else None,
             "since": rec.get("since"), "restarts": rec.get("restarts", 0),
             "last_exit": rec.get("last_exit_words"), "last_exit_status": rec.get("last_exit")}
        if n == "nats":
            r.update(address="127.0.0.1:%d" % port, reachable=info is not None)
            if info:
                r.update(server_version=info.get("version"), jetstream=bool(info.get("jetstream")))
            ok = ok and running and info is not None
        else:
            hb = rec.get("heartbeat")
            quiet = age(rec.get("beat_at"))
            r.update(image=rec.get("image"), version=rec.get("version"), heartbeat=hb,
                     heartbeat_age_s=None if quiet is None else round(quiet, 1))
            if hb and quiet is not None and running:
                r["uptime_s"] = round(float(hb.get("uptime_s") or 0) + quiet, 1)
            ok = ok and running and state == "running" and quiet is not None and quiet < STALE
            if n == "store" and hb:
                r["chain"] = chain_verdict(hb.get("counters") or {}, st.get("store_head") or {},
                                           st.get("store_cut"))
                ok = ok and r["chain"] is None
        out[n] = r
    # Streams or consumers the supervisor found deleted and re-created.
    out["bus_repairs"] = st.get("bus_repairs", [])
    return out, ok


def cmd_status(a) -> int:
    out, ok = report(a)
    if a.json:
        print(json.dumps(out, indent=2))
        return 0 if ok else 3
    s = out["supervisor"]
    print(("%-10s %-13s %s" % ("supervisor", "running" if s["running"] else "stopped",
                               "pid %d" % s["pid"] if s["pid"] else "-")).rstrip())
    for n in COMPONENTS:
        r = out[n]
        cols = ["%-10s" % n, "%-13s" % r["state"], "%-10s" % ("pid %d" % r["pid"] if r["pid"] else "-")]
        if r["state"] == "absent":
            print(" ".join(cols[:2]).rstrip() + " (no image: apps/siem/%s is not there yet)" % n)
            continue
        if n == "nats":
            if r.get("server_version"):
                cols.append("%s nats-server %s%s" % (r["address"], r["server_version"],
                                                     " jetstream" if r["jetstream"] else " (no jetstream)"))
            elif r["running"]:
                cols.append("%s not answering" % r["address"])
        else:
            hb = r.get("heartbeat") or {}
            cols.append("version %-7s uptime %-7s" % (r.get("version") or "-", duration_text(r["uptime_s"])
                                                      if "uptime_s" in r else "-"))
        cols.append("restarts %d" % r["restarts"])
        if r["last_exit"]:
            cols.append("last exit: %s" % r["last_exit"])
        if n != "nats":
            quiet = r.get("heartbeat_age_s")
            if r["running"] and (quiet is None or quiet >= STALE):
                cols.append("no heartbeat %s" % ("yet" if quiet is None else "for %s" % duration_text(quiet)))
            if r.get("chain"):
                cols.append(r["chain"])
            cols += flatten(hb.get("counters") or {})
        print(" ".join(cols).rstrip())
    repairs = out["bus_repairs"]
    if repairs:
        last = repairs[-1]
        print("bus        ALERT: %d repair%s; last at %s re-created %s (deleted while the SIEM ran)" % (
            len(repairs), "" if len(repairs) == 1 else "s", last["time"], ", ".join(last["created"])))
    return 0 if ok else 3
