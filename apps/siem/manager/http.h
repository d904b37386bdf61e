/* The manager's HTTP/1.1 server (libmicrohttpd, a thread per connection):
 * routing, the token checks for reads and writes, the embedded page, and the
 * security headers every response carries. */
#ifndef SIEM_MGR_HTTP_H
#define SIEM_MGR_HTTP_H

#define MGR_CONNECTIONS_MAX 64      /* open connections; more are refused */
#define MGR_CONNECTION_TIMEOUT_S 15 /* an idle or slow connection is closed */
#define MGR_BODY_MAX 4096           /* request body bytes accepted */

/* Counters for the heartbeat. */
struct mgr_http_stats {
    unsigned long requests, status_2xx, status_4xx, status_5xx, unauthorized;
};
extern struct mgr_http_stats mgr_http_stats;

/* Starts serving on port; token ("" for none: writes are refused) guards
 * every request that changes state, and the API's reads take it or
 * read_token ("" for none; with neither, reads are refused). The page's
 * own files need none. Returns 0, or -1. */
int mgr_http_start(unsigned port, const char *token, const char *read_token);

#endif
