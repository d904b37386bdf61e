/* The manager's request parameters, without I/O: the query string of
 * /api/events, /api/alerts and /api/stats turned into a store query
 * (docs/siem.md "Store queries"), times and durations, alert ids and the
 * token check. Unit tests: tests/unit/siem/manager/. */
#ifndef SIEM_MGR_PARAMS_H
#define SIEM_MGR_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"

#define MGR_PARAMS_MAX 32    /* query-string parameters per request */
#define MGR_FIELDS_MAX 15    /* field filters (the store takes 16; alerts use one) */
#define MGR_TEXT_MAX 256     /* bytes of text= */
#define MGR_STATS_MINUTES 60 /* /api/stats default */
#define MGR_STATS_MAX 1440   /* /api/stats at most (the store's limit) */

struct mgr_param {
    const char *key, *value;
};

/* A time: RFC 3339 ("2026-01-02T03:04:05Z"), epoch seconds ("1767322800",
 * fractions allowed) or a duration before now ("30s", "10m", "2h", "1d",
 * "1h30m"). Returns 0 and *ms (epoch ms), or -1. */
int mgr_parse_time(const char *text, int64_t now_ms, int64_t *ms);

/* A duration: one or more NUMBER UNIT with units s, m, h, d, at most 10
 * years in all. Returns 0 and *ms, or -1. */
int mgr_parse_duration(const char *text, int64_t *ms);

/* The store query for "events" or "alerts" from the request's parameters
 * (since, until, text, limit, for alerts rule, and dotted field names as
 * filters); alerts also get event.kind=alert. NULL with the reason in err
 * (a 400) when a parameter is wrong. */
cJSON *mgr_query_from_params(const char *kind, const struct mgr_param *p, size_t n, int64_t now_ms,
                             char *err, size_t errsize);

/* The store's per-minute query for /api/stats (kind=events|alerts,
 * minutes=1..1440): the last minutes whole minutes, the current one
 * last. NULL with the reason in err. */
cJSON *mgr_stats_from_params(const struct mgr_param *p, size_t n, int64_t now_ms, char *err,
                             size_t errsize);

/* 1 when id is an alert id: exactly 32 lowercase hex digits. */
int mgr_alert_id_ok(const char *id);

/* 1 when got equals want, in time that depends only on got's length;
 * an empty want never matches. */
int mgr_token_equal(const char *want, const char *got);

/* The token of an "Authorization: Bearer TOKEN" header value (scheme in
 * any case), or NULL. */
const char *mgr_bearer(const char *authorization);

#endif
