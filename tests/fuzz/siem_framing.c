/* libFuzzer target: any bytes as a syslog-over-TCP stream (RFC 6587:
 * octet counting or LF-terminated) through the framer. Byte 0 picks the
 * record limit (16..271, or the default), byte 1 how the stream is cut
 * into chunks; the rest is the stream. Fed whole and fed in chunks, it
 * must give the same records, none longer than the limit, and the counters
 * must match the records delivered; otherwise the target aborts. */
#include "chunks.h"
#include "framing.h"

struct run {
    struct log log;
    size_t max;
};

static void collect(void *ctx, const char *rec, size_t len, int flags)
{
    struct run *r = ctx;
    if (len > r->max || (len && !rec) || (flags & ~(SIEM_FRAME_TRUNCATED | SIEM_FRAME_ERROR)))
        abort();
    uint64_t head[2] = {len, (uint64_t)flags};
    log_add(&r->log, head, sizeof(head));
    log_add(&r->log, rec, len);
    r->log.n++;
}

struct feeding {
    struct siem_framer *f;
    struct run *r;
};

static void feed(void *ctx, char *chunk, size_t n)
{
    struct feeding *in = ctx;
    siem_framer_feed(in->f, chunk, n, collect, in->r);
}

/* Feeds stream[0..len) in chunks (whole when seed is 0), then ends it. */
static void decode(struct run *r, size_t max, const uint8_t *stream, size_t len, uint32_t seed)
{
    struct siem_framer f;
    memset(r, 0, sizeof(*r));
    if (siem_framer_init(&f, max) < 0)
        abort();
    r->max = f.max;
    struct feeding in = {&f, r};
    feed_chunks(stream, len, seed, feed, &in);
    siem_framer_end(&f, collect, r);
    if (f.records != r->log.n || f.truncated > f.records || f.errors > f.records)
        abort();
    siem_framer_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t max = data[0] == 0 ? 0 : 16 + (size_t)(data[0] - 1);
    struct run whole, cut;
    decode(&whole, max, data + 2, size - 2, 0);
    decode(&cut, max, data + 2, size - 2, 1u + data[1]);
    if (!log_same(&whole.log, &cut.log))
        abort();
    free(whole.log.p);
    free(cut.log.p);
    return 0;
}
