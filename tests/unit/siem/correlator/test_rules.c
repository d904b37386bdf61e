/* The rule file parser (apps/siem/correlator/rules.c, rules_json.c). */
#include <check.h>
#include <string.h>

#include "field.h"
#include "fixture.h"
#include "rules.h"

START_TEST(default_rules_parse)
{
    struct corr_rules rules;
    load_default_rules(&rules);
    ck_assert_uint_eq(rules.count, 5);
    const struct corr_rule *r = corr_rules_find(&rules, "ssh_brute_force");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->threshold, 8);
    ck_assert_int_eq(r->window_ms, 120000);
    ck_assert_int_eq(r->suppress_ms, 60000);
    ck_assert_int_eq(r->severity, 73);
    ck_assert_str_eq(r->group, "source.ip");
    ck_assert_uint_eq(r->nmatch, 4);
    ck_assert_uint_eq(r->ntrigger, 0);
    ck_assert_str_eq(r->match[2].field, "event.action");
    ck_assert_uint_eq(r->match[2].nvalues, 5);
    ck_assert_str_eq(r->match[2].values[1], "ssh_invalid_user");
    ck_assert_str_eq(r->match[2].values[3], "ssh_max_auth_attempts");
    ck_assert_uint_eq(r->match[1].nvalues, 2); /* sshd and OpenSSH 9.8's sshd-session */
    ck_assert_ptr_nonnull(corr_rules_find(&rules, "pam_brute_force"));
    ck_assert_ptr_nonnull(corr_rules_find(&rules, "service_brute_force"));
    ck_assert_str_eq(r->description, "SSH brute force: 8 failed logins from one source in 120 s");
    r = corr_rules_find(&rules, "ssh_login_after_failures");
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->ntrigger, 3);
    ck_assert_int_eq(r->suppress_ms, 0);
    ck_assert_int_eq(r->window_ms, 300000);
    r = corr_rules_find(&rules, "sudo_auth_failures");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->group, "user.name");
    ck_assert_uint_eq(r->threshold, 3);
    ck_assert_ptr_null(corr_rules_find(&rules, "ssh"));
    corr_rules_free(&rules);
}
END_TEST

START_TEST(syntax_details)
{
    const char *text = "# leading comment\n"
                       "\n"
                       "rule r_1   # trailing comment\n"
                       "\tdescription \"quoted # not a comment, \\\"escaped\\\"\"\n"
                       "  match user.name!=root \"a b\"\n"
                       "  match log.syslog.appname=sshd\n"
                       "  match message = \"=\"\n"
                       "  severity 42\r\n"
                       "end\n"
                       "rule r2\n  match a = b\n  severity low\nend";
    struct corr_rules rules;
    char err[256] = "";
    ck_assert_msg(corr_rules_parse(text, "t", &rules, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(rules.count, 2);
    const struct corr_rule *r = &rules.rule[0];
    ck_assert_str_eq(r->name, "r_1");
    ck_assert_int_eq(r->line, 3);
    ck_assert_str_eq(r->description, "quoted # not a comment, \"escaped\"");
    ck_assert_int_eq(r->match[0].op, CORR_NE);
    ck_assert_str_eq(r->match[0].field, "user.name");
    ck_assert_uint_eq(r->match[0].nvalues, 2);
    ck_assert_str_eq(r->match[0].values[1], "a b");
    ck_assert_int_eq(r->match[1].op, CORR_EQ);
    ck_assert_str_eq(r->match[1].values[0], "sshd");
    ck_assert_str_eq(r->match[2].values[0], "=");
    ck_assert_int_eq(r->severity, 42);
    ck_assert_uint_eq(r->threshold, 1);
    ck_assert_str_eq(rules.rule[1].description, "r2"); /* the name by default */
    ck_assert_int_eq(rules.rule[1].severity, 21);
    corr_rules_free(&rules);
    ck_assert_uint_eq(rules.count, 0);
}
END_TEST

static const struct {
    const char *text, *err;
} bad[] = {
    {"rule a\n  match x = y\n  tresh 3\nend\n", "t:3: unknown keyword 'tresh'"},
    {"\nmatch a = b\n", "t:2: 'match' outside a rule (expected 'rule NAME')"},
    {"rule Bad-Name\n", "t:1: 'rule' needs a name of 1..48 characters a-z, 0-9 and _"},
    {"rule a\n match x = y\n severity low\nend\nrule a\n", "t:5: rule 'a' defined twice"},
    {"rule a\n match x = y\n window 5x\n",
     "t:3: bad duration '5x' (e.g. 500ms, 120s, 5m, 1h, 1d; at most 30d)"},
    {"rule a\n match x = y\n threshold 0\n", "t:3: bad threshold '0' (a number 1..1000)"},
    {"rule a\n match x = y\n threshold 1001\n", "t:3: bad threshold '1001' (a number 1..1000)"},
    {"rule a\n match x = y\n severity huge\n",
     "t:3: bad severity 'huge' (low, medium, high, critical or 1..100)"},
    {"rule a\n description \"open\n", "t:2: unterminated quoted string"},
    {"rule a\n description two words\n", "t:2: 'description' takes one value (quote it)"},
    {"rule a\n match x y\n", "t:2: 'match' needs FIELD = VALUE... or FIELD != VALUE..."},
    {"rule a\n match x =\n", "t:2: 'match' needs FIELD = VALUE... or FIELD != VALUE..."},
    {"rule a\n match .x = y\n", "t:2: bad field name '.x'"},
    {"rule a\n match x = y = z\n", "t:2: a second operator '=' (quote it to compare with it)"},
    {"rule a\n match x = y\n threshold 8\n severity high\nend\n",
     "t:5: rule 'a' needs a 'window' (threshold above 1 or a trigger)"},
    {"rule a\n match x = y\n trigger z = w\n severity high\nend\n",
     "t:5: rule 'a' needs a 'window' (threshold above 1 or a trigger)"},
    {"\n\nrule a\n match x = y\n", "t:3: rule 'a' has no 'end'"},
    {"rule a\n match x = y\nrule b\n", "t:3: 'rule' inside rule 'a' (missing 'end'?)"},
    {"end\n", "t:1: 'end' outside a rule"},
    {"rule a\n match x = y\n severity high\nend now\n", "t:4: 'end' takes no value"},
    {"rule a\n severity high\n severity low\n", "t:3: 'severity' given twice in rule 'a'"},
    {"rule a\n severity high\nend\n", "t:3: rule 'a' has no 'match' line"},
    {"rule a\n match x = y\nend\n", "t:3: rule 'a' has no 'severity'"},
    {"rule a\n group source..ip\n", "t:2: bad field name 'source..ip'"},
};

START_TEST(errors_name_the_line)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct corr_rules rules = {(struct corr_rule *)1, 99};
        char err[256] = "";
        ck_assert_int_eq(corr_rules_parse(bad[i].text, "t", &rules, err, sizeof(err)), -1);
        ck_assert_msg(strcmp(err, bad[i].err) == 0, "case %zu: got \"%s\", want \"%s\"", i, err,
                      bad[i].err);
        ck_assert_uint_eq(rules.count, 0);
        ck_assert_ptr_null(rules.rule);
    }
}
END_TEST

