/* DNS over TCP (RFC 1035 section 4.2.2, RFC 7766): many clients at once,
 * each sending length-prefixed queries, pipelined if it likes; answered in
 * order, idle connections closed, the least recently active one closed to
 * make room when all slots are taken. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"

struct conn {
    int fd; /* -1: free slot */
    size_t inlen;
    uint8_t in[2 + DNS_QUERY_MAX];
    uint8_t *pending; /* the unsent rest of a response, when the peer is slow */
    size_t plen, poff;
    int64_t active_ms; /* last time it sent or received anything */
};

static struct conn conns[TCP_CLIENTS];
static uint8_t out[2 + DNS_MSG_MAX];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clients_init(void)
{
    for (int i = 0; i < TCP_CLIENTS; i++)
        conns[i].fd = -1;
}

static void drop(struct conn *c)
{
    close(c->fd);
    free(c->pending);
    c->fd = -1;
    c->pending = NULL;
    c->inlen = c->plen = c->poff = 0;
}

void clients_accept(int listen_fd)
{
    int fd = accept(listen_fd, NULL, NULL);
    if (fd < 0)
        return; /* EAGAIN, or the client already gave up */
    struct conn *slot = NULL, *oldest = NULL;
    for (int i = 0; i < TCP_CLIENTS && !slot; i++) {
        if (conns[i].fd < 0)
            slot = &conns[i];
        else if (!oldest || conns[i].active_ms < oldest->active_ms)
            oldest = &conns[i];
    }
    if (!slot) { /* RFC 7766 section 6.2.3: reclaim the idlest connection */
        drop(oldest);
        slot = oldest;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    slot->fd = fd;
    slot->active_ms = now_ms();
}

/* Sends what it can of the pending response; 0 when nothing is left. */
static int flush(struct conn *c)
{
    while (c->poff < c->plen) {
        ssize_t n = send(c->fd, c->pending + c->poff, c->plen - c->poff, MSG_NOSIGNAL);
        if (n < 0)
            return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 1 : -1;
        c->poff += (size_t)n;
    }
    free(c->pending);
    c->pending = NULL;
    c->plen = c->poff = 0;
    return 0;
}

/* Answers every complete query in the input buffer, stopping while a
 * response is still waiting to go out. Returns -1 to close. */
static int serve(struct conn *c, const struct db *db, struct stats *st)
{
    while (!c->pending && c->inlen >= 2) {
        size_t mlen = get16(c->in);
        if (mlen > DNS_QUERY_MAX || mlen < DNS_HEADER) {
            st->c[S_MALFORMED]++; /* no query is that long or short: not DNS */
            return -1;
        }
        if (c->inlen < 2 + mlen)
            return 0;
        size_t rlen = dns_answer(db, st, c->in + 2, mlen, out + 2, DNS_MSG_MAX, true);
        c->inlen -= 2 + mlen;
        memmove(c->in, c->in + 2 + mlen, c->inlen);
        if (rlen == 0)
            return -1;
        put16(out, (uint16_t)rlen);
        ssize_t n = send(c->fd, out, rlen + 2, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        size_t sent = n < 0 ? 0 : (size_t)n;
        if (sent < rlen + 2) {
            c->pending = malloc(rlen + 2 - sent);
            if (!c->pending)
                return -1;
            memcpy(c->pending, out + sent, rlen + 2 - sent);
            c->plen = rlen + 2 - sent;
            c->poff = 0;
        }
    }
    return 0;
}

/* One pollfd per client: read when nothing is pending, else write. */
int clients_fill(struct pollfd *fds, int *slot)
{
    int n = 0;
    for (int i = 0; i < TCP_CLIENTS; i++) {
        if (conns[i].fd < 0)
            continue;
        fds[n].fd = conns[i].fd;
        fds[n].events = conns[i].pending ? POLLOUT : POLLIN;
        fds[n].revents = 0;
        slot[n++] = i;
    }
    return n;
}

void clients_events(const struct pollfd *fds, const int *slot, int n, const struct db *db,
                    struct stats *st)
{
    int64_t now = now_ms();
    for (int k = 0; k < n; k++) {
        struct conn *c = &conns[slot[k]];
        short ev = fds[k].revents;
        if (ev & (POLLERR | POLLNVAL)) {
            drop(c);
            continue;
        }
        if (c->pending && (ev & (POLLOUT | POLLHUP))) {
            if (flush(c) < 0 || serve(c, db, st) < 0) {
                drop(c);
                continue;
            }
            c->active_ms = now;
        } else if (!c->pending && (ev & (POLLIN | POLLHUP))) {
            ssize_t got = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                continue;
            if (got > 0)
                c->inlen += (size_t)got;
            if (got <= 0 || serve(c, db, st) < 0) { /* closed, failed, or not DNS */
                drop(c);
                continue;
            }
            c->active_ms = now;
        }
        if (now - c->active_ms > TCP_IDLE_MS)
            drop(c);
    }
}

/* Closes connections idle for longer than TCP_IDLE_MS; returns how long
 * poll may sleep before the next one could expire (-1: no connections). */
int clients_expire(void)
{
    int64_t now = now_ms(), wait = -1;
    for (int i = 0; i < TCP_CLIENTS; i++) {
        if (conns[i].fd < 0)
            continue;
        int64_t left = conns[i].active_ms + TCP_IDLE_MS - now;
        if (left <= 0) {
            drop(&conns[i]);
            continue;
        }
        if (wait < 0 || left < wait)
            wait = left;
    }
    return (int)wait;
}
