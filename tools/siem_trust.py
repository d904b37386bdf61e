"""The SIEM's trust on the bus (docs/siem.md "Identities"): one NATS
identity (an nkey, Ed25519) per module and one for the operator's tools,
what each may publish and subscribe, the secrets each module boots with,
and the streams and consumers only the operator creates.

Keys live in STATE/keys/ (mode 0700), one seed file NAME.nk each (0600);
a module's secrets reach it as QEMU fw_cfg file opt/siem/secrets, from
STATE/keys/MODULE.secrets (0600), never on a command line. Python 3 standard library only; the
Ed25519 work is build/host/siem-nkey's (`make siem-nkey`, libsodium).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from siem_nats import NatsError, nkey_tool

OPERATOR = "operator"

# What each module may do on the bus: its own heartbeat, its own private
# inbox, and what its job needs; nothing of $JS.API but the consumers it
# reads. A module that answers requests may publish into the inboxes of
# those who may ask (the manager's, the operator's tools'): not through
# allow_responses, which makes nats-server track every message delivered
# with a reply subject (each pulled event) and cost it about 100 µs an
# event more (measured with make bench-siem: a third of the SIEM's rate).
_INBOX = "_INBOX.siem-%s.>"
ASKERS = ["_INBOX.siem-manager.>", "_INBOX.operator.>"]
PERMISSIONS = {
    "normaliser": {
        "publish": ["siem.events.>", "siem.health.normaliser"],
        "subscribe": [_INBOX % "normaliser"],
    },
    "correlator": {
        "publish": ["siem.alerts.>", "siem.health.correlator",
                    "$JS.API.CONSUMER.INFO.EVENTS.correlator",
                    "$JS.API.CONSUMER.MSG.NEXT.EVENTS.correlator", "$JS.ACK.EVENTS.correlator.>",
                    # the replay at start: stream position, one message's time,
                    # and the one replay consumer on each stream
                    "$JS.API.STREAM.INFO.EVENTS", "$JS.API.STREAM.MSG.GET.EVENTS"]
        + ["$JS.API.CONSUMER.%s.%s.correlator-replay" % (op, s)
           for s in ("EVENTS", "ALERTS") for op in ("CREATE", "DELETE", "MSG.NEXT")]
        + ASKERS,
        "deny_publish": ["siem.alerts.ack.>"],
        "subscribe": [_INBOX % "correlator", "siem.correlator.rules", "siem.health.>"],
    },
    "store": {
        "publish": ["siem.health.store"]
        + ["$JS.API.CONSUMER.%s.%s.%s" % (op, s, c) for s, c in (("EVENTS", "store-events"),
                                                                   ("ALERTS", "store-alerts"))
           for op in ("INFO", "MSG.NEXT")]
        + ["$JS.ACK.EVENTS.store-events.>", "$JS.ACK.ALERTS.store-alerts.>"] + ASKERS,
        "subscribe": [_INBOX % "store", "siem.store.query"],
    },
    "manager": {
        "publish": ["siem.health.manager", "siem.store.query", "siem.correlator.rules", "siem.alerts.ack.>"],
        "subscribe": [_INBOX % "manager", "siem.health.>", "siem.supervisor.status"],
    },
}

# The streams and durable consumers `up` creates as the operator, and the
# supervisor re-creates when they vanish. Limits are deliberate: a message
# of more than 1 MiB is refused, and each stream keeps at most its bytes
# (the oldest go first: the store holds the history).
MiB = 1 << 20
STREAMS = {
    "EVENTS": {"subjects": ["siem.events.>"], "duplicate_window": 600, "max_bytes": 1024 * MiB},
    "ALERTS": {"subjects": ["siem.alerts.>"], "duplicate_window": 3600, "max_bytes": 256 * MiB},
}
MAX_MSG_SIZE = 1 * MiB
# (stream, durable, ack policy, the module whose batch= sets max_ack_pending)
CONSUMERS = (
    ("EVENTS", "store-events", "explicit", "store"),
    ("ALERTS", "store-alerts", "explicit", "store"),
    ("EVENTS", "correlator", "all", "correlator"),
)
DEFAULT_BATCH = 256


def keys_dir(state_dir: Path) -> Path:
    return state_dir / "keys"


def seed_file(state_dir: Path, name: str) -> Path:
    return keys_dir(state_dir) / ("%s.nk" % name)


def secrets_file(state_dir: Path, module: str) -> Path:
    return keys_dir(state_dir) / ("%s.secrets" % module)


def _write_private(path: Path, text: str):
    """Write text to path, readable by this account only, from the start."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def _tool(*args, stdin: bytes = b"") -> str:
    p = subprocess.run([nkey_tool(), *args], input=stdin, capture_output=True)
    if p.returncode != 0:
        raise NatsError("siem-nkey %s: %s" % (args[0], p.stderr.decode(errors="replace").strip()))
    return p.stdout.decode().strip()


