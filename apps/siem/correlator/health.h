/* Alerts about the SIEM itself, from the modules' heartbeats
 * (siem.health.<module>): a store whose retention reclaims records younger
 * than its min-age, and a normaliser that cannot publish. Pure logic: the
 * caller passes each heartbeat and the time, and publishes what comes out
 * like any rule's alert (docs/siem.md, "Alerts about the SIEM"). */
#ifndef CORR_HEALTH_H
#define CORR_HEALTH_H

#include <stdint.h>

#include "alert_id.h"
#include "cJSON.h"

#define HEALTH_RULE_EVICTING "siem-store-evicting-young"
#define HEALTH_RULE_NO_PUBLISH "siem-normaliser-cannot-publish"

/* Module instances watched at once; the least recently heard is replaced. */
#define HEALTH_MAX_INSTANCES 16
/* A normaliser cannot publish when its failed publishes rose and nothing
 * was published in this many heartbeats in a row. */
#define HEALTH_STALLED_BEATS 3
/* One alert per instance and condition at most this often, so a condition
 * that persists does not flood ALERTS. */
#define HEALTH_SUPPRESS_MS (10 * 60 * 1000LL)

struct health_instance {
    char id[24];     /* the heartbeat's "instance", "" when the slot is free */
    char module[16]; /* "store" or "normaliser" */
    int64_t heard;   /* last heartbeat (ms), for replacement */
    double young;    /* store: evicted_young of the last heartbeat */
    double failed;   /* normaliser: publish_retries + publish_failures */
    double published;
    int stalled;        /* normaliser: heartbeats in a row without progress */
    int64_t alerted[2]; /* last alert per condition (ms), INT64_MIN: none */
};

struct health_watch {
    struct health_instance inst[HEALTH_MAX_INSTANCES];
    uint64_t alerts; /* alerts built */
};

void health_init(struct health_watch *w);

/* Looks at one heartbeat received at now_ms. Returns an alert document
 * to publish on siem.alerts.<rule> (event.id is its id; free it with
 * cJSON_Delete), or NULL when there is nothing to say (or no memory). */
cJSON *health_beat(struct health_watch *w, const cJSON *beat, int64_t now_ms);

#endif
