/* Recognition of sshd, sudo and su lines by their fixed wording. Every
 * helper works on a bounded view: the text is not NUL-terminated. */
#include "recognise.h"

#include <string.h>

struct view {
    const char *p;
    size_t len;
};

static struct view sub(struct view v, size_t from, size_t to)
{
    struct view r = {v.p + from, to - from};
    return r;
}

/* Consumes lit at the start of *v if it is there. */
static int eat(struct view *v, const char *lit)
{
    size_t n = strlen(lit);
    if (v->len < n || memcmp(v->p, lit, n) != 0)
        return 0;
    v->p += n;
    v->len -= n;
    return 1;
}

static int starts(struct view v, const char *lit)
{
    return v.len >= strlen(lit) && memcmp(v.p, lit, strlen(lit)) == 0;
}

static int is(struct view v, const char *lit)
{
    return v.len == strlen(lit) && memcmp(v.p, lit, v.len) == 0;
}

/* The offset of the first (last) occurrence of lit in v, or -1. */
static long find(struct view v, const char *lit, int last)
{
    size_t n = strlen(lit);
    long at = -1;
    for (size_t i = 0; i + n <= v.len; i++)
        if (memcmp(v.p + i, lit, n) == 0) {
            at = (long)i;
            if (!last)
                break;
        }
    return at;
}

/* A user name as the programs print it: no control characters (which
 * would let a crafted name forge fields) and short enough to keep whole. */
static int set_name(char *dst, struct view v)
{
    if (v.len == 0 || v.len > SIEM_USER_MAX)
        return 0;
    for (size_t i = 0; i < v.len; i++)
        if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7f)
            return 0;
    memcpy(dst, v.p, v.len);
    dst[v.len] = '\0';
    return 1;
}

static int set_ip(struct siem_recognised *out, struct view v)
{
    if (!siem_ip_valid(v.p, v.len))
        return 0;
    memcpy(out->source_ip, v.p, v.len);
    out->source_ip[v.len] = '\0';
    return 1;
}

/* Port digits, ended by the end of the line, a space or a colon. */
static int set_port(struct siem_recognised *out, struct view v)
{
    size_t i = 0;
    long port = 0;
    while (i < v.len && i < 5 && v.p[i] >= '0' && v.p[i] <= '9')
        port = port * 10 + (v.p[i++] - '0');
    if (i == 0 || port < 1 || port > 65535 || (i < v.len && v.p[i] != ' ' && v.p[i] != ':'))
        return 0;
    out->source_port = (int)port;
    return 1;
}

/* "IP port N..." */
static int ip_port(struct siem_recognised *out, struct view v)
{
    long at = find(v, " port ", 0);
    return at > 0 && set_ip(out, sub(v, 0, (size_t)at)) &&
           set_port(out, sub(v, (size_t)at + 6, v.len));
}

/* "NAME from IP port N...". The name may contain spaces, even " from "
 * (sshd prints what the client sent), and so may the text after the port
 * (a key comment): the separator is the last " from " that is followed by
 * a valid address and port. */
static int name_from(struct siem_recognised *out, struct view v)
{
    long at = -1;
    for (size_t i = 0; i + 6 <= v.len; i++)
        if (memcmp(v.p + i, " from ", 6) == 0 && ip_port(out, sub(v, i + 6, v.len)))
            at = (long)i;
    if (at < 0 || !ip_port(out, sub(v, (size_t)at + 6, v.len)))
        return 0;
    set_name(out->user, sub(v, 0, (size_t)at)); /* the address is worth having anyway */
    return 1;
}

/* "[authenticating user |invalid user |user NAME ]IP port N...". */
static int user_then_address(struct siem_recognised *out, struct view v)
{
    long at = find(v, " port ", 1);
    if (at < 0)
        return 0;
    size_t ip = (size_t)at;
    while (ip > 0 && v.p[ip - 1] != ' ')
        ip--;
    if (!set_ip(out, sub(v, ip, (size_t)at)) || !set_port(out, sub(v, (size_t)at + 6, v.len)))
        return 0;
    if (ip == 0)
        return 1;
    struct view u = sub(v, 0, ip - 1);
    if (!eat(&u, "authenticating user ") && !eat(&u, "invalid user ") && !eat(&u, "user "))
        return 0;
    set_name(out->user, u);
    return 1;
}

static void set(struct siem_recognised *out, const char *category, const char *type,
                const char *action, const char *outcome)
{
    out->category = category;
    out->type = type;
    out->action = action;
    out->outcome = outcome;
}

