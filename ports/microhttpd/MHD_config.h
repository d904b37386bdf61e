/* libmicrohttpd's build configuration for libos images: the header its
 * configure script would generate (from MHD_config.h.in), written by hand
 * for this platform because configure cannot probe it. configure decides
 * HAVE_<function> by linking test programs, and an image links only as a
 * whole (kernel + libos + newlib, PVH entry, our linker script): run with
 * the host's libc it would report glibc's functions, not libos's. So this
 * file states what libos and newlib really provide, and each feature that
 * is off says why. Every macro here is one of MHD_config.h.in's; the Makefile
 * compiles the library's files unmodified with this directory first on the
 * include path (and -U__linux__: libos is not Linux, see the Makefile). */
#ifndef MHD_CONFIG_H_LIBOS
#define MHD_CONFIG_H_LIBOS

/* --- The package (Debian's libmicrohttpd 1.0.1 source package). -------- */
#define PACKAGE "libmicrohttpd"
#define PACKAGE_NAME "GNU libmicrohttpd"
#define PACKAGE_TARNAME "libmicrohttpd"
#define PACKAGE_VERSION "1.0.1"
#define PACKAGE_STRING "GNU libmicrohttpd 1.0.1"
#define PACKAGE_BUGREPORT "libmicrohttpd@gnu.org"
#define PACKAGE_URL "https://www.gnu.org/software/libmicrohttpd/"
#define VERSION "1.0.1"

/* --- Platform: none of configure's OS names (LINUX, FREEBSD, ...) fits;
 * OTHEROS selects the generic POSIX paths. ------------------------------ */
#define OTHEROS 1

/* --- Compiler (gcc 12, C99 and later). ---------------------------------- */
#define INLINE_FUNC 1
#define _MHD_static_inline static inline __attribute__((always_inline))
#define _MHD_NORETURN _Noreturn
#define _MHD_EXTERN extern
#define HAVE___FUNC__ 1
#define HAVE___FUNCTION__ 1
#define HAVE___PRETTY_FUNCTION__ 1
#define HAVE_BUILTIN_TYPE_BOOL 1
#define HAVE_C_ALIGNOF 1
#define HAVE_C_VARARRAYS 1
#define MHD_HAVE___BUILTIN_BSWAP32 1
#define MHD_HAVE___BUILTIN_BSWAP64 1
#define FUNC_ATTR_PTRCOMPARE_WORKS 1
#define FUNC_ATTR_PTRSUBTRACT_WORKS 1
#define FUNC_ATTR_NOSANITIZE_WORKS 1
#define SIZEOF_INT 4
#define SIZEOF_UNSIGNED_INT 4
#define SIZEOF_INT64_T 8
#define SIZEOF_UINT64_T 8
#define SIZEOF_SIZE_T 8
#define SIZEOF_UNSIGNED_LONG_LONG 8
#define SIZEOF_STRUCT_TIMEVAL_TV_SEC 8 /* newlib's time_t is 64 bits here */
#define STDC_HEADERS 1
/* Images are judged by size; TCG gains little from MHD's unrolled code. */
#define MHD_FAVOR_SMALL_CODE 1

/* --- Headers: newlib's and libos's (libos/include). ---------------------- */
#define HAVE_ARPA_INET_H 1
#define HAVE_ERRNO_H 1
#define HAVE_FCNTL_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_MACHINE_ENDIAN_H 1
#define HAVE_MACHINE_PARAM_H 1
#define HAVE_NETDB_H 1
#define HAVE_NETINET_IN_H 1
#define HAVE_NETINET_TCP_H 1
#define HAVE_POLL_H 1
#define HAVE_PTHREAD_H 1
#define HAVE_SCHED_H 1
#define HAVE_STDALIGN_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_IOCTL_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_TIME_H 1
#define HAVE_UNISTD_H 1
/* Not here: <endian.h>, <sys/mman.h> (no mmap: the memory pools come from
 * malloc), <signal.h> (no signals), <netinet/ip.h>, <net/if.h>. */

/* --- Functions libos and newlib provide. -------------------------------- */
#define HAVE_CALLOC 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_GETTIMEOFDAY 1
#define HAVE_GMTIME_R 1
#define HAVE_NANOSLEEP 1
#define HAVE_USLEEP 1
#define HAVE_SNPRINTF 1
#define HAVE_RAND 1
#define HAVE_RANDOM 1
#define HAVE_MEMMEM 1
#define HAVE_WRITEV 1
#define HAVE_SENDMSG 1
#define HAVE_ACCEPT4 1
#define HAVE_SOCK_NONBLOCK 1 /* socket(..., SOCK_STREAM | SOCK_NONBLOCK, ...) */
#define HAVE_INET6 1         /* lwIP is built with IPv6 */
#define MHD_USE_GETSOCKNAME 1
#define MHD_USE_SYS_TSEARCH 1 /* newlib's tsearch/tfind/tdelete */
#define HAVE_PIPE2_FUNC 1
#define HAVE_POLL 1
/* select() sees descriptors below this (libos/include/sys/select.h). */
#define MHD_SYS_FD_SETSIZE_ 1024

/* --- Threads: libos's pthreads (cooperative); no names, no affinity. ---- */
#define MHD_USE_POSIX_THREADS 1
#define MHD_NO_THREAD_NAMES 1
/* Inter-thread communication (wakes MHD's internal thread): a libos pipe. */
#define _MHD_ITC_PIPE 1

/* --- HTTP features. ------------------------------------------------------ */
#define HAVE_MESSAGES 1      /* MHD_OPTION_EXTERNAL_LOGGER and error lines */
#define HAVE_POSTPROCESSOR 1 /* form bodies (postprocessor.c) */
#define BAUTH_SUPPORT 1      /* Basic authentication (basicauth.c) */
#define COOKIE_SUPPORT 1
/* Off: HTTPS_SUPPORT (no GnuTLS: TLS ends in front of the image),
 * EPOLL_SUPPORT (Linux only), UPGRADE_SUPPORT (no WebSockets yet),
 * DAUTH_SUPPORT (Digest authentication; not needed by the manager). */

#endif
