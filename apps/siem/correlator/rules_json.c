/* The loaded correlation rules described as JSON, for an API and the logs. */
#include "rules.h"

#include <stdio.h>

static cJSON *conds_json(const struct corr_cond *c, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *o = cJSON_CreateObject(), *values = cJSON_CreateArray();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "field", c[i].field);
        cJSON_AddStringToObject(o, "op", c[i].op == CORR_EQ ? "=" : "!=");
        cJSON_AddItemToObject(o, "values", values);
        for (size_t v = 0; v < c[i].nvalues; v++)
            cJSON_AddItemToArray(values, cJSON_CreateString(c[i].values[v]));
    }
    return arr;
}

/* cJSON's add functions do nothing when given NULL, so a failed allocation
 * leaves the tree incomplete but well-formed: a lost rule object is caught
 * by the count check below; a description is informational, so a lost key
 * inside one is tolerated. */
cJSON *corr_rules_json(const struct corr_rules *rules)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < rules->count; i++) {
        const struct corr_rule *r = &rules->rule[i];
        char subject[CORR_NAME_MAX + 16];
        snprintf(subject, sizeof(subject), "siem.alerts.%s", r->name);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "name", r->name);
        cJSON_AddStringToObject(o, "subject", subject);
        cJSON_AddStringToObject(o, "description", r->description);
        cJSON_AddNumberToObject(o, "severity", r->severity);
        cJSON_AddItemToObject(o, "match", conds_json(r->match, r->nmatch));
        if (r->ntrigger)
            cJSON_AddItemToObject(o, "trigger", conds_json(r->trigger, r->ntrigger));
        if (r->group[0])
            cJSON_AddStringToObject(o, "group", r->group);
        cJSON_AddNumberToObject(o, "threshold", r->threshold);
        cJSON_AddNumberToObject(o, "window_ms", (double)r->window_ms);
        cJSON_AddNumberToObject(o, "suppress_ms", (double)r->suppress_ms);
    }
    if (arr && cJSON_GetArraySize(arr) != (int)rules->count) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}
