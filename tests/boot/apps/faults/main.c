/* faults: a boot-test image that breaks one protection on purpose, chosen
 * by argv[1], so the test can check that the kernel catches it and says so. */
#include <assert.h>
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
               "stack-overflow stack-smash panic assert)\n",
               what);
        return 2;
    }
    printf("faults: %s did not fault\n", what);
    return 1;
}
