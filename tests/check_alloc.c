/* check_alloc.c -- unit tests of the allocator and the arena of
 * <pyz3/alloc.h>.
 *
 * Allocation failure is injected below PyMem_Malloc (PyMem_SetAllocator),
 * where the wrapper also counts the blocks alive; the arena is tested on a
 * counting backing allocator. Built twice: with the inline fast paths, and
 * with PYZ3_NO_INLINE (the library's copies).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyz3_test.h"

static int
aligned(const void *p, size_t alignment)
{
    return ((uintptr_t)p & (alignment - 1)) == 0;
}

/* Fill `n` bytes with a pattern that depends on `seed` and the offset. */
static void
fill(void *p, size_t n, unsigned int seed)
{
    unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        b[i] = (unsigned char)(seed * 31u + i * 7u);
}

static int
filled(const void *p, size_t n, unsigned int seed)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i] != (unsigned char)(seed * 31u + i * 7u))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------------
 * A PyMem allocator (domain MEM) that wraps the one in place, counts the
 * blocks alive and fails every call from the `fail_from`-th on (counting
 * from 1) while `failing` is set. */

static PyMemAllocatorEx failing_orig;
static long failing_live;
static long failing_calls;
static long failing_from;
static int failing;

static int
failing_should_fail(void)
{
    failing_calls++;
    return failing && failing_calls >= failing_from;
}

static void *
failing_malloc(void *ctx, size_t size)
{
    void *p;
    if (failing_should_fail())
        return NULL;
    p = failing_orig.malloc(failing_orig.ctx, size);
    if (p != NULL)
        failing_live++;
    return p;
}

static void *
failing_calloc(void *ctx, size_t count, size_t size)
{
    void *p;
    if (failing_should_fail())
        return NULL;
    p = failing_orig.calloc(failing_orig.ctx, count, size);
    if (p != NULL)
        failing_live++;
    return p;
}

static void *
failing_realloc(void *ctx, void *ptr, size_t size)
{
    void *p;
    if (failing_should_fail())
        return NULL;
    p = failing_orig.realloc(failing_orig.ctx, ptr, size);
    if (p != NULL && ptr == NULL)
        failing_live++;
    return p;
}

static void
failing_free(void *ctx, void *ptr)
{
    if (ptr != NULL)
        failing_live--;
    failing_orig.free(failing_orig.ctx, ptr);
}

/* Install the wrapper, passing everything through for now. */
static void
failing_install(void)
{
    PyMemAllocatorEx wrapper = {
        NULL, failing_malloc, failing_calloc, failing_realloc, failing_free,
    };
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &failing_orig);
    failing_live = failing_calls = 0;
    failing = 0;
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &wrapper);
}

/* Fail the n-th call from now on, and every call after it. */
static void
failing_start(long n)
{
    failing_calls = 0;
    failing_from = n;
    failing = 1;
}

static void
failing_stop(void)
{
    failing = 0;
}

static void
failing_uninstall(void)
{
    failing = 0;
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &failing_orig);
}

/* ------------------------------------------------------------------------
 * The allocator. */

START_TEST(test_alloc_free)
{
    size_t sizes[] = { 1, 7, 16, 100, 4096, 100000, 3u << 20 };
    void *p[sizeof(sizes) / sizeof(sizes[0])];
    size_t i;
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = pyz3_alloc(sizes[i]);
        ck_assert_ptr_nonnull(p[i]);
        ck_assert(aligned(p[i], 16));
        fill(p[i], sizes[i], (unsigned int)i);
    }
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        ck_assert(filled(p[i], sizes[i], (unsigned int)i));
        pyz3_free(p[i]);
    }
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_alloc_zero_unique)
{
    void *p[32];
    int i, j;
    for (i = 0; i < 32; i++) {
        p[i] = pyz3_alloc(0);
        ck_assert_ptr_nonnull(p[i]);
        for (j = 0; j < i; j++)
            ck_assert_ptr_ne(p[i], p[j]);
    }
    for (i = 0; i < 32; i++)
        pyz3_free(p[i]);
    p[0] = pyz3_alloc_aligned(0, 256);
    p[1] = pyz3_alloc_aligned(0, 256);
    ck_assert_ptr_nonnull(p[0]);
    ck_assert_ptr_nonnull(p[1]);
    ck_assert_ptr_ne(p[0], p[1]);
    ck_assert(aligned(p[0], 256) && aligned(p[1], 256));
    pyz3_free(p[0]);
    pyz3_free(p[1]);
}
END_TEST

