/* hello: the smallest app. Prints a greeting, its arguments and how long
 * the machine has been up, then returns 0. */
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct timespec up;
    clock_gettime(CLOCK_MONOTONIC, &up);
    printf("Hello from the unikernel!\n");
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    printf("uptime %ld.%06ld s\n", (long)up.tv_sec, up.tv_nsec / 1000);
    return 0;
}
