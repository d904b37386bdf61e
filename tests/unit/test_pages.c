/* Unit tests for kernel/pages.c, the physical page allocator, run on a real
 * host arena because the free list is threaded through the pages. */
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "suites.h"

#define ARENA_PAGES 64

static uint8_t *arena;
static uint64_t arena_base; /* the arena's address: "physical" page 0 of the tests */

/* Arena pages handed out and not yet freed, as seen by the tests. */
static int in_use[ARENA_PAGES];
static size_t n_in_use;

/* Address of arena page i. */
static uint64_t pg(uint64_t i)
{
    return arena_base + i * PAGE_SIZE;
}

static void setup(void)
{
    arena = aligned_alloc(PAGE_SIZE, ARENA_PAGES * PAGE_SIZE);
    ck_assert_ptr_nonnull(arena);
    arena_base = (uint64_t)(uintptr_t)arena;
    memset(in_use, 0, sizeof(in_use));
    n_in_use = 0;
    pages_init();
}

static void teardown(void)
{
    free(arena);
}

static void assert_counts(size_t total)
{
    ck_assert_uint_eq(pages_total_count(), total);
    ck_assert_uint_eq(pages_free_count() + n_in_use, total);
}

/* Check a run of n pages at p: aligned, inside [lo, hi), not already out;
 * then mark it used and fill it, which ASan checks is real arena memory. */
static void take(uint64_t p, size_t n, uint64_t lo, uint64_t hi)
{
    ck_assert_uint_ne(p, 0);
    ck_assert_uint_eq((p - arena_base) % PAGE_SIZE, 0);
    ck_assert_uint_ge(p, pg(lo));
    ck_assert_uint_le(p + n * PAGE_SIZE, pg(hi));
    size_t first = (p - arena_base) / PAGE_SIZE;
    for (size_t i = first; i < first + n; i++) {
        ck_assert_msg(!in_use[i], "page %zu handed out twice", i);
        in_use[i] = 1;
        n_in_use++;
    }
    memset((void *)(uintptr_t)p, (int)(0xa0 + first), n * PAGE_SIZE);
}

static void give_back(uint64_t p)
{
    size_t i = (p - arena_base) / PAGE_SIZE;
    ck_assert(in_use[i]);
    in_use[i] = 0;
    n_in_use--;
    page_free(p);
}

/* Allocate single pages until exhausted, each inside [lo, hi); return how
 * many. The second page_alloc after exhaustion must still say 0. */
static size_t drain(uint64_t lo, uint64_t hi)
{
    size_t n = 0;
    for (uint64_t p; (p = page_alloc()) != 0; n++) {
        ck_assert_uint_lt(n, ARENA_PAGES);
        take(p, 1, lo, hi);
    }
    ck_assert_uint_eq(page_alloc(), 0);
    ck_assert_uint_eq(pages_free_count(), 0);
    return n;
}

START_TEST(add_range_counts)
{
    ck_assert_uint_eq(pages_total_count(), 0);
    ck_assert_uint_eq(pages_free_count(), 0);
    ck_assert_uint_eq(page_alloc(), 0);
    pages_add_range(pg(0), ARENA_PAGES * PAGE_SIZE);
    assert_counts(ARENA_PAGES);
    pages_init();
    ck_assert_uint_eq(pages_total_count(), 0);
    ck_assert_uint_eq(pages_free_count(), 0);
    ck_assert_uint_eq(page_alloc(), 0);
}
END_TEST

START_TEST(add_range_drops_partial_pages)
{
    pages_add_range(pg(0) + 100, 10 * PAGE_SIZE - 50); /* whole pages 1..9 */
    assert_counts(9);
    pages_add_range(pg(20) + 8, 100);           /* inside one page */
    pages_add_range(pg(30) + 1, PAGE_SIZE);     /* straddles two pages */
    pages_add_range(pg(40), 2 * PAGE_SIZE - 1); /* one whole page */
    pages_add_range(pg(50), 0);
    assert_counts(10);
    ck_assert_uint_eq(drain(0, 42), 10);
    for (int i = 1; i <= 9; i++)
        ck_assert(in_use[i]);
    ck_assert(in_use[40]);
    assert_counts(10);
}
END_TEST

