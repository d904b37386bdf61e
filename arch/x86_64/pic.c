/* The legacy 8259 interrupt controller pair, remapped to vectors 32-47 so
 * IRQs do not collide with CPU exceptions. All lines start masked. */
#include "arch.h"
#include "cpu.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

static uint16_t mask = 0xffff & ~(1u << 2); /* line 2 is the cascade */

void pic_init(void)
{
    outb(PIC1_CMD, 0x11); /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 32); /* ICW2: vector offsets */
    outb(PIC2_DATA, 40);
    outb(PIC1_DATA, 4); /* ICW3: slave on line 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 1); /* ICW4: 8086 mode */
    outb(PIC2_DATA, 1);
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

void pic_unmask(int irq)
{
    mask &= ~(1u << irq);
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, 0x20);
    outb(PIC1_CMD, 0x20);
}
