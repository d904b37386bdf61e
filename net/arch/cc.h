/* lwIP's view of the platform: compiler, byte order, diagnostics through the
 * kernel console, errno from newlib (so lwIP's error numbers are the ones
 * apps see), and the port's random numbers. Included by every lwIP file. */
#ifndef NET_ARCH_CC_H
#define NET_ARCH_CC_H

#include <limits.h>
#include <stdint.h>

/* newlib's ssize_t is long; without SSIZE_MAX lwIP would declare its own. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

#include <machine/endian.h> /* newlib's BYTE_ORDER, LITTLE_ENDIAN, BIG_ENDIAN */

/* newlib's <errno.h>: ECONNREFUSED & co. carry newlib's numbers, which are
 * the ones strerror() and apps compare against. */
#define LWIP_ERRNO_STDINCLUDE 1

/* newlib's fd_set holds 64 descriptors unless told otherwise; lwIP checks it
 * against MEMP_NUM_NETCONN. The same value as libos's <sys/select.h>. */
#define FD_SETSIZE 1024
#include <sys/time.h> /* struct timeval (LWIP_TIMEVAL_PRIVATE 0) */

/* Formats for the kernel's kprintf, which knows no "h" length modifier
 * (16-bit values are promoted to int anyway). */
#define LWIP_NO_INTTYPES_H 1
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* The kernel's console and panic (kernel.h declares the same). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        kprintf x;                                                                                 \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                                    \
    panic("lwip: assertion \"%s\" failed (%s:%d)", x, __FILE__, __LINE__)

#include "lwip_port.h" /* LWIP_CHKSUM, MEMCPY */

/* sys_arch.c */
uint32_t lwip_port_rand(void);
void sys_check_core_locking(void);
void sys_mark_tcpip_thread(void);

#endif
