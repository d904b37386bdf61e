/* The correlation engine: counts matching events per rule and group in a
 * sliding window and fires alerts (semantics in docs/siem.md).
 *
 * Why a restart (engine.h, steps 1-4) gives exactly the first run's alerts.
 * Call the first run A and the restarted one B; W and P are a rule's
 * window and suppression, H >= W + P, T = time(F) - H, and S the replayed
 * events: all events from time T on (times do not go backwards). Look at
 * one rule and one group value; a group's state is its suppression end
 * and its counted events, and an event at time t can only be affected by
 * the counted events at or after t - W and by a suppression that ends
 * after t.
 *  - A firing clears the window and sets the suppression to (its time +
 *    P) in both runs; B repeats each of A's firings in S (it knows their
 *    trigger ids), and fires at no other event while replaying. So after
 *    A's first firing in S, A and B hold the same state and take the same
 *    decisions from there on: same events, same rules.
 *  - Before that firing, or up to F if there is none: B started empty and
 *    has never been suppressed; A may be suppressed by a firing at tf < T,
 *    which ends at tf + P < time(F) - W. So A and B both count every
 *    matching event from time(F) - W on, and A counts no event before S
 *    that is that recent. The events B counted and A did not (during A's
 *    old suppression) are older than time(F) - W, as is the part of A's
 *    window B never saw: neither can count for any event after F. Both
 *    keep the same newest max(threshold, 32) events, so capping the
 *    window changes nothing either. Without a firing of its own, B's
 *    counts are never above A's where it matters, so B cannot fire where
 *    A did not -- and while replaying, B does not fire on its own at all.
 * Hence at F the two runs agree on everything an event after F can see,
 * and feeding the same events after F gives the same alerts, built from
 * the same window contents, in the same order. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "field.h"
#include "groups.h"
#include "known.h"
#include "siemtime.h"

struct rule_state {
    const struct corr_rule *rule;
    struct corr_groups groups;
    struct corr_rule_stats st;
    char subject[CORR_NAME_MAX + 16];
};

struct corr_engine {
    const struct corr_rules *rules;
    struct rule_state *rs; /* one per rule, same order */
    struct corr_known known;
    corr_alert_fn fn;
    void *arg;
    uint64_t tick; /* events fed: orders group uses for eviction */
    uint64_t untimed;
    uint64_t clamped;
    int64_t past_ms, future_ms; /* the skew allowed around reception */
};

corr_engine *corr_engine_new(const struct corr_rules *rules, size_t max_groups, corr_alert_fn fn,
                             void *arg)
{
    corr_engine *e = calloc(1, sizeof(*e));
    if (!e || !(e->rs = calloc(rules->count ? rules->count : 1, sizeof(*e->rs)))) {
        free(e);
        return NULL;
    }
    e->rules = rules;
    e->past_ms = CORR_DEFAULT_SKEW_PAST_MS;
    e->future_ms = CORR_DEFAULT_SKEW_FUTURE_MS;
    e->fn = fn;
    e->arg = arg;
    for (size_t i = 0; i < rules->count; i++) {
        const struct corr_rule *r = &rules->rule[i];
        /* Enough entries to reach the threshold, and to list up to
         * CORR_RELATED_MAX events in a sequence rule's alert. */
        size_t cap = r->threshold > CORR_RELATED_MAX ? r->threshold : CORR_RELATED_MAX;
        e->rs[i].rule = r;
        snprintf(e->rs[i].subject, sizeof(e->rs[i].subject), "siem.alerts.%s", r->name);
        if (corr_groups_init(&e->rs[i].groups, max_groups ? max_groups : CORR_DEFAULT_MAX_GROUPS,
                             cap, r->window_ms)) {
            corr_engine_free(e);
            return NULL;
        }
    }
    return e;
}

void corr_engine_free(corr_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->rules->count; i++)
        corr_groups_free(&e->rs[i].groups);
    corr_known_free(&e->known);
    free(e->rs);
    free(e);
}

int corr_known_alert(corr_engine *e, const char *rule, const char *trigger_event_id)
{
    const struct corr_rule *r = corr_rules_find(e->rules, rule);
    /* An empty id would name every event that has none. */
    size_t len = strlen(trigger_event_id);
    if (!r || len == 0 || len >= CORR_EVENT_ID_LEN)
        return 0;
    return corr_known_add(&e->known, (size_t)(r - e->rules->rule), trigger_event_id) ? -1 : 1;
}

static int conds_hold(const struct corr_cond *c, size_t n, const cJSON *ev)
{
    for (size_t i = 0; i < n; i++) {
        int any = 0;
        for (size_t v = 0; v < c[i].nvalues && !any; v++)
            any = siem_field_equals(ev, c[i].field, c[i].values[v]);
        if (any != (c[i].op == CORR_EQ))
            return 0;
    }
    return 1;
}

void corr_engine_set_skew(corr_engine *e, int64_t past_ms, int64_t future_ms)
{
    e->past_ms = past_ms;
    e->future_ms = future_ms;
}

/* event.created (the normaliser's reception time) is the clock: it only
 * moves forward along the stream, unlike a sender's own @timestamp. But
 * whoever can publish on the bus can write any event.created, and one
 * dated in 2200 would hold its group suppressed until then: the stream's
 * own reception time bounds it. */
