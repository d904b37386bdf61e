/* selftest: a boot-test image that exercises threads, wait queues, sleeping,
 * the clocks, malloc and the sprintf family inside the real kernel, printing
 * one PASS or FAIL line per check and "selftest: all passed" when every check
 * held. */
#define _GNU_SOURCE /* asprintf, pthread_getattr_np, pthread_setname_np */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CHECK_IMAGE "selftest"
#include "../check.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* --- Producer/consumer over a bounded buffer (mutex + condition variables,
 * i.e. wait queues underneath). */
#define ITEMS 20000
#define SLOTS 16
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    int buf[SLOTS];
    int head, count, produced_done;
    long long sum;
    int consumed;
} pc; /* all-zero: the mutex and condition variables start initialised */

static void *producer(void *arg)
{
    int base = (int)(intptr_t)arg;
    for (int i = 0; i < ITEMS / 2; i++) {
        pthread_mutex_lock(&pc.lock);
        while (pc.count == SLOTS)
            pthread_cond_wait(&pc.not_full, &pc.lock);
        pc.buf[(pc.head + pc.count++) % SLOTS] = base + i;
        pthread_cond_signal(&pc.not_empty);
        pthread_mutex_unlock(&pc.lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&pc.lock);
        while (pc.count == 0 && pc.consumed < ITEMS)
            pthread_cond_wait(&pc.not_empty, &pc.lock);
        if (pc.consumed == ITEMS) {
            pthread_cond_broadcast(&pc.not_empty);
            pthread_mutex_unlock(&pc.lock);
            return NULL;
        }
        pc.sum += pc.buf[pc.head];
        pc.head = (pc.head + 1) % SLOTS;
        pc.count--;
        pc.consumed++;
        pthread_cond_signal(&pc.not_full);
        pthread_mutex_unlock(&pc.lock);
    }
}

