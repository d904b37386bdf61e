/* The event store log's steady state: appends into pending runs, commits
 * that make them durable, retention, and reads through the index. */
#include "logpriv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "meta.h"

/* Largest single request to the disk: a virtio-blk request is one buffer,
 * and a bounded size keeps a 1 MiB segment from being one huge request. */
#define IO_CHUNK_BYTES 65536

uint64_t store_disk_min_bytes(uint32_t sector_size)
{
    return store_min_bytes(sector_size);
}

static size_t chunk_sectors(const struct store_log *log)
{
    size_t n = IO_CHUNK_BYTES / log->disk.sector_size;
    return n ? n : 1;
}

int store_disk_read(struct store_log *log, uint64_t sector, void *buf, size_t count)
{
    uint8_t *p = buf;
    size_t step = chunk_sectors(log);
    while (count) {
        size_t n = count < step ? count : step;
        int rc = log->disk.read(log->disk.ctx, sector, p, n);
        if (rc)
            return rc < 0 ? rc : -EIO;
        sector += n;
        p += n * log->disk.sector_size;
        count -= n;
    }
    return 0;
}

int store_disk_write(struct store_log *log, uint64_t sector, const void *buf, size_t count)
{
    const uint8_t *p = buf;
    size_t step = chunk_sectors(log);
    while (count) {
        size_t n = count < step ? count : step;
        int rc = log->disk.write(log->disk.ctx, sector, p, n);
        if (rc)
            return rc < 0 ? rc : -EIO;
        sector += n;
        p += n * log->disk.sector_size;
        count -= n;
    }
    return 0;
}

uint64_t store_seg_sector(const struct store_log *log, uint32_t seg)
{
    return log->sb.first_sector + (uint64_t)seg * (log->sb.segment_size / log->sb.sector_size);
}

void store_order_push(struct store_log *log, uint32_t seg)
{
    uint32_t n = log->sb.segment_count;
    log->order[(log->order_head + log->order_count) % n] = seg;
    log->order_count++;
}

/* Grows run's buffer to hold need bytes, in whole sectors, zero-filled. */
static int run_reserve(struct store_log *log, struct store_run *run, size_t need)
{
    size_t ss = log->sb.sector_size;
    if (need <= run->cap)
        return 0;
    size_t cap = run->cap ? run->cap : ss;
    while (cap < need)
        cap *= 2;
    cap = (cap + ss - 1) / ss * ss;
    uint8_t *buf = realloc(run->buf, cap);
    if (!buf)
        return -ENOMEM;
    memset(buf + run->cap, 0, cap - run->cap);
    run->buf = buf;
    run->cap = cap;
    return 0;
}

int store_run_begin(struct store_log *log, uint32_t seg, uint32_t pos, const uint8_t *seg_bytes)
{
    struct store_run *runs = realloc(log->runs, (log->nruns + 1) * sizeof(*runs));
    if (!runs)
        return -ENOMEM;
    log->runs = runs;
    struct store_run *run = &runs[log->nruns];
    memset(run, 0, sizeof(*run));
    run->seg = seg;
    run->start = pos / log->sb.sector_size * log->sb.sector_size;
    run->len = pos - run->start;
    if (run_reserve(log, run, run->len ? run->len : 1) < 0)
        return -ENOMEM;
    memcpy(run->buf, seg_bytes + run->start, run->len);
    log->nruns++;
    return 0;
}

static int run_holds_segment(const struct store_log *log, uint32_t seg)
{
    for (size_t i = 0; i < log->nruns; i++)
        if (log->runs[i].seg == seg && log->runs[i].len)
            return 1;
    return 0;
}

/* Retention: forgets the oldest live segment and its records. Its bytes
 * stay on the disk until the segment is rewritten; a new header makes
 * them stale (records carry their segment's sequence number). */
static void reclaim_oldest(struct store_log *log)
{
    uint32_t seg = log->order[log->order_head];
    const struct store_rec *r;
    while ((r = store_index_oldest(&log->ix)) && r->segment == seg) {
        if (r->time_ms != STORE_NO_TIME && r->time_ms >= log->young_after)
            log->st.evicted_young++;
        store_index_pop_oldest(&log->ix);
        log->st.records_reclaimed++;
    }
    log->seg_seq[seg] = 0;
    log->order_head = (log->order_head + 1) % log->sb.segment_count;
    log->order_count--;
    log->st.segments_reclaimed++;
}

int store_key_save(struct store_log *log)
{
    size_t ss = log->sb.sector_size;
    uint8_t *sector = calloc(1, ss);
    if (!sector)
        return -ENOMEM;
    int slot = !log->key_slot;
    store_key_encode(sector, log->key_seg, log->key);
    int rc = store_disk_write(log, 1 + (uint64_t)slot, sector, 1);
    if (rc == 0)
        rc = log->disk.flush(log->disk.ctx);
    chain_wipe(sector, ss);
    if (rc == 0) {
        /* The new state is durable: now the older key leaves the disk. */
        log->key_slot = slot;
        rc = store_disk_write(log, 1 + (uint64_t)!slot, sector, 1);
        if (rc == 0)
            rc = log->disk.flush(log->disk.ctx);
        if (rc == 0)
            log->key_durable = log->key_seg;
    }
    free(sector);
    return rc > 0 ? -EIO : rc;
}

