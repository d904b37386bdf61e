/* Unit tests for drivers/virtq.c, the split-virtqueue driver logic, against
 * a simulated device: the test reads the available ring and the descriptor
 * chains as a device would, checks them, and writes used-ring entries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "virtq.h"

#define QSIZE 16

static struct virtq vq;
static void *mem;

/* The simulated device: where it is in the available ring, where it writes
 * in the used ring, which descriptors belong to a chain it holds, and each
 * held chain's descriptors (by head). */
static struct {
    uint16_t next_avail, used_idx;
    uint8_t busy[VIRTQ_MAX_SIZE];
    uint16_t chain[VIRTQ_MAX_SIZE][VIRTQ_MAX_SIZE];
    unsigned chain_len[VIRTQ_MAX_SIZE];
} dev;

static void make_queue(uint16_t size)
{
    free(mem);
    size_t bytes = (virtq_bytes(size) + 4095) & ~(size_t)4095;
    mem = aligned_alloc(4096, bytes);
    ck_assert_ptr_nonnull(mem);
    memset(mem, 0, bytes);
    ck_assert_int_eq(virtq_init(&vq, mem, size), 0);
    memset(&dev, 0, sizeof(dev));
}

static void setup(void)
{
    mem = NULL;
    make_queue(QSIZE);
}

static void teardown(void)
{
    free(mem);
    mem = NULL;
}

/* Take the next chain the driver published, checking it is well formed:
 * indices in range, no descriptor shared with a chain the device already
 * holds, device-readable buffers before device-writable ones. Returns its
 * length (0 when nothing is published) and the head, buffers and counts. */
static unsigned dev_pop(uint16_t *head, struct virtq_buf *bufs, unsigned *n_out, unsigned *n_in)
{
    if (vq.avail->idx == dev.next_avail)
        return 0;
    uint16_t h = vq.avail->ring[dev.next_avail % vq.size];
    dev.next_avail++;
    ck_assert_uint_lt(h, vq.size);
    unsigned n = 0, out = 0, in = 0;
    for (uint16_t i = h;; i = vq.desc[i].next) {
        ck_assert_uint_lt(i, vq.size);
        ck_assert_msg(!dev.busy[i], "descriptor %u is in two chains", i);
        ck_assert_uint_lt(n, vq.size);
        dev.busy[i] = 1;
        dev.chain[h][n] = i;
        const struct virtq_desc *d = &vq.desc[i];
        if (d->flags & VIRTQ_DESC_F_WRITE) {
            in++;
        } else {
            ck_assert_msg(in == 0, "a readable buffer after a writable one");
            out++;
        }
        if (bufs)
            bufs[n] = (struct virtq_buf){d->addr, d->len};
        n++;
        if (!(d->flags & VIRTQ_DESC_F_NEXT))
            break;
    }
    dev.chain_len[h] = n;
    *head = h;
    if (n_out)
        *n_out = out;
    if (n_in)
        *n_in = in;
    return n;
}

/* Hand chain `head` back through the used ring, `len` bytes written. */
static void dev_push(uint16_t head, uint32_t len)
{
    for (unsigned k = 0; k < dev.chain_len[head]; k++)
        dev.busy[dev.chain[head][k]] = 0;
    vq.used->ring[dev.used_idx % vq.size] = (struct virtq_used_elem){head, len};
    dev.used_idx++;
    vq.used->idx = dev.used_idx;
}

/* Add a chain of n_out + n_in buffers whose addresses encode (tag, k). */
static int add(unsigned n_out, unsigned n_in, uintptr_t tag)
{
    struct virtq_buf b[VIRTQ_MAX_SIZE];
    for (unsigned k = 0; k < n_out + n_in; k++)
        b[k] = (struct virtq_buf){((uint64_t)tag << 16) | k, (uint32_t)(100 + k)};
    return virtq_add_buf(&vq, b, n_out, n_in, (void *)tag);
}

START_TEST(init_checks_size_and_layout)
{
    static const uint16_t bad[] = {0, 3, 6, 100, VIRTQ_MAX_SIZE * 2};
    struct virtq q;
    static char buf[1 << 16];
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_int_eq(virtq_init(&q, buf, bad[i]), -1);
    ck_assert_int_eq(virtq_init(&q, buf, 1), 0);
    ck_assert_int_eq(virtq_init(&q, buf, VIRTQ_MAX_SIZE), 0);
    /* 2.7: descriptors 16 * size, avail 6 + 2 * size, used (4-aligned) 6 + 8 * size. */
    ck_assert_int_eq(virtq_init(&q, buf, 8), 0);
    ck_assert_ptr_eq(q.desc, (void *)buf);
    ck_assert_ptr_eq(q.avail, (void *)(buf + 128));
    ck_assert_ptr_eq(q.used, (void *)(buf + 152));
    ck_assert_uint_eq(virtq_bytes(8), 152 + 6 + 64);
    ck_assert_uint_eq(q.num_free, 8);
}
END_TEST

