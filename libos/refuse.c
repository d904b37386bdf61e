/* The process and shell calls, present only to fail: an image holds one
 * program and no shell, so fork, exec, system, popen, wait and kill return
 * -1 with errno ENOSYS (or NULL) and log one line naming the caller. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

void libos_refuse(const char *call, const char *detail, void *caller)
{
    uint64_t off = 0;
    uint64_t at = (uint64_t)(uintptr_t)caller - 1;
    const char *fn = ksym_lookup(at, &off);
    kprintf("libos: %s(%s%s%s) refused: ENOSYS (no processes, no shell in this image), called "
            "from %s+0x%lx\n",
            call, detail ? "\"" : "", detail ? detail : "", detail ? "\"" : "", fn ? fn : "?",
            fn ? off + 1 : 0);
    errno = ENOSYS;
}

#define CALLER __builtin_return_address(0)

int fork(void)
{
    libos_refuse("fork", NULL, CALLER);
    return -1;
}

pid_t vfork(void)
{
    libos_refuse("vfork", NULL, CALLER);
    return -1;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    (void)argv, (void)envp;
    libos_refuse("execve", path, CALLER);
    return -1;
}

int execv(const char *path, char *const argv[])
{
    (void)argv;
    libos_refuse("execv", path, CALLER);
    return -1;
}

int execvp(const char *file, char *const argv[])
{
    (void)argv;
    libos_refuse("execvp", file, CALLER);
    return -1;
}

int execl(const char *path, const char *arg, ...)
{
    (void)arg;
    libos_refuse("execl", path, CALLER);
    return -1;
}

int execlp(const char *file, const char *arg, ...)
{
    (void)arg;
    libos_refuse("execlp", file, CALLER);
    return -1;
}

int system(const char *command)
{
    libos_refuse("system", command, CALLER);
    /* POSIX: system(NULL) asks whether a shell exists; the answer is no. */
    return command ? -1 : 0;
}

FILE *popen(const char *command, const char *mode)
{
    (void)mode;
    libos_refuse("popen", command, CALLER);
    return NULL;
}

int pclose(FILE *stream)
{
    (void)stream;
    libos_refuse("pclose", NULL, CALLER);
    return -1;
}

pid_t wait(int *status)
{
    (void)status;
    libos_refuse("wait", NULL, CALLER);
    return -1;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    (void)pid, (void)status, (void)options;
    libos_refuse("waitpid", NULL, CALLER);
    return -1;
}

int kill(pid_t pid, int sig)
{
    (void)pid, (void)sig;
    libos_refuse("kill", NULL, CALLER);
    return -1;
}
