/* Dotted ECS field names looked up in nested event objects. */
#include "field.h"

#include <stdio.h>
#include <string.h>

const cJSON *siem_field(const cJSON *obj, const char *name)
{
    if (!obj || !name || !cJSON_IsObject(obj))
        return NULL;
    const cJSON *flat = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (flat)
        return flat;
    const char *dot = strchr(name, '.');
    if (!dot)
        return NULL;
    char head[64];
    size_t n = (size_t)(dot - name);
    if (n == 0 || n >= sizeof(head))
        return NULL;
    memcpy(head, name, n);
    head[n] = '\0';
    return siem_field(cJSON_GetObjectItemCaseSensitive(obj, head), dot + 1);
}

static int item_text(const cJSON *item, char *buf, size_t size)
{
    int n;
    if (cJSON_IsString(item))
        n = snprintf(buf, size, "%s", item->valuestring);
    else if (cJSON_IsNumber(item) && item->valuedouble == (double)(long long)item->valuedouble)
        n = snprintf(buf, size, "%lld", (long long)item->valuedouble);
    else if (cJSON_IsNumber(item))
        n = snprintf(buf, size, "%.17g", item->valuedouble);
    else if (cJSON_IsBool(item))
        n = snprintf(buf, size, "%s", cJSON_IsTrue(item) ? "true" : "false");
    else
        return -1;
    return n >= 0 && (size_t)n < size ? n : -1;
}

int siem_field_text(const cJSON *obj, const char *name, char *buf, size_t size)
{
    return item_text(siem_field(obj, name), buf, size);
}

int siem_field_equals(const cJSON *obj, const char *name, const char *value)
{
    const cJSON *item = siem_field(obj, name), *el;
    char text[512];
    if (cJSON_IsArray(item)) {
        cJSON_ArrayForEach(el, item)
        {
            if (item_text(el, text, sizeof(text)) >= 0 && strcmp(text, value) == 0)
                return 1;
        }
        return 0;
    }
    return item_text(item, text, sizeof(text)) >= 0 && strcmp(text, value) == 0;
}