int corr_event_time(const cJSON *ev, int64_t received_ms, int64_t past_ms, int64_t future_ms,
                    int64_t *ms)
{
    const cJSON *t = siem_field(ev, "event.created");
    if (!cJSON_IsString(t) || siem_time_parse_ms(t->valuestring, ms) < 0) {
        t = siem_field(ev, "@timestamp");
        if (!cJSON_IsString(t) || siem_time_parse_ms(t->valuestring, ms) < 0)
            return -1;
    }
    if (received_ms == CORR_NO_TIME)
        return 0;
    if (*ms > received_ms + future_ms) {
        *ms = received_ms + future_ms;
        return 1;
    }
    if (*ms < received_ms - past_ms) {
        *ms = received_ms - past_ms;
        return 1;
    }
    return 0;
}

/* What every firing does to its group, emitted or repeated in replay. */
static void fired(const struct rule_state *rs, struct corr_group *g, int64_t now)
{
    g->n = 0;
    g->suppress_until = now + rs->rule->suppress_ms;
}

static int emit(corr_engine *e, struct rule_state *rs, struct corr_group *g, const char *key,
                int64_t now, const char *trigger_id)
{
    struct corr_firing f = {rs->rule, key, g->ent, g->n, now, trigger_id};
    char id[CORR_ALERT_ID_LEN];
    cJSON *doc = corr_alert_build(&f, id);
    char *json = doc ? cJSON_PrintUnformatted(doc) : NULL;
    /* The state moves on even if the alert could not be built: the caller
     * restarts on -1, and the replay then rebuilds it. */
    fired(rs, g, now);
    if (!json) {
        cJSON_Delete(doc);
        return -1;
    }
    struct corr_alert a = {rs->rule->name, rs->subject, id, doc, json};
    rs->st.alerts++;
    if (e->fn)
        e->fn(&a, e->arg);
    cJSON_free(json);
    cJSON_Delete(doc);
    return 1;
}

/* One rule on one event: 1 when it fired (or repeated a firing), 0 when
 * not, -1 when out of memory. */
static int feed_rule(corr_engine *e, size_t i, const cJSON *ev, int64_t now, const char *id,
                     int replay)
{
    struct rule_state *rs = &e->rs[i];
    const struct corr_rule *r = rs->rule;
    int counts = conds_hold(r->match, r->nmatch, ev);
    int triggers = r->ntrigger && conds_hold(r->trigger, r->ntrigger, ev);
    if (!counts && !triggers)
        return 0;
    rs->st.matched++;
    char key[CORR_VALUE_MAX + 1] = "";
    if (r->group[0] && siem_field_text(ev, r->group, key, sizeof(key)) < 0) {
        rs->st.ungrouped++;
        return 0;
    }
    struct corr_group *g;
    if (replay && corr_known_has(&e->known, i, id)) {
        if (!(g = corr_groups_get(&rs->groups, key, now, e->tick)))
            return -1;
        fired(rs, g, now);
        rs->st.replayed++;
        return 1;
    }
    if (triggers && (g = corr_groups_find(&rs->groups, key))) {
        g->touched = e->tick;
        corr_group_prune(&rs->groups, g, now);
        if (now >= g->suppress_until && g->n >= r->threshold && !replay)
            return emit(e, rs, g, key, now, id);
    }
    if (!counts)
        return 0;
    if (!(g = corr_groups_get(&rs->groups, key, now, e->tick)))
        return -1;
    corr_group_prune(&rs->groups, g, now);
    if (now < g->suppress_until) {
        rs->st.suppressed++;
        return 0;
    }
    corr_group_push(&rs->groups, g, now, id);
    rs->st.counted++;
    if (!r->ntrigger && g->n >= r->threshold && !replay)
        return emit(e, rs, g, key, now, id);
    return 0;
}

int corr_feed(corr_engine *e, const cJSON *event, int replay)
{
    return corr_feed_at(e, event, CORR_NO_TIME, replay);
}

int corr_feed_at(corr_engine *e, const cJSON *event, int64_t received_ms, int replay)
{
    int64_t now;
    int r = corr_event_time(event, received_ms, e->past_ms, e->future_ms, &now);
    if (r < 0) {
        e->untimed++;
        return 0;
    }
    e->clamped += (uint64_t)r;
    char id[CORR_EVENT_ID_LEN];
    if (siem_field_text(event, "event.id", id, sizeof(id)) < 0)
        id[0] = '\0';
    e->tick++;
    int n = 0, oom = 0;
    for (size_t i = 0; i < e->rules->count; i++) {
        int r = feed_rule(e, i, event, now, id, replay);
        if (r < 0)
            oom = 1;
        else
            n += r;
    }
    return oom ? -1 : n;
}

int64_t corr_replay_horizon_ms(const struct corr_rules *rules)
{
    int64_t h = 0;
    for (size_t i = 0; i < rules->count; i++) {
        int64_t w = rules->rule[i].window_ms + rules->rule[i].suppress_ms;
        if (w > h)
            h = w;
    }
    return h;
}

int corr_rule_stats(const corr_engine *e, size_t i, struct corr_rule_stats *out)
{
    if (i >= e->rules->count)
        return -1;
    *out = e->rs[i].st;
    out->evicted = e->rs[i].groups.evicted;
    out->groups = e->rs[i].groups.used;
    return 0;
}

uint64_t corr_engine_untimed(const corr_engine *e)
{
    return e->untimed;
}

uint64_t corr_engine_clamped(const corr_engine *e)
{
    return e->clamped;
}
