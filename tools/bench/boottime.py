#!/usr/bin/env python3
"""Times one boot: how long from launching a command (QEMU) until a marker
appears on its stdout, and until the process exits. Used by
tools/bench-boot.sh.

Usage: boottime.py --marker TEXT [--line] [--timeout SEC] -- COMMAND [ARG...]

With --line the marker counts once the line holding it has ended (a "\n"
after it; a serial console sends "\r\n").

Prints one line on stdout:
  ok GREET_S EXIT_S RC       the marker was seen; RC is the exit status
  nomarker - EXIT_S RC       the command exited without printing the marker
  ok GREET_S - -             the same, with --stop (the command was killed)
  timeout - - -              killed after SEC seconds
  noexec - - -               the command could not be started
Times are seconds from just before the launch (time.monotonic()). The
command's stdin is /dev/null; its stderr is passed through. Exits 0 when it
printed a result line, 2 on a usage error.
"""
import argparse
import os
import selectors
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(
        description="Time a command to a stdout marker and to its exit.")
    parser.add_argument("--marker", required=True,
                        help="text to wait for on the command's stdout "
                             "(backslash escapes such as \\n are decoded)")
    parser.add_argument("--line", action="store_true",
                        help="wait for the end of the line holding the marker")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="kill the command after this many seconds")
    parser.add_argument("--stop", action="store_true",
                        help="kill the command once the marker is seen "
                             "(for guests that never exit); EXIT_S and RC "
                             "are then '-'")
    parser.add_argument("--echo", action="store_true",
                        help="copy the command's stdout to our stderr")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    marker = args.marker.encode().decode("unicode_escape").encode("latin-1")

    seen = b""
    t_marker = None
    start = time.monotonic()
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, bufsize=0)
    except OSError as err:
        print(f"boottime: cannot start {command[0]}: {err}", file=sys.stderr)
        print("noexec - - -")
        return 0
    deadline = start + args.timeout
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        if not sel.select(left):
            continue
        chunk = os.read(fd, 65536)
        now = time.monotonic()
        if not chunk:
            break                       # EOF: QEMU closed its stdout
        if args.echo:
            sys.stderr.buffer.write(chunk)
            sys.stderr.flush()
        if t_marker is None:
            seen += chunk
            at = seen.find(marker)
            if at >= 0 and (not args.line
                            or b"\n" in seen[at + len(marker):]):
                t_marker = now
                if args.stop:
                    break
            elif at < 0:
                # Keep only what a marker split across reads could need.
                seen = seen[-len(marker):]
    sel.close()
    if t_marker is not None and args.stop:
        proc.kill()
        proc.wait()
        print(f"ok {t_marker - start:.6f} - -")
        return 0
    if timed_out:
        proc.kill()
        proc.wait()
        print("timeout - - -")
        return 0
    try:
        rc = proc.wait(timeout=max(deadline - time.monotonic(), 0.001))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print("timeout - - -")
        return 0
    t_exit = time.monotonic()
    proc.stdout.close()
    if t_marker is None:
        print(f"nomarker - {t_exit - start:.6f} {rc}")
    else:
        print(f"ok {t_marker - start:.6f} {t_exit - start:.6f} {rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