def ensure_identities(state_dir: Path, names) -> dict:
    """A seed file per name (kept when there is one); returns name -> public key."""
    kd = keys_dir(state_dir)
    kd.mkdir(mode=0o700, exist_ok=True)
    os.chmod(kd, 0o700)
    public = {}
    for name in names:
        path = seed_file(state_dir, name)
        if not path.exists():
            seed, _ = _tool("gen").split()
            _write_private(path, seed + "\n")
        public[name] = _tool("public", str(path))
    return public


def write_secrets(state_dir: Path, module: str, values: dict) -> Path:
    """The module's secrets file: its nkey= seed and any other
    secret argument (the manager's token=); mode 0600."""
    lines = ["siem-secrets 1", "nkey=" + seed_file(state_dir, module).read_text().strip()]
    lines += ["%s=%s" % (k, v) for k, v in values.items() if v]
    path = secrets_file(state_dir, module)
    _write_private(path, "\n".join(lines) + "\n")
    return path


def _quoted(subjects) -> str:
    return "[" + ", ".join(json.dumps(s) for s in subjects) + "]"


def authorization_text(public: dict) -> str:
    """The nats-server authorization block: the operator may do anything,
    each module what PERMISSIONS says; anonymous clients are refused."""
    users = ["    { nkey: %s }  # %s: everything, $JS.API included" % (public[OPERATOR], OPERATOR)]
    for name, perm in PERMISSIONS.items():
        if name not in public:
            continue
        pub = "allow: %s" % _quoted(perm["publish"])
        if perm.get("deny_publish"):
            pub += ", deny: %s" % _quoted(perm["deny_publish"])
        rules = "publish: { %s }, subscribe: { allow: %s }" % (pub, _quoted(perm["subscribe"]))
        users.append("    { nkey: %s, permissions: { %s } }  # %s" % (public[name], rules, name))
    return "authorization {\n  users = [\n%s\n  ]\n}\n" % "\n".join(users)


# --- Streams and consumers (as the operator) ---------------------------------------


def _api(nc, subject: str, body=None) -> dict:
    reply = nc.request(subject, json.dumps(body) if body is not None else b"", timeout=5.0).json()
    return reply


def stream_config(name: str) -> dict:
    s = STREAMS[name]
    return {"name": name, "subjects": s["subjects"], "storage": "file", "retention": "limits",
            "discard": "old", "duplicate_window": s["duplicate_window"] * 10**9, "max_bytes": s["max_bytes"],
            "max_msg_size": MAX_MSG_SIZE}


def consumer_config(stream: str, durable: str, ack: str, batch: int) -> dict:
    return {"stream_name": stream, "config": {
        "durable_name": durable, "deliver_policy": "all", "ack_policy": ack, "ack_wait": 30 * 10**9,
        "max_deliver": -1, "max_ack_pending": 4 * batch, "max_waiting": 16}}


def module_batch(args) -> int:
    """The batch= a module boots with (its last --arg), or the default."""
    batch = DEFAULT_BATCH
    for word in args or ():
        key, _, value = word.partition("=")
        if key == "batch" and value.isdigit():
            batch = int(value)
    return batch


def ensure_streams(nc, module_args: dict) -> list:
    """Create whatever stream or durable consumer is missing; returns one
    line per thing created ([] when all were there). module_args: module
    -> its --arg words (for batch=)."""
    created = []
    for name in STREAMS:
        info = _api(nc, "$JS.API.STREAM.INFO." + name)
        if "error" in info:
            r = _api(nc, "$JS.API.STREAM.CREATE." + name, stream_config(name))
            if "error" in r:
                raise NatsError("cannot create stream %s: %s" % (name, r["error"].get("description")))
            created.append("stream %s" % name)
    for stream, durable, ack, module in CONSUMERS:
        info = _api(nc, "$JS.API.CONSUMER.INFO.%s.%s" % (stream, durable))
        if "error" in info:
            body = consumer_config(stream, durable, ack, module_batch(module_args.get(module)))
            r = _api(nc, "$JS.API.CONSUMER.DURABLE.CREATE.%s.%s" % (stream, durable), body)
            if "error" in r:
                raise NatsError("cannot create consumer %s on %s: %s" % (
                    durable, stream, r["error"].get("description")))
            created.append("consumer %s on %s" % (durable, stream))
    return created
