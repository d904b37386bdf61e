/* Host name lookups for getaddrinfo() through lwIP's DNS resolver, whose
 * servers come from DHCP or the dns= kernel option. */
#include "lwip/api.h"
#include "lwip/dns.h"
#include "net.h"
#include "sock.h"

int sock_resolve(const char *name, int family, unsigned char addr[16])
{
    net_start(libos_cmdline);
    if (!net_has_device())
        return LX_EAI_AGAIN; /* like Linux with no network: try again later */
    u8_t type = family == LX_AF_INET    ? LWIP_DNS_ADDRTYPE_IPV4
                : family == LX_AF_INET6 ? LWIP_DNS_ADDRTYPE_IPV6
                                        : LWIP_DNS_ADDRTYPE_IPV4_IPV6;
    ip_addr_t a;
    err_t err = netconn_gethostbyname_addrtype(name, &a, type);
    if (err == ERR_VAL || err == ERR_ARG)
        return LX_EAI_NONAME;
    if (err != ERR_OK)
        return LX_EAI_FAIL;
    if (IP_IS_V4(&a)) {
        memcpy(addr, &ip_2_ip4(&a)->addr, 4);
        return LX_AF_INET;
    }
    memcpy(addr, ip_2_ip6(&a)->addr, 16);
    return LX_AF_INET6;
}
