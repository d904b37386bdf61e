#!/usr/bin/env python3
"""The SIEM's supervisor: the one long-lived process that `tools/siem up`
starts. It owns nats-server and the module QEMUs (its children, each in a
process group of its own), restarts whatever exits with exponential backoff,
leaves a module that keeps crashing stopped as crash-looping, replaces a
module's image on request (`tools/siem update`), and records all of it in
STATE/siem.json, which it alone writes while it runs. Every STATUS_EVERY
seconds it publishes the same on siem.supervisor.status for the web UI.

Usage (by tools/siem only): siem_supervise.py STATE
Signals: SIGTERM stops everything in STOP_ORDER and exits; SIGUSR1 ends the
hold `up` starts it in (while up waits for the first heartbeats, an exit is
recorded, not restarted, so up can report it). Requests arrive on the Unix
socket STATE/supervisor.sock, one JSON object per line (see handle()).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import siem_nats  # noqa: E402
from siem_config import (  # noqa: E402
    BACKOFF_FIRST, BACKOFF_MAX, CRASH_LIMIT, CRASH_WINDOW, HEARTBEAT_SUBJECT, MODULE, START_ORDER, STATUS_EVERY,
    STATUS_SUBJECT, STOP_GRACE, STOP_GRACE_MODULE, STOP_ORDER, exit_meaning, exit_words, module_cmd, qemu_status,
    seal_key_for)
from siem_trust import OPERATOR, ensure_streams, seed_file, write_secrets  # noqa: E402
from siem_proc import Fail, load_state, now_rfc3339, save_state, spawn, start_ticks, stop  # noqa: E402


def log(text: str):
    print("%s %s" % (time.strftime("%Y-%m-%dT%H:%M:%S"), text), flush=True)


class Supervisor:
    def __init__(self, state_dir: Path):
        self.dir = state_dir
        self.st = load_state(state_dir)
        self.comps = self.st["components"]  # name -> record, as siem.json holds it
        sup = self.st.setdefault("supervisor", {})
        self.hold = sup.get("hold", True)
        self.limit = int(sup.get("crash_limit", CRASH_LIMIT))
        self.window = float(sup.get("crash_window", CRASH_WINDOW))
        self.lock = threading.RLock()
        self.procs = {}  # name -> Popen of the instance being supervised
        self.side = {}  # name -> (Popen, record) of an instance an update is booting
        self.due = {}  # name -> time.monotonic() of the next restart
        self.instances = {}  # name -> {instance id: (time.monotonic(), heartbeat)}
        self.stopping = False
        self.nc = None
        self.sid = None
        self.next_connect = 0.0
        self.next_status = 0.0
        self.modules_started = False
        self.streams_ready = False

    # --- State ---------------------------------------------------------------

    def save(self):
        save_state(self.dir, self.st)

    def set_state(self, name: str, state: str):
        rec = self.comps[name]
        if rec.get("state") != state:
            rec["state"] = state
            rec["since"] = now_rfc3339()
            log("%s: %s" % (name, state))

    def start(self, name: str, banner: str = ""):
        """Start a component's current image (the lock is held)."""
        rec = self.comps[name]
        if name == "nats":
            cmd = [rec["program"], "-c", str(self.dir / "nats.conf")]
        else:
            cmd = module_cmd(MODULE[name], rec["image"], self.st["ports"], self.st["disk"], self.secrets(name),
                             extra=rec.get("args", ()), initrd=rec.get("initrd"),
                             kernel=rec.get("kernel_args", ()))
        try:
            p, new = spawn(name, cmd, Path(rec["log"]), banner)
        except Fail as e:
            log("%s: %s" % (name, e))
            self.exited(name, 126)
            return
        rec.update(new)
        rec["heartbeat"] = None
        self.procs[name] = p
        self.set_state(name, "starting")
        log("%s: started pid %d%s" % (name, p.pid, " (%s)" % banner if banner else ""))

    def secrets(self, name: str):
        """Write the module's secrets file for this boot (its identity; the
        manager's tokens; the store's K_0 only while its disk is blank) and
        return its path."""
        m = MODULE[name]
        values = {}
        if m.token:
            values.update(token=self.st.get("token", ""), read_token=self.st.get("read_token", ""))
        if m.seal:
            values["seal_key"] = seal_key_for(self.dir, self.st["disk"])
        return write_secrets(self.dir, name, values)

    def keep_head(self, hb: dict):
        """The store's chain head (its last committed record and tag) from a
        heartbeat, kept in the state file for `tools/siem verify`; never
        moved back, so a cut tail shows as a head the disk no longer has."""
        c = hb.get("counters") or {}
        seq, tag = c.get("chain_head_seq"), c.get("chain_head_tag")
        if not isinstance(seq, (int, float)) or not isinstance(tag, str) or seq <= 0:
            return
        kept = self.st.get("store_head") or {}
        if seq > kept.get("seq", 0):
            self.st["store_head"] = {"seq": int(seq), "tag": tag, "at": now_rfc3339()}
        elif seq < kept.get("seq", 0) and not self.st.get("store_cut"):
            # A committed record never goes away: the disk was cut. Kept
            # (status shows it) even after new records pass the old head.
            self.st["store_cut"] = {"had": kept["seq"], "found": int(seq), "at": now_rfc3339()}
            log("store: its chain ends at record %d, it had reported record %d: CHAIN CUT" % (seq, kept["seq"]))

    def exited(self, name: str, status: int):
        """A supervised component ended by itself: record it and schedule a
        restart, or give up on it (the lock is held)."""
        rec = self.comps[name]
        self.procs.pop(name, None)
        rec.update(pid=None, last_exit=status, last_exit_words=exit_words(status, name), last_exit_at=now_rfc3339())
        log("%s: exited with %s" % (name, exit_meaning(status, name)))
        if self.hold:
            self.set_state(name, "exited")
            return
        now = time.time()
        crashes = [t for t in rec.get("crashes", []) if now - t < self.window] + [now]
        rec["crashes"] = crashes
        if len(crashes) >= self.limit:
            self.set_state(name, "crash-looping")
            log("%s: %d exits within %g s; left stopped (tools/siem restart %s starts it again)" % (
                name, len(crashes), self.window, name))
            return
        delay = min(BACKOFF_FIRST * 2 ** (len(crashes) - 1), BACKOFF_MAX)
        self.due[name] = time.monotonic() + delay
        rec["next_start"] = round(now + delay, 1)
        self.set_state(name, "restarting")

    def reap(self):
        for name, p in list(self.procs.items()):
            rc = p.poll()
            if rc is not None:
                self.exited(name, rc if name == "nats" else qemu_status(rc))
                self.save()
        for name, when in list(self.due.items()):
            if time.monotonic() >= when:
                del self.due[name]
                rec = self.comps[name]
                rec["restarts"] = rec.get("restarts", 0) + 1
                self.start(name, "siem supervisor: restart %d at %s after %s" % (
                    rec["restarts"], now_rfc3339(), rec.get("last_exit_words")))
                self.save()

    # --- The bus: heartbeats in, status out ---------------------------------------

    def beat(self, msg):
        name = msg.subject.rsplit(".", 1)[-1]
        try:
            hb = msg.json()
        except ValueError:
            return
        if name not in MODULE or name not in self.comps or not isinstance(hb, dict):
            return
        now = time.monotonic()
        inst = self.instances.setdefault(name, {})
        inst[str(hb.get("instance"))] = (now, hb)
        for k in [k for k, (t, _) in inst.items() if now - t > 60]:
            del inst[k]
        rec = self.comps[name]
        if name == "store":
            self.keep_head(hb)
        if name in self.procs:
            rec["heartbeat"] = hb
            rec["version"] = hb.get("version")
            rec["beat_at"] = now_rfc3339()
            if rec.get("state") == "starting":
                self.set_state(name, "running")

    def summary(self) -> dict:
        mods = []
        for name in START_ORDER:
            rec = self.comps.get(name)
            if rec:
                mods.append({"name": name, "state": rec.get("state"), "pid": rec.get("pid"),
                             "restarts": rec.get("restarts", 0), "last_exit": rec.get("last_exit_words"),
                             "last_exit_status": rec.get("last_exit"), "since": rec.get("since"),
                             "version": rec.get("version")})
        return {"time": now_rfc3339(), "supervisor_pid": os.getpid(), "modules": mods}

    def bus(self):
        """Read heartbeats for about 0.2 s (the main loop's pace), connecting
        first when needed, and publish the status when it is time."""
        if self.nc is None:
            if time.monotonic() < self.next_connect:
                time.sleep(0.2)
                return
            try:
                self.nc = siem_nats.Client(port=self.st["ports"]["nats"], name="siem supervisor", timeout=1.0,
                                           creds=str(seed_file(self.dir, OPERATOR)))
                self.sid = self.nc.subscribe(HEARTBEAT_SUBJECT)
                self.nc.flush()
                log("connected to nats-server")
                self.guard_streams()
            except siem_nats.NatsError as e:
                if self.nc is not None:
                    log("nats-server: %s" % e)
                    self.nc.close()
                self.nc = None
                self.next_connect = time.monotonic() + 0.5
                time.sleep(0.2)
                return
            with self.lock:
                if "nats" in self.procs and self.comps["nats"].get("state") == "starting":
                    self.set_state("nats", "running")
                    self.save()
        try:
            msgs = self.nc.collect(self.sid, 0.2)
            with self.lock:
                for m in msgs:
                    self.beat(m)
                if msgs:
                    self.save()
                summary = self.summary() if time.monotonic() >= self.next_status else None
            if summary:
                self.nc.publish(STATUS_SUBJECT, json.dumps(summary, separators=(",", ":")))
                self.next_status = time.monotonic() + STATUS_EVERY
                self.guard_streams()
        except siem_nats.NatsError as e:
            log("lost nats-server (%s); reconnecting" % e)
            self.nc.close()
            self.nc = None

    def guard_streams(self):
        """Create the streams and consumers when missing: at the first
        connection that is setting up; later, something deleted them (only
        the operator's identity can), so the SIEM raises an alert, logs it
        and shows it in siem.json ("bus_repairs")."""
        args = {name: rec.get("args", ()) for name, rec in self.comps.items()}
        created = ensure_streams(self.nc, args)
        if not self.streams_ready:
            self.streams_ready = True
            if created:
                log("created %s" % ", ".join(created))
            return
        if not created:
            return
        text = "re-created %s: deleted while the SIEM ran" % ", ".join(created)
        log("ALERT: " + text)
        with self.lock:
            self.st.setdefault("bus_repairs", []).append({"time": now_rfc3339(), "created": created})
            self.save()
        self.alert("siem-bus-repaired", "The SIEM's streams or consumers vanished and were re-created", text)

    def alert(self, rule: str, description: str, message: str):
        """Publish an alert of the SIEM's own into ALERTS (as the operator),
        shaped like the correlator's (docs/siem.md "Alerts")."""
        now = now_rfc3339()
        alert_id = hashlib.sha256(("%s\0%s\0%s" % (rule, now, message)).encode()).hexdigest()[:32]
        doc = {"@timestamp": now,
               "event": {"id": alert_id, "kind": "alert", "severity": 99, "created": now},
               "rule": {"name": rule, "description": description}, "count": 1,
               "window": {"start": now, "end": now}, "trigger": {"event_id": ""}, "message": message}
        try:
            r = self.nc.request("siem.alerts." + rule, json.dumps(doc), timeout=5.0,
                                headers={"Nats-Msg-Id": alert_id})
            if "error" in r.json():
                log("alert %s not stored: %s" % (rule, r.json()["error"]))
        except (siem_nats.NatsError, ValueError) as e:
            log("alert %s not stored: %s" % (rule, e))

    # --- Requests: update and restart ---------------------------------------------

    def wait_beat(self, name: str, p, after: float, old: str, deadline: float):
        """Wait for a heartbeat of name from an instance other than old sent
        after time after; returns (time, heartbeat), or raises Fail."""
        while time.monotonic() < deadline:
            with self.lock:
                for inst, (t, hb) in self.instances.get(name, {}).items():
                    if t > after and inst != old:
                        return t, hb
            if p.poll() is not None:
                raise Fail("the new %s exited with %s before its first heartbeat; see %s" % (
                    name, exit_meaning(qemu_status(p.returncode), name), self.comps[name]["log"]))
            time.sleep(0.05)
        raise Fail("the new %s sent no heartbeat in time; see %s" % (name, self.comps[name]["log"]))

    def update(self, name: str, image: str, timeout: float, say) -> dict:
        """Boot image as name in place of the running instance. A module
        that holds something two instances cannot share (host ports, the
        disk) is stopped first; any other is stopped once the new one beats."""
        m = MODULE[name]
        with self.lock:
            rec = self.comps.get(name)
            if rec is None or rec.get("state") == "updating":
                raise Fail("%s is %s" % (name, "being updated already" if rec else "not part of this SIEM"))
            old_p = self.procs.pop(name, None)
            old_rec = dict(rec)
            old_image = rec["image"]
            self.due.pop(name, None)
            newest = max(self.instances.get(name, {}).items(), key=lambda kv: kv[1][0], default=(None, None))
            old_inst = newest[0]
            self.set_state(name, "updating")
            self.save()
        down_at = None
        if old_p and m.exclusive:
            say("stopping the old %s first (pid %d): two instances cannot share %s" % (name, old_p.pid, m.exclusive))
            down_at = time.monotonic()
            stop(name, old_rec, STOP_GRACE_MODULE)
            old_p.wait()
            old_p = None
        with self.lock:
            rec["image"] = image
            cmd = module_cmd(m, image, self.st["ports"], self.st["disk"], self.secrets(name),
                             extra=rec.get("args", ()), initrd=rec.get("initrd"),
                             kernel=rec.get("kernel_args", ()))
            p, new = spawn(name, cmd, Path(rec["log"]), "siem supervisor: update to %s at %s" % (image, now_rfc3339()))
            self.side[name] = (p, new)
        booted = time.monotonic()
        say("booting %s (pid %d); waiting for its heartbeat" % (image, p.pid))
        try:
            t, hb = self.wait_beat(name, p, booted, old_inst, booted + timeout)
        except Fail:
            with self.lock:
                stop(name, new, STOP_GRACE_MODULE)
                p.wait()
                del self.side[name]
                rec["image"] = old_image
                if old_p:
                    self.procs[name] = old_p
                    self.set_state(name, "running")
                else:
                    self.start(name, "siem supervisor: back to %s after a failed update" % old_image)
                self.save()
            raise
        if old_p:
            if down_at is None:
                down_at = t
            say("the new %s beats (version %s); stopping the old one (pid %d)" % (name, hb.get("version"), old_p.pid))
            stop(name, old_rec, STOP_GRACE_MODULE)
            old_p.wait()
        with self.lock:
            del self.side[name]
            rec.update(new)
            rec.update(heartbeat=hb, version=hb.get("version"), beat_at=now_rfc3339(), crashes=[])
            self.procs[name] = p
            self.set_state(name, "running")
            self.save()
        gap = max(0.0, t - down_at) if down_at is not None else 0.0
        return {"ok": True, "version": hb.get("version"), "pid": p.pid, "unavailable_s": round(gap, 2),
                "overlap": not m.exclusive}

    def restart(self, name: str) -> dict:
        with self.lock:
            rec = self.comps.get(name)
            if rec is None or rec.get("state") == "updating":
                raise Fail("%s is %s" % (name, "being updated" if rec else "not part of this SIEM"))
            p = self.procs.pop(name, None)
            if p:
                stop(name, rec, STOP_GRACE.get(name, STOP_GRACE_MODULE))
                p.wait()
            self.due.pop(name, None)
            rec["crashes"] = []
            self.start(name, "siem supervisor: restarted on request at %s" % now_rfc3339())
            self.save()
            return {"ok": True, "pid": rec.get("pid")}

    def handle(self, conn):
        """One request: {"cmd": "update", "module": M, "image": FILE,
        "timeout": S} or {"cmd": "restart", "module": M}. Progress comes
        back as {"note": TEXT} lines, then one {"ok": true, ...} or
        {"ok": false, "error": TEXT}."""
        f = conn.makefile("rw")

        def say(text):
            f.write(json.dumps({"note": text}) + "\n")
            f.flush()

        try:
            req = json.loads(f.readline() or "{}")
            if req.get("cmd") == "update":
                reply = self.update(req["module"], req["image"], float(req.get("timeout", 60)), say)
            elif req.get("cmd") == "restart":
                reply = self.restart(req["module"])
            else:
                reply = {"ok": False, "error": "unknown request %r" % req.get("cmd")}
        except Fail as e:
            reply = {"ok": False, "error": str(e)}
        except (ValueError, KeyError) as e:
            reply = {"ok": False, "error": "bad request (%s)" % e}
        log("request %s: %s" % (req.get("cmd") if isinstance(req, dict) else "?", reply))
        try:
            f.write(json.dumps(reply) + "\n")
            f.flush()
            conn.close()
        except OSError:
            pass

    def serve(self, srv):
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    # --- Main loop ---------------------------------------------------------------

    def shutdown(self):
        log("stopping everything")
        with self.lock:
            for name, (p, new) in list(self.side.items()):
                stop(name, new, STOP_GRACE_MODULE)
            for name in STOP_ORDER:
                rec = self.comps.get(name)
                if not rec:
                    continue
                self.due.pop(name, None)
                p = self.procs.pop(name, None)
                done = None
                if p:
                    try:
                        done = stop(name, rec, STOP_GRACE.get(name, STOP_GRACE_MODULE))
                    except Fail as e:
                        done = str(e)
                    p.wait()
                rec["stop_result"] = done
                rec["pid"] = None
                if rec.get("state") != "crash-looping":
                    self.set_state(name, "stopped")
                self.save()
            self.st["supervisor"]["pid"] = None
            self.st["down_since"] = now_rfc3339()
            self.save()

    def run(self) -> int:
        sock_path = self.dir / "supervisor.sock"
        try:
            sock_path.unlink()
        except FileNotFoundError:
            pass
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(str(sock_path))
        os.chmod(sock_path, 0o600)
        srv.listen(4)
        threading.Thread(target=self.serve, args=(srv,), daemon=True).start()
        sup = self.st["supervisor"]
        sup.update(pid=os.getpid(), start_ticks=start_ticks(os.getpid()), socket=str(sock_path), since=now_rfc3339())

        def on_term(signum, frame):
            self.stopping = True

        def on_usr1(signum, frame):
            self.hold = False

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        signal.signal(signal.SIGUSR1, on_usr1)
        with self.lock:
            self.start("nats")
            self.save()
        log("supervising %s (crash-looping after %d exits within %g s)" % (
            ", ".join(n for n in START_ORDER if n in self.comps), self.limit, self.window))
        nats_wait = time.monotonic() + 30
        while not self.stopping:
            with self.lock:
                if sup.get("hold") != self.hold:
                    sup["hold"] = self.hold
                    self.save()
                self.reap()
                nats_up = self.comps["nats"].get("state") == "running"
                if not self.modules_started and (nats_up or time.monotonic() > nats_wait):
                    self.modules_started = True
                    for name in START_ORDER:
                        if name != "nats" and name in self.comps:
                            self.start(name)
                    self.save()
            self.bus()
        self.shutdown()
        srv.close()
        try:
            sock_path.unlink()
        except FileNotFoundError:
            pass
        log("stopped")
        return 0


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: siem_supervise.py STATE (started by tools/siem up)", file=sys.stderr)
        return 2
    return Supervisor(Path(argv[1]).resolve()).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
