/* The copy routine lwIP uses for packet data (MEMCPY in lwipopts.h). lwIP
 * is compiled for size, and gcc then expands a memcpy of a run-time length
 * into `rep movsb`, which QEMU's TCG emulates one octet per turn of its
 * loop (about 2 ns each, ~60x a native copy): eight octets per move here. */
#include <string.h>

#include "lwip_port.h"

void *lwip_port_memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (n >= 8) {
        /* Whole words, then one last word that may overlap the previous. */
        uint64_t v;
        for (; n > 8; n -= 8, d += 8, s += 8) {
            memcpy(&v, s, 8);
            memcpy(d, &v, 8);
        }
        memcpy(&v, s + n - 8, 8);
        memcpy(d + n - 8, &v, 8);
        return dst;
    }
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
        return dst;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
    return dst;
}
