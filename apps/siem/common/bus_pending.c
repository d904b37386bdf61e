/* The bus's pending requests: a hash table by request id (bus_pending.h). */
#include "bus_pending.h"

void pending_init(struct pending_set *s)
{
    for (size_t i = 0; i < PENDING_BUCKETS; i++)
        s->bucket[i] = NULL;
    s->count = 0;
    s->earliest = INT64_MAX;
    s->scans = 0;
}

static struct pending **bucket_of(struct pending_set *s, uint64_t id)
{
    return &s->bucket[id % PENDING_BUCKETS];
}

void pending_add(struct pending_set *s, struct pending *p)
{
    struct pending **head = bucket_of(s, p->id);
    p->next = *head;
    *head = p;
    s->count++;
    if (p->deadline_ns < s->earliest)
        s->earliest = p->deadline_ns;
}

struct pending *pending_take(struct pending_set *s, uint64_t id)
{
    for (struct pending **pp = bucket_of(s, id); *pp; pp = &(*pp)->next) {
        struct pending *p = *pp;
        if (p->id == id) {
            *pp = p->next;
            p->next = NULL;
            s->count--;
            return p;
        }
    }
    return NULL;
}

void pending_remove(struct pending_set *s, struct pending *p)
{
    for (struct pending **pp = bucket_of(s, p->id); *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            p->next = NULL;
            s->count--;
            return;
        }
    }
}

struct pending *pending_take_due(struct pending_set *s, int64_t now)
{
    struct pending *due = NULL;
    if (now < s->earliest)
        return NULL;
    /* The earliest left is found on the way: the next look is only when
     * it is due. */
    int64_t earliest = INT64_MAX;
    s->scans++;
    for (size_t i = 0; i < PENDING_BUCKETS; i++) {
        for (struct pending **pp = &s->bucket[i]; *pp;) {
            struct pending *p = *pp;
            if (p->deadline_ns <= now) {
                *pp = p->next;
                p->next = due;
                due = p;
                s->count--;
            } else {
                if (p->deadline_ns < earliest)
                    earliest = p->deadline_ns;
                pp = &p->next;
            }
        }
    }
    s->earliest = earliest;
    return due;
}
