"""The event store's disk as the host reads it (docs/siem.md, "Event store
disk format" and "Chain and seals"): the superblock, key state, segment and
record headers, CRC32C, and the keyed BLAKE2b tags, seals and key evolution
of apps/siem/store/chain.c. Used by `tools/siem verify` and by the tests
that alter a disk the way an attacker would. Python 3 standard library only.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

VERSION = 2
SEG_HDR = 128
SEG_MAC_LEN = 88
REC_HDR = 96
KEY_SLOTS = 2
TAG = 32
ZERO_TAG = bytes(TAG)


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC = _crc_table()


def crc32c(data: bytes, crc: int = 0) -> int:
    """CRC32C (Castagnoli), continuing crc; crc32c(b"123456789") == 0xE3069283."""
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = _CRC[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


# --- Keys, tags, seals (chain.c) -------------------------------------------------


def evolve(key: bytes) -> bytes:
    """K_{s+1} = BLAKE2b-256(key=K_s, "evolve"); K_1 = evolve(K_0)."""
    return hashlib.blake2b(b"evolve", key=key, digest_size=32).digest()


def record_tag(key: bytes, hdr: bytes, prev: bytes, payload: bytes) -> bytes:
    h = hashlib.blake2b(key=key, digest_size=32)
    h.update(hdr[:12] + bytes(4) + hdr[16:64])
    h.update(prev)
    h.update(payload)
    return h.digest()


def seal(key: bytes, segseq: int, last_seq: int, last_tag: bytes) -> bytes:
    return hashlib.blake2b(b"seal" + struct.pack("<QQ", segseq, last_seq) + last_tag, key=key,
                           digest_size=32).digest()


def header_mac(key: bytes, hdr: bytes) -> bytes:
    return hashlib.blake2b(hdr[:SEG_MAC_LEN], key=key, digest_size=32).digest()


def read_key_file(path) -> bytes:
    text = open(path).read().strip()
    key = bytes.fromhex(text)
    if len(key) != 32:
        raise ValueError("%s: expected 64 hex digits" % path)
    return key


# --- Structures -------------------------------------------------------------------


@dataclass
class Superblock:
    version: int
    sector_size: int
    segment_size: int
    segment_count: int
    first_sector: int

    def segment_offset(self, seg: int) -> int:
        return (self.first_sector * self.sector_size) + seg * self.segment_size


def superblock(disk: bytes) -> Superblock:
    """Raises ValueError saying what is wrong."""
    b = disk[:64]
    if b[:8] != b"SIEMSTOR":
        raise ValueError("sector 0 is not an event store superblock")
    if struct.unpack_from("<I", b, 60)[0] != crc32c(b[:60]):
        raise ValueError("the superblock is damaged (CRC mismatch)")
    sb = Superblock(*struct.unpack_from("<IIIIQ", b, 8))
    if sb.version != VERSION:
        raise ValueError("format version %d; this tool reads version %d" % (sb.version, VERSION))
    if sb.segment_size == 0 or sb.segment_size % sb.sector_size or sb.segment_count == 0:
        raise ValueError("the superblock's geometry is impossible")
    return sb


def key_state(disk: bytes, sb: Superblock):
    """[(slot, segseq, key)] of the intact key state slots."""
    out = []
    for slot in range(KEY_SLOTS):
        off = (1 + slot) * sb.sector_size
        b = disk[off:off + 64]
        if b[:4] == b"SKEY" and struct.unpack_from("<I", b, 60)[0] == crc32c(b[:60]):
            out.append((slot, struct.unpack_from("<Q", b, 8)[0], bytes(b[16:48])))
    return out


@dataclass
class SegHeader:
    seg: int  # position on the disk
    segseq: int
    start_seq: int
    prev_tag: bytes
    seal: bytes
    mac: bytes
    raw: bytes


def seg_header(disk: bytes, sb: Superblock, seg: int):
    off = sb.segment_offset(seg)
    b = disk[off:off + SEG_HDR]
    if len(b) < SEG_HDR or b[:4] != b"SSEG" or struct.unpack_from("<I", b, SEG_HDR - 4)[0] != crc32c(b[:SEG_HDR - 4]):
        return None
    segseq, start_seq = struct.unpack_from("<QQ", b, 8)
    return SegHeader(seg, segseq, start_seq, bytes(b[24:56]), bytes(b[56:88]), bytes(b[88:120]), bytes(b))


def encode_seg_header(h: SegHeader) -> bytes:
    b = bytearray(SEG_HDR)
    b[:4] = b"SSEG"
    struct.pack_into("<QQ", b, 8, h.segseq, h.start_seq)
    b[24:56], b[56:88], b[88:120] = h.prev_tag, h.seal, h.mac
    struct.pack_into("<I", b, SEG_HDR - 4, crc32c(bytes(b[:SEG_HDR - 4])))
    return bytes(b)


@dataclass
class Record:
    offset: int  # of the header, in the disk
    kind: int
    flags: int
    seq: int
    segseq: int
    tag: bytes
    hdr: bytes
    payload: bytes

    def crc_ok(self) -> bool:
        return struct.unpack_from("<I", self.hdr, 12)[0] == record_crc(self.hdr, self.payload)


def record_crc(hdr: bytes, payload: bytes) -> int:
    return crc32c(payload, crc32c(hdr[:12] + bytes(4) + hdr[16:REC_HDR]))


def records(disk: bytes, sb: Superblock, h: SegHeader):
    """The records of segment h in disk order, up to the end of its log
    (zeros, stale bytes of an earlier use, or a length that cannot be)."""
    base = sb.segment_offset(h.seg)
    pos = SEG_HDR
    while pos + REC_HDR <= sb.segment_size:
        off = base + pos
        hdr = disk[off:off + REC_HDR]
        if hdr[:4] != b"SREC":
            return
        length, = struct.unpack_from("<I", hdr, 8)
        seq, segseq = struct.unpack_from("<QQ", hdr, 16)
        if segseq != h.segseq or length == 0 or length > sb.segment_size - pos - REC_HDR:
            return
        yield Record(off, hdr[4], hdr[5], seq, segseq, bytes(hdr[64:96]), bytes(hdr),
                     bytes(disk[off + REC_HDR:off + REC_HDR + length]))
        pos += REC_HDR + length


def encode_record(r: Record) -> bytes:
    """r's header with its fields as they are in r.hdr except seq and tag
    taken from r, and the CRC recomputed: what an attacker writes."""
    b = bytearray(r.hdr)
    struct.pack_into("<I", b, 8, len(r.payload))
    struct.pack_into("<QQ", b, 16, r.seq, r.segseq)
    b[64:96] = r.tag
    struct.pack_into("<I", b, 12, record_crc(bytes(b), r.payload))
    return bytes(b) + r.payload
