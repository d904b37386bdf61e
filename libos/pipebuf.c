/* The byte ring behind a pipe: a fixed buffer, oldest byte at head; copies
 * in at most two pieces where the data wraps around the end. */
#include <string.h>

#include "pipebuf.h"

void pipebuf_init(struct pipebuf *b, void *mem, size_t cap)
{
    *b = (struct pipebuf){.data = mem, .cap = cap};
}

size_t pipebuf_write(struct pipebuf *b, const void *src, size_t n)
{
    if (n > pipebuf_space(b))
        n = pipebuf_space(b);
    size_t tail = (b->head + b->used) % b->cap;
    size_t first = b->cap - tail < n ? b->cap - tail : n;
    memcpy(b->data + tail, src, first);
    memcpy(b->data, (const unsigned char *)src + first, n - first);
    b->used += n;
    return n;
}

size_t pipebuf_read(struct pipebuf *b, void *dst, size_t n)
{
    if (n > b->used)
        n = b->used;
    size_t first = b->cap - b->head < n ? b->cap - b->head : n;
    memcpy(dst, b->data + b->head, first);
    memcpy((unsigned char *)dst + first, b->data, n - first);
    b->used -= n;
    b->head = b->used ? (b->head + n) % b->cap : 0; /* empty: start over, fewer wraps */
    return n;
}

size_t pipebuf_writable(const struct pipebuf *b, size_t n, size_t atomic)
{
    size_t space = pipebuf_space(b);
    if (n <= atomic)
        return n <= space ? n : 0;
    return n < space ? n : space;
}
