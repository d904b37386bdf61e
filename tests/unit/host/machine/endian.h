/* The host's stand-in for newlib's <machine/endian.h>, the one newlib
 * header lwIP's port (net/arch/cc.h) names: glibc's BYTE_ORDER and friends.
 * cc.h then sets FD_SETSIZE for newlib; glibc's own is the same number. */
#ifndef TESTS_UNIT_HOST_MACHINE_ENDIAN_H
#define TESTS_UNIT_HOST_MACHINE_ENDIAN_H

#include <endian.h>
#include <sys/types.h>

#undef FD_SETSIZE

#endif
