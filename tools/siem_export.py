"""tools/siem export systemd DIR: the SIEM as systemd units for one host of
a deployment (docs/deploy.md): siem-nats.service, one siem-<module>.service
per module, siem.target, nats-server's configuration (clustered with
JetStream replicas when --cluster names the routes) and the store's disk
path. Units point at real paths, so `systemd-analyze verify` checks them.
Python 3 standard library only.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

from siem_config import (MODULE, MODULES, PORTS, ROOT, STOP_GRACE, STOP_GRACE_MODULE, module_cmd,
                         nats_config_text, parse_module_args)
from siem_trust import OPERATOR, authorization_text, ensure_identities, secrets_file, write_secrets
from siem_proc import Fail, find_nats_server

# Exit statuses (tools/run's, see siem_config.RUN_STATUS) that a restart
# cannot cure: bad arguments, no usable disk, QEMU that cannot start.
NO_RESTART = "2 3 126"


def quote(word: str) -> str:
    """One word of an ExecStart= line (systemd.service(5), "Command lines")."""
    if word and all(c.isalnum() or c in "/._-:=,+@" for c in word):
        return word
    return '"%s"' % word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")


def nats_unit(nats_server: str, conf: Path) -> str:
    return """# The SIEM's bus: nats-server with JetStream (written by tools/siem export).
[Unit]
Description=SIEM bus (nats-server, JetStream)
After=network-online.target
Wants=network-online.target
PartOf=siem.target

[Service]
ExecStart=%s -c %s
# SIGTERM lets nats-server flush JetStream; SIGKILL only after %d s.
KillSignal=SIGTERM
TimeoutStopSec=%d
Restart=on-failure
RestartSec=1
LimitNOFILE=65536

[Install]
WantedBy=siem.target
""" % (nats_server, quote(str(conf)), STOP_GRACE["nats"], STOP_GRACE["nats"])


def module_unit(name: str, cmd: list, disk: Path, disk_size: str = "256M") -> str:
    m = MODULE[name]
    pre = ""
    if m.disk:  # a blank disk the store formats at its first boot; never shrunk
        pre = "ExecStartPre=/usr/bin/mkdir -p %s\nExecStartPre=/usr/bin/truncate -s %s %s\n" % (
            quote(str(disk.parent)), quote(">" + disk_size), quote(str(disk)))
    after = "siem-nats.service" + (" siem-store.service" if name == "manager" else "")
    return """# The SIEM's %(name)s image under QEMU (written by tools/siem export).
# tools/run's exit statuses: 0-119 the module's own (2 bad arguments,
# 3 no usable disk for the store), 120 panic, 121 CPU exception, 122 stack
# smashing, 123 out of memory, 124 timeout, 125 VM reset, 126 QEMU failed
# to start. Every exit is restarted after 1 s except those a restart
# cannot cure (%(norestart)s); %(burst)d starts within %(window)d s leave
# the unit failed, as tools/siem's supervisor leaves a module crash-looping.
# (RestartSteps= would add backoff; it needs systemd 254, Debian 12 has 252.)
[Unit]
Description=SIEM %(name)s (unikernel under QEMU)
After=%(after)s
Wants=siem-nats.service
PartOf=siem.target
StartLimitIntervalSec=%(window)d
StartLimitBurst=%(burst)d

[Service]
%(pre)sExecStart=%(exec)s
Restart=always
RestartSec=1
RestartPreventExitStatus=%(norestart)s
# QEMU ends at SIGTERM; the module's state is in JetStream%(disk)s.
TimeoutStopSec=%(grace)d
SyslogIdentifier=siem-%(name)s

[Install]
WantedBy=siem.target
""" % {"name": name, "after": after, "exec": " ".join(quote(w) for w in cmd), "norestart": NO_RESTART,
       "burst": 5, "window": 120, "grace": STOP_GRACE_MODULE,
       "disk": " and on its disk" if m.disk else "", "pre": pre}


TARGET = """# All of the SIEM on this host (written by tools/siem export).
[Unit]
Description=SIEM (nats-server and the unikernel modules)
Wants=%s

