/* The event store's append-only log on a raw disk: format, recovery after
 * a crash, batched appends made durable by a commit, retention by
 * reclaiming the oldest segment, and an in-memory index of every live
 * record (docs/siem.md, "Event store disk format").
 *
 * Error contract. Functions returning int return 0 (or a count where
 * said) on success and a negative errno on failure:
 *   EINVAL   a bad argument (NULL, unknown kind, empty or non-JSON-object
 *            payload, impossible disk geometry);
 *   ENOSPC   the disk is smaller than store_disk_min_bytes();
 *   EPROTO   the disk holds something else (its first sector is neither
 *            zero nor a store superblock): it is never written;
 *   EBADMSG  a damaged superblock, or a record that fails its CRC on read;
 *   EPROTONOSUPPORT  a superblock of another format version;
 *   EMSGSIZE a record larger than store_log_record_max();
 *   EEXIST   append of a record whose id is already live (not stored);
 *   ENOBUFS  uncommitted appends would fill the whole disk: commit first;
 *   ENOMEM   out of memory (the log is unchanged);
 *   EROFS    append to a log whose chain is broken (it is kept as found);
 *   EACCES   a blank disk to format and no seal key;
 *   anything the disk's read/write/flush returned (EIO, ...).
 * A log is used by one thread at a time, except through a store_reader
 * (below), which other threads may use while the writer works.
 *
 * Durability. store_log_append only buffers. store_log_commit writes
 * every record appended since the last successful commit and then flushes;
 * only when it returns 0 are they durable (acknowledge JetStream then).
 * A failed commit keeps everything pending and the next commit writes it
 * all again, so a caller may retry. Appended but uncommitted records are
 * already in the index: store_log_has_id() sees them and queries read them. */
#ifndef SIEM_STORE_LOG_H
#define SIEM_STORE_LOG_H

#include <stddef.h>
#include <stdint.h>

/* The disk, as the log sees it: sector-granular I/O through the caller's
 * functions (blk_* in the image, memory in tests). Each returns 0 or a
 * negative errno. write need not be durable before flush returns. */
struct store_disk {
    void *ctx;
    uint64_t sectors;
    uint32_t sector_size; /* a power of two, 512 .. 65536 */
    int (*read)(void *ctx, uint64_t sector, void *buf, size_t count);
    int (*write)(void *ctx, uint64_t sector, const void *buf, size_t count);
    int (*flush)(void *ctx);
};

enum store_kind { STORE_EVENT = 1, STORE_ALERT = 2 };

#define STORE_NO_TIME INT64_MIN /* store_rec.time_ms of a record without one */

/* One live record in the index. */
struct store_rec {
    uint64_t seq;     /* global, increasing in append order */
    int64_t time_ms;  /* event.created, else @timestamp; STORE_NO_TIME */
    uint32_t segment; /* segment number on the disk */
    uint32_t offset;  /* of the record header within the segment */
    uint32_t len;     /* payload bytes */
    uint8_t kind;     /* enum store_kind */
    uint8_t has_id;   /* 1 when id is set */
    uint8_t id[16];   /* the id's key (32 hex digits decoded) */
};

/* Options for store_log_open; NULL means all defaults. */
struct store_open_opts {
    uint32_t segment_size;   /* used only when formatting: 0 derives it (1 MiB,
                                smaller on a small disk); else a multiple of the
                                sector size >= 4096 */
    const uint8_t *seal_key; /* 32 bytes, K_0: used only to format a blank
                                disk (the caller wipes it afterwards) */
    int chain_off;           /* 1: no tags, no seals, no checks (benchmarks only) */
};

/* What store_log_open found. */
struct store_recovery {
    int formatted;                /* 1: the disk was blank and is now formatted */
    uint64_t records;             /* intact records recovered into the index */
    uint32_t segments;            /* live segments found */
    uint64_t first_seq, last_seq; /* of the recovered records (0 when none) */
    uint64_t bytes_truncated;     /* non-zero bytes after the last intact record
                                     of the newest segment, zeroed: a torn commit,
                                     or leftovers of the segment's previous use */
    uint32_t corrupt_segments;    /* older segments cut short by a bad record */
    uint64_t records_lost;        /* records missing from sequence numbers in
                                     those segments (a lower bound) */
    /* The chain (docs/siem.md, "Chain and seals"). Recovery checks the
     * links of the whole log and every tag of the open (newest) segment,
     * whose key it holds; sealed segments' tags need K_0 (tools/siem
     * verify). At the first fault it stops: later records are not
     * indexed, nothing is zeroed and appends fail with EROFS. */
    int chain_broken;         /* 1: the log is not intact from broken_seq on */
    uint64_t broken_seq;      /* first record not intact (or missing) */
    char broken_why[128];     /* what was found there */
    uint32_t sealed_segments; /* live segments before the open one */
    uint64_t tags_checked;    /* records whose tag recovery checked */
};

/* Counters since open, and the current state. */
struct store_stats {
    uint64_t records; /* live records in the index */
    uint32_t segments_live, segment_count, segment_size;
    uint64_t next_seq;             /* sequence number of the next append */
    uint64_t appended, duplicates; /* stored; refused with EEXIST */
    uint64_t commits, commit_errors;
    uint64_t segments_reclaimed, records_reclaimed; /* by retention */
    uint64_t evicted_young;                         /* reclaimed records timed at or after the
                                                       young_after time (store_log_set_young_after) */
    int chain_broken;                               /* as store_recovery */
    uint64_t head_seq;                              /* the last committed record (0: none) */
    uint8_t head_tag[32]; /* its tag: the chain head an observer can hold */
};

