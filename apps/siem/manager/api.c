/* The manager's JSON API (api.h). */
#include "api.h"

#include <errno.h>
#include <pthread.h>
#include <sodium/crypto_hash_sha256.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id.h"
#include "jetstream.h"
#include "module.h"
#include "modules.h"
#include "siemtime.h"

#define STORE_SUBJECT "siem.store.query"
#define RULES_SUBJECT "siem.correlator.rules"
#define ACK_SUBJECT "siem.alerts.ack." /* + alert id: never a rule's subject */
#define ACKS_KEPT 512                  /* acks this run remembers itself */
#define ACKS_ASKED 1000                /* stored acks read per /api/alerts */

struct mgr_api_stats mgr_api_stats;

static struct bus *bus;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct mgr_modules table;

/* The acks made through this manager since it started: /api/alerts shows
 * them before the store has them. */
static struct {
    char id[SIEM_ID_LEN];
    char time[SIEM_TIME_LEN];
} acks[ACKS_KEPT];
static size_t nacks;

void mgr_api_error(struct mgr_reply *r, unsigned status, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", msg);
    r->status = status;
    r->body = cJSON_PrintUnformatted(o);
    r->len = r->body ? strlen(r->body) : 0;
    cJSON_Delete(o);
}

static void reply_json(struct mgr_reply *r, unsigned status, cJSON *o)
{
    r->status = status;
    r->body = o ? cJSON_PrintUnformatted(o) : NULL;
    r->len = r->body ? strlen(r->body) : 0;
    cJSON_Delete(o);
    if (!r->body)
        mgr_api_error(r, 500, "out of memory");
}

/* --- what the manager hears --------------------------------------------- */

static void *listen_on(void *arg)
{
    int supervisor = arg != NULL;
    struct bus_queue *q =
        bus_subscribe(bus, supervisor ? "siem.supervisor.status" : "siem.health.>");
    for (;;) {
        struct bus_msg *m = bus_queue_pop(q, 60000);
        if (!m)
            continue;
        int64_t now = module_now_ns() / 1000000;
        pthread_mutex_lock(&lock);
        if (supervisor)
            mgr_modules_supervisor(&table, m->data, m->len, now);
        else
            mgr_modules_heartbeat(&table, m->data, m->len, now);
        pthread_mutex_unlock(&lock);
        bus_msg_free(m);
    }
    return NULL;
}

void mgr_api_start(struct bus *b)
{
    bus = b;
    mgr_modules_init(&table);
    pthread_t t;
    pthread_create(&t, NULL, listen_on, NULL);
    pthread_detach(t);
    pthread_create(&t, NULL, listen_on, (void *)1);
    pthread_detach(t);
}

void mgr_api_modules(struct mgr_reply *r)
{
    int64_t now = module_now_ns() / 1000000;
    pthread_mutex_lock(&lock);
    cJSON *o = mgr_modules_json(&table, now);
    pthread_mutex_unlock(&lock);
    reply_json(r, 200, o);
}

/* --- asking other modules ------------------------------------------------ */

/* Sends request on subject; on success *out is the parsed reply. On
 * failure r holds the error (503 nobody answers or no bus, 504 no answer
 * in time, 502 not JSON or an {"error"} reply). */
static int ask(const char *subject, const char *who, cJSON *request, int timeout_ms, cJSON **out,
               struct mgr_reply *r)
{
    char *text = request ? cJSON_PrintUnformatted(request) : NULL;
    if (request && !text) {
        mgr_api_error(r, 500, "out of memory");
        return -1;
    }
    struct bus_msg *m = NULL;
    int rc =
        bus_request(bus, subject, NULL, text ? text : "", text ? strlen(text) : 0, timeout_ms, &m);
    int err = errno;
    free(text);
    if (rc < 0) {
        mgr_api_stats.bus_errors++;
        if (err == ENOENT)
            mgr_api_error(r, 503, "no %s answers on %s (is it running?)", who, subject);
        else if (err == ETIMEDOUT)
            mgr_api_error(r, 504, "the %s did not answer on %s within %d s", who, subject,
                          timeout_ms / 1000);
        else
            mgr_api_error(r, 503, "not connected to NATS: %s", strerror(err));
        return -1;
    }
    *out = cJSON_ParseWithLength(m->data, m->len);
    bus_msg_free(m);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(*out, "error");
    if (!*out || cJSON_IsString(e)) {
        mgr_api_error(r, 502, "the %s answered: %s", who,
                      cJSON_IsString(e) ? e->valuestring : "something that is not JSON");
        cJSON_Delete(*out);
        return -1;
    }
    return 0;
}

