/* Device control (<sys/ioctl.h>): the two socket requests, Linux's values. */
#ifndef LIBOS_SYS_IOCTL_H
#define LIBOS_SYS_IOCTL_H

#define FIONREAD 0x541b /* int: bytes waiting to be read */
#define FIONBIO 0x5421  /* int: non-zero makes the descriptor non-blocking */

int ioctl(int fd, unsigned long request, ...);

#endif
