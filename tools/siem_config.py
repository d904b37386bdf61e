"""What the SIEM is made of, for tools/siem, its supervisor and its
exports: the endpoints, the modules and how each is booted, nats-server's
configuration, the supervisor's tunables and the words for exit statuses.
Python 3 standard library only.
"""

from __future__ import annotations

import json
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE = ROOT / "build" / "siem"
GUEST_HOST = "10.0.2.2"  # the host as QEMU user networking shows it
NATS_MAX_PAYLOAD = "8MB"


@dataclass(frozen=True)
class Port:
    """One endpoint on 127.0.0.1: nats-server's own port, or a port QEMU
    forwards to a module's guest port."""

    endpoint: str  # the name `up` prints
    proto: str
    option: str  # the `up` option that sets it
    default: int
    guest: Optional[int] = None
    module: Optional[str] = None  # the module it is forwarded to


@dataclass(frozen=True)
class Module:
    """One image of the SIEM and how it is booted."""

    name: str
    ports: tuple = ()  # endpoints (Port.endpoint) forwarded to it
    disk: bool = False  # boots with the store disk attached
    args: tuple = ()  # module arguments after nats=...
    mem: str = "128M"
    optional: bool = False  # booted only when its image exists or can be built
    token: bool = False  # takes token=... and read_token=... (the web UI's)
    seal: bool = False  # takes seal_key=... (the store's K_0, for a blank disk)
    windows: bool = False  # keeps time windows over its durable consumer's stream

    @property
    def app(self) -> str:
        return "siem/" + self.name

    @property
    def source(self) -> Path:
        return ROOT / "apps" / "siem" / self.name

    @property
    def image(self) -> Path:
        return ROOT / "build" / ("siem-" + self.name) / ("siem-%s.elf" % self.name)

    @property
    def exclusive(self) -> str:
        """Why two instances cannot run side by side during an update (the
        host ports QEMU binds, the store's disk), or "" when they can."""
        if self.disk:
            return "its disk"
        if self.ports:
            return "its host ports"
        if self.windows:
            # Two instances on one durable consumer would each get part of
            # the events, and a window needs all of them.
            return "its durable consumer"
        return ""


# The order of PORTS is the order `up` prints the endpoints in.
PORTS = (
    Port("syslog-udp", "udp", "--udp-port", 5514, 514, "normaliser"),
    Port("syslog-tcp", "tcp", "--tcp-port", 5601, 601, "normaliser"),
    Port("relp", "tcp", "--relp-port", 12514, 2514, "normaliser"),
    Port("nats", "tcp", "--nats-port", 14222),
    Port("web", "tcp", "--web-port", 8080, 80, "manager"),
)
PORT = {p.endpoint: p for p in PORTS}

MODULES = (
    Module("normaliser", ports=("syslog-udp", "syslog-tcp", "relp")),
    Module("correlator", windows=True),
    Module("store", disk=True, seal=True),
    Module("manager", ports=("web",), optional=True, token=True),
)
MODULE = {m.name: m for m in MODULES}
COMPONENTS = ("nats",) + tuple(m.name for m in MODULES)
# Inputs stop first so nothing new arrives while the rest drains; the bus
# stops last, and SIGTERM lets it flush JetStream to disk.
STOP_ORDER = ("normaliser", "manager", "correlator", "store", "nats")
START_ORDER = ("nats", "store", "correlator", "normaliser", "manager")
STOP_GRACE = {"nats": 15.0}  # seconds between SIGTERM and SIGKILL
STOP_GRACE_MODULE = 5.0

# --- Supervision ---------------------------------------------------------------

BACKOFF_FIRST = 1.0  # seconds before the first restart; doubled per crash in the window
BACKOFF_MAX = 30.0
CRASH_LIMIT = 5  # this many exits within CRASH_WINDOW: crash-looping, left stopped
CRASH_WINDOW = 120.0
STATUS_SUBJECT = "siem.supervisor.status"
STATUS_EVERY = 2.0  # seconds between two siem.supervisor.status messages
HEARTBEAT_SUBJECT = "siem.health.>"

# --- Exit statuses -------------------------------------------------------------

# tools/run's statuses that are not the app's own, and the SIEM modules'.
RUN_STATUS = {
    120: "panic",
    121: "CPU exception",
    122: "stack smashing",
    123: "out of memory",
    124: "timeout",
    125: "VM reset",
    126: "QEMU failed to start",
}
MODULE_STATUS = {1: "failed at start (see its log)", 2: "bad arguments"}
STORE_STATUS = {3: "no usable disk"}


def exit_words(status: Optional[int], module: str = "") -> str:
    """status: a module's exit status as tools/run reports it (0-126), or
    -N for killed by signal N; None: it has not exited."""
    if status is None:
        return "-"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = "?"
        return "killed by signal %d (%s)" % (-status, name)
    if status == 0:
        return "exited"
    if status in RUN_STATUS:
        return RUN_STATUS[status]
    if module == "store" and status in STORE_STATUS:
        return STORE_STATUS[status]
    if module and module != "nats" and status in MODULE_STATUS:
        return MODULE_STATUS[status]
    return "status %d" % status


