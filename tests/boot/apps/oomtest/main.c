/* oomtest: a boot-test image that runs the VM out of memory at the moment
 * the kernel needs a new page-table page, and checks that the request fails
 * cleanly (pthread_create with EAGAIN, malloc with ENOMEM) and the image
 * keeps running. Memory is taken page by page straight from sbrk, so the
 * number of free pages left for the request is known up to one page (the
 * heap itself may need a page table for its last page). Prints
 * "oomtest: PASS|FAIL name: detail" per check, then "oomtest: all passed". */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK_IMAGE "oomtest"
#include "../check.h"

#define PAGE 4096
/* Free pages left for one thread creation: 0, 1, 2, ... Thread stacks sit
 * in slots of their own above the heap; each attempt takes a slot no
 * thread has used, so the first page of its stack needs a page table that
 * does not exist yet. The sweep is wider than the one or two pages it takes
 * to hit that, so how the kernel orders its allocations does not matter. */
#define SWEEP 9

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released;

/* A thread that holds its stack (and its slot) until the end. */
static void *parked(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!released)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static char *heap_start; /* where this test's own sbrk pages begin */

/* Take every free page into the heap; returns how many. */
static long grab_all(void)
{
    long n = 0;
    while (sbrk(PAGE) != (void *)-1)
        n++;
    return n;
}

static void give_back_all(void)
{
    sbrk(heap_start - (char *)sbrk(0));
}

int main(void)
{
    /* Whatever malloc needs later (stdio, the pthread records) it takes
     * now, so it never calls sbrk between ours: a free block below a small
     * one that stays, so free() cannot give it back to the heap's end. */
    printf("oomtest: starting\n");
    void *volatile reserve = malloc(96 * 1024); /* volatile: not optimised away */
    void *keep = malloc(16);
    free(reserve);
    char *end = sbrk(0);
    sbrk((PAGE - (intptr_t)end % PAGE) % PAGE); /* page-aligned: -k pages frees k */
    heap_start = sbrk(0);

    enum { MAX = 2 * SWEEP };
    pthread_t threads[MAX];
    int n_threads = 0, results[SWEEP], setup_ok = 1;
    long grabbed[SWEEP];
    for (int k = 0; k < SWEEP && setup_ok; k++) {
        give_back_all();
        /* With memory to spare: a parked thread takes the slot a failed
         * attempt may have left a page table in, so the next slot is fresh. */
        setup_ok = pthread_create(&threads[n_threads], NULL, parked, NULL) == 0;
        if (!setup_ok)
            break;
        n_threads++;
        grabbed[k] = grab_all();
        sbrk(-(intptr_t)k * PAGE);
        results[k] = pthread_create(&threads[n_threads], NULL, parked, NULL);
        if (results[k] == 0)
            n_threads++;
    }
    give_back_all();

    char detail[160] = "";
    int clean = setup_ok, refused = 0;
    for (int k = 0; k < SWEEP && setup_ok; k++) {
        char part[24];
        clean &= results[k] == 0 || results[k] == EAGAIN;
        refused += results[k] == EAGAIN;
        snprintf(part, sizeof(part), "%s%d:%s", k ? " " : "", k,
                 results[k] == 0        ? "ok"
                 : results[k] == EAGAIN ? "EAGAIN"
                                        : strerror(results[k]));
        strncat(detail, part, sizeof(detail) - strlen(detail) - 1);
    }
    check(clean && refused > 0, "pthread-create-out-of-memory",
          "free pages -> result: %s (after taking %ld pages)", setup_ok ? detail : "setup failed",
          setup_ok ? grabbed[0] : 0L);

    /* malloc up to exhaustion, in blocks of a page table's reach and then
     * smaller: each refusal is ENOMEM, never a panic. */
    enum { BLOCKS = 4096 };
    static void *blocks[BLOCKS];
    int n = 0, enomem = 1;
    for (size_t size = 2u << 20; size >= 64 && n < BLOCKS; size /= 2) {
        errno = 0;
        while (n < BLOCKS && (blocks[n] = malloc(size)) != NULL)
            memset(blocks[n++], 0x5a, size);
        enomem &= errno == ENOMEM;
    }
    for (int i = 0; i < n; i++)
        free(blocks[i]);
    check(enomem && n > 0, "malloc-out-of-memory", "%d blocks, then ENOMEM each time", n);

    /* Everything given back: the image works on. */
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    int joined = 0;
    for (int i = 0; i < n_threads; i++)
        joined += pthread_join(threads[i], NULL) == 0;
    pthread_t t;
    int again = pthread_create(&t, NULL, parked, NULL) == 0 && pthread_join(t, NULL) == 0;
    void *p = malloc(1 << 20);
    check(joined == n_threads && again && p, "still-running",
          "%d of %d threads joined; a new thread and 1 MiB afterwards: %s", joined, n_threads,
          again && p ? "yes" : "no");
    free(p);
    free(keep);
    return checks_done();
}
