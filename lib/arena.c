/* arena.c -- many allocations from one backing allocator, freed at once.
 *
 * Chunks come from the backing pyz3_allocator, each at least twice the size
 * of the one before, newest first; an allocation bumps a pointer in the
 * newest chunk. The arena never touches Python itself: the backing
 * allocator (pyz3_py_allocator by default) takes the GIL when it needs it.
 */
#include <stdalign.h>
#include <string.h>

#include "internal.h"

#define PYZ3__ARENA_LIVE   ((size_t)0x70797A33617265AULL)  /* initialized */
#define PYZ3__ARENA_DEAD   ((size_t)0x70797A3364656164ULL) /* finalized */
#define PYZ3__ARENA_FIRST  ((size_t)4096)

struct pyz3__arena_chunk {
    struct pyz3__arena_chunk *next;
    size_t size;                        /* usable bytes after the header */
    alignas(max_align_t) unsigned char data[];
};

static void
pyz3__arena_check(const pyz3_arena *arena, const char *misuse)
{
    if (arena == NULL || arena->magic != PYZ3__ARENA_LIVE)
        pyz3__misuse(misuse);
}

static void
pyz3__arena_free_chunk(const pyz3_allocator *backing, struct pyz3__arena_chunk *c)
{
    backing->free(backing->ctx, c, sizeof(*c) + c->size, alignof(max_align_t));
}

void
pyz3_arena_init(pyz3_arena *arena, const pyz3_allocator *backing)
{
    arena->backing = backing != NULL ? backing : &pyz3_py_allocator;
    arena->chunks = NULL;
    arena->used = 0;
    arena->magic = PYZ3__ARENA_LIVE;
}

/* The address in `c` at or after `used` with `alignment`, or NULL when
 * `size` bytes do not fit there. */
static void *
pyz3__arena_fit(struct pyz3__arena_chunk *c, size_t used, size_t size,
                size_t alignment, size_t *new_used)
{
    uintptr_t base = (uintptr_t)c->data;
    uintptr_t start = (base + used + alignment - 1) & ~(uintptr_t)(alignment - 1);
    size_t offset = (size_t)(start - base);
    if (offset > c->size || c->size - offset < size)
        return NULL;
    *new_used = offset + size;
    return (void *)start;
}

void *
pyz3_arena_alloc(pyz3_arena *arena, size_t size, size_t alignment)
{
    struct pyz3__arena_chunk *c;
    size_t want, used = 0;
    void *p;
    pyz3__arena_check(arena, "pyz3_arena_alloc: the arena is not initialized or was finalized");
    if (alignment == 0)
        alignment = alignof(max_align_t);
    if ((alignment & (alignment - 1)) != 0)
        return NULL;
    if (size == 0)
        size = 1;                       /* every allocation is unique */
    if (arena->chunks != NULL) {
        p = pyz3__arena_fit(arena->chunks, arena->used, size, alignment, &used);
        if (p != NULL) {
            arena->used = used;
            return p;
        }
    }
    if (size > SIZE_MAX / 4 - alignment)
        return NULL;
    want = size + alignment;
    if (arena->chunks != NULL && want < 2 * arena->chunks->size)
        want = 2 * arena->chunks->size;
    if (want < PYZ3__ARENA_FIRST)
        want = PYZ3__ARENA_FIRST;
    c = arena->backing->alloc(arena->backing->ctx, sizeof(*c) + want,
                              alignof(max_align_t));
    if (c == NULL)
        return NULL;
    c->size = want;
    c->next = arena->chunks;
    arena->chunks = c;
    p = pyz3__arena_fit(c, 0, size, alignment, &used);
    arena->used = used;
    return p;
}

void
pyz3_arena_reset(pyz3_arena *arena)
{
    struct pyz3__arena_chunk *c, *next;
    pyz3__arena_check(arena, "pyz3_arena_reset: the arena is not initialized or was finalized");
    if (arena->chunks == NULL)
        return;
    /* The newest chunk is the largest: keep it. */
    for (c = arena->chunks->next; c != NULL; c = next) {
        next = c->next;
        pyz3__arena_free_chunk(arena->backing, c);
    }
    arena->chunks->next = NULL;
    arena->used = 0;
}

void
pyz3_arena_fini(pyz3_arena *arena)
{
    struct pyz3__arena_chunk *c, *next;
    pyz3__arena_check(arena, "pyz3_arena_fini: the arena is not initialized or was already finalized");
    for (c = arena->chunks; c != NULL; c = next) {
        next = c->next;
        pyz3__arena_free_chunk(arena->backing, c);
    }
    arena->chunks = NULL;
    arena->used = 0;
    arena->magic = PYZ3__ARENA_DEAD;
}

/* pyz3_arena_allocator: an arena behind the vtable. */

static void *
pyz3__arena_vt_alloc(void *ctx, size_t size, size_t alignment)
{
    return pyz3_arena_alloc(ctx, size, alignment);
}

static void *
pyz3__arena_vt_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                      size_t alignment)
{
    void *p = pyz3_arena_alloc(ctx, new_size, alignment);
    if (p != NULL && ptr != NULL)
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    return p;
}

static void
pyz3__arena_vt_free(void *ctx, void *ptr, size_t size, size_t alignment)
{
}

pyz3_allocator
pyz3_arena_allocator(pyz3_arena *arena)
{
    pyz3_allocator a = {
        arena, pyz3__arena_vt_alloc, pyz3__arena_vt_resize, pyz3__arena_vt_free,
    };
    return a;
}
