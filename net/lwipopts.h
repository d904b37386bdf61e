/* lwIP's configuration for this kernel: threads and a tcpip thread over the
 * kernel's scheduler, BSD sockets, IPv4 + IPv6, DHCP, DNS and an in-guest
 * loopback interface; sized for throughput in a few hundred KiB of RAM. */
#ifndef NET_LWIPOPTS_H
#define NET_LWIPOPTS_H

/* --- The operating system ------------------------------------------------ */
#define NO_SYS 0
/* No SYS_ARCH_PROTECT sections: they guard lwIP's short critical sections
 * (pools, pbuf reference counts, socket event counters) against other
 * threads and interrupt handlers, and here neither can interleave: threads
 * switch only when one blocks, which lwIP never does inside them, and
 * interrupt handlers never enter lwIP (they only wake wait queues). */
#define SYS_LIGHTWEIGHT_PROT 0
/* Socket calls run lwIP code directly under one mutex instead of bouncing
 * every call through the tcpip thread's mailbox; so does the receive thread
 * with each frame (netif.c), with no thread switch per frame. */
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define LWIP_ASSERT_CORE_LOCKED() sys_check_core_locking()
#define LWIP_MARK_TCPIP_THREAD() sys_mark_tcpip_thread()
#define TCPIP_THREAD_NAME "tcpip"
#define TCPIP_THREAD_STACKSIZE 0 /* the kernel's default thread stack */
#define TCPIP_THREAD_PRIO 0      /* cooperative threads have no priorities */
#define TCPIP_MBOX_SIZE 256
#define DEFAULT_THREAD_STACKSIZE 0
#define DEFAULT_RAW_RECVMBOX_SIZE 64
/* Datagrams a UDP socket holds. With 64, a DNS server that read its socket
 * after a burst of 100 queries (dnsperf's default) lost 36 of them. Each
 * holds a receive buffer, so it stays under half of PBUF_POOL_SIZE: with
 * 256, a UDP flood into a socket whose reader was busy took every buffer,
 * no TCP segment could be received any more, and a reader waiting on a
 * TCP peer (the SIEM's normaliser on its bus) waited for ever. */
#define DEFAULT_UDP_RECVMBOX_SIZE 128
#define DEFAULT_TCP_RECVMBOX_SIZE 64
#define DEFAULT_ACCEPTMBOX_SIZE 64
#define LWIP_RAND() lwip_port_rand()
/* Unpredictable TCP ISNs (RFC 6528, isn.c), DNS ids and source ports, and
 * ephemeral ports that do not start at the same number every boot. */
#define LWIP_HOOK_FILENAME "lwip_hooks.h"
#define LWIP_HOOK_TCP_ISN lwip_port_tcp_isn
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_DNS_SECURE                                                                            \
    (LWIP_DNS_SECURE_RAND_XID | LWIP_DNS_SECURE_NO_MULTIPLE_OUTSTANDING |                          \
     LWIP_DNS_SECURE_RAND_SRC_PORT)

/* --- Memory ---------------------------------------------------------------
 * Variable-size buffers (PBUF_RAM: outgoing TCP data, loopback copies) come
 * from newlib's malloc; fixed-size objects from lwIP's static pools, which
 * also cap how much each kind may take. */
#define MEM_LIBC_MALLOC 1
#define MEMCPY(dst, src, len) lwip_port_memcpy(dst, src, len) /* copy.c: no `rep movsb` */
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8
/* Sockets open at once, connections waiting for accept() included (64 per
 * listening socket): a connection that finds none is reset. ~200 B each. */
#define MEMP_NUM_NETCONN 256
/* TCP connections, closing ones included: a SYN that finds none is
 * dropped (the peer sends it again). A server that closes connections a
 * peer keeps open (the SIEM normaliser's idle timeout and caps) leaves one
 * here in FIN_WAIT_2 for up to 20 s (lwIP's TCP_FIN_WAIT_TIMEOUT); 200
 * idle connections from one local process used up 128 and kept every
 * later one out. ~300 B each: 150 KiB. */
