/* CRC32C, one byte per step through a 256-entry table built on first use. */
#include "crc32c.h"

/* The Castagnoli polynomial 0x1EDC6F41, bit-reversed because the CRC is
 * computed least significant bit first (as iSCSI specifies it). */
#define CRC32C_POLY_REVERSED 0x82F63B78u

static uint32_t table[256];
static int table_ready;

/* Entry b is the CRC register after shifting the byte b through it alone;
 * building it at run time keeps 1 KiB of magic numbers out of the source. */
static void build_table(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t r = b;
        for (int bit = 0; bit < 8; bit++)
            r = (r & 1) ? (r >> 1) ^ CRC32C_POLY_REVERSED : r >> 1;
        table[b] = r;
    }
    table_ready = 1;
}

uint32_t crc32c(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    if (!table_ready)
        build_table();
    /* The register is kept inverted between calls (initial value and
     * final XOR 0xFFFFFFFF), so a caller chains calls with plain values. */
    crc = ~crc;
    while (len--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
