/* Kernel console: kprintf and raw writes to the serial port. A small
 * formatter of its own, so panics print even when libc state is broken. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r'); /* serial terminals want CR LF */
        uart_putc(s[i]);
    }
}

static void put_str(const char *s, int width, int left)
{
    size_t n = 0;
    while (s[n])
        n++;
    for (int pad = width - (int)n; !left && pad > 0; pad--)
        uart_putc(' ');
    console_write(s, n);
    for (int pad = width - (int)n; left && pad > 0; pad--)
        uart_putc(' ');
}

static void put_num(uint64_t v, unsigned base, int neg, int width, char padc)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[i++] = '-';
    for (int pad = width - i; pad > 0; pad--)
        uart_putc(padc);
    while (i > 0)
        uart_putc(buf[--i]);
}

void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (*fmt == '\n')
                uart_putc('\r');
            uart_putc(*fmt);
            continue;
        }
        fmt++;
        int left = 0, width = 0, longs = 0;
        char padc = ' ';
        if (*fmt == '-')
            left = 1, fmt++;
        if (*fmt == '0')
            padc = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z')
            longs++, fmt++;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, padc);
            break;
        }
        case 'u':
            put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0, width, padc);
            break;
        case 'x':
            put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0, width, padc);
            break;
        case 'p':
            console_write("0x", 2);
            put_num((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, 0, ' ');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            put_str(s ? s : "(null)", width, left);
            break;
        }
        case 'c':
            uart_putc((char)va_arg(ap, int));
            break;
        case '%':
            uart_putc('%');
            break;
        default:
            uart_putc('%');
            if (*fmt)
                uart_putc(*fmt);
            else
                return;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
