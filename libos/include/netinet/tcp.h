/* TCP socket options (<netinet/tcp.h>), Linux's values. */
#ifndef LIBOS_NETINET_TCP_H
#define LIBOS_NETINET_TCP_H

#define TCP_NODELAY 1
#define TCP_KEEPIDLE 4  /* seconds idle before the first keepalive probe */
#define TCP_KEEPINTVL 5 /* seconds between probes */
#define TCP_KEEPCNT 6   /* probes before the connection is dropped */

#endif
