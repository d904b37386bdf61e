/* The byte ring behind a pipe (pipebuf.c): pure logic, no kernel calls, so
 * the host unit tests (tests/unit/test_pipebuf.c) cover it. */
#ifndef LIBOS_PIPEBUF_H
#define LIBOS_PIPEBUF_H

#include <stddef.h>

struct pipebuf {
    unsigned char *data;
    size_t cap;  /* bytes data holds */
    size_t head; /* index of the oldest byte */
    size_t used; /* bytes queued */
};

/* mem holds cap > 0 bytes. */
void pipebuf_init(struct pipebuf *b, void *mem, size_t cap);
/* Queue min(n, free space) bytes of src; returns how many. */
size_t pipebuf_write(struct pipebuf *b, const void *src, size_t n);
/* Take min(n, queued) bytes into dst, oldest first; returns how many. */
size_t pipebuf_read(struct pipebuf *b, void *dst, size_t n);
/* How many of n bytes a write may queue now under POSIX's rule for pipes:
 * a write of at most atomic (PIPE_BUF) bytes goes in whole or not at all;
 * a larger one may go in part. 0: the writer must wait (or EAGAIN). */
size_t pipebuf_writable(const struct pipebuf *b, size_t n, size_t atomic);

static inline size_t pipebuf_space(const struct pipebuf *b)
{
    return b->cap - b->used;
}

#endif
