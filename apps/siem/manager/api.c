/* The manager's JSON API (api.h). */
#include "api.h"

#include <errno.h>
#include <pthread.h>
#include <sodium/crypto_hash_sha256.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "id.h"
#include "jetstream.h"
#include "module.h"
#include "modules.h"
#include "serve.h"
#include "siemtime.h"

#define STORE_SUBJECT "siem.store.query"
#define RULES_SUBJECT "siem.correlator.rules"
#define ACK_SUBJECT "siem.alerts.ack." /* + alert id: never a rule's subject */
#define ACK_VISIBLE_MS 5000            /* how long an ack waits to see its record in the store */
#define ACK_POLL_MS 50

struct mgr_api_stats mgr_api_stats;

static struct bus *bus;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct mgr_modules table;

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
        module_subscribe("manager", bus, supervisor ? "siem.supervisor.status" : "siem.health.>");
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

/* Sends request on subject; on success *out is the reply, whose body can
 * go to the client as it is. On failure r holds the error (503 nobody
 * answers or no bus, 504 no answer in time, 502 an error reply: its
 * Siem-Error header says what, serve.h). */
static int ask(const char *subject, const char *who, cJSON *request, int timeout_ms,
               struct bus_msg **out, struct mgr_reply *r)
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
    char why[256];
    if (bus_msg_header(m, SERVE_ERROR_HEADER, why, sizeof(why)) == 0) {
        mgr_api_error(r, 502, "the %s answered: %s", who, why);
        bus_msg_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

/* ask, for the few replies the manager reads itself: *out parsed. */
static int ask_json(const char *subject, const char *who, cJSON *request, int timeout_ms,
                    cJSON **out, struct mgr_reply *r)
{
    struct bus_msg *m;
    if (ask(subject, who, request, timeout_ms, &m, r) < 0)
        return -1;
    *out = cJSON_ParseWithLength(m->data, m->len);
    bus_msg_free(m);
    if (!*out) {
        mgr_api_error(r, 502, "the %s answered something that is not JSON", who);
        return -1;
    }
    return 0;
}

/* r is prefix, m's body and suffix: the store's records go to the client
 * as the store wrote them, neither parsed nor printed again. */
static void pass_on(struct mgr_reply *r, const char *prefix, struct bus_msg *m, const char *suffix)
{
    size_t a = strlen(prefix), c = strlen(suffix);
    r->body = malloc(a + m->len + c + 1);
    if (r->body) {
        memcpy(r->body, prefix, a);
        memcpy(r->body + a, m->data, m->len);
        memcpy(r->body + a + m->len, suffix, c + 1);
        r->len = a + m->len + c;
        r->status = 200;
    }
    bus_msg_free(m);
    if (!r->body)
        mgr_api_error(r, 500, "out of memory");
}

static int ask_store(cJSON *query, struct bus_msg **out, struct mgr_reply *r)
{
    mgr_api_stats.store_queries++;
    return ask(STORE_SUBJECT, "store", query, MGR_STORE_TIMEOUT_MS, out, r);
}

static int ask_store_json(cJSON *query, cJSON **out, struct mgr_reply *r)
{
    mgr_api_stats.store_queries++;
    return ask_json(STORE_SUBJECT, "store", query, MGR_STORE_TIMEOUT_MS, out, r);
}

/* Passes on the store's answer to a query of kind built from the
 * request's parameters (alerts: with their acks, in the same request);
 * on failure r holds the error (400, 502, 503, 504). */
static void query_store(const char *kind, const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    char err[300];
    cJSON *q = mgr_query_from_params(kind, p, n, module_now_ns() / 1000000, err, sizeof(err));
    if (!q) {
        mgr_api_error(r, 400, "%s", err);
        return;
    }
    if (strcmp(kind, "alerts") == 0)
        cJSON_AddTrueToObject(q, "acks");
    struct bus_msg *m;
    int rc = ask_store(q, &m, r);
    cJSON_Delete(q);
    if (rc == 0)
        pass_on(r, "", m, "");
}

void mgr_api_events(const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    query_store("events", p, n, r);
}

void mgr_api_alerts(const struct mgr_param *p, size_t n, struct mgr_reply *r)
{
    query_store("alerts", p, n, r);
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
    int rc = ask_store_json(q, &res, r);
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
    struct bus_msg *m;
    if (ask(RULES_SUBJECT, "correlator", NULL, MGR_RULES_TIMEOUT_MS, &m, r) < 0)
        return;
    const char *p = m->data;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p != '[') {
        bus_msg_free(m);
        mgr_api_error(r, 502, "the correlator's rules are not a JSON array");
        return;
    }
    pass_on(r, "{\"rules\":", m, "}");
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

/* The store's time of alert id's ack (into when), from an "acks" query
 * that also says whether the alert exists: 1 found, 0 not, -1 with r
 * holding the error. */
static int find_alert(const char *id, char when[SIEM_TIME_LEN], struct mgr_reply *r)
{
    cJSON *q = cJSON_CreateObject(), *res;
    cJSON *f = cJSON_AddObjectToObject(q, "fields");
    cJSON_AddStringToObject(q, "kind", "alerts");
    cJSON_AddStringToObject(f, "event.id", id);
    cJSON_AddStringToObject(f, "event.kind", "alert");
    cJSON_AddNumberToObject(q, "limit", 1);
    cJSON_AddTrueToObject(q, "acks");
    int rc = ask_store_json(q, &res, r);
    cJSON_Delete(q);
    if (rc < 0)
        return -1;
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "results"), 0);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "acknowledged");
    when[0] = '\0';
    if (cJSON_IsString(t))
        snprintf(when, SIEM_TIME_LEN, "%s", t->valuestring);
    cJSON_Delete(res);
    return a != NULL;
}