static void test_producer_consumer(void)
{
    pthread_t t[4];
    pthread_create(&t[0], NULL, producer, (void *)(intptr_t)0);
    pthread_create(&t[1], NULL, producer, (void *)(intptr_t)(ITEMS / 2));
    pthread_create(&t[2], NULL, consumer, NULL);
    pthread_create(&t[3], NULL, consumer, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    long long want = (long long)ITEMS * (ITEMS - 1) / 2;
    char detail[96];
    snprintf(detail, sizeof(detail), "%d items, sum %lld (want %lld)", pc.consumed, pc.sum, want);
    check(pc.consumed == ITEMS && pc.sum == want, "producer-consumer", "%s", detail);
}

/* --- Thread-specific data: a key created after another was deleted may
 * reuse its slot, but starts as NULL in every thread (POSIX), and a thread
 * that ends runs no destructor for the values of the deleted key. */
static pthread_key_t key_old, key_new;
static int destructor_runs;
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t key_cond = PTHREAD_COND_INITIALIZER;
static int key_stage; /* 1: the thread set its value; 2: keys swapped */

static void count_destructor(void *v)
{
    (void)v;
    destructor_runs++;
}

static void *key_holder(void *arg)
{
    static int mine;
    pthread_setspecific(key_old, &mine);
    pthread_mutex_lock(&key_lock);
    key_stage = 1;
    pthread_cond_signal(&key_cond);
    while (key_stage != 2)
        pthread_cond_wait(&key_cond, &key_lock);
    pthread_mutex_unlock(&key_lock);
    *(void **)arg = pthread_getspecific(key_new);
    return NULL; /* exiting runs destructors: key_new's value must be NULL */
}

static void test_key_reuse(void)
{
    static int main_value;
    void *seen_by_thread = (void *)1;
    pthread_t t;
    int ok = pthread_key_create(&key_old, count_destructor) == 0 &&
             pthread_setspecific(key_old, &main_value) == 0 &&
             pthread_create(&t, NULL, key_holder, &seen_by_thread) == 0;
    if (!ok) {
        check(0, "key-delete-then-create", "%s", "setup failed");
        return;
    }
    pthread_mutex_lock(&key_lock);
    while (key_stage != 1)
        pthread_cond_wait(&key_cond, &key_lock);
    int del = pthread_key_delete(key_old), cre = pthread_key_create(&key_new, count_destructor);
    key_stage = 2;
    pthread_cond_signal(&key_cond);
    pthread_mutex_unlock(&key_lock);
    pthread_join(t, NULL);
    void *seen_by_main = pthread_getspecific(key_new);
    check(del == 0 && cre == 0 && !seen_by_main && !seen_by_thread && destructor_runs == 0,
          "key-delete-then-create",
          "slot %u then %u; new key reads %p in main, %p in a thread; %d destructor runs", key_old,
          key_new, seen_by_main, seen_by_thread, destructor_runs);
    pthread_key_delete(key_new);
}

/* --- Sleeping: the clock moves at least as far as asked, and a sleeping
 * thread does not stop the others. */
static void test_sleep(void)
{
    static const unsigned ms[] = {1, 10, 55, 120};
    int ok = 1;
    char detail[160] = "", part[40];
    for (unsigned i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
        uint64_t t0 = now_ns();
        struct timespec req = {0, (long)ms[i] * 1000000};
        nanosleep(&req, NULL);
        uint64_t got = now_ns() - t0;
        ok &= got >= (uint64_t)ms[i] * 1000000;
        snprintf(part, sizeof(part), "%s%ums->%.1fms", i ? " " : "", ms[i], got / 1e6);
        strncat(detail, part, sizeof(detail) - strlen(detail) - 1);
    }
    check(ok, "nanosleep-at-least", "%s", detail);

    uint64_t t0 = now_ns();
    sleep(1);
    uint64_t got = now_ns() - t0;
    snprintf(detail, sizeof(detail), "sleep(1) took %.3f s", got / 1e9);
    check(got >= 1000000000u, "sleep-seconds", "%s", detail);
}

static volatile int sleeper_done;

static void *sleeper(void *arg)
{
    (void)arg;
    usleep(200000);
    sleeper_done = 1;
    return NULL;
}

static void *worker(void *arg)
{
    *(int *)arg = 1;
    return NULL;
}

static void test_sleep_blocks_only_caller(void)
{
    pthread_t s, w;
    int worked = 0;
    pthread_create(&s, NULL, sleeper, NULL);
    sched_yield(); /* let the sleeper start sleeping */
    pthread_create(&w, NULL, worker, &worked);
    pthread_join(w, NULL);
    int ran_while_sleeping = worked && !sleeper_done;
    pthread_join(s, NULL);
    check(ran_while_sleeping && sleeper_done, "sleep-blocks-only-caller", "%s",
          ran_while_sleeping ? NULL : "a sleeping thread stopped the others");
}

static pthread_mutex_t tw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tw_cond = PTHREAD_COND_INITIALIZER;

static void test_timed_wait(void)
{
    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 50000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    uint64_t t0 = now_ns();
    pthread_mutex_lock(&tw_lock);
    int r = pthread_cond_timedwait(&tw_cond, &tw_lock, &abs);
    pthread_mutex_unlock(&tw_lock);
    uint64_t got = now_ns() - t0;
    char detail[80];
    snprintf(detail, sizeof(detail), "returned %d after %.1f ms", r, got / 1e6);
    check(r == ETIMEDOUT && got >= 45000000, "cond-timedwait-timeout", "%s", detail);
}

/* --- Stacks: the size limits, a Linux-sized 8 MiB stack that is really
 * used, and the bounds a thread can ask for. */
static void *big_stack_user(void *arg)
{
    volatile char frame[6 << 20]; /* most of the 8 MiB */
    for (size_t i = 0; i < sizeof(frame); i += 4096)
        frame[i] = (char)i;
    pthread_attr_t attr;
    void *lo = NULL;
    size_t size = 0;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstack(&attr, &lo, &size);
    int *ok = arg;
    *ok = size == (8u << 20) && (char *)frame >= (char *)lo && (char *)frame < (char *)lo + size;
    return NULL;
}

static void test_stacks(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    int limits = pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1) == EINVAL &&
                 pthread_attr_setstacksize(&attr, PTHREAD_STACK_MAX + 1) == EINVAL &&
                 pthread_attr_setstacksize(&attr, PTHREAD_STACK_MAX) == 0;
    pthread_t t;
    attr.stacksize = PTHREAD_STACK_MAX + 4096; /* past setstacksize, by hand */
    limits &= pthread_create(&t, &attr, worker, NULL) == EINVAL;
    check(limits, "stack-size-limits", "%s", limits ? "" : "a size out of range was accepted");

    int used = 0;
    pthread_attr_setstacksize(&attr, 8u << 20);
    int created = pthread_create(&t, &attr, big_stack_user, &used) == 0;
    if (created)
        pthread_join(t, NULL);
    check(created && used, "stack-8MiB", "%s",
          !created ? "pthread_create failed"
          : used   ? ""
                   : "wrong stack bounds");

    int named = pthread_setname_np(pthread_self(), "0123456789abcdef") == ERANGE &&
                pthread_setname_np(pthread_self(), "selftest-main") == 0;
    check(named, "thread-name", "%s", named ? "" : "pthread_setname_np");
    pthread_setname_np(pthread_self(), "main");
}