START_TEST(reserve_middle_splits_range)
{
    pages_add_range(pg(0), 16 * PAGE_SIZE);
    pages_reserve(pg(4) + 10, 2); /* two bytes: rounded out to page 4 */
    assert_counts(15);
    ck_assert_uint_eq(drain(0, 16), 15);
    ck_assert(!in_use[4]);
    ck_assert(in_use[3] && in_use[5]);
}
END_TEST

START_TEST(reserve_rounds_out_to_pages)
{
    pages_add_range(pg(0), 16 * PAGE_SIZE);
    pages_reserve(pg(4) + 100, 3 * PAGE_SIZE); /* touches pages 4..7 */
    assert_counts(12);
    ck_assert_uint_eq(drain(0, 16), 12);
    for (int i = 4; i <= 7; i++)
        ck_assert_msg(!in_use[i], "reserved page %d handed out", i);
    ck_assert(in_use[3] && in_use[8]);
}
END_TEST

START_TEST(reserve_covering_whole_range)
{
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    pages_add_range(pg(16), 8 * PAGE_SIZE);
    pages_add_range(pg(32), 8 * PAGE_SIZE);
    pages_reserve(pg(15), 10 * PAGE_SIZE); /* [15, 25) swallows [16, 24) */
    assert_counts(16);
    pages_reserve(pg(32), 8 * PAGE_SIZE); /* exactly [32, 40) */
    assert_counts(8);
    ck_assert_uint_eq(drain(0, 8), 8);
}
END_TEST

START_TEST(reserve_overlapping_two_ranges)
{
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    pages_add_range(pg(10), 10 * PAGE_SIZE);
    pages_reserve(pg(6), 6 * PAGE_SIZE); /* [6, 12): the tail of one, head of the other */
    assert_counts(14);
    ck_assert_uint_eq(drain(0, 20), 14);
    for (int i = 6; i < 12; i++)
        ck_assert_msg(!in_use[i], "page %d handed out", i);
    ck_assert(in_use[5] && in_use[12] && in_use[19]);
}
END_TEST

START_TEST(reserve_outside_changes_nothing)
{
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    pages_reserve(pg(8), 2 * PAGE_SIZE);  /* adjacent above */
    pages_reserve(pg(20), 4 * PAGE_SIZE); /* far above */
    pages_reserve(pg(3), 0);              /* empty, page-aligned */
    assert_counts(8);
    ck_assert_uint_eq(drain(0, 8), 8);
}
END_TEST

START_TEST(alloc_distinct_aligned_until_exhausted)
{
    pages_add_range(pg(0), ARENA_PAGES * PAGE_SIZE);
    for (size_t i = 1; i <= ARENA_PAGES; i++) {
        take(page_alloc(), 1, 0, ARENA_PAGES); /* distinct, aligned, inside */
        assert_counts(ARENA_PAGES);
        ck_assert_uint_eq(pages_free_count(), ARENA_PAGES - i);
    }
    ck_assert_uint_eq(page_alloc(), 0);
    ck_assert_uint_eq(page_alloc(), 0);
    ck_assert_uint_eq(pages_alloc_contig(1), 0);
    assert_counts(ARENA_PAGES);
    /* Every page still holds the pattern it was filled with: no overlap. */
    for (size_t i = 0; i < ARENA_PAGES; i++)
        ck_assert_int_eq(arena[i * PAGE_SIZE + PAGE_SIZE - 1], (uint8_t)(0xa0 + i));
}
END_TEST

START_TEST(free_then_alloc_reuses)
{
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    uint64_t p = page_alloc();
    take(p, 1, 0, 8);
    give_back(p);
    assert_counts(8);
    uint64_t q = page_alloc();
    ck_assert_uint_eq(q, p);
    take(q, 1, 0, 8);

    ck_assert_uint_eq(drain(0, 8), 7);
    give_back(pg(2));
    give_back(pg(5));
    give_back(pg(7));
    assert_counts(8);
    ck_assert_uint_eq(pages_free_count(), 3);
    ck_assert_uint_eq(drain(0, 8), 3); /* exactly the three freed pages */
    ck_assert(in_use[2] && in_use[5] && in_use[7]);
    assert_counts(8);
}
END_TEST

