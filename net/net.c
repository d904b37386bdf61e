/* Starting the network: lwIP's tcpip thread, the loopback interface (so
 * 127.0.0.1 and ::1 work in every image that links sockets) and, when the VM
 * has one, the Ethernet device. */
#include "kernel.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "net.h"

static int started, have_device;

static void tcpip_ready(void *arg)
{
    sys_sem_signal(arg);
}

/* Loopback packets never cross a wire: skip computing and checking their
 * checksums, which is most of the work of a loopback transfer. */
static void loopback_without_checksums(void)
{
    struct netif *n;
    LOCK_TCPIP_CORE();
    NETIF_FOREACH(n)
    {
        if (n->name[0] == 'l' && n->name[1] == 'o')
            NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
    }
    UNLOCK_TCPIP_CORE();
}

void net_start(const struct cmdline *cl)
{
    if (started)
        return;
    started = 1;
    sys_sem_t ready;
    sys_sem_new(&ready, 0);
    tcpip_init(tcpip_ready, &ready);
    sys_sem_wait(&ready);
    sys_sem_free(&ready);
    loopback_without_checksums();
    have_device = eth_start(cl);
    if (!have_device)
        kprintf("net: no network device; sockets to other hosts fail with ENETDOWN\n");
}

int net_has_device(void)
{
    return have_device;
}
