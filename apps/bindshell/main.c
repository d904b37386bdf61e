/* bindshell: a deliberately vulnerable "bind shell", the target of the
 * remote-code-execution demonstration (tools/rce-probe, docs/security.md).
 * It listens on TCP (port 4444 unless argv says otherwise), greets each
 * client and runs every line it receives as a shell command: popen(), then
 * system(), then fork() + execve("/bin/sh"). It is plain POSIX, so the same
 * file builds as a Linux program (make bindshell-host) where the
 * commands really run; in a unikernel image every one of those calls is
 * refused with ENOSYS and the client gets the error text back instead. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT 4444
#define CMD_MAX 4096 /* longest command line accepted, newline excluded */
#define STR(x) STR_(x)
#define STR_(x) #x
#define GREETING "connection successful, shell session over tcp initiated\n"

/* The address to listen on when argv gives none. The Linux build sets
 * 127.0.0.1 (apps/bindshell/Makefile): there the commands really run, so the
 * program must not be reachable from other machines by accident. An image
 * listens on every address of its NIC, which QEMU forwards to explicitly. */
#ifndef BINDSHELL_DEFAULT_ADDR
#define BINDSHELL_DEFAULT_ADDR "0.0.0.0"
#endif

extern char **environ;

struct client {
    int fd;
    char peer[INET_ADDRSTRLEN + 8]; /* "ADDR:PORT" for the log */
};

/* Send all of buf; a client that went away is not an error worth more than
 * ending its session, and MSG_NOSIGNAL keeps it from killing the service. */
static int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_text(int fd, const char *s)
{
    return send_all(fd, s, strlen(s));
}

/* Tell the client that CALL failed and why (errno is still CALL's). */
static void send_error(int fd, const char *call)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s: %s\n", call, strerror(errno));
    send_text(fd, msg);
}

/* Report a wait status that is not a plain success, as a shell would. */
static void send_status(int fd, const char *how, int status)
{
    char msg[96];
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    if (WIFEXITED(status))
        snprintf(msg, sizeof msg, "%s: exit status %d\n", how, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "%s: killed by signal %d\n", how, WTERMSIG(status));
    else
        snprintf(msg, sizeof msg, "%s: wait status 0x%x\n", how, (unsigned)status);
    send_text(fd, msg);
}

/* The last resort: a child shell whose output goes straight to the client.
 * The child may only make async-signal-safe calls (the service has threads),
 * so the redirection is left to the shell and the script is built first. */
static void run_forked(int fd, const char *cmd)
{
    size_t len = strlen(cmd) + 32;
    char *script = malloc(len);
    if (!script) {
        send_error(fd, "malloc");
        return;
    }
    snprintf(script, len, "exec 1>&%d 2>&1\n%s", fd, cmd);
    pid_t pid = fork();
    if (pid < 0) {
        send_error(fd, "fork");
        free(script);
        return;
    }
    if (pid == 0) {
        char *argv[] = {"sh", "-c", script, NULL};
        static const char failed[] = "execve: cannot run /bin/sh\n";
        execve("/bin/sh", argv, environ);
        if (write(fd, failed, sizeof failed - 1) < 0)
            _exit(126);
        _exit(127);
    }
    free(script);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            send_error(fd, "waitpid");
            return;
        }
    }
    send_status(fd, "sh", status);
}

/* Run one command line and send back what it printed, or why it could not
 * run: each way of running a command is tried in turn, as careless code
 * would, so the unikernel refuses every one of them. */
static void run_command(int fd, const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (p) {
        char buf[1024];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0)
            if (send_all(fd, buf, n) < 0)
                break;
        int status = pclose(p);
        if (status == -1)
            send_error(fd, "pclose");
        else
            send_status(fd, "popen", status);
        return;
    }
    send_error(fd, "popen");

    /* system()'s output goes to the service's own stdout, not the client. */
    int status = system(cmd);
    if (status != -1) {
        send_status(fd, "system", status);
        return;
    }
    send_error(fd, "system");

    run_forked(fd, cmd);
}

