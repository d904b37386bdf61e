/* getentropy(): the source newlib's arc4random() seeds from, backed by
 * kernel/entropy.c: RDSEED or RDRAND, or a predictable TSC mix on a CPU
 * without them (the boot log's "entropy:" line says which). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int getentropy(void *buf, size_t len)
{
    if (len > 256) { /* POSIX: at most 256 bytes per call */
        errno = EIO;
        return -1;
    }
    unsigned char *out = buf;
    while (len > 0) {
        uint64_t v = entropy_u64();
        size_t n = len < sizeof(v) ? len : sizeof(v);
        memcpy(out, &v, n);
        out += n;
        len -= n;
    }
    return 0;
}
