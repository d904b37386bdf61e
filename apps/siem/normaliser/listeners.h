/* The normaliser's syslog listeners: UDP datagrams, TCP streams (RFC 6587)
 * and RELP sessions, each connection in a thread of its own. */
#ifndef NORMALISER_LISTENERS_H
#define NORMALISER_LISTENERS_H

#include <stddef.h>

struct listen_config {
    int udp_port, tcp_port, relp_port; /* 0: that listener is off */
    size_t max_line;
    double source_rate, source_burst;    /* per-source quota (quota.h); rate 0: off */
    int max_conns, max_conns_per_source; /* TCP and RELP together (conns.h) */
    long long idle_s;                    /* close a connection quiet this long; 0: never */
};

/* Opens every listener and starts its thread; -1 (after a message naming
 * the port) when one cannot be opened. */
int listeners_start(const struct listen_config *cfg);

#endif
