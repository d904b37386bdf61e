/* select() (POSIX <sys/select.h>): newlib's fd_set and declarations, with
 * room for as many descriptors as Linux's (newlib's default is 64). Works
 * on sockets and the console, like poll(). */
#ifndef FD_SETSIZE
#define FD_SETSIZE 1024
#endif
#include_next <sys/select.h>
