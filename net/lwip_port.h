/* Routines lwipopts.h puts in place of lwIP's own: plain C that needs no
 * kernel, so the host unit tests check them too. */
#ifndef NET_LWIP_PORT_H
#define NET_LWIP_PORT_H

#include <stddef.h>
#include <stdint.h>

/* chksum.c: LWIP_CHKSUM, the non-inverted Internet checksum of data[0..len)
 * as lwIP's own routine returns it. */
uint16_t lwip_port_chksum(const void *data, int len);

/* copy.c: MEMCPY, memcpy without `rep movsb`. */
void *lwip_port_memcpy(void *dst, const void *src, size_t n);

#endif
