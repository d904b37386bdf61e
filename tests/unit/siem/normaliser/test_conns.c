/* The connection table's caps (apps/siem/normaliser/conns.c): which
 * connection gives way to a new one. */
#include <check.h>

#include "conns.h"

static struct conn c[8];

/* Adds c[i] from addr at time t; returns whether one was evicted. */
static int add(int i, uint32_t addr, long long t)
{
    c[i].addr = addr;
    return conns_add(&c[i], t);
}

START_TEST(per_source_cap)
{
    conns_init(8, 2);
    ck_assert(!add(0, 1, 10));
    ck_assert(!add(1, 1, 20));
    conns_touch(&c[0], 30); /* c[1] is now the quietest of address 1 */
    ck_assert(!add(2, 2, 40));
    ck_assert(add(3, 1, 50));
    ck_assert(!c[0].evicted && c[1].evicted && !c[2].evicted && !c[3].evicted);
    conns_remove(&c[1]); /* its thread closes it */
    conns_wait_closing(1);
    for (int i = 0; i < 4; i++)
        if (i != 1)
            conns_remove(&c[i]);
}
END_TEST

START_TEST(total_cap)
{
    conns_init(4, 3);
    ck_assert(!add(0, 7, 10)); /* address 7: one connection */
    ck_assert(!add(1, 9, 20)); /* address 9: three */
    ck_assert(!add(2, 9, 30));
    ck_assert(!add(3, 9, 5));
    /* Full: the address holding the most gives way, its quietest first. */
    ck_assert(add(4, 8, 40));
    ck_assert(c[3].evicted && !c[0].evicted && !c[1].evicted && !c[2].evicted);
    ck_assert(add(5, 7, 50));
    ck_assert(c[1].evicted && !c[0].evicted);
    /* A connection that ends by itself leaves room. */
    conns_remove(&c[0]);
    ck_assert(!add(6, 6, 60));
    for (int i = 1; i < 7; i++)
        conns_remove(&c[i]);
    conns_wait_closing(1);
}
END_TEST

Suite *conns_suite(void)
{
    Suite *s = suite_create("siem-conns");
    TCase *tc = tcase_create("conns");
    tcase_add_test(tc, per_source_cap);
    tcase_add_test(tc, total_cap);
    suite_add_tcase(s, tc);
    return s;
}
