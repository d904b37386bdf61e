/* Extraction of a record's id and time from its JSON text. */
#include "meta.h"

#include <errno.h>
#include <string.h>

#include "cJSON.h"
#include "field.h"
#include "fnv1a.h"
#include "id.h"
#include "siemtime.h"

int store_id_key(const char *id, size_t len, uint8_t key[16])
{
    if (!id || len == 0 || len > 255)
        return -1;
    if (siem_id_parse(id, len, key) == 0)
        return 0;
    /* Two offset bases (the standard one and its halves swapped) give two
     * practically independent 64-bit halves of the key. */
    uint64_t a = siem_fnv1a64(SIEM_FNV1A64_BASIS, id, len);
    uint64_t b = siem_fnv1a64(0x84222325cbf29ce4ull, id, len);
    for (int i = 0; i < 8; i++) {
        key[i] = (uint8_t)(a >> (8 * i));
        key[8 + i] = (uint8_t)(b >> (8 * i));
    }
    return 0;
}

static int64_t time_of(const cJSON *doc, const char *name)
{
    const cJSON *t = siem_field(doc, name);
    int64_t ms;
    if (cJSON_IsString(t) && siem_time_parse_ms(t->valuestring, &ms) == 0)
        return ms;
    return STORE_TIME_NONE;
}

int store_meta_parse(const char *payload, size_t len, int alert, struct store_meta *m)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(payload, len, &end, 0);
    if (!doc)
        return -EINVAL; /* cJSON cannot tell a syntax error from no memory */
    /* Query replies embed the stored text as it is: it must be exactly
     * one object, with nothing but white space after it. */
    while (end < payload + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (!cJSON_IsObject(doc) || end != payload + len) {
        cJSON_Delete(doc);
        return -EINVAL;
    }
    memset(m, 0, sizeof(*m));
    /* Reception time first: it comes from our own clock, while a sender's
     * @timestamp may be wrong or missing. */
    m->time_ms = time_of(doc, "event.created");
    if (m->time_ms == STORE_TIME_NONE)
        m->time_ms = time_of(doc, "@timestamp");
    const cJSON *id = NULL;
    if (alert)
        id = siem_field(doc, "alert.id");
    if (!cJSON_IsString(id))
        id = siem_field(doc, "event.id");
    if (alert && !cJSON_IsString(id))
        id = cJSON_GetObjectItemCaseSensitive(doc, "id");
    if (cJSON_IsString(id) && store_id_key(id->valuestring, strlen(id->valuestring), m->key) == 0)
        m->has_id = 1;
    cJSON_Delete(doc);
    return 0;
}

/* --- the skim: time without a parse tree -------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p at a string's opening quote: just past its closing one, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Just past the value at p (strings, nested objects and arrays, scalars),
 * or NULL when it is cut off. */
static const char *skip_value(const char *p, const char *end)
{
    if (p < end && *p == '"')
        return skip_string(p, end);
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            if (!(p = skip_string(p, end)))
                return NULL;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']') {
            if (depth == 0)
                return p; /* the end of the enclosing container */
            if (--depth == 0)
                return p + 1;
        } else if (depth == 0 && (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            return p;
        p++;
    }
    return depth == 0 ? p : NULL;
}

/* The value of member name (compared as written, no escapes) of the
 * object at p, or NULL. */
static const char *member(const char *p, const char *end, const char *name, size_t nlen)
{
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return NULL;
    for (p = skip_ws(p + 1, end); p < end && *p == '"';) {
        const char *key = p + 1, *after = skip_string(p, end);
        if (!after)
            return NULL;
        p = skip_ws(after, end);
        if (p >= end || *p != ':')
            return NULL;
        p = skip_ws(p + 1, end);
        if ((size_t)(after - 1 - key) == nlen && memcmp(key, name, nlen) == 0)
            return p;
        if (!(p = skip_value(p, end)))
            return NULL;
        p = skip_ws(p, end);
        if (p >= end || *p != ',')
            return NULL;
        p = skip_ws(p + 1, end);
    }
    return NULL;
}

/* Like siem_field: the flat dotted name first, then nested objects. */
static const char *skim_field(const char *obj, const char *end, const char *name)
{
    const char *v = member(obj, end, name, strlen(name));
    const char *dot = strchr(name, '.');
    if (v || !dot)
        return v;
    const char *inner = member(obj, end, name, (size_t)(dot - name));
    return inner ? skim_field(inner, end, dot + 1) : NULL;
}

static int64_t skim_time(const char *obj, const char *end, const char *name)
{
    const char *v = skim_field(obj, end, name), *close;
    char text[64];
    int64_t ms;
    if (!v || *v != '"' || !(close = skip_string(v, end)) || close - v - 2 >= (long)sizeof(text))
        return STORE_TIME_NONE;
    memcpy(text, v + 1, (size_t)(close - v - 2));
    text[close - v - 2] = '\0';
    if (strchr(text, '\\') || siem_time_parse_ms(text, &ms) < 0)
        return STORE_TIME_NONE;
    return ms;
}

int store_meta_skim(const char *payload, size_t len, const char *id, struct store_meta *m)
{
    const char *end = payload + len, *p = skip_ws(payload, end);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end - p < 2 || *p != '{' || end[-1] != '}')
        return -EINVAL;
    memset(m, 0, sizeof(*m));
    m->time_ms = skim_time(p, end, "event.created");
    if (m->time_ms == STORE_TIME_NONE)
        m->time_ms = skim_time(p, end, "@timestamp");
    if (id && store_id_key(id, strlen(id), m->key) == 0)
        m->has_id = 1;
    return 0;
}