/* Waits until the store holds the ack record ack_id (a few milliseconds
 * normally; at most ACK_VISIBLE_MS): /api/alerts, answered by the store
 * alone, then shows the ack as soon as the client has its reply. */
static void wait_stored(const char *ack_id)
{
    for (int waited = 0; waited < ACK_VISIBLE_MS; waited += ACK_POLL_MS) {
        cJSON *q = cJSON_CreateObject(), *res = NULL;
        cJSON_AddStringToObject(q, "kind", "alerts");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(q, "fields"), "event.id", ack_id);
        cJSON_AddNumberToObject(q, "limit", 1);
        struct mgr_reply ignored = {0};
        int found = ask_store_json(q, &res, &ignored) == 0 &&
                    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "results")) > 0;
        free(ignored.body);
        cJSON_Delete(res);
        cJSON_Delete(q);
        if (found)
            return;
        usleep(ACK_POLL_MS * 1000);
    }
}

void mgr_api_ack(const char *id, struct mgr_reply *r)
{
    /* The alert must exist; an ack stored already is reported as such. */
    char before[SIEM_TIME_LEN];
    int found = find_alert(id, before, r);
    if (found < 0)
        return;
    if (!found) {
        mgr_api_error(r, 404, "no alert %s in the store", id);
        return;
    }
    char now[SIEM_TIME_LEN], ack_id[SIEM_ID_LEN], subject[64];
    siem_time_format_ns(module_now_ns(), now);
    char *rec = ack_record(id, now, ack_id);
    snprintf(subject, sizeof(subject), ACK_SUBJECT "%s", id);
    int duplicate = 0;
    int rc = rec ? js_publish(bus, subject, ack_id, rec, strlen(rec), MGR_STORE_TIMEOUT_MS, NULL,
                              &duplicate)
                 : -1;
    free(rec);
    if (rc < 0) {
        mgr_api_stats.acks_failed++;
        mgr_api_error(r, 503, "the ack could not be published to ALERTS: %s", strerror(errno));
        return;
    }
    mgr_api_stats.acks++;
    if (!before[0])
        wait_stored(ack_id);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "alert", id);
    cJSON_AddStringToObject(o, "acknowledged", before[0] ? before : now);
    cJSON_AddBoolToObject(o, "duplicate", duplicate || before[0]);
    reply_json(r, 200, o);
}