/* --- The SSE control register belongs to each thread: a switch saves and
 * restores it with the other callee-saved state. */
static unsigned mxcsr_get(void)
{
    unsigned v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void *round_down_thread(void *arg)
{
    unsigned mine = (mxcsr_get() & ~0x6000u) | 0x2000u; /* round toward -infinity */
    __asm__ volatile("ldmxcsr %0" : : "m"(mine));
    int kept = 1;
    for (int i = 0; i < 20; i++) {
        sched_yield();
        kept &= mxcsr_get() == mine;
    }
    *(int *)arg = kept;
    return NULL;
}

static void test_mxcsr_per_thread(void)
{
    unsigned before = mxcsr_get();
    int kept = 0, ours = 1;
    pthread_t t;
    pthread_create(&t, NULL, round_down_thread, &kept);
    for (int i = 0; i < 20; i++) {
        sched_yield();
        ours &= mxcsr_get() == before;
    }
    pthread_join(t, NULL);
    check(kept && ours, "mxcsr-per-thread", "%s",
          kept && ours ? "" : "a thread's MXCSR leaked across a switch");
}

/* --- Clocks. */
static void test_clocks(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    char detail[80];
    snprintf(detail, sizeof(detail), "time()=%lld gettimeofday=%lld", (long long)t,
             (long long)tv.tv_sec);
    /* The RTC gives the host's date: any date after 2024-01-01 is sane. */
    check(t > 1704067200 && (tv.tv_sec - t) <= 1 && (t - tv.tv_sec) <= 1, "wall-clock", "%s",
          detail);

    uint64_t a = now_ns(), b = now_ns();
    check(b >= a, "monotonic", "%s", "");
}

/* --- malloc stress: many sizes, contents verified, all freed, then big. */
static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void test_malloc(void)
{
    enum { N = 512, ROUNDS = 20000 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    int ok = 1;
    for (int r = 0; r < ROUNDS && ok; r++) {
        int i = (int)(next_rand() % N);
        if (blocks[i]) {
            for (size_t k = 0; k < sizes[i]; k++)
                ok &= blocks[i][k] == (unsigned char)(i + k);
            free(blocks[i]);
            blocks[i] = NULL;
        } else {
            sizes[i] = 1 + next_rand() % (next_rand() % 8 == 0 ? 65536 : 256);
            blocks[i] = malloc(sizes[i]);
            if (!blocks[i]) {
                ok = 0;
                break;
            }
            for (size_t k = 0; k < sizes[i]; k++)
                blocks[i][k] = (unsigned char)(i + k);
        }
    }
    for (int i = 0; i < N; i++)
        free(blocks[i]);
    check(ok, "malloc-stress", "%s",
          ok ? "20000 operations, contents intact" : "corruption or NULL");

    size_t big = 16u << 20;
    unsigned char *p = malloc(big);
    int big_ok = p != NULL;
    if (p) {
        memset(p, 0xa5, big);
        big_ok = p[0] == 0xa5 && p[big - 1] == 0xa5;
        free(p);
    }
    check(big_ok, "malloc-16MiB", "%s", "");

    errno = 0;
    void *huge = malloc((size_t)1 << 40);
    check(huge == NULL && errno == ENOMEM, "malloc-too-big-fails-cleanly", "%s", "");
}

/* A block at the top of the heap grows into free blocks below it: the
 * copy must read only what the old block holds (newlib 3.3's realloc read
 * the new size, past the heap's mapped end). Blocks of 1 MiB are taken
 * until three in a row come fresh from sbrk; the upper one then grows to
 * 2 MiB into the two below it, once they are freed. */
static void test_realloc_at_heap_top(void)
{
    enum { MIB = 1 << 20, MAX = 64 };
    static unsigned char *blocks[MAX];
    int n = 0, fresh = 0, ok = 1;
    while (n < MAX && fresh < 3) {
        char *end = sbrk(0);
        blocks[n] = malloc(MIB);
        if (!blocks[n])
            break;
        fresh = (char *)blocks[n] >= end ? fresh + 1 : 0;
        n++;
    }
    ok = fresh == 3;
    unsigned char *top = ok ? blocks[n - 1] : NULL, *grown = NULL;
    for (int i = 0; i < n - 1; i++)
        free(blocks[i]);
    for (int k = 0; ok && k < MIB; k += 4096)
        top[k] = (unsigned char)(k >> 12);
    grown = ok ? realloc(top, 2 * MIB) : NULL;
    ok = grown != NULL;
    for (int k = 0; ok && k < MIB; k += 4096)
        ok = grown[k] == (unsigned char)(k >> 12);
    free(grown ? grown : top);
    check(ok, "realloc-at-heap-top", "%s", ok ? "1 MiB kept, grown to 2 MiB" : "lost");
}

/* --- There are no processes: the exec family fails with ENOSYS. */
static void test_no_processes(void)
{
    errno = 0;
    int f = fork();
    int fork_ok = f == -1 && errno == ENOSYS;
    errno = 0;
    int sys_ok = system("id") == -1 && errno == ENOSYS && system(NULL) == 0;
    errno = 0;
    int popen_ok = popen("ls /", "r") == NULL && errno == ENOSYS;
    char *argv[] = {"sh", NULL};
    errno = 0;
    int exec_ok = execv("/bin/sh", argv) == -1 && errno == ENOSYS;
    check(fork_ok && sys_ok && popen_ok && exec_ok, "exec-family-refused", "%s", "");
}

/* --- Randomness: getentropy and arc4random give bytes that differ. */
static void test_entropy(void)
{
    unsigned char a[32], b[32];
    int ok = getentropy(a, sizeof(a)) == 0 && getentropy(b, sizeof(b)) == 0 &&
             memcmp(a, b, sizeof(a)) != 0;
    uint32_t x = arc4random(), y = arc4random(), z = arc4random();
    ok &= !(x == y && y == z);
    errno = 0;
    ok &= getentropy(a, 257) == -1 && errno == EIO;
    check(ok, "entropy", "%s", "");
}

/* --- The sprintf family: libos runs it on newlib's stream formatter
 * (libos/sprintf.c); it must still truncate, count and grow like the string
 * formatter. The sizes are volatile so the compiler cannot see truncation. */
static void test_string_printf(void)
{
    char buf[64];
    volatile size_t small = 6;
    char *volatile nowhere = NULL;
    const char *want = "-7| 3.14|42|-9000000000|ab  |ff";
    int r = snprintf(buf, sizeof(buf), "%d|%5.2f|%zu|%lld|%-4s|%x", -7, 3.14159, (size_t)42,
                     -9000000000LL, "ab", 255);
    int ok = r == (int)strlen(want) && strcmp(buf, want) == 0;
    ok &= snprintf(buf, small, "%s", "truncated") == 9 && strcmp(buf, "trunc") == 0;
    ok &= snprintf(nowhere, 0, "%d", 123456) == 6;
    char *s = NULL;
    r = asprintf(&s, "%0*d|%.2f", 1000, 5, 0.25); /* grows well past the first 64 bytes */
    ok &= r == 1005 && s && s[998] == '0' && strcmp(s + 999, "5|0.25") == 0;
    free(s);
    check(ok, "string-printf", "%s", "");
}

int main(void)
{
    test_producer_consumer();
    test_key_reuse();
    test_sleep();
    test_sleep_blocks_only_caller();
    test_timed_wait();
    test_stacks();
    test_mxcsr_per_thread();
    test_clocks();
    test_malloc();
    test_realloc_at_heap_top();
    test_no_processes();
    test_entropy();
    test_string_printf();
    return checks_done();
}
