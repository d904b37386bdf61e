/* virtio-net (virtio 1.2, 5.1): Ethernet frames in and out of the first
 * virtio network device (virtio_net.c). net/netif.c is the only user: it
 * probes when an image starts its network stack, so images without sockets
 * do not link this driver. */
#ifndef DRIVERS_VIRTIO_NET_H
#define DRIVERS_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_NET_RX_BUFS 128    /* receive buffers kept posted to the device */
#define VIRTIO_NET_TX_SLOTS 64    /* frames in flight to the device, at most */
#define VIRTIO_NET_TX_BATCH 16    /* frames queued before the device is told, at most */
#define VIRTIO_NET_FRAME_MAX 1514 /* Ethernet header + 1500 bytes, no FCS */

struct virtio_net_piece {
    const void *data;
    size_t len;
};

/* Find and start the first virtio-net device (once): 1 when there is one. */
int virtio_net_probe(void);
/* The device's MAC address (a random local one if it reports none). */
void virtio_net_mac(uint8_t mac[6]);
/* 1 when the link is up (always, on devices that do not report it). */
int virtio_net_link_up(void);
/* Send one frame gathered from n pieces, copied before returning; the
 * device hears of it once VIRTIO_NET_TX_BATCH frames wait or the calling
 * thread gives up the CPU. Sleeps while every slot is in flight. 0, or
 * -EMSGSIZE (frame too long). */
int virtio_net_send(const struct virtio_net_piece *pieces, unsigned n);
/* Sleep until frames have arrived or deadline_ns (clock_ns) passes, then
 * hand each to fn(ctx, frame, len) in this thread, and give the buffers back
 * to the device. Returns how many frames were delivered. */
int virtio_net_recv(void (*fn)(void *ctx, const void *frame, size_t len), void *ctx,
                    uint64_t deadline_ns);

#endif
