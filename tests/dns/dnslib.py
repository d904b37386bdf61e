"""A small DNS client for the DNS tests (python3 stdlib only): builds queries,
parses responses independently of the server's own C codec, and talks UDP
and TCP to a server."""

import socket
import struct
import sys
import traceback

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "HINFO": 13, "MX": 15,
    "TXT": 16, "AAAA": 28, "SRV": 33, "OPT": 41, "DS": 43, "IXFR": 251,
    "AXFR": 252, "ANY": 255, "CAA": 257,
}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
CLASSES = {"IN": 1, "CH": 3, "HS": 4, "NONE": 254, "ANY": 255}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
          5: "REFUSED", 9: "NOTAUTH", 16: "BADVERS"}


class ParseError(Exception):
    pass


def encode_name(name):
    """Presentation name ("www.example.test.") to uncompressed wire format;
    a backslash escapes the next character (\\. is a dot inside a label)."""
    labels, cur, i = [], b"", 0
    while i < len(name):
        c = name[i]
        if c == "\\":
            i += 1
            cur += name[i].encode()
        elif c == ".":
            labels.append(cur)
            cur = b""
        else:
            cur += c.encode()
        i += 1
    if cur:
        labels.append(cur)
    out = b"".join(bytes([len(l)]) + l for l in labels if l != b"")
    return out + b"\0"


def build_query(qname, qtype="A", qclass="IN", qid=0x1234, rd=False, cd=False,
                ad=False, opcode=0, edns=None):
    """edns: None (no OPT) or dict(size=1232, version=0, do=False, opts=b"")."""
    flags = (opcode & 15) << 11
    if rd:
        flags |= 0x0100
    if ad:
        flags |= 0x0020
    if cd:
        flags |= 0x0010
    qt = TYPES[qtype] if isinstance(qtype, str) else qtype
    qc = CLASSES[qclass] if isinstance(qclass, str) else qclass
    msg = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 1 if edns is not None else 0)
    msg += encode_name(qname) + struct.pack("!HH", qt, qc)
    if edns is not None:
        msg += opt_record(**edns)
    return msg


def opt_record(size=1232, version=0, do=False, opts=b"", ext_rcode=0):
    ttl = (ext_rcode << 24) | (version << 16) | (0x8000 if do else 0)
    return b"\0" + struct.pack("!HHIH", 41, size, ttl, len(opts)) + opts


def read_name(msg, off):
    """Returns (presentation name, offset after the name). Pointers must go
    strictly backwards, so a loop cannot hang the test either."""
    labels, end, limit, jumps = [], None, off, 0
    while True:
        if off >= len(msg):
            raise ParseError("name runs past the message")
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ParseError("truncated pointer")
            ptr = ((n & 0x3F) << 8) | msg[off + 1]
            if end is None:
                end = off + 2
            if ptr >= limit or jumps > 127:
                raise ParseError("bad compression pointer")
            limit = off = ptr
            jumps += 1
            continue
        if n & 0xC0:
            raise ParseError("bad label type")
        off += 1
        if n == 0:
            break
        if off + n > len(msg):
            raise ParseError("label runs past the message")
        labels.append(msg[off:off + n])
        off += n
    text = ".".join("".join(escape_byte(b) for b in l) for l in labels) + "."
    return text, (end if end is not None else off)


def escape_byte(b):
    c = chr(b)
    if c in '.\\"();':
        return "\\" + c
    if 0x21 <= b <= 0x7E:
        return c
    return "\\%03d" % b


def char_strings(data):
    out, i = [], 0
    while i < len(data):
        n = data[i]
        if i + 1 + n > len(data):
            raise ParseError("character-string runs past RDATA")
        out.append('"' + "".join(escape_byte(b) for b in data[i + 1:i + 1 + n]) + '"')
        i += 1 + n
    return " ".join(out)


def rdata_text(msg, rtype, off, rdlen):
    """RDATA in a canonical presentation form (names fully expanded, case
    kept as sent) so two servers' answers compare as strings."""
    data = msg[off:off + rdlen]
    end = off + rdlen
    if rtype == 1 and rdlen == 4:
        return socket.inet_ntop(socket.AF_INET, data)
    if rtype == 28 and rdlen == 16:
        return socket.inet_ntop(socket.AF_INET6, data)
    if rtype in (2, 5, 12):
        name, p = read_name(msg, off)
        if p != end:
            raise ParseError("RDATA length disagrees with the name")
        return name
    if rtype == 15:
        pref = struct.unpack("!H", data[:2])[0]
        name, p = read_name(msg, off + 2)
        if p != end:
            raise ParseError("MX RDATA length disagrees")
        return "%d %s" % (pref, name)
    if rtype == 6:
        m, p = read_name(msg, off)
        r, p = read_name(msg, p)
        if p + 20 != end:
            raise ParseError("SOA RDATA length disagrees")
        return "%s %s %d %d %d %d %d" % ((m, r) + struct.unpack("!IIIII", msg[p:p + 20]))
    if rtype == 33:
        prio, weight, port = struct.unpack("!HHH", data[:6])
        name, p = read_name(msg, off + 6)
        if p != end:
            raise ParseError("SRV RDATA length disagrees")
        return "%d %d %d %s" % (prio, weight, port, name)
    if rtype in (16, 13):
        return char_strings(data)
    if rtype == 257:
        tl = data[1]
        return "%d %s %s" % (data[0], data[2:2 + tl].decode("latin-1"),
                             '"' + "".join(escape_byte(b) for b in data[2 + tl:]) + '"')
    return "\\# %d %s" % (rdlen, data.hex())


