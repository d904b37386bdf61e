/* The module table behind /api/modules (modules.h). */
#include "modules.h"

#include <string.h>

#include "siemtime.h"

/* The modules in the order people read them (the pipeline's order). */
static const char *const known[] = {"normaliser", "correlator", "store", "manager"};

void mgr_modules_init(struct mgr_modules *m)
{
    m->beats = cJSON_CreateObject();
    m->seen = cJSON_CreateObject();
    m->supervisor = NULL;
    m->supervisor_ms = 0;
}

void mgr_modules_free(struct mgr_modules *m)
{
    cJSON_Delete(m->beats);
    cJSON_Delete(m->seen);
    cJSON_Delete(m->supervisor);
    m->beats = m->seen = m->supervisor = NULL;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static void put(cJSON *obj, const char *name, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, name))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, name, item);
    else
        cJSON_AddItemToObject(obj, name, item);
}

int mgr_modules_heartbeat(struct mgr_modules *m, const char *data, size_t len, int64_t now_ms)
{
    cJSON *b = cJSON_ParseWithLength(data, len);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "module");
    if (!cJSON_IsObject(b) || !cJSON_IsString(name) || !name_ok(name->valuestring) ||
        (!cJSON_GetObjectItemCaseSensitive(m->beats, name->valuestring) &&
         cJSON_GetArraySize(m->beats) >= MGR_MODULES_MAX)) {
        cJSON_Delete(b);
        return -1;
    }
    char key[40];
    strcpy(key, name->valuestring);
    put(m->beats, key, b);
    put(m->seen, key, cJSON_CreateNumber((double)now_ms));
    return 0;
}

int mgr_modules_supervisor(struct mgr_modules *m, const char *data, size_t len, int64_t now_ms)
{
    cJSON *s = cJSON_ParseWithLength(data, len);
    if (!cJSON_IsObject(s) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(s, "modules"))) {
        cJSON_Delete(s);
        return -1;
    }
    cJSON_Delete(m->supervisor);
    m->supervisor = s;
    m->supervisor_ms = now_ms;
    return 0;
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char t[SIEM_TIME_LEN];
    if (siem_time_format_ms(ms, t) == 0)
        cJSON_AddStringToObject(o, key, t);
    else
        cJSON_AddNullToObject(o, key);
}

static void copy(cJSON *to, const cJSON *from, const char *key, const char *as)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    cJSON_AddItemToObject(to, as ? as : key, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
}

/* The supervisor's record of name, or NULL. */
static const cJSON *sup_record(const struct mgr_modules *m, const char *name)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(m->supervisor, "modules"))
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(r, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return r;
    }
    return NULL;
}

static cJSON *module_json(const struct mgr_modules *m, const char *name, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *beat = cJSON_GetObjectItemCaseSensitive(m->beats, name);
    const cJSON *seen = cJSON_GetObjectItemCaseSensitive(m->seen, name);
    const cJSON *sup =
        m->supervisor && now_ms - m->supervisor_ms <= MGR_STALE_MS ? sup_record(m, name) : NULL;
    cJSON_AddStringToObject(o, "name", name);
    int alive = 0;
    if (beat && cJSON_IsNumber(seen)) {
        int64_t age = now_ms - (int64_t)seen->valuedouble;
        alive = age <= MGR_STALE_MS;
        copy(o, beat, "version", NULL);
        copy(o, beat, "instance", NULL);
        copy(o, beat, "started", NULL);
        copy(o, beat, "uptime_s", NULL);
        copy(o, beat, "counters", NULL);
        add_time(o, "last_seen", (int64_t)seen->valuedouble);
        cJSON_AddNumberToObject(o, "heartbeat_age_s", (double)age / 1000.0);
    } else {
        static const char *const none[] = {"version",  "instance",  "started",        "uptime_s",
                                           "counters", "last_seen", "heartbeat_age_s"};
        for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
            cJSON_AddNullToObject(o, none[i]);
    }
    cJSON_AddBoolToObject(o, "alive", alive);
    /* The supervisor's word on the state when it spoke lately; else what
     * the heartbeats say. */
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(sup, "state");
    if (cJSON_IsString(st))
        cJSON_AddStringToObject(o, "state", st->valuestring);
    else
        cJSON_AddStringToObject(o, "state", alive ? "running" : beat ? "silent" : "unknown");
    cJSON_AddStringToObject(o, "state_from", cJSON_IsString(st) ? "supervisor" : "heartbeat");
    copy(o, sup, "restarts", NULL);
    copy(o, sup, "last_exit", NULL);
    copy(o, sup, "last_exit_status", NULL);
    copy(o, sup, "pid", NULL);
    copy(o, sup, "since", "state_since");
    return o;
}

static int listed(const cJSON *arr, const char *name)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return 1;
    }
    return 0;
}

static void add_module(const struct mgr_modules *m, cJSON *arr, const char *name, int64_t now_ms)
{
    if (name_ok(name) && !listed(arr, name) && cJSON_GetArraySize(arr) < MGR_MODULES_MAX)
        cJSON_AddItemToArray(arr, module_json(m, name, now_ms));
}

cJSON *mgr_modules_json(const struct mgr_modules *m, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "modules");
    int fresh = m->supervisor && now_ms - m->supervisor_ms <= MGR_STALE_MS;
    /* The known modules that anyone reported, in pipeline order, then the
     * others as they came. */
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (cJSON_GetObjectItemCaseSensitive(m->beats, known[i]) ||
            (fresh && sup_record(m, known[i])))
            add_module(m, arr, known[i], now_ms);
    const cJSON *e;
    if (fresh)
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m->supervisor, "modules"))
        {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");
            if (cJSON_IsString(n))
                add_module(m, arr, n->valuestring, now_ms);
        }
    cJSON_ArrayForEach(e, m->beats) add_module(m, arr, e->string, now_ms);
    if (m->supervisor) {
        cJSON *s = cJSON_AddObjectToObject(o, "supervisor");
        copy(s, m->supervisor, "supervisor_pid", "pid");
        copy(s, m->supervisor, "time", NULL);
        add_time(s, "last_seen", m->supervisor_ms);
        cJSON_AddNumberToObject(s, "age_s", (double)(now_ms - m->supervisor_ms) / 1000.0);
        cJSON_AddBoolToObject(s, "fresh", fresh);
    } else {
        cJSON_AddNullToObject(o, "supervisor");
    }
    return o;
}
