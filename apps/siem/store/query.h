/* Queries over the event store (the siem.store.query request/reply):
 * parsing a query from JSON and answering it from the log, newest first,
 * as a JSON reply that fits a byte budget.
 *
 * Query (every key optional; unknown keys are an error):
 *   {"kind": "events" | "alerts",            default "events"
 *    "since": RFC 3339 text | epoch seconds, inclusive
 *    "until": RFC 3339 text | epoch seconds, exclusive
 *    "fields": {"dotted.name": "value", ...}, equality as text (numbers and
 *              booleans given as such compare as their text); an array field
 *              matches when any element does; several fields must all match
 *    "text": "word",                          case-insensitive (ASCII)
 *                                             substring of the stored JSON
 *    "limit": 1 .. 1000,                      default 100
 *    "cursor": N,                             only records older than
 *                                             this (from an earlier reply)
 *    "acks": true,                            with kind alerts: each record
 *                                             gets "acknowledged", the time
 *                                             of its ack or null
 *    "stats": "per_minute"}                   counts instead of records
 * A record's time is event.created, else @timestamp; a record without
 * either never matches a query with since or until. An empty request is
 * the query {}.
 *
 * Reply: {"results":[record, ...],"count":n,"scanned":m,"truncated":b,
 * "unreadable":u[,"cursor":c]}, records newest first as stored; scanned
 * counts the records of the kind looked at, truncated is true when the
 * scan stopped before the oldest record: more matched than the limit or
 * the byte budget let in, or the time budget ran out. Then cursor is
 * there: the same query with "cursor": c goes on where this one stopped
 * (c is the sequence number of the last record looked at). unreadable
 * counts records that failed their CRC on read (skipped). Records
 * appended after a scan began are not in it. Or {"error":"what is
 * wrong"}.
 *
 * With "acks": true each alert in the results ends with the member
 * "acknowledged": the @timestamp of the newest record with event.kind
 * alert_ack and ack.alert_id naming it (the manager's acks, docs/siem.md
 * "Manager"), or null; the acks looked at are the newest
 * STORE_QUERY_ACKS_MAX of the log, whatever the query's range or cursor.
 *
 * With "stats": "per_minute" the reply counts the records of the kind per
 * minute from the index alone (no payload is read): since and until are
 * required, at most STORE_STATS_MINUTES_MAX minutes apart, and fields, text
 * and limit are refused. {"stats":"per_minute","start":S,"counts":[n,...],
 * "scanned":m}: counts[i] is the number of records with a time in minute
 * S + 60 i (epoch seconds, S = since rounded down to the minute), the
 * first and last minute cut to [since, until). */
#ifndef SIEM_STORE_QUERY_H
#define SIEM_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define STORE_QUERY_LIMIT_DEFAULT 100
#define STORE_QUERY_LIMIT_MAX 1000
#define STORE_QUERY_FIELDS_MAX 16
#define STORE_QUERY_MIN_BUDGET 256                /* the smallest reply budget accepted */
#define STORE_STATS_MINUTES_MAX 1440              /* a day of per-minute counts */
#define STORE_QUERY_CURSOR_MAX 9007199254740992.0 /* 2^53: exact in JSON */
#define STORE_QUERY_ACKS_MAX 1000                 /* acks an "acks" query looks at */
/* A scan lets other threads run after every record it reads and after
 * this many records it only looks up in the index. */
#define STORE_QUERY_YIELD_INDEX 256

struct store_query_field {
    char *name;  /* dotted ECS name */
    char *value; /* compared as text */
};

struct store_query {
    enum store_kind kind;
    int64_t since_ms; /* inclusive; INT64_MIN when not given */
    int64_t until_ms; /* exclusive; INT64_MAX when not given */
    struct store_query_field fields[STORE_QUERY_FIELDS_MAX];
    size_t nfields;
    char *text; /* NULL when not given */
    unsigned limit;
    int limit_given; /* limit was in the request */
    int stats;       /* 1: "stats":"per_minute" */
    int acks;        /* 1: "acks":true */
    uint64_t cursor; /* only records with seq below it; 0 when not given */
};

/* How a query shares the store with its other threads (main.c: the log's
 * mutex, sched_yield and the monotonic clock). Any hook may be NULL. */
struct store_query_env {
    void (*lock)(void); /* held by the log's writer around append and commit */
    void (*unlock)(void);
    void (*yield)(void);     /* lets the other threads run */
    int64_t (*now_ms)(void); /* a monotonic clock */
    int64_t budget_ms;       /* a scan stops, truncated, after this; 0: never */
};

/* Parses the query text (len bytes). Returns 0, or -EINVAL with a message
 * naming the problem in err ("limit must be 1..1000"), or -ENOMEM. On
 * success free q with store_query_free. */
int store_query_parse(const char *json, size_t len, struct store_query *q, char *err,
                      size_t errsize);
void store_query_free(struct store_query *q);

/* Answers q from log through a store_reader (log.h), so appends go on
 * meanwhile: *reply is a malloc'd NUL-terminated JSON reply of
 * *reply_len <= budget bytes. Returns 0, -EINVAL (budget below
 * STORE_QUERY_MIN_BUDGET) or -ENOMEM. A disk error other than a damaged
 * record ends the scan with an {"error":...} reply. */
int store_query_run(struct store_log *log, const struct store_query_env *env,
                    const struct store_query *q, size_t budget, char **reply, size_t *reply_len);

/* The whole request/reply step: parse the request, answer it, or give an
 * {"error":...} reply. Returns the malloc'd reply (length in *reply_len),
 * or NULL when out of memory or budget < STORE_QUERY_MIN_BUDGET. */
char *store_query_handle(struct store_log *log, const struct store_query_env *env,
                         const char *request, size_t len, size_t budget, size_t *reply_len);

/* {"error":"msg"} as malloc'd text, msg cut to fit budget; NULL when out
 * of memory. */
char *store_query_error(const char *msg, size_t budget, size_t *reply_len);

#endif
