/* Writing a module's counter table into its heartbeat. */
#include "counters.h"

void module_counters_json(const struct module_counters *c, cJSON *obj)
{
    if (c->snapshot)
        c->snapshot();
    for (const struct module_counter *k = c->table; k && k->name; k++) {
        double v = 0;
        switch (k->kind) {
        case MODULE_COUNTER_ULONG:
            v = (double)*(const unsigned long *)k->at;
            break;
        case MODULE_COUNTER_UINT:
            v = *(const unsigned *)k->at;
            break;
        case MODULE_COUNTER_INT:
            v = *(const int *)k->at;
            break;
        case MODULE_COUNTER_FN:
            v = k->fn();
            break;
        }
        cJSON_AddNumberToObject(obj, k->name, v);
    }
    if (c->more)
        c->more(obj);
}