/* Moves appends to the next segment in disk order, reclaiming the oldest
 * segments until it is free. Segments are used round-robin, so the next
 * one is free or the oldest. The segment that closes is sealed with its
 * own key, which is then evolved into the new segment's and forgotten. */
static int start_segment(struct store_log *log)
{
    uint32_t t = log->cur == STORE_NO_SEGMENT ? 0 : (log->cur + 1) % log->sb.segment_count;
    if (log->seg_seq[t] && run_holds_segment(log, t))
        return -ENOBUFS; /* the pending bytes would overwrite themselves */
    if (log->chain && log->key_seg + (log->cur != STORE_NO_SEGMENT) != log->next_segseq)
        return -EROFS; /* recovery keeps this from happening */
    uint8_t hdr[STORE_SEG_HDR] = {0};
    int rc = store_run_begin(log, t, 0, hdr);
    if (rc < 0)
        return rc;
    struct store_seghdr h = {.segseq = log->next_segseq, .start_seq = log->next_seq};
    memcpy(h.prev_tag, log->tag, sizeof(h.prev_tag));
    if (log->chain) {
        if (log->cur != STORE_NO_SEGMENT) {
            chain_seal(log->key, log->seg_seq[log->cur], log->next_seq - 1, log->tag, h.seal);
            chain_evolve(log->key);
            log->key_seg++;
        }
        store_seg_encode(hdr, &h);
        chain_header_mac(log->key, hdr, STORE_SEG_MAC_LEN, h.mac);
    }
    struct store_run *run = &log->runs[log->nruns - 1];
    store_seg_encode(run->buf, &h);
    run->len = sizeof(hdr);
    while (log->seg_seq[t])
        reclaim_oldest(log);
    if (log->cache_seg == t)
        log->cache_seg = STORE_NO_SEGMENT; /* about to be overwritten */
    log->seg_seq[t] = log->next_segseq++;
    store_order_push(log, t);
    log->cur = t;
    log->dirty = 1;
    return 0;
}

size_t store_log_record_max(const struct store_log *log)
{
    return log->sb.segment_size - STORE_SEG_HDR - STORE_REC_HDR;
}

int store_log_append(struct store_log *log, enum store_kind kind, const char *payload, size_t len)
{
    return store_log_append_id(log, kind, NULL, payload, len);
}

int store_log_append_id(struct store_log *log, enum store_kind kind, const char *id,
                        const char *payload, size_t len)
{
    if (!log || !payload || len == 0 || (kind != STORE_EVENT && kind != STORE_ALERT))
        return -EINVAL;
    if (log->st.chain_broken)
        return -EROFS;
    if (len > store_log_record_max(log))
        return -EMSGSIZE;
    struct store_meta m;
    int rc = id ? store_meta_skim(payload, len, id, &m)
                : store_meta_parse(payload, len, kind == STORE_ALERT, &m);
    if (rc < 0)
        return rc;
    if (m.has_id && store_index_has(&log->ix, m.key)) {
        log->st.duplicates++;
        return -EEXIST;
    }
    uint32_t need = STORE_REC_HDR + (uint32_t)len;
    struct store_run *run = log->nruns ? &log->runs[log->nruns - 1] : NULL;
    if (!run || run->start + run->len + need > log->sb.segment_size) {
        if ((rc = start_segment(log)) < 0)
            return rc;
        run = &log->runs[log->nruns - 1];
    }
    if (run_reserve(log, run, run->len + need) < 0)
        return -ENOMEM;
    struct store_rec r = {
        .seq = log->next_seq,
        .time_ms = m.time_ms,
        .segment = run->seg,
        .offset = run->start + run->len,
        .len = (uint32_t)len,
        .kind = (uint8_t)kind,
        .has_id = (uint8_t)m.has_id,
    };
    memcpy(r.id, m.key, sizeof(r.id));
    if (store_index_push(&log->ix, &r) < 0)
        return -ENOMEM;
    struct store_rechdr h = {
        .kind = (uint8_t)kind,
        .flags = m.has_id ? STORE_REC_F_ID : 0,
        .len = (uint32_t)len,
        .seq = r.seq,
        .segseq = log->seg_seq[run->seg],
        .time_ms = m.time_ms,
    };
    memcpy(h.id, m.key, sizeof(h.id));
    uint8_t *hdr = run->buf + run->len;
    store_rec_encode_fields(hdr, &h);
    if (log->chain)
        chain_record_tag(log->key, hdr, log->tag, payload, (uint32_t)len, h.tag);
    store_rec_set_tag(hdr, h.tag, payload, (uint32_t)len);
    memcpy(log->tag, h.tag, sizeof(log->tag));
    memcpy(hdr + STORE_REC_HDR, payload, len);
    run->len += need;
    log->next_seq++;
    log->dirty = 1;
    log->st.appended++;
    return 0;
}

