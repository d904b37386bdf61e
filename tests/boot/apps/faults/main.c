/* faults: a boot-test image that breaks one protection on purpose, chosen
 * by argv[1], so the test can check that the kernel catches it and says so. */
#define _GNU_SOURCE /* pthread_getattr_np, pthread_setname_np */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libos/libos.h>

void fault_target(void)
{
    printf("faults: fault_target ran\n");
}

static void write_text(void)
{
    volatile uint8_t *code = (volatile uint8_t *)(uintptr_t)&fault_target;
    *code = 0xc3; /* .text is read-only: this must fault */
}

static void exec_heap(void)
{
    uint8_t *buf = malloc(64);
    buf[0] = 0xc3; /* ret */
    void (*fn)(void) = (void (*)(void))(uintptr_t)buf;
    fn(); /* the heap is no-execute: this must fault */
}

static void exec_stack(void)
{
    uint8_t buf[16] = {0xc3};
    void (*fn)(void) = (void (*)(void))(uintptr_t)buf;
    fn();
}

static void null_deref(void)
{
    volatile int *p = NULL;
    printf("read %d\n", *p);
}

/* NULL plus an offset anywhere in the first MiB, which holds nothing the
 * image may reach once it runs. */
static void __attribute__((noinline)) null_offset(const char *offset)
{
    volatile char *p = (volatile char *)NULL + strtoul(offset, NULL, 0);
    printf("faults: read %d at %p\n", *p, (void *)p);
}

/* Deep recursion with a frame the compiler cannot shrink; the limit is far
 * beyond any stack, so only the guard page can stop it. */
static int recurse(int depth)
{
    volatile char frame[512];
    frame[0] = (char)depth;
    if (depth > 1000000)
        return frame[0];
    return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
    printf("%d\n", recurse(0));
}

/* Stack clash: a frame bigger than the whole gap from this thread's stack
 * down to the stack in the slot below (main's: slots are 16 MiB). Probed
 * page by page (-fstack-clash-protection), its prologue faults in this
 * thread's guard; unprobed, the store to its low end would land in main's
 * stack, in the array stack_clash() watches. */
#define CLASH_FRAME ((16ul << 20) + (32ul << 10))
static volatile char *clash_target_lo, *clash_target_hi;

static void __attribute__((noinline)) clash_frame(void)
{
    volatile char big[CLASH_FRAME];
    big[0] = 'X';
    printf("faults: clash frame at %p\n", (void *)big);
}

static void *clash_thread(void *arg)
{
    (void)arg;
    volatile char here;
    uintptr_t low_end = (uintptr_t)&here - CLASH_FRAME;
    if (low_end < (uintptr_t)clash_target_lo || low_end >= (uintptr_t)clash_target_hi) {
        printf("faults: stack-clash layout changed: the frame's low end 0x%lx misses main's "
               "array [%p, %p)\n",
               (unsigned long)low_end, (void *)clash_target_lo, (void *)clash_target_hi);
        exit(3);
    }
    clash_frame();
    return NULL;
}

static void run_named(const char *name, size_t stack_size, void *(*fn)(void *))
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (stack_size && pthread_attr_setstacksize(&attr, stack_size) != 0) {
        printf("faults: a %zu-byte stack was refused\n", stack_size);
        exit(4);
    }
    pthread_t t;
    if (pthread_create(&t, &attr, fn, NULL) != 0 || pthread_setname_np(t, name) != 0) {
        printf("faults: cannot start thread %s\n", name);
        exit(4);
    }
    pthread_join(t, NULL);
}

static void stack_clash(void)
{
    volatile char watched[96 << 10];
    memset((char *)watched, 0, sizeof(watched));
    clash_target_lo = watched;
    clash_target_hi = watched + sizeof(watched);
    run_named("clash", 0, clash_thread);
    for (size_t i = 0; i < sizeof(watched); i++)
        if (watched[i])
            printf("faults: stack-clash wrote into main's stack at %p\n", (void *)&watched[i]);
}

/* A linear overrun that runs up a thread's stack, past its oldest frames:
 * it must reach unmapped memory before anything the scheduler keeps about
 * the thread (its record, name included, lives off every stack). */
static void __attribute__((noinline)) overrun_up(volatile char *p)
{
    for (size_t i = 0; i < (1u << 20); i++)
        p[i] = 'A';
}

static void *overrun_thread(void *arg)
{
    (void)arg;
    volatile char buf[16];
    overrun_up(buf);
    return NULL;
}

static void stack_top(void)
{
    run_named("overrun", 0, overrun_thread);
}

/* Touch the lowest byte of the 64 KiB every stack keeps unmapped below it. */
static void *touch_guard_bottom(void *arg)
{
    (void)arg;
    pthread_attr_t attr;
    void *lo;
    size_t size;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstack(&attr, &lo, &size);
    printf("faults: stack %p, %zu bytes\n", lo, size);
    volatile char *p = (volatile char *)lo - (64 << 10);
    *p = 'X';
    return NULL;
}

static void guard_min(void)
{
    run_named("small", PTHREAD_STACK_MIN, touch_guard_bottom);
}

static void guard_max(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (pthread_attr_setstacksize(&attr, PTHREAD_STACK_MAX + 1) != EINVAL) {
        printf("faults: a stack beyond PTHREAD_STACK_MAX was accepted\n");
        exit(4);
    }
    run_named("big", PTHREAD_STACK_MAX, touch_guard_bottom);
}

/* Overrun a local array through a pointer the compiler cannot see through,
 * so only the canary check at return can notice. */
static void __attribute__((noinline)) smash(volatile char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = 'A';
}

static void __attribute__((noinline)) stack_smash(void)
{
    char buf[16];
    smash(buf, 64);
    printf("faults: %c\n", buf[0]);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    printf("faults: trying %s\n", what);
    if (!strcmp(what, "write-text"))
        write_text();
    else if (!strcmp(what, "exec-heap"))
        exec_heap();
    else if (!strcmp(what, "exec-stack"))
        exec_stack();
    else if (!strcmp(what, "null-deref"))
        null_deref();
    else if (!strcmp(what, "null-offset"))
        null_offset(argc > 2 ? argv[2] : "0x8000");
    else if (!strcmp(what, "stack-clash"))
        stack_clash();
    else if (!strcmp(what, "stack-top"))
        stack_top();
    else if (!strcmp(what, "guard-min"))
        guard_min();
    else if (!strcmp(what, "guard-max"))
        guard_max();
    else if (!strcmp(what, "stack-overflow"))
        stack_overflow();
    else if (!strcmp(what, "stack-smash"))
        stack_smash();
    else if (!strcmp(what, "panic"))
        libos_panic("deliberate panic, code %d", 42);
    else if (!strcmp(what, "assert"))
        assert(argc == 99);
    else {
        printf("faults: unknown fault '%s' (write-text exec-heap exec-stack null-deref "
               "null-offset [OFFSET] stack-overflow stack-clash stack-top guard-min guard-max "
               "stack-smash panic assert)\n",
               what);
        return 2;
    }
    printf("faults: %s did not fault\n", what);
    return 1;
}
