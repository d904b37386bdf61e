/* A growable hash set of (rule, trigger event id) pairs. */
#include "known.h"

#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

static size_t slot_of(const struct corr_known *k, size_t rule, const char *id)
{
    uint64_t h = siem_fnv1a64(SIEM_FNV1A64_BASIS, &rule, sizeof(rule));
    size_t i = siem_fnv1a64(h, id, strlen(id)) & (k->size - 1);
    while (k->cell[i].rule && !(k->cell[i].rule == rule + 1 && strcmp(k->cell[i].id, id) == 0))
        i = (i + 1) & (k->size - 1);
    return i;
}

int corr_known_has(const struct corr_known *k, size_t rule, const char *id)
{
    return k->size && k->cell[slot_of(k, rule, id)].rule != 0;
}

/* Keeps the table at most half full, so probe runs stay short. */
static int grow(struct corr_known *k)
{
    struct corr_known old = *k;
    k->size = old.size ? old.size * 2 : 64;
    if (!(k->cell = calloc(k->size, sizeof(*k->cell)))) {
        *k = old;
        return -1;
    }
    for (size_t i = 0; i < old.size; i++)
        if (old.cell[i].rule)
            k->cell[slot_of(k, old.cell[i].rule - 1, old.cell[i].id)] = old.cell[i];
    free(old.cell);
    return 0;
}

int corr_known_add(struct corr_known *k, size_t rule, const char *id)
{
    if (2 * (k->count + 1) > k->size && grow(k))
        return -1;
    struct corr_known_entry *c = &k->cell[slot_of(k, rule, id)];
    if (c->rule)
        return 0;
    c->rule = rule + 1;
    strncpy(c->id, id, sizeof(c->id) - 1);
    c->id[sizeof(c->id) - 1] = '\0';
    k->count++;
    return 0;
}

void corr_known_free(struct corr_known *k)
{
    free(k->cell);
    memset(k, 0, sizeof(*k));
}