START_TEST(field_name_rule)
{
    /* "source..ip" is refused, but a field may not end with a dot either. */
    struct corr_rules rules;
    char err[256] = "";
    ck_assert_int_eq(corr_rules_parse("rule a\n group ip.\n", "t", &rules, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "t:2: bad field name 'ip.'");
    ck_assert_int_eq(corr_rules_parse("rule a\n match @timestamp = x\n severity 1\nend\n", "t",
                                      &rules, err, sizeof(err)),
                     0);
    corr_rules_free(&rules);
}
END_TEST

START_TEST(durations)
{
    static const struct {
        const char *text;
        int64_t ms;
    } good[] = {{"500ms", 500},   {"120s", 120000}, {"5m", 300000},       {"1h", 3600000},
                {"1d", 86400000}, {"0s", 0},        {"30d", 2592000000LL}};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        int64_t ms = -1;
        ck_assert_msg(corr_parse_duration(good[i].text, &ms) == 0, "%s", good[i].text);
        ck_assert_int_eq(ms, good[i].ms);
    }
    static const char *const wrong[] = {"",    "5",  "m",   "5x",           "-5s",
                                        "5 s", "5S", "31d", "2592000001ms", "99999999999999999999s",
                                        "1.5m"};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        int64_t ms = -1;
        ck_assert_msg(corr_parse_duration(wrong[i], &ms) == -1, "'%s' accepted", wrong[i]);
        ck_assert_int_eq(ms, -1);
    }
}
END_TEST

START_TEST(severities)
{
    ck_assert_int_eq(corr_parse_severity("low"), 21);
    ck_assert_int_eq(corr_parse_severity("medium"), 47);
    ck_assert_int_eq(corr_parse_severity("high"), 73);
    ck_assert_int_eq(corr_parse_severity("critical"), 99);
    ck_assert_int_eq(corr_parse_severity("1"), 1);
    ck_assert_int_eq(corr_parse_severity("100"), 100);
    ck_assert_int_eq(corr_parse_severity("0"), -1);
    ck_assert_int_eq(corr_parse_severity("101"), -1);
    ck_assert_int_eq(corr_parse_severity("+5"), -1);
    ck_assert_int_eq(corr_parse_severity("High"), -1);
}
END_TEST

START_TEST(rules_as_json)
{
    struct corr_rules rules;
    load_default_rules(&rules);
    cJSON *j = corr_rules_json(&rules);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(cJSON_GetArraySize(j), 5);
    const cJSON *r = cJSON_GetArrayItem(j, 0);
    char buf[128];
    ck_assert_int_gt(siem_field_text(r, "name", buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "ssh_brute_force");
    ck_assert_int_gt(siem_field_text(r, "subject", buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "siem.alerts.ssh_brute_force");
    ck_assert_int_gt(siem_field_text(r, "window_ms", buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "120000");
    ck_assert_int_gt(siem_field_text(r, "threshold", buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "8");
    ck_assert_int_eq(cJSON_GetArraySize(siem_field(r, "match")), 4);
    ck_assert_ptr_null(siem_field(r, "trigger"));
    ck_assert_int_eq(siem_field_equals(cJSON_GetArrayItem(siem_field(r, "match"), 2), "values",
                                       "ssh_invalid_user"),
                     1);
    r = cJSON_GetArrayItem(j, 2);
    ck_assert_int_eq(cJSON_GetArraySize(siem_field(r, "trigger")), 3);
    cJSON_Delete(j);
    corr_rules_free(&rules);
}
END_TEST

Suite *corr_rules_suite(void)
{
    Suite *s = suite_create("siem-corr-rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, default_rules_parse);
    tcase_add_test(tc, syntax_details);
    tcase_add_test(tc, errors_name_the_line);
    tcase_add_test(tc, field_name_rule);
    tcase_add_test(tc, durations);
    tcase_add_test(tc, severities);
    tcase_add_test(tc, rules_as_json);
    suite_add_tcase(s, tc);
    return s;
}