static int sshd(struct siem_recognised *out, struct view m)
{
    struct view v = m;
    long sp;
    if (eat(&v, "Accepted ") || eat(&v, "Failed ")) {
        int ok = m.p[0] == 'A';
        /* The method: password, publickey, keyboard-interactive/pam, none. */
        if ((sp = find(v, " for ", 0)) < 0)
            return 0;
        v = sub(v, (size_t)sp + 5, v.len);
        eat(&v, "invalid user ");
        if (!name_from(out, v))
            return 0;
        set(out, "authentication", "start", "ssh_login", ok ? "success" : "failure");
        return 1;
    }
    if (eat(&v, "Invalid user ")) {
        /* An empty name leaves "Invalid user  from ...": name_from copes. */
        if (!name_from(out, v))
            return 0;
        set(out, "authentication", "info", "ssh_invalid_user", "failure");
        return 1;
    }
    if (eat(&v, "Received disconnect from ")) {
        if (!ip_port(out, v))
            return 0;
    } else if (eat(&v, "Disconnected from ") || eat(&v, "Connection closed by ")) {
        if (!user_then_address(out, v))
            return 0;
    } else {
        return 0;
    }
    set(out, "session", "end", "ssh_disconnect", "unknown");
    return 1;
}

/* The value of " key=" in a pam_unix line ("... ruser=alice rhost=  user=root"). */
static struct view pam_value(struct view v, const char *key)
{
    struct view r = {NULL, 0};
    long at = find(v, key, 0);
    if (at < 0)
        return r;
    size_t s = (size_t)at + strlen(key), e = s;
    while (e < v.len && v.p[e] != ' ')
        e++;
    return sub(v, s, e);
}

/* "pam_unix(SERVICE:auth): authentication failure; logname=... uid=...
 * euid=0 tty=... ruser=NAME rhost=...  user=NAME": the requesting user is
 * ruser (logname when that is empty); user is whom it wanted to become. */
static int pam_failure(struct siem_recognised *out, struct view v, const char *action, int target)
{
    struct view who = pam_value(v, " ruser="), as = pam_value(v, " user=");
    if (who.len == 0)
        who = pam_value(v, " logname=");
    if (who.len == 0 && !target)
        who = as;
    set_name(out->user, who);
    if (target)
        set_name(out->target_user, as);
    set(out, "authentication", "start", action, "failure");
    return 1;
}

/* Skips "KEY=value ; " at the start of *v when the value holds no " ; ". */
static int skip_field(struct view *v, const char *key)
{
    struct view t = *v;
    long e;
    if (!eat(&t, key) || (e = find(t, " ; ", 0)) < 0)
        return 0;
    *v = sub(t, (size_t)e + 3, t.len);
    return 1;
}

/* 1 when v is what sudo writes after "USER=NAME ; ": [GROUP= ; ][TSID= ; ]
 * [ENV=... ; ]COMMAND=... ENV= holds the caller's text, so it may hold
 * " ; " too: it must only start before last_cmd, the last " ; COMMAND=". */
static int sudo_tail(struct view v, const char *last_cmd)
{
    skip_field(&v, "GROUP=");
    skip_field(&v, "TSID=");
    if (eat(&v, "COMMAND="))
        return 1;
    return eat(&v, "ENV=") && last_cmd && v.p <= last_cmd;
}

/* The NAME of "USER=NAME ; " at the start of v when sudo's remaining
 * fields follow it, into name; 0 when v is not that. */
static int sudo_user(char *name, struct view v, const char *last_cmd)
{
    long e;
    if (!eat(&v, "USER=") || (e = find(v, " ; ", 0)) < 0 || find(sub(v, 0, (size_t)e), " ", 0) >= 0)
        return 0;
    return sudo_tail(sub(v, (size_t)e + 3, v.len), last_cmd) &&
           set_name(name, sub(v, 0, (size_t)e));
}

/* The target account in sudo's fields, v starting at "TTY=": sudo writes
 * TTY= [CHROOT=] [PWD=] USER= [GROUP=] [TSID=] [ENV=] COMMAND= in this
 * order. PWD and COMMAND are the caller's text and may hold " ; USER=x ;":
 * every " ; USER=NAME ; " after PWD= that sudo's remaining fields follow is
 * a candidate, and the target is taken only when all candidates agree
 * (text can be crafted in PWD and COMMAND so that two readings are
 * possible; then the target is left out rather than guessed). */
