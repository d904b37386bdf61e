/* fw_cfg (fw_cfg.h), the legacy interface every QEMU x86 machine has: a
 * 16-bit selector port and an 8-bit data port; reads advance by
 * themselves. Items are small (secrets, configuration), so byte reads do. */
#include "fw_cfg.h"

#include <string.h>

#include "cpu.h"

#define PORT_SELECTOR 0x510
#define PORT_DATA 0x511
#define ITEM_SIGNATURE 0x0000
#define ITEM_FILE_DIR 0x0019
#define ENTRY_SIZE 64
#define NAME_MAX_LEN 56

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void fw_cfg_read(uint16_t select, void *buf, size_t len)
{
    outw(PORT_SELECTOR, select);
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++)
        out[i] = inb(PORT_DATA);
}

int fw_cfg_dir_entry(const uint8_t entry[64], const char *name, uint16_t *select, uint32_t *size)
{
    const char *entry_name = (const char *)entry + 8;
    if (strnlen(entry_name, NAME_MAX_LEN) == NAME_MAX_LEN || strcmp(entry_name, name) != 0)
        return -1;
    *size = be32(entry);
    *select = (uint16_t)(entry[4] << 8 | entry[5]);
    return 0;
}

int fw_cfg_find(const char *name, uint16_t *select, uint32_t *size)
{
    uint8_t sig[4], count[4], entry[ENTRY_SIZE];
    fw_cfg_read(ITEM_SIGNATURE, sig, sizeof(sig));
    if (memcmp(sig, "QEMU", 4) != 0)
        return -1;
    /* The directory: a count, then the entries, read in one pass. */
    fw_cfg_read(ITEM_FILE_DIR, count, sizeof(count));
    uint32_t n = be32(count);
    int found = -1;
    for (uint32_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sizeof(entry); j++)
            entry[j] = inb(PORT_DATA);
        if (found < 0)
            found = fw_cfg_dir_entry(entry, name, select, size);
    }
    return found;
}
