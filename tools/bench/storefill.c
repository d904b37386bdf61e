/* Fills a file as the event store's disk, on the host, with the store's
 * own log code: generic events appended in batches of 256 until the disk
 * is full (the first segment would be reclaimed). Prints the records and
 * the append rate (commits included; the file is not synced, so this is
 * the store's CPU cost: JSON scan, CRC32C and, with the chain on, BLAKE2b).
 * Event ids are spread like real ones (the index hashes them). With
 * COUNT, it stops after COUNT records and prints the chain head too
 * ("head SEQ TAG"), for tests/host/siem-verify.sh.
 *   storefill FILE KIB KEYFILE on|off [COUNT] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define SECTOR 512
#define BATCH 256

static int fd;

static int file_read(void *ctx, uint64_t sector, void *buf, size_t count)
{
    (void)ctx;
    ssize_t n = pread(fd, buf, count * SECTOR, (off_t)(sector * SECTOR));
    return n == (ssize_t)(count * SECTOR) ? 0 : -EIO;
}

static int file_write(void *ctx, uint64_t sector, const void *buf, size_t count)
{
    (void)ctx;
    ssize_t n = pwrite(fd, buf, count * SECTOR, (off_t)(sector * SECTOR));
    return n == (ssize_t)(count * SECTOR) ? 0 : -EIO;
}

static int file_flush(void *ctx)
{
    (void)ctx;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6 || (strcmp(argv[4], "on") && strcmp(argv[4], "off"))) {
        fprintf(stderr, "usage: storefill FILE KIB KEYFILE on|off [COUNT]\n");
        return 2;
    }
    uint8_t key[32];
    char hex[80] = "";
    FILE *kf = fopen(argv[3], "r");
    if (!kf || !fgets(hex, sizeof(hex), kf)) {
        fprintf(stderr, "storefill: cannot read %s\n", argv[3]);
        return 1;
    }
    fclose(kf);
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        key[i] = (uint8_t)v;
    }
    uint64_t bytes = strtoull(argv[2], NULL, 10) << 10;
    fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)bytes) < 0) {
        perror(argv[1]);
        return 1;
    }
    struct store_disk d = {NULL, bytes / SECTOR, SECTOR, file_read, file_write, file_flush};
    struct store_open_opts o = {.seal_key = key, .chain_off = strcmp(argv[4], "off") == 0};
    struct store_log *log;
    char err[200], ev[1024];
    if (store_log_open(&log, &d, &o, NULL, err, sizeof(err)) < 0) {
        fprintf(stderr, "storefill: %s\n", err);
        return 1;
    }
    struct store_stats st;
    unsigned long n = 0, count = argc == 6 ? strtoul(argv[5], NULL, 10) : 0;
    double t0 = now();
    do {
        int len = snprintf(
            ev, sizeof(ev),
            "{\"@timestamp\":\"2026-12-01T10:00:00.000Z\",\"event\":{\"id\":\"%016llx%016lx\","
            "\"kind\":\"event\",\"created\":\"2026-12-01T10:%02lu:%02lu.%03luZ\"},"
            "\"host\":{\"hostname\":\"bench\"},\"process\":{\"name\":\"bench\"},"
            "\"message\":\"bench line %lu: the quick brown fox jumps over the lazy dog "
            "again and again, padded to the size of an ordinary syslog event\","
            "\"log\":{\"syslog\":{\"facility\":{\"code\":1,\"name\":\"user\"},"
            "\"severity\":{\"code\":6,\"name\":\"info\"}}},\"input\":{\"type\":\"tcp\"},"
            "\"tags\":[\"rfc5424\"]}",
            (unsigned long long)(n + 1) * 0x9e3779b97f4a7c15ull, n, n / 60000 % 60, n / 1000 % 60,
            n % 1000, n);
        if (store_log_append(log, STORE_EVENT, ev, (size_t)len) < 0)
            return 1;
        if (++n % BATCH == 0 && store_log_commit(log) < 0)
            return 1;
        store_log_stats(log, &st);
    } while (st.segments_reclaimed == 0 && n != count);
    store_log_commit(log);
    double t = now() - t0;
    store_log_stats(log, &st);
    printf("%llu records, %lu appends/s (chain %s)\n", (unsigned long long)st.records,
           (unsigned long)(n / t), argv[4]);
    if (count) {
        printf("head %llu ", (unsigned long long)st.head_seq);
        for (int i = 0; i < 32; i++)
            printf("%02x", st.head_tag[i]);
        printf("\n");
    }
    store_log_close(log);
    return close(fd) < 0;
}
