"""tools/siem verify: checks the store's disk offline with the seal key K_0
(STATE/keys/store-seal.key): every segment header's MAC and seal, every
record's tag and place in the chain, the key state, and the tail against
the chain head the supervisor kept from the store's heartbeats. One line
per finding, the first altered, removed or reordered record first; exit
status 0 when intact, 1 when not. Python 3 standard library only.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import siem_disk as sd

MAX_LINES = 50  # findings printed; the rest are counted


class Keys:
    """K_s for any s, evolved from K_0 once and remembered."""

    def __init__(self, k0: bytes):
        self.s, self.k, self.cache = 0, k0, {}

    def __call__(self, s: int) -> bytes:
        if s in self.cache:
            return self.cache[s]
        if s < self.s:
            raise ValueError("keys are derived forward only")
        while self.s < s:
            self.cache = {self.s: self.k}  # the one before stays at hand
            self.k = sd.evolve(self.k)
            self.s += 1
        self.cache[s] = self.k
        return self.k


def missing(first: int, last: int, why: str = "removed") -> str:
    return ("record %d" % first if first == last else "records %d..%d" % (first, last)) + ": missing (%s)" % why


def verify(disk: bytes, k0: bytes, head=None):
    """(findings, summary): findings is a list of lines, empty when the disk
    is intact; head is {"seq": N, "tag": HEX} or None."""
    out = []
    try:
        sb = sd.superblock(disk)
    except ValueError as e:
        return ["superblock: %s" % e], ""
    n = sb.segment_count
    live = sorted((h for h in (sd.seg_header(disk, sb, s) for s in range(n)) if h), key=lambda h: h.segseq)
    keys = Keys(k0)
    newest = live[-1].segseq if live else 0
    expect_first = newest - n + 1 if newest > n else 1
    present = {h.segseq for h in live}
    if len(present) != len(live):
        out.append("segments: a segment number appears twice (a segment copied)")
    for s in range(expect_first, newest + 1):
        if s not in present:
            out.append("segment %d: missing (its header is gone: the records in it were removed)" % s)
    for h in live:
        if h.seg != (h.segseq - 1) % n:
            out.append("segment %d: at position %d, not %d (segments moved)" % (h.segseq, h.seg, (h.segseq - 1) % n))

    exp = prev = None
    last_seq, count, torn, head_tag_seen = 0, 0, None, None
    hseq = int(head["seq"]) if head else None
    for h in live:
        if h.segseq < expect_first:
            continue
        # Where the chain stands first (it names records), then the seal
        # of the segment before and this header's MAC.
        if exp is not None and h.start_seq != exp:
            if h.start_seq > exp:
                out.append(missing(exp, h.start_seq - 1, "cut from the end of segment %d" % (h.segseq - 1)))
            else:
                out.append("segment %d: starts at record %d, which came before (reordered or copied)" % (
                    h.segseq, h.start_seq))
        elif exp is not None and h.prev_tag != prev:
            out.append("record %d: missing (removed), or record %d altered: segment %d chains to another "
                       "record" % (exp, exp - 1, h.segseq))
        if h.segseq > 1 and sd.seal(keys(h.segseq - 1), h.segseq - 1, h.start_seq - 1, h.prev_tag) != h.seal:
            out.append("segment %d: its seal does not match: it ends elsewhere than at record %d, or was "
                       "rewritten" % (h.segseq - 1, h.start_seq - 1))
        k = keys(h.segseq)
        if sd.header_mac(k, h.raw) != h.mac:
            out.append("segment %d: header altered (its MAC does not match)" % h.segseq)
        if h.segseq == 1 and (h.start_seq != 1 or h.prev_tag != sd.ZERO_TAG):
            out.append("segment 1: does not start the chain at record 1")
        exp, prev = h.start_seq, h.prev_tag
        is_newest = h.segseq == newest
        for r in sd.records(disk, sb, h):
            # A record after a gap or out of place is not checked against
            # its predecessor: the finding is the gap or the move.
            if r.seq > exp:
                out.append(missing(exp, r.seq - 1))
            elif r.seq < exp:
                out.append("record %d: out of order (found where record %d belongs)" % (r.seq, exp))
            elif sd.record_tag(k, r.hdr, prev, r.payload) != r.tag:
                if is_newest and not r.crc_ok() and (hseq is None or r.seq > hseq):
                    torn = r.seq  # an interrupted commit: the store cuts it at its next boot
                    break
                out.append("record %d: altered (its tag does not match; segment %d, disk byte %d)" % (
                    r.seq, h.segseq, r.offset))
            if hseq is not None and r.seq == hseq:
                head_tag_seen = r.tag
            prev, exp = r.tag, r.seq + 1
            last_seq, count = r.seq, count + 1

    if head and hseq:
        if last_seq < hseq:
            out.append("tail: " + missing(last_seq + 1, hseq, "cut from the end; the store had reported record %d "
                                          "as its head" % hseq))
        elif head_tag_seen is not None and head_tag_seen.hex() != head.get("tag"):
            out.append("record %d: not the record the store reported as its head (rewritten)" % hseq)

    slots = sd.key_state(disk, sb)
    if not slots:
        out.append("key state: none on the disk (sectors 1-2 wiped or damaged)")
    else:
        _, kseg, kkey = max(slots, key=lambda x: x[1])
        if live and not newest - n <= kseg <= newest:
            out.append("key state: for segment %d, the newest segment is %d" % (kseg, newest))
        elif kseg >= keys.s and keys(kseg) != kkey:
            out.append("key state: does not derive from this seal key (another key, or altered)")
    sealed = max(0, len(live) - 1)
    summary = "intact: %d records%s in %d segments (%d sealed)%s%s" % (
        count, " (%d..%d)" % (last_seq - count + 1, last_seq) if count else "", len(live), sealed,
        "; head %d matches the store's" % hseq if head and hseq else "; no head kept to compare the tail with",
        "; record %d is a torn commit the store cuts at its next boot" % torn if torn else "")
    return out, summary


def cmd_verify(a) -> int:
    state = a.state
    disk_path = Path(a.disk) if a.disk else state / "store.img"
    key_path = Path(a.key) if a.key else state / "keys" / "store-seal.key"
    try:
        k0 = sd.read_key_file(key_path)
    except (OSError, ValueError) as e:
        print("siem: cannot read the seal key %s (%s); it is made by tools/siem up" % (key_path, e))
        return 1
    try:
        disk = open(disk_path, "rb").read()
    except OSError as e:
        print("siem: cannot read the store's disk %s (%s)" % (disk_path, e.strerror or e))
        return 1
    head = None
    if not a.disk or a.head_from_state:
        try:
            head = json.loads((state / "siem.json").read_text()).get("store_head")
        except (OSError, ValueError):
            head = None
    t0 = time.monotonic()
    findings, summary = verify(disk, k0, head)
    took = time.monotonic() - t0
    for line in findings[:MAX_LINES]:
        print(line)
    if len(findings) > MAX_LINES:
        print("... and %d more findings" % (len(findings) - MAX_LINES))
    if not findings:
        print(summary)
    if a.timing:
        print("verified %s in %.2f s" % (summary.split(";")[0], took))
    return 1 if findings else 0
