#!/usr/bin/env python3
"""A synthetic auth.log for make decoder-bench and decoder-coverage: the
OpenSSH, PAM, su, sudo, login, logind, vsftpd, dovecot and postfix shapes
docs/siem.md's decoders read, in proportions like a server facing the
internet (mostly sshd failures and scans), plus the common lines no
decoder reads (session opened/closed, cron, systemd, kernel). It is made
up, not a real log: public corpora cannot be fetched on these machines.

  make-corpus.py [LINES] [SEED] > corpus.log
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 18)
USERS = ["root", "admin", "oracle", "test", "ubuntu", "git", "postgres", "user", "guest", "alice", "bob", "ftpuser"]


def ip():
    if rnd.random() < 0.1:
        return "2001:db8:%x::%x" % (rnd.randrange(65536), rnd.randrange(65536))
    return "%d.%d.%d.%d" % (rnd.randrange(1, 224), rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))


def u():
    return rnd.choice(USERS)


def port():
    return rnd.randrange(1024, 65536)


# (weight, program, message maker)
SHAPES = [
    (30, "sshd", lambda: "Failed password for %s from %s port %d ssh2" % (u(), ip(), port())),
    (15, "sshd", lambda: "Failed password for invalid user %s from %s port %d ssh2" % (u(), ip(), port())),
    (15, "sshd", lambda: "Invalid user %s from %s port %d" % (u(), ip(), port())),
    (12, "sshd", lambda: "Disconnected from invalid user %s %s port %d [preauth]" % (u(), ip(), port())),
    (10, "sshd", lambda: "Connection closed by authenticating user %s %s port %d [preauth]" % (u(), ip(), port())),
    (10, "sshd", lambda: "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (ip(), port())),
    (8, "sshd", lambda: "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
                        "rhost=%s  user=%s" % (ip(), u())),
    (3, "sshd", lambda: "Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:%032x"
                        % (u(), ip(), port(), rnd.getrandbits(128))),
    (2, "sshd", lambda: "Accepted password for %s from %s port %d ssh2" % (u(), ip(), port())),
    (3, "sshd", lambda: "Connection closed by %s port %d [preauth]" % (ip(), port())),
    (2, "sshd", lambda: "Did not receive identification string from %s port %d" % (ip(), port())),
    (2, "sshd", lambda: "Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: "
                        "diffie-hellman-group1-sha1 [preauth]" % (ip(), port())),
    (2, "sshd", lambda: "error: maximum authentication attempts exceeded for %s from %s port %d ssh2 [preauth]"
                        % (u(), ip(), port())),
    (1, "sshd", lambda: "User %s from %s not allowed because not listed in AllowUsers" % (u(), ip())),
    (1, "sshd", lambda: "Bad protocol version identification 'GET / HTTP/1.1' from %s port %d" % (ip(), port())),
    (1, "sshd", lambda: "Connection reset by %s port %d [preauth]" % (ip(), port())),
    (1, "sshd", lambda: "Disconnecting invalid user %s %s port %d: Too many authentication failures [preauth]"
                        % (u(), ip(), port())),
    (1, "sshd", lambda: "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root"
                        % ip()),
    (1, "sshd", lambda: "Address %s maps to host-%d.example.net, but this does not map back to the address - "
                        "POSSIBLE BREAK-IN ATTEMPT!" % (ip(), rnd.randrange(999))),
    (1, "sshd(pam_unix)", lambda: "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=%s  "
                                  "user=%s" % (ip(), u())),
    # lines no decoder reads
    (4, "sshd", lambda: "pam_unix(sshd:session): session opened for user %s(uid=1000) by (uid=0)" % u()),
    (4, "sshd", lambda: "pam_unix(sshd:session): session closed for user %s" % u()),
    (1, "sshd", lambda: "Server listening on 0.0.0.0 port 22."),
    (1, "sshd", lambda: "error: kex_exchange_identification: Connection closed by remote host"),
    (1, "sshd", lambda: "fatal: Timeout before authentication for %s port %d" % (ip(), port())),
    # other programs
    (2, "sudo", lambda: "%s : TTY=pts/0 ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/apt update" % (u(), u())),
    (1, "sudo", lambda: "pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=1000)" % u()),
    (1, "sudo", lambda: "%s : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh"
                        % u()),
    (1, "su", lambda: "(to root) %s on pts/0" % u()),
    (1, "su", lambda: "pam_unix(su:auth): authentication failure; logname=%s uid=1000 euid=0 tty=/dev/pts/0 "
                      "ruser=%s rhost=  user=root" % (u(), u())),
    (1, "su", lambda: "pam_unix(su:session): session opened for user root(uid=0) by %s(uid=1000)" % u()),
    (2, "systemd-logind", lambda: "New session %d of user %s." % (rnd.randrange(9999), u())),
    (2, "systemd-logind", lambda: "Removed session %d." % rnd.randrange(9999)),
    (1, "systemd-logind", lambda: "Session %d logged out. Waiting for processes to exit." % rnd.randrange(9999)),
    (1, "login", lambda: "FAILED LOGIN (1) on '/dev/tty1' FOR '%s', Authentication failure" % u()),
    (1, "vsftpd", lambda: "[%s] FAIL LOGIN: Client \"%s\"" % (u(), ip())),
    (1, "dovecot", lambda: "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<%s>, method=PLAIN, "
                           "rip=%s, lip=198.51.100.1, TLS, session=<x%d>" % (u(), ip(), rnd.randrange(99999))),
    (1, "postfix/smtpd", lambda: "warning: unknown[%s]: SASL LOGIN authentication failed: UGFzc3dvcmQ6" % ip()),
    (2, "CRON", lambda: "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"),
    (2, "CRON", lambda: "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"),
    (2, "systemd", lambda: "Started Session %d of User %s." % (rnd.randrange(9999), u())),
    (1, "kernel", lambda: "[UFW BLOCK] IN=eth0 OUT= SRC=%s DST=10.0.0.1 PROTO=TCP DPT=23" % ip()),
]
total = sum(w for w, _, _ in SHAPES)
for i in range(n):
    r = rnd.randrange(total)
    for w, prog, make in SHAPES:
        if r < w:
            break
        r -= w
    print("Dec %2d %02d:%02d:%02d srv %s[%d]: %s" % (1 + i * 30 // n, rnd.randrange(24), rnd.randrange(60),
                                                   rnd.randrange(60), prog, rnd.randrange(100, 99999), make()))
