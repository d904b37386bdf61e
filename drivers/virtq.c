/* Split-virtqueue driver logic (virtio 1.x, 2.7): a free list of
 * descriptors, chains added to the available ring, completions taken from
 * the used ring. Both ring indices are free-running 16-bit counters that
 * wrap at 65536; the slot is the index modulo the (power-of-two) queue size
 * (2.7.6, 2.7.8), so unsigned 16-bit arithmetic is all the wrap needs. */
#include "virtq.h"

#include <errno.h>

/* The device reads and writes the rings concurrently (another CPU, or
 * QEMU's I/O thread). Fields it writes are read with relaxed atomic loads
 * so the compiler re-reads them; fields it reads are stored likewise. The
 * fences order those accesses: on x86 acquire/release fences are compiler
 * barriers (the CPU keeps loads and stores in order to cached memory) and
 * the sequentially consistent one is an mfence, the only one the CPU needs
 * (a store followed by a load of another location). */
#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELAXED)

static size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

static size_t avail_offset(uint16_t size)
{
    return sizeof(struct virtq_desc) * size;
}

static size_t used_offset(uint16_t size)
{
    /* flags, idx, ring[size], used_event */
    return align_up(avail_offset(size) + sizeof(uint16_t) * (3u + size), 4);
}

size_t virtq_bytes(uint16_t size)
{
    /* flags, idx, ring[size], avail_event */
    return used_offset(size) + sizeof(uint16_t) * 3 + sizeof(struct virtq_used_elem) * size;
}

int virtq_init(struct virtq *vq, void *mem, uint16_t size)
{
    if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)))
        return -1;
    char *base = mem;
    vq->size = size;
    vq->desc = (struct virtq_desc *)(void *)base;
    vq->avail = (struct virtq_avail *)(void *)(base + avail_offset(size));
    vq->used = (struct virtq_used *)(void *)(base + used_offset(size));
    vq->avail_idx = vq->last_used = 0;
    vq->bad = 0;
    for (uint16_t i = 0; i < size; i++) {
        vq->next[i] = (uint16_t)(i + 1); /* the last one's is never followed */
        vq->token[i] = NULL;
    }
    vq->free_head = 0;
    vq->num_free = size;
    return 0;
}

int virtq_add_buf(struct virtq *vq, const struct virtq_buf *bufs, unsigned n_out, unsigned n_in,
                  void *token)
{
    unsigned n = n_out + n_in;
    if (n == 0 || !token)
        return -EINVAL;
    if (n > vq->num_free)
        return -ENOSPC;
    uint16_t head = vq->free_head, i = head, last = head;
    for (unsigned k = 0; k < n; k++) {
        struct virtq_desc *d = &vq->desc[i];
        d->addr = bufs[k].addr;
        d->len = bufs[k].len;
        d->flags =
            (uint16_t)((k < n_out ? 0 : VIRTQ_DESC_F_WRITE) | (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
        d->next = vq->next[i]; /* free list order: the chain keeps the links it has */
        last = i;
        i = vq->next[i];
    }
    vq->free_head = vq->next[last];
    vq->num_free = (uint16_t)(vq->num_free - n);
    vq->token[head] = token;
    vq->count[head] = (uint16_t)n;
    /* 2.7.13.2: place the head in the next ring slot; the slot is ours
     * until avail->idx moves past it, so no barrier is needed yet. */
    STORE(vq->avail->ring[vq->avail_idx & (vq->size - 1)], head);
    vq->avail_idx++;
    return 0;
}

void virtq_publish(struct virtq *vq)
{
    /* 2.7.13.3: the descriptors and ring entries must be visible before the
     * index that hands them to the device (store -> store: release). */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    STORE(vq->avail->idx, vq->avail_idx);
}

int virtq_kick(struct virtq *vq)
{
    virtq_publish(vq);
    /* 2.7.13.4: the index store must be visible before we read the device's
     * flags, or the device could go idle unnotified (store -> load: full). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(LOAD(vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY);
}

int virtq_has_used(const struct virtq *vq)
{
    return LOAD(vq->used->idx) != vq->last_used;
}

/* Return the chain starting at head to the free list, by the driver's own
 * record of the chain: nothing the device could have written is followed. */
static void free_chain(struct virtq *vq, uint16_t head)
{
    uint16_t i = head, n = vq->count[head];
    for (uint16_t k = 1; k < n; k++)
        i = vq->next[i];
    vq->next[i] = vq->free_head;
    vq->free_head = head;
    vq->num_free = (uint16_t)(vq->num_free + n);
}

void *virtq_get_buf(struct virtq *vq, uint32_t *len)
{
    while (LOAD(vq->used->idx) != vq->last_used) {
        /* 2.7.14: read the used element only after seeing the index that
         * covers it (load -> load: acquire). */
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
        uint32_t id = LOAD(e->id);
        uint32_t n = LOAD(e->len);
        vq->last_used++;
        if (id >= vq->size || !vq->token[id]) {
            vq->bad++; /* not a chain we gave it: skip rather than corrupt */
            continue;
        }
        void *token = vq->token[id];
        vq->token[id] = NULL;
        free_chain(vq, (uint16_t)id);
        if (len)
            *len = n;
        return token;
    }
    return NULL;
}
