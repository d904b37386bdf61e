/* newlib's system-call layer: the functions its reentrant wrappers
 * (_write_r and friends) call. newlib is built for x86_64-elf with
 * MISSING_SYSCALL_NAMES, so these carry the plain POSIX names. Files other than the console do not
 * exist: there is no file system in an image. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

#include "internal.h"

/* newlib's <unistd.h> says read and write return int (its
 * _READ_WRITE_RETURN_TYPE for this target), and its _read_r and _write_r
 * take an int back; the public declaration is the contract. */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
    const struct fd_ops *ops;
    void *obj;
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    return (_READ_WRITE_RETURN_TYPE)ops->write(obj, buf, n);
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
    const struct fd_ops *ops;
    void *obj;
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    return (_READ_WRITE_RETURN_TYPE)ops->read(obj, buf, n);
}

int close(int fd)
{
    const struct fd_ops *ops;
    void *obj;
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    int r = ops->close(obj);
    fd_release(fd);
    return r;
}

int fstat(int fd, struct stat *st)
{
    const struct fd_ops *ops;
    void *obj;
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    *st = (struct stat){0};
    st->st_mode = fd <= 2 ? S_IFCHR : S_IFSOCK;
    return 0;
}

int isatty(int fd)
{
    if (fd >= 0 && fd <= 2)
        return 1;
    errno = ENOTTY;
    return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
    (void)fd, (void)off, (void)whence;
    errno = ESPIPE;
    return -1;
}

int open(const char *path, int flags, ...)
{
    (void)path, (void)flags;
    errno = ENOENT; /* an image has no file system */
    return -1;
}

int link(const char *old, const char *new)
{
    (void)old, (void)new;
    errno = EROFS;
    return -1;
}

int unlink(const char *path)
{
    (void)path;
    errno = ENOENT;
    return -1;
}

/* The heap's size (what malloc has taken through sbrk) and the most it
 * ever was, for the stats channel (stats.c). */
size_t libos_heap_size, libos_heap_peak;

void *sbrk(ptrdiff_t incr)
{
    void *p = heap_sbrk(incr);
    if (p == (void *)-1) {
        errno = ENOMEM;
        return p;
    }
    libos_heap_size += (size_t)incr;
    if (libos_heap_size > libos_heap_peak)
        libos_heap_peak = libos_heap_size;
    return p;
}

pid_t getpid(void)
{
    return 1;
}

void _exit(int status)
{
    if (status < 0 || status > EXIT_APP_MAX) {
        kprintf("exit: status %d reported as %d (statuses above %d are the kernel's)\n", status,
                EXIT_APP_MAX, EXIT_APP_MAX);
        status = EXIT_APP_MAX;
    }
    kernel_exit(status);
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    int64_t ns = clock_wall_ns();
    tv->tv_sec = ns / 1000000000;
    tv->tv_usec = (ns % 1000000000) / 1000;
    return 0;
}

clock_t times(struct tms *t)
{
    clock_t ticks = (clock_t)(clock_ns() / (1000000000 / CLOCKS_PER_SEC));
    *t = (struct tms){.tms_utime = ticks};
    return ticks;
}
