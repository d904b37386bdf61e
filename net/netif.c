/* The Ethernet interface: an lwIP netif over the virtio-net driver, shaped
 * like lwIP's ethernetif.c (low_level_init, low_level_output, input), and
 * its configuration from the kernel command line: ip=dhcp (the default) or
 * ip=ADDR/PREFIX gw=ADDR dns=ADDR. Received frames are handed to lwIP by a
 * thread the receive interrupt wakes, never in interrupt context; while
 * frames keep coming, that thread polls the device between the bursts it
 * hands on, and interrupts stay off. */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "net.h"
#include "virtio_net.h"

#define DHCP_WAIT_MS 10000         /* how long start-up waits for a lease */
#define LINK_POLL_NS 1000000000ull /* link status is read this often */

static struct netif eth;
static struct {
    int dhcp, announced;
    sys_sem_t configured; /* signalled once the interface has an address */
} cfg;

/* --- ethernetif: output, input, init --------------------------------------- */

static err_t low_level_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    struct virtio_net_piece pieces[16];
    unsigned k = 0;
    uint8_t flat[VIRTIO_NET_FRAME_MAX];
    if (pbuf_clen(p) <= 16) {
        for (struct pbuf *q = p; q; q = q->next)
            pieces[k++] = (struct virtio_net_piece){q->payload, q->len};
    } else { /* a long chain: one copy here, one in the driver */
        if (p->tot_len > sizeof(flat))
            return ERR_BUF;
        pbuf_copy_partial(p, flat, p->tot_len, 0);
        pieces[k++] = (struct virtio_net_piece){flat, p->tot_len};
    }
    return virtio_net_send(pieces, k) == 0 ? ERR_OK : ERR_BUF;
}

/* In the receive thread: one frame into a pbuf, through lwIP under the core
 * lock (LWIP_TCPIP_CORE_LOCKING_INPUT). */
static void input(void *ctx, const void *frame, size_t len)
{
    struct netif *n = ctx;
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p)
        return; /* out of buffers: dropped, as a busy NIC would */
    pbuf_take(p, frame, (u16_t)len);
    if (n->input(p, n) != ERR_OK)
        pbuf_free(p);
}

static void rx_thread(void *arg)
{
    struct netif *n = arg;
    int link = virtio_net_link_up();
    for (;;) {
        /* After a burst, let the threads it woke run before looking again:
         * under load the next frames are there by then, and are taken
         * without an interrupt; when they are not, virtio_net_recv sleeps. */
        if (virtio_net_recv(input, n, clock_ns() + LINK_POLL_NS) > 0)
            thread_yield();
        int now = virtio_net_link_up();
        if (now != link) {
            link = now;
            kprintf("net: eth0 link %s\n", link ? "up" : "down");
            LOCK_TCPIP_CORE();
            if (link)
                netif_set_link_up(n);
            else
                netif_set_link_down(n);
            UNLOCK_TCPIP_CORE();
        }
    }
}

static err_t low_level_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = 'n';
    n->hwaddr_len = ETH_HWADDR_LEN;
    virtio_net_mac(n->hwaddr);
    n->mtu = 1500;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP |
               NETIF_FLAG_MLD6;
    n->output = etharp_output;
    n->output_ip6 = ethip6_output;
    n->linkoutput = low_level_output;
    return ERR_OK;
}

/* --- Configuration ----------------------------------------------------------- */

static int prefix_of(const ip4_addr_t *mask)
{
    return __builtin_popcount(ip4_addr_get_u32(mask));
}

/* The one line that says how the network came up (tcpip thread or main). */
static void announce(struct netif *n)
{
    char ip[16], gw[16];
    ip4addr_ntoa_r(netif_ip4_addr(n), ip, sizeof(ip));
    ip4addr_ntoa_r(netif_ip4_gw(n), gw, sizeof(gw));
    kprintf("net: eth0 %s/%d gw %s (%s)\n", ip, prefix_of(netif_ip4_netmask(n)), gw,
            cfg.dhcp ? "dhcp" : "static");
}

static void status_changed(struct netif *n)
{
    if (cfg.announced || ip4_addr_isany_val(*netif_ip4_addr(n)))
        return;
    cfg.announced = 1;
    announce(n);
    sys_sem_signal(&cfg.configured);
}

/* ip=ADDR/PREFIX: 0, or -1 when malformed. */
static int parse_ip(const char *text, ip4_addr_t *addr, ip4_addr_t *mask)
{
    char buf[32];
    const char *slash = strchr(text, '/');
    if (!slash || (size_t)(slash - text) >= sizeof(buf))
        return -1;
    memcpy(buf, text, (size_t)(slash - text));
    buf[slash - text] = '\0';
    char *end;
    long prefix = strtol(slash + 1, &end, 10);
    if (!ip4addr_aton(buf, addr) || !slash[1] || *end || prefix < 0 || prefix > 32)
        return -1;
    ip4_addr_set_u32(mask, prefix ? lwip_htonl(0xffffffffu << (32 - prefix)) : 0);
    return 0;
}

/* An option holding an IPv4 address, or any when absent; -1 if malformed. */
static int parse_addr(const struct cmdline *cl, const char *key, ip4_addr_t *addr)
{
    const char *v = cl ? cmdline_opt(cl, key) : NULL;
    ip4_addr_set_any(addr);
    if (!v)
        return 0;
    if (!ip4addr_aton(v, addr)) {
        kprintf("net: %s=%s is not an IPv4 address; ignored\n", key, v);
        return -1;
    }
    return 0;
}

int eth_start(const struct cmdline *cl)
{
    if (!virtio_net_probe())
        return 0;
    ip4_addr_t addr, mask, gw, dns;
    ip4_addr_set_any(&addr);
    ip4_addr_set_any(&mask);
    const char *ip = cl ? cmdline_opt(cl, "ip") : NULL;
    cfg.dhcp = !ip || strcmp(ip, "dhcp") == 0;
    if (!cfg.dhcp && parse_ip(ip, &addr, &mask) < 0) {
        kprintf("net: ip=%s: expected ip=dhcp or ip=ADDR/PREFIX; using DHCP\n", ip);
        cfg.dhcp = 1;
    }
    parse_addr(cl, "gw", &gw);
    parse_addr(cl, "dns", &dns);
    if (cfg.dhcp) /* the lease brings its own */
        ip4_addr_set_any(&gw);
    sys_sem_new(&cfg.configured, 0);

    LOCK_TCPIP_CORE();
    netif_add(&eth, &addr, &mask, &gw, NULL, low_level_init, tcpip_input);
    netif_set_default(&eth);
    netif_set_status_callback(&eth, status_changed);
    netif_create_ip6_linklocal_address(&eth, 1);
    eth.ip6_autoconfig_enabled = 1; /* SLAAC (the macro's NULL check trips -Waddress) */
    netif_set_up(&eth);
    if (virtio_net_link_up())
        netif_set_link_up(&eth);
    if (!ip4_addr_isany_val(dns)) {
        ip_addr_t d;
        ip_addr_copy_from_ip4(d, dns);
        dns_setserver(0, &d);
    }
    sys_thread_new("eth-rx", rx_thread, &eth, 0, 0);
    if (cfg.dhcp)
        dhcp_start(&eth);
    UNLOCK_TCPIP_CORE();

    if (sys_arch_sem_wait(&cfg.configured, DHCP_WAIT_MS) == SYS_ARCH_TIMEOUT)
        kprintf("net: eth0 has no DHCP lease after %d s; still asking\n", DHCP_WAIT_MS / 1000);
    return 1;
}
