"""Malformed-input storm against a running DNS server (python3 stdlib): at
least 10,000 malformed datagrams (random bytes, truncated headers, counts
that lie, compression-pointer loops, oversized labels, bad OPT records, stray
responses) and garbage TCP streams, then checks that the server still answers
correctly and that its counters (CHAOS TXT stats.server.) account for every
datagram. Prints PASS/FAIL lines named $DNS_TEST_LABEL/... (default
dns-robustness). Usage: robustness.py ADDR:PORT [COUNT] [SEED]"""

import os
import random
import socket
import struct
import sys
import time

from dnslib import Message, build_query, opt_record, run_main, stats, tcp_exchange, udp_exchange

BATCH = 50  # datagrams between two synchronising stats queries
LABEL = os.environ.get("DNS_TEST_LABEL") or "dns-robustness"


def valid(rng, name="www.example.test"):
    return build_query(name, "A", qid=rng.randrange(65536))


def header(rng, qd=1, an=0, ns=0, ar=0, flags=0):
    return struct.pack("!HHHHHH", rng.randrange(65536), flags, qd, an, ns, ar)


# Each generator returns one datagram that is malformed by construction
# (the server must drop it or answer FORMERR), except random_bytes, which
# is only very likely malformed.
def truncated_header(rng):
    return valid(rng)[:rng.randrange(12)]


def stray_response(rng):
    m = bytearray(valid(rng))
    m[2] |= 0x80  # QR: a response, never to be answered
    return bytes(m) + bytes(rng.randrange(256) for _ in range(rng.randrange(40)))


def lying_counts(rng):
    q = valid(rng)
    qd, an, ns, ar = rng.choice([(0, 0, 0, 0), (2, 0, 0, 0), (65535, 0, 0, 0), (1, 1, 0, 0),
                                 (1, 0, 3, 0), (1, 0, 0, 1), (1, 0, 0, 9), (1, 65535, 0, 0)])
    return header(rng, qd, an, ns, ar) + q[12:]


def pointer_loop(rng):
    """A question name that is, or leads into, a compression loop."""
    kind = rng.randrange(5)
    if kind == 0:
        name = b"\xc0\x0c"  # points at itself
    elif kind == 1:
        name = b"\x01a\xc0\x0c"  # a label, then back to its own start
    elif kind == 2:
        name = b"\xc0\x0e\x01b\xc0\x0c"  # forwards, then back again
    elif kind == 3:
        name = b"\xc0" + bytes([rng.randrange(12)])  # into the header
    else:
        name = bytes([0xC0 | rng.randrange(64), rng.randrange(256)])  # anywhere
        if (name[0] & 0x3F) == 0 and name[1] < 12:
            name = b"\xc0\x0c"
    return header(rng) + name + b"\x00\x01\x00\x01"


def oversized_label(rng):
    kind = rng.randrange(3)
    if kind == 0:  # a length byte of 64..191: the reserved label types 0x40/0x80
        n = rng.randrange(64, 192)
        name = bytes([n]) + b"x" * min(n, 200) + b"\x00"
    elif kind == 1:  # a name longer than 255 octets
        name = (b"\x3f" + b"y" * 63) * rng.randrange(5, 9) + b"\x00"
    else:  # a label running past the end of the message
        return header(rng) + bytes([63]) + b"z" * rng.randrange(62)
    return header(rng) + name + b"\x00\x01\x00\x01"


def truncated_question(rng):
    q = valid(rng)
    return q[:rng.randrange(13, len(q))]


def bad_opt(rng):
    q = valid(rng)
    kind = rng.randrange(4)
    if kind == 0:  # two OPT records
        return q[:10] + b"\x00\x02" + q[12:] + opt_record() + opt_record()
    if kind == 1:  # an OPT owned by a non-root name
        return q[:10] + b"\x00\x01" + q[12:] + b"\x01a" + opt_record()
    if kind == 2:  # an option longer than the RDATA holding it
        return q[:10] + b"\x00\x01" + q[12:] + opt_record(opts=b"\x00\x0a\x00\x20abc")
    return q[:10] + b"\x00\x01" + q[12:] + opt_record()[:rng.randrange(1, 11)]


def random_bytes(rng):
    return bytes(rng.randrange(256) for _ in range(rng.randrange(600)))


CRAFTED = [truncated_header, stray_response, lying_counts, pointer_loop, oversized_label,
           truncated_question, bad_opt]


def result(name, ok, detail):
    print("%s %s/%s%s" % ("PASS" if ok else "FAIL", LABEL, name,
                                       (": " if not ok else " (") + detail + ("" if not ok else ")")))
    return ok


def answer_ok(raw):
    if raw is None:
        return "no answer"
    m = Message(raw)
    want = ["www.example.test. 3600 IN A 192.0.2.80", "www.example.test. 3600 IN A 192.0.2.81"]
    if m.rcode != 0 or "aa" not in m.flag_names().split() or sorted(m.answer) != want:
        return "wrong answer: rcode %d flags %s answer %s" % (m.rcode, m.flag_names(), m.answer)
    return None


