/* COM1 16550 UART, polled: the console. Output never needs an interrupt, so
 * it works from the first instruction of C to the last line of a panic. */
#include "arch.h"
#include "cpu.h"

#define COM1 0x3f8

void uart_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB on */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void uart_putc(char c)
{
    for (int spin = 0; !(inb(COM1 + 5) & 0x20) && spin < 100000; spin++)
        cpu_relax(); /* transmit holding register empty */
    outb(COM1, (uint8_t)c);
}

int uart_getc_nowait(void)
{
    return (inb(COM1 + 5) & 0x01) ? inb(COM1) : -1;
}
