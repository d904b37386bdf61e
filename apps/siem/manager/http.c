/* The manager's HTTP server (http.h). Every request is answered on MHD's
 * last handler call for it: a response queued on the first call (headers
 * only) makes MHD close the connection after it, with no keep-alive. */
#include "http.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assets.h"
#include "params.h"

/* Scripts, styles and images only from the image itself; no framing, no
 * forms posting elsewhere, no plugins. */
#define CSP                                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

struct mgr_http_stats mgr_http_stats;
static const char *token, *read_token;

/* One request's state between MHD's calls. */
struct req {
    size_t body;     /* bytes received */
    int params_over; /* more parameters than MGR_PARAMS_MAX */
    struct mgr_param p[MGR_PARAMS_MAX + 1];
    size_t n;
};

static enum MHD_Result send_reply(struct MHD_Connection *c, unsigned status, const char *type,
                                  const void *data, size_t len, enum MHD_ResponseMemoryMode mode,
                                  const char *hname, const char *hvalue)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (hname)
        MHD_add_response_header(r, hname, hvalue);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    if (status < 300)
        mgr_http_stats.status_2xx++;
    else if (status < 500)
        mgr_http_stats.status_4xx++;
    else
        mgr_http_stats.status_5xx++;
    return ret;
}

/* Sends r (and frees its body). */
static enum MHD_Result send_api(struct MHD_Connection *c, struct mgr_reply *r, const char *hname,
                                const char *hvalue)
{
    if (!r->body)
        mgr_api_error(r, 500, "out of memory");
    if (!r->body)
        return MHD_NO;
    enum MHD_Result ret = send_reply(c, r->status, "application/json", r->body, r->len,
                                     MHD_RESPMEM_MUST_FREE, hname, hvalue);
    if (ret == MHD_NO)
        free(r->body);
    r->body = NULL;
    return ret;
}

static enum MHD_Result error(struct MHD_Connection *c, unsigned status, const char *msg,
                             const char *hname, const char *hvalue)
{
    struct mgr_reply r = {0};
    mgr_api_error(&r, status, "%s", msg);
    return send_api(c, &r, hname, hvalue);
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    struct req *q = cls;
    if (q->n == MGR_PARAMS_MAX) {
        q->params_over = 1;
        return MHD_NO;
    }
    q->p[q->n].key = key;
    q->p[q->n].value = value ? value : "";
    q->n++;
    return MHD_YES;
}

/* DNS rebinding: a page from elsewhere whose name now points at us would
 * read the API as same-origin. Browsers send the name they resolved, so
 * only IP literals and localhost are accepted as Host. */
static int host_ok(const char *host)
{
    if (!host || host[0] == '[')
        return 1;
    size_t n = strcspn(host, ":");
    if (n == 9 && strncmp(host, "localhost", 9) == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!(host[i] == '.' || (host[i] >= '0' && host[i] <= '9')))
            return 0;
    return n > 0;
}

/* POST /api/alerts/ID/ack: the alert id, or NULL when url is not that. */
static const char *ack_target(const char *url, char id[40])
{
    static const char pre[] = "/api/alerts/", post[] = "/ack";
    size_t ul = strlen(url), pl = sizeof(pre) - 1, sl = sizeof(post) - 1;
    if (ul <= pl + sl || ul - pl - sl >= 40 || strncmp(url, pre, pl) != 0 ||
        strcmp(url + ul - sl, post) != 0)
        return NULL;
    memcpy(id, url + pl, ul - pl - sl);
    id[ul - pl - sl] = '\0';
    return id;
}

