/* The network layer's interface to libos, grouped by the file that defines
 * each function. */
#ifndef NET_NET_H
#define NET_NET_H

#include "cmdline.h"

/* net.c: start lwIP once (its tcpip thread, the loopback interface, the
 * network device configured from cl's options), printing one line about
 * the result. Blocks the caller until the stack is ready. */
void net_start(const struct cmdline *cl);
/* Whether an Ethernet device is attached (else only loopback works). */
int net_has_device(void);

/* netif.c: bring up the first virtio-net device as eth0, configured from
 * cl (ip=dhcp, the default, or ip=ADDR/PREFIX gw=ADDR dns=ADDR), and print
 * its address once it has one. 0 when the VM has no network device. */
int eth_start(const struct cmdline *cl);

#endif
