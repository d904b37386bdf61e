/* Encoding of the event store's superblock, segment and record headers. */
#include "layout.h"

#include <errno.h>
#include <string.h>

#include "crc32c.h"

/* Byte layouts (offsets in bytes, integers little-endian). The fixed
 * structures end with their CRC32C over the bytes before it.
 *   superblock: 0 "SIEMSTOR", 8 version, 12 sector size, 16 segment size,
 *               20 segment count, 24 first sector (u64), 32..59 zero, 60 CRC
 *   key state:  0 "SKEY", 4..7 zero, 8 segment seq (u64), 16 key (32),
 *               48..59 zero, 60 CRC
 *   segment:    0 "SSEG", 4..7 zero, 8 segment seq (u64), 16 first record
 *               seq (u64), 24 previous tag (32), 56 seal of the previous
 *               segment (32), 88 MAC of bytes 0..87 (32), 120..123 zero,
 *               124 CRC
 *   record:     0 "SREC", 4 kind, 5 flags, 6..7 zero, 8 payload length,
 *               12 CRC (over the header with this field zero, then the
 *               payload), 16 seq, 24 segment seq, 32 time ms (i64), 40 id,
 *               56..63 zero, 64 tag (32) */
static const char sb_magic[8] = {'S', 'I', 'E', 'M', 'S', 'T', 'O', 'R'};
static const char key_magic[4] = {'S', 'K', 'E', 'Y'};
static const char seg_magic[4] = {'S', 'S', 'E', 'G'};
static const char rec_magic[4] = {'S', 'R', 'E', 'C'};
#define TAIL_CRC 60
#define SEG_CRC (STORE_SEG_HDR - 4)
#define REC_CRC 12

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Segment 0 starts after the superblock and the two key state sectors. */
static uint64_t first_sector(uint32_t sector_size)
{
    uint64_t first = STORE_AREA_START / sector_size;
    return first > 1 + STORE_KEY_SLOTS ? first : 1 + STORE_KEY_SLOTS;
}

int store_geometry(uint64_t sectors, uint32_t sector_size, uint32_t segment_size,
                   struct store_sb *sb)
{
    if (sector_size < 512 || sector_size > 65536 || (sector_size & (sector_size - 1)))
        return -EINVAL;
    uint64_t first = first_sector(sector_size);
    uint64_t area = sectors > first ? (sectors - first) * sector_size : 0;
    uint64_t seg = segment_size;
    if (seg == 0) {
        /* Prefer big segments (fewer headers to read at open); shrink them
         * on a small disk so retention still has segments to rotate. */
        seg = STORE_SEG_DEFAULT;
        while (seg > STORE_SEG_MIN_DERIVED && area / seg < STORE_MIN_SEGMENTS)
            seg /= 2;
        if (seg < sector_size)
            seg = sector_size;
    } else if (seg < STORE_SEG_MIN || seg > STORE_SEG_MAX || seg % sector_size) {
        return -EINVAL;
    }
    uint64_t count = area / seg;
    if (count < STORE_MIN_SEGMENTS)
        return -ENOSPC;
    if (count > UINT32_MAX)
        count = UINT32_MAX;
    sb->version = STORE_VERSION;
    sb->sector_size = sector_size;
    sb->segment_size = (uint32_t)seg;
    sb->segment_count = (uint32_t)count;
    sb->first_sector = first;
    return 0;
}

uint64_t store_min_bytes(uint32_t sector_size)
{
    uint64_t first = first_sector(sector_size) * sector_size;
    uint64_t seg = STORE_SEG_MIN_DERIVED > sector_size ? STORE_SEG_MIN_DERIVED : sector_size;
    return first + STORE_MIN_SEGMENTS * seg;
}

static uint32_t tail_crc(const uint8_t *buf)
{
    return crc32c(0, buf, TAIL_CRC);
}

void store_sb_encode(uint8_t *buf, const struct store_sb *sb)
{
    memset(buf, 0, STORE_SB_SIZE);
    memcpy(buf, sb_magic, sizeof(sb_magic));
    put32(buf + 8, sb->version);
    put32(buf + 12, sb->sector_size);
    put32(buf + 16, sb->segment_size);
    put32(buf + 20, sb->segment_count);
    put64(buf + 24, sb->first_sector);
    put32(buf + TAIL_CRC, tail_crc(buf));
}

