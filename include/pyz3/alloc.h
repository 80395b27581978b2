/* <pyz3/alloc.h> -- the allocator. See pyz3_alloc(3).
 *
 * Memory from PyMem_Malloc() and friends, taken under the cached GIL scope
 * of <pyz3/gil.h>, so that any thread may allocate, with or without the
 * GIL. Blocks keep the alignment they were allocated with, through
 * pyz3_realloc() too. Failures return NULL and set no Python exception,
 * like PyMem_Malloc().
 */
#ifndef PYZ3_ALLOC_H
#define PYZ3_ALLOC_H

#include <stddef.h>
#include <pyz3/version.h>
#include <pyz3/gil.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A block of `size` bytes aligned for any C type (16 bytes on x86-64), or
 * NULL. Size 0 gives a unique pointer. */
PYZ3__INLINE_SCOPE void *pyz3_alloc(size_t size);

/* A block of `size` bytes aligned to `alignment`, any power of two (at
 * least up to 4096), or NULL; NULL also for an alignment that is not a power
 * of two. */
PYZ3_API void *pyz3_alloc_aligned(size_t size, size_t alignment);

/* A zeroed block of count * size bytes, or NULL (also on overflow). */
PYZ3_API void *pyz3_calloc(size_t count, size_t size);

/* Resize the block `ptr` (NULL: allocate) to `size` bytes, keeping its
 * contents up to the smaller size and its alignment. NULL on failure, with
 * `ptr` untouched. */
PYZ3_API void *pyz3_realloc(void *ptr, size_t size);

/* Free a block from the functions above. NULL is a no-op. */
PYZ3__INLINE_SCOPE void pyz3_free(void *ptr);

/* An allocator handed to C code, as pyz3's py.allocator is. `alloc` returns
 * `size` bytes aligned to `alignment` (a power of two) or NULL; `resize`
 * moves a block to `new_size` bytes (NULL on failure, the block untouched);
 * `free` releases it. All three get the block's size and alignment, and
 * `ctx`. */
typedef struct pyz3_allocator {
    void *ctx;
    void *(*alloc)(void *ctx, size_t size, size_t alignment);
    void *(*resize)(void *ctx, void *ptr, size_t old_size, size_t new_size,
                    size_t alignment);
    void (*free)(void *ctx, void *ptr, size_t size, size_t alignment);
} pyz3_allocator;

/* The allocator above, as a pyz3_allocator. */
PYZ3_API extern const pyz3_allocator pyz3_py_allocator;

/* An arena: many allocations from one backing allocator, freed at once.
 * Its fields are private; a zeroed arena is not initialized. */
typedef struct pyz3_arena {
    const pyz3_allocator *backing;
    struct pyz3__arena_chunk *chunks;   /* newest first */
    size_t used;                        /* bytes used in the newest chunk */
    size_t magic;                       /* initialized, not finalized */
} pyz3_arena;

/* Start an empty arena on `backing` (NULL: pyz3_py_allocator). */
PYZ3_API void pyz3_arena_init(pyz3_arena *arena, const pyz3_allocator *backing);

/* `size` bytes aligned to `alignment` (a power of two; 0 means the C
 * alignment) from the arena, or NULL. Freed only by reset or fini. */
PYZ3_API void *pyz3_arena_alloc(pyz3_arena *arena, size_t size, size_t alignment);

/* Free every allocation at once and keep the largest chunk for reuse. */
PYZ3_API void pyz3_arena_reset(pyz3_arena *arena);

/* Free everything the arena holds. */
PYZ3_API void pyz3_arena_fini(pyz3_arena *arena);

/* An allocator whose blocks come from `arena`: its `free` does nothing and
 * `resize` copies into a new block. */
PYZ3_API pyz3_allocator pyz3_arena_allocator(pyz3_arena *arena);

/* Internal: every block carries one word before it, `offset << 8 |
 * log2(alignment)`, where `offset` is the distance back to the start of the
 * PyMem block. A block of the default alignment starts 16 bytes in. */
#define PYZ3__ALLOC_HEADER      16
#define PYZ3__ALLOC_PLAIN_WORD  ((size_t)PYZ3__ALLOC_HEADER << 8 | 4)
#define PYZ3__ALLOC_MAX         ((size_t)PY_SSIZE_T_MAX - 2 * 4096)
PYZ3_API void *pyz3__alloc_slow(size_t size);
PYZ3_API void pyz3__free_slow(void *ptr);

/* The block of the default alignment in the PyMem block `raw`, its word
 * written; and the PyMem block of any block. */
static inline void *
pyz3__alloc_plain(char *raw)
{
    raw += PYZ3__ALLOC_HEADER;
    ((size_t *)raw)[-1] = PYZ3__ALLOC_PLAIN_WORD;
    return raw;
}

static inline void *
pyz3__alloc_raw(void *ptr)
{
    return (char *)ptr - (((size_t *)ptr)[-1] >> 8);
}

/* pyz3_alloc() and pyz3_free(): inside a scope, straight to PyMem. */
static inline void *
pyz3__alloc(size_t size)
{
    char *raw;
    if (PYZ3_UNLIKELY(pyz3__gil_depth == 0 || size > PYZ3__ALLOC_MAX))
        return pyz3__alloc_slow(size);
    raw = (char *)PyMem_Malloc(size + PYZ3__ALLOC_HEADER);
    if (PYZ3_UNLIKELY(raw == NULL))
        return NULL;
    return pyz3__alloc_plain(raw);
}

static inline void
pyz3__free(void *ptr)
{
    if (ptr == NULL)
        return;
    if (PYZ3_UNLIKELY(pyz3__gil_depth == 0)) {
        pyz3__free_slow(ptr);
        return;
    }
    PyMem_Free(pyz3__alloc_raw(ptr));
}

#if PYZ3_INLINE_SCOPES

static inline void *
pyz3_alloc(size_t size)
{
    return pyz3__alloc(size);
}

static inline void
pyz3_free(void *ptr)
{
    pyz3__free(ptr);
}

#endif /* PYZ3_INLINE_SCOPES */

#ifdef __cplusplus
}
#endif

#endif /* PYZ3_ALLOC_H */