static enum MHD_Result write_request(struct MHD_Connection *c, const char *id)
{
    if (!token[0])
        return error(c, 403, "writes are disabled: the manager was started without token=", NULL,
                     NULL);
    const char *got =
        mgr_bearer(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
    if (!got || !mgr_token_equal(token, got)) {
        mgr_http_stats.unauthorized++;
        return error(c, 401,
                     got ? "wrong token" : "this needs the token: Authorization: Bearer TOKEN",
                     MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"siem\"");
    }
    if (!mgr_alert_id_ok(id))
        return error(c, 400, "an alert id is 32 lowercase hex digits", NULL, NULL);
    struct mgr_reply r = {0};
    mgr_api_ack(id, &r);
    return send_api(c, &r, NULL, NULL);
}

/* The API's reads carry the read token or the write token: 0 when this
 * one does, else the status of the refusal (401, 403) with its reason. */
static unsigned read_refused(struct MHD_Connection *c, const char **why)
{
    if (!token[0] && !read_token[0]) {
        *why = "reads are disabled: the manager was started without read_token= or token=";
        return 403;
    }
    const char *got =
        mgr_bearer(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
    /* Both compared, so the time taken does not say which one matched. */
    if (got && (mgr_token_equal(read_token, got) | mgr_token_equal(token, got)))
        return 0;
    mgr_http_stats.unauthorized++;
    *why = got ? "wrong token"
               : "this needs the read token: Authorization: Bearer TOKEN (tools/siem up prints "
                 "it as read-token)";
    return 401;
}

static enum MHD_Result route(struct MHD_Connection *c, struct req *q, const char *url,
                             const char *method)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int post = strcmp(method, "POST") == 0;
    char id[40];
    if (!host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return error(c, 403, "Host must be an IP address or localhost", NULL, NULL);
    if (q->body > MGR_BODY_MAX)
        return error(c, 413, "the request body is larger than 4096 bytes", NULL, NULL);
    if (ack_target(url, id))
        return post ? write_request(c, id) : error(c, 405, "use POST", "Allow", "POST");

    const struct mgr_asset *a = mgr_asset(url);
    int api = strncmp(url, "/api/", 5) == 0;
    if (!a && !api)
        return error(c, 404, "not found", NULL, NULL);
    if (!get)
        return error(c, 405, "use GET", "Allow", "GET, HEAD");
    if (a)
        return send_reply(c, 200, a->type, a->data, a->len, MHD_RESPMEM_PERSISTENT, NULL, NULL);

    const char *why;
    unsigned refused = read_refused(c, &why);
    if (refused)
        return error(c, refused, why, refused == 401 ? MHD_HTTP_HEADER_WWW_AUTHENTICATE : NULL,
                     "Bearer realm=\"siem\"");
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, q);
    if (q->params_over)
        return error(c, 400, "too many parameters", NULL, NULL);
    struct mgr_reply r = {0};
    int plain = strcmp(url, "/api/modules") == 0 || strcmp(url, "/api/rules") == 0;
    if (plain && q->n)
        mgr_api_error(&r, 400, "%s takes no parameters", url);
    else if (strcmp(url, "/api/events") == 0)
        mgr_api_events(q->p, q->n, &r);
    else if (strcmp(url, "/api/alerts") == 0)
        mgr_api_alerts(q->p, q->n, &r);
    else if (strcmp(url, "/api/stats") == 0)
        mgr_api_stats_(q->p, q->n, &r);
    else if (strcmp(url, "/api/modules") == 0)
        mgr_api_modules(&r);
    else if (strcmp(url, "/api/rules") == 0)
        mgr_api_rules(&r);
    else
        mgr_api_error(&r, 404,
                      "no endpoint %.64s (see /api/: events, alerts, stats, modules, "
                      "rules)",
                      url);
    return send_api(c, &r, NULL, NULL);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)version, (void)upload_data;
    struct req *q = *con_cls;
    if (!q) {
        if (!(q = calloc(1, sizeof(*q))))
            return MHD_NO;
        *con_cls = q;
        return MHD_YES;
    }
    if (*upload_data_size) { /* bodies are not used: count and drop */
        q->body += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }
    mgr_http_stats.requests++;
    return route(c, q, url, method);
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    free(*con_cls);
    *con_cls = NULL;
}

int mgr_http_start(unsigned port, const char *tok, const char *read_tok)
{
    token = tok;
    read_token = read_tok;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
            MHD_USE_ERROR_LOG,
        (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)MGR_CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MGR_CONNECTIONS_MAX,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_THREAD_STACK_SIZE,
        (size_t)131072, MHD_OPTION_END);
    return d ? 0 : -1;
}