void store_log_set_young_after(struct store_log *log, int64_t time_ms)
{
    log->young_after = time_ms;
}

int store_log_commit(struct store_log *log)
{
    if (!log)
        return -EINVAL;
    if (!log->dirty)
        return 0;
    size_t ss = log->sb.sector_size;
    int rc = 0;
    for (size_t i = 0; i < log->nruns && rc == 0; i++) {
        struct store_run *run = &log->runs[i];
        size_t sectors = (run->len + ss - 1) / ss;
        rc = store_disk_write(log, store_seg_sector(log, run->seg) + run->start / ss, run->buf,
                              sectors);
    }
    if (rc == 0) {
        rc = log->disk.flush(log->disk.ctx);
        if (rc > 0)
            rc = -EIO;
    }
    /* What the new key tagged is on the disk: now the key state moves
     * on, and the keys of the segments just sealed leave the disk. */
    if (rc == 0 && log->chain && log->key_seg != log->key_durable)
        rc = store_key_save(log);
    if (rc < 0) {
        /* Keep every run: after a failed write or flush nothing since the
         * last good commit is known to be on the disk. */
        log->st.commit_errors++;
        return rc;
    }
    /* Durable. Keep only the partly filled last sector of the newest run:
     * the next commit rewrites it with the same bytes in front. */
    for (size_t i = 0; i + 1 < log->nruns; i++)
        free(log->runs[i].buf);
    struct store_run last = log->runs[log->nruns - 1];
    uint32_t full = (uint32_t)(last.len / ss * ss);
    memmove(last.buf, last.buf + full, last.len - full);
    memset(last.buf + (last.len - full), 0, last.cap - (last.len - full));
    last.start += full;
    last.len -= full;
    log->runs[0] = last;
    log->nruns = 1;
    log->dirty = 0;
    log->st.commits++;
    log->st.head_seq = log->next_seq - 1;
    memcpy(log->st.head_tag, log->tag, sizeof(log->tag));
    return 0;
}

int store_log_has_id(const struct store_log *log, const char *id)
{
    uint8_t key[16];
    if (!log || !id || store_id_key(id, strlen(id), key) < 0)
        return 0;
    return store_index_has(&log->ix, key);
}

size_t store_log_count(const struct store_log *log)
{
    return log ? log->ix.count : 0;
}

const struct store_rec *store_log_newest(const struct store_log *log, size_t i)
{
    return log ? store_index_newest(&log->ix, i) : NULL;
}

const uint8_t *store_pending_bytes(const struct store_log *log, uint32_t seg, uint32_t off,
                                   uint32_t len)
{
    for (size_t i = 0; i < log->nruns; i++) {
        const struct store_run *run = &log->runs[i];
        if (run->seg == seg && off >= run->start && off + len <= run->start + run->len)
            return run->buf + (off - run->start);
    }
    return NULL;
}

int store_rec_copy(const uint8_t *bytes, const struct store_rec *rec, char *buf)
{
    struct store_rechdr h;
    if (store_rec_decode(bytes, &h) < 0 || h.seq != rec->seq || h.len != rec->len ||
        !store_rec_crc_ok(bytes, bytes + STORE_REC_HDR, h.len))
        return -EBADMSG;
    memcpy(buf, bytes + STORE_REC_HDR, rec->len);
    buf[rec->len] = '\0';
    return (int)rec->len;
}

int store_log_read(struct store_log *log, const struct store_rec *rec, char *buf, size_t size)
{
    if (!log || !rec || !buf)
        return -EINVAL;
    if (size <= rec->len)
        return -ERANGE;
    uint32_t total = STORE_REC_HDR + rec->len;
    if (rec->segment >= log->sb.segment_count || rec->offset + total > log->sb.segment_size)
        return -EINVAL;
    const uint8_t *bytes = store_pending_bytes(log, rec->segment, rec->offset, total);
    if (!bytes && (log->cache_seg != rec->segment || rec->offset + total > log->cache_len)) {
        /* Queries read newest first, so the records that come next are
         * earlier in the same segment: read it from its start up to this
         * record, once. Everything up to this record's end was committed
         * before it, so the copy stays valid until the segment is reused. */
        uint32_t ss = log->sb.sector_size;
        log->cache_seg = STORE_NO_SEGMENT;
        int rc = store_disk_read(log, store_seg_sector(log, rec->segment), log->scratch,
                                 (rec->offset + total + ss - 1) / ss);
        if (rc < 0)
            return rc;
        log->cache_seg = rec->segment;
        log->cache_len = rec->offset + total;
    }
    if (!bytes)
        bytes = log->scratch + rec->offset;
    return store_rec_copy(bytes, rec, buf);
}

void store_log_stats(const struct store_log *log, struct store_stats *st)
{
    *st = log->st;
    st->records = log->ix.count;
    st->segments_live = log->order_count;
    st->segment_count = log->sb.segment_count;
    st->segment_size = log->sb.segment_size;
    st->next_seq = log->next_seq;
}