static int ask_store(cJSON *query, cJSON **out, struct mgr_reply *r)
{
    mgr_api_stats.store_queries++;
    return ask(STORE_SUBJECT, "store", query, MGR_STORE_TIMEOUT_MS, out, r);
}

/* The store's answer to a query of kind built from the request's
 * parameters; NULL when r already holds the error (400, 502, 503, 504). */
static cJSON *query_store(const char *kind, const struct mgr_param *p, size_t n,
                          struct mgr_reply *r)
{
    char err[300];
    cJSON *q = mgr_query_from_params(kind, p, n, module_now_ns() / 1000000, err, sizeof(err));
    if (!q) {
        mgr_api_error(r, 400, "%s", err);
        return NULL;
    }
    cJSON *res;
    int rc = ask_store(q, &res, r);
    cJSON_Delete(q);
    return rc == 0 ? res : NULL;
}

void mgr_api_events(const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    cJSON *res = query_store("events", p, n, r);
    if (res)
        reply_json(r, 200, res);
}

/* The time alert id was acknowledged, from this run's acks or the
 * stored ones (stored: an object alert id -> time), or NULL. */
static const char *acked(const char *id, const cJSON *stored)
{
    for (size_t i = 0; i < nacks && i < ACKS_KEPT; i++)
        if (strcmp(acks[i].id, id) == 0)
            return acks[i].time;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(stored, id);
    return cJSON_IsString(t) ? t->valuestring : NULL;
}

/* The acks in the store (the newest ACKS_ASKED), as alert id -> time. */
static cJSON *stored_acks(void)
{
    cJSON *q = cJSON_CreateObject(), *res = NULL, *map = cJSON_CreateObject();
    cJSON *f = cJSON_AddObjectToObject(q, "fields");
    cJSON_AddStringToObject(q, "kind", "alerts");
    cJSON_AddStringToObject(f, "event.kind", "alert_ack");
    cJSON_AddNumberToObject(q, "limit", ACKS_ASKED);
    struct mgr_reply ignored = {0};
    if (ask_store(q, &res, &ignored) == 0) {
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(res, "results"))
        {
            const cJSON *ack = cJSON_GetObjectItemCaseSensitive(a, "ack");
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(ack, "alert_id");
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "@timestamp");
            if (cJSON_IsString(id) && cJSON_IsString(t) &&
                !cJSON_GetObjectItemCaseSensitive(map, id->valuestring))
                cJSON_AddStringToObject(map, id->valuestring, t->valuestring);
        }
    }
    free(ignored.body);
    cJSON_Delete(res);
    cJSON_Delete(q);
    return map;
}

void mgr_api_alerts(const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    cJSON *res = query_store("alerts", p, n, r);
    if (!res)
        return;
    cJSON *stored = stored_acks();
    cJSON *a;
    pthread_mutex_lock(&lock);
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(res, "results"))
    {
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(a, "event");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
        const char *t = cJSON_IsString(id) ? acked(id->valuestring, stored) : NULL;
        if (t)
            cJSON_AddStringToObject(a, "acknowledged", t);
        else
            cJSON_AddNullToObject(a, "acknowledged");
    }
    pthread_mutex_unlock(&lock);
    cJSON_Delete(stored);
    reply_json(r, 200, res);
}

void mgr_api_stats_(const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    char err[300];
    cJSON *q = mgr_stats_from_params(p, n, module_now_ns() / 1000000, err, sizeof(err));
    if (!q) {
        mgr_api_error(r, 400, "%s", err);
        return;
    }
    cJSON *res;
    int rc = ask_store(q, &res, r);
    if (rc == 0) {
        /* The store's counts, with the window spelled out. */
        const cJSON *start = cJSON_GetObjectItemCaseSensitive(res, "start");
        const cJSON *counts = cJSON_GetObjectItemCaseSensitive(res, "counts");
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "kind",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(q, "kind"), 0));
        cJSON_AddNumberToObject(o, "minutes", cJSON_GetArraySize(counts));
        cJSON_AddNumberToObject(o, "start", cJSON_IsNumber(start) ? start->valuedouble : 0);
        char t[SIEM_TIME_LEN] = "";
        if (cJSON_IsNumber(start))
            siem_time_format_ms((int64_t)start->valuedouble * 1000, t);
        cJSON_AddStringToObject(o, "start_time", t);
        double total = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, counts) total += c->valuedouble;
        cJSON_AddNumberToObject(o, "total", total);
        cJSON_AddItemToObject(o, "per_minute", cJSON_Duplicate(counts, 1));
        cJSON_Delete(res);
        reply_json(r, 200, o);
    }
    cJSON_Delete(q);
}

