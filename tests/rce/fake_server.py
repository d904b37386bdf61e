#!/usr/bin/env python3
"""Stand-ins for a bind shell that runs nothing, for testing tools/rce-probe:

  refuse  greets like apps/bindshell and answers every line as the
          unikernel build does: "popen: Function not implemented"
  echo    answers every line by quoting it back inside a refusal, so a
          probe that mistook the command's own text for output would say
          EXECUTED
  silent  greets, then never answers
  hangup  greets, then closes the connection at the first line

Run as a program it prints "listening on tcp port N" and serves until killed.
"""

import socket
import sys
import threading

GREETING = b"connection successful, shell session over tcp initiated\n"
REFUSAL = b"popen: Function not implemented\n"
MODES = ("refuse", "echo", "silent", "hangup")


def reply(mode: str, line: bytes):
    """What the server sends back for LINE, or None to hang up."""
    if mode == "refuse":
        return REFUSAL
    if mode == "echo":
        return b'libos: popen("' + line + b'") refused: ENOSYS\n' + line + b"\n" + REFUSAL
    if mode == "silent":
        return b""
    return None


def handle(conn: socket.socket, mode: str) -> None:
    with conn:
        try:
            conn.sendall(GREETING)
            buf = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    answer = reply(mode, line)
                    if answer is None:
                        return
                    conn.sendall(answer)
        except OSError:
            return


def serve(mode: str, port: int = 0):
    """Start serving in background threads; returns the listening socket."""
    if mode not in MODES:
        raise ValueError("unknown mode " + mode)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(16)

    def accept_loop():
        while True:
            try:
                conn, _ = ls.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn, mode), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return ls


def main() -> int:
    if len(sys.argv) not in (2, 3) or sys.argv[1] not in MODES:
        print("usage: fake_server.py %s [PORT]" % "|".join(MODES), file=sys.stderr)
        return 2
    ls = serve(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 0)
    print("listening on tcp port %d" % ls.getsockname()[1], flush=True)
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