int store_sb_decode(const uint8_t *buf, struct store_sb *sb)
{
    if (memcmp(buf, sb_magic, sizeof(sb_magic)) != 0)
        return -EPROTO;
    if (get32(buf + TAIL_CRC) != tail_crc(buf))
        return -EBADMSG;
    sb->version = get32(buf + 8);
    if (sb->version != STORE_VERSION)
        return -EPROTONOSUPPORT;
    sb->sector_size = get32(buf + 12);
    sb->segment_size = get32(buf + 16);
    sb->segment_count = get32(buf + 20);
    sb->first_sector = get64(buf + 24);
    return 0;
}

void store_key_encode(uint8_t *buf, uint64_t segseq, const uint8_t key[32])
{
    memset(buf, 0, STORE_KEY_SIZE);
    memcpy(buf, key_magic, sizeof(key_magic));
    put64(buf + 8, segseq);
    memcpy(buf + 16, key, 32);
    put32(buf + TAIL_CRC, tail_crc(buf));
}

int store_key_decode(const uint8_t *buf, uint64_t *segseq, uint8_t key[32])
{
    if (memcmp(buf, key_magic, sizeof(key_magic)) != 0 || get32(buf + TAIL_CRC) != tail_crc(buf))
        return -1;
    *segseq = get64(buf + 8);
    memcpy(key, buf + 16, 32);
    return 0;
}

void store_seg_encode(uint8_t *buf, const struct store_seghdr *h)
{
    memset(buf, 0, STORE_SEG_HDR);
    memcpy(buf, seg_magic, sizeof(seg_magic));
    put64(buf + 8, h->segseq);
    put64(buf + 16, h->start_seq);
    memcpy(buf + 24, h->prev_tag, 32);
    memcpy(buf + 56, h->seal, 32);
    memcpy(buf + STORE_SEG_MAC_LEN, h->mac, 32);
    put32(buf + SEG_CRC, crc32c(0, buf, SEG_CRC));
}

uint64_t store_seg_decode(const uint8_t *buf, struct store_seghdr *h)
{
    if (memcmp(buf, seg_magic, sizeof(seg_magic)) != 0 ||
        get32(buf + SEG_CRC) != crc32c(0, buf, SEG_CRC))
        return 0;
    h->segseq = get64(buf + 8);
    h->start_seq = get64(buf + 16);
    memcpy(h->prev_tag, buf + 24, 32);
    memcpy(h->seal, buf + 56, 32);
    memcpy(h->mac, buf + STORE_SEG_MAC_LEN, 32);
    return h->segseq;
}

static uint32_t rec_crc(const uint8_t *hdr, const void *payload, uint32_t len)
{
    uint8_t copy[STORE_REC_HDR];
    memcpy(copy, hdr, sizeof(copy));
    put32(copy + REC_CRC, 0);
    return crc32c(crc32c(0, copy, sizeof(copy)), payload, len);
}

void store_rec_encode(uint8_t *buf, const struct store_rechdr *h, const void *payload)
{
    store_rec_encode_fields(buf, h);
    store_rec_set_tag(buf, h->tag, payload, h->len);
}

void store_rec_set_tag(uint8_t *buf, const uint8_t tag[32], const void *payload, uint32_t len)
{
    memcpy(buf + STORE_REC_TAG, tag, 32);
    put32(buf + REC_CRC, 0);
    put32(buf + REC_CRC, rec_crc(buf, payload, len));
}

void store_rec_encode_fields(uint8_t *buf, const struct store_rechdr *h)
{
    memset(buf, 0, STORE_REC_HDR);
    memcpy(buf, rec_magic, sizeof(rec_magic));
    buf[4] = h->kind;
    buf[5] = h->flags;
    put32(buf + 8, h->len);
    put64(buf + 16, h->seq);
    put64(buf + 24, h->segseq);
    put64(buf + 32, (uint64_t)h->time_ms);
    memcpy(buf + 40, h->id, sizeof(h->id));
}

int store_rec_decode(const uint8_t *buf, struct store_rechdr *h)
{
    if (memcmp(buf, rec_magic, sizeof(rec_magic)) != 0)
        return -1;
    h->kind = buf[4];
    h->flags = buf[5];
    h->len = get32(buf + 8);
    h->seq = get64(buf + 16);
    h->segseq = get64(buf + 24);
    h->time_ms = (int64_t)get64(buf + 32);
    memcpy(h->id, buf + 40, sizeof(h->id));
    memcpy(h->tag, buf + STORE_REC_TAG, sizeof(h->tag));
    return 0;
}

int store_rec_crc_ok(const uint8_t *hdr, const void *payload, uint32_t len)
{
    return get32(hdr + REC_CRC) == rec_crc(hdr, payload, len);
}
