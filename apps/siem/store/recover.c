/* Opening the event store log: formatting a blank disk, refusing a foreign
 * one, and rebuilding the index from the segments after a crash. */
#include "logpriv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Writes the superblock last, after zeroing every segment header: a crash
 * part-way leaves sector 0 blank and the next open formats again, and no
 * header left by an earlier use of the disk can come back to life. */
static int format(struct store_log *log, uint8_t *sector)
{
    memset(sector, 0, log->sb.sector_size);
    for (uint32_t s = 0; s < log->sb.segment_count; s++) {
        int rc = store_disk_write(log, store_seg_sector(log, s), sector, 1);
        if (rc < 0)
            return rc;
    }
    int rc = log->disk.flush(log->disk.ctx);
    if (rc < 0)
        return rc;
    store_sb_encode(sector, &log->sb);
    if ((rc = store_disk_write(log, 0, sector, 1)) < 0)
        return rc;
    return log->disk.flush(log->disk.ctx);
}

/* Reads sector 0: formats a blank disk, decodes a store's superblock,
 * refuses anything else. */
static int load_superblock(struct store_log *log, const struct store_open_opts *opts,
                           struct store_recovery *rep, char *err, size_t errsize)
{
    const struct store_disk *d = &log->disk;
    uint8_t *sector = malloc(d->sector_size);
    if (!sector)
        return -ENOMEM;
    int rc = store_disk_read(log, 0, sector, 1);
    if (rc < 0) {
        say(err, errsize, "cannot read sector 0 (error %d)", rc);
    } else if (all_zero(sector, d->sector_size)) {
        rc = store_geometry(d->sectors, d->sector_size, opts ? opts->segment_size : 0, &log->sb);
        if (rc == -ENOSPC)
            say(err, errsize, "disk too small: %llu bytes, the store needs at least %llu",
                (unsigned long long)(d->sectors * d->sector_size),
                (unsigned long long)store_disk_min_bytes(d->sector_size));
        else if (rc < 0)
            say(err, errsize, "bad segment size %u for %u-byte sectors",
                opts ? opts->segment_size : 0, d->sector_size);
        else if ((rc = format(log, sector)) < 0)
            say(err, errsize, "formatting the blank disk failed (error %d)", rc);
        else
            rep->formatted = 1;
    } else if ((rc = store_sb_decode(sector, &log->sb)) == -EPROTO) {
        say(err, errsize,
            "the disk holds something else (sector 0 is not blank and not an "
            "event store superblock): refusing to use it");
    } else if (rc == -EBADMSG) {
        say(err, errsize, "the event store superblock is damaged (CRC mismatch)");
    } else if (rc == -EPROTONOSUPPORT) {
        say(err, errsize, "the event store on the disk has format version %u, this is %u",
            log->sb.version, STORE_VERSION);
    } else if (log->sb.sector_size != d->sector_size || log->sb.segment_size < STORE_SEG_MIN ||
               log->sb.segment_size > STORE_SEG_MAX || log->sb.segment_size % log->sb.sector_size ||
               log->sb.segment_count == 0 || log->sb.first_sector == 0 ||
               store_seg_sector(log, log->sb.segment_count) > d->sectors) {
        say(err, errsize,
            "the superblock's geometry (sector %u, segment %u x %u) does not fit "
            "this disk (%llu sectors of %u bytes)",
            log->sb.sector_size, log->sb.segment_size, log->sb.segment_count,
            (unsigned long long)d->sectors, d->sector_size);
        rc = -EINVAL;
    }
    free(sector);
    return rc;
}

struct seg_ref {
    uint64_t seq;
    uint32_t seg;
};

