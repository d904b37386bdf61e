/* Unit tests for libos/realloc.c over fake newlib allocator entry points
 * whose usable size is exactly what was asked: AddressSanitizer then
 * catches any copy past the old block's end (newlib 3.3's bug). */
#include <stdlib.h>
#include <string.h>

#include "suites.h"

struct _reent;
void *_realloc_r(struct _reent *r, void *p, size_t n);

#define MAX_BLOCKS 16
static struct {
    void *p;
    size_t n;
} blocks[MAX_BLOCKS];
static int frees;

void *_malloc_r(struct _reent *r, size_t n)
{
    (void)r;
    for (int i = 0; i < MAX_BLOCKS; i++) {
        if (!blocks[i].p) {
            blocks[i].p = malloc(n);
            blocks[i].n = n;
            return blocks[i].p;
        }
    }
    return NULL;
}

void _free_r(struct _reent *r, void *p)
{
    (void)r;
    for (int i = 0; i < MAX_BLOCKS; i++) {
        if (blocks[i].p == p) {
            free(p);
            blocks[i].p = NULL;
            frees++;
            return;
        }
    }
    ck_abort_msg("free of a pointer that was not allocated");
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
    (void)r;
    for (int i = 0; i < MAX_BLOCKS; i++)
        if (blocks[i].p == p)
            return blocks[i].n;
    ck_abort_msg("size of a pointer that was not allocated");
    return 0;
}

static void setup(void)
{
    memset(blocks, 0, sizeof(blocks));
    frees = 0;
}

START_TEST(grow_copies_old_size_only)
{
    char *p = _realloc_r(NULL, NULL, 10);
    memcpy(p, "0123456789", 10);
    char *q = _realloc_r(NULL, p, 100000); /* ASan: no read past p[9] */
    ck_assert_ptr_nonnull(q);
    ck_assert_mem_eq(q, "0123456789", 10);
    ck_assert_int_eq(frees, 1);
    _realloc_r(NULL, q, 0);
}
END_TEST

START_TEST(shrink_keeps_block)
{
    char *p = _realloc_r(NULL, NULL, 64);
    ck_assert_ptr_eq(_realloc_r(NULL, p, 16), p);
    ck_assert_ptr_eq(_realloc_r(NULL, p, 64), p);
    ck_assert_int_eq(frees, 0);
    _realloc_r(NULL, p, 0);
}
END_TEST

START_TEST(zero_frees_and_failure_keeps_old)
{
    char *p = _realloc_r(NULL, NULL, 8);
    ck_assert_ptr_null(_realloc_r(NULL, p, 0));
    ck_assert_int_eq(frees, 1);
    /* Out of memory: NULL, and the old block is still valid. */
    for (int i = 0; i < MAX_BLOCKS; i++)
        _realloc_r(NULL, NULL, 4);
    char *full = blocks[0].p;
    memcpy(full, "abcd", 4);
    ck_assert_ptr_null(_realloc_r(NULL, full, 8));
    ck_assert_mem_eq(full, "abcd", 4);
    for (int i = 0; i < MAX_BLOCKS; i++)
        _free_r(NULL, blocks[i].p);
}
END_TEST

Suite *realloc_suite(void)
{
    Suite *s = suite_create("realloc");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, grow_copies_old_size_only);
    tcase_add_test(tc, shrink_keeps_block);
    tcase_add_test(tc, zero_frees_and_failure_keeps_old);
    suite_add_tcase(s, tc);
    return s;
}
