#!/usr/bin/env python3
"""A stand-in for qemu-system-x86_64 (tools/run's QEMU=) that plays a SIEM
module, so tests/boot/siem-cli.sh can drive tools/siem up/status/query/down
without the module images: it prints its command line, takes the module
name from the -kernel file (siem-store.elf -> store) and the bus from the
nats=10.0.2.2:PORT argument, sends a heartbeat on siem.health.<module> every
0.3 s and, as the store, answers siem.store.query with the request echoed
({"error": ...} when its text is "boom").

SIEM_FAKE_CRASH=<module> makes that module panic at once (status 120);
SIEM_FAKE_SILENT=<module> makes it run without ever sending a heartbeat;
SIEM_FAKE_CRASH_FILE=FILE makes the modules named in FILE (when it exists)
panic at once. An image file holding "version=V" makes it report version V.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import siem_nats as nats  # noqa: E402

argv = sys.argv[1:]
print("fake-qemu:", " ".join(argv), flush=True)
kernel = argv[argv.index("-kernel") + 1]
module = re.sub(r"^siem-|\.elf$", "", os.path.basename(kernel))
port = int(re.search(r"nats=10\.0\.2\.2:(\d+)", argv[argv.index("-append") + 1]).group(1))
crash_file = os.environ.get("SIEM_FAKE_CRASH_FILE", "")
crash_now = crash_file and os.path.exists(crash_file) and module in open(crash_file).read().split()
with open(kernel, errors="replace") as f:
    version = (re.findall(r"^version=(\S+)", f.read(), re.M) or ["0.1.0-fake"])[0]
if os.environ.get("SIEM_FAKE_CRASH") == module or crash_now:
    print("panic: fake %s crash" % module, flush=True)
    sys.exit(((120 + 1) << 1) | 1)  # isa-debug-exit's encoding of status 120

if os.environ.get("SIEM_FAKE_SILENT") == module:
    print("%s: silent" % module, flush=True)
    while True:
        time.sleep(60)

started, beats = time.time(), 0
with nats.Client(port=port, name=module) as nc:
    sid = nc.subscribe("siem.store.query") if module == "store" else nc.subscribe("siem.fake.none")
    print("%s: connected to nats 10.0.2.2:%d" % (module, port), flush=True)
    while True:
        beats += 1
        nc.publish("siem.health." + module, json.dumps({
            "module": module, "version": version, "instance": "%08x" % os.getpid(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "uptime_s": round(time.time() - started, 1), "counters": {"beats": beats, "queue": {"depth": 0}}}))
        for m in nc.collect(sid, 0.3):
            req = json.loads(m.data)
            if req.get("text") == "boom":
                reply = {"error": "bad query: boom"}
            else:
                reply = {"results": [{"n": 2, "request": req}, {"n": 1}], "count": 2, "scanned": 7,
                         "truncated": req.get("limit") == 1}
            nc.publish(m.reply, json.dumps(reply))
