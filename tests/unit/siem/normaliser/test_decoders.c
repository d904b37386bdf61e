/* The decoder engine (apps/siem/normaliser/decoder_*.c): patterns, the
 * program index, field checks, the loader's errors, optional parts and
 * TYPE! captures, the shapes issue 18 lists through the shipped rule
 * base, and the fields in whole events. */
#include <check.h>
#include <stdio.h>

#include "decoders.h"
#include "field.h"
#include "helpers.h"
#include "normalise.h"

static struct siem_decoded d;
static char err[512];

static struct siem_decoders *load(const char *text)
{
    return siem_decoders_load(text, strlen(text), "t.rules", err, sizeof(err));
}

/* Decodes msg from app, both in exact-size buffers. */
static int dec(const struct siem_decoders *b, const char *app, const char *msg)
{
    char *a = exact(app, strlen(app)), *m = exact(msg, strlen(msg));
    int r = siem_decode(b, a, strlen(app), m, strlen(msg), &d);
    /* The values point into m: copy what the checks below read. */
    static char vals[SIEM_DECODED_MAX][256];
    for (int i = 0; i < d.n; i++) {
        snprintf(vals[i], sizeof(vals[i]), "%.*s", (int)d.f[i].len, d.f[i].p);
        d.f[i].p = vals[i];
    }
    free(a);
    free(m);
    return r;
}

static const char *get(const char *name)
{
    size_t n;
    const char *v = siem_decoded_get(&d, name, &n);
    return v ? v : "(none)";
}

#define BASE_HEAD                                                                                  \
    "decoder t\n  program p\n  set event.category=c event.type=t event.action=a event.outcome=o\n"

START_TEST(placeholders)
{
    struct siem_decoders *b = load(
        BASE_HEAD "  pattern \"x %user.name:text% at %source.ip:ip%:%source.port:port% "
                  "%%%n:number%%% %-:word%!%-:rest%\"\n"
                  "  set event.reason=%n%\n"
                  "  example p \"x a b at ::1:22 %5% w! tail\"\n"
                  "  expect \"user.name=a b\" source.ip=::1 source.port=22 event.reason=5\nend\n");
    ck_assert_msg(b != NULL, "%s", err);
    ck_assert(dec(b, "p", "x a at b at 10.0.0.1:80 %7% zz!"));
    ck_assert_str_eq(get("user.name"), "a at b");
    ck_assert_str_eq(get("source.ip"), "10.0.0.1");
    ck_assert_str_eq(get("source.port"), "80");
    ck_assert_str_eq(get("event.reason"), "7");
    ck_assert_str_eq(d.decoder, "t");
    ck_assert(!dec(b, "p", "x a at 10.0.0.1:0 %7% zz!"));     /* port 0 */
    ck_assert(!dec(b, "p", "x a at 10.0.0.1:65536 %7% zz!")); /* port too big */
    ck_assert(!dec(b, "p", "x a at 10.0.0.256:80 %7% zz!"));  /* not an address */
    ck_assert(!dec(b, "p", "x  at 10.0.0.1:80 %7% zz!"));     /* text is not empty */
    ck_assert(!dec(b, "q", "x a at 10.0.0.1:80 %7% zz!"));    /* another program */
    ck_assert(!dec(b, "p", "x a at 10.0.0.1:80 %7% z z!"));   /* word has no space */
    ck_assert_int_eq(d.n, 0);
    ck_assert_ptr_null(d.decoder);
    siem_decoders_free(b);
}
END_TEST

/* Programs: exact names, "*" and "*SUFFIX", in file order; a message's
 * leading blanks and Solaris "[ID n fac.level] " are not part of it. */
START_TEST(programs_and_prefixes)
{
    struct siem_decoders *b = load(
        "decoder a\n  program one\n  pattern \"hi %user.name:word%\"\n"
        "  set event.category=c event.type=t event.action=exact event.outcome=o\n"
        "  example one \"hi x\"\n  expect user.name=x\nend\n"
        "decoder b\n  program *\n  pattern \"hi %user.name:word%\"\n"
        "  set event.category=c event.type=t event.action=any event.outcome=o\n"
        "  example two \"hi y\"\n  expect user.name=y\n  nomatch one \"hi x\"\nend\n"
        "decoder c\n  program *(pam_unix)\n  pattern \"ho %user.name:word%\"\n"
        "  set event.category=c event.type=t event.action=suffix event.outcome=o\n"
        "  example x(pam_unix) \"ho z\"\n  expect user.name=z\n  nomatch x(pam) \"ho z\"\nend\n");
    ck_assert_msg(b != NULL, "%s", err);
    int ex;
    ck_assert_int_eq(siem_decoders_count(b, &ex), 3);
    ck_assert_int_eq(ex, 3);
    ck_assert(dec(b, "one", "  hi u"));
    ck_assert_str_eq(get("event.action"), "exact");
    ck_assert(dec(b, "other", "[ID 800047 auth.notice] hi u"));
    ck_assert_str_eq(get("event.action"), "any");
    ck_assert(dec(b, "su(pam_unix)", "ho u"));
    ck_assert_str_eq(get("event.action"), "suffix");
    ck_assert(!dec(b, "pam_unix)", "ho u"));
    ck_assert(!dec(b, "one", "[ID x auth.notice] hi u"));
    siem_decoders_free(b);
}
END_TEST

