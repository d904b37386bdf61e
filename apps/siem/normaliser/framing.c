/* RFC 6587 framing (3.4.1 octet counting, 3.4.2 non-transparent framing)
 * as a byte-at-a-time state machine, so chunk boundaries never matter. */
#include "framing.h"

#include <stdlib.h>
#include <string.h>

enum {
    START,       /* between frames */
    COUNT,       /* reading the octet count */
    OCTETS,      /* reading a counted record */
    SKIP_OCTETS, /* discarding the part of a counted record beyond max */
    LINE,        /* reading a record up to its LF (or NUL) */
    SKIP_LINE,   /* discarding up to the next LF */
};

int siem_framer_init(struct siem_framer *f, size_t max)
{
    memset(f, 0, sizeof(*f));
    f->max = max ? max : SIEM_FRAME_MAX_DEFAULT;
    f->buf = malloc(f->max + 1);
    f->state = START;
    return f->buf ? 0 : -1;
}

void siem_framer_free(struct siem_framer *f)
{
    free(f->buf);
    f->buf = NULL;
}

static void deliver(struct siem_framer *f, size_t len, int flags, siem_frame_fn fn, void *ctx)
{
    f->records++;
    if (flags & SIEM_FRAME_TRUNCATED)
        f->truncated++;
    if (flags & SIEM_FRAME_ERROR)
        f->errors++;
    fn(ctx, f->buf, len, flags);
    f->used = 0;
    f->flags = 0;
}

/* A malformed count: what was read of it starts the error record, which
 * then runs to the end of the line. */
static void bad_count(struct siem_framer *f, char c, siem_frame_fn fn, void *ctx)
{
    f->flags = SIEM_FRAME_ERROR;
    f->state = LINE;
    if (c == '\n' || c == '\0') {
        deliver(f, f->used, f->flags, fn, ctx);
        f->state = START;
    } else {
        f->buf[f->used++] = c; /* used <= 9 here, far below max */
    }
}

static void line_byte(struct siem_framer *f, char c, siem_frame_fn fn, void *ctx)
{
    if (c == '\n' || c == '\0') {
        size_t n = f->used;
        if (n > 0 && f->buf[n - 1] == '\r')
            n--;
        if (n > 0 || f->flags)
            deliver(f, n, f->flags, fn, ctx);
        f->used = 0;
        f->state = START;
    } else if (f->used < f->max || (f->used == f->max && c == '\r')) {
        /* One byte beyond max is kept only for a CR, in case an LF follows. */
        f->buf[f->used++] = c;
    } else {
        deliver(f, f->max, f->flags | SIEM_FRAME_TRUNCATED, fn, ctx);
        f->state = SKIP_LINE;
    }
}

void siem_framer_feed(struct siem_framer *f, const char *data, size_t len, siem_frame_fn fn,
                      void *ctx)
{
    size_t i = 0;
    while (i < len) {
        char c = data[i];
        switch (f->state) {
        case START:
            i++;
            if (c == '\n' || c == '\r' || c == '\0')
                break; /* trailers some senders add after counted frames too */
            f->used = 0;
            f->flags = 0;
            if (c >= '1' && c <= '9') {
                f->state = COUNT;
                f->left = (uint32_t)(c - '0');
                f->digits = 1;
                f->buf[f->used++] = c;
            } else if (c == '0') {
                f->buf[f->used++] = c;
                f->flags = SIEM_FRAME_ERROR;
                f->state = LINE;
            } else {
                f->state = LINE;
                f->buf[f->used++] = c;
            }
            break;
        case COUNT:
            i++;
            if (c >= '0' && c <= '9' && f->digits < SIEM_FRAME_COUNT_DIGITS) {
                f->left = f->left * 10 + (uint32_t)(c - '0');
                f->digits++;
                f->buf[f->used++] = c;
            } else if (c == ' ') {
                f->used = 0;
                f->state = OCTETS;
            } else {
                bad_count(f, c, fn, ctx);
            }
            break;
        case OCTETS: {
            size_t room = f->max - f->used, n = len - i;
            if (n > f->left)
                n = f->left;
            if (n > room)
                n = room;
            memcpy(f->buf + f->used, data + i, n);
            f->used += n;
            f->left -= (uint32_t)n;
            i += n;
            if (f->left == 0) {
                deliver(f, f->used, 0, fn, ctx);
                f->state = START;
            } else if (f->used == f->max) {
                deliver(f, f->max, SIEM_FRAME_TRUNCATED, fn, ctx);
                f->state = SKIP_OCTETS;
            }
            break;
        }
        case SKIP_OCTETS: {
            size_t n = len - i < f->left ? len - i : f->left;
            f->left -= (uint32_t)n;
            i += n;
            if (f->left == 0)
                f->state = START;
            break;
        }
        case LINE:
            i++;
            line_byte(f, c, fn, ctx);
            break;
        case SKIP_LINE:
            i++;
            if (c == '\n' || c == '\0')
                f->state = START;
            break;
        }
    }
}

void siem_framer_end(struct siem_framer *f, siem_frame_fn fn, void *ctx)
{
    if (f->state == LINE && (f->used > 0 || f->flags)) {
        size_t n = f->used > f->max ? f->max : f->used;
        deliver(f, n, f->flags, fn, ctx);
    } else if (f->state == OCTETS) {
        deliver(f, f->used, SIEM_FRAME_TRUNCATED, fn, ctx);
    } else if (f->state == COUNT) {
        deliver(f, f->used, SIEM_FRAME_ERROR, fn, ctx);
    }
    f->used = 0;
    f->flags = 0;
    f->state = START;
}
