/* The alert document a firing produces (schema in docs/siem.md). */
#ifndef CORR_ALERT_H
#define CORR_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "alert_id.h"
#include "cJSON.h"
#include "groups.h"
#include "rules.h"

struct corr_firing {
    const struct corr_rule *rule;
    const char *group_value;      /* "" when the rule has no group */
    const struct corr_entry *ent; /* the counted events in the window */
    size_t n;
    int64_t now;            /* the trigger event's time */
    const char *trigger_id; /* its event.id */
};

/* Builds the alert for f and writes its id into id; NULL when out of
 * memory. Everything in it comes from the events, none from a clock, so a
 * replay builds the same bytes. */
cJSON *corr_alert_build(const struct corr_firing *f, char id[CORR_ALERT_ID_LEN]);

#endif
