/* Recognition of sshd, sudo and su lines, and IP address validation
 * (apps/siem/normaliser/{recognise,ipaddr}.c). */
#include <check.h>

#include "helpers.h"
#include "recognise.h"

static struct siem_recognised r;

/* Recognises msg from app, with both copied to exact-size buffers. */
static int rec(const char *app, const char *msg)
{
    char *a = exact(app, strlen(app)), *m = exact(msg, strlen(msg));
    int ok = siem_recognise(a, strlen(app), m, strlen(msg), &r);
    free(a);
    free(m);
    return ok;
}

static void expect(const char *category, const char *type, const char *action, const char *outcome,
                   const char *user, const char *ip, int port)
{
    ck_assert_str_eq(r.category, category);
    ck_assert_str_eq(r.type, type);
    ck_assert_str_eq(r.action, action);
    ck_assert_str_eq(r.outcome, outcome);
    ck_assert_str_eq(r.user, user);
    ck_assert_str_eq(r.source_ip, ip);
    ck_assert_int_eq(r.source_port, port);
}

START_TEST(sshd_logins)
{
    ck_assert(rec("sshd", "Failed password for root from 203.0.113.9 port 52211 ssh2"));
    expect("authentication", "start", "ssh_login", "failure", "root", "203.0.113.9", 52211);
    ck_assert(
        rec("sshd", "Failed password for invalid user admin from 198.51.100.4 port 4242 ssh2"));
    expect("authentication", "start", "ssh_login", "failure", "admin", "198.51.100.4", 4242);
    ck_assert(rec("sshd", "Failed publickey for alice from 2001:db8::17 port 60000 ssh2: "
                          "ED25519 SHA256:abc"));
    expect("authentication", "start", "ssh_login", "failure", "alice", "2001:db8::17", 60000);
    ck_assert(rec("sshd", "Accepted password for bob from 192.0.2.10 port 1022 ssh2"));
    expect("authentication", "start", "ssh_login", "success", "bob", "192.0.2.10", 1022);
    ck_assert(rec("sshd-session", "Accepted publickey for bob from ::ffff:192.0.2.10 port 1022 "
                                  "ssh2: RSA SHA256:x from y"));
    expect("authentication", "start", "ssh_login", "success", "bob", "::ffff:192.0.2.10", 1022);
    ck_assert_str_eq(r.target_user, "");
}
END_TEST

START_TEST(sshd_invalid_and_disconnects)
{
    ck_assert(rec("sshd", "Invalid user oracle from 203.0.113.50 port 40000"));
    expect("authentication", "info", "ssh_invalid_user", "failure", "oracle", "203.0.113.50",
           40000);
    ck_assert(rec("sshd", "Invalid user foo bar from 203.0.113.50 port 40000"));
    ck_assert_str_eq(r.user, "foo bar");
    ck_assert(rec("sshd", "Invalid user  from 203.0.113.50 port 40000"));
    expect("authentication", "info", "ssh_invalid_user", "failure", "", "203.0.113.50", 40000);
    ck_assert(
        rec("sshd", "Disconnected from invalid user oracle 203.0.113.50 port 40000 [preauth]"));
    expect("session", "end", "ssh_disconnect", "unknown", "oracle", "203.0.113.50", 40000);
    ck_assert(
        rec("sshd", "Disconnected from authenticating user root 203.0.113.9 port 52211 [preauth]"));
    expect("session", "end", "ssh_disconnect", "unknown", "root", "203.0.113.9", 52211);
    ck_assert(rec("sshd", "Disconnected from user bob 192.0.2.10 port 1022"));
    expect("session", "end", "ssh_disconnect", "unknown", "bob", "192.0.2.10", 1022);
    ck_assert(rec("sshd", "Received disconnect from 203.0.113.9 port 52211:11: Bye Bye [preauth]"));
    expect("session", "end", "ssh_disconnect", "unknown", "", "203.0.113.9", 52211);
    ck_assert(
        rec("sshd", "Connection closed by authenticating user root 2001:db8::1 port 22 [preauth]"));
    expect("session", "end", "ssh_disconnect", "unknown", "root", "2001:db8::1", 22);
    ck_assert(rec("sshd", "Connection closed by 192.0.2.1 port 33333 [preauth]"));
    expect("session", "end", "ssh_disconnect", "unknown", "", "192.0.2.1", 33333);
}
END_TEST

