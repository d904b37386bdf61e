/* Dotted ECS field names ("source.ip", "log.syslog.appname") looked up in a
 * nested event object, and compared with a value given as text. */
#ifndef SIEM_FIELD_H
#define SIEM_FIELD_H

#include <stddef.h>

#include "cJSON.h"

/* The item at the dotted path name inside obj, or NULL. A top-level key
 * that itself contains a dot ("@timestamp" has none, but a producer may
 * write flat keys) is tried before descending. */
const cJSON *siem_field(const cJSON *obj, const char *name);

/* Writes the field's value as text into buf (strings as they are, numbers
 * in their shortest decimal form, true/false); returns its length, or -1
 * when the field is missing, is an object or array, or does not fit. */
int siem_field_text(const cJSON *obj, const char *name, char *buf, size_t size);

/* 1 when the field equals value as text; for an array field, when any
 * element does. */
int siem_field_equals(const cJSON *obj, const char *name, const char *value);

#endif