START_TEST(test_calloc)
{
    unsigned char *p;
    size_t i, n = 37 * 113;
    /* Dirty memory first, so that a reused block would show. */
    for (i = 0; i < 8; i++) {
        p = pyz3_alloc(n);
        ck_assert_ptr_nonnull(p);
        memset(p, 0xA5, n);
        pyz3_free(p);
    }
    p = pyz3_calloc(37, 113);
    ck_assert_ptr_nonnull(p);
    ck_assert(aligned(p, 16));
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(p[i], 0);
    pyz3_free(p);

    p = pyz3_calloc(0, 10);
    ck_assert_ptr_nonnull(p);
    pyz3_free(p);

    ck_assert_ptr_null(pyz3_calloc(SIZE_MAX, 2));
    ck_assert_ptr_null(pyz3_calloc(2, SIZE_MAX));
    ck_assert_ptr_null(pyz3_calloc((size_t)1 << (sizeof(size_t) * 4),
                                   (size_t)1 << (sizeof(size_t) * 4)));
    ck_assert_ptr_null(pyz3_calloc(1, SIZE_MAX));
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_huge_sizes)
{
    size_t huge[] = {
        SIZE_MAX, SIZE_MAX - 15, (size_t)PY_SSIZE_T_MAX + 1, (size_t)PY_SSIZE_T_MAX,
        (size_t)PY_SSIZE_T_MAX - 4096,
        /* Below the library's limit: PyMem_Malloc itself fails. */
        PYZ3__ALLOC_MAX - 4096, (size_t)1 << (sizeof(size_t) * 8 - 2),
    };
    size_t i;
    void *p = pyz3_alloc(64);
    ck_assert_ptr_nonnull(p);
    fill(p, 64, 9);
    for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
        pyz3_gil g;
        ck_assert_ptr_null(pyz3_alloc(huge[i]));
        ck_assert_ptr_null(pyz3_alloc_aligned(huge[i], 64));
        ck_assert_ptr_null(pyz3_alloc_aligned(huge[i], 4096));
        ck_assert_ptr_null(pyz3_calloc(huge[i], 1));
        ck_assert_ptr_null(pyz3_realloc(NULL, huge[i]));
        ck_assert_ptr_null(pyz3_realloc(p, huge[i]));
        ck_assert(filled(p, 64, 9));
        /* And inside a scope, where pyz3_alloc takes its inline path. */
        g = pyz3_gil_acquire();
        ck_assert_ptr_null(pyz3_alloc(huge[i]));
        pyz3_gil_release(g);
        pyz3_test_no_error();
    }
    pyz3_free(p);
}
END_TEST

static const size_t realloc_sizes[] = { 1, 100, 5000, 7, 70000, 3, 300000, 48, 0, 33 };

/* Resize `p` (holding `size` bytes of pattern `seed`) through the sizes
 * above, checking alignment and contents at each step; return the block. */
static void *
resize_walk(void *p, size_t size, size_t alignment, unsigned int seed)
{
    size_t i;
    for (i = 0; i < sizeof(realloc_sizes) / sizeof(realloc_sizes[0]); i++) {
        size_t n = realloc_sizes[i], keep = n < size ? n : size;
        void *q = pyz3_realloc(p, n);
        ck_assert_msg(q != NULL, "realloc to %zu failed", n);
        ck_assert_msg(aligned(q, alignment), "realloc to %zu lost alignment %zu", n, alignment);
        ck_assert_msg(filled(q, keep, seed), "realloc to %zu lost the contents (alignment %zu)",
                      n, alignment);
        fill(q, n, seed);
        p = q;
        size = n;
    }
    return p;
}

