/* siem-decoders: the normaliser's decoder rule base on Linux, from the
 * same sources as the image (apps/siem/normaliser/decoder_*.c).
 *   siem-decoders check FILE...            load and run every example
 *   siem-decoders bench FILE CORPUS [S]    lines/s of the parser alone
 *   siem-decoders show FILE CORPUS         each line's decoder and fields
 *   siem-decoders coverage FILE CORPUS     share read per program (as the
 *                                          normaliser reads), and the unread
 *                                          shapes, most common first
 * A CORPUS line is a syslog record, or an auth.log line without <PRI>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decoders.h"
#include "recognise.h"
#include "syslog.h"

struct line {
    const char *app, *msg;
    size_t app_len, msg_len;
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "siem-decoders: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static struct siem_decoders *load(const char *path)
{
    size_t len;
    char err[512], *text = slurp(path, &len);
    struct siem_decoders *b = siem_decoders_load(text, len, path, err, sizeof(err));
    if (!b) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    free(text); /* the base keeps copies of what it needs */
    return b;
}

/* The corpus, each line parsed as the normaliser parses a record. */
static struct line *corpus(const char *path, size_t *count)
{
    size_t len, n = 0, cap = 1024;
    char *text = slurp(path, &len);
    struct line *lines = malloc(cap * sizeof(*lines));
    for (char *p = text, *nl; p < text + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (!nl)
            nl = text + len;
        size_t l = (size_t)(nl - p);
        char *rec = malloc(l + 5);
        size_t off = p[0] == '<' ? 0 : 4;
        memcpy(rec, "<38>", 4);
        memcpy(rec + off, p, l);
        struct siem_syslog s;
        const char *why;
        if (l == 0 || siem_syslog_parse(rec, l + off, 0, &s, &why))
            continue;
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof(*lines));
        lines[n++] =
            (struct line){s.appname.p ? s.appname.p : "", s.msg.p, s.appname.len, s.msg.len};
    }
    *count = n;
    return lines;
}

/* CPU time of this process: the machine is shared, so wall time would
 * measure the other jobs too. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(const char *rules, const char *path, double seconds)
{
    struct siem_decoders *b = load(rules);
    size_t n, read = 0, done = 0;
    struct line *l = corpus(path, &n);
    struct siem_decoded out;
    if (n == 0)
        return fprintf(stderr, "siem-decoders: %s has no lines\n", path), 2;
    double start = now(), t;
    do {
        for (size_t i = 0; i < n; i++)
            read += (size_t)siem_decode(b, l[i].app, l[i].app_len, l[i].msg, l[i].msg_len, &out);
        done += n;
    } while ((t = now() - start) < seconds);
    int ex, nd = siem_decoders_count(b, &ex);
    printf("decoders %d, corpus %zu lines, read %.1f%%\n", nd, n,
           100.0 * (double)read / (double)done);
    printf("%.0f lines/s (%zu lines in %.2f s of CPU time, one core)\n", (double)done / t, done, t);
    return 0;
}

struct tally {
    char key[160];
    size_t all, read;
};

static struct tally *bump(struct tally **t, size_t *n, const char *key, int read)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*t)[i].key, key) == 0) {
            (*t)[i].all++;
            (*t)[i].read += (size_t)read;
            return &(*t)[i];
        }
    *t = realloc(*t, (*n + 1) * sizeof(**t));
    struct tally *e = &(*t)[(*n)++];
    snprintf(e->key, sizeof(e->key), "%s", key);
    e->all = 1;
    e->read = (size_t)read;
    return e;
}

static int by_count(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    return x->all < y->all ? 1 : x->all > y->all ? -1 : strcmp(x->key, y->key);
}

/* The line's shape: its program and first words, any word with a digit
 * in it as #. */
static void shape(const struct line *l, char *buf, size_t cap)
{
    size_t k = (size_t)snprintf(buf, cap, "%.*s: ", (int)l->app_len, l->app);
    int words = 0;
    for (size_t i = 0; i < l->msg_len && k + 2 < cap && words < 8;) {
        size_t j = i;
        int digit = 0;
        while (j < l->msg_len && l->msg[j] != ' ')
            digit |= l->msg[j++] >= '0' && l->msg[j - 1] <= '9';
        if (digit)
            buf[k++] = '#';
        else
            for (size_t c = i; c < j && k + 2 < cap; c++)
                buf[k++] = (unsigned char)l->msg[c] < 0x20 ? '?' : l->msg[c];
        buf[k++] = ' ';
        words++;
        i = j + 1;
    }
    buf[k ? k - 1 : 0] = '\0';
}

static int coverage(const char *rules, const char *path)
{
    struct siem_decoders *b = load(rules);
    size_t n, np = 0, ns = 0, all = 0, read = 0;
    struct line *l = corpus(path, &n);
    struct tally *progs = NULL, *shapes = NULL;
    struct siem_recognised out;
    char key[160];
    siem_decoders_use(b);
    for (size_t i = 0; i < n; i++) {
        int r = siem_recognise(l[i].app, l[i].app_len, l[i].msg, l[i].msg_len, &out);
        snprintf(key, sizeof(key), "%.*s", (int)l[i].app_len, l[i].app);
        bump(&progs, &np, key, r);
        if (!r) {
            shape(&l[i], key, sizeof(key));
            bump(&shapes, &ns, key, 0);
        }
        all++;
        read += (size_t)r;
    }
    qsort(progs, np, sizeof(*progs), by_count);
    qsort(shapes, ns, sizeof(*shapes), by_count);
    printf("%-28s %8s %8s %7s\n", "program", "lines", "read", "share");
    for (size_t i = 0; i < np; i++)
        printf("%-28s %8zu %8zu %6.1f%%\n", progs[i].key, progs[i].all, progs[i].read,
               100.0 * (double)progs[i].read / (double)progs[i].all);
    printf("%-28s %8zu %8zu %6.1f%%\n", "all", all, read,
           all ? 100.0 * (double)read / (double)all : 0);
    printf("\nunread shapes, most common first:\n");
    for (size_t i = 0; i < ns && i < 25; i++)
        printf("%8zu  %s\n", shapes[i].all, shapes[i].key);
    return 0;
}

static int show(const char *rules, const char *path)
{
    struct siem_decoders *b = load(rules);
    size_t n;
    struct line *l = corpus(path, &n);
    struct siem_recognised out;
    siem_decoders_use(b);
    for (size_t i = 0; i < n; i++) {
        if (!siem_recognise(l[i].app, l[i].app_len, l[i].msg, l[i].msg_len, &out)) {
            printf("-\n");
            continue;
        }
        printf("%s", out.fields.decoder);
        for (int k = 0; k < out.fields.n; k++)
            printf(" %s=%.*s", out.fields.f[k].name, (int)out.fields.f[k].len, out.fields.f[k].p);
        printf("\n");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "check") == 0) {
        for (int i = 2; i < argc; i++) {
            struct siem_decoders *b = load(argv[i]);
            int ex, n = siem_decoders_count(b, &ex);
            printf("%s: %d decoders, %d examples: ok\n", argv[i], n, ex);
            siem_decoders_free(b);
        }
        return 0;
    }
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "bench") == 0)
        return bench(argv[2], argv[3], argc == 5 ? atof(argv[4]) : 2.0);
    if (argc == 4 && strcmp(argv[1], "coverage") == 0)
        return coverage(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "show") == 0)
        return show(argv[2], argv[3]);
    fprintf(stderr, "usage: siem-decoders check FILE... | bench FILE CORPUS [SECONDS] | "
                    "coverage FILE CORPUS | show FILE CORPUS\n");
    return 2;
}
