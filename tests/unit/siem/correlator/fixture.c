/* Helpers shared by the correlator's test suites. */
#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siemtime.h"

cJSON *ev_make(int64_t ms, const char *id, const char *action, const char *outcome, const char *ip,
               const char *user)
{
    static unsigned long next_id = 1;
    char idbuf[CORR_ALERT_ID_LEN], t[SIEM_TIME_LEN];
    if (!id) {
        snprintf(idbuf, sizeof(idbuf), "%016lx%016lx", 0xe0e0UL, next_id++);
        id = idbuf;
    }
    siem_time_format_ms(ms, t);
    cJSON *ev = cJSON_CreateObject(), *o;
    cJSON_AddStringToObject(ev, "@timestamp", t);
    cJSON_AddItemToObject(ev, "event", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "created", t);
    cJSON_AddStringToObject(o, "kind", "event");
    cJSON_AddStringToObject(o, "action", action);
    cJSON_AddStringToObject(o, "outcome", outcome);
    int ssh = strncmp(action, "ssh", 3) == 0, sudo = strncmp(action, "sudo", 4) == 0;
    if (ssh || sudo)
        cJSON_AddStringToObject(o, "category", "authentication");
    cJSON_AddItemToObject(ev, "process", o = cJSON_CreateObject());
    cJSON_AddStringToObject(o, "name", ssh ? "sshd" : sudo ? "sudo" : "cron");
    if (ip) {
        cJSON_AddItemToObject(ev, "source", o = cJSON_CreateObject());
        cJSON_AddStringToObject(o, "ip", ip);
    }
    if (user) {
        cJSON_AddItemToObject(ev, "user", o = cJSON_CreateObject());
        cJSON_AddStringToObject(o, "name", user);
    }
    ck_assert_ptr_nonnull(ev);
    return ev;
}

void load_default_rules(struct corr_rules *rules)
{
    FILE *f = fopen("apps/siem/correlator/default.rules", "r");
    ck_assert_msg(f != NULL, "cannot open apps/siem/correlator/default.rules");
    static char text[65536];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char err[256] = "";
    ck_assert_msg(corr_rules_parse(text, "default.rules", rules, err, sizeof(err)) == 0, "%s", err);
}

void rec_alert_fn(const struct corr_alert *alert, void *arg)
{
    struct recorder *r = arg;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->a = realloc(r->a, r->cap * sizeof(*r->a));
        ck_assert_ptr_nonnull(r->a);
    }
    struct rec_alert *a = &r->a[r->n++];
    snprintf(a->rule, sizeof(a->rule), "%s", alert->rule);
    snprintf(a->subject, sizeof(a->subject), "%s", alert->subject);
    snprintf(a->id, sizeof(a->id), "%s", alert->id);
    a->json = strdup(alert->json);
    a->at = r->at;
    ck_assert_ptr_nonnull(a->json);
}

void rec_free(struct recorder *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->a[i].json);
    free(r->a);
    memset(r, 0, sizeof(*r));
}

int feed_free(corr_engine *e, cJSON *ev)
{
    int rc = corr_feed(e, ev, 0);
    cJSON_Delete(ev);
    return rc;
}