START_TEST(test_alignment_powers_of_two)
{
    size_t alignment;
    for (alignment = 1; alignment <= ((size_t)1 << 20); alignment <<= 1) {
        void *p[4];
        int i;
        if (alignment > 4096 && alignment != 65536 && alignment != ((size_t)1 << 20))
            continue;
        for (i = 0; i < 4; i++) {
            size_t size = (size_t)i * 33 + 1;
            p[i] = pyz3_alloc_aligned(size, alignment);
            ck_assert_msg(p[i] != NULL, "alignment %zu", alignment);
            ck_assert_msg(aligned(p[i], alignment), "alignment %zu", alignment);
            fill(p[i], size, (unsigned int)(alignment + (size_t)i));
        }
        for (i = 0; i < 4; i++) {
            size_t size = (size_t)i * 33 + 1;
            p[i] = resize_walk(p[i], size, alignment, (unsigned int)(alignment + (size_t)i));
        }
        for (i = 0; i < 4; i++)
            pyz3_free(p[i]);
    }
    pyz3_test_no_error();
}
END_TEST

/* Blocks of the natural alignment keep it through realloc too. */
START_TEST(test_realloc_plain)
{
    void *p = pyz3_alloc(10);
    ck_assert_ptr_nonnull(p);
    fill(p, 10, 3);
    p = resize_walk(p, 10, 16, 3);
    pyz3_free(p);
    p = pyz3_calloc(4, 4);
    ck_assert_ptr_nonnull(p);
    fill(p, 16, 4);
    p = resize_walk(p, 16, 16, 4);
    pyz3_free(p);
}
END_TEST

START_TEST(test_bad_alignment)
{
    size_t bad[] = { 0, 3, 5, 6, 24, 48, 100, 4095, 4097, SIZE_MAX };
    size_t i;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(pyz3_alloc_aligned(16, bad[i]) == NULL, "alignment %zu", bad[i]);
        pyz3_test_no_error();
    }
}
END_TEST

START_TEST(test_realloc_null_free_null)
{
    void *p = pyz3_realloc(NULL, 200);
    ck_assert_ptr_nonnull(p);
    ck_assert(aligned(p, 16));
    fill(p, 200, 1);
    p = pyz3_realloc(p, 20000);
    ck_assert_ptr_nonnull(p);
    ck_assert(filled(p, 200, 1));
    pyz3_free(p);
    pyz3_free(NULL);
    {
        pyz3_gil g = pyz3_gil_acquire();
        pyz3_free(NULL);
        pyz3_gil_release(g);
    }
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    pyz3_test_no_error();
}
END_TEST

/* Blocks allocated at one depth and freed at another, in every mix of the
 * inline path (inside a scope) and the slow one (outside). */
START_TEST(test_nested_scopes)
{
    void *outside, *inside[5], *aligned_inside;
    pyz3_gil g[5];
    int i;
    outside = pyz3_alloc(50);
    ck_assert_ptr_nonnull(outside);
    for (i = 0; i < 5; i++) {
        g[i] = pyz3_gil_acquire();
        inside[i] = pyz3_alloc((size_t)i * 100 + 1);
        ck_assert_ptr_nonnull(inside[i]);
        fill(inside[i], (size_t)i * 100 + 1, (unsigned int)i);
    }
    aligned_inside = pyz3_alloc_aligned(300, 1024);
    ck_assert(aligned(aligned_inside, 1024));
    pyz3_free(outside);
    for (i = 4; i >= 2; i--) {
        ck_assert(filled(inside[i], (size_t)i * 100 + 1, (unsigned int)i));
        pyz3_free(inside[i]);
        pyz3_gil_release(g[i]);
    }
    inside[2] = pyz3_realloc(inside[1], 5000);
    ck_assert_ptr_nonnull(inside[2]);
    ck_assert(filled(inside[2], 101, 1));
    pyz3_gil_release(g[1]);
    pyz3_gil_release(g[0]);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    pyz3_free(inside[0]);
    pyz3_free(inside[2]);
    pyz3_free(aligned_inside);
    pyz3_test_no_error();
}
END_TEST

/* On threads without a Python thread state, the main thread's GIL
 * released: every function takes the GIL itself, and gives it back. */
#define ALLOC_THREADS 8

