/* The acks of an alerts query (query_acks.h). */
#include "query_acks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "field.h"
#include "meta.h"

/* A time as the manager writes it (RFC 3339): nothing to escape. */
static int plain_time(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n >= sizeof(((struct store_ack *)0)->time))
        return 0;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') ||
              *t == ':' || *t == '.' || *t == '-' || *t == '+'))
            return 0;
    return 1;
}

static const struct store_ack *find(const struct store_acks *acks, const uint8_t key[16])
{
    for (size_t i = 0; i < acks->n; i++)
        if (memcmp(acks->ack[i].key, key, 16) == 0)
            return &acks->ack[i];
    return NULL;
}

static int has_text(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* Adds the ack in rec (n bytes) unless it is not one or its alert has a
 * newer one already. */
static void take(struct store_acks *acks, const char *rec, size_t n)
{
    cJSON *doc = cJSON_ParseWithLength(rec, n);
    const cJSON *id = siem_field(doc, "ack.alert_id"), *t = siem_field(doc, "@timestamp");
    struct store_ack a;
    if (siem_field_equals(doc, "event.kind", "alert_ack") && cJSON_IsString(id) &&
        cJSON_IsString(t) && plain_time(t->valuestring) &&
        store_id_key(id->valuestring, strlen(id->valuestring), a.key) == 0 && !find(acks, a.key)) {
        snprintf(a.time, sizeof(a.time), "%s", t->valuestring);
        acks->ack[acks->n++] = a;
    }
    cJSON_Delete(doc);
}

int store_acks_collect(struct store_reader *rd, const struct store_query_env *env, int64_t deadline,
                       char *rec, size_t max, struct store_acks *acks)
{
    acks->n = 0;
    acks->ack = malloc(STORE_QUERY_ACKS_MAX * sizeof(*acks->ack));
    if (!acks->ack)
        return -ENOMEM;
    for (uint64_t ord = store_reader_end(rd, UINT64_MAX); ord-- > 0;) {
        if (acks->n == STORE_QUERY_ACKS_MAX)
            break;
        struct store_rec r;
        if (store_reader_entry(rd, ord, &r) < 0)
            break;
        if (r.kind != STORE_ALERT)
            continue;
        if (env->yield)
            env->yield();
        if (env->now_ms && env->now_ms() >= deadline)
            break;
        int n = store_reader_read(rd, ord, &r, rec, max);
        if (n == -ENOENT)
            break;
        /* The cheap test first: most alerts are not acks. */
        if (n > 0 && has_text(rec, (size_t)n, "alert_ack"))
            take(acks, rec, (size_t)n);
    }
    return 0;
}

void store_acks_free(struct store_acks *acks)
{
    free(acks->ack);
    acks->ack = NULL;
    acks->n = 0;
}

size_t store_acks_member(const struct store_acks *acks, const struct store_rec *r, char *buf)
{
    const struct store_ack *a = r->has_id ? find(acks, r->id) : NULL;
    int n = a ? snprintf(buf, STORE_ACKS_MEMBER_MAX, ",\"acknowledged\":\"%s\"", a->time)
              : snprintf(buf, STORE_ACKS_MEMBER_MAX, ",\"acknowledged\":null");
    return (size_t)n;
}

long store_acks_splice_at(const char *rec, size_t n, int *comma)
{
    while (n > 0 &&
           (rec[n - 1] == ' ' || rec[n - 1] == '\t' || rec[n - 1] == '\n' || rec[n - 1] == '\r'))
        n--;
    if (n < 2 || rec[n - 1] != '}')
        return -1;
    size_t i = n - 1;
    while (i > 0 &&
           (rec[i - 1] == ' ' || rec[i - 1] == '\t' || rec[i - 1] == '\n' || rec[i - 1] == '\r'))
        i--;
    *comma = !(i > 0 && rec[i - 1] == '{');
    return (long)(n - 1);
}