def exit_meaning(status: int, module: str = "") -> str:
    """`status 120 (panic)`, `killed by signal 9 (SIGKILL)`."""
    if status < 0:
        return exit_words(status, module)
    words = exit_words(status, module)
    return "status %d" % status + ("" if words.startswith("status") else " (%s)" % words)


def qemu_status(returncode: int) -> int:
    """A module's exit status from what `tools/run --exec` (that is, QEMU)
    returned to Popen: the same translation as tools/run's own, and -N when
    QEMU was killed by signal N."""
    rc = returncode
    if rc < 0:
        return rc
    if rc % 2 == 1 and rc >= 3:
        return (rc >> 1) - 1
    if rc == 0:
        return 125
    return 126


# --- Command lines -------------------------------------------------------------


def module_args(m: Module, nats: str, extra=(), kernel=()) -> str:
    """The kernel command line: the kernel's own options (kernel, e.g.
    `up --stats`'s stats=S), then after --: nats=HOST:PORT, the module's own
    and the operator's extra words (`up --arg`), last; a module takes the
    last value of a key given twice. Never a secret: those reach the module
    in its secrets file (siem_trust.write_secrets)."""
    words = list(kernel) + ["--", "nats=" + nats] + list(m.args)
    return " ".join(words + list(extra))


def seal_key_path(state_dir) -> Path:
    """The store's seal key K_0: 64 hex digits, made by `up`, mode 0600."""
    return Path(state_dir) / "keys" / "store-seal.key"


def seal_key_for(state_dir, disk) -> str:
    """K_0 in hex when the store's disk is blank (its chain starts at this
    boot), else "": the store ignores it on a formatted disk, so it is not
    put on a command line then."""
    try:
        with open(disk, "rb") as f:
            if any(f.read(4096)):
                return ""
        return seal_key_path(state_dir).read_text().strip()
    except OSError:
        return ""


ARG_WORD = re.compile(r"[a-z][a-z0-9_-]*=[^\s]*")


def parse_module_args(specs) -> dict:
    """`--arg MODULE=KEY=VALUE` options -> {module: [KEY=VALUE, ...]}; raises
    ValueError naming the bad one. The module checks the key itself (an
    unknown one stops it with status 2)."""
    out = {}
    for spec in specs:
        name, sep, word = spec.partition("=")
        if not sep or name not in MODULE or not ARG_WORD.fullmatch(word):
            raise ValueError("--arg %s: expected MODULE=KEY=VALUE with MODULE one of %s and no spaces (e.g. "
                             "--arg store=batch=64)" % (spec, ", ".join(MODULE)))
        out.setdefault(name, []).append(word)
    return out


def module_cmd(m: Module, image, ports: dict, disk, secrets=None, exec_: bool = True, extra=(),
               initrd=None, kernel=()) -> list:
    """The tools/run command line that boots module m; with exec_, tools/run
    becomes QEMU so that a signal that kills it is seen as one. secrets:
    the module's secrets file (its identity, the manager's token), handed
    over as fw_cfg file opt/siem/secrets, never on the command line. extra: the operator's module arguments (`up --arg`).
    initrd: a file handed over as boot module 0 (the normaliser's `up --decoders`).
    kernel: kernel options, before the module's arguments (`up --stats`)."""
    cmd = [str(ROOT / "tools" / "run"), "--timeout", "0", "--mem", m.mem, "--net"]
    if exec_:
        cmd.append("--exec")
    for e in m.ports:
        cmd += ["--port", "%s:%d:%d" % (PORT[e].proto, ports[e], PORT[e].guest)]
    if m.disk:
        cmd += ["--disk", str(disk)]
    if secrets:
        cmd += ["--fw-cfg", "opt/siem/secrets=%s" % secrets]
    if initrd:
        cmd += ["--initrd", str(initrd)]
    cmd += ["--append", module_args(m, "%s:%d" % (GUEST_HOST, ports["nats"]), extra, kernel), str(image)]
    return cmd


def nats_config_text(listen: str, store_dir, server_name: str = "siem", extra: str = "") -> str:
    return ("# nats-server configuration, written by tools/siem.\n"
            "server_name: %s\n"
            "listen: %s\n"
            "max_payload: %s\n"
            "jetstream {\n"
            "  store_dir: %s\n"
            "}\n%s" % (server_name, listen, NATS_MAX_PAYLOAD, json.dumps(str(store_dir)), extra))


def nats_config(state_dir: Path, port: int, extra: str = "") -> Path:
    """STATE/nats.conf (0600: it names every identity); extra: more
    configuration, the authorization block."""
    path = state_dir / "nats.conf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(nats_config_text("127.0.0.1:%d" % port, state_dir / "nats", extra=extra))
    os.chmod(path, 0o600)
    return path
