/* The manager's JSON API over the bus: each endpoint asks the module that
 * knows (the store on siem.store.query, the correlator on
 * siem.correlator.rules) or reads what the manager has heard (heartbeats,
 * the supervisor's status), and gives a status and a JSON body. Errors
 * are {"error":"..."} with the status docs/siem.md ("Manager") lists. */
#ifndef SIEM_MGR_API_H
#define SIEM_MGR_API_H

#include <stddef.h>

#include "bus.h"
#include "params.h"

#define MGR_STORE_TIMEOUT_MS 10000 /* a store query's answer */
#define MGR_RULES_TIMEOUT_MS 3000  /* the correlator's rules */

struct mgr_reply {
    unsigned status;
    char *body; /* malloc'd JSON text */
    size_t len;
};

/* Counters for the heartbeat. */
struct mgr_api_stats {
    unsigned long store_queries, bus_errors, acks, acks_failed;
};
extern struct mgr_api_stats mgr_api_stats;

/* Listens on siem.health.> and siem.supervisor.status from now on. */
void mgr_api_start(struct bus *b);

void mgr_api_events(const struct mgr_param *p, size_t n, struct mgr_reply *r);
void mgr_api_alerts(const struct mgr_param *p, size_t n, struct mgr_reply *r);
void mgr_api_stats_(const struct mgr_param *p, size_t n, struct mgr_reply *r);
void mgr_api_modules(struct mgr_reply *r);
void mgr_api_rules(struct mgr_reply *r);
/* Acknowledges alert id (already checked to be 32 hex digits). */
void mgr_api_ack(const char *id, struct mgr_reply *r);

/* r becomes {"error": message} with status. */
void mgr_api_error(struct mgr_reply *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
