/* What libsodium's core.c and randombytes.c would give the few files the
 * build takes from it (see the Makefile): the handler for a misuse (an
 * argument no caller may pass) and the random source. In an image that is
 * libos's arc4random_buf (seeded by getentropy); on the host, the C
 * library's. */
#include <stdlib.h>

void sodium_misuse(void);
void randombytes_buf(void *const buf, const size_t size);

void sodium_misuse(void)
{
    abort();
}

void randombytes_buf(void *const buf, const size_t size)
{
    arc4random_buf(buf, size);
}
