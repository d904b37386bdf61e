/* normbench: the normaliser's host time per record, from the same sources
 * as the image (siem_normalise: parse, recognise, event id, the event's
 * JSON), and of its parts, so the JSON's share shows.
 *   normbench CORPUS [ROUNDS]
 * A CORPUS line is a syslog record; a line without <PRI> (an auth.log
 * line) gets <38> in front. Prints the best of ROUNDS (default 5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "normalise.h"
#include "recognise.h"
#include "syslog.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (!f || rounds < 1) {
        fprintf(stderr, "usage: normbench CORPUS [ROUNDS]\n");
        return 2;
    }
    char **lines = NULL, buf[9000];
    size_t n = 0, cap = 0, bytes = 0;
    while (fgets(buf, sizeof(buf), f)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (n == cap && !(lines = realloc(lines, (cap = cap ? 2 * cap : 1024) * sizeof(*lines))))
            return 1;
        size_t len = strlen(buf) + 5;
        if (!(lines[n] = malloc(len)))
            return 1;
        snprintf(lines[n++], len, "%s%s", buf[0] == '<' ? "" : "<38>", buf);
    }
    fclose(f);
    struct siem_reception rx = {"tcp", "10.0.2.2", 40000, 1796097586LL * 1000000000LL, 0};
    double best[3] = {1e9, 1e9, 1e9};
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            struct siem_normalised out;
            rx.received_ns += 1000;
            if (siem_normalise(&rx, lines[i], strlen(lines[i]), &out) == 0) {
                bytes += strlen(out.json);
                siem_normalised_free(&out);
            }
        }
        double t1 = now();
        for (size_t i = 0; i < n; i++) {
            struct siem_syslog s;
            struct siem_recognised rec;
            const char *why;
            if (siem_syslog_parse(lines[i], strlen(lines[i]), rx.received_ns, &s, &why) == 0)
                siem_recognise(s.appname.p, s.appname.len, s.msg.p, s.msg.len, &rec);
        }
        double t2 = now();
        for (size_t i = 0; i < n; i++) {
            char id[SIEM_EVENT_ID_LEN];
            siem_event_id("tcp", "10.0.2.2", 40000, rx.received_ns, lines[i], strlen(lines[i]), id);
        }
        double t3 = now();
        double t[3] = {t1 - t0, t2 - t1, t3 - t2};
        for (int k = 0; k < 3; k++)
            best[k] = t[k] < best[k] ? t[k] : best[k];
    }
    if (n == 0)
        return 1;
    double rest = best[0] - best[1] - best[2];
    printf("%zu records, %zu bytes of JSON each on average; us per record (best of %d):\n", n,
           bytes / (n * (size_t)rounds), rounds);
    printf("  siem_normalise, all of it   %6.2f\n", best[0] / (double)n * 1e6);
    printf("  parse and recognise         %6.2f\n", best[1] / (double)n * 1e6);
    printf("  event id (SHA-256)          %6.2f\n", best[2] / (double)n * 1e6);
    printf("  the rest: the event's JSON  %6.2f (%.0f%%)\n", rest / (double)n * 1e6,
           rest / best[0] * 100);
    return 0;
}