/* Log a client's command with anything unprintable escaped, so a hostile
 * client cannot forge console lines. */
static void log_command(const struct client *c, const char *cmd, size_t len)
{
    char shown[160];
    size_t o = 0, i;
    for (i = 0; i < len && o + 5 < sizeof shown; i++) {
        unsigned char ch = (unsigned char)cmd[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            shown[o++] = (char)ch;
        else
            o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02x", ch);
    }
    shown[o] = '\0';
    printf("%s: command \"%s\"%s\n", c->peer, shown, i < len ? "..." : "");
}

static void handle_line(struct client *c, char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (strspn(line, " \t") == len)
        return; /* blank (a NUL byte ends strspn early, so it is not blank) */
    log_command(c, line, len);
    if (memchr(line, '\0', len)) {
        send_text(c->fd, "error: the command contains a NUL byte; ignored\n");
        return;
    }
    run_command(c->fd, line);
}

/* One client session: split what arrives into lines, run each, until the
 * client closes the connection. Over-long lines are dropped whole. */
static void serve(struct client *c)
{
    char *line = malloc(CMD_MAX + 1);
    char buf[512];
    size_t len = 0;
    int too_long = 0;

    if (!line || send_text(c->fd, GREETING) < 0)
        goto out;
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            printf("%s: recv: %s\n", c->peer, strerror(errno));
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n') {
                if (len < CMD_MAX)
                    line[len++] = buf[i];
                else
                    too_long = 1;
                continue;
            }
            line[len] = '\0';
            if (too_long)
                send_text(c->fd, "error: line longer than " STR(CMD_MAX) " bytes; ignored\n");
            else
                handle_line(c, line, len);
            len = 0;
            too_long = 0;
        }
    }
out:
    printf("connection from %s closed\n", c->peer);
    free(line);
    close(c->fd);
    free(c);
}

static void *client_thread(void *arg)
{
    serve(arg);
    return NULL;
}

/* Parse "PORT" (0 asks for any free port; the log line names the one bound). */
static int parse_port(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 65535)
        return -1;
    return (int)v;
}

static int listen_on(const char *addr, int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "bindshell: not an IPv4 address: %s\n", addr);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        fprintf(stderr, "bindshell: socket: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* a restart may rebind */
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0) {
        fprintf(stderr, "bindshell: %s:%d: %s\n", addr, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? parse_port(argv[1]) : DEFAULT_PORT;
    const char *addr = argc > 2 ? argv[2] : BINDSHELL_DEFAULT_ADDR;
    if (argc > 3 || port < 0) {
        fprintf(stderr, "usage: bindshell [PORT [ADDR]]  (default %d on %s)\n", DEFAULT_PORT,
                BINDSHELL_DEFAULT_ADDR);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* log lines appear as they happen */

    int lfd = listen_on(addr, port);
    if (lfd < 0)
        return 1;
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    if (getsockname(lfd, (struct sockaddr *)&sa, &salen) == 0)
        port = ntohs(sa.sin_port);
    printf("listening on tcp port %d...\n", port);

    for (;;) {
        struct sockaddr_in peer;
        socklen_t plen = sizeof peer;
        int fd = accept(lfd, (struct sockaddr *)&peer, &plen);
        if (fd < 0) {
            if (errno != EINTR && errno != ECONNABORTED) {
                printf("accept: %s\n", strerror(errno));
                /* Out of descriptors or memory: wait a little, do not spin. */
                nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
            }
            continue;
        }
        struct client *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        char ip[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        snprintf(c->peer, sizeof c->peer, "%s:%d", ip, ntohs(peer.sin_port));
        printf("received connection from %s\n", c->peer);

        /* Clients run concurrently; if no thread can be had, serve inline. */
        pthread_t t;
        if (pthread_create(&t, NULL, client_thread, c) == 0)
            pthread_detach(t);
        else
            serve(c);
    }
}
