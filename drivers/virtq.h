/* Split virtqueues (virtio 1.x; section numbers follow virtio 1.2, 2.7):
 * the ring layout shared with the device and the driver's add_buf / kick /
 * get_buf logic (virtq.c). Pure C with no hardware access, so the host unit
 * tests can play the device. */
#ifndef DRIVERS_VIRTQ_H
#define DRIVERS_VIRTQ_H

#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 256 /* descriptors per queue this driver uses, at most */

/* 2.7.5 The Virtqueue Descriptor Table. */
#define VIRTQ_DESC_F_NEXT 1  /* the chain continues in `next` */
#define VIRTQ_DESC_F_WRITE 2 /* device-writable (else device-readable) */
struct virtq_desc {
    uint64_t addr; /* guest-physical */
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtio 2.7.5 layout");

/* 2.7.6 The Virtqueue Available Ring (driver -> device). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
struct virtq_avail {
    uint16_t flags;
    uint16_t idx;    /* where the driver puts the next entry, free-running */
    uint16_t ring[]; /* queue size entries, then used_event (unused here) */
};
_Static_assert(sizeof(struct virtq_avail) == 4, "virtio 2.7.6 layout");

/* 2.7.8 The Virtqueue Used Ring (device -> driver). */
#define VIRTQ_USED_F_NO_NOTIFY 1
struct virtq_used_elem {
    uint32_t id;  /* head of the completed descriptor chain */
    uint32_t len; /* bytes the device wrote into the chain */
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtio 2.7.8 layout");
struct virtq_used {
    uint16_t flags;
    uint16_t idx;                  /* where the device puts the next entry, free-running */
    struct virtq_used_elem ring[]; /* then avail_event (unused here) */
};
_Static_assert(sizeof(struct virtq_used) == 4, "virtio 2.7.8 layout");

/* One buffer of a request: a guest-physical range. */
struct virtq_buf {
    uint64_t addr;
    uint32_t len;
};

/* The driver's view of one queue. The rings live in memory the device can
 * reach (virtq_init); the rest is private bookkeeping. The descriptor
 * links the driver follows (free list, chains) are its own copies: the
 * table the device sees is written, never read back, so a device that
 * rewrites it cannot make the driver walk outside the ring or free
 * descriptors of a chain still in flight. */
struct virtq {
    uint16_t size;      /* power of two, <= VIRTQ_MAX_SIZE */
    uint16_t num_free;  /* descriptors on the free list */
    uint16_t free_head; /* first free descriptor (chained through next[]) */
    uint16_t avail_idx; /* our copy of avail->idx, incl. not yet published */
    uint16_t last_used; /* next used->idx entry to consume, free-running */
    uint32_t bad;       /* used entries naming no outstanding chain (device bug) */
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    void *token[VIRTQ_MAX_SIZE];    /* per chain head: the caller's token */
    uint16_t next[VIRTQ_MAX_SIZE];  /* per descriptor: the link desc[].next should hold */
    uint16_t count[VIRTQ_MAX_SIZE]; /* per chain head: its length */
};

/* Bytes of ring memory a queue of `size` needs; the three parts are laid
 * out in that order, each suitably aligned (2.7: 16, 2, 4). */
size_t virtq_bytes(uint16_t size);
/* Lay the rings out in `mem` (virtq_bytes(size) zeroed bytes) and put every
 * descriptor on the free list. Returns 0, or -1 if size is not a power of
 * two in [1, VIRTQ_MAX_SIZE]. */
int virtq_init(struct virtq *vq, void *mem, uint16_t size);

/* add_buf: chain n_out device-readable buffers then n_in device-writable
 * ones, and place the chain in the available ring (not yet visible to the
 * device: see virtq_kick). token (non-NULL) comes back from virtq_get_buf.
 * Returns 0, -ENOSPC when fewer than n_out + n_in descriptors are free, or
 * -EINVAL for an empty chain or a NULL token. */
int virtq_add_buf(struct virtq *vq, const struct virtq_buf *bufs, unsigned n_out, unsigned n_in,
                  void *token);
/* publish: make every chain added so far visible to the device, which may
 * take them at once if it is working through the queue, or only once told
 * (virtq_kick). */
void virtq_publish(struct virtq *vq);
/* kick: publish every chain added so far to the device. Returns non-zero
 * when the device asks to be notified (the transport then writes the queue's
 * notify register). */
int virtq_kick(struct virtq *vq);
/* get_buf: the token of the next chain the device has finished with (its
 * descriptors go back to the free list) and the bytes it wrote in *len; NULL
 * when none is pending. */
void *virtq_get_buf(struct virtq *vq, uint32_t *len);
/* Non-zero when the device has used chains not yet taken by get_buf. */
int virtq_has_used(const struct virtq *vq);

#endif
