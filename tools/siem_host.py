#!/usr/bin/env python3
"""The SIEM's normaliser, store and correlator as Linux programs (make
siem-host) on a nats-server of their own, set up as `tools/siem up` sets up
the images: an identity per module and for the operator, nats-server's
permissions, the streams and durable consumers (tools/siem_trust.py), each
module's secrets file (SIEM_SECRETS) and the store's disk, a file
(SIEM_STORE_DISK). No supervisor: what exits stays stopped. For
tests/host/siem-host.sh and tools/bench-siem-host.sh.

  siem_host.py up --state DIR --nats-port P --tcp-port P [--udp-port P]
                  [--relp-port P] [--disk-size MIB] [--no-bus-auth]
                  [--arg MODULE=KEY=VALUE]...
  siem_host.py down --state DIR
  siem_host.py pids --state DIR      one "NAME PID" a line

`up` returns once every module printed "MODULE: ready" (else stops what it
started and fails); logs in DIR/logs/, pids in DIR/host.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import siem_nats  # noqa: E402
from siem_config import nats_config, seal_key_path  # noqa: E402
from siem_proc import Fail, find_nats_server, ours, spawn, start_ticks, stop  # noqa: E402
from siem_trust import OPERATOR, authorization_text, ensure_identities, ensure_streams, seed_file, \
    write_secrets  # noqa: E402

MODULES = ("store", "correlator", "normaliser")  # start order: consumers before the producer
BIN = ROOT / "build" / "siem-host"


def state_path(state: Path) -> Path:
    return state / "host.json"


def module_args(a, module: str) -> list:
    args = ["nats=127.0.0.1:%d" % a.nats_port, "heartbeat=1"]
    if module == "normaliser":
        args += ["udp=%d" % a.udp_port, "tcp=%d" % a.tcp_port, "relp=%d" % a.relp_port]
    for word in a.arg:
        name, _, rest = word.partition("=")
        if name == module:
            args.append(rest)
    return args


def streams(a, state: Path):
    """The streams and consumers, as the operator, once nats-server answers."""
    creds = None if a.no_bus_auth else str(seed_file(state, OPERATOR))
    deadline = time.monotonic() + 30
    while True:
        try:
            nc = siem_nats.Client(port=a.nats_port, name="siem_host", timeout=2.0, creds=creds)
            break
        except siem_nats.NatsError as e:
            if time.monotonic() > deadline:
                raise Fail("nats-server on port %d does not answer: %s" % (a.nats_port, e))
            time.sleep(0.1)
    try:
        ensure_streams(nc, {m: [w.partition("=")[2] for w in a.arg if w.startswith(m + "=")]
                            for m in MODULES})
    finally:
        nc.close()


def wait_ready(procs: dict, logs: Path, timeout: float):
    deadline = time.monotonic() + timeout
    for name in MODULES:
        log = logs / ("%s.log" % name)
        while "%s: ready" % name not in log.read_text(errors="replace"):
            if procs[name].poll() is not None or time.monotonic() > deadline:
                what = "exited with status %s" % procs[name].returncode if procs[name].poll() is not None \
                    else "is not ready after %g s" % timeout
                lines = log.read_text(errors="replace").splitlines()[-5:]
                raise Fail("%s %s; last lines of %s:" % (name, what, log), lines)
            time.sleep(0.05)


def cmd_up(a) -> int:
    state = a.state
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    logs = state / "logs"
    logs.mkdir(exist_ok=True)
    (state / "nats").mkdir(exist_ok=True)
    for name in MODULES:
        if not (BIN / ("siem-" + name)).is_file():
            raise Fail("no %s; build it with make siem-host" % (BIN / ("siem-" + name)))
    public = ensure_identities(state, [OPERATOR] + list(MODULES))
    nats_config(state, a.nats_port, "" if a.no_bus_auth else authorization_text(public))
    key = seal_key_path(state)
    if not key.exists():
        key.write_text(secrets.token_hex(32) + "\n")
    disk = state / "store.img"
    if not disk.exists():
        with open(disk, "wb") as f:
            f.truncate(a.disk_size << 20)
    rec = {"components": {}}
    procs = {}

    def start(name: str, cmd: list, env: dict):
        old = dict(os.environ)
        os.environ.update(env)
        try:
            p, r = spawn(name, cmd, logs / ("%s.log" % name))
        finally:
            os.environ.clear()
            os.environ.update(old)
        procs[name] = p
        rec["components"][name] = r
        state_path(state).write_text(json.dumps(rec, indent=2) + "\n")

    try:
        start("nats", [find_nats_server(), "-c", str(state / "nats.conf")], {})
        streams(a, state)
        for name in MODULES:
            values = {"seal_key": key.read_text().strip()} if name == "store" else {}
            env = {"SIEM_SECRETS": str(write_secrets(state, name, values))}
            if name == "store":
                env["SIEM_STORE_DISK"] = str(disk)
            start(name, [str(BIN / ("siem-" + name))] + module_args(a, name), env)
        wait_ready(procs, logs, a.timeout)
    except BaseException:
        down(state)
        raise
    return 0


def down(state: Path) -> list:
    try:
        rec = json.loads(state_path(state).read_text())
    except (OSError, ValueError):
        return []
    done = []
    for name in ("normaliser", "correlator", "store", "nats"):
        r = rec["components"].get(name)
        if r and ours(r):
            done.append("%s: %s" % (name, stop(name, r, 10.0)))
    state_path(state).unlink()
    return done


def cmd_down(a) -> int:
    for line in down(a.state):
        print(line)
    return 0


def cmd_pids(a) -> int:
    rec = json.loads(state_path(a.state).read_text())
    for name, r in rec["components"].items():
        if start_ticks(r["pid"]) == r["start_ticks"]:
            print(name, r["pid"])
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="siem_host.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up")
    for p in (up, sub.add_parser("down"), sub.add_parser("pids")):
        p.add_argument("--state", type=Path, required=True)
    up.add_argument("--nats-port", type=int, required=True)
    up.add_argument("--tcp-port", type=int, required=True)
    up.add_argument("--udp-port", type=int, default=0)
    up.add_argument("--relp-port", type=int, default=0)
    up.add_argument("--disk-size", type=int, default=256, metavar="MIB")
    up.add_argument("--no-bus-auth", action="store_true")
    up.add_argument("--arg", action="append", default=[], metavar="MODULE=KEY=VALUE")
    up.add_argument("--timeout", type=float, default=60.0)
    a = ap.parse_args(argv)
    a.state = a.state.resolve()
    os.umask(0o077)
    try:
        return {"up": cmd_up, "down": cmd_down, "pids": cmd_pids}[a.command](a)
    except Fail as e:
        print("siem_host: %s" % e, file=sys.stderr)
        for line in e.detail:
            print("  " + line, file=sys.stderr)
        return e.status


if __name__ == "__main__":
    sys.exit(main())
