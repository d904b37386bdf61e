/* realloc in place of newlib 3.3's nano-malloc one, which grows a block by
 * copying the NEW size out of the old block: it reads past the old block's
 * end. Elsewhere that read lands in mapped memory by luck; here the heap is
 * mapped exactly up to the break, so growing the block at the top of the
 * heap faults (libmicrohttpd's POST bodies did). This copies only what the
 * old block holds. Linked as an object (Makefile: LIBOS_OVERRIDES), so
 * newlib's realloc() finds this _realloc_r before libc.a's. */
#include <stddef.h>
#include <string.h>

struct _reent;
void *_malloc_r(struct _reent *r, size_t n);
void _free_r(struct _reent *r, void *p);
size_t _malloc_usable_size_r(struct _reent *r, void *p);
void *_realloc_r(struct _reent *r, void *p, size_t n);

void *_realloc_r(struct _reent *r, void *p, size_t n)
{
    if (!p)
        return _malloc_r(r, n);
    if (n == 0) {
        _free_r(r, p);
        return NULL;
    }
    size_t old = _malloc_usable_size_r(r, p);
    if (old >= n)
        return p;
    void *q = _malloc_r(r, n);
    if (q) {
        memcpy(q, p, old);
        _free_r(r, p);
    }
    return q;
}
