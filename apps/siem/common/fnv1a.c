/* FNV-1a, 64 bits (Fowler, Noll, Vo). */
#include "fnv1a.h"

#define FNV1A64_PRIME 0x100000001b3ULL

uint64_t siem_fnv1a64(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV1A64_PRIME;
    }
    return h;
}
