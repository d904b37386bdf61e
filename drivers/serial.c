/* 16550 serial input: the receive interrupt (IRQ 4) moves bytes into a ring
 * and wakes readers, so a thread reading stdin sleeps instead of polling.
 * Output stays polled in the kernel console (arch/x86_64/uart.c). */
#include "serial.h"

#include "cpu.h"
#include "kernel.h"

#define COM1 0x3f8
#define RING 256

static struct {
    unsigned char ring[RING];
    unsigned head, tail; /* head: next write (IRQ); tail: next read */
    struct waitq readers;
    void (*notify)(void);
} rx;

static void serial_irq(void *ctx)
{
    (void)ctx;
    int c;
    while ((c = uart_getc_nowait()) >= 0) {
        if (rx.head - rx.tail < RING)
            rx.ring[rx.head++ % RING] = (unsigned char)c;
    }
    waitq_wake_all(&rx.readers);
    if (rx.notify)
        rx.notify();
}

void serial_init(void)
{
    waitq_init(&rx.readers);
    irq_register(4, serial_irq, NULL);
    outb(COM1 + 1, 0x01); /* IER: interrupt when a byte arrives */
    outb(COM1 + 4, 0x0b); /* MCR: DTR, RTS, OUT2 (gates the IRQ line) */
}

size_t serial_read(void *buf, size_t n)
{
    unsigned char *out = buf;
    uint64_t flags = irq_save();
    while (rx.head == rx.tail)
        waitq_wait(&rx.readers);
    size_t got = 0;
    while (got < n && rx.tail != rx.head)
        out[got++] = rx.ring[rx.tail++ % RING];
    irq_restore(flags);
    return got;
}

int serial_readable(void)
{
    return rx.head != rx.tail;
}

void serial_set_notify(void (*fn)(void))
{
    rx.notify = fn;
}
