/* 16550 serial input (serial.c). */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stddef.h>

void serial_init(void);
/* Block until at least one byte arrived; return how many were copied. */
size_t serial_read(void *buf, size_t n);
int serial_readable(void);
/* fn runs in interrupt context whenever bytes arrive (poll() waits with it). */
void serial_set_notify(void (*fn)(void));

#endif
