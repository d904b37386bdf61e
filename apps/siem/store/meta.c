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
