"""The host side of tools/siem: its state file, the process groups it
starts and stops, and the checks of this machine's ports and programs.
Python 3 standard library only.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent

class Fail(Exception):
    """An expected failure: one line for the operator, optionally followed
    by context lines (a console's last lines), and the exit status."""

    def __init__(self, message: str, detail=(), status: int = 1):
        super().__init__(message)
        self.detail = list(detail)
        self.status = status


def note(text: str):
    """Progress goes to stderr: stdout carries only results."""
    print("siem: " + text, file=sys.stderr, flush=True)


def now_rfc3339() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- State: STATE/siem.json --------------------------------------------------


def state_file(state_dir: Path) -> Path:
    return state_dir / "siem.json"


def load_state(state_dir: Path) -> dict:
    path = state_file(state_dir)
    try:
        with open(path) as f:
            st = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise Fail("cannot read %s (%s); remove it once nothing runs" % (path, e))
    if not isinstance(st, dict) or st.get("format") != 1:
        raise Fail("%s is not a state file of this tool; remove it once nothing runs" % path)
    return st


def save_state(state_dir: Path, st: dict):
    """Write the whole file anew and rename it into place, so a reader never
    sees half of it. Mode 0600: it holds the web UI's token."""
    path = state_file(state_dir)
    tmp = path.with_suffix(".json.tmp.%d" % os.getpid())
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump(st, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


# --- Processes ---------------------------------------------------------------


def start_ticks(pid: int) -> Optional[int]:
    """The process's start time (clock ticks since boot) from /proc, or None
    when it does not exist or is a zombie. pid plus start time names one
    process even after its pid is reused."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def alive(rec: Optional[dict]) -> bool:
    return bool(rec and rec.get("pid")) and start_ticks(rec["pid"]) == rec.get("start_ticks")


def group_members(pgid: int) -> list:
    """Live processes in process group pgid (its leader may be gone while a
    child, e.g. QEMU under tools/run, lives on)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            out.append(int(entry))
    return out


def ours(rec: Optional[dict]) -> bool:
    """Something of the process group this record started still runs. A pid
    held by another process means the group is gone: the kernel does not
    hand out a pid that is still some group's id."""
    if not rec or not rec.get("pid"):
        return False
    if alive(rec):
        return True
    return start_ticks(rec["pid"]) is None and bool(group_members(rec["pid"]))


def rotate(log: Path):
    """Keep the previous run's log as LOG.1 for a look after a crash."""
    if log.exists():
        os.replace(log, log.with_name(log.name + ".1"))


def spawn(name: str, cmd: list, log: Path, banner: str = ""):
    """Start cmd in the background in a new session (so a process group of
    its own), stdin from /dev/null, stdout and stderr to log. With a banner
    (a restart), the log is appended to after that line; otherwise the
    previous one is kept as LOG.1. Returns the Popen and the component's
    state record."""
    if not banner:
        rotate(log)
    with open(log, "ab" if banner else "wb") as out:
        if banner:
            out.write(("\n--- %s ---\n" % banner).encode())
            out.flush()
        try:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True, cwd=ROOT)
        except OSError as e:
            raise Fail("cannot start %s: %s: %s" % (name, cmd[0], e.strerror or e))
    return p, {"pid": p.pid, "start_ticks": start_ticks(p.pid), "cmd": [str(c) for c in cmd],
               "log": str(log), "started": now_rfc3339()}


def stop(name: str, rec: Optional[dict], grace: float) -> Optional[str]:
    """SIGTERM the component's process group, SIGKILL it after grace
    seconds. Returns what was done, or None when nothing ran."""
    if not ours(rec):
        return None
    pgid = rec["pid"]

    def gone():
        return not alive(rec) and not group_members(pgid)

    how = "stopped"
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        except PermissionError:
            raise Fail("not allowed to stop %s (process group %d); run tools/siem down as its owner" % (name, pgid))
        deadline = time.monotonic() + wait
        while not gone() and time.monotonic() < deadline:
            time.sleep(0.05)
        if gone():
            break
        how = "killed (SIGTERM was ignored for %g s)" % grace
    if not gone():
        raise Fail("%s (process group %d) survives SIGKILL" % (name, pgid))
    return "%s %s (pid %d)" % (how, name, pgid)


def tail(path, n=12) -> list:
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").replace("\r", "").splitlines()
    except OSError:
        return ["(no log at %s)" % path]
    return lines[-n:] or ["(the log %s is empty)" % path]


# --- Host checks -------------------------------------------------------------


def port_busy(proto: str, port: int) -> bool:
    """Bind the port as its real owner will (SO_REUSEADDR on TCP, as QEMU and
    nats-server set it, so a TIME_WAIT left by a previous run is no
    obstacle)."""
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    try:
        if proto == "tcp":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def find_qemu() -> str:
    qemu = os.environ.get("QEMU", "qemu-system-x86_64")
    path = shutil.which(qemu)
    if not path:
        raise Fail("%s not found; install qemu-system-x86 (tools/bootstrap.sh)" % qemu)
    return path


def find_nats_server() -> str:
    for cand in (os.environ.get("NATS_SERVER"), shutil.which("nats-server"), "/usr/sbin/nats-server"):
        if cand and os.access(cand, os.X_OK):
            return cand
    raise Fail("nats-server not found; install nats-server (tools/bootstrap.sh)")
