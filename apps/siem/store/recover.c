/* Opening the event store log: formatting a blank disk, refusing a foreign
 * one, and rebuilding the index from the segments after a crash. */
#include "logpriv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

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
static int format(struct store_log *log, const uint8_t *seal_key, uint8_t *sector)
{
    memset(sector, 0, log->sb.sector_size);
    for (uint32_t s = 0; s < log->sb.segment_count; s++) {
        int rc = store_disk_write(log, store_seg_sector(log, s), sector, 1);
        if (rc < 0)
            return rc;
    }
    for (uint64_t k = 1; k <= STORE_KEY_SLOTS; k++) {
        int rc = store_disk_write(log, k, sector, 1);
        if (rc < 0)
            return rc;
    }
    int rc = log->disk.flush(log->disk.ctx);
    if (rc < 0)
        return rc;
    /* The first segment's key K_1 = evolve(K_0): K_0 itself is never on
     * the disk. The key state goes into slot 1, so it ends up in slot 0. */
    if (log->chain) {
        memcpy(log->key, seal_key, sizeof(log->key));
        chain_evolve(log->key);
        log->key_seg = 1;
        log->key_slot = 1;
        if ((rc = store_key_save(log)) < 0)
            return rc;
    }
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
        else if (log->chain && !(opts && opts->seal_key)) {
            say(err, errsize, "the disk is blank and there is no seal key to start its chain with");
            rc = -EACCES;
        } else if ((rc = format(log, opts ? opts->seal_key : NULL, sector)) < 0)
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

/* Where the chain stands while recovery walks the log: the record that
 * must come next and the tag it must chain to; key is the open segment's
 * key while that segment is scanned (its tags are checked), else NULL. */
struct walk {
    uint64_t next_seq;
    uint8_t prev[32];
    const uint8_t *key;
    struct store_recovery *rep;
};

/* Records the first fault of the chain: recovery stops there. */
static void broken(struct walk *w, uint64_t seq, const char *fmt, ...)
{
    struct store_recovery *rep = w->rep;
    if (rep->chain_broken)
        return;
    rep->chain_broken = 1;
    rep->broken_seq = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->broken_why, sizeof(rep->broken_why), fmt, ap);
    va_end(ap);
}

/* Indexes the records of one segment (already in log->scratch) while they
 * continue the chain. Returns the offset where its log ends, or -ENOMEM;
 * *bad is set when the end is a damaged record rather than the clean end
 * of what was written (zeros, or stale bytes of the segment's previous
 * use). A record that is intact but does not continue the chain (another
 * sequence number, a tag that does not match) breaks it. */
