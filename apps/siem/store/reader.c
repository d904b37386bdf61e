/* Reading the event store's log alongside its writer: index entries and
 * pending bytes copied under the writer's lock, the disk read without it
 * (log.h, "Reading alongside the writer"). */
#include "logpriv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void lock(const struct store_reader *rd)
{
    if (rd->lock)
        rd->lock();
}

static void unlock(const struct store_reader *rd)
{
    if (rd->unlock)
        rd->unlock();
}

int store_reader_init(struct store_reader *rd, struct store_log *log, void (*lock_fn)(void),
                      void (*unlock_fn)(void))
{
    *rd = (struct store_reader){log, lock_fn, unlock_fn, NULL, STORE_NO_SEGMENT, 0};
    rd->cache = malloc(log->sb.segment_size);
    return rd->cache ? 0 : -ENOMEM;
}

void store_reader_free(struct store_reader *rd)
{
    free(rd->cache);
    rd->cache = NULL;
}

uint64_t store_reader_end(struct store_reader *rd, uint64_t before)
{
    /* The cache may hold a segment reclaimed and rewritten since the last
     * scan, with records older than this scan's end: start afresh. */
    rd->cache_seg = STORE_NO_SEGMENT;
    lock(rd);
    const struct store_index *ix = &rd->log->ix;
    uint64_t end = before == UINT64_MAX ? ix->base + ix->count : store_index_below(ix, before);
    unlock(rd);
    return end;
}

static int entry_locked(const struct store_reader *rd, uint64_t ord, struct store_rec *rec)
{
    const struct store_rec *r = store_index_at(&rd->log->ix, ord);
    if (!r)
        return -ENOENT;
    *rec = *r;
    return 0;
}

int store_reader_entry(struct store_reader *rd, uint64_t ord, struct store_rec *rec)
{
    lock(rd);
    int rc = entry_locked(rd, ord, rec);
    unlock(rd);
    return rc;
}

int store_reader_read(struct store_reader *rd, uint64_t ord, struct store_rec *rec, char *buf,
                      size_t size)
{
    struct store_log *log = rd->log;
    const uint8_t *pending = NULL;
    lock(rd);
    int rc = entry_locked(rd, ord, rec);
    if (rc == 0 && size <= rec->len)
        rc = -ERANGE;
    uint32_t total = rc == 0 ? STORE_REC_HDR + rec->len : 0;
    if (rc == 0 &&
        (rec->segment >= log->sb.segment_count || rec->offset + total > log->sb.segment_size))
        rc = -EINVAL;
    if (rc == 0 && (pending = store_pending_bytes(log, rec->segment, rec->offset, total)))
        rc = store_rec_copy(pending, rec, buf);
    unlock(rd);
    if (rc < 0 || pending)
        return rc;
    /* Committed, so on the disk, and so is everything before it in its
     * segment: read the segment from its start up to this record, once,
     * for the older records that come next in a newest-first scan. */
    if (rd->cache_seg != rec->segment || rec->offset + total > rd->cache_len) {
        uint32_t ss = log->sb.sector_size;
        rd->cache_seg = STORE_NO_SEGMENT;
        rc = store_disk_read(log, store_seg_sector(log, rec->segment), rd->cache,
                             (rec->offset + total + ss - 1) / ss);
        if (rc < 0)
            return rc;
        rd->cache_seg = rec->segment;
        rd->cache_len = rec->offset + total;
    }
    rc = store_rec_copy(rd->cache + rec->offset, rec, buf);
    /* Still live: its segment was not reclaimed, so not rewritten, while
     * the lock was not held, and the bytes copied are the record's. */
    struct store_rec again;
    if (store_reader_entry(rd, ord, &again) < 0) {
        rd->cache_seg = STORE_NO_SEGMENT;
        return -ENOENT;
    }
    return rc;
}
