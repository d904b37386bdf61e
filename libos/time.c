/* POSIX time calls newlib leaves to the system: clock_gettime, nanosleep,
 * sleep, usleep. Sleeping blocks only the calling thread. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

int clock_gettime(clockid_t id, struct timespec *ts)
{
    int64_t ns;
    if (id == CLOCK_REALTIME)
        ns = clock_wall_ns();
    else if (id == CLOCK_MONOTONIC)
        ns = (int64_t)clock_ns();
    else {
        errno = EINVAL;
        return -1;
    }
    ts->tv_sec = ns / 1000000000;
    ts->tv_nsec = ns % 1000000000;
    return 0;
}

int clock_getres(clockid_t id, struct timespec *ts)
{
    if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC) {
        errno = EINVAL;
        return -1;
    }
    if (ts)
        *ts = (struct timespec){0, 1};
    return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    if (!req || req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) {
        errno = EINVAL;
        return -1;
    }
    sleep_until(clock_ns() + (uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec);
    if (rem)
        *rem = (struct timespec){0, 0};
    return 0;
}

unsigned sleep(unsigned seconds)
{
    sleep_until(clock_ns() + (uint64_t)seconds * 1000000000u);
    return 0;
}

int usleep(useconds_t us)
{
    sleep_until(clock_ns() + (uint64_t)us * 1000u);
    return 0;
}
