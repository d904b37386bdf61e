/* The typed argument table (args.c) and the counter table (counters.c). */
#include <check.h>
#include <string.h>

#include "args.h"
#include "cJSON.h"
#include "counters.h"

static struct module_arg table[] = {
    ARG_NUM("batch", "256", 1, 4096, "messages per fetch"),
    ARG_SIZE("max-line", "8192", 256, 65536, "longest record"),
    ARG_DURATION("min-age", "7d", 0, 3650LL * 86400000, "young records"),
    ARG_ONOFF("chain", "on", "the chain"),
    ARG_CHOICE("rules", "builtin", "builtin|module", "where the rules are"),
    ARG_STRING("nats", "10.0.2.2:4222", "NATS server"),
    ARG_END,
};

/* Sets key to value and checks it; the error text in err. */
static int check_value(const char *key, const char *value, char *err, size_t size)
{
    struct module_arg *a = module_arg_find(table, key);
    ck_assert_ptr_nonnull(a);
    a->value = value;
    return module_arg_check(a, err, size);
}

static long long value_of(const char *key, const char *value)
{
    char err[200] = "";
    ck_assert_msg(check_value(key, value, err, sizeof(err)) == 0, "%s=%s: %s", key, value, err);
    return module_arg_value(table, key);
}

static void rejected(const char *key, const char *value, const char *want)
{
    char err[200] = "";
    ck_assert_int_eq(check_value(key, value, err, sizeof(err)), -1);
    ck_assert_str_eq(err, want);
}

START_TEST(find_by_word)
{
    ck_assert_ptr_eq(module_arg_find(table, "batch=7"), &table[0]);
    ck_assert_ptr_eq(module_arg_find(table, "chain"), &table[3]);
    ck_assert_ptr_null(module_arg_find(table, "batc=7"));
    ck_assert_ptr_null(module_arg_find(table, "batchx=7"));
    ck_assert_str_eq(module_arg(table, "nats"), "10.0.2.2:4222");
    ck_assert_str_eq(module_arg(table, "none"), "");
}
END_TEST

START_TEST(numbers_in_range)
{
    ck_assert_int_eq(value_of("batch", "1"), 1);
    ck_assert_int_eq(value_of("batch", "4096"), 4096);
    rejected("batch", "0", "batch=0: expected a number from 1 to 4096");
    rejected("batch", "4097", "batch=4097: expected a number from 1 to 4096");
    rejected("batch", "", "batch=: expected a number from 1 to 4096");
    rejected("batch", "12x", "batch=12x: expected a number from 1 to 4096");
    rejected("batch", "-1", "batch=-1: expected a number from 1 to 4096");
    rejected("batch", "99999999999999999999",
             "batch=99999999999999999999: expected a number "
             "from 1 to 4096");
}
END_TEST

START_TEST(sizes_with_units)
{
    ck_assert_int_eq(value_of("max-line", "8192"), 8192);
    ck_assert_int_eq(value_of("max-line", "4K"), 4096);
    ck_assert_int_eq(value_of("max-line", "64K"), 65536);
    rejected("max-line", "1M",
             "max-line=1M: expected a size from 256 to 65536 bytes (K, M or G: "
             "x1024)");
    rejected("max-line", "4KB",
             "max-line=4KB: expected a size from 256 to 65536 bytes (K, M or G: "
             "x1024)");
    rejected("max-line", "9999999999G",
             "max-line=9999999999G: expected a size from 256 to 65536 "
             "bytes (K, M or G: x1024)");
}
END_TEST

START_TEST(durations_in_ms)
{
    ck_assert_int_eq(value_of("min-age", "0"), 0);
    ck_assert_int_eq(value_of("min-age", "30s"), 30000);
    ck_assert_int_eq(value_of("min-age", "90m"), 90 * 60000);
    ck_assert_int_eq(value_of("min-age", "12h"), 12 * 3600000LL);
    ck_assert_int_eq(value_of("min-age", "3650d"), 3650 * 86400000LL);
    rejected("min-age", "3651d",
             "min-age=3651d: expected 0 or a number and a unit s, m, h or d, "
             "from 0 to 3650d");
    rejected("min-age", "7",
             "min-age=7: expected 0 or a number and a unit s, m, h or d, "
             "from 0 to 3650d");
    rejected("min-age", "7y",
             "min-age=7y: expected 0 or a number and a unit s, m, h or d, "
             "from 0 to 3650d");
    rejected("min-age", "0d1",
             "min-age=0d1: expected 0 or a number and a unit s, m, h or d, "
             "from 0 to 3650d");
}
END_TEST

START_TEST(on_off_and_choices)
{
    ck_assert_int_eq(value_of("chain", "on"), 1);
    ck_assert_int_eq(value_of("chain", "off"), 0);
    rejected("chain", "yes", "chain=yes: expected on or off");
    value_of("rules", "module");
    value_of("rules", "builtin");
    rejected("rules", "modul", "rules=modul: expected builtin or module");
    rejected("rules", "builtin|module", "rules=builtin|module: expected builtin or module");
    value_of("nats", "anything at all");
}
END_TEST

static unsigned long events = 7;
static unsigned segments = 3;
static int broken = 1;
static int snapshots;

static double answer(void)
{
    return 42;
}

static void snapshot(void)
{
    snapshots++;
    events++;
}

static void more(cJSON *o)
{
    cJSON_AddStringToObject(o, "tag", "ab");
}

START_TEST(counters_in_table_order)
{
    static const struct module_counter list[] = {
        COUNTER("events", events),
        COUNTER("segments", segments),
        COUNTER("broken", broken),
        COUNTER_FN("answer", answer),
        COUNTER_END,
    };
    const struct module_counters c = {snapshot, list, more};
    cJSON *o = cJSON_CreateObject();
    module_counters_json(&c, o);
    char *text = cJSON_PrintUnformatted(o);
    /* The snapshot runs before the values are read. */
    ck_assert_str_eq(text,
                     "{\"events\":8,\"segments\":3,\"broken\":1,\"answer\":42,\"tag\":\"ab\"}");
    ck_assert_int_eq(snapshots, 1);
    cJSON_free(text);
    cJSON_Delete(o);
}
END_TEST

Suite *args_suite(void);
Suite *args_suite(void)
{
    Suite *s = suite_create("siem-common-args");
    TCase *tc = tcase_create("args");
    tcase_add_test(tc, find_by_word);
    tcase_add_test(tc, numbers_in_range);
    tcase_add_test(tc, sizes_with_units);
    tcase_add_test(tc, durations_in_ms);
    tcase_add_test(tc, on_off_and_choices);
    tcase_add_test(tc, counters_in_table_order);
    suite_add_tcase(s, tc);
    return s;
}
