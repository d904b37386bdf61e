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
 * (corr_rule_stats.evicted says when one was).
 *
 * Event times are the events' own, but only within a skew of the time the
 * stream received them (corr_event_time): a publisher that dates events
 * in 2200 cannot suppress a group until then. */
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

/* How far an event's own time may lie from its reception by the stream
 * unless corr_engine_set_skew says otherwise: legitimate events are
 * stamped by the normaliser just before it publishes (so at most the
 * clocks' difference ahead of reception) but may wait behind a bus outage. */
#define CORR_DEFAULT_SKEW_FUTURE_MS 5000LL
#define CORR_DEFAULT_SKEW_PAST_MS 600000LL

/* received_ms of an event whose reception time is not known. */
#define CORR_NO_TIME INT64_MIN

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

/* Events may lie at most past_ms before and future_ms after their
 * reception (both >= 0); see corr_event_time. */
void corr_engine_set_skew(corr_engine *e, int64_t past_ms, int64_t future_ms);

/* The time (ms) an event counts at: its event.created, else @timestamp,
 * clamped into [received_ms - past_ms, received_ms + future_ms] unless
 * received_ms is CORR_NO_TIME. Returns 0 when taken as it is, 1 when
 * clamped, -1 when the event has no usable time. */
int corr_event_time(const cJSON *event, int64_t received_ms, int64_t past_ms, int64_t future_ms,
                    int64_t *ms);

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

/* corr_feed for an event the stream received at received_ms (the
 * JetStream message's time; CORR_NO_TIME: unknown): its time is clamped
 * to the engine's skew around it (corr_event_time). */
int corr_feed_at(corr_engine *e, const cJSON *event, int64_t received_ms, int replay);

/* How far before the ack floor's event time a restart must replay: the
 * largest window + suppress over the rules. */
int64_t corr_replay_horizon_ms(const struct corr_rules *rules);

/* Counters of rule i (0 <= i < rules->count); -1 when i is out of range. */
int corr_rule_stats(const corr_engine *e, size_t i, struct corr_rule_stats *out);

/* Events ignored because they carried no usable time. */
uint64_t corr_engine_untimed(const corr_engine *e);

/* Events whose time lay beyond the skew and was clamped. */
uint64_t corr_engine_clamped(const corr_engine *e);

#endif