static void
alloc_thread(void *arg, unsigned int id)
{
    void **handed = arg;
    int round;
    for (round = 0; round < 100; round++) {
        size_t size = (size_t)round * 13 + id;
        unsigned char *a = pyz3_alloc(size);
        unsigned char *b = pyz3_alloc_aligned(size, (size_t)64 << (round % 7));
        unsigned char *c = pyz3_calloc(round + 1, 3);
        pyz3_test_expect(a != NULL && b != NULL && c != NULL);
        pyz3_test_expect(pyz3_gil_depth() == 0);
        pyz3_test_expect(!PyGILState_Check());
        if (a == NULL || b == NULL || c == NULL)
            break;
        pyz3_test_expect(aligned(b, (size_t)64 << (round % 7)));
        pyz3_test_expect(c[round * 3 + 2] == 0);
        fill(a, size, id);
        fill(b, size, id + 1);
        b = pyz3_realloc(b, size * 3 + 1);
        pyz3_test_expect(b != NULL && filled(b, size, id + 1));
        pyz3_test_expect(b == NULL || aligned(b, (size_t)64 << (round % 7)));
        pyz3_test_expect(filled(a, size, id));
        pyz3_free(a);
        pyz3_free(b);
        pyz3_free(c);
    }
    /* A block for the main thread to free. */
    handed[id] = pyz3_alloc(100);
    pyz3_test_expect(handed[id] != NULL);
    pyz3_test_expect(pyz3_gil_depth() == 0);
    pyz3_test_expect(!PyGILState_Check());
}

/* Run twice: threads keeping their Python thread state between scopes
 * (_i 0, the default), and not (_i 1). */
START_TEST(test_threads_without_gil)
{
    void *handed[ALLOC_THREADS];
    int i;
    pyz3_gil_keep_thread_states(_i == 0);
    memset(handed, 0, sizeof(handed));
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(ALLOC_THREADS, alloc_thread, handed);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
    for (i = 0; i < ALLOC_THREADS; i++)
        pyz3_free(handed[i]);
}
END_TEST

/* The main thread itself, with its GIL released. */
START_TEST(test_main_without_gil)
{
    int ok;
    Py_BEGIN_ALLOW_THREADS
    void *p = pyz3_alloc(100), *q = pyz3_alloc_aligned(100, 512);
    ok = p != NULL && q != NULL && aligned(q, 512) && !PyGILState_Check();
    q = pyz3_realloc(q, 1000);
    ok = ok && q != NULL && aligned(q, 512);
    pyz3_free(p);
    pyz3_free(q);
    ok = ok && !PyGILState_Check() && pyz3_gil_depth() == 0;
    Py_END_ALLOW_THREADS
    ck_assert(ok);
}
END_TEST

/* pyz3_py_allocator, only through its function pointers. */
START_TEST(test_py_allocator)
{
    const pyz3_allocator *a = &pyz3_py_allocator;
    size_t alignment;
    for (alignment = 1; alignment <= 4096; alignment <<= 1) {
        unsigned char *p = a->alloc(a->ctx, 40, alignment);
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, alignment));
        fill(p, 40, 5);
        p = a->resize(a->ctx, p, 40, 9000, alignment);
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, alignment));
        ck_assert(filled(p, 40, 5));
        fill(p, 9000, 6);
        p = a->resize(a->ctx, p, 9000, 12, alignment);
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, alignment));
        ck_assert(filled(p, 12, 6));
        a->free(a->ctx, p, 12, alignment);
    }
    ck_assert_ptr_null(a->alloc(a->ctx, 16, 24));
    ck_assert_ptr_null(a->alloc(a->ctx, SIZE_MAX, 16));
    a->free(a->ctx, NULL, 0, 16);
    pyz3_test_no_error();
}
END_TEST

/* Every function returns NULL without an exception when PyMem fails, and
 * leaves nothing allocated behind. */