def udp_storm(addr, port, count, rng):
    before = stats(addr, port)
    if before is None:
        return result("udp-storm", False, "no counters before the storm")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    crafted = sent = syncs = 0
    start = time.time()
    while sent < count:
        for _ in range(min(BATCH, count - sent)):
            if rng.random() < 0.2:
                msg = random_bytes(rng)
            else:
                msg = rng.choice(CRAFTED)(rng)
                crafted += 1
            sock.sendto(msg, (addr, port))
            sent += 1
        # The server reads its socket in order: once this answer is back,
        # every datagram before it has been processed.
        if stats(addr, port) is None:
            return result("udp-storm", False, "server stopped answering after %d datagrams" % sent)
        syncs += 1
        try:
            while sock.recv(65535):
                pass  # FORMERR answers; not looked at
        except BlockingIOError:
            pass
    sock.close()
    after = stats(addr, port)
    syncs += 1
    d = {k: after[k] - before[k] for k in after if k in before}
    elapsed = time.time() - start
    ok = result("udp-storm-all-processed", d["udp"] == sent + syncs,
                "%d malformed datagrams in %.1f s; server saw %d datagrams, expected %d"
                % (sent, elapsed, d["udp"], sent + syncs))
    # Every datagram is counted once: malformed (dropped or FORMERR),
    # NOTIMP (a random header with an opcode), or a parsed query.
    accounted = d["malformed"] + d["notimp"] + d["queries"] - syncs
    ok &= result("udp-storm-counted", accounted == sent and d["malformed"] >= crafted,
                 "malformed +%d (>= %d crafted), notimp +%d, parsed +%d of %d sent"
                 % (d["malformed"], crafted, d["notimp"], d["queries"] - syncs, sent))
    return ok


def tcp_garbage(addr, port, rng):
    before = stats(addr, port)
    streams = [
        bytes(rng.randrange(256) for _ in range(5000)),             # random bytes
        b"\xff\xff" + bytes(rng.randrange(256) for _ in range(300)),  # a length no query has
        b"\x00\x05hello",                                            # shorter than a header
        b"\x00\x00",                                                 # an empty message
        struct.pack("!H", 40) + bytes(40),                           # zeros: QDCOUNT 0
        struct.pack("!H", 200) + b"partial",                         # stops half way
    ]
    for s in streams:
        try:
            with socket.create_connection((addr, port), timeout=2) as c:
                c.sendall(s)
                c.shutdown(socket.SHUT_WR)
                c.settimeout(2)
                while c.recv(4096):
                    pass
        except OSError:
            pass  # the server closing on us is fine
    after = stats(addr, port)
    if after is None:
        return result("tcp-garbage", False, "server stopped answering")
    return result("tcp-garbage", after["malformed"] - before["malformed"] >= 4,
                  "%d streams; malformed +%d" % (len(streams), after["malformed"] - before["malformed"]))


def tcp_pipelined(addr, port, rng):
    """Ten queries in one write; ten answers back, in order (RFC 7766 section 6.2.1.1)."""
    ids = [rng.randrange(65536) for _ in range(10)]
    data = b"".join(struct.pack("!H", len(m)) + m
                    for m in (build_query("www.example.test", "A", qid=i) for i in ids))
    got = []
    with socket.create_connection((addr, port), timeout=3) as c:
        c.sendall(data)
        buf = b""
        while len(got) < 10:
            chunk = c.recv(65535)
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                n = struct.unpack("!H", buf[:2])[0]
                got.append(buf[2:2 + n])
                buf = buf[2 + n:]
    bad = [answer_ok(m) for m in got if answer_ok(m)]
    return result("tcp-pipelined", [Message(m).id for m in got] == ids and not bad,
                  "%d of 10 answers, in order" % len(got) if not bad else bad[0])


def tcp_many_clients(addr, port):
    """More idle connections than the server keeps (64): a new client is
    still served, the idlest connection making room (RFC 7766 section 6.2.3)."""
    idle = []
    try:
        for _ in range(100):
            idle.append(socket.create_connection((addr, port), timeout=2))
            time.sleep(0.002)  # lets the server accept them one by one
        why = answer_ok(tcp_exchange(addr, port, build_query("www.example.test", "A")))
    finally:
        for c in idle:
            c.close()
    return result("tcp-many-clients", why is None, why or "100 idle connections, then answered")


def main():
    addr, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int(time.time())
    rng = random.Random(seed)
    print("%s: seed %d" % (LABEL, seed), file=sys.stderr)
    why = answer_ok(udp_exchange(addr, port, valid(rng)))
    ok = result("answers-before", why is None, why or "www.example.test A")
    ok &= udp_storm(addr, port, count, rng)
    ok &= tcp_garbage(addr, port, rng)
    ok &= tcp_pipelined(addr, port, rng)
    ok &= tcp_many_clients(addr, port)
    why = answer_ok(udp_exchange(addr, port, valid(rng)))
    ok &= result("still-answers-udp", why is None, why or "www.example.test A after the storm")
    why = answer_ok(tcp_exchange(addr, port, valid(rng)))
    ok &= result("still-answers-tcp", why is None, why or "the same over TCP")
    return 0 if ok else 1


if __name__ == "__main__":
    run_main(main, LABEL)
