/* virtio-net driver (virtio 1.2, 5.1): one receive and one transmit queue.
 * Receive buffers (2 KiB each, in identity-mapped pages) stay posted to the
 * device; the receive interrupt only turns further receive interrupts off
 * and wakes the thread in virtio_net_recv, which copies frames out, posts
 * the buffers again, and asks for an interrupt only once it finds the queue
 * empty. A frame to send is copied behind its virtio header into a free
 * transmit slot and published to the device at once, so many frames are in
 * flight; the doorbell, a trap into the hypervisor, is rung once per
 * VIRTIO_NET_TX_BATCH frames or when the sending thread gives up the CPU,
 * and only if the device asks for it. Transmit interrupts are asked for
 * only while a sender waits for a slot. */
#include "virtio_net.h"

#include <errno.h>
#include <string.h>

#include "cpu.h"
#include "virtio.h"

/* 5.1.3 Feature bits. */
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)

/* 5.1.4 Device configuration layout: byte offsets. */
#define CFG_MAC 0
#define CFG_STATUS 6
#define VIRTIO_NET_S_LINK_UP 1

/* 5.1.2 Virtqueues. */
#define RECEIVEQ 0
#define TRANSMITQ 1

/* 5.1.6 Device Operation: every buffer starts with this header. With
 * VIRTIO_F_VERSION_1, num_buffers is always there (12 bytes). We offer no
 * offloads, so on transmit it is all zero and on receive it is skipped. */
struct virtio_net_hdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio 5.1.6 layout");

/* 5.1.6.3.1: without mergeable buffers or GSO, each receive buffer must
 * hold a header and a whole frame (1526 bytes); two fit in a page. */
#define BUF_SIZE 2048
#define HDR sizeof(struct virtio_net_hdr)
_Static_assert(HDR + VIRTIO_NET_FRAME_MAX <= BUF_SIZE, "a frame fits a buffer");

static struct {
    int probed, present;
    struct virtio_dev vd;
    struct virtio_queue rx, tx;
    struct waitq rx_wait, tx_wait;
    uint8_t mac[6];
    unsigned n_tx; /* transmit slots */
    uint8_t *tx_buf[VIRTIO_NET_TX_SLOTS];
    uint16_t tx_free[VIRTIO_NET_TX_SLOTS]; /* a stack of free slot numbers */
    unsigned n_tx_free;
    unsigned tx_unkicked; /* frames published since the last kick */
} net;

/* 2.7.7 Used Buffer Notification Suppression: the avail ring's flag asks
 * the device not to interrupt (a hint it may ignore). */
static void interrupts(struct virtio_queue *q, int on)
{
    __atomic_store_n(&q->vq.avail->flags, on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT, __ATOMIC_RELAXED);
    /* Orders the flag store before the used-ring reads that follow, so a
     * completion cannot slip between our last look and the device's. */
    __sync_synchronize();
}

/* Interrupt context: wake the receiving thread, or a sender waiting for a
 * slot. MSI-X needs no acknowledgement from the driver; a receive interrupt
 * turns the next ones off until the thread has drained the queue. */
static void rx_irq(void *ctx)
{
    (void)ctx;
    interrupts(&net.rx, 0);
    waitq_wake_all(&net.rx_wait);
}

static void tx_irq(void *ctx)
{
    (void)ctx;
    waitq_wake_all(&net.tx_wait);
}

/* RAM is identity-mapped: a buffer's address is its physical address. */
static int rx_post(uint8_t *buf)
{
    struct virtq_buf b = {(uint64_t)(uintptr_t)buf, BUF_SIZE};
    return virtq_add_buf(&net.rx.vq, &b, 0, 1, buf);
}

/* Slots whose frames the device has sent become free again. */
static void tx_reap(void)
{
    void *token;
    while ((token = virtio_get_buf(&net.tx, NULL)))
        net.tx_free[net.n_tx_free++] = (uint16_t)((uintptr_t)token - 1);
}

/* Ring the doorbell for the frames published since it last rang, if the
 * device asks for it (it does not while still working through the queue).
 * The scheduler calls this whenever a thread gives up the CPU. */
static void tx_flush(void)
{
    if (net.tx_unkicked) {
        net.tx_unkicked = 0;
        virtio_kick(&net.tx);
    }
}

int virtio_net_send(const struct virtio_net_piece *pieces, unsigned n)
{
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += pieces[i].len;
    if (total > VIRTIO_NET_FRAME_MAX)
        return -EMSGSIZE;
    tx_reap();
    if (net.n_tx_free == 0) {
        uint64_t flags = irq_save();
        while (net.n_tx_free == 0) {
            tx_flush();
            interrupts(&net.tx, 1);
            tx_reap();
            if (net.n_tx_free == 0)
                waitq_wait(&net.tx_wait);
            interrupts(&net.tx, 0);
            tx_reap();
        }
        irq_restore(flags);
    }
    unsigned slot = net.tx_free[--net.n_tx_free];
    uint8_t *buf = net.tx_buf[slot], *p = buf + HDR;
    memset(buf, 0, HDR);
    for (unsigned i = 0; i < n; i++) {
        memcpy(p, pieces[i].data, pieces[i].len);
        p += pieces[i].len;
    }
    struct virtq_buf b = {(uint64_t)(uintptr_t)buf, (uint32_t)(HDR + total)};
    kassert(virtq_add_buf(&net.tx.vq, &b, 1, 0, (void *)(uintptr_t)(slot + 1)) == 0);
    /* Published at once, so a device already working through the queue
     * takes it; the doorbell waits for the batch to end (this thread gives
     * up the CPU) or to reach VIRTIO_NET_TX_BATCH frames. */
    virtq_publish(&net.tx.vq);
    if (++net.tx_unkicked >= VIRTIO_NET_TX_BATCH)
        tx_flush();
    return 0;
}

