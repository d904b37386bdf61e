#!/usr/bin/env python3
"""Alters a copy of the store's disk the way the observed attack did: one
record edited, removed (the rest renumbered), two swapped, or the log cut
from a record on, every CRC32C recomputed (and segment headers' first
record numbers), the tags left as they were, since the attacker has no key
for them. Then checks that tools/siem verify names the record.

  siem-tamper.py mutate KIND N IN OUT   write IN altered at record N to OUT
                                        (KIND: edit, remove, reorder, truncate)
  siem-tamper.py sweep STATE            every KIND at every record of
                                        STATE/store.img through verify, one
                                        PASS/FAIL line per KIND
  siem-tamper.py where N STATE          "sealed" or "open": the segment record N is in
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(os.environ.get("ROOT") or Path(__file__).resolve().parents[2])
sys.path.insert(0, str(ROOT / "tools"))
import siem_disk as sd  # noqa: E402
import siem_verify  # noqa: E402

KINDS = ("edit", "remove", "reorder", "truncate")


def load(disk: bytes):
    sb = sd.superblock(disk)
    live = sorted((h for h in (sd.seg_header(disk, sb, s) for s in range(sb.segment_count)) if h),
                  key=lambda h: h.segseq)
    return sb, [(h, list(sd.records(disk, sb, h))) for h in live]


def store(disk: bytearray, sb, segs, changed):
    """Writes back the segments whose index is in changed: header (CRC
    recomputed, MAC as it was) and records back to back, zeros after."""
    for i in changed:
        h, recs = segs[i]
        base = sb.segment_offset(h.seg)
        body = b"".join(sd.encode_record(r) for r in recs)
        disk[base:base + sb.segment_size] = (sd.encode_seg_header(h) + body).ljust(sb.segment_size, b"\0")


def edit_payload(p: bytes) -> bytes:
    """failure -> success, or one letter of the message changed."""
    if b"failure" in p:
        return p.replace(b"failure", b"success", 1)
    i = p.find(b'"message":"') + len(b'"message":"')
    c = p[i:i + 1]
    return p[:i] + (c.swapcase() if c.isalpha() and c.swapcase() != c else b"X" if c != b"X" else b"Y") + p[i + 1:]


def mutate(data: bytes, kind: str, n: int) -> bytes:
    disk = bytearray(data)
    sb, segs = load(data)
    where = next((i, j) for i, (_, recs) in enumerate(segs) for j, r in enumerate(recs) if r.seq == n)
    i, j = where
    recs = segs[i][1]
    changed = {i}
    if kind == "edit":
        recs[j].payload = edit_payload(recs[j].payload)
    elif kind == "remove":
        del recs[j]
        for k in range(i, len(segs)):  # the rest renumbered, as the attacker did
            h, rs = segs[k]
            if k > i:
                h.start_seq -= 1
                changed.add(k)
            for r in rs:
                if r.seq > n:
                    r.seq -= 1
    elif kind == "reorder":
        if j + 1 >= len(recs):
            j -= 1  # the last of its segment: swap it with the one before
        a, b = recs[j], recs[j + 1]
        a.seq, b.seq = b.seq, a.seq
        recs[j], recs[j + 1] = b, a
    elif kind == "truncate":
        del recs[j:]
        for k in range(i + 1, len(segs)):
            h = segs[k][0]
            base = sb.segment_offset(h.seg)
            disk[base:base + sb.segment_size] = bytes(sb.segment_size)
    else:
        raise ValueError(kind)
    store(disk, sb, segs, changed)
    return bytes(disk)


def named(line: str):
    """The record numbers a finding names."""
    m = re.search(r"records? (\d+)(?:\.\.(\d+))?", line)
    return (int(m.group(1)), int(m.group(2) or m.group(1))) if m else None


def sweep(state: Path) -> int:
    data = (state / "store.img").read_bytes()
    k0 = sd.read_key_file(state / "keys" / "store-seal.key")
    head = json.loads((state / "siem.json").read_text()).get("store_head")
    findings, summary = siem_verify.verify(data, k0, head)
    ok = not findings
    print(("PASS" if ok else "FAIL") + " siem-tamper/verify-intact%s" % ("" if ok else ": " + findings[0]))
    if not ok:
        return 1
    _, segs = load(data)
    seqs = [r.seq for _, recs in segs for r in recs]
    for kind in KINDS:
        bad = []
        for n in seqs:
            if kind == "reorder" and len(seqs) < 2:
                continue
            findings, _ = siem_verify.verify(mutate(data, kind, n), k0, head)
            first = next((named(f) for f in findings if named(f)), None)
            # The first record named is the one altered, or (a swap or a
            # removal at a segment's end) the one just before it.
            if not findings or first is None or not (first[0] <= n <= first[1] or first[0] == n - 1):
                bad.append("%d: %s" % (n, findings[0] if findings else "nothing found"))
        print(("FAIL siem-tamper/verify-%s: %d of %d records not named, e.g. %s" % (kind, len(bad), len(seqs), bad[:2]))
              if bad else "PASS siem-tamper/verify-%s (%d records)" % (kind, len(seqs)))
    return 0


def main(argv) -> int:
    if len(argv) == 6 and argv[1] == "mutate" and argv[2] in KINDS:
        Path(argv[5]).write_bytes(mutate(Path(argv[4]).read_bytes(), argv[2], int(argv[3])))
        return 0
    if len(argv) == 3 and argv[1] == "sweep":
        return sweep(Path(argv[2]))
    if len(argv) == 4 and argv[1] == "where":
        _, segs = load(Path(argv[3], "store.img").read_bytes())
        newest = segs[-1][0].segseq
        h = next(h for h, recs in segs for r in recs if r.seq == int(argv[2]))
        print("open" if h.segseq == newest else "sealed")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
