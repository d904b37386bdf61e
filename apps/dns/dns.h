/* Internal interface of the authoritative DNS server: protocol constants,
 * limits, and the functions each file provides, grouped by file. */
#ifndef DNS_H
#define DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. Names: RFC 1035 section 2.3.4. Message sizes: RFC 1035 section
 * 4.2.1 (512 without EDNS), RFC 6891 section 6.2.5 (EDNS), 1232 is the
 * payload that avoids IP fragmentation on common paths (DNS flag day 2020). */
#define DNS_NAME_MAX 255       /* wire octets of a name, root label included */
#define DNS_LABEL_MAX 63       /* octets of one label */
#define DNS_LABELS_MAX 128     /* labels of a name, root included */
#define DNS_HEADER 12          /* RFC 1035 section 4.1.1 */
#define DNS_UDP_MIN 512        /* the UDP limit without EDNS */
#define DNS_EDNS_SIZE 1232     /* the UDP payload we advertise and send */
#define DNS_MSG_MAX 65535      /* a TCP message (RFC 1035 section 4.2.2) */
#define DNS_QUERY_MAX 2048     /* longest query accepted; real ones are < 300 */
#define DNS_CNAME_CHAIN 8      /* CNAMEs followed for one answer */
#define DNS_COMPRESS_MAX 128   /* name offsets remembered for compression */
#define DNS_TXT_MAX 255        /* one character-string (RFC 1035 section 3.3) */
#define DNS_TTL_MAX 2147483647 /* RFC 2181 section 8 */

enum dns_type {
    T_A = 1,
    T_NS = 2,
    T_CNAME = 5,
    T_SOA = 6,
    T_PTR = 12,
    T_HINFO = 13,
    T_MX = 15,
    T_TXT = 16,
    T_AAAA = 28,
    T_SRV = 33,
    T_OPT = 41,
    T_DS = 43,
    T_IXFR = 251,
    T_AXFR = 252,
    T_ANY = 255,
    T_CAA = 257,
};
enum dns_class { C_IN = 1, C_CH = 3, C_ANY = 255 };
enum dns_rcode {
    RC_NOERROR = 0,
    RC_FORMERR = 1,
    RC_SERVFAIL = 2,
    RC_NXDOMAIN = 3,
    RC_NOTIMP = 4,
    RC_REFUSED = 5,
    RC_BADVERS = 16, /* RFC 6891 section 9 */
};
/* Header flag bits (RFC 1035 section 4.1.1; AD and CD from RFC 4035). */
enum {
    F_QR = 0x8000,
    F_AA = 0x0400,
    F_TC = 0x0200,
    F_RD = 0x0100,
    F_RA = 0x0080,
    F_AD = 0x0020,
    F_CD = 0x0010,
};

/* A domain name in uncompressed wire form (length-prefixed labels ending
 * with the root label), case kept as it arrived. */
struct dname {
    uint8_t len;    /* octets in wire[], root label included */
    uint8_t labels; /* labels, root included */
    uint8_t wire[DNS_NAME_MAX];
};

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* name.c: names in wire form. Only ASCII letters fold (RFC 4343 section 3);
 * other octets compare as they are. */
static inline uint8_t dns_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}
int name_labels(const uint8_t *wire, uint8_t offsets[DNS_LABELS_MAX]);
size_t name_len(const uint8_t *wire);
bool name_equal(const uint8_t *a, const uint8_t *b);
bool name_is_below(const uint8_t *name, const uint8_t *ancestor);
int name_canonical_cmp(const uint8_t *a, const uint8_t *b);
void name_suffix_hashes(const uint8_t *wire, int n, const uint8_t *offsets, uint32_t *hashes);
uint32_t name_hash(const uint8_t *wire);
int name_from_text(const char *s, size_t n, const struct dname *origin, struct dname *out,
                   const char **why);
int name_to_text(const uint8_t *wire, char *out, size_t cap);
const char *type_name(uint16_t type);
int type_from_text(const char *s, size_t n);

