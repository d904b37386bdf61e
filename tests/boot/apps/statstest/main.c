/* statstest: holds a known amount of heap and three extra threads while
 * the kernel option stats=1 prints its lines, then lets them go, so
 * tests/boot/stats.sh can check the figures against what it knows. The
 * waits are in guest time: lines fall at 1 s and 2 s while holding (from
 * about 0 s to 2.5 s) and at 3 s after releasing. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOLD_BYTES (1u << 20)
#define N_THREADS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&lock);
    while (!released)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return arg;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

int main(void)
{
    char *block = malloc(HOLD_BYTES);
    if (!block) {
        printf("statstest: no memory for %u B\n", HOLD_BYTES);
        return 1;
    }
    memset(block, 0x5a, HOLD_BYTES); /* touched, not only reserved */
    pthread_t t[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        if (pthread_create(&t[i], NULL, waiter, NULL) != 0) {
            printf("statstest: pthread_create failed\n");
            return 1;
        }
    printf("statstest: holding %u B and %d threads\n", HOLD_BYTES, N_THREADS);
    sleep_ms(2500);
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < N_THREADS; i++)
        pthread_join(t[i], NULL);
    free(block);
    printf("statstest: released\n");
    sleep_ms(1200);
    printf("statstest: done\n");
    return 0;
}