START_TEST(contig_returns_contiguous_runs)
{
    pages_add_range(pg(0), 4 * PAGE_SIZE);
    pages_add_range(pg(8), 12 * PAGE_SIZE);
    uint64_t p = pages_alloc_contig(5); /* only [8, 20) is large enough */
    take(p, 5, 8, 20);
    assert_counts(16);
    ck_assert_uint_eq(pages_alloc_contig(8), 0); /* 7 + 4 left, not 8 in a row */
    assert_counts(16);
    p = pages_alloc_contig(7);
    take(p, 7, 8, 20);
    p = pages_alloc_contig(4);
    take(p, 4, 0, 4);
    assert_counts(16);
    ck_assert_uint_eq(pages_free_count(), 0);
    ck_assert_uint_eq(pages_alloc_contig(1), 0);
}
END_TEST

START_TEST(contig_zero_pages)
{
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    ck_assert_uint_eq(pages_alloc_contig(0), 0);
    assert_counts(8);
    ck_assert_uint_eq(pages_free_count(), 8);
}
END_TEST

START_TEST(contig_needs_one_large_enough_range)
{
    pages_add_range(pg(0), 4 * PAGE_SIZE);
    pages_add_range(pg(5), 4 * PAGE_SIZE);
    pages_add_range(pg(10), 4 * PAGE_SIZE);
    ck_assert_uint_eq(pages_alloc_contig(5), 0); /* 12 free, at most 4 in a row */
    assert_counts(12);
    ck_assert_uint_eq(pages_free_count(), 12);
    for (int i = 0; i < 3; i++)
        take(pages_alloc_contig(4), 4, 0, 14);
    ck_assert_uint_eq(pages_alloc_contig(4), 0);
    assert_counts(12);
    ck_assert(!in_use[4] && !in_use[9]);
}
END_TEST

START_TEST(contig_huge_count_fails_cleanly)
{
    /* n * PAGE_SIZE must not wrap: 2^52 + 1 pages is 4 KiB modulo 2^64. */
    pages_add_range(pg(0), 16 * PAGE_SIZE);
    ck_assert_uint_eq(pages_alloc_contig(((size_t)1 << 52) + 1), 0);
    ck_assert_uint_eq(pages_alloc_contig(SIZE_MAX), 0);
    ck_assert_uint_eq(pages_alloc_contig(17), 0);
    assert_counts(16);
    ck_assert_uint_eq(pages_free_count(), 16);
}
END_TEST

START_TEST(counters_stay_consistent)
{
    pages_add_range(pg(0), 20 * PAGE_SIZE);
    pages_add_range(pg(30), 30 * PAGE_SIZE);
    pages_reserve(pg(10), 25 * PAGE_SIZE); /* leaves [0, 10) and [35, 60) */
    assert_counts(35);

    uint64_t singles[8];
    for (int i = 0; i < 8; i++) {
        singles[i] = page_alloc();
        take(singles[i], 1, 0, 60);
        assert_counts(35);
    }
    uint64_t run = pages_alloc_contig(10);
    take(run, 10, 35, 60);
    assert_counts(35);
    for (int i = 0; i < 8; i += 2) {
        give_back(singles[i]);
        assert_counts(35);
    }
    for (int i = 0; i < 4; i++) {
        take(page_alloc(), 1, 0, 60);
        assert_counts(35);
    }
    size_t left = 35 - n_in_use;
    ck_assert_uint_eq(drain(0, 60), left);
    assert_counts(35);
    for (int i = 10; i < 35; i++)
        ck_assert_msg(!in_use[i], "reserved page %d handed out", i);
}
END_TEST

/* The high-water mark: rises with the pages in use, stays when they are
 * freed, and is not moved by reserving or by failed allocations. */