/* zonelex.c: the tokenizer of RFC 1035 section 5.1 master files. */
enum tok_kind { TOK_WORD, TOK_QUOTED, TOK_EOL, TOK_EOF, TOK_ERROR };
struct token {
    enum tok_kind kind;
    const char *text; /* raw text, escapes not yet decoded; quotes removed */
    size_t len;
    unsigned line;
    bool at_line_start; /* a word in column 0: an owner name or $directive */
};
struct lexer {
    const char *p, *end;
    unsigned line;
    unsigned paren_line; /* where the open parenthesis was, 0 if none */
    bool line_start;     /* next character begins a physical line */
    char *err;           /* where TOK_ERROR's reason goes */
    size_t errlen;
};
void lex_init(struct lexer *lx, const char *text, size_t len, char *err, size_t errlen);
struct token lex_next(struct lexer *lx);
/* Decode the escape at s[*i] (a backslash): return the octet and leave *i on
 * its last character, or -1 with *why set. */
int escape_decode(const char *s, size_t n, size_t *i, const char **why);
int text_unescape(const char *s, size_t n, uint8_t *out, size_t cap, const char **why);

/* rdata.c: RDATA from presentation form to wire form, per type. */
struct rdata_ctx {
    struct lexer *lx;
    const struct dname *origin;
    char *err; /* the reason, without file:line */
    size_t errlen;
    unsigned line; /* line of the last token read */
};
int rdata_parse(struct rdata_ctx *c, uint16_t type, uint8_t *out, size_t cap);
int parse_ttl(const char *s, size_t n, uint32_t *out);

/* zone.c: a master file to a checked, sorted list of records. */
struct zrr {
    uint32_t owner; /* arena offset of the owner's wire name */
    uint32_t rdata; /* arena offset of the RDATA */
    uint16_t rdlen;
    uint16_t type;
    uint32_t ttl;
    uint32_t line;
};
struct zone {
    const char *file; /* name for messages: a path, module name or "builtin" */
    uint32_t apex;    /* arena offset of the apex name (the SOA owner) */
    struct zrr *rr;
    size_t nrr, caprr;
    uint8_t *arena;
    size_t used, cap;
};
int zone_parse(struct zone *z, const char *text, size_t len, const char *file, char *err,
               size_t errlen);
void zone_free(struct zone *z);
const uint8_t *zone_name(const struct zone *z, uint32_t off);
int zone_origin_from_file(const char *file, struct dname *out);

/* zonecheck.c: rules over the whole zone, after parsing. */
int zone_check(struct zone *z, char *why, size_t whylen, unsigned *line);

/* db.c: the index answers are built from, prepared once at load. */
#define DB_NONE UINT32_MAX
enum node_flag { N_APEX = 1, N_CUT = 2 };
struct rrset {
    uint16_t type;
    uint16_t count;
    uint32_t ttl;
    uint32_t first; /* index of the first RDATA in db->rdata */
};
struct rdref {
    uint32_t off; /* into db->arena */
    uint16_t len;
};
struct node {
    uint32_t name;    /* arena offset of the owner name (wire form) */
    uint32_t hash;    /* name_hash() of the name, case-folded */
    uint32_t next;    /* next node in the same hash bucket */
    uint32_t rrsets;  /* index of the first RRset in db->rrsets */
    uint16_t nrrsets; /* 0 for an empty non-terminal */
    uint16_t zone;
    uint32_t cut;  /* the delegation at or above this node, or DB_NONE */
    uint32_t wild; /* the node "*.<this name>", or DB_NONE */
    uint8_t flags;
};
struct dbzone {
    uint32_t apex; /* node index */
    uint32_t records;
    const char *file;
};
struct db {
    struct node *node;
    uint32_t nnodes;
    uint32_t *bucket; /* heads of hash chains, mask + 1 of them */
    uint32_t mask;
    struct rrset *rrset;
    uint32_t nrrsets;
    struct rdref *rdata;
    uint8_t *arena;
    struct dbzone *zone;
    uint16_t nzones;
    uint32_t records;
};
int db_build(struct db *db, struct zone *zones, int nzones, char *err, size_t errlen);
void db_free(struct db *db);
int db_find_zone(const struct db *db, const uint8_t *name, int nlabels, const uint8_t *offsets,
                 const uint32_t *hashes);
uint32_t db_lookup(const struct db *db, int zone, const uint8_t *name, uint32_t hash);
const struct rrset *db_rrset(const struct db *db, uint32_t node, uint16_t type);
static inline const uint8_t *db_name(const struct db *db, uint32_t node)
{
    return db->arena + db->node[node].name;
}