static long scan_segment(struct store_log *log, uint32_t seg, uint64_t segseq, struct walk *w,
                         uint64_t *count, int *bad)
{
    const uint8_t *s = log->scratch;
    uint32_t size = log->sb.segment_size, pos = STORE_SEG_HDR;
    *bad = 0;
    while (pos + STORE_REC_HDR <= size) {
        struct store_rechdr h;
        if (store_rec_decode(s + pos, &h) < 0 || h.segseq != segseq)
            break;
        if ((h.kind != STORE_EVENT && h.kind != STORE_ALERT) || h.len == 0 ||
            h.len > size - pos - STORE_REC_HDR ||
            !store_rec_crc_ok(s + pos, s + pos + STORE_REC_HDR, h.len)) {
            *bad = 1;
            break;
        }
        if (h.seq != w->next_seq) {
            broken(w, w->next_seq,
                   "record %llu found where record %llu belongs (removed or reordered)",
                   (unsigned long long)h.seq, (unsigned long long)w->next_seq);
            break;
        }
        if (w->key) {
            uint8_t tag[32];
            chain_record_tag(w->key, s + pos, w->prev, s + pos + STORE_REC_HDR, h.len, tag);
            w->rep->tags_checked++;
            if (!chain_same(tag, h.tag)) {
                broken(w, h.seq,
                       "record %llu does not match its tag (altered, or not chained "
                       "to record %llu)",
                       (unsigned long long)h.seq, (unsigned long long)h.seq - 1);
                break;
            }
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
        memcpy(w->prev, h.tag, sizeof(w->prev));
        w->next_seq++;
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

/* Reads the key state (the valid slot for the newest segment) into the
 * log. Returns 0, or -1 when neither slot holds one. */
static int load_key(struct store_log *log)
{
    uint8_t key[32];
    uint64_t segseq;
    int found = 0;
    uint8_t *sector = malloc(log->sb.sector_size);
    if (!sector)
        return -1;
    for (int slot = 0; slot < STORE_KEY_SLOTS; slot++) {
        if (store_disk_read(log, 1 + (uint64_t)slot, sector, 1) < 0 ||
            store_key_decode(sector, &segseq, key) < 0 || (found && segseq <= log->key_seg))
            continue;
        found = 1;
        memcpy(log->key, key, sizeof(key));
        log->key_seg = log->key_durable = segseq;
        log->key_slot = slot;
    }
    chain_wipe(key, sizeof(key));
    chain_wipe(sector, log->sb.sector_size);
    free(sector);
    return found ? 0 : -1;
}

/* Before the open (newest) segment is scanned: takes the key state up to
 * its key and checks its header with it. Returns 1 when its tags can be
 * checked, 0 when the key state is ahead of it or gone (segments after it
 * were cut: it is scanned as a sealed one, and the chain breaks at its
 * end, *why saying so), -1 after broken(). */
static int open_key(struct store_log *log, const struct store_seghdr *h, uint32_t nlive,
                    struct walk *w, const char **why)
{
    if (load_key(log) < 0) {
        *why = "no key state on the disk (sectors 1-2 damaged or wiped)";
        return 0;
    }
    if (log->key_seg > h->segseq) {
        *why = "the key state is for a later segment than the newest one (the log was cut)";
        return 0;
    }
    if (h->segseq - log->key_seg > nlive) {
        broken(w, h->start_seq, "the key state is for segment %llu, the newest segment is %llu",
               (unsigned long long)log->key_seg, (unsigned long long)h->segseq);
        return -1;
    }
    while (log->key_seg < h->segseq) { /* a crash before the key state was saved */
        chain_evolve(log->key);
        log->key_seg++;
    }
    uint8_t mac[32];
    chain_header_mac(log->key, log->scratch, STORE_SEG_MAC_LEN, mac);
    if (!chain_same(mac, h->mac)) {
        broken(w, h->start_seq, "the header of segment %llu does not match its MAC",
               (unsigned long long)h->segseq);
        return -1;
    }
    return 1;
}

/* Checks that segment i of the live ones (oldest first) starts where the
 * chain stands; the oldest sets where it stands. 0, or -1 after broken(). */
static int segment_starts(struct store_log *log, const struct seg_ref *live, uint32_t i,
                          uint32_t nlive, const struct store_seghdr *h, struct walk *w)
{
    uint32_t n = log->sb.segment_count;
    uint64_t newest = live[nlive - 1].seq;
    uint64_t oldest = newest > n ? newest - n + 1 : 1;
    uint64_t at = i ? w->next_seq : h->start_seq;
    if (live[i].seg != (live[i].seq - 1) % n) {
        broken(w, at, "segment %llu is at position %u, not %llu (segments moved)",
               (unsigned long long)live[i].seq, live[i].seg,
               (unsigned long long)(live[i].seq - 1) % n);
        return -1;
    }
    if (live[i].seq != (i ? live[i - 1].seq + 1 : oldest)) {
        broken(w, at, "segment %llu is missing",
               (unsigned long long)(i ? live[i - 1].seq + 1 : oldest));
        return -1;
    }
    if (i == 0) {
        static const uint8_t zero[32];
        if (h->segseq == 1 && (h->start_seq != 1 || !chain_same(h->prev_tag, zero))) {
            broken(w, 1, "segment 1 does not start the chain at record 1");
            return -1;
        }
        w->next_seq = h->start_seq;
        memcpy(w->prev, h->prev_tag, sizeof(w->prev));
        return 0;
    }
    if (h->start_seq != w->next_seq) {
        broken(w, w->next_seq, "segment %llu starts at record %llu, the one before ends at %llu",
               (unsigned long long)h->segseq, (unsigned long long)h->start_seq,
               (unsigned long long)w->next_seq - 1);
        return -1;
    }
    if (!chain_same(h->prev_tag, w->prev)) {
        broken(w, w->next_seq, "segment %llu does not chain to record %llu",
               (unsigned long long)h->segseq, (unsigned long long)w->next_seq - 1);
        return -1;
    }
    return 0;
}

/* Finds the live segments, oldest first, rebuilds the index from the
 * records that continue the chain, and checks the open segment's tags. */
static int recover(struct store_log *log, struct store_recovery *rep, char *err, size_t errsize)
{
    uint32_t n = log->sb.segment_count, seg_sectors = log->sb.segment_size / log->sb.sector_size;
    struct seg_ref *live = malloc((size_t)n * sizeof(*live));
    if (!live)
        return -ENOMEM;
    uint32_t nlive = 0;
    int rc = 0;
    for (uint32_t s = 0; s < n && rc == 0; s++) {
        struct store_seghdr h;
        rc = store_disk_read(log, store_seg_sector(log, s), log->scratch, 1);
        uint64_t seq = rc == 0 ? store_seg_decode(log->scratch, &h) : 0;
        if (seq)
            live[nlive++] = (struct seg_ref){seq, s};
    }
    qsort(live, nlive, sizeof(*live), by_seq);
    struct walk w = {.next_seq = 1, .rep = rep};
    if (nlive == 0 && log->chain && rc == 0) {
        if (load_key(log) < 0)
            broken(&w, 1, "no key state on the disk (sectors 1-2 damaged or wiped)");
        else if (log->key_seg != 1)
            broken(&w, 1, "the key state is for segment %llu and no segment is on the disk",
                   (unsigned long long)log->key_seg);
    }
    for (uint32_t i = 0; i < nlive && rc == 0 && !rep->chain_broken; i++) {
        uint32_t seg = live[i].seg;
        if ((rc = store_disk_read(log, store_seg_sector(log, seg), log->scratch, seg_sectors)) < 0)
            break;
        struct store_seghdr h;
        store_seg_decode(log->scratch, &h);
        int newest = i + 1 == nlive, keyed = 0;
        const char *cut_why = NULL;
        if (segment_starts(log, live, i, nlive, &h, &w) < 0 ||
            (newest && log->chain && (keyed = open_key(log, &h, nlive, &w, &cut_why)) < 0))
            break;
        w.key = keyed ? log->key : NULL;
        uint64_t count = 0;
        int bad;
        long end = scan_segment(log, seg, live[i].seq, &w, &count, &bad);
        if (end < 0) {
            rc = (int)end;
            break;
        }
        rep->records += count;
        log->seg_seq[seg] = live[i].seq;
        store_order_push(log, seg);
        if (!newest) {
            if (bad) {
                rep->corrupt_segments++;
                broken(&w, w.next_seq, "record %llu is damaged (CRC)",
                       (unsigned long long)w.next_seq);
            }
            continue;
        }
        rep->sealed_segments = nlive - 1;
        if (cut_why)
            broken(&w, w.next_seq, "%s", cut_why);
        if (rep->chain_broken)
            break; /* keep the disk as it was found */
        /* The newest segment: a damaged record ends it (a torn commit), and
         * appends continue at the end of its log. */
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
    /* A key evolved past a crash is saved now, so the older one leaves the
     * disk; a broken log is left exactly as it was found. */
    if (rc == 0 && log->chain && !rep->chain_broken && log->key_seg != log->key_durable &&
        (rc = store_key_save(log)) < 0)
        say(err, errsize, "saving the key state failed (error %d)", rc);
    rep->segments = nlive;
    rep->first_seq = log->ix.count ? store_index_oldest(&log->ix)->seq : 0;
    rep->last_seq = w.next_seq - 1;
    log->next_seq = w.next_seq;
    log->next_segseq = nlive ? live[nlive - 1].seq + 1 : 1;
    memcpy(log->tag, w.prev, sizeof(log->tag));
    log->st.chain_broken = rep->chain_broken;
    log->st.head_seq = rep->last_seq;
    memcpy(log->st.head_tag, w.prev, sizeof(w.prev));
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
    log->chain = !(opts && opts->chain_off);
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
    chain_wipe(log->key, sizeof(log->key));
    free(log);
}