START_TEST(sudo_lines)
{
    ck_assert(rec("sudo", "  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls"));
    expect("process", "start", "sudo_command", "success", "alice", "", -1);
    ck_assert_str_eq(r.target_user, "root");
    ck_assert(rec("sudo", "pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 "
                          "euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice"));
    expect("authentication", "start", "sudo_auth", "failure", "alice", "", -1);
    ck_assert(rec("sudo", "pam_unix(sudo:auth): authentication failure; logname= uid=1000 "
                          "euid=0 tty=/dev/pts/0 ruser= rhost=  user=carol"));
    ck_assert_str_eq(r.user, "carol");
    ck_assert(rec("sudo", "alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; "
                          "USER=root ; COMMAND=/usr/bin/id"));
    expect("authentication", "start", "sudo_auth", "failure", "alice", "", -1);
    ck_assert(rec("sudo", "mallory : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; "
                          "COMMAND=/bin/sh"));
    expect("process", "start", "sudo_command", "failure", "mallory", "", -1);
    ck_assert(!rec(
        "sudo", "pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)"));
    ck_assert_ptr_null(r.category);
    /* sudo 1.9's singular, a refusal, and a refusal whose COMMAND text
     * imitates a failed password: not an authentication failure. */
    ck_assert(rec("sudo", "bob : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/home/bob ; "
                          "USER=postgres ; TSID=00000A ; COMMAND=/usr/bin/psql"));
    expect("authentication", "start", "sudo_auth", "failure", "bob", "", -1);
    ck_assert_str_eq(r.target_user, "postgres");
    ck_assert(rec("sudo", "alice : command not allowed ; TTY=pts/0 ; PWD=/ ; USER=root ; "
                          "GROUP=wheel ; ENV=A=1 ; COMMAND=/bin/vi"));
    expect("process", "start", "sudo_command", "failure", "alice", "", -1);
    ck_assert_str_eq(r.target_user, "root");
    ck_assert(rec("sudo", "alice : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; "
                          "COMMAND=/bin/echo 3 incorrect password attempts ; TTY=x"));
    expect("process", "start", "sudo_command", "failure", "alice", "", -1);
}
END_TEST

/* sudo's fields come in a fixed order (TTY= [CHROOT=] PWD= USER= [GROUP=]
 * [TSID=] [ENV=] COMMAND=); the caller's text in PWD and COMMAND must not
 * choose user.target.name. */
START_TEST(sudo_fields)
{
    static const char *const lines[][2] = {
        /* sudo 1.9 as Debian 12 logs it, and with the optional fields */
        {"alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id", "root"},
        {"alice : TTY=pts/0 ; PWD=/srv ; USER=postgres ; GROUP=staff ; COMMAND=/bin/ls",
         "postgres"},
        {"alice : TTY=unknown ; CHROOT=/jail ; PWD=/ ; USER=www ; TSID=000001 ; ENV=A=1 ; "
         "COMMAND=/bin/true",
         "www"},
        {"alice : TTY=pts/0 ; USER=root ; COMMAND=/bin/ls", "root"},
        {"alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/h ; USER=bin ; COMMAND=/bin/ls",
         "bin"},
        /* the attack: text in PWD= that looks like fields */
        {"mallory : TTY=pts/1 ; PWD=/tmp/x ; USER=nobody ; y ; USER=root ; COMMAND=/bin/sh",
         "root"},
        {"mallory : TTY=pts/1 ; PWD=/tmp/x ; USER=nobody ; y ; USER=root ; COMMAND=/bin/sh ; "
         "USER=nobody ; z",
         "root"},
        /* ... and in COMMAND= */
        {"mallory : TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/echo ; USER=nobody ; x",
         "root"},
        {"mallory : TTY=pts/1 ; PWD=/a ; USER=x ; GROUP ; USER=root ; COMMAND=/bin/sh", "root"},
        {"mallory : TTY=pts/1 ; PWD=/tmp/USER=nobody ; USER=root ; COMMAND=/bin/sh", "root"},
        /* two complete readings (PWD ends before either USER=): left out */
        {"mallory : TTY=pts/1 ; PWD=/t ; USER=nobody ; COMMAND=x ; USER=root ; COMMAND=/bin/sh",
         ""},
        {"mallory : TTY=pts/1 ; PWD=/t ; USER=root ; COMMAND=/bin/echo ; USER=nobody ; COMMAND=y",
         ""},
        /* no complete field list */
        {"mallory : TTY=pts/1 ; PWD=/t ; USER=root", ""},
        {"mallory : TTY=pts/1 ; PWD=/t ; USER=ro ot ; COMMAND=/bin/sh", ""},
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        ck_assert_msg(rec("sudo", lines[i][0]), "not recognised: %s", lines[i][0]);
        ck_assert_msg(strcmp(r.target_user, lines[i][1]) == 0, "%s: target \"%s\", want \"%s\"",
                      lines[i][0], r.target_user, lines[i][1]);
        ck_assert_str_eq(r.user, i < 5 ? "alice" : "mallory");
    }
    /* a reason is read only before TTY=: COMMAND text does not make a failure */
    ck_assert(rec("sudo", "alice : user NOT in sudoers ; TTY=pts/0 ; PWD=/ ; USER=root ; "
                          "COMMAND=/bin/echo 3 incorrect password attempts"));
    expect("process", "start", "sudo_command", "failure", "alice", "", -1);
    ck_assert(rec("sudo", "alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/echo ; TTY=x"));
    expect("process", "start", "sudo_command", "success", "alice", "", -1);
}
END_TEST