static void sudo_target(struct siem_recognised *out, struct view v)
{
    char name[SIEM_USER_MAX + 1], cand[SIEM_USER_MAX + 1];
    int found = 0;
    long at = find(v, " ; COMMAND=", 1);
    const char *last_cmd = at < 0 ? NULL : v.p + at;
    if (!skip_field(&v, "TTY="))
        return;
    skip_field(&v, "CHROOT=");
    if (!eat(&v, "PWD=")) {
        sudo_user(out->target_user, v, last_cmd);
        return;
    }
    for (size_t i = 0; i + 3 <= v.len; i++) {
        if (memcmp(v.p + i, " ; ", 3) != 0 || !sudo_user(cand, sub(v, i + 3, v.len), last_cmd))
            continue;
        if (found && strcmp(cand, name) != 0)
            return; /* two readings */
        memcpy(name, cand, sizeof(name));
        found = 1;
    }
    if (found)
        memcpy(out->target_user, name, sizeof(name));
}

/* "NAME : TTY=pts/0 ; PWD=/home/x ; USER=root ; COMMAND=/bin/ls", or with
 * a reason before TTY= when sudo refused ("user NOT in sudoers ; TTY=..."
 * or "3 incorrect password attempts ; TTY=..."). */
static int sudo(struct siem_recognised *out, struct view m)
{
    struct view v = m;
    if (eat(&v, "pam_unix(sudo:auth): authentication failure;"))
        return pam_failure(out, v, "sudo_auth", 0);
    long sep = find(v, " : ", 0);
    if (sep <= 0)
        return 0;
    struct view rest = sub(v, (size_t)sep + 3, v.len);
    /* TTY= opens the fields, or follows sudo's reason and " ; ". */
    long tty = starts(rest, "TTY=") ? 0 : find(rest, " ; TTY=", 0);
    if (tty < 0 || !set_name(out->user, sub(v, 0, (size_t)sep)))
        return 0;
    struct view reason = sub(rest, 0, (size_t)tty);
    sudo_target(out, sub(rest, tty ? (size_t)tty + 3 : 0, rest.len));
    if (tty == 0)
        set(out, "process", "start", "sudo_command", "success");
    else if (find(reason, "incorrect password attempt", 0) >= 0)
        set(out, "authentication", "start", "sudo_auth", "failure");
    else
        set(out, "process", "start", "sudo_command", "failure");
    return 1;
}

/* "(to root) NAME on pts/0", "Successful su for root by NAME",
 * "FAILED su for root by NAME", and pam_unix's authentication failure. */
static int su(struct siem_recognised *out, struct view m)
{
    struct view v = m;
    long at;
    if (eat(&v, "pam_unix(su:auth): authentication failure;") ||
        eat(&v, "pam_unix(su-l:auth): authentication failure;"))
        return pam_failure(out, v, "su", 1);
    if (eat(&v, "(to ")) {
        long close = find(v, ") ", 0);
        if (close <= 0 || !set_name(out->target_user, sub(v, 0, (size_t)close)))
            return 0;
        v = sub(v, (size_t)close + 2, v.len);
        at = find(v, " on ", 1);
        if (!set_name(out->user, sub(v, 0, at < 0 ? v.len : (size_t)at)))
            return 0;
        set(out, "session", "start", "su", "success");
        return 1;
    }
    int ok = eat(&v, "Successful su for ");
    if (!ok && !eat(&v, "FAILED su for "))
        return 0;
    if ((at = find(v, " by ", 1)) <= 0 || !set_name(out->target_user, sub(v, 0, (size_t)at)) ||
        !set_name(out->user, sub(v, (size_t)at + 4, v.len)))
        return 0;
    if (ok)
        set(out, "session", "start", "su", "success");
    else
        set(out, "authentication", "start", "su", "failure");
    return 1;
}

static void clear(struct siem_recognised *out)
{
    memset(out, 0, sizeof(*out));
    out->source_port = -1;
}

int siem_recognise(const char *app, size_t app_len, const char *msg, size_t msg_len,
                   struct siem_recognised *out)
{
    struct view a = {app, app_len}, m = {msg, msg_len};
    int r = 0;
    clear(out);
    /* rsyslog relays a line it received as RFC 3164 with the space that
     * followed "TAG:" still at the start of MSG. */
    while (msg && m.len > 0 && (m.p[0] == ' ' || m.p[0] == '\t'))
        m = sub(m, 1, m.len);
    if (app && msg) {
        /* OpenSSH 9.8 logs from the per-connection "sshd-session". */
        if (is(a, "sshd") || is(a, "sshd-session"))
            r = sshd(out, m);
        else if (is(a, "sudo"))
            r = sudo(out, m);
        else if (is(a, "su"))
            r = su(out, m);
    }
    if (!r) /* a half-matched line must not leave fields behind */
        clear(out);
    return r;
}
