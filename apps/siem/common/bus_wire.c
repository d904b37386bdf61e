/* The NATS wire format: PUB/HPUB formatting, line and MSG/HMSG reading,
 * header lookup. Kept apart from the socket logic so the host tests can
 * drive it through a pipe. */
#include "bus_wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* A message is one block (as nats.c's): the struct, then its subject,
 * reply, headers and data, each NUL-terminated. */
void bus_msg_free(struct bus_msg *m)
{
    free(m);
}

int bus_msg_header(const struct bus_msg *m, const char *name, char *buf, size_t size)
{
    return bus_wire_header(m->headers, name, buf, size);
}

struct bus_rx {
    int fd;
    char *buf;
    size_t size, start, end;
};

static int valid_subject(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return 0;
    }
    return 1;
}

/* A bounded writer for control lines: plain copies, no printf (a PUB is
 * formatted for every message, and newlib's printf is slow under TCG). */
struct line {
    char *p, *end;
    int ok;
};

static void put(struct line *l, const char *s, size_t n)
{
    if (!l->ok || (size_t)(l->end - l->p) < n) {
        l->ok = 0;
        return;
    }
    memcpy(l->p, s, n);
    l->p += n;
}

static void put_str(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

size_t bus_wire_u64(char *buf, uint64_t v)
{
    char d[24];
    size_t i = sizeof(d);
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(buf, d + i, sizeof(d) - i);
    buf[sizeof(d) - i] = '\0';
    return sizeof(d) - i;
}

static void put_num(struct line *l, size_t v)
{
    char d[24];
    put(l, d, bus_wire_u64(d, v));
}

int bus_wire_pub_head(char *buf, size_t size, const char *subject, const char *reply,
                      const char *msg_id, size_t len)
{
    static const char hdr_start[] = "NATS/1.0\r\nNats-Msg-Id: ";
    if (!valid_subject(subject) || (reply && !valid_subject(reply)) ||
        (msg_id && (!valid_subject(msg_id) || strlen(msg_id) > 128)))
        return -1;
    struct line l = {buf, buf + size, 1};
    put_str(&l, msg_id ? "HPUB " : "PUB ");
    put_str(&l, subject);
    if (reply) {
        put(&l, " ", 1);
        put_str(&l, reply);
    }
    put(&l, " ", 1);
    if (msg_id) {
        /* HPUB subject [reply] <header bytes> <header + data bytes> */
        size_t h = sizeof(hdr_start) - 1 + strlen(msg_id) + 4;
        put_num(&l, h);
        put(&l, " ", 1);
        put_num(&l, h + len);
        put(&l, "\r\n", 2);
        put(&l, hdr_start, sizeof(hdr_start) - 1);
        put_str(&l, msg_id);
        put(&l, "\r\n\r\n", 4);
    } else {
        put_num(&l, len);
        put(&l, "\r\n", 2);
    }
    return l.ok ? (int)(l.p - buf) : -1;
}

int bus_wire_pub(char *buf, size_t size, const char *subject, const char *reply, const char *msg_id,
                 const void *data, size_t len)
{
    int n = bus_wire_pub_head(buf, size, subject, reply, msg_id, len);
    if (n < 0 || (size_t)n + len + 2 > size)
        return -1;
    if (len)
        memcpy(buf + n, data, len);
    memcpy(buf + n + len, "\r\n", 2);
    return n + (int)len + 2;
}

size_t bus_wire_info_max_payload(const char *json)
{
    const char *p = strstr(json, "\"max_payload\":");
    if (!p)
        return 1024 * 1024;
    long long v = strtoll(p + 14, NULL, 10);
    return v > 0 ? (size_t)v : 1024 * 1024;
}

int bus_wire_info_string(const char *json, const char *key, char *buf, size_t size)
{
    char pattern[64];
    snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
    const char *p = strstr(json, pattern);
    if (!p)
        return -1;
    p += strlen(pattern);
    size_t n = strcspn(p, "\"\\");
    if (p[n] != '"' || n >= size)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return 0;
}

int bus_wire_header(const char *headers, const char *name, char *buf, size_t size)
{
    size_t nlen = strlen(name);
    const char *line = headers ? strstr(headers, "\r\n") : NULL;
    while (line) {
        line += 2;
        const char *end = strstr(line, "\r\n");
        if (!end || end == line)
            return -1;
        if ((size_t)(end - line) > nlen && strncasecmp(line, name, nlen) == 0 &&
            line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = (size_t)(end - v);
            if (vlen >= size)
                return -1;
            memcpy(buf, v, vlen);
            buf[vlen] = '\0';
            return (int)vlen;
        }
        line = end;
    }
    return -1;
}

struct bus_rx *bus_rx_new(size_t size)
{
    struct bus_rx *rx = calloc(1, sizeof(*rx));
    if (rx && !(rx->buf = malloc(size))) {
        free(rx);
        return NULL;
    }
    if (rx)
        rx->size = size;
    return rx;
}

void bus_rx_free(struct bus_rx *rx)
{
    if (rx)
        free(rx->buf);
    free(rx);
}

void bus_rx_reset(struct bus_rx *rx, int fd)
{
    rx->fd = fd;
    rx->start = rx->end = 0;
}

/* Reads more bytes into the buffer, moving what is unread to its start. */
static int fill(struct bus_rx *rx)
{
    if (rx->start > 0) {
        memmove(rx->buf, rx->buf + rx->start, rx->end - rx->start);
        rx->end -= rx->start;
        rx->start = 0;
    }
    if (rx->end == rx->size)
        return -1;
    ssize_t n;
    do {
        n = read(rx->fd, rx->buf + rx->end, rx->size - rx->end);
    } while (n < 0 && errno == EINTR);
    if (n <= 0)
        return -1;
    rx->end += (size_t)n;
    return 0;
}

char *bus_rx_line(struct bus_rx *rx)
{
    for (;;) {
        char *p = rx->buf + rx->start;
        char *nl = memchr(p, '\n', rx->end - rx->start);
        if (nl) {
            *nl = '\0';
            if (nl > p && nl[-1] == '\r')
                nl[-1] = '\0';
            rx->start = (size_t)(nl - rx->buf) + 1;
            return p;
        }
        if (fill(rx) < 0)
            return NULL;
    }
}

/* Copies exactly len payload bytes out into dst, reading as it goes. */
static int take(struct bus_rx *rx, char *dst, size_t len)
{
    while (len > 0) {
        size_t have = rx->end - rx->start;
        if (have == 0) {
            rx->start = rx->end = 0;
            if (fill(rx) < 0)
                return -1;
            continue;
        }
        size_t n = have < len ? have : len;
        memcpy(dst, rx->buf + rx->start, n);
        rx->start += n;
        dst += n;
        len -= n;
    }
    return 0;
}

/* Places s at *p in a message's block and moves *p past its NUL. */
static char *place(char **p, const char *s, size_t len)
{
    char *at = *p;
    memcpy(at, s, len);
    at[len] = '\0';
    *p += len + 1;
    return at;
}

struct bus_msg *bus_rx_msg(struct bus_rx *rx, char *line, int *sid)
{
    char *tok[7], *save = NULL;
    int n = 0;
    if (!line)
        return NULL;
    for (char *t = strtok_r(line, " \t", &save); t && n < 7; t = strtok_r(NULL, " \t", &save))
        tok[n++] = t;
    if (n < 4)
        return NULL;
    int hmsg = strcmp(tok[0], "HMSG") == 0;
    /* MSG subject sid [reply] len; HMSG subject sid [reply] hdrlen totlen */
    int want = hmsg ? 5 : 4;
    if (n != want && n != want + 1)
        return NULL;
    const char *reply = n == want + 1 ? tok[3] : "";
    char *end;
    unsigned long long total = strtoull(tok[n - 1], &end, 10), hlen = 0;
    if (*end || total > (1u << 30))
        return NULL;
    if (hmsg) {
        hlen = strtoull(tok[n - 2], &end, 10);
        if (*end || hlen > total)
            return NULL;
    }
    /* The line's words live in the read buffer, which reading the payload
     * moves: they are copied into the block first. */
    size_t slen = strlen(tok[1]), rlen = strlen(reply), dlen = (size_t)(total - hlen);
    struct bus_msg *m = malloc(sizeof(*m) + slen + rlen + (size_t)total + 4);
    if (!m)
        return NULL;
    char *p = (char *)(m + 1);
    *sid = atoi(tok[2]);
    m->next = NULL;
    m->subject = place(&p, tok[1], slen);
    m->reply = place(&p, reply, rlen);
    m->headers = p;
    m->data = p + hlen + 1;
    m->len = dlen;
    if (take(rx, m->headers, (size_t)hlen) < 0 || take(rx, m->data, dlen) < 0) {
        free(m);
        return NULL;
    }
    m->headers[hlen] = '\0';
    m->data[dlen] = '\0';
    /* The CRLF that ends every payload. */
    while (rx->end - rx->start < 2) {
        if (fill(rx) < 0) {
            free(m);
            return NULL;
        }
    }
    rx->start += 2;
    /* A status message: "NATS/1.0 408 Request Timeout". */
    m->status = hlen > 9 && strncmp(m->headers, "NATS/1.0 ", 9) == 0 ? atoi(m->headers + 9) : 0;
    return m;
}