/* wire.c: parsing queries, writing responses (RFC 1035 section 4). */
struct query {
    uint16_t id, flags, opcode;
    struct dname qname;
    uint16_t qtype, qclass;
    size_t qend;       /* offset just past the question */
    bool edns;         /* an OPT record came (RFC 6891) */
    uint16_t udp_size; /* the requester's UDP payload size */
    uint8_t edns_version;
    bool edns_do; /* the DO bit (RFC 3225) */
};
enum parse_result { P_OK, P_DROP, P_FORMERR, P_NOTIMP };
int wire_read_name(const uint8_t *msg, size_t len, size_t *off, struct dname *out);
enum parse_result wire_parse_query(const uint8_t *msg, size_t len, struct query *q);
struct wbuf {
    uint8_t *p;
    size_t len;
    size_t cap;
    int ncomp;
    uint16_t comp[DNS_COMPRESS_MAX];    /* offsets of names already written */
    uint8_t comp_len[DNS_COMPRESS_MAX]; /* their lengths, uncompressed */
};
void wbuf_init(struct wbuf *w, uint8_t *buf, size_t cap);
int wire_put_name(struct wbuf *w, const uint8_t *name, bool compress);
int wire_put_rr(struct wbuf *w, const uint8_t *owner, uint16_t type, uint16_t class, uint32_t ttl,
                const uint8_t *rdata, uint16_t rdlen);
int wire_put_bytes(struct wbuf *w, const void *data, size_t n);

/* stats.c: counters, and their CHAOS TXT "stats.server." answer. */
enum stat_counter {
    S_QUERIES,
    S_UDP,
    S_TCP,
    S_MALFORMED,
    S_TRUNCATED,
    S_NOERROR,
    S_NXDOMAIN,
    S_REFUSED,
    S_FORMERR,
    S_NOTIMP,
    S_BADVERS,
    S_COUNTERS
};
struct stats {
    uint64_t c[S_COUNTERS];
    uint64_t qtype[16]; /* per query type; see stats.c for the slots */
};
void stats_query(struct stats *s, uint16_t qtype);
void stats_rcode(struct stats *s, int rcode);
int stats_txt(const struct stats *s, uint8_t *out, size_t cap);

/* answer.c: the authoritative answer to one question, into a response. */
enum section { SEC_AN, SEC_NS, SEC_AR };
#define ADDED_MAX 32 /* additional RRsets remembered to avoid repeats */
struct resp {
    struct wbuf w;
    const struct db *db;
    const struct query *q;
    int zone;
    size_t qend; /* the message length just after the question */
    int qcomp;   /* compression entries just after the question */
    uint16_t count[3];
    bool aa, tc;
    int rcode;
    const struct rrset *added[ADDED_MAX];
    int nadded;
    /* The question's labels and suffix hashes (name_suffix_hashes), found
     * once when its zone is looked up and reused for its first step. */
    int qlabels;
    uint8_t qoffs[DNS_LABELS_MAX];
    uint32_t qhash[DNS_LABELS_MAX];
};
void resp_truncate(struct resp *r);
int resp_add(struct resp *r, enum section sec, const uint8_t *owner, const struct rrset *s,
             uint32_t ttl, bool required);
void answer_authoritative(struct resp *r);

/* respond.c: one message in, one response out (0: send nothing). */
size_t dns_answer(const struct db *db, struct stats *st, const uint8_t *msg, size_t len,
                  uint8_t *out, size_t cap, bool tcp);

/* tcp.c: DNS over TCP clients for main.c's poll loop. */
#define TCP_CLIENTS 64    /* connections served at once */
#define TCP_IDLE_MS 10000 /* idle connections close (RFC 7766 section 6.2.3) */
struct pollfd;
void clients_init(void);
void clients_accept(int listen_fd);
int clients_fill(struct pollfd *fds, int *slot);
void clients_events(const struct pollfd *fds, const int *slot, int n, const struct db *db,
                    struct stats *st);
int clients_expire(void);

/* source_*.c: where zone texts come from on this build (files on the host,
 * boot modules on the unikernel). */
struct zone_src {
    const char *name;
    const char *text;
    size_t len;
};
int zone_sources(char **files, int nfiles, struct zone_src *out, int max, char *err, size_t errlen);
extern const char zone_sources_help[];

/* embed.c: the zone compiled into this build. */
extern const char dns_builtin_zone[];
extern const char dns_builtin_zone_end[];
extern const char dns_builtin_zone_name[];

#endif