/* A value a field cannot take is left out, the line still read: control
 * characters, names over 128 bytes, a host name in source.ip. */
START_TEST(field_values)
{
    struct siem_decoders *b = load(
        BASE_HEAD "  pattern \"u=%user.name:word?% h=%h:word%\"\n"
                  "  set source.ip=%h% source.address=%h%\n"
                  "  example p \"u=a h=b.example\"\n  expect user.name=a source.address=b.example\n"
                  "end\n");
    ck_assert_msg(b != NULL, "%s", err);
    ck_assert(dec(b, "p", "u=a\x01 h=10.1.2.3"));
    ck_assert_str_eq(get("user.name"), "(none)");
    ck_assert_str_eq(get("source.ip"), "10.1.2.3");
    char line[300] = "u=";
    memset(line + 2, 'n', 129);
    strcpy(line + 131, " h=x");
    ck_assert(dec(b, "p", line));
    ck_assert_str_eq(get("user.name"), "(none)");
    ck_assert_str_eq(get("source.ip"), "(none)");
    ck_assert_str_eq(get("source.address"), "x");
    siem_decoders_free(b);
}
END_TEST

START_TEST(load_errors)
{
    static const char *const bad[][2] = {
        {"decoder t\n  program p\n  pattern \"%a:word\"\nend\n", "t.rules:3: a placeholder is"},
        {"decoder t\n  program p\n  pattern \"%a:ip?%\"\nend\n", "t.rules:3: only word? and text?"},
        {"decoder t\n  program p\n  pattern \"%-:rest% x\"\nend\n", "t.rules:3: %rest% must end"},
        {"decoder T\nend\n", "t.rules:1: decoder takes a name"},
        {"decoder t\n  program p\n", "t.rules:1: decoder without end"},
        {"  program p\n", "t.rules:1: expected 'decoder NAME'"},
        {"decoder t\n  pattern \"x\n", "t.rules:2: a quoted string is not closed"},
        {BASE_HEAD "  pattern \"x\"\nend\n", "t.rules:1: decoder has no example line"},
        {BASE_HEAD "  pattern \"x %a:word%\"\n  set user.name=%b%\n",
         "t.rules:5: no such capture in the pattern"},
        {BASE_HEAD "  pattern \"x\"\n  set event.kind=y\n", "t.rules:5: the normaliser sets"},
        {BASE_HEAD "  pattern \"x\"\n  set user.name=a user.name=b\n",
         "t.rules:5: this field is set twice"},
        {BASE_HEAD "  pattern \"x\"\n  example p \"y\"\nend\n",
         "t.rules:5: example: no decoder reads it"},
        {"decoder t\n  program p\n  pattern \"x\"\n  set event.category=c\n  example p "
         "\"x\"\nend\n",
         "t.rules:1: decoder does not set event.category"},
        {"", "t.rules:1: no decoder in the file"},
        {"decoder t\n  program p\n  pattern \"a %[b\"\nend\n", "t.rules:3: %[ without %]"},
        {"decoder t\n  program p\n  pattern \"a %]b\"\nend\n", "t.rules:3: %] without %["},
        {"decoder t\n  program p\n  pattern \"a %[%]b\"\nend\n", "t.rules:3: an empty optional"},
        {"decoder t\n  program p\n  pattern \"a %-:word!%\"\nend\n",
         "t.rules:3: a discarded placeholder cannot be TYPE!"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct siem_decoders *b = load(bad[i][0]);
        ck_assert_msg(b == NULL, "loaded: %s", bad[i][0]);
        ck_assert_msg(strncmp(err, bad[i][1], strlen(bad[i][1])) == 0, "%s: got '%s'", bad[i][0],
                      err);
    }
}
END_TEST

/* A line built to make a pattern backtrack long is given up, not run. */
START_TEST(backtracking_bounded)
{
    struct siem_decoders *b =
        load(BASE_HEAD "  pattern \"%a:text% %b:text% %c:text% end\"\n"
                       "  set user.name=%a% event.reason=%b% source.address=%c%\n"
                       "  example p \"x y z end\"\n  expect user.name=x event.reason=y "
                       "source.address=z\nend\n");
    ck_assert_msg(b != NULL, "%s", err);
    char line[8192];
    for (size_t i = 0; i + 1 < sizeof(line); i++)
        line[i] = i % 2 ? ' ' : 'a';
    line[sizeof(line) - 1] = '\0';
    ck_assert(!dec(b, "p", line));
    siem_decoders_free(b);
}
END_TEST

/* %[ ... %] may be there or not (there is tried first); a TYPE! capture
 * is kept only when every reading of the line gives it the same text. */
START_TEST(optional_and_unique)
{
    struct siem_decoders *b =
        load("decoder opt\n  program p\n  pattern \"k %[g=%-:word% ; %]u=%user.name:word% ; "
             "%[e=%-:text% ; %]c=%event.reason:rest%\"\n"
             "  set event.category=c event.type=t event.action=opt event.outcome=o\n"
             "  example p \"k u=bob ; c=ls\"\n  expect user.name=bob event.reason=ls\nend\n"
             "decoder uniq\n  program q\n  pattern \"%event.reason:text% u=%user.name:word!% ; "
             "c=%-:rest%\"\n"
             "  set event.category=c event.type=t event.action=uniq event.outcome=o\n"
             "  example q \"x u=bob ; c=ls\"\n  expect user.name=bob event.reason=x\nend\n");
    ck_assert_msg(b != NULL, "%s", err);
    ck_assert(dec(b, "p", "k g=staff ; u=bob ; c=ls"));
    ck_assert_str_eq(get("user.name"), "bob");
    ck_assert(dec(b, "p", "k u=bob ; e=A=1 ; B=2 ; c=ls -l"));
    ck_assert_str_eq(get("user.name"), "bob");
    ck_assert_str_eq(get("event.reason"), "ls -l");
    ck_assert(dec(b, "p", "k g=staff ; u=bob ; e=A=1 ; c=ls"));
    ck_assert_str_eq(get("event.reason"), "ls");
    ck_assert(!dec(b, "p", "k g=staff ; e=A=1 ; c=ls")); /* u= is not optional */
    ck_assert(!dec(b, "p", "k u=bob ; g=staff ; c=ls")); /* nor the order */
    /* One reading, or several that agree: kept. */
    ck_assert(dec(b, "q", "x u=bob ; c=ls u=bob ; c=y"));
    ck_assert_str_eq(get("user.name"), "bob");
    /* Two readings that differ: user.name is left out, the line still
     * read; a capture without ! keeps the first (longest) reading. */
    ck_assert(dec(b, "q", "x u=bob ; c=ls u=eve ; c=y"));
    ck_assert_str_eq(d.decoder, "uniq");
    ck_assert_str_eq(get("user.name"), "(none)");
    ck_assert_str_eq(get("event.reason"), "x u=bob ; c=ls");
    /* A search the step budget cuts short may have missed a reading. */
    char line[8192];
    memset(line, ' ', sizeof(line));
    line[0] = 'x';
    memcpy(line + sizeof(line) - 16, " u=bob ; c=x", 13);
    ck_assert(dec(b, "q", line));
    ck_assert_str_eq(get("user.name"), "(none)");
    siem_decoders_free(b);
}
END_TEST

/* The shapes issue 18 lists, through the shipped rule base. */
START_TEST(shipped_shapes)
{
    const struct siem_decoders *b = siem_decoders_builtin();
    ck_assert_ptr_nonnull(b);
    static const char *const lines[][4] = {
        /* program, message, user.name, source.ip */
        {"sshd", "Invalid user admin from 192.0.2.1", "admin", "192.0.2.1"},
        {"sshd", "Failed password for illegal user test from 192.0.2.2 port 22 ssh2", "test",
         "192.0.2.2"},
        {"sshd", "User root from 192.0.2.3 not allowed because not listed in AllowUsers", "root",
         "192.0.2.3"},
        {"sshd", "User root from 192.0.2.3 not allowed because listed in DenyUsers", "root",
         "192.0.2.3"},
        {"sshd",
         "error: maximum authentication attempts exceeded for x from 192.0.2.4 port 5 ssh2 "
         "[preauth]",
         "x", "192.0.2.4"},
        {"sshd", "error: PAM: authentication error for y from 192.0.2.5", "y", "192.0.2.5"},
        {"sshd", "error: PAM: unknown user for illegal user z from 192.0.2.6", "z", "192.0.2.6"},
        {"sshd", "Disconnecting invalid user w 192.0.2.7 port 9: Change of username", "w",
         "192.0.2.7"},
        {"sshd", "Postponed keyboard-interactive for invalid user v from 192.0.2.8 port 1 ssh2",
         "v", "192.0.2.8"},
        {"sshd", "[ID 800047 auth.notice] Failed password for root from 192.0.2.9 port 2 ssh2",
         "root", "192.0.2.9"},
        {"sshd(pam_unix)",
         "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
         "rhost=192.0.2.10  user=root",
         "root", "192.0.2.10"},
        {"sshd(pam_unix)",
         "3 more authentication failures; logname= uid=0 euid=0 tty=NODEVssh "
         "ruser= rhost=192.0.2.11  user=root",
         "root", "192.0.2.11"},
        {"su(pam_unix)",
         "authentication failure; logname=al uid=500 euid=0 tty= ruser=al rhost=  "
         "user=root",
         "al", "(none)"},
        {"su", "BAD SU al to root on /dev/ttyp0", "al", "(none)"},
        {"su", "al to root on /dev/ttyp0", "al", "(none)"},
        {"su", "failed: ttyq4 changing from al to root", "al", "(none)"},
        {"sshd", "Did not receive identification string from 192.0.2.12", "(none)", "192.0.2.12"},
        {"sshd", "Bad protocol version identification 'x' from 192.0.2.13 port 4", "(none)",
         "192.0.2.13"},
        {"sshd",
         "Unable to negotiate with 192.0.2.14 port 5: no matching cipher found. Their "
         "offer: x",
         "(none)", "192.0.2.14"},
        {"sshd", "Connection reset by authenticating user u 192.0.2.15 port 6 [preauth]", "u",
         "192.0.2.15"},
        {"sshd",
         "Address 192.0.2.16 maps to a.example, but this does not map back to the "
         "address - POSSIBLE BREAK-IN ATTEMPT!",
         "(none)", "192.0.2.16"},
        {"login",
         "pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 "
         "tty=tty1 ruser= rhost=  user=bob",
         "bob", "(none)"},
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        ck_assert_msg(dec(b, lines[i][0], lines[i][1]), "not read: %s", lines[i][1]);
        ck_assert_msg(strcmp(get("user.name"), lines[i][2]) == 0, "%s: user.name %s", lines[i][1],
                      get("user.name"));
        ck_assert_msg(strcmp(get("source.ip"), lines[i][3]) == 0, "%s: source.ip %s", lines[i][1],
                      get("source.ip"));
    }
}
END_TEST

/* Decoded fields in the event: text, numbers, nested names. */
START_TEST(event_fields)
{
    struct siem_reception r = {"udp", "192.0.2.7", 514, 1796097586LL * 1000000000LL, 0};
    const char *rec = "<38>Dec  1 03:59:40 h sshd[9]: User root from 192.0.2.5 not allowed because "
                      "listed in DenyUsers";
    char *b = exact(rec, strlen(rec));
    struct siem_normalised out;
    ck_assert_int_eq(siem_normalise(&r, b, strlen(rec), &out), 0);
    free(b);
    cJSON *doc = cJSON_Parse(out.json);
    ck_assert_ptr_nonnull(doc);
    ck_assert(siem_field_equals(doc, "event.action", "ssh_user_denied"));
    ck_assert(siem_field_equals(doc, "event.reason", "listed in DenyUsers"));
    ck_assert(siem_field_equals(doc, "user.name", "root"));
    ck_assert(siem_field_equals(doc, "process.pid", "9"));
    ck_assert(cJSON_IsNumber(siem_field(doc, "process.pid")));
    ck_assert_str_eq(out.subject, "siem.events.authentication");
    cJSON_Delete(doc);
    siem_normalised_free(&out);
}
END_TEST

Suite *decoders_suite(void)
{
    Suite *s = suite_create("siem-decoders");
    TCase *tc = tcase_create("decoders");
    tcase_add_test(tc, placeholders);
    tcase_add_test(tc, programs_and_prefixes);
    tcase_add_test(tc, field_values);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, backtracking_bounded);
    tcase_add_test(tc, optional_and_unique);
    tcase_add_test(tc, shipped_shapes);
    tcase_add_test(tc, event_fields);
    suite_add_tcase(s, tc);
    return s;
}
