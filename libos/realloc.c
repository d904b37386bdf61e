/* realloc for newlib's nano-malloc. Newlib 3.3's _realloc_r copies the
 * *new* size out of the old block when it moves it, reading past the old
 * block's end; when that block is the last one on the heap the read runs
 * off the heap's mapped end and the VM stops with a page fault (the heap
 * ends where sbrk says, and nothing is mapped after it). This copy moves
 * only what the old block holds. Linked as an object (LIBOS_OVERRIDES), so
 * newlib's own member is never pulled in. */
#include <stdlib.h>
#include <string.h>

size_t _malloc_usable_size_r(struct _reent *r, void *ptr);

void *_realloc_r(struct _reent *r, void *ptr, size_t size)
{
    if (!ptr)
        return _malloc_r(r, size);
    if (size == 0) {
        _free_r(r, ptr);
        return NULL;
    }
    size_t old = _malloc_usable_size_r(r, ptr);
    if (old >= size)
        return ptr;
    void *mem = _malloc_r(r, size);
    if (mem) {
        memcpy(mem, ptr, old);
        _free_r(r, ptr);
    }
    return mem;
}
