#!/usr/bin/env python3
"""The events of tests/boot/siem-pipeline.sh: what logger sends (directly
over UDP and TCP, or through rsyslog and RELP) and the fields the stored
event must have (docs/siem.md, "Event schema").

  siem-pipeline-events.py send TOKEN UDP_PORT TCP_PORT RSYSLOG_TCP_PORT
  siem-pipeline-events.py count
  siem-pipeline-events.py check TOKEN FILE   (FILE: tools/siem query output)
"""

import datetime
import json
import re
import socket
import subprocess
import sys

# key: (transport, format, tag, priority, pid, message with {u} for the
# user name u<key>-TOKEN, expected fields beyond the common ones). The
# transport is udp, tcp, octet (logger --octet-count) or relp (logger over
# TCP to rsyslog, which forwards with omrelp).
AUTH = {"event.category": "authentication", "event.type": "start"}
EVENTS = {
    "1": ("udp", "5424", "sshd", "authpriv.info", 2001,
          "Failed password for {u} from 203.0.113.5 port 50001 ssh2",
          dict(AUTH, **{"event.action": "ssh_login", "event.outcome": "failure", "source.ip": "203.0.113.5",
                        "source.port": 50001, "log.syslog.msgid": "ID47"})),
    "2": ("tcp", "5424", "sshd", "auth.info", 2002,
          "Accepted password for {u} from 203.0.113.6 port 50002 ssh2",
          dict(AUTH, **{"event.action": "ssh_login", "event.outcome": "success", "source.ip": "203.0.113.6",
                        "source.port": 50002})),
    "3": ("octet", "5424", "sshd", "authpriv.info", 2003,
          "Accepted publickey for {u} from 2001:db8::7 port 50003 ssh2: ED25519 SHA256:0a1b2c3d",
          dict(AUTH, **{"event.action": "ssh_login", "event.outcome": "success", "source.ip": "2001:db8::7",
                        "source.port": 50003})),
    "4": ("udp", "3164", "sshd", "authpriv.info", 2004,
          "Invalid user {u} from 203.0.113.8 port 50004",
          {"event.category": "authentication", "event.type": "info", "event.action": "ssh_invalid_user",
           "event.outcome": "failure", "source.ip": "203.0.113.8", "source.port": 50004}),
    "5": ("tcp", "3164", "sshd", "authpriv.info", 2005,
          "Disconnected from user {u} 203.0.113.9 port 50005",
          {"event.category": "session", "event.type": "end", "event.action": "ssh_disconnect",
           "event.outcome": "unknown", "source.ip": "203.0.113.9", "source.port": 50005}),
    "6": ("octet", "3164", "sudo", "authpriv.notice", 2006,
          "{u} : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id",
          {"event.category": "process", "event.type": "start", "event.action": "sudo_command",
           "event.outcome": "success", "user.target.name": "root"}),
    "7": ("udp", "5424", "sudo", "authpriv.notice", 2007,
          "pam_unix(sudo:auth): authentication failure; logname={u} uid=1000 euid=0 tty=/dev/pts/0 "
          "ruser={u} rhost=  user={u}",
          dict(AUTH, **{"event.action": "sudo_auth", "event.outcome": "failure"})),
    "8": ("tcp", "5424", "su", "auth.notice", 2008, "(to root) {u} on pts/1",
          {"event.category": "session", "event.type": "start", "event.action": "su", "event.outcome": "success",
           "user.target.name": "root"}),
    "9": ("tcp", "5424", "cron", "cron.info", 2009, "generic line {u} nothing to see here",
          {"event.category": None, "event.action": None, "event.outcome": None, "user.name": None,
           "source.ip": None}),
    "10": ("udp", "5424", "sshd", "authpriv.info", 2010,
           "Failed publickey for {u} from 203.0.113.10 port 50010 ssh2: RSA SHA256:9f8e7d",
           dict(AUTH, **{"event.action": "ssh_login", "event.outcome": "failure", "source.ip": "203.0.113.10",
                         "source.port": 50010})),
    "11": ("relp", "5424", "sshd", "authpriv.info", 2011,
           "Failed password for invalid user {u} from 203.0.113.11 port 50011 ssh2",
           dict(AUTH, **{"event.action": "ssh_login", "event.outcome": "failure", "source.ip": "203.0.113.11",
                         "source.port": 50011})),
    "12": ("relp", "3164", "su", "auth.notice", 2012, "FAILED su for root by {u}",
           dict(AUTH, **{"event.action": "su", "event.outcome": "failure", "user.target.name": "root"})),
}
FACILITIES = {"auth": 4, "authpriv": 10, "cron": 9}
SEVERITIES = {"info": 6, "notice": 5}
NO_USER = {"9"}  # lines that name no account


def user(key, token):
    return "u%s-%s" % (key, token)