void mgr_api_rules(struct mgr_reply *r)
{
    cJSON *rules;
    if (ask(RULES_SUBJECT, "correlator", NULL, MGR_RULES_TIMEOUT_MS, &rules, r) < 0)
        return;
    if (!cJSON_IsArray(rules)) {
        cJSON_Delete(rules);
        mgr_api_error(r, 502, "the correlator's rules are not a JSON array");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "rules", rules);
    reply_json(r, 200, o);
}

/* --- acknowledging -------------------------------------------------------- */

/* The ack record (docs/siem.md "Manager"): its event.id is derived from the
 * alert id, so acking twice is one record for JetStream and the store. */
static char *ack_record(const char *id, const char *now, char ack_id[SIEM_ID_LEN])
{
    uint8_t d[crypto_hash_sha256_BYTES];
    char in[48];
    int n = snprintf(in, sizeof(in), "ack%c%s", 0, id);
    crypto_hash_sha256(d, (const unsigned char *)in, (unsigned long long)n);
    siem_id_hex(d, ack_id);
    cJSON *o = cJSON_CreateObject(), *ev = cJSON_AddObjectToObject(o, "event");
    cJSON_AddStringToObject(o, "@timestamp", now);
    cJSON_AddStringToObject(ev, "id", ack_id);
    cJSON_AddStringToObject(ev, "kind", "alert_ack");
    cJSON_AddStringToObject(ev, "created", now);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "ack"), "alert_id", id);
    char msg[80];
    snprintf(msg, sizeof(msg), "alert %s acknowledged", id);
    cJSON_AddStringToObject(o, "message", msg);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

void mgr_api_ack(const char *id, struct mgr_reply *r)
{
    /* The alert must exist. */
    cJSON *q = cJSON_CreateObject(), *res;
    cJSON *f = cJSON_AddObjectToObject(q, "fields");
    cJSON_AddStringToObject(q, "kind", "alerts");
    cJSON_AddStringToObject(f, "event.id", id);
    cJSON_AddStringToObject(f, "event.kind", "alert");
    cJSON_AddNumberToObject(q, "limit", 1);
    int rc = ask_store(q, &res, r);
    cJSON_Delete(q);
    if (rc < 0)
        return;
    int found = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "results")) > 0;
    cJSON_Delete(res);
    if (!found) {
        mgr_api_error(r, 404, "no alert %s in the store", id);
        return;
    }
    char now[SIEM_TIME_LEN], ack_id[SIEM_ID_LEN], subject[64];
    siem_time_format_ns(module_now_ns(), now);
    char *rec = ack_record(id, now, ack_id);
    snprintf(subject, sizeof(subject), ACK_SUBJECT "%s", id);
    int duplicate = 0;
    rc = rec ? js_publish(bus, subject, ack_id, rec, strlen(rec), MGR_STORE_TIMEOUT_MS, NULL,
                          &duplicate)
             : -1;
    free(rec);
    if (rc < 0) {
        mgr_api_stats.acks_failed++;
        mgr_api_error(r, 503, "the ack could not be published to ALERTS: %s", strerror(errno));
        return;
    }
    mgr_api_stats.acks++;
    pthread_mutex_lock(&lock);
    const char *before = acked(id, NULL);
    if (before)
        snprintf(now, sizeof(now), "%s", before);
    else {
        size_t slot = nacks++ % ACKS_KEPT;
        snprintf(acks[slot].id, sizeof(acks[slot].id), "%s", id);
        snprintf(acks[slot].time, sizeof(acks[slot].time), "%s", now);
    }
    pthread_mutex_unlock(&lock);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "alert", id);
    cJSON_AddStringToObject(o, "acknowledged", now);
    cJSON_AddBoolToObject(o, "duplicate", duplicate || before);
    reply_json(r, 200, o);
}