[Install]
WantedBy=multi-user.target
"""


def cluster_block(routes: str, port: int) -> str:
    urls = ["nats-route://%s" % r.strip() for r in routes.split(",") if r.strip()]
    if len(urls) < 3:
        raise Fail("--cluster needs the routes of at least 3 hosts (JetStream replicas need a quorum), got %d"
                   % len(urls), status=2)
    listen = urls[0].rsplit(":", 1)[-1]
    return ("cluster {\n  name: siem\n  listen: 0.0.0.0:%s\n  routes: [\n%s\n  ]\n}\n" % (
        listen, "\n".join("    %s" % u for u in urls)))


def export(a) -> int:
    out = a.dir.resolve()
    prefix = (a.prefix or out).resolve() if a.prefix else out
    data = (a.data or prefix / "data").resolve() if a.data else prefix / "data"
    images = {}
    for spec in a.image:
        name, sep, path = spec.partition("=")
        if not sep or name not in MODULE:
            raise Fail("--image %s: expected MODULE=FILE with MODULE one of %s" % (spec, ", ".join(MODULE)), status=2)
        images[name] = Path(path).resolve()
    for m in MODULES:
        images.setdefault(m.name, m.image)
    mods = [m for m in MODULES if images[m.name].is_file() or not m.optional]
    missing = [str(images[m.name]) for m in mods if not images[m.name].is_file()]
    if missing:
        raise Fail("no image %s; build it (make APP=siem/<module>) or name one with --image" % missing[0])
    try:
        extra_args = parse_module_args(a.arg)
    except ValueError as e:
        raise Fail(str(e), status=2)
    ports = {p.endpoint: getattr(a, p.option[2:].replace("-", "_")) for p in PORTS}
    nats_server = find_nats_server()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise Fail("cannot create %s (%s); choose another DIR" % (out, e.strerror))
    listen = "0.0.0.0:%d" % ports["nats"] if a.cluster else "127.0.0.1:%d" % ports["nats"]
    extra = cluster_block(a.cluster, ports["nats"]) if a.cluster else ""
    name = a.server_name or socket.gethostname()
    # The identities are kept when DIR/keys has them: copy one host's keys/
    # to the others before exporting there, so a cluster shares them.
    identities = ensure_identities(out, [OPERATOR] + [m.name for m in mods])
    (out / "siem-nats.conf").write_text(nats_config_text(listen, data / "nats", name,
                                                         extra + authorization_text(identities)))
    files = ["siem-nats.conf", "siem-nats.service"]
    (out / "siem-nats.service").write_text(nats_unit(nats_server, prefix / "siem-nats.conf"))
    token, read_token = os.urandom(16).hex(), os.urandom(16).hex()
    # The store's seal key K_0: in its secrets file (it starts a blank
    # disk's chain with it) and in store-seal.key for tools/siem verify --key.
    seal = os.urandom(32).hex()
    fd = os.open(out / "store-seal.key", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(seal + "\n")
    files.append("store-seal.key")
    initrd = {}
    if a.decoders and not a.decoders.is_file():
        raise Fail("--decoders %s: no such file" % a.decoders, status=2)
    if a.decoders:
        # The normaliser's rule base beside the units (PREFIX/decoders.rules).
        shutil.copyfile(a.decoders, out / "decoders.rules")
        files.append("decoders.rules")
        initrd["normaliser"] = prefix / "decoders.rules"
        extra_args["normaliser"] = ["decoders=module"] + extra_args.get("normaliser", [])
    for m in mods:
        values = {"token": token, "read_token": read_token} if m.token else {}
        if m.seal:
            values["seal_key"] = seal
        write_secrets(out, m.name, values)
        cmd = module_cmd(m, images[m.name], ports, data / "store.img",
                         prefix / secrets_file(out, m.name).relative_to(out), exec_=False,
                         extra=extra_args.get(m.name, ()), initrd=initrd.get(m.name))
        unit = "siem-%s.service" % m.name
        (out / unit).write_text(module_unit(m.name, cmd, data / "store.img"))
        files.append(unit)
    (out / "siem.target").write_text(TARGET % " ".join(f for f in files if f.endswith(".service")))
    files.append("siem.target")
    for f in files:
        os.chmod(out / f, 0o600 if f in ("siem-nats.conf", "store-seal.key") else 0o644)
        print(out / f)
    print(out / "keys")
    return 0
