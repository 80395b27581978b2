/* alloc.c -- the allocator (lib/arena.c builds the arena on it).
 *
 * Blocks come from PyMem_Malloc() and friends, always under a GIL scope
 * (pyz3__gil_enter, so a thread that already holds one pays a counter
 * increment). Every block carries one header word before it (see
 * <pyz3/alloc.h>) so that free and realloc find the PyMem block and its
 * alignment. Nothing here sets a Python exception: failures are NULL, as
 * with PyMem_Malloc().
 */
#include <string.h>

#include "internal.h"

/* What PyMem_Malloc() guarantees: 16 bytes on 64-bit CPython since 3.8. */
#define PYZ3__NATURAL_ALIGN  (sizeof(void *) == 8 ? (size_t)16 : (size_t)8)
#define PYZ3__MAX_ALIGN_LOG2 30

static int
pyz3__log2(size_t alignment)
{
    int lg = 0;
    while (((size_t)1 << lg) < alignment)
        lg++;
    return lg;
}

/* Where the aligned block starts in the PyMem block `raw`. */
static char *
pyz3__align_up(char *raw, size_t alignment)
{
    uintptr_t p = (uintptr_t)raw + sizeof(size_t);
    return raw + (((p + alignment - 1) & ~(uintptr_t)(alignment - 1)) - (uintptr_t)raw);
}

/* The PyMem allocation for a block of `size` bytes with `alignment`
 * (natural when 0), or 0 when it would overflow. */
static size_t
pyz3__raw_size(size_t size, size_t alignment)
{
    if (size > PYZ3__ALLOC_MAX)
        return 0;
    if (alignment == 0)
        return size + PYZ3__ALLOC_HEADER;
    if (alignment > ((size_t)1 << PYZ3__MAX_ALIGN_LOG2)
        || size > PYZ3__ALLOC_MAX - alignment)
        return 0;
    return size + alignment + sizeof(size_t);
}

/* Lay a block out in the PyMem block `raw`: the header word, then the
 * user's bytes. `alignment` 0 is the natural alignment. */
static void *
pyz3__place(char *raw, size_t alignment)
{
    char *user;
    size_t word;
    if (raw == NULL)
        return NULL;
    if (alignment == 0)
        return pyz3__alloc_plain(raw);
    user = pyz3__align_up(raw, alignment);
    word = (size_t)(user - raw) << 8 | (size_t)pyz3__log2(alignment);
    ((size_t *)user)[-1] = word;
    return user;
}

/* 0 for the natural alignment, else the alignment; SIZE_MAX if invalid. */
static size_t
pyz3__normal_alignment(size_t alignment)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        return SIZE_MAX;
    return alignment <= PYZ3__NATURAL_ALIGN ? 0 : alignment;
}

static void *
pyz3__alloc_with(size_t size, size_t alignment, int zeroed)
{
    size_t n = pyz3__raw_size(size, alignment);
    pyz3_gil g;
    void *raw;
    if (n == 0)
        return NULL;
    g = pyz3__gil_enter();
    raw = zeroed ? PyMem_Calloc(1, n) : PyMem_Malloc(n);
    pyz3__gil_leave(g);
    return pyz3__place(raw, alignment);
}

void *
pyz3__alloc_slow(size_t size)
{
    return pyz3__alloc_with(size, 0, 0);
}

void
pyz3__free_slow(void *ptr)
{
    pyz3_gil g = pyz3__gil_enter();
    PyMem_Free(pyz3__alloc_raw(ptr));
    pyz3__gil_leave(g);
}

void *
pyz3_alloc(size_t size)
{
    return pyz3__alloc(size);
}

void *
pyz3_alloc_aligned(size_t size, size_t alignment)
{
    alignment = pyz3__normal_alignment(alignment);
    if (alignment == SIZE_MAX)
        return NULL;
    return pyz3__alloc_with(size, alignment, 0);
}

void *
pyz3_calloc(size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total))
        return NULL;
    return pyz3__alloc_with(total, 0, 1);
}

void *
pyz3_realloc(void *ptr, size_t size)
{
    size_t word, offset, alignment, n;
    char *raw;
    pyz3_gil g;
    if (ptr == NULL)
        return pyz3__alloc_with(size, 0, 0);
    word = ((size_t *)ptr)[-1];
    offset = word >> 8;
    alignment = (word & 0xff) == 0 ? 0 : (size_t)1 << (word & 0xff);
    n = pyz3__raw_size(size, alignment);
    if (n == 0)
        return NULL;
    g = pyz3__gil_enter();
    raw = PyMem_Realloc((char *)ptr - offset, n);
    pyz3__gil_leave(g);
    if (raw == NULL)
        return NULL;
    if (alignment == 0)
        return raw + PYZ3__ALLOC_HEADER;
    /* The new PyMem block may sit differently against the alignment: move
     * the bytes to where the aligned block now starts. Both ranges lie
     * inside the new block because offsets never exceed the padding. */
    {
        char *user = pyz3__align_up(raw, alignment);
        if ((size_t)(user - raw) != offset)
            memmove(user, raw + offset, size);
        ((size_t *)user)[-1] = (size_t)(user - raw) << 8 | (word & 0xff);
        return user;
    }
}

void
pyz3_free(void *ptr)
{
    pyz3__free(ptr);
}

/* pyz3_py_allocator: the functions above behind the vtable. */

static void *
pyz3__py_alloc(void *ctx, size_t size, size_t alignment)
{
    return pyz3_alloc_aligned(size, alignment);
}

static void *
pyz3__py_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                size_t alignment)
{
    return pyz3_realloc(ptr, new_size);
}

static void
pyz3__py_free(void *ctx, void *ptr, size_t size, size_t alignment)
{
    pyz3_free(ptr);
}

const pyz3_allocator pyz3_py_allocator = {
    NULL, pyz3__py_alloc, pyz3__py_resize, pyz3__py_free,
};
