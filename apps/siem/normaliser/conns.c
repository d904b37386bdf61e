/* The table of open TCP and RELP connections (conns.h). A connection that
 * gives way is only flagged: its own thread notices within its read
 * timeout and closes it, since a socket must not be closed under a thread
 * that is reading it. */
#include "conns.h"

#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closed = PTHREAD_COND_INITIALIZER;
static struct conn *head;
static int total, closing, cap_total = 1, cap_source = 1;

void conns_init(int max_total, int max_per_source)
{
    cap_total = max_total;
    cap_source = max_per_source;
}

static int from(uint32_t addr)
{
    int n = 0;
    for (struct conn *c = head; c; c = c->next)
        n += c->addr == addr;
    return n;
}

/* The connection of addr quiet for longest. */
static struct conn *quietest(uint32_t addr)
{
    struct conn *best = NULL;
    for (struct conn *c = head; c; c = c->next)
        if (c->addr == addr && (!best || c->last_ns < best->last_ns))
            best = c;
    return best;
}

static void unlink_conn(struct conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    total--;
}

int conns_add(struct conn *c, long long now_ns)
{
    struct conn *victim = NULL;
    pthread_mutex_lock(&lock);
    if (from(c->addr) >= cap_source) {
        victim = quietest(c->addr);
    } else if (total >= cap_total) {
        /* The address holding the most gives way. */
        int most = 0;
        for (struct conn *o = head; o; o = o->next) {
            int n = from(o->addr);
            if (n > most) {
                most = n;
                victim = quietest(o->addr);
            }
        }
    }
    if (victim) {
        unlink_conn(victim);
        victim->evicted = 1;
        closing++;
    }
    c->last_ns = now_ns;
    c->evicted = 0;
    c->prev = NULL;
    c->next = head;
    if (head)
        head->prev = c;
    head = c;
    total++;
    pthread_mutex_unlock(&lock);
    return victim != NULL;
}

void conns_touch(struct conn *c, long long now_ns)
{
    c->last_ns = now_ns;
}

void conns_remove(struct conn *c)
{
    pthread_mutex_lock(&lock);
    if (c->evicted) {
        closing--;
        pthread_cond_broadcast(&closed);
    } else {
        unlink_conn(c);
    }
    pthread_mutex_unlock(&lock);
}

void conns_wait_closing(int max_closing)
{
    pthread_mutex_lock(&lock);
    while (closing >= max_closing)
        pthread_cond_wait(&closed, &lock);
    pthread_mutex_unlock(&lock);
}
