/* libFuzzer target: any bytes as a RELP session (rsyslog's omrelp to the
 * normaliser) through the frame decoder. Byte 0 picks the record limit
 * (16..271, or the default), byte 1 how the stream is cut into chunks; the
 * rest is the stream. Fed whole and fed in chunks, it must give the same
 * frames and end in the same state (error or not); each frame's DATA is
 * within the limit and its responses fit a buffer of the size the server
 * uses. Otherwise the target aborts. */
#include <stdio.h>

#include "chunks.h"
#include "relp.h"

struct run {
    struct log log;
    size_t max;
};

static void collect(void *ctx, const struct siem_relp_frame *f)
{
    struct run *r = ctx;
    char rsp[256];
    if (f->len > r->max || (f->len && !f->data) || f->txnr == 0 || f->txnr > SIEM_RELP_TXNR_MAX)
        abort();
    if (f->command != SIEM_RELP_OPEN && f->command != SIEM_RELP_SYSLOG &&
        f->command != SIEM_RELP_CLOSE)
        abort();
    int n = f->command == SIEM_RELP_OPEN    ? siem_relp_rsp_open(rsp, sizeof(rsp), f->txnr, "fuzz")
            : f->command == SIEM_RELP_CLOSE ? siem_relp_rsp_close(rsp, sizeof(rsp), f->txnr)
                                            : siem_relp_rsp_ok(rsp, sizeof(rsp), f->txnr);
    if (n <= 0 || (size_t)n >= sizeof(rsp) || rsp[n] != '\0' || rsp[n - 1] != '\n')
        abort();
    uint64_t head[4] = {f->txnr, (uint64_t)f->command, (uint64_t)f->truncated, f->len};
    log_add(&r->log, head, sizeof(head));
    log_add(&r->log, f->data, f->len);
    r->log.n++;
}

/* Feeds stream[0..len) in chunks (whole when seed is 0); returns the
 * error the session ended with, or 0. */
struct feeding {
    struct siem_relp *relp;
    struct run *r;
    int e; /* the last feed's result */
};

static void feed(void *ctx, char *chunk, size_t n)
{
    struct feeding *in = ctx;
    int got = siem_relp_feed(in->relp, chunk, n, collect, in->r);
    if (in->e && got != in->e)
        abort(); /* errors are sticky */
    in->e = got;
}

static int decode(struct run *r, size_t max, const uint8_t *stream, size_t len, uint32_t seed)
{
    struct siem_relp relp;
    memset(r, 0, sizeof(*r));
    if (siem_relp_init(&relp, max) < 0)
        abort();
    r->max = relp.max;
    struct feeding in = {&relp, r, 0};
    feed_chunks(stream, len, seed, feed, &in);
    int e = in.e;
    if (e > 0 || e < SIEM_RELP_E_STATE || relp.errors != (e ? 1u : 0u) || relp.frames != r->log.n)
        abort();
    if (e && !siem_relp_strerror(e))
        abort();
    siem_relp_free(&relp);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t max = data[0] == 0 ? 0 : 16 + (size_t)(data[0] - 1);
    struct run whole, cut;
    int ew = decode(&whole, max, data + 2, size - 2, 0);
    int ec = decode(&cut, max, data + 2, size - 2, 1u + data[1]);
    if (ew != ec || !log_same(&whole.log, &cut.log))
        abort();
    free(whole.log.p);
    free(cut.log.p);
    return 0;
}