int virtio_net_recv(void (*fn)(void *ctx, const void *frame, size_t len), void *ctx,
                    uint64_t deadline_ns)
{
    uint64_t flags = irq_save();
    while (!virtq_has_used(&net.rx.vq)) {
        /* Interrupts on only now that the queue is empty, then look again:
         * a frame that came before the device saw the flag raised none. */
        interrupts(&net.rx, 1);
        if (virtq_has_used(&net.rx.vq) || waitq_wait_until(&net.rx_wait, deadline_ns) < 0)
            break;
    }
    interrupts(&net.rx, 0); /* off while this thread is busy anyway */
    irq_restore(flags);
    int n = 0;
    uint8_t *buf;
    uint32_t len;
    while ((buf = virtio_get_buf(&net.rx, &len))) {
        if (len > HDR && len <= BUF_SIZE)
            fn(ctx, buf + HDR, len - HDR);
        kassert(rx_post(buf) == 0); /* its descriptor just came back */
        n++;
    }
    if (n)
        virtio_kick(&net.rx);
    return n;
}

void virtio_net_mac(uint8_t mac[6])
{
    memcpy(mac, net.mac, 6);
}

int virtio_net_link_up(void)
{
    if (!(net.vd.features & VIRTIO_NET_F_STATUS))
        return 1;
    return (virtio_cfg_read16(&net.vd, CFG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
}

/* Two BUF_SIZE buffers per fresh page; NULL when memory is exhausted. */
static uint8_t *buf_alloc(unsigned i)
{
    static uint8_t *page;
    if (i % 2 == 0) {
        uint64_t pa = page_alloc();
        page = (uint8_t *)(uintptr_t)pa;
        if (!pa)
            return NULL;
    }
    return page + (i % 2) * BUF_SIZE;
}

/* 5.1.5 Device Initialization, after the generic steps of 3.1.1. */
static int net_init(const struct virtio_loc *d)
{
    net.n_tx_free = 0; /* an earlier device may have failed half-way */
    int err = virtio_init(&net.vd, d, VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS);
    if (err)
        return err;
    waitq_init(&net.rx_wait);
    waitq_init(&net.tx_wait);
    if ((err = virtio_queue_init(&net.vd, &net.rx, RECEIVEQ, VIRTIO_NET_RX_BUFS, rx_irq, NULL)) ||
        (err = virtio_queue_init(&net.vd, &net.tx, TRANSMITQ, VIRTIO_NET_TX_SLOTS, tx_irq, NULL)))
        goto fail;
    /* 5.1.5 step 3: fill the receive queue; one buffer per descriptor. */
    unsigned i = 0;
    for (; i < net.rx.vq.size; i++) {
        uint8_t *buf = buf_alloc(i);
        if (!buf || rx_post(buf) < 0)
            break;
    }
    net.n_tx = net.tx.vq.size;
    for (unsigned s = 0; s < net.n_tx; s++) {
        if (!(net.tx_buf[s] = buf_alloc(i + s))) {
            err = -ENOMEM;
            goto fail;
        }
        net.tx_free[net.n_tx_free++] = (uint16_t)s;
    }
    if (i == 0) {
        err = -ENOMEM;
        goto fail;
    }
    if (net.vd.features & VIRTIO_NET_F_MAC) {
        for (int b = 0; b < 6; b++)
            net.mac[b] = virtio_cfg_read8(&net.vd, CFG_MAC + b);
    } else { /* a random locally administered unicast address */
        uint64_t r = entropy_u64();
        memcpy(net.mac, &r, 6);
        net.mac[0] = (uint8_t)((net.mac[0] & 0xfe) | 0x02);
    }
    interrupts(&net.rx, 0); /* until virtio_net_recv finds the queue empty */
    interrupts(&net.tx, 0);
    sched_add_flush(tx_flush);
    virtio_driver_ok(&net.vd);
    virtio_kick(&net.rx); /* the buffers are the device's now */
    return 0;
fail:
    virtio_fail(&net.vd);
    return err;
}

static int probe_one(const struct virtio_loc *d, void *arg)
{
    (void)arg;
    int err = net_init(d);
    if (err) {
        kprintf("net: virtio-net %s not usable (error %d)\n", d->name, -err);
        return 0; /* try the next one */
    }
    return 1;
}

int virtio_net_probe(void)
{
    if (!net.probed) {
        net.probed = 1;
        net.present = virtio_find(VIRTIO_ID_NET, probe_one, NULL) != 0;
    }
    return net.present;
}
