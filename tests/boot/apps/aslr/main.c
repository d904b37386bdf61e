/* aslr: a boot-test image that prints where this boot put its code, its
 * heap and a thread's stack, so the test can compare two boots. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void *where_is_my_stack(void *arg)
{
    int local = 0;
    *(uintptr_t *)arg = (uintptr_t)&local;
    return NULL;
}

int main(void)
{
    uintptr_t stack = 0;
    pthread_t t;
    if (pthread_create(&t, NULL, where_is_my_stack, &stack) != 0 || pthread_join(t, NULL) != 0) {
        printf("aslr: cannot run a thread\n");
        return 1;
    }
    void *heap = malloc(16);
    printf("addresses: main 0x%lx heap 0x%lx stack 0x%lx\n", (unsigned long)(uintptr_t)&main,
           (unsigned long)(uintptr_t)heap, (unsigned long)stack);
    free(heap);
    return 0;
}