static int by_seq(const void *a, const void *b)
{
    const struct seg_ref *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Indexes the intact records of one segment (already in log->scratch).
 * Returns the offset where its log ends, or -ENOMEM; *bad is set when the
 * end is a damaged record rather than the clean end of what was written
 * (zeros, or stale bytes of the segment's previous use). */
static long scan_segment(struct store_log *log, uint32_t seg, uint64_t segseq, uint64_t *last_seq,
                         uint64_t *count, int *bad)
{
    const uint8_t *s = log->scratch;
    uint32_t size = log->sb.segment_size, pos = STORE_SEG_HDR;
    *bad = 0;
    while (pos + STORE_REC_HDR <= size) {
        struct store_rechdr h;
        if (store_rec_decode(s + pos, &h) < 0 || h.segseq != segseq)
            break;
        /* Within a segment sequence numbers are consecutive; across a
         * gap (a damaged older segment) they only have to increase. */
        int seq_ok = *count ? h.seq == *last_seq + 1 : h.seq > *last_seq;
        if ((h.kind != STORE_EVENT && h.kind != STORE_ALERT) || h.len == 0 ||
            h.len > size - pos - STORE_REC_HDR || !seq_ok ||
            !store_rec_crc_ok(s + pos, s + pos + STORE_REC_HDR, h.len)) {
            *bad = 1;
            break;
        }
        struct store_rec r = {
            .seq = h.seq,
            .time_ms = h.time_ms,
            .segment = seg,
            .offset = pos,
            .len = h.len,
            .kind = h.kind,
            .has_id = (h.flags & STORE_REC_F_ID) != 0,
        };
        memcpy(r.id, h.id, sizeof(r.id));
        if (store_index_push(&log->ix, &r) < 0)
            return -ENOMEM;
        *last_seq = h.seq;
        (*count)++;
        pos += STORE_REC_HDR + h.len;
    }
    return pos;
}

/* Zeroes every non-zero byte after end in the newest segment (in scratch
 * and on the disk), so that no later append can be followed by leftovers
 * that parse as records. Returns the number of such bytes or an error. */
static int64_t truncate_tail(struct store_log *log, uint32_t seg, uint32_t end)
{
    uint32_t ss = log->sb.sector_size, size = log->sb.segment_size, last = end;
    for (uint32_t i = end; i < size; i++)
        if (log->scratch[i])
            last = i + 1;
    if (last == end)
        return 0;
    memset(log->scratch + end, 0, last - end);
    uint32_t first_sector = end / ss, end_sector = (last + ss - 1) / ss;
    int rc = store_disk_write(log, store_seg_sector(log, seg) + first_sector,
                              log->scratch + (size_t)first_sector * ss, end_sector - first_sector);
    if (rc == 0)
        rc = log->disk.flush(log->disk.ctx);
    return rc < 0 ? rc : (int64_t)(last - end);
}

/* Finds the live segments, oldest first, and rebuilds the index. */
static int recover(struct store_log *log, struct store_recovery *rep, char *err, size_t errsize)
{
    uint32_t n = log->sb.segment_count, seg_sectors = log->sb.segment_size / log->sb.sector_size;
    struct seg_ref *live = malloc((size_t)n * sizeof(*live));
    if (!live)
        return -ENOMEM;
    uint32_t nlive = 0;
    int rc = 0;
    for (uint32_t s = 0; s < n && rc == 0; s++) {
        rc = store_disk_read(log, store_seg_sector(log, s), log->scratch, 1);
        uint64_t seq = rc == 0 ? store_seg_decode(log->scratch) : 0;
        if (seq)
            live[nlive++] = (struct seg_ref){seq, s};
    }
    qsort(live, nlive, sizeof(*live), by_seq);
    uint64_t last_seq = 0;
    int prev_bad = 0;
    for (uint32_t i = 0; i < nlive && rc == 0; i++) {
        uint32_t seg = live[i].seg;
        if ((rc = store_disk_read(log, store_seg_sector(log, seg), log->scratch, seg_sectors)) < 0)
            break;
        uint64_t before = last_seq, count = 0;
        int bad;
        long end = scan_segment(log, seg, live[i].seq, &last_seq, &count, &bad);
        if (end < 0) {
            rc = (int)end;
            break;
        }
        rep->records += count;
        log->seg_seq[seg] = live[i].seq;
        store_order_push(log, seg);
        /* A gap before this segment's first record means an earlier
         * segment lost its end, even if that end looked clean (a flipped
         * magic number): count the missing records, and the segment. */
        uint64_t first = count ? store_index_newest(&log->ix, count - 1)->seq : 0;
        if (count && before && first > before + 1) {
            rep->records_lost += first - before - 1;
            rep->corrupt_segments += !prev_bad;
        }
        prev_bad = bad;
        if (i + 1 < nlive) {
            rep->corrupt_segments += bad;
            continue;
        }
        /* The newest segment: appends continue at the end of its log. */
        int64_t cut = truncate_tail(log, seg, (uint32_t)end);
        if (cut < 0) {
            rc = (int)cut;
            break;
        }
        rep->bytes_truncated = (uint64_t)cut;
        log->cur = seg;
        rc = store_run_begin(log, seg, (uint32_t)end, log->scratch);
    }
    if (rc < 0)
        say(err, errsize, "recovery failed (error %d)", rc);
    rep->segments = nlive;
    rep->first_seq = log->ix.count ? store_index_oldest(&log->ix)->seq : 0;
    rep->last_seq = last_seq;
    log->next_seq = last_seq + 1;
    log->next_segseq = nlive ? live[nlive - 1].seq + 1 : 1;
    free(live);
    return rc;
}

int store_log_open(struct store_log **out, const struct store_disk *disk,
                   const struct store_open_opts *opts, struct store_recovery *report, char *err,
                   size_t errsize)
{
    struct store_recovery dummy;
    struct store_recovery *rep = report ? report : &dummy;
    memset(rep, 0, sizeof(*rep));
    say(err, errsize, "%s", "");
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!disk || !disk->read || !disk->write || !disk->flush || disk->sector_size < 512 ||
        disk->sector_size > 65536 || (disk->sector_size & (disk->sector_size - 1))) {
        say(err, errsize, "invalid disk description");
        return -EINVAL;
    }
    struct store_log *log = calloc(1, sizeof(*log));
    if (!log)
        return -ENOMEM;
    log->disk = *disk;
    log->cur = STORE_NO_SEGMENT;
    log->cache_seg = STORE_NO_SEGMENT; /* recovery uses scratch for itself */
    log->young_after = INT64_MAX;
    store_index_init(&log->ix);
    int rc = load_superblock(log, opts, rep, err, errsize);
    if (rc == 0) {
        log->seg_seq = calloc(log->sb.segment_count, sizeof(*log->seg_seq));
        log->order = calloc(log->sb.segment_count, sizeof(*log->order));
        log->scratch = malloc(log->sb.segment_size);
        if (!log->seg_seq || !log->order || !log->scratch)
            rc = -ENOMEM;
    }
    if (rc == 0)
        rc = recover(log, rep, err, errsize);
    if (rc < 0) {
        store_log_close(log);
        return rc;
    }
    *out = log;
    return 0;
}

void store_log_close(struct store_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->nruns; i++)
        free(log->runs[i].buf);
    free(log->runs);
    free(log->seg_seq);
    free(log->order);
    free(log->scratch);
    store_index_free(&log->ix);
    free(log);
}
