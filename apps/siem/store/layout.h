/* The event store's on-disk structures (docs/siem.md, "Event store disk
 * format"): their sizes, the geometry of a disk, and encoding to and from
 * little-endian bytes. Nothing here does I/O. */
#ifndef SIEM_STORE_LAYOUT_H
#define SIEM_STORE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* Tunables and format constants, in one place. */
#define STORE_VERSION 2              /* 2: records chained by tags, segments sealed */
#define STORE_SB_SIZE 64             /* superblock bytes at the start of sector 0 */
#define STORE_SEG_HDR 128            /* segment header bytes; records follow */
#define STORE_SEG_MAC_LEN 88         /* segment header bytes its MAC covers */
#define STORE_REC_HDR 96             /* record header bytes; the payload follows */
#define STORE_REC_TAG 64             /* offset of the record's tag in its header */
#define STORE_KEY_SIZE 64            /* key state bytes at the start of sectors 1 and 2 */
#define STORE_KEY_SLOTS 2            /* written in turn, so a torn write keeps the other */
#define STORE_AREA_START 4096        /* segment 0 starts here (or after sector 2) */
#define STORE_SEG_DEFAULT 1048576u   /* segment size on a disk large enough */
#define STORE_SEG_MIN_DERIVED 65536u /* smallest segment format derives */
#define STORE_SEG_MIN 4096u          /* smallest segment a caller may ask for */
#define STORE_SEG_MAX (16u << 20)    /* largest (a whole segment is read at once) */
#define STORE_MIN_SEGMENTS 4         /* retention needs a few to rotate through */

enum store_layout_kind { STORE_LAYOUT_EVENT = 1, STORE_LAYOUT_ALERT = 2 };
#define STORE_REC_F_ID 0x01 /* the record carries an id (event.id / alert id) */

struct store_sb {
    uint32_t version;
    uint32_t sector_size;
    uint32_t segment_size; /* bytes, a multiple of sector_size */
    uint32_t segment_count;
    uint64_t first_sector; /* where segment 0 starts */
};

/* A segment header: where its chain starts and the seal of the segment
 * before it (chain.h). */
struct store_seghdr {
    uint64_t segseq;      /* segment sequence number, from 1 */
    uint64_t start_seq;   /* sequence number of its first record */
    uint8_t prev_tag[32]; /* tag of the record before that (zero for record 1) */
    uint8_t seal[32];     /* the previous segment's seal (zero for segment 1) */
    uint8_t mac[32];      /* of the header's first STORE_SEG_MAC_LEN bytes, with this key */
};

struct store_rechdr {
    uint8_t kind;    /* enum store_layout_kind */
    uint8_t flags;   /* STORE_REC_F_* */
    uint32_t len;    /* payload bytes */
    uint64_t seq;    /* record sequence number, global */
    uint64_t segseq; /* sequence number of the segment it was written into */
    int64_t time_ms; /* INT64_MIN: the payload has no usable time */
    uint8_t id[16];
    uint8_t tag[32]; /* chain tag (chain_record_tag) */
};

/* Chooses the geometry for a disk of `sectors` sectors: segment_size 0
 * derives it (1 MiB, halved down to 64 KiB until there are at least
 * STORE_MIN_SEGMENTS), otherwise it must be a multiple of the sector size
 * and >= STORE_SEG_MIN. Returns 0, -EINVAL (bad sector or segment size)
 * or -ENOSPC (fewer than STORE_MIN_SEGMENTS segments fit). */
int store_geometry(uint64_t sectors, uint32_t sector_size, uint32_t segment_size,
                   struct store_sb *sb);
/* Bytes a disk needs for the derived geometry: the superblock area plus
 * STORE_MIN_SEGMENTS segments of STORE_SEG_MIN_DERIVED bytes. */
uint64_t store_min_bytes(uint32_t sector_size);

/* Superblock: encode into / decode from STORE_SB_SIZE bytes. decode
 * returns 0, -EPROTO (not a store: wrong magic), -EBADMSG (magic right,
 * CRC wrong) or -EPROTONOSUPPORT (another format version). */
void store_sb_encode(uint8_t *buf, const struct store_sb *sb);
int store_sb_decode(const uint8_t *buf, struct store_sb *sb);

/* Segment header (STORE_SEG_HDR bytes): decode returns the segment
 * sequence number, or 0 when the bytes are not an intact header (a free
 * or never used segment). */
void store_seg_encode(uint8_t *buf, const struct store_seghdr *h);
uint64_t store_seg_decode(const uint8_t *buf, struct store_seghdr *h);

/* Key state (STORE_KEY_SIZE bytes): the key of segment segseq. decode
 * returns 0, or -1 when the bytes are not an intact key state. */
void store_key_encode(uint8_t *buf, uint64_t segseq, const uint8_t key[32]);
int store_key_decode(const uint8_t *buf, uint64_t *segseq, uint8_t key[32]);

/* Record header: encode writes the header for h (with h->tag) and the
 * CRC over it and the payload. encode_fields writes it with a zero tag and
 * CRC (what a tag is computed over), set_tag then adds both. decode
 * returns 0 when the magic is there, -1 otherwise; the CRC is checked
 * separately, once the payload is at hand. */
void store_rec_encode(uint8_t *buf, const struct store_rechdr *h, const void *payload);
void store_rec_encode_fields(uint8_t *buf, const struct store_rechdr *h);
void store_rec_set_tag(uint8_t *buf, const uint8_t tag[32], const void *payload, uint32_t len);
int store_rec_decode(const uint8_t *buf, struct store_rechdr *h);
int store_rec_crc_ok(const uint8_t *hdr, const void *payload, uint32_t len);

#endif
