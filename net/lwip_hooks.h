/* Prototypes of the hooks lwipopts.h installs into lwIP (isn.c). */
#ifndef NET_LWIP_HOOKS_H
#define NET_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

u32_t lwip_port_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                        u16_t remote_port);

#endif