START_TEST(test_alloc_failure)
{
    unsigned char *keep, *keep_aligned;
    pyz3_gil g;
    void *p;
    pyz3_arena arena;
    failing_install();

    keep = pyz3_alloc(64);
    keep_aligned = pyz3_alloc_aligned(64, 256);
    ck_assert_ptr_nonnull(keep);
    ck_assert_ptr_nonnull(keep_aligned);
    fill(keep, 64, 1);
    fill(keep_aligned, 64, 2);
    ck_assert_int_eq(failing_live, 2);

    failing_start(1);
    ck_assert_ptr_null(pyz3_alloc(10));
    ck_assert_ptr_null(pyz3_alloc(0));
    ck_assert_ptr_null(pyz3_alloc_aligned(10, 8));
    ck_assert_ptr_null(pyz3_alloc_aligned(10, 4096));
    ck_assert_ptr_null(pyz3_calloc(3, 10));
    ck_assert_ptr_null(pyz3_realloc(NULL, 10));
    ck_assert_ptr_null(pyz3_realloc(keep, 100000));
    ck_assert_ptr_null(pyz3_realloc(keep_aligned, 100000));
    ck_assert_ptr_null(pyz3_py_allocator.alloc(NULL, 10, 64));
    ck_assert_ptr_null(pyz3_py_allocator.resize(NULL, keep_aligned, 64, 100000, 256));
    pyz3_arena_init(&arena, NULL);
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 10, 0));
    pyz3_arena_fini(&arena);
    g = pyz3_gil_acquire();
    ck_assert_ptr_null(pyz3_alloc(10));
    ck_assert_ptr_null(pyz3_calloc(1, 1));
    pyz3_gil_release(g);
    ck_assert(failing_calls > 0);
    ck_assert(!PyErr_Occurred());
    failing_stop();

    /* The blocks whose resize failed are untouched. */
    ck_assert(filled(keep, 64, 1));
    ck_assert(filled(keep_aligned, 64, 2));
    ck_assert(aligned(keep_aligned, 256));
    ck_assert_int_eq(failing_live, 2);

    /* An arena whose second chunk fails keeps its first one usable. */
    pyz3_arena_init(&arena, NULL);
    p = pyz3_arena_alloc(&arena, 100, 0);
    ck_assert_ptr_nonnull(p);
    failing_start(1);
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 1 << 20, 0));
    failing_stop();
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 100, 0));
    pyz3_arena_fini(&arena);

    pyz3_free(keep);
    pyz3_free(keep_aligned);
    ck_assert_int_eq(failing_live, 0);
    ck_assert(!PyErr_Occurred());
    failing_uninstall();
}
END_TEST

/* Failing on a thread without the GIL behaves the same. */
static void
failing_thread(void *arg, unsigned int i)
{
    pyz3_test_expect(pyz3_alloc(10) == NULL);
    pyz3_test_expect(pyz3_alloc_aligned(10, 128) == NULL);
    pyz3_test_expect(pyz3_calloc(2, 2) == NULL);
    pyz3_test_expect(pyz3_realloc(arg, 1000) == NULL);
    pyz3_test_expect(!PyGILState_Check());
}

START_TEST(test_alloc_failure_thread)
{
    void *keep;
    failing_install();
    keep = pyz3_alloc_aligned(30, 32);
    ck_assert_ptr_nonnull(keep);
    fill(keep, 30, 7);
    failing_start(1);
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(1, failing_thread, keep);
    Py_END_ALLOW_THREADS
    failing_stop();
    pyz3_test_assert_expected();
    ck_assert(!PyErr_Occurred());
    ck_assert(filled(keep, 30, 7));
    pyz3_free(keep);
    ck_assert_int_eq(failing_live, 0);
    failing_uninstall();
}
END_TEST

/* ------------------------------------------------------------------------
 * The arena, on a backing allocator that counts its chunks and checks that
 * each comes back with the size and alignment it was allocated with. */

#define COUNTING_MAX 64

struct counting {
    pyz3_allocator vt;
    long allocs, frees, live;
    long fail_from;              /* fail the n-th alloc and after; 0: never */
    struct { void *p; size_t size, alignment; } blocks[COUNTING_MAX];
    int mismatch;
};

static void *
counting_alloc(void *ctx, size_t size, size_t alignment)
{
    struct counting *c = ctx;
    void *p;
    int i;
    c->allocs++;
    if (c->fail_from != 0 && c->allocs >= c->fail_from)
        return NULL;
    p = pyz3_py_allocator.alloc(pyz3_py_allocator.ctx, size, alignment);
    if (p == NULL)
        return NULL;
    for (i = 0; i < COUNTING_MAX; i++) {
        if (c->blocks[i].p == NULL) {
            c->blocks[i].p = p;
            c->blocks[i].size = size;
            c->blocks[i].alignment = alignment;
            break;
        }
    }
    if (i == COUNTING_MAX)
        c->mismatch = 1;
    c->live++;
    return p;
}

static void *
counting_resize(void *ctx, void *ptr, size_t old_size, size_t new_size,
                size_t alignment)
{
    ((struct counting *)ctx)->mismatch = 1;    /* the arena never resizes */
    return NULL;
}