START_TEST(one_chain_round_trip)
{
    ck_assert_int_eq(add(1, 2, 7), 0);
    ck_assert_uint_eq(vq.num_free, QSIZE - 3);
    /* Added but not kicked: the device must not see it yet. */
    ck_assert_uint_eq(vq.avail->idx, 0);
    ck_assert_int_ne(virtq_kick(&vq), 0);
    ck_assert_uint_eq(vq.avail->idx, 1);

    uint16_t head;
    unsigned out, in;
    struct virtq_buf b[QSIZE];
    ck_assert_uint_eq(dev_pop(&head, b, &out, &in), 3);
    ck_assert_uint_eq(out, 1);
    ck_assert_uint_eq(in, 2);
    for (unsigned k = 0; k < 3; k++) {
        ck_assert_uint_eq(b[k].addr, (7u << 16) | k);
        ck_assert_uint_eq(b[k].len, 100 + k);
    }
    ck_assert_uint_eq(vq.desc[dev.chain[head][0]].flags, VIRTQ_DESC_F_NEXT);
    ck_assert_uint_eq(vq.desc[dev.chain[head][1]].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
    ck_assert_uint_eq(vq.desc[dev.chain[head][2]].flags, VIRTQ_DESC_F_WRITE);

    ck_assert_int_eq(virtq_has_used(&vq), 0);
    ck_assert_ptr_null(virtq_get_buf(&vq, NULL));
    dev_push(head, 42);
    ck_assert_int_ne(virtq_has_used(&vq), 0);
    uint32_t len = 0;
    ck_assert_ptr_eq(virtq_get_buf(&vq, &len), (void *)7);
    ck_assert_uint_eq(len, 42);
    ck_assert_uint_eq(vq.num_free, QSIZE);
    ck_assert_ptr_null(virtq_get_buf(&vq, &len));
    ck_assert_int_eq(virtq_has_used(&vq), 0);
}
END_TEST

START_TEST(kick_honours_no_notify)
{
    vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
    ck_assert_int_eq(add(1, 0, 1), 0);
    ck_assert_int_eq(virtq_kick(&vq), 0); /* published, but no doorbell wanted */
    ck_assert_uint_eq(vq.avail->idx, 1);
    vq.used->flags = 0;
    ck_assert_int_eq(add(0, 1, 2), 0);
    ck_assert_int_ne(virtq_kick(&vq), 0);
    ck_assert_uint_eq(vq.avail->idx, 2);
}
END_TEST

/* publish hands chains over without asking for the doorbell; a later kick
 * still does, and publishes nothing twice. */
START_TEST(publish_then_kick)
{
    ck_assert_int_eq(add(1, 0, 1), 0);
    virtq_publish(&vq);
    ck_assert_uint_eq(vq.avail->idx, 1);
    uint16_t head;
    unsigned out, in;
    struct virtq_buf b[QSIZE];
    ck_assert_uint_eq(dev_pop(&head, b, &out, &in), 1); /* a busy device takes it */
    ck_assert_int_eq(add(1, 0, 2), 0);
    virtq_publish(&vq);
    ck_assert_int_ne(virtq_kick(&vq), 0);
    ck_assert_uint_eq(vq.avail->idx, 2);
    ck_assert_uint_eq(dev_pop(&head, b, &out, &in), 1);
    ck_assert_uint_eq(dev_pop(&head, b, &out, &in), 0);
}
END_TEST

START_TEST(full_queue_and_bad_arguments)
{
    for (uintptr_t t = 1; t <= QSIZE / 2; t++)
        ck_assert_int_eq(add(1, 1, t), 0);
    ck_assert_uint_eq(vq.num_free, 0);
    ck_assert_int_eq(add(1, 0, 99), -ENOSPC);
    ck_assert_int_eq(add(0, 0, 99), -EINVAL);
    struct virtq_buf b = {1, 1};
    ck_assert_int_eq(virtq_add_buf(&vq, &b, 1, 0, NULL), -EINVAL);
    virtq_kick(&vq);
    uint16_t head;
    ck_assert_uint_eq(dev_pop(&head, NULL, NULL, NULL), 2);
    dev_push(head, 0);
    ck_assert_ptr_eq(virtq_get_buf(&vq, NULL), (void *)1);
    ck_assert_int_eq(add(1, 0, 99), 0); /* room again */
    ck_assert_int_eq(add(1, 0, 100), 0);
    ck_assert_int_eq(add(1, 0, 101), -ENOSPC);
    /* A chain as long as the whole queue fits once everything is back. */
    virtq_kick(&vq);
    while (dev_pop(&head, NULL, NULL, NULL))
        dev_push(head, 0);
    while (virtq_get_buf(&vq, NULL))
        ;
    ck_assert_uint_eq(vq.num_free, QSIZE);
    ck_assert_int_eq(add(QSIZE / 2, QSIZE / 2, 5), 0);
    ck_assert_uint_eq(vq.num_free, 0);
}
END_TEST

/* Chains of random length, completed in random order, for many rounds:
 * every token comes back exactly once, no descriptor is ever in two chains
 * (dev_pop checks), and every descriptor returns to the free list. */
START_TEST(random_order_and_descriptor_reuse)
{
    srand(1);
    uint16_t heads[QSIZE];
    unsigned n_held = 0, n_out = 0;
    uintptr_t next_tag = 1, returned = 0;
    unsigned long sum_added = 0, sum_returned = 0;
    for (int round = 0; round < 20000; round++) {
        /* Add chains while they fit. */
        for (;;) {
            unsigned len = 1 + (unsigned)rand() % 5;
            unsigned w = (unsigned)rand() % (len + 1);
            int r = add(len - w, w, next_tag);
            if (r == -ENOSPC)
                break;
            ck_assert_int_eq(r, 0);
            sum_added += next_tag++;
            n_out++;
        }
        virtq_kick(&vq);
        uint16_t h;
        while (dev_pop(&h, NULL, NULL, NULL))
            heads[n_held++] = h;
        /* Complete a random subset, in random order. */
        ck_assert_uint_gt(n_held, 0); /* whatever does not fit is held */
        unsigned k = 1 + (unsigned)rand() % n_held;
        while (k--) {
            unsigned pick = (unsigned)rand() % n_held;
            dev_push(heads[pick], 0);
            heads[pick] = heads[--n_held];
        }
        void *t;
        while ((t = virtq_get_buf(&vq, NULL))) {
            sum_returned += (uintptr_t)t;
            returned++;
            n_out--;
        }
    }
    ck_assert_uint_eq(vq.bad, 0);
    ck_assert_uint_eq(n_out, n_held);
    while (n_held)
        dev_push(heads[--n_held], 0);
    void *t;
    while ((t = virtq_get_buf(&vq, NULL)))
        sum_returned += (uintptr_t)t, returned++;
    ck_assert_uint_eq(returned, next_tag - 1);
    ck_assert_uint_eq(sum_returned, sum_added);
    ck_assert_uint_eq(vq.num_free, QSIZE);
}
END_TEST

/* The 16-bit ring indices run past 65535 and wrap, with chains in flight
 * across the wrap; slots are taken modulo the queue size throughout. */
START_TEST(index_wraparound)
{
    make_queue(4);
    const unsigned rounds = 70000;
    uintptr_t tag = 1, expect = 1;
    /* The device stays one chain behind, so the wrap happens with a chain
     * published and not yet taken. */
    ck_assert_int_eq(add(1, 0, tag++), 0);
    for (unsigned i = 0; i < rounds; i++) {
        ck_assert_int_eq(add(1, 1, tag++), 0);
        virtq_kick(&vq);
        uint16_t h;
        ck_assert_uint_ne(dev_pop(&h, NULL, NULL, NULL), 0);
        dev_push(h, (uint32_t)i);
        uint32_t len;
        void *t = virtq_get_buf(&vq, &len);
        ck_assert_ptr_eq(t, (void *)expect);
        ck_assert_uint_eq(len, i);
        expect++;
        ck_assert_ptr_null(virtq_get_buf(&vq, NULL));
    }
    /* Both indices wrapped once: 70001 and 70000 modulo 65536. */
    ck_assert_uint_eq(vq.avail->idx, 70001 - 65536);
    ck_assert_uint_eq(vq.used->idx, 70000 - 65536);
    ck_assert_uint_eq(vq.last_used, 70000 - 65536);
    ck_assert_uint_eq(vq.num_free, 4 - 2); /* the last chain is still published */
}
END_TEST

/* A used entry naming no chain the driver gave out is skipped and counted,
 * and does not disturb the real completions around it. */
START_TEST(bogus_used_entry_is_skipped)
{
    ck_assert_int_eq(add(1, 0, 11), 0);
    virtq_kick(&vq);
    uint16_t h;
    ck_assert_uint_ne(dev_pop(&h, NULL, NULL, NULL), 0);
    vq.used->ring[dev.used_idx++ % vq.size] = (struct virtq_used_elem){QSIZE + 5, 0};
    vq.used->ring[dev.used_idx++ % vq.size] = (struct virtq_used_elem){(h + 1) % QSIZE, 0};
    vq.used->idx = dev.used_idx;
    dev_push(h, 3);
    uint32_t len;
    ck_assert_ptr_eq(virtq_get_buf(&vq, &len), (void *)11);
    ck_assert_uint_eq(len, 3);
    ck_assert_uint_eq(vq.bad, 2);
    ck_assert_uint_eq(vq.num_free, QSIZE);
}
END_TEST

/* The descriptor table is shared memory, and a device may rewrite the
 * links of a chain it holds. That must not steer the driver: a link out of
 * the ring, or into another chain still in flight, changes nothing. Chain
 * a (3 descriptors) and chain b (2) go out; the device rewrites a's links
 * with rewrite(a, b) and returns a; a comes back whole, none of b's
 * descriptors is handed out again while b is held (dev_pop checks that no
 * descriptor is in two chains), and everything returns in the end. */
static void rewritten_links(void (*rewrite)(uint16_t a, uint16_t b))
{
    ck_assert_int_eq(add(2, 1, 21), 0);
    ck_assert_int_eq(add(1, 1, 22), 0);
    virtq_kick(&vq);
    uint16_t a, b, h;
    ck_assert_uint_eq(dev_pop(&a, NULL, NULL, NULL), 3);
    ck_assert_uint_eq(dev_pop(&b, NULL, NULL, NULL), 2);
    rewrite(a, b);
    dev_push(a, 0);
    ck_assert_ptr_eq(virtq_get_buf(&vq, NULL), (void *)21);
    ck_assert_uint_eq(vq.num_free, QSIZE - 2);
    uintptr_t tag = 100;
    while (add(1, 0, tag) == 0)
        tag++;
    ck_assert_uint_eq(tag - 100, QSIZE - 2);
    virtq_kick(&vq);
    while (dev_pop(&h, NULL, NULL, NULL))
        dev_push(h, 0);
    dev_push(b, 0);
    while (virtq_get_buf(&vq, NULL))
        ;
    ck_assert_uint_eq(vq.num_free, QSIZE);
    ck_assert_uint_eq(vq.bad, 0);
}

static void links_out_of_ring(uint16_t a, uint16_t b)
{
    (void)b;
    for (unsigned k = 0; k < dev.chain_len[a]; k++) {
        vq.desc[dev.chain[a][k]].flags |= VIRTQ_DESC_F_NEXT;
        vq.desc[dev.chain[a][k]].next = (uint16_t)(0xff00 + k);
    }
}

static void link_into_other_chain(uint16_t a, uint16_t b)
{
    vq.desc[a].next = b;
}

START_TEST(device_link_out_of_ring_not_followed)
{
    rewritten_links(links_out_of_ring);
}
END_TEST

START_TEST(device_link_into_held_chain_not_followed)
{
    rewritten_links(link_into_other_chain);
}
END_TEST

Suite *virtq_suite(void)
{
    Suite *s = suite_create("virtq");
    TCase *tc = tcase_create("virtq");
    /* index_wraparound runs 70000 chains through the ring (to wrap the
     * 16-bit indices) under AddressSanitizer: seconds on a loaded machine,
     * more than Check's default 4 s limit, which is a hang guard only. */
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, init_checks_size_and_layout);
    tcase_add_test(tc, one_chain_round_trip);
    tcase_add_test(tc, kick_honours_no_notify);
    tcase_add_test(tc, publish_then_kick);
    tcase_add_test(tc, full_queue_and_bad_arguments);
    tcase_add_test(tc, random_order_and_descriptor_reuse);
    tcase_add_test(tc, index_wraparound);
    tcase_add_test(tc, bogus_used_entry_is_skipped);
    tcase_add_test(tc, device_link_out_of_ring_not_followed);
    tcase_add_test(tc, device_link_into_held_chain_not_followed);
    suite_add_tcase(s, tc);
    return s;
}
