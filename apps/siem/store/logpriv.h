/* The event store log's internal state, shared by the files that
 * implement log.h; prototypes grouped by the file that defines them. */
#ifndef SIEM_STORE_LOGPRIV_H
#define SIEM_STORE_LOGPRIV_H

#include <stddef.h>
#include <stdint.h>

#include "index.h"
#include "layout.h"
#include "log.h"

#define STORE_NO_SEGMENT UINT32_MAX

/* Bytes appended but not yet durable, for one segment: they start at a
 * sector boundary (the partly filled sector a commit rewrites). buf has
 * room for whole sectors and is zero past len, so the sectors written
 * carry zeros after the last record. */
struct store_run {
    uint32_t seg;
    uint32_t start; /* byte offset in the segment, sector-aligned */
    uint32_t len;   /* bytes held */
    uint8_t *buf;
    size_t cap;
};

struct store_log {
    struct store_disk disk;
    struct store_sb sb;
    uint64_t *seg_seq; /* per segment: its sequence number, 0 when free */
    uint32_t *order;   /* live segments, oldest first (a ring) */
    uint32_t order_head, order_count;
    uint32_t cur; /* segment appended to, or STORE_NO_SEGMENT */
    uint64_t next_seq, next_segseq;
    struct store_run *runs; /* pending, in append order; the last is cur's */
    size_t nruns;
    int dirty;        /* something appended since the last good commit */
    uint8_t *scratch; /* one segment's worth of bytes */
    /* Reads keep the first cache_len bytes of segment cache_seg in
     * scratch (STORE_NO_SEGMENT: nothing cached). */
    uint32_t cache_seg, cache_len;
    struct store_index ix;
    struct store_stats st;
    int64_t young_after; /* store_log_set_young_after */
    /* The chain: the open segment's key K_s (key_seg = s; after format, the
     * key of the first segment to come), the key state last made durable
     * (in slot key_slot, for segment key_durable), and the tag of the last
     * appended record. */
    int chain;
    uint8_t key[32];
    uint64_t key_seg, key_durable;
    int key_slot;
    uint8_t tag[32];
};

/* log.c */
/* Sector I/O over [sector, sector + count), split into bounded requests. */
int store_disk_read(struct store_log *log, uint64_t sector, void *buf, size_t count);
int store_disk_write(struct store_log *log, uint64_t sector, const void *buf, size_t count);
/* First sector of segment seg. */
uint64_t store_seg_sector(const struct store_log *log, uint32_t seg);
/* Makes seg the newest live segment (the order ring must have room). */
void store_order_push(struct store_log *log, uint32_t seg);
/* Sets up the pending run for appends at byte pos of segment seg, whose
 * bytes before pos (from the sector start) are in `sector_bytes`. */
int store_run_begin(struct store_log *log, uint32_t seg, uint32_t pos, const uint8_t *seg_bytes);

/* The bytes of [off, off + len) of segment seg while they are still
 * pending (appended, not yet committed); NULL otherwise. */
const uint8_t *store_pending_bytes(const struct store_log *log, uint32_t seg, uint32_t off,
                                   uint32_t len);
/* Checks the record at bytes (header, then payload) against rec and copies
 * its payload into buf (NUL-terminated). Returns the length or -EBADMSG. */
int store_rec_copy(const uint8_t *bytes, const struct store_rec *rec, char *buf);
/* Writes the key state for key_seg to the other slot, then zeroes the old
 * one (flushing after each): the older key leaves the disk. */
int store_key_save(struct store_log *log);

/* recover.c: store_log_open and store_log_close (log.h). */

#endif