START_TEST(su_lines)
{
    ck_assert(rec("su", "(to root) alice on pts/0"));
    expect("session", "start", "su", "success", "alice", "", -1);
    ck_assert_str_eq(r.target_user, "root");
    ck_assert(rec("su", "Successful su for root by alice"));
    expect("session", "start", "su", "success", "alice", "", -1);
    ck_assert_str_eq(r.target_user, "root");
    ck_assert(rec("su", "FAILED su for postgres by bob"));
    expect("authentication", "start", "su", "failure", "bob", "", -1);
    ck_assert_str_eq(r.target_user, "postgres");
    ck_assert(rec("su", "pam_unix(su:auth): authentication failure; logname=bob uid=1001 euid=0 "
                        "tty=/dev/pts/2 ruser=bob rhost=  user=root"));
    expect("authentication", "start", "su", "failure", "bob", "", -1);
    ck_assert_str_eq(r.target_user, "root");
}
END_TEST

/* rsyslog relays an RFC 3164 line with the space after "TAG:" in MSG. */
START_TEST(leading_space)
{
    ck_assert(rec("su", " FAILED su for root by u12"));
    expect("authentication", "start", "su", "failure", "u12", "", -1);
    ck_assert(rec("sshd", "  Failed password for root from 203.0.113.9 port 5 ssh2"));
    expect("authentication", "start", "ssh_login", "failure", "root", "203.0.113.9", 5);
    ck_assert(rec("sudo", "\talice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls"));
    ck_assert_str_eq(r.action, "sudo_command");
    ck_assert(!rec("sshd", "   "));
}
END_TEST

START_TEST(generic_lines)
{
    static const char *const lines[][2] = {
        {"sshd", "Server listening on 0.0.0.0 port 22."},
        {"sshd", "Failed password for root from 999.1.1.1 port 22 ssh2"},
        {"sshd", "Failed password for root from 10.0.0.1 port 0 ssh2"},
        {"sshd", "Failed password for root from 10.0.0.1 port 65536 ssh2"},
        {"sshd", "Failed password for root from 10.0.0.1"},
        {"sshd", "Accepted password for bob"},
        {"sshd", "Disconnected from weird bob 192.0.2.10 port 1022"},
        {"cron", "Failed password for root from 10.0.0.1 port 22 ssh2"},
        {"sudo", "just text"},
        {"su", "(to root"},
        {"su", "FAILED su for root by "},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        ck_assert_msg(!rec(lines[i][0], lines[i][1]), "recognised: %s", lines[i][1]);
        ck_assert_ptr_null(r.category);
        ck_assert_str_eq(r.user, "");
        ck_assert_str_eq(r.source_ip, "");
        ck_assert_int_eq(r.source_port, -1);
    }
    ck_assert(!siem_recognise(NULL, 0, NULL, 0, &r));
}
END_TEST

START_TEST(ip_addresses)
{
    static const char *const good[] = {"0.0.0.0",
                                       "192.0.2.255",
                                       "::",
                                       "::1",
                                       "fe80::",
                                       "2001:db8::1",
                                       "1:2:3:4:5:6:7:8",
                                       "::ffff:10.0.0.1",
                                       "1::2:3:4:5:6:7",
                                       "2001:DB8:0:0:8:800:200C:417A",
                                       "64:ff9b::192.0.2.33"};
    static const char *const bad[] = {"",
                                      "1.2.3",
                                      "1.2.3.4.5",
                                      "256.1.1.1",
                                      "01.2.3.4",
                                      "1.2.3.4 ",
                                      ":",
                                      ":1",
                                      "1:",
                                      "1::2::3",
                                      "1:2:3:4:5:6:7:8:9",
                                      "12345::",
                                      "g::1",
                                      "1:2:3:4:5:6:7",
                                      "::1.2.3",
                                      "1:2:3:4:5:6:7:1.2.3.4"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(siem_ip_valid(good[i], strlen(good[i])), "refused %s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(!siem_ip_valid(bad[i], strlen(bad[i])), "accepted %s", bad[i]);
}
END_TEST

Suite *recognise_suite(void)
{
    Suite *s = suite_create("siem-recognise");
    TCase *tc = tcase_create("recognise");
    tcase_add_test(tc, sshd_logins);
    tcase_add_test(tc, sshd_invalid_and_disconnects);
    tcase_add_test(tc, sudo_lines);
    tcase_add_test(tc, sudo_fields);
    tcase_add_test(tc, su_lines);
    tcase_add_test(tc, leading_space);
    tcase_add_test(tc, generic_lines);
    tcase_add_test(tc, ip_addresses);
    suite_add_tcase(s, tc);
    return s;
}
