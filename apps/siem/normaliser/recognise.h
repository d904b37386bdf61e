/* Security-relevant lines recognised from their text by the decoder rule
 * base, giving the ECS fields of docs/siem.md ("Recognised messages"). */
#ifndef SIEM_RECOGNISE_H
#define SIEM_RECOGNISE_H

#include <stddef.h>

#include "decoders.h"
#include "ipaddr.h"

/* Longer user names are left out rather than cut: a cut name would be
 * another account. */
#define SIEM_USER_MAX 128

struct siem_recognised {
    const char *category;                /* "authentication", "process", "session"; NULL: generic */
    const char *type;                    /* "start", "end", "info" */
    const char *action;                  /* "ssh_login", "sudo_command", ... */
    const char *outcome;                 /* "success", "failure", "unknown" */
    char user[SIEM_USER_MAX + 1];        /* user.name; "" when unknown */
    char target_user[SIEM_USER_MAX + 1]; /* user.target.name (sudo USER=, su to) */
    char source_ip[SIEM_IP_MAX + 1];     /* source.ip; "" when unknown */
    int source_port;                     /* source.port; -1 when unknown */
    struct siem_decoded fields;          /* every field, those above included */
};

/* Looks at the line msg[0..msg_len) of program app[0..app_len) (the
 * APP-NAME or TAG) with the decoders of siem_decoders_active(). Returns 1 and fills out for a
 * recognised line; returns 0 with out->category NULL for any other line. Reads nothing beyond the
 * given lengths; out->fields may point into msg and into the rule base. */
int siem_recognise(const char *app, size_t app_len, const char *msg, size_t msg_len,
                   struct siem_recognised *out);

#endif
