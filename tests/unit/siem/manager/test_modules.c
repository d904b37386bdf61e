/* The module table behind /api/modules (apps/siem/manager/modules.c):
 * heartbeats and the supervisor's status merged, staleness. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "modules.h"

#define T0 1767225600000LL

static const cJSON *module(const cJSON *doc, const char *name)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(doc, "modules"))
    {
        if (strcmp(cJSON_GetObjectItem(m, "name")->valuestring, name) == 0)
            return m;
    }
    return NULL;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

#define BEAT(m) "{\"module\":\"" m "\",\"version\":\"0.1.0\",\"uptime_s\":5,\"counters\":{\"x\":1}}"

START_TEST(merge)
{
    struct mgr_modules t;
    mgr_modules_init(&t);
    ck_assert_int_eq(mgr_modules_heartbeat(&t, BEAT("store"), strlen(BEAT("store")), T0), 0);
    ck_assert_int_eq(mgr_modules_heartbeat(&t, BEAT("normaliser"), strlen(BEAT("normaliser")), T0),
                     0);
    ck_assert_int_eq(mgr_modules_heartbeat(&t, "[1]", 3, T0), -1);
    ck_assert_int_eq(mgr_modules_heartbeat(&t, "{\"module\":\"../x\"}", 17, T0), -1);
    const char *sup = "{\"time\":\"t\",\"supervisor_pid\":7,\"modules\":[{\"name\":\"correlator\","
                      "\"state\":\"crash-looping\",\"restarts\":4,\"last_exit\":\"panic\","
                      "\"last_exit_status\":120},{\"name\":\"store\",\"state\":\"running\","
                      "\"restarts\":0}]}";
    ck_assert_int_eq(mgr_modules_supervisor(&t, sup, strlen(sup), T0 + 1000), 0);

    cJSON *doc = mgr_modules_json(&t, T0 + 2000);
    /* Pipeline order, whoever reported them. */
    const cJSON *arr = cJSON_GetObjectItem(doc, "modules");
    ck_assert_int_eq(cJSON_GetArraySize(arr), 3);
    ck_assert_str_eq(str(cJSON_GetArrayItem(arr, 0), "name"), "normaliser");
    ck_assert_str_eq(str(cJSON_GetArrayItem(arr, 1), "name"), "correlator");
    const cJSON *c = module(doc, "correlator");
    ck_assert_str_eq(str(c, "state"), "crash-looping");
    ck_assert_str_eq(str(c, "last_exit"), "panic");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(c, "version")));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(c, "alive")));
    const cJSON *n = module(doc, "normaliser");
    ck_assert_str_eq(str(n, "state"), "running");
    ck_assert_str_eq(str(n, "state_from"), "heartbeat");
    ck_assert_str_eq(str(module(doc, "store"), "state_from"), "supervisor");
    ck_assert_str_eq(str(module(doc, "store"), "version"), "0.1.0");
    cJSON_Delete(doc);

    /* 20 s later: heartbeats and the status are stale. */
    doc = mgr_modules_json(&t, T0 + 20000);
    ck_assert_str_eq(str(module(doc, "store"), "state"), "silent");
    ck_assert_ptr_null(module(doc, "correlator"));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "supervisor"), "fresh")));
    cJSON_Delete(doc);
    mgr_modules_free(&t);
}
END_TEST

Suite *mgr_modules_suite(void)
{
    Suite *s = suite_create("siem-manager-modules");
    TCase *tc = tcase_create("modules");
    tcase_add_test(tc, merge);
    suite_add_tcase(s, tc);
    return s;
}
