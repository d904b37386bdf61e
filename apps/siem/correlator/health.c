/* Alerts about the SIEM itself, from the modules' heartbeats. */
#include "health.h"

#include <stdio.h>
#include <string.h>

#include "field.h"
#include "siemtime.h"

enum { COND_EVICTING, COND_NO_PUBLISH };

static const struct {
    const char *rule, *description;
    int severity;
} conds[] = {
    [COND_EVICTING] = {HEALTH_RULE_EVICTING,
                       "The store's retention reclaimed records younger than its min-age", 73},
    [COND_NO_PUBLISH] = {HEALTH_RULE_NO_PUBLISH,
                         "A normaliser cannot publish events: its publishes keep failing", 73},
};

void health_init(struct health_watch *w)
{
    memset(w, 0, sizeof(*w));
}

static double counter(const cJSON *beat, const char *name)
{
    char path[64];
    snprintf(path, sizeof(path), "counters.%s", name);
    const cJSON *c = siem_field(beat, path);
    return cJSON_IsNumber(c) ? c->valuedouble : 0;
}

/* The slot of instance id: its own, a free one, or the least recently
 * heard (forgotten). *fresh says whether it is new. */
static struct health_instance *slot(struct health_watch *w, const char *id, const char *module,
                                    int *fresh)
{
    struct health_instance *free_slot = NULL, *oldest = &w->inst[0];
    for (int i = 0; i < HEALTH_MAX_INSTANCES; i++) {
        struct health_instance *s = &w->inst[i];
        if (s->id[0] && strcmp(s->id, id) == 0) {
            *fresh = 0;
            return s;
        }
        if (!s->id[0] && !free_slot)
            free_slot = s;
        if (s->heard < oldest->heard)
            oldest = s;
    }
    struct health_instance *s = free_slot ? free_slot : oldest;
    memset(s, 0, sizeof(*s));
    snprintf(s->id, sizeof(s->id), "%s", id);
    snprintf(s->module, sizeof(s->module), "%s", module);
    s->alerted[0] = s->alerted[1] = INT64_MIN;
    *fresh = 1;
    return s;
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char buf[SIEM_TIME_LEN];
    siem_time_format_ms(ms, buf);
    cJSON_AddStringToObject(o, key, buf);
}

/* The alert: shaped like a rule's (docs/siem.md), grouped by the module
 * instance. Its id covers the counter's value, so the same observation
 * gives the same id and a later one a new id. */
static cJSON *build(struct health_watch *w, const struct health_instance *s, int cond,
                    const char *counter_name, double value, double rise, int64_t now)
{
    char id[CORR_ALERT_ID_LEN], trigger[64], msg[320];
    snprintf(trigger, sizeof(trigger), "%s=%.0f", counter_name, value);
    corr_alert_id(conds[cond].rule, s->id, trigger, id);
    if (cond == COND_EVICTING)
        snprintf(msg, sizeof(msg),
                 "%s: store %s reclaimed %.0f records younger than its min-age "
                 "(%.0f in all since it started)",
                 conds[cond].description, s->id, rise, value);
    else
        snprintf(msg, sizeof(msg),
                 "%s: normaliser %s: failed publishes rose in each of its "
                 "last %d heartbeats and nothing was published (%s)",
                 conds[cond].description, s->id, HEALTH_STALLED_BEATS, trigger);
    cJSON *a = cJSON_CreateObject(), *o;
    add_time(a, "@timestamp", now);
    cJSON_AddItemToObject(a, "event", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "kind", "alert");
    cJSON_AddNumberToObject(o, "severity", conds[cond].severity);
    add_time(o, "created", now);
    cJSON_AddItemToObject(a, "rule", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "name", conds[cond].rule);
    cJSON_AddStringToObject(o, "description", conds[cond].description);
    cJSON_AddItemToObject(a, "group", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "field", "module.instance");
    cJSON_AddStringToObject(o, "value", s->id);
    cJSON_AddItemToObject(a, "module", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "name", s->module);
    cJSON_AddStringToObject(o, "instance", s->id);
    cJSON_AddNumberToObject(a, "count", rise);
    cJSON_AddStringToObject(a, "message", msg);
    if (!siem_field(a, "message") || !siem_field(a, "event.id") || !siem_field(a, "module.name")) {
        cJSON_Delete(a);
        return NULL;
    }
    w->alerts++;
    return a;
}

/* 1 when condition cond of s may alert at now, and notes that it did. */
static int due(struct health_instance *s, int cond, int64_t now)
{
    if (s->alerted[cond] != INT64_MIN && now - s->alerted[cond] < HEALTH_SUPPRESS_MS)
        return 0;
    s->alerted[cond] = now;
    return 1;
}

cJSON *health_beat(struct health_watch *w, const cJSON *beat, int64_t now)
{
    const cJSON *module = siem_field(beat, "module"), *inst = siem_field(beat, "instance");
    if (!cJSON_IsString(module) || !cJSON_IsString(inst) || !inst->valuestring[0])
        return NULL;
    int store = strcmp(module->valuestring, "store") == 0;
    if (!store && strcmp(module->valuestring, "normaliser") != 0)
        return NULL;
    int fresh;
    struct health_instance *s = slot(w, inst->valuestring, module->valuestring, &fresh);
    s->heard = now;
    if (store) {
        /* A count already above zero at first sight rose before we looked. */
        double young = counter(beat, "evicted_young"), rise = young - s->young;
        s->young = young;
        if (rise > 0 && due(s, COND_EVICTING, now))
            return build(w, s, COND_EVICTING, "evicted_young", young, rise, now);
        return NULL;
    }
    double failed = counter(beat, "publish_retries") + counter(beat, "publish_failures");
    double published = counter(beat, "published");
    double rise = failed - s->failed;
    int stuck = !fresh && rise > 0 && published == s->published;
    s->stalled = stuck ? s->stalled + 1 : 0;
    s->failed = failed;
    s->published = published;
    if (s->stalled >= HEALTH_STALLED_BEATS && due(s, COND_NO_PUBLISH, now))
        return build(w, s, COND_NO_PUBLISH, "publish_failed", failed, rise, now);
    return NULL;
}