static void
counting_free(void *ctx, void *ptr, size_t size, size_t alignment)
{
    struct counting *c = ctx;
    int i;
    c->frees++;
    for (i = 0; i < COUNTING_MAX; i++) {
        if (c->blocks[i].p == ptr) {
            if (c->blocks[i].size != size || c->blocks[i].alignment != alignment)
                c->mismatch = 1;
            c->blocks[i].p = NULL;
            break;
        }
    }
    if (i == COUNTING_MAX)
        c->mismatch = 1;
    c->live--;
    pyz3_py_allocator.free(pyz3_py_allocator.ctx, ptr, size, alignment);
}

static void
counting_init(struct counting *c)
{
    memset(c, 0, sizeof(*c));
    c->vt.ctx = c;
    c->vt.alloc = counting_alloc;
    c->vt.resize = counting_resize;
    c->vt.free = counting_free;
}

#define ARENA_ALLOCS 3000

START_TEST(test_arena_many)
{
    static const size_t alignments[] = { 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 4096, 8 };
    struct counting c;
    pyz3_arena arena;
    unsigned char **p = malloc(ARENA_ALLOCS * sizeof(*p));
    size_t *size = malloc(ARENA_ALLOCS * sizeof(*size));
    int i, j, round;
    ck_assert(p != NULL && size != NULL);
    counting_init(&c);
    pyz3_arena_init(&arena, &c.vt);
    ck_assert_int_eq(c.allocs, 0);
    for (round = 0; round < 3; round++) {
        long allocs_before = c.allocs;
        for (i = 0; i < ARENA_ALLOCS; i++) {
            size_t alignment = alignments[i % (sizeof(alignments) / sizeof(alignments[0]))];
            size[i] = (size_t)(i * 37 % 300);
            p[i] = pyz3_arena_alloc(&arena, size[i], alignment);
            ck_assert_ptr_nonnull(p[i]);
            ck_assert_msg(aligned(p[i], alignment != 0 ? alignment : 16),
                          "alignment %zu", alignment);
            fill(p[i], size[i], (unsigned int)i);
        }
        /* Nothing overlapped: every block still holds its own pattern,
         * and zero-size blocks are distinct. */
        for (i = 0; i < ARENA_ALLOCS; i++)
            ck_assert_msg(filled(p[i], size[i], (unsigned int)i), "block %d", i);
        for (i = 1; i < ARENA_ALLOCS; i++)
            for (j = i - 12 > 0 ? i - 12 : 0; j < i; j++)
                ck_assert_ptr_ne(p[i], p[j]);
        ck_assert_int_eq(c.live, c.allocs - c.frees);
        if (round > 0)
            ck_assert_msg(c.allocs - allocs_before <= 1,
                          "reset did not keep its memory: %ld new chunks",
                          c.allocs - allocs_before);
        pyz3_arena_reset(&arena);
        ck_assert_int_eq(c.live, 1);
        ck_assert(!c.mismatch);
    }
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);
    ck_assert_int_eq(c.frees, c.allocs);
    ck_assert(!c.mismatch);
    free(p);
    free(size);
    pyz3_test_no_error();
}
END_TEST

/* After reset, the kept chunk serves what fits in it without asking the
 * backing allocator again. */
START_TEST(test_arena_reset_reuse)
{
    struct counting c;
    pyz3_arena arena;
    void *first, *again;
    long allocs;
    int i;
    counting_init(&c);
    pyz3_arena_init(&arena, &c.vt);
    pyz3_arena_reset(&arena);       /* empty: nothing to do */
    ck_assert_int_eq(c.allocs, 0);
    first = pyz3_arena_alloc(&arena, 1000, 64);
    ck_assert_ptr_nonnull(first);
    pyz3_arena_reset(&arena);
    ck_assert_int_eq(c.live, 1);
    again = pyz3_arena_alloc(&arena, 1000, 64);
    ck_assert_ptr_eq(again, first);
    pyz3_arena_reset(&arena);
    allocs = c.allocs;
    for (i = 0; i < 30; i++)
        ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 100, 8));
    ck_assert_int_eq(c.allocs, allocs);
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);
    ck_assert(!c.mismatch);
}
END_TEST