#define MEMP_NUM_TCP_PCB 512
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_UDP_PCB 32 /* UDP sockets + DHCP + DNS */
#define MEMP_NUM_RAW_PCB 4
#define MEMP_NUM_TCP_SEG 512         /* queued TCP segments, all connections */
#define MEMP_NUM_PBUF 128            /* pbufs pointing at (not holding) data */
#define MEMP_NUM_NETBUF 256          /* UDP datagrams waiting in sockets, all of them */
#define MEMP_NUM_TCPIP_MSG_INPKT 256 /* frames queued for the tcpip thread */
#define MEMP_NUM_TCPIP_MSG_API 32
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define MEMP_NUM_REASSDATA 8
/* Fragments being reassembled, all datagrams: a 65,507-byte UDP datagram
 * (the largest) is 45 fragments of 1480 bytes; 96 reassemble two at once.
 * The default of 10 lost every datagram over ~14,800 bytes, uncounted.
 * Kept under half of PBUF_POOL_SIZE, so reception goes on meanwhile. */
#define IP_REASS_MAX_PBUFS 96
#define MEMP_NUM_FRAG_PBUF 32
#define MEMP_NUM_ARP_QUEUE 32
#define PBUF_POOL_SIZE 256 /* receive buffers, ~1.6 KiB each */

/* --- IPv4, IPv6 and their helpers ----------------------------------------- */
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_IPV6_AUTOCONFIG 1          /* SLAAC next to the link-local address */
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 0 /* a VM's address is its own: no DAD delay */
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_DHCP 1
#define DHCP_DOES_ARP_CHECK 0 /* no 2 s ARP probe before using the lease */
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define LWIP_IGMP 1
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define IPV6_FRAG_COPYHEADER 1 /* required with 64-bit pointers */
#define ARP_QUEUEING 1
#define ARP_TABLE_SIZE 16
#define LWIP_ETHERNET 1

/* The loopback interface: 127.0.0.1 and ::1 work with no device at all. */
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_HAVE_LOOPIF 1
#define LWIP_LOOPBACK_MAX_PBUFS 0 /* bounded by memory, not by count */
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 0

/* --- TCP -------------------------------------------------------------------
 * Windows of 32 MSS: enough to keep a virtio queue busy without scaling. */
#define LWIP_TCP 1
#define TCP_MSS 1460
#define TCP_WND (32 * TCP_MSS)
#define TCP_SND_BUF (32 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_TCP_SACK_OUT 1
#define LWIP_TCP_TIMESTAMPS 0

/* --- Sockets ---------------------------------------------------------------
 * lwIP's names keep their lwip_ prefix: libos defines the POSIX names and
 * converts to lwIP's structures at that boundary. */
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_COMPAT_SOCKETS 0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET 0
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVBUF 1
#define LWIP_SO_LINGER 1
#define SO_REUSE 1
#define SO_REUSE_RXTOALL 1
#define LWIP_NETBUF_RECVINFO 1    /* IP_PKTINFO for UDP servers */
#define LWIP_FIONREAD_LINUXMODE 1 /* FIONREAD on UDP: the next datagram's size */
#define LWIP_TIMEVAL_PRIVATE 0    /* newlib's struct timeval */
#define LWIP_DNS_API_DECLARE_STRUCTS 1

/* --- Checksums and diagnostics --------------------------------------------- */
#define LWIP_CHKSUM lwip_port_chksum /* chksum.c: eight octets at a time */
/* A UDP datagram is sent as one buffer (copied once, headers in front)
 * rather than a header buffer chained to a reference to the data. */
#define LWIP_NETIF_TX_SINGLE_PBUF 1
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1 /* loopback skips checksums */
#define LWIP_STATS 0

#endif