class Message:
    def __init__(self, raw):
        self.raw = raw
        if len(raw) < 12:
            raise ParseError("shorter than a header")
        (self.id, self.flags, qd, an, ns, ar) = struct.unpack("!HHHHHH", raw[:12])
        off = 12
        self.question = []
        for _ in range(qd):
            name, off = read_name(raw, off)
            if off + 4 > len(raw):
                raise ParseError("truncated question")
            qt, qc = struct.unpack("!HH", raw[off:off + 4])
            off += 4
            self.question.append((name, qt, qc))
        self.sections = []
        self.opt = None
        for count in (an, ns, ar):
            rrs = []
            for _ in range(count):
                name, off = read_name(raw, off)
                if off + 10 > len(raw):
                    raise ParseError("truncated RR header")
                rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", raw[off:off + 10])
                off += 10
                if off + rdlen > len(raw):
                    raise ParseError("RDATA runs past the message")
                if rtype == 41:
                    if self.opt is not None:
                        raise ParseError("two OPT records")
                    self.opt = dict(size=rclass, ext_rcode=ttl >> 24,
                                    version=(ttl >> 16) & 255, do=bool(ttl & 0x8000),
                                    opts=raw[off:off + rdlen], owner=name)
                else:
                    rrs.append("%s %d %s %s %s" % (
                        name, ttl, {1: "IN", 3: "CH"}.get(rclass, str(rclass)),
                        TYPE_NAMES.get(rtype, "TYPE%d" % rtype),
                        rdata_text(raw, rtype, off, rdlen)))
                off += rdlen
            self.sections.append(rrs)
        self.trailing = len(raw) - off
        self.answer, self.authority, self.additional = self.sections

    @property
    def rcode(self):
        ext = self.opt["ext_rcode"] if self.opt else 0
        return (ext << 4) | (self.flags & 15)

    def flag_names(self):
        names = [("qr", 0x8000), ("aa", 0x0400), ("tc", 0x0200), ("rd", 0x0100),
                 ("ra", 0x0080), ("z", 0x0040), ("ad", 0x0020), ("cd", 0x0010)]
        return " ".join(n for n, bit in names if self.flags & bit)

    @property
    def opcode(self):
        return (self.flags >> 11) & 15


def udp_exchange(addr, port, msg, timeout=2.0):
    """One datagram out, one back (None on timeout)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(msg, (addr, port))
        try:
            return s.recv(65535)
        except socket.timeout:
            return None


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def tcp_exchange(addr, port, msg, timeout=3.0):
    """One length-prefixed message out, one back (RFC 1035 section 4.2.2)."""
    with socket.create_connection((addr, port), timeout=timeout) as s:
        s.sendall(struct.pack("!H", len(msg)) + msg)
        try:
            hdr = recv_exact(s, 2)
            if hdr is None:
                return None
            return recv_exact(s, struct.unpack("!H", hdr)[0])
        except socket.timeout:
            return None


def stats(addr, port):
    """The server's counters from its CHAOS TXT stats.server. answer, as a
    dict of name -> int (our server only; see apps/dns/stats.c)."""
    raw = udp_exchange(addr, port, build_query("stats.server.", "TXT", "CH", qid=4242,
                                               edns=dict(size=1232)))
    if raw is None:
        return None
    m = Message(raw)
    out = {}
    for rr in m.answer:
        for item in rr.split('"')[1::2]:
            if "=" in item:
                k, v = item.split("=", 1)
                out[k] = int(v)
    return out


def run_main(main, label):
    """Exit with main()'s status. An unexpected exception means the run
    stopped early, with checks not run: it is reported as a FAIL line (and
    its traceback on stderr), never a silent end."""
    try:
        status = main()
    except Exception as e:  # noqa: BLE001 - reported, and the run fails
        traceback.print_exc()
        print("FAIL %s/run: stopped early on %s: %s" % (label, type(e).__name__, e), flush=True)
        status = 1
    sys.exit(status)