START_TEST(test_arena_large_and_bad)
{
    struct counting c;
    pyz3_arena arena;
    unsigned char *big, *small;
    counting_init(&c);
    pyz3_arena_init(&arena, &c.vt);
    small = pyz3_arena_alloc(&arena, 10, 0);
    ck_assert_ptr_nonnull(small);
    fill(small, 10, 1);
    big = pyz3_arena_alloc(&arena, (size_t)3 << 20, 4096);
    ck_assert_ptr_nonnull(big);
    ck_assert(aligned(big, 4096));
    fill(big, (size_t)3 << 20, 2);
    ck_assert(filled(small, 10, 1));
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 10, 65536));
    ck_assert(aligned(pyz3_arena_alloc(&arena, 10, 65536), 65536));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 10, 3));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 10, 24));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, SIZE_MAX, 0));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, SIZE_MAX / 2, 16));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, SIZE_MAX - 64, 4096));
    ck_assert(filled(big, (size_t)3 << 20, 2));
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);
    ck_assert(!c.mismatch);
    pyz3_test_no_error();
}
END_TEST

/* The default backing allocator is pyz3_py_allocator: PyMem blocks, which
 * fini gives back (counted below PyMem). */
START_TEST(test_arena_default_backing)
{
    pyz3_arena arena;
    int i;
    failing_install();
    pyz3_arena_init(&arena, NULL);
    for (i = 0; i < 1000; i++) {
        void *p = pyz3_arena_alloc(&arena, (size_t)i, (size_t)1 << (i % 9));
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, (size_t)1 << (i % 9)));
    }
    ck_assert(failing_live > 0);
    pyz3_arena_reset(&arena);
    ck_assert_int_eq(failing_live, 1);
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(failing_live, 0);
    failing_uninstall();
}
END_TEST

START_TEST(test_arena_failing_backing)
{
    struct counting c;
    pyz3_arena arena;
    void *p;
    counting_init(&c);
    c.fail_from = 1;
    pyz3_arena_init(&arena, &c.vt);
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 10, 0));
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 0, 64));
    pyz3_test_no_error();
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);

    /* The second chunk fails: the first still serves what fits. */
    counting_init(&c);
    c.fail_from = 2;
    pyz3_arena_init(&arena, &c.vt);
    p = pyz3_arena_alloc(&arena, 100, 0);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(pyz3_arena_alloc(&arena, 1 << 20, 0));
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 100, 0));
    ck_assert_int_eq(c.live, 1);
    pyz3_arena_reset(&arena);
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 100, 0));
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);
    ck_assert(!c.mismatch);
}
END_TEST

START_TEST(test_arena_allocator_vtable)
{
    struct counting c;
    pyz3_arena arena;
    pyz3_allocator a;
    unsigned char *p, *q, *r;
    long live;
    counting_init(&c);
    pyz3_arena_init(&arena, &c.vt);
    a = pyz3_arena_allocator(&arena);
    p = a.alloc(a.ctx, 100, 64);
    ck_assert_ptr_nonnull(p);
    ck_assert(aligned(p, 64));
    fill(p, 100, 3);
    q = a.resize(a.ctx, p, 100, 5000, 64);
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_ne(q, p);
    ck_assert(aligned(q, 64));
    ck_assert(filled(q, 100, 3));
    ck_assert(filled(p, 100, 3));       /* the old block is still there */
    fill(q, 5000, 4);
    r = a.resize(a.ctx, q, 5000, 10, 256);
    ck_assert_ptr_nonnull(r);
    ck_assert(aligned(r, 256));
    ck_assert(filled(r, 10, 4));
    r = a.resize(a.ctx, NULL, 0, 30, 16);
    ck_assert_ptr_nonnull(r);
    live = c.live;
    a.free(a.ctx, p, 100, 64);          /* does nothing */
    a.free(a.ctx, q, 5000, 64);
    ck_assert_int_eq(c.live, live);
    ck_assert(filled(q, 10, 4));
    pyz3_arena_fini(&arena);
    ck_assert_int_eq(c.live, 0);
    ck_assert(!c.mismatch);
}
END_TEST

/* An arena behind the vtable as the backing allocator of another arena. */
START_TEST(test_arena_on_arena)
{
    struct counting c;
    pyz3_arena outer, inner;
    pyz3_allocator a;
    int i;
    counting_init(&c);
    pyz3_arena_init(&outer, &c.vt);
    a = pyz3_arena_allocator(&outer);
    pyz3_arena_init(&inner, &a);
    for (i = 0; i < 500; i++) {
        void *p = pyz3_arena_alloc(&inner, 64, 32);
        ck_assert_ptr_nonnull(p);
        ck_assert(aligned(p, 32));
        fill(p, 64, (unsigned int)i);
    }
    pyz3_arena_fini(&inner);
    pyz3_arena_fini(&outer);
    ck_assert_int_eq(c.live, 0);
    ck_assert(!c.mismatch);
}
END_TEST