struct store_log;

/* Bytes a disk needs at least (with the derived segment size): 266240
 * (4 KiB superblock area + 4 segments of 64 KiB) for any sector size up
 * to 4096. */
uint64_t store_disk_min_bytes(uint32_t sector_size);

/* Opens the log on disk (the struct is copied), formatting a blank disk
 * (first sector all zero) and recovering otherwise. On failure *out is
 * NULL and, when err is not NULL, err holds a one-line reason. report may
 * be NULL. */
int store_log_open(struct store_log **out, const struct store_disk *disk,
                   const struct store_open_opts *opts, struct store_recovery *report, char *err,
                   size_t errsize);
/* Frees the log. Uncommitted appends are discarded (never acknowledged,
 * so JetStream redelivers them). NULL is allowed. */
void store_log_close(struct store_log *log);

/* Buffers one record; payload is the JSON object text (len bytes, no NUL
 * needed). Returns 0, -EEXIST for a live duplicate id (nothing stored;
 * acknowledge it after the next successful commit), -EINVAL, -EMSGSIZE,
 * -ENOBUFS or -ENOMEM. When a new segment is needed and none is free, the
 * oldest is reclaimed (counted in store_stats). */
int store_log_append(struct store_log *log, enum store_kind kind, const char *payload, size_t len);
/* store_log_append with the record's id given (the message's Nats-Msg-Id
 * header; NULL: taken from the JSON as store_log_append does): the
 * payload is then not parsed, only skimmed for its time and checked to
 * look like one object (store_meta_skim). */
int store_log_append_id(struct store_log *log, enum store_kind kind, const char *id,
                        const char *payload, size_t len);
/* Records with a time at or after time_ms are young: retention reclaiming
 * one counts it in store_stats.evicted_young (INT64_MAX, the default:
 * none is). The caller moves it along as time passes (now - min age);
 * records without a time are never young. */
void store_log_set_young_after(struct store_log *log, int64_t time_ms);

/* Writes what was appended since the last successful commit, then flushes.
 * Returns 0 (nothing pending also gives 0) or the disk's error. */
int store_log_commit(struct store_log *log);

/* 1 when a live record (committed or not) has this id: 32 hex digits in
 * either case, or other text as the producer wrote it; else 0. */
int store_log_has_id(const struct store_log *log, const char *id);

/* Live records, and the i-th newest (0 = the last appended); NULL when
 * i >= count. The pointer is valid until the next append or close. */
size_t store_log_count(const struct store_log *log);
const struct store_rec *store_log_newest(const struct store_log *log, size_t i);

/* Largest payload a record may have: segment size - 128 bytes. */
size_t store_log_record_max(const struct store_log *log);

/* Reads rec's payload into buf (size > rec->len: it is NUL-terminated) and
 * checks its CRC. Returns the length, -ERANGE when buf is too small,
 * -EBADMSG when the record on the disk is damaged, or the disk's error. */
int store_log_read(struct store_log *log, const struct store_rec *rec, char *buf, size_t size);

void store_log_stats(const struct store_log *log, struct store_stats *st);

/* Reading alongside the writer (queries). Every record appended gets the
 * next ordinal, never reused; a scan walks ordinals down from an end taken
 * once, so records appended meanwhile are not seen and retention only ends
 * the scan early. A reader holds lock() only while it copies an index
 * entry or pending bytes, never across a disk read: it reads the disk
 * into a segment cache of its own, and after each read checks that the
 * record is still live (its segment was not reclaimed and rewritten
 * meanwhile). lock and unlock are the mutex the writer holds around
 * append and commit; NULL when no other thread uses the log. */
struct store_reader {
    struct store_log *log;
    void (*lock)(void);
    void (*unlock)(void);
    uint8_t *cache; /* the first cache_len bytes of segment cache_seg */
    uint32_t cache_seg, cache_len;
};

/* Returns 0 or -ENOMEM (one segment of cache is allocated). */
int store_reader_init(struct store_reader *rd, struct store_log *log, void (*lock)(void),
                      void (*unlock)(void));
void store_reader_free(struct store_reader *rd);
/* Starts a scan: returns the ordinal past the newest live record whose
 * seq is below before (UINT64_MAX: past the newest of all); ordinals below
 * the oldest live one are never live again. */
uint64_t store_reader_end(struct store_reader *rd, uint64_t before);
/* Copies the index entry of ordinal ord into *rec. Returns 0, or -ENOENT
 * when ord is not live (below it, nothing is). */
int store_reader_entry(struct store_reader *rd, uint64_t ord, struct store_rec *rec);
/* Reads the record of ordinal ord: its entry into *rec, its payload into
 * buf (size > the payload: NUL-terminated). Returns the length, -ENOENT
 * when the record is no longer live, -ERANGE, -EBADMSG or the disk's
 * error, as store_log_read. */
int store_reader_read(struct store_reader *rd, uint64_t ord, struct store_rec *rec, char *buf,
                      size_t size);

#endif
