/* For the stream-decoder targets: what a decoder delivered, as one byte
 * log that two runs can compare, and a reproducible split of the input
 * into chunks. An incremental decoder must deliver the same thing however
 * TCP happened to cut the stream. */
#ifndef TESTS_FUZZ_CHUNKS_H
#define TESTS_FUZZ_CHUNKS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct log {
    uint8_t *p;
    size_t len, cap;
    unsigned n;
};

static inline void log_add(struct log *l, const void *data, size_t len)
{
    if (l->len + len > l->cap) {
        size_t cap = l->cap ? l->cap : 256;
        while (cap < l->len + len)
            cap *= 2;
        l->p = realloc(l->p, cap);
        if (!l->p)
            abort();
        l->cap = cap;
    }
    if (len)
        memcpy(l->p + l->len, data, len);
    l->len += len;
}

static inline int log_same(const struct log *a, const struct log *b)
{
    return a->n == b->n && a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* Chunk lengths 1..32 from a small generator seeded by one input byte. */
static inline size_t next_chunk(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return 1 + (*state >> 16) % 32;
}

/* A heap copy of exactly len bytes: AddressSanitizer sees a read past it. */
static inline char *exact_copy(const uint8_t *data, size_t len)
{
    char *p = malloc(len ? len : 1);
    if (!p)
        abort();
    if (len)
        memcpy(p, data, len);
    return p;
}

/* Feed stream[0..len) to feed(ctx, chunk, n) whole (seed 0) or in the
 * chunks next_chunk() gives, each in a heap block of its exact size. */
static inline void feed_chunks(const uint8_t *stream, size_t len, uint32_t seed,
                               void (*feed)(void *ctx, char *chunk, size_t n), void *ctx)
{
    for (size_t off = 0, n; off < len; off += n) {
        n = seed ? next_chunk(&seed) : len;
        if (n > len - off)
            n = len - off;
        char *chunk = exact_copy(stream + off, n);
        feed(ctx, chunk, n);
        free(chunk);
    }
}

#endif
