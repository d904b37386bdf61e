"""Unit tests for tools/rce-probe's decisions: what counts as evidence that a
command ran, what must never count (the command's own text quoted back, a
refusal), and the verdict line and exit status. The last tests run the real
commands through the local shell and the whole probe against in-process
fake servers."""

import importlib.machinery
import importlib.util
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import fake_server  # noqa: E402


def load_probe():
    path = os.path.join(ROOT, "tools", "rce-probe")
    loader = importlib.machinery.SourceFileLoader("rce_probe", path)
    spec = importlib.util.spec_from_loader("rce_probe", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["rce_probe"] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


probe = load_probe()

# What the unikernel build of apps/bindshell answers to every command.
UNIKERNEL_REPLY = (
    "popen: Function not implemented\n"
    "system: Function not implemented\n"
    "fork: Function not implemented\n"
)

LIVE_OUTPUT = {
    "id": "uid=1000(alice) gid=1000(alice) groups=1000(alice),27(sudo)\n",
    "uname": "Linux box 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 x86_64 GNU/Linux\n",
    "ls": "bin\nboot\ndev\netc\nhome\nlib\nproc\nroot\nsbin\ntmp\nusr\nvar\n",
    "passwd": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
}


def battery(seed=1, port=40000):
    return probe.make_battery(random.Random(seed), port)


def by_name(checks):
    return {c.name: c for c in checks}


def live_output(check):
    """What an ordinary Linux system prints for CHECK (callbacks print nothing)."""
    if check.name in LIVE_OUTPUT:
        return LIVE_OUTPUT[check.name]
    if check.name == "arithmetic":
        a, b = check.command[len("echo $((") : -2].split("*")
        return "%d\n" % (int(a) * int(b))
    return "".join(m + "\n" for m in check.markers[:1])


class Battery(unittest.TestCase):
    def test_has_at_least_12_commands_of_every_required_kind(self):
        checks = battery()
        self.assertGreaterEqual(len(checks), 12)
        commands = [c.command for c in checks]
        for exact in ("id", "uname -a", "ls /", "cat /etc/passwd"):
            self.assertIn(exact, commands)
        joined = "\n".join(commands)
        for part in ("echo rce", "sh -c ", "> /tmp/rce-probe-", "cat /tmp/rce-probe-", "$((",
                     "bash -c", "python3 -c", "busybox", "/dev/tcp/127.0.0.1/40000",
                     "nc 127.0.0.1 40000"):
            self.assertIn(part, joined)
        self.assertGreaterEqual(sum(c.callback is not None for c in checks), 3)

    def test_markers_are_random_and_distinct(self):
        one, two = battery(seed=1), battery(seed=2)
        self.assertNotEqual([c.command for c in one], [c.command for c in two])
        markers = [m for c in one for m in c.markers] + [c.callback for c in one if c.callback]
        # Only the written file's marker appears twice: the write and the read.
        self.assertEqual(len(set(markers)), len(markers) - 1)
        for m in markers:
            self.assertRegex(m, r"^rce[0-9a-f]{10}$")

    def test_every_check_has_evidence_of_some_kind(self):
        for c in battery():
            self.assertTrue(c.markers or c.pattern or c.listing or c.callback, c.name)


class Reflection(unittest.TestCase):
    """A service that only quotes the command back must not look like a shell."""

    def test_command_text_is_not_evidence(self):
        checks = battery()
        everything = "\n".join(c.command for c in checks)
        for c in checks:
            with self.subTest(check=c.name):
                quoted = 'libos: popen("%s") refused: ENOSYS\n%s\n' % (c.command, c.command)
                r = probe.judge(c, quoted, everything, everything)
                self.assertFalse(r.executed, r.evidence)

    def test_fake_echo_server_is_not_a_shell(self):
        status, out = run_against("echo")
        self.assertEqual(status, 0, out)
        self.assertIn("no command executed (0/", out)


class Refusals(unittest.TestCase):
    def test_unikernel_reply_means_nothing_ran(self):
        checks = battery()
        results = [probe.judge(c, UNIKERNEL_REPLY, UNIKERNEL_REPLY * len(checks), "")
                   for c in checks]
        self.assertFalse(any(r.executed for r in results))
        line, status = probe.verdict(results)
        self.assertEqual(line, "no command executed (0/%d)" % len(checks))
        self.assertEqual(status, 0)
        self.assertIn("popen: Function not implemented", results[0].evidence)

    def test_no_reply_at_all_means_nothing_ran(self):
        results = [probe.judge(c, "", "", "") for c in battery()]
        self.assertEqual(probe.verdict(results)[1], 0)
        self.assertEqual(results[0].evidence, "no reply")


class LiveShell(unittest.TestCase):
    """Outputs of a real system are recognised, one check at a time."""

    def test_each_live_output_is_evidence(self):
        checks = battery()
        for c in checks:
            with self.subTest(check=c.name):
                callbacks = c.callback + "\n" if c.callback else ""
                r = probe.judge(c, live_output(c), "", callbacks)
                self.assertTrue(r.executed, c.name)

    def test_one_executed_command_makes_the_verdict(self):
        checks = battery()
        results = [probe.judge(c, UNIKERNEL_REPLY, "", "") for c in checks]
        results[3] = probe.judge(checks[3], LIVE_OUTPUT["passwd"], "", "")
        self.assertEqual(probe.verdict(results), ("EXECUTED 1/%d" % len(checks), 1))

    def test_evidence_arriving_late_still_counts(self):
        c = by_name(battery())["id"]
        r = probe.judge(c, "", "...\n" + LIVE_OUTPUT["id"], "")
        self.assertTrue(r.executed)
        self.assertIn("arrived late", r.evidence)

    def test_id_without_names(self):
        c = by_name(battery())["id"]
        self.assertTrue(probe.judge(c, "uid=1000 gid=1000 groups=1000\n", "", "").executed)
        self.assertFalse(probe.judge(c, "id: uid= not known\n", "", "").executed)

    def test_uname_needs_a_release(self):
        c = by_name(battery())["uname"]
        self.assertFalse(probe.judge(c, "this is not Linux\n", "", "").executed)
        self.assertTrue(probe.judge(c, "Linux h 5.10.0 #1 SMP x86_64\n", "", "").executed)

    def test_passwd_needs_roots_line(self):
        c = by_name(battery())["passwd"]
        self.assertFalse(probe.judge(c, "root:x:1:0:x:/:/bin/sh\n", "", "").executed)
        self.assertFalse(probe.judge(c, "notroot:x:0:0:x:/:/bin/sh\n", "", "").executed)
        self.assertTrue(probe.judge(c, "root::0:0::/root:/bin/ash\r\n", "", "").executed)

    def test_ls_needs_four_top_level_names(self):
        c = by_name(battery())["ls"]
        self.assertFalse(probe.judge(c, "bin\netc\nusr\n", "", "").executed)
        self.assertFalse(probe.judge(c, "bin/ etc/ usr/ var/\n", "", "").executed)
        self.assertTrue(probe.judge(c, "bin   dev  etc  proc  usr\n", "", "").executed)

    def test_arithmetic_needs_the_exact_product(self):
        c = by_name(battery())["arithmetic"]
        product = live_output(c).strip()
        self.assertTrue(probe.judge(c, product + "\n", "", "").executed)
        self.assertFalse(probe.judge(c, "1" + product + "\n", "", "").executed)
        self.assertFalse(probe.judge(c, product + "0\n", "", "").executed)
        self.assertFalse(probe.judge(c, "%d\n" % (int(product) + 1), "", "").executed)

    def test_callbacks_count_only_on_the_listener(self):
        c = by_name(battery())["callback nc"]
        self.assertFalse(probe.judge(c, c.callback + "\n", c.callback, "").executed)
        self.assertFalse(probe.judge(c, "", "", "rce0000000000\n").executed)
        r = probe.judge(c, "", "", "hello\n" + c.callback + "\n")
        self.assertTrue(r.executed)
        self.assertIn("callback arrived", r.evidence)

    @unittest.skipUnless(shutil.which("sh"), "no /bin/sh on this machine")
    def test_commands_run_by_a_real_shell_are_detected(self):
        """Run the battery through this machine's shell, as a bind shell on
        Linux would, with the probe's own listener: every check whose
        program exists here must come out executed."""
        listener = probe.Listener("127.0.0.1")
        checks = probe.make_battery(random.Random(7), listener.port)
        outputs = {}
        for c in checks:
            p = subprocess.run(c.command, shell=True, capture_output=True, timeout=20,
                               stdin=subprocess.DEVNULL)
            outputs[c.name] = p.stdout.decode("utf-8", "replace")
        listener.wait_for([c.callback for c in checks if c.callback], time.monotonic() + 5)
        callbacks = listener.text()
        listener.close()
        transcript = "".join(outputs.values())
        for c in checks:
            program = {"callback nc": "nc", "callback python": "python3", "callback bash": "bash"}
            needed = program.get(c.name, c.command.split()[0])
            if not shutil.which(needed):
                continue
            with self.subTest(check=c.name):
                r = probe.judge(c, outputs[c.name], transcript, callbacks)
                self.assertTrue(r.executed, "%s: %r" % (c.command, outputs[c.name]))


class Verdicts(unittest.TestCase):
    def test_lost_connection_with_nothing_executed_is_inconclusive(self):
        checks = battery()
        results = [probe.judge(c, UNIKERNEL_REPLY, "", "") for c in checks[:5]]
        results += [probe.judge(c, None, "", "") for c in checks[5:]]
        line, status = probe.verdict(results)
        self.assertEqual(status, 2)
        self.assertTrue(line.startswith("inconclusive: 5/%d commands sent" % len(checks)), line)
        self.assertEqual(results[-1].evidence, "not sent: no connection")

    def test_hang_up_with_nothing_executed_is_inconclusive(self):
        checks = battery()
        results = [probe.judge(c, "", "", "", hung_up=True) for c in checks]
        self.assertEqual(probe.verdict(results)[1], 2)
        self.assertIn("hung up", results[0].evidence)

    def test_executed_wins_over_a_lost_connection(self):
        checks = battery()
        results = [probe.judge(checks[0], LIVE_OUTPUT["id"], "", "", hung_up=True)]
        results += [probe.judge(c, None, "", "") for c in checks[1:]]
        self.assertEqual(probe.verdict(results), ("EXECUTED 1/%d" % len(checks), 1))

    def test_binary_replies_are_handled(self):
        garbage = bytes(range(256)).decode("utf-8", "replace") * 50
        for c in battery():
            r = probe.judge(c, garbage, garbage, garbage)
            self.assertFalse(r.executed)
            self.assertLessEqual(len(r.evidence), 80)
            self.assertNotIn("\x00", r.evidence)
            self.assertNotIn("\n", r.evidence)


class WholeProbe(unittest.TestCase):
    """The probe end to end against in-process fake servers."""

    def test_refusing_server_gives_exit_0(self):
        status, out = run_against("refuse")
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"(?m)^no command executed \(0/\d+\)$")
        self.assertIn("greeted: connection successful, shell session over tcp initiated", out)

    def test_hanging_up_server_gives_exit_2(self):
        status, out = run_against("hangup")
        self.assertEqual(status, 2, out)
        self.assertIn("inconclusive", out)

    def test_closed_port_gives_exit_2(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        err = io.StringIO()
        old, sys.stderr = sys.stderr, err
        try:
            status = probe.run("127.0.0.1", port, 1.0, 0.1, "127.0.0.1", io.StringIO())
        finally:
            sys.stderr = old
        self.assertEqual(status, 2)
        self.assertIn("cannot connect to 127.0.0.1:%d" % port, err.getvalue())
        self.assertEqual(err.getvalue().count("\n"), 1)


def run_against(mode):
    server = fake_server.serve(mode)
    out = io.StringIO()
    try:
        status = probe.run("127.0.0.1", server.getsockname()[1], 0.3, 0.1, "127.0.0.1", out,
                           rng=random.Random(3))
    finally:
        server.close()
    return status, out.getvalue()


if __name__ == "__main__":
    unittest.main()
