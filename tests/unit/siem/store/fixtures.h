/* Test records for the event store suites: events whose id, time and
 * size follow from a number, so a test can check any record it reads. */
#ifndef SIEM_STORE_TEST_FIXTURES_H
#define SIEM_STORE_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "memdisk.h"

/* The 32-hex event.id of event n. */
void fx_id(unsigned n, char id[33]);
/* Event n as JSON into buf: event.id fx_id(n), event.created n seconds
 * after 2026-01-01T00:00:00Z, and a message padded to about pad bytes.
 * Returns the length. */
size_t fx_event(unsigned n, size_t pad, char *buf, size_t size);
/* Appends event n (asserting success). */
void fx_append(struct store_log *log, unsigned n, size_t pad);
/* The seal key K_0 fx_open formats with. */
extern const uint8_t fx_seal_key[32];
/* Opens the log on m (a blank one is formatted with fx_seal_key),
 * asserting success; rep may be NULL. */
struct store_log *fx_open(struct memdisk *m, uint32_t segment_size, struct store_recovery *rep);
/* Asserts that the i-th newest record is event n with its exact text. */
void fx_check(struct store_log *log, size_t i, unsigned n, size_t pad);

#endif
