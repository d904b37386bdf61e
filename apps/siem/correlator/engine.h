/* The correlation engine: events in, in stream order; alerts out through a
 * callback. Pure logic: no I/O, no clock (time is the events' own), so
 * replaying the same events gives the same alerts, with the same ids.
 *
 * Restart without missing or doubling an alert. The correlator's durable
 * consumer has an ack floor F: every event up to F was fed and its alerts
 * were published. A restarted correlator
 *   1. creates an engine for the same rules;
 *   2. for every alert in ALERTS whose trigger event is among the events
 *      of step 3 (in practice: every alert with @timestamp >= time(F) - H,
 *      H = corr_replay_horizon_ms(rules)), calls corr_known_alert(rule
 *      name, trigger.event_id); extra alerts are harmless;
 *   3. feeds with replay=1 the events from the first one with time >=
 *      time(F) - H up to and including F (starting earlier is also fine);
 *      the engine emits nothing, but repeats the known firings;
 *   4. feeds the events after F with replay=0: the alerts emitted are
 *      exactly those the first run would have emitted (same ids, same
 *      order, same JSON). An alert the first run published for an event
 *      after F (published, then a crash before the ack) comes again with
 *      the same id, and the ALERTS duplicate window drops it.
 * Why this is exact is argued in engine.c. It assumes that event times do
 * not go backwards along the stream (event.created is stamped by the one
 * normaliser as it publishes; a clock stepped back breaks the guarantee
 * around the step), and that no live group was evicted within the horizon
 * (corr_rule_stats.evicted says when one was). */
#ifndef CORR_ENGINE_H
#define CORR_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "alert_id.h"
#include "cJSON.h"
#include "rules.h"

/* Live groups per rule unless corr_engine_new is told otherwise. A group
 * costs about 48 bytes per kept event (max(threshold, 32) of them) plus
 * its value; evicting one may miss an alert, and is counted. */
#define CORR_DEFAULT_MAX_GROUPS 4096

/* Ids of counted events listed in an alert's related.event_ids, at most. */
#define CORR_RELATED_MAX 32

struct corr_alert {
    const char *rule;    /* rule name */
    const char *subject; /* "siem.alerts.<rule>" */
    const char *id;      /* 32 hex digits: the Nats-Msg-Id */
    const cJSON *doc;    /* the alert document */
    const char *json;    /* doc printed without whitespace */
};

/* Called once per alert, in order, from inside corr_feed; the alert and
 * its strings are valid only during the call. */
typedef void (*corr_alert_fn)(const struct corr_alert *alert, void *arg);

struct corr_rule_stats {
    uint64_t matched;    /* events that met the match or trigger lines */
    uint64_t counted;    /* events added to a group's window */
    uint64_t suppressed; /* matching events ignored: their group was suppressed */
    uint64_t ungrouped;  /* matching events without the group field */
    uint64_t alerts;     /* alerts emitted (live) */
    uint64_t replayed;   /* known firings repeated during replay */
    uint64_t evicted;    /* live groups pushed out to make room */
    uint64_t groups;     /* groups held now (live or not yet reused) */
};

typedef struct corr_engine corr_engine;

/* An engine for rules (which must outlive it). max_groups bounds the
 * groups of each rule (0: CORR_DEFAULT_MAX_GROUPS). NULL when out of
 * memory. */
corr_engine *corr_engine_new(const struct corr_rules *rules, size_t max_groups, corr_alert_fn fn,
                             void *arg);
void corr_engine_free(corr_engine *e);

/* Registers an alert already published, for replay (see above): 1 when
 * registered, 0 when no loaded rule has that name (or the id is empty or
 * too long to be an event id), -1 when out of memory. */
int corr_known_alert(corr_engine *e, const char *rule, const char *trigger_event_id);

/* Feeds one event. replay=1: repeat the known firings, emit nothing;
 * replay=0: emit alerts through the callback. Returns the number of
 * alerts emitted (or, when replaying, firings repeated), or -1 when memory
 * ran out (for a group or an alert): the event's alerts may then be
 * incomplete, so do not acknowledge it; restart instead. An event without
 * a usable event.created or @timestamp is ignored and counted
 * (corr_engine_untimed). */
int corr_feed(corr_engine *e, const cJSON *event, int replay);

/* How far before the ack floor's event time a restart must replay: the
 * largest window + suppress over the rules. */
int64_t corr_replay_horizon_ms(const struct corr_rules *rules);

/* Counters of rule i (0 <= i < rules->count); -1 when i is out of range. */
int corr_rule_stats(const corr_engine *e, size_t i, struct corr_rule_stats *out);

/* Events ignored because they carried no usable time. */
uint64_t corr_engine_untimed(const corr_engine *e);

#endif
