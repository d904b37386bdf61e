/* Recognition of security-relevant lines: sudo's by its fixed wording
 * in C, every other program's by the decoder rule base (decoders.h). Every
 * helper works on a bounded view: the text is not NUL-terminated. */
#include "recognise.h"

#include <string.h>

#include "decoders.h"

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

static void set(struct siem_recognised *out, const char *category, const char *type,
                const char *action, const char *outcome)
{
    out->category = category;
    out->type = type;
    out->action = action;
    out->outcome = outcome;
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

static void clear(struct siem_recognised *out)
{
    memset(out, 0, sizeof(*out));
    out->source_port = -1;
}

/* The struct's fields from a decoder's: event.* are constants of the
 * rule base (NUL-terminated there), the rest are copied. */
static int from_decoded(struct siem_recognised *out)
{
    const struct siem_decoded *d = &out->fields;
    const char **kind[] = {&out->category, &out->type, &out->action, &out->outcome};
    static const char *const names[] = {"event.category", "event.type", "event.action",
                                        "event.outcome"};
    size_t n;
    for (int i = 0; i < 4; i++)
        if (!(*kind[i] = siem_decoded_get(d, names[i], &n)))
            return 0;
    struct view v = {siem_decoded_get(d, "user.name", &n), n};
    if (v.p)
        set_name(out->user, v);
    if ((v.p = siem_decoded_get(d, "user.target.name", &v.len)) != NULL)
        set_name(out->target_user, v);
    if ((v.p = siem_decoded_get(d, "source.ip", &v.len)) != NULL && v.len <= SIEM_IP_MAX) {
        memcpy(out->source_ip, v.p, v.len);
        out->source_ip[v.len] = '\0';
    }
    if ((v.p = siem_decoded_get(d, "source.port", &v.len)) != NULL) {
        out->source_port = 0;
        for (size_t i = 0; i < v.len; i++)
            out->source_port = out->source_port * 10 + (v.p[i] - '0');
    }
    return 1;
}

/* The fields list of a line sudo's recogniser read. */
static void to_decoded(struct siem_recognised *out)
{
    struct siem_decoded *d = &out->fields;
    const char *const names[] = {"event.category", "event.type", "event.action",
                                 "event.outcome",  "user.name",  "user.target.name"};
    const char *const values[] = {out->category, out->type, out->action,
                                  out->outcome,  out->user, out->target_user};
    d->decoder = "sudo";
    d->n = 0;
    for (int i = 0; i < 6; i++)
        if (values[i][0])
            d->f[d->n++] = (struct siem_decoded_field){names[i], values[i], strlen(values[i])};
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
    if (app && msg && is(a, "sudo") && (r = sudo(out, m)) != 0)
        to_decoded(out);
    if (!r && app && msg) {
        clear(out);
        r = siem_decode(siem_decoders_active(), app, app_len, msg, msg_len, &out->fields) &&
            from_decoded(out);
    }
    if (!r) /* a half-matched line must not leave fields behind */
        clear(out);
    return r;
}
