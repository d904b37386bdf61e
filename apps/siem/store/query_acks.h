/* The "acks" of an alerts query (query.h): the newest acks in the log,
 * collected before the scan, and the "acknowledged" member each alert of
 * the reply gets from them. */
#ifndef SIEM_STORE_QUERY_ACKS_H
#define SIEM_STORE_QUERY_ACKS_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "query.h"

struct store_ack {
    uint8_t key[16]; /* the acknowledged alert's id, keyed (store_id_key) */
    char time[40];   /* the ack's @timestamp */
};

struct store_acks {
    struct store_ack *ack;
    size_t n;
};

/* Collects the newest STORE_QUERY_ACKS_MAX acks through rd (rec: a
 * buffer of max bytes), newest first, the newest per alert; stops early,
 * with what it has, when env's time is past deadline. 0 or -ENOMEM. */
int store_acks_collect(struct store_reader *rd, const struct store_query_env *env, int64_t deadline,
                       char *rec, size_t max, struct store_acks *acks);
void store_acks_free(struct store_acks *acks);

/* The member for the alert with index entry r: ,"acknowledged":"TIME" or
 * ,"acknowledged":null into buf (room for STORE_ACKS_MEMBER_MAX). Returns
 * its length. */
#define STORE_ACKS_MEMBER_MAX 64
size_t store_acks_member(const struct store_acks *acks, const struct store_rec *r, char *buf);

/* Where the member goes in the record text rec (n bytes): before its
 * closing brace; *comma says whether a comma must lead (the object is
 * not empty). -1 when rec does not end an object. */
long store_acks_splice_at(const char *rec, size_t n, int *comma);

#endif