/* An arena per thread, on the default backing, without the GIL. */
static void
arena_thread(void *arg, unsigned int id)
{
    pyz3_arena arena;
    int i;
    pyz3_arena_init(&arena, NULL);
    for (i = 0; i < 2000; i++) {
        unsigned char *p = pyz3_arena_alloc(&arena, (size_t)(i % 50) + 1, 8);
        pyz3_test_expect(p != NULL);
        if (p == NULL)
            break;
        p[0] = (unsigned char)id;
        if (i % 500 == 499)
            pyz3_arena_reset(&arena);
    }
    pyz3_arena_fini(&arena);
    pyz3_test_expect(!PyGILState_Check());
}

START_TEST(test_arena_threads)
{
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(4, arena_thread, NULL);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
}
END_TEST

START_TEST(test_abort_arena_use_after_fini)
{
    pyz3_arena arena;
    pyz3_arena_init(&arena, NULL);
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 10, 0));
    pyz3_arena_fini(&arena);
    pyz3_test_expect_abort("pyz3_arena_alloc");
    pyz3_arena_alloc(&arena, 10, 0);
}
END_TEST

START_TEST(test_abort_arena_reset_after_fini)
{
    pyz3_arena arena;
    pyz3_arena_init(&arena, NULL);
    pyz3_arena_fini(&arena);
    pyz3_test_expect_abort("pyz3_arena_reset");
    pyz3_arena_reset(&arena);
}
END_TEST

START_TEST(test_abort_arena_double_fini)
{
    pyz3_arena arena;
    pyz3_arena_init(&arena, NULL);
    ck_assert_ptr_nonnull(pyz3_arena_alloc(&arena, 10, 0));
    pyz3_arena_fini(&arena);
    pyz3_test_expect_abort("pyz3_arena_fini");
    pyz3_arena_fini(&arena);
}
END_TEST

START_TEST(test_abort_arena_uninitialized)
{
    pyz3_arena arena;
    memset(&arena, 0, sizeof(arena));
    pyz3_test_expect_abort("pyz3_arena_alloc");
    pyz3_arena_alloc(&arena, 10, 0);
}
END_TEST

static Suite *
alloc_suite(void)
{
    Suite *s = suite_create(PYZ3_INLINE_PATHS ? "alloc" : "alloc (out of line)");
    TCase *tc = pyz3_test_case("allocator");
    tcase_add_test(tc, test_alloc_free);
    tcase_add_test(tc, test_alloc_zero_unique);
    tcase_add_test(tc, test_calloc);
    tcase_add_test(tc, test_huge_sizes);
    tcase_add_test(tc, test_alignment_powers_of_two);
    tcase_add_test(tc, test_realloc_plain);
    tcase_add_test(tc, test_bad_alignment);
    tcase_add_test(tc, test_realloc_null_free_null);
    tcase_add_test(tc, test_nested_scopes);
    tcase_add_loop_test(tc, test_threads_without_gil, 0, 2);
    tcase_add_test(tc, test_main_without_gil);
    tcase_add_test(tc, test_py_allocator);
    tcase_add_test(tc, test_alloc_failure);
    tcase_add_test(tc, test_alloc_failure_thread);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("arena");
    tcase_add_test(tc, test_arena_many);
    tcase_add_test(tc, test_arena_reset_reuse);
    tcase_add_test(tc, test_arena_large_and_bad);
    tcase_add_test(tc, test_arena_default_backing);
    tcase_add_test(tc, test_arena_failing_backing);
    tcase_add_test(tc, test_arena_allocator_vtable);
    tcase_add_test(tc, test_arena_on_arena);
    tcase_add_test(tc, test_arena_threads);
    pyz3_test_add_abort(tc, test_abort_arena_use_after_fini);
    pyz3_test_add_abort(tc, test_abort_arena_reset_after_fini);
    pyz3_test_add_abort(tc, test_abort_arena_double_fini);
    pyz3_test_add_abort(tc, test_abort_arena_uninitialized);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return pyz3_test_run(alloc_suite());
}
