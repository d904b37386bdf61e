/* CMOS real-time clock, read once at boot to anchor the wall clock. */
#include "arch.h"
#include "cpu.h"

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static int from_bcd(uint8_t v, int binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t rtc_read_epoch(void)
{
    for (int spin = 0; cmos(0x0a) & 0x80; spin++) /* update in progress */
        if (spin > 1000000)
            return -1;
    int binary = cmos(0x0b) & 0x04, h24 = cmos(0x0b) & 0x02;
    int sec = from_bcd(cmos(0x00), binary);
    int min = from_bcd(cmos(0x02), binary);
    uint8_t hraw = cmos(0x04);
    int hour = from_bcd(hraw & 0x7f, binary);
    int day = from_bcd(cmos(0x07), binary);
    int mon = from_bcd(cmos(0x08), binary);
    int year = from_bcd(cmos(0x09), binary) + 2000;
    if (!h24 && (hraw & 0x80))
        hour = (hour % 12) + 12;
    if (mon < 1 || mon > 12 || day < 1 || day > 31)
        return -1;
    return days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}