START_TEST(used_peak_is_a_high_water_mark)
{
    pages_add_range(pg(0), 16 * PAGE_SIZE);
    pages_reserve(pg(0), 2 * PAGE_SIZE);
    ck_assert_uint_eq(pages_used_count(), 0);
    ck_assert_uint_eq(pages_used_peak(), 0);
    uint64_t a = page_alloc(), b = page_alloc();
    take(a, 1, 2, 16), take(b, 1, 2, 16);
    ck_assert_uint_eq(pages_used_count(), 2);
    ck_assert_uint_eq(pages_used_peak(), 2);
    give_back(a);
    ck_assert_uint_eq(pages_used_count(), 1);
    ck_assert_uint_eq(pages_used_peak(), 2);
    uint64_t run = pages_alloc_contig(5);
    take(run, 5, 2, 16);
    ck_assert_uint_eq(pages_used_count(), 6);
    ck_assert_uint_eq(pages_used_peak(), 6);
    ck_assert_uint_eq(pages_alloc_contig(100), 0);
    ck_assert_uint_eq(pages_used_peak(), 6);
    give_back(b);
    for (int i = 0; i < 5; i++)
        give_back(run + (uint64_t)i * PAGE_SIZE);
    ck_assert_uint_eq(pages_used_count(), 0);
    ck_assert_uint_eq(pages_used_peak(), 6);
    take(page_alloc(), 1, 2, 16); /* from the free list: below the mark */
    ck_assert_uint_eq(pages_used_peak(), 6);
    ck_assert_uint_eq(drain(2, 16), 13);
    ck_assert_uint_eq(pages_used_count(), 14);
    ck_assert_uint_eq(pages_used_peak(), 14);
    pages_init();
    ck_assert_uint_eq(pages_used_peak(), 0);
}
END_TEST

/* A page from the free list can set a new mark too. */
START_TEST(used_peak_counts_free_list_pages)
{
    pages_add_range(pg(0), 16 * PAGE_SIZE);
    uint64_t a = page_alloc();
    take(a, 1, 0, 16);
    give_back(a);
    uint64_t run = pages_alloc_contig(2); /* from the range, past the free list */
    take(run, 2, 0, 16);
    ck_assert_uint_eq(pages_used_peak(), 2);
    ck_assert_uint_eq(page_alloc(), a);
    ck_assert_uint_eq(pages_used_count(), 3);
    ck_assert_uint_eq(pages_used_peak(), 3);
}
END_TEST

START_TEST(ranges_added_out_of_order)
{
    pages_add_range(pg(32), 8 * PAGE_SIZE);
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    pages_add_range(pg(16), 8 * PAGE_SIZE);
    assert_counts(24);
    ck_assert_uint_eq(pages_alloc_contig(9), 0);
    ck_assert_uint_eq(drain(0, 40), 24);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(in_use[i], (i < 8) || (i >= 16 && i < 24) || (i >= 32));
}
END_TEST

START_TEST(reserve_across_out_of_order_ranges)
{
    pages_add_range(pg(16), 8 * PAGE_SIZE);
    pages_add_range(pg(32), 8 * PAGE_SIZE);
    pages_add_range(pg(0), 8 * PAGE_SIZE);
    pages_reserve(pg(6), 12 * PAGE_SIZE); /* [6, 18) cuts two of them */
    assert_counts(20);
    take(pages_alloc_contig(8), 8, 32, 40); /* the only whole 8-page range left */
    ck_assert_uint_eq(pages_alloc_contig(7), 0);
    take(pages_alloc_contig(6), 6, 0, 24);
    take(pages_alloc_contig(6), 6, 0, 24);
    assert_counts(20);
    ck_assert_uint_eq(pages_free_count(), 0);
    for (int i = 6; i < 18; i++)
        ck_assert(!in_use[i]);
}
END_TEST

Suite *pages_suite(void)
{
    Suite *s = suite_create("pages");
    TCase *tc = tcase_create("pages");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, add_range_counts);
    tcase_add_test(tc, add_range_drops_partial_pages);
    tcase_add_test(tc, reserve_middle_splits_range);
    tcase_add_test(tc, reserve_rounds_out_to_pages);
    tcase_add_test(tc, reserve_covering_whole_range);
    tcase_add_test(tc, reserve_overlapping_two_ranges);
    tcase_add_test(tc, reserve_outside_changes_nothing);
    tcase_add_test(tc, alloc_distinct_aligned_until_exhausted);
    tcase_add_test(tc, free_then_alloc_reuses);
    tcase_add_test(tc, contig_returns_contiguous_runs);
    tcase_add_test(tc, contig_zero_pages);
    tcase_add_test(tc, contig_needs_one_large_enough_range);
    tcase_add_test(tc, contig_huge_count_fails_cleanly);
    tcase_add_test(tc, counters_stay_consistent);
    tcase_add_test(tc, used_peak_is_a_high_water_mark);
    tcase_add_test(tc, used_peak_counts_free_list_pages);
    tcase_add_test(tc, ranges_added_out_of_order);
    tcase_add_test(tc, reserve_across_out_of_order_ranges);
    suite_add_tcase(s, tc);
    return s;
}