def logger_cmd(key, token, ports):
    transport, fmt, tag, prio, pid, msg, _ = EVENTS[key]
    udp, tcp, rsyslog = ports
    cmd = ["logger", "-n", "127.0.0.1", "-t", tag, "-p", prio, "--id=%d" % pid]
    if transport == "udp":
        cmd += ["-P", str(udp), "-d"]
    elif transport == "relp":
        cmd += ["-P", str(rsyslog), "-T"]
    else:
        cmd += ["-P", str(tcp), "-T"] + (["--octet-count"] if transport == "octet" else [])
    cmd += ["--rfc3164"] if fmt == "3164" else ["--rfc5424"]
    if key == "1":
        cmd += ["--msgid", "ID47"]
    if key == "2":
        cmd += ["--sd-id", "test@32473", "--sd-param", 'tok="%s"' % token]
    return cmd + ["--", msg.format(u=user(key, token))]


def get(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def check_event(key, token, ev, host):
    """Problems with one stored event, as a list of strings."""
    transport, fmt, tag, prio, pid, msg, extra = EVENTS[key]
    fac, sev = prio.split(".")
    # rsyslog's %msg% of an RFC 3164 line keeps the space after "TAG:", and
    # RSYSLOG_SyslogProtocol23Format forwards it as the first byte of MSG.
    lead = " " if transport == "relp" and fmt == "3164" else ""
    want = {
        "event.kind": "event",
        "message": lead + msg.format(u=user(key, token)),
        "host.hostname": host,
        "process.name": tag,
        "process.pid": pid,
        "input.type": "tcp" if transport == "octet" else transport,
        "log.syslog.appname": tag,
        "log.syslog.procid": str(pid),
        "log.syslog.facility.code": FACILITIES[fac],
        "log.syslog.facility.name": fac,
        "log.syslog.severity.code": SEVERITIES[sev],
        "log.syslog.severity.name": sev,
        # rsyslog forwards RFC 3164 input as RFC 5424 (its template).
        "log.syslog.version": 1 if fmt == "5424" or transport == "relp" else None,
        "user.name": None if key in NO_USER else user(key, token),
    }
    want.update(extra)
    bad = []
    for f, v in want.items():
        got = get(ev, f)
        if got != v:
            bad.append("%s is %s, expected %s" % (f, json.dumps(got), json.dumps(v)))
    tag_want = "rfc5424" if want["log.syslog.version"] == 1 else "rfc3164"
    if tag_want not in (ev.get("tags") or []):
        bad.append("tags %s lack %s" % (json.dumps(ev.get("tags")), tag_want))
    if not re.fullmatch(r"[0-9a-f]{32}", str(get(ev, "event.id"))):
        bad.append("event.id %r is not 32 hex digits" % get(ev, "event.id"))
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    for f in ("@timestamp", "event.created"):
        if not re.fullmatch(stamp, str(get(ev, f))):
            bad.append("%s %r is not RFC 3339 UTC with milliseconds" % (f, get(ev, f)))
    created = get(ev, "event.created")
    if isinstance(created, str) and re.fullmatch(stamp, created):
        age = datetime.datetime.now(datetime.timezone.utc) - datetime.datetime.fromisoformat(
            created.replace("Z", "+00:00"))
        if abs(age.total_seconds()) > 600:
            bad.append("event.created %s is not near the time of sending" % created)
    if not re.fullmatch(r"\d+\.\d+\.\d+\.\d+:\d+", str(get(ev, "log.source.address"))):
        bad.append("log.source.address %r is not IP:port" % get(ev, "log.source.address"))
    sd = get(ev, "log.syslog.structured_data") or {}
    if fmt == "5424" and transport != "relp" and get(sd, "timeQuality.tzKnown") != "1":
        bad.append("structured_data lacks logger's timeQuality tzKnown=1: %s" % json.dumps(sd))
    if key == "2" and get(sd, "test@32473.tok") != token:
        bad.append("structured_data lacks test@32473 tok=%s: %s" % (token, json.dumps(sd)))
    return bad


def main():
    if sys.argv[1] == "count":
        print(len(EVENTS))
    elif sys.argv[1] == "send":
        token, ports = sys.argv[2], [int(p) for p in sys.argv[3:6]]
        for key in EVENTS:
            subprocess.run(logger_cmd(key, token, ports), check=True)
    else:
        token, path = sys.argv[2], sys.argv[3]
        events = [json.loads(line) for line in open(path) if line.strip()]
        host = socket.gethostname()
        for key in EVENTS:
            name = "siem-pipeline/event-%s-%s-%s-%s" % (key, EVENTS[key][0], EVENTS[key][1], EVENTS[key][2])
            mine = [e for e in events if user(key, token) + " " in str(e.get("message")) + " "
                    or str(e.get("message")).endswith(user(key, token))]
            if len(mine) != 1:
                print("FAIL %s: %d stored events carry %s" % (name, len(mine), user(key, token)))
                continue
            bad = check_event(key, token, mine[0], host)
            print("FAIL %s: %s; event: %s" % (name, "; ".join(bad), json.dumps(mine[0])[:1500]) if bad
                  else "PASS %s" % name)


if __name__ == "__main__":
    main()
