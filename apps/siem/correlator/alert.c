/* Builds the alert document of one firing. */
#include "alert.h"

#include <stdio.h>

#include "engine.h"
#include "field.h"
#include "siemtime.h"

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char buf[SIEM_TIME_LEN];
    siem_time_format_ms(ms, buf);
    cJSON_AddStringToObject(o, key, buf);
}

/* The newest CORR_RELATED_MAX ids: those nearest the trigger matter most
 * to whoever reads the alert. Events without an id are left out. */
static cJSON *related_ids(const struct corr_firing *f)
{
    cJSON *arr = cJSON_CreateArray();
    size_t from = f->n > CORR_RELATED_MAX ? f->n - CORR_RELATED_MAX : 0;
    for (size_t i = from; arr && i < f->n; i++)
        if (f->ent[i].id[0])
            cJSON_AddItemToArray(arr, cJSON_CreateString(f->ent[i].id));
    return arr;
}

/* cJSON's add functions do nothing when an allocation failed (a NULL
 * parent or item), so out of memory shows as a missing key: look for
 * every one rather than check each call. */
static int complete(const cJSON *a, const struct corr_firing *f)
{
    static const char *const keys[] = {
        "@timestamp",    "event.id",   "event.kind",       "event.severity",
        "event.created", "rule.name",  "rule.description", "count",
        "window.start",  "window.end", "trigger.event_id", "message"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!siem_field(a, keys[i]))
            return 0;
    if (f->rule->group[0] && !siem_field(a, "group.value"))
        return 0;
    size_t ids = 0, from = f->n > CORR_RELATED_MAX ? f->n - CORR_RELATED_MAX : 0;
    for (size_t i = from; i < f->n; i++)
        ids += f->ent[i].id[0] != '\0';
    return cJSON_GetArraySize(siem_field(a, "related.event_ids")) == (int)ids;
}

cJSON *corr_alert_build(const struct corr_firing *f, char id[CORR_ALERT_ID_LEN])
{
    const struct corr_rule *r = f->rule;
    int64_t start = f->now;
    for (size_t i = 0; i < f->n; i++)
        if (f->ent[i].t < start)
            start = f->ent[i].t;
    corr_alert_id(r->name, f->group_value, f->trigger_id, id);

    cJSON *a = cJSON_CreateObject(), *o;
    add_time(a, "@timestamp", f->now);
    cJSON_AddItemToObject(a, "event", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "kind", "alert");
    cJSON_AddNumberToObject(o, "severity", r->severity);
    add_time(o, "created", f->now);
    cJSON_AddItemToObject(a, "rule", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "description", r->description);
    if (r->group[0]) {
        cJSON_AddItemToObject(a, "group", o = cJSON_CreateObject());
        cJSON_AddStringToObject(o, "field", r->group);
        cJSON_AddStringToObject(o, "value", f->group_value);
    }
    cJSON_AddNumberToObject(a, "count", (double)f->n);
    cJSON_AddItemToObject(a, "window", o = cJSON_CreateObject());
    add_time(o, "start", start);
    add_time(o, "end", f->now);
    cJSON_AddItemToObject(a, "trigger", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "event_id", f->trigger_id);
    cJSON_AddItemToObject(a, "related", o = cJSON_CreateObject());
    cJSON_AddItemToObject(o, "event_ids", related_ids(f));

    char msg[CORR_VALUE_MAX + 512], from[SIEM_TIME_LEN], to[SIEM_TIME_LEN];
    siem_time_format_ms(start, from);
    siem_time_format_ms(f->now, to);
    int len = snprintf(msg, sizeof(msg), "%s: %zu matching events%s%s%s%s from %s to %s",
                       r->description, f->n, r->group[0] ? " for " : "", r->group,
                       r->group[0] ? " " : "", f->group_value, from, to);
    if (r->ntrigger && len >= 0 && (size_t)len < sizeof(msg))
        snprintf(msg + len, sizeof(msg) - (size_t)len, ", then event %s", f->trigger_id);
    cJSON_AddStringToObject(a, "message", msg);

    if (!complete(a, f)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}
