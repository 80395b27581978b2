/* failalloc.c -- every public function of libpyz3 under allocation failure.
 *
 *     failalloc [CASE-PREFIX]
 *
 * A PyMem_SetAllocator() hook on the three domains (raw, mem, object)
 * passes every call to CPython's allocator, counts the blocks alive, and
 * can fail one allocation: the N-th after it is armed ("once"), or the
 * N-th and every one after ("from"). Each case sets up its input unarmed,
 * calls one function armed, and checks the result unarmed. For every N
 * from 1 until the call makes fewer than N allocations, in both modes:
 *
 *   - the function returns its documented error: NULL or -1 with an
 *     exception (MemoryError, or the error it raises anyway), NULL with no
 *     exception for the allocator and the pool look-ups, or its success;
 *   - nothing leaks: the blocks alive after the case equal those before
 *     (the cached first-use cases: on failure);
 *   - nothing crashes (the program would die).
 *
 * Built twice, with the inline paths and with PYZ3_NO_INLINE. Prints one
 * line per case; exits 1 if any case failed. With FAILALLOC_TRACE=1 in the
 * environment, a leak report also prints where each block that was
 * allocated armed and not freed came from.
 */
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pyz3.h>

/* ------------------------------------------------------------------------
 * The failing allocator. */

static PyMemAllocatorEx fa_orig[3];
static long fa_live;            /* blocks alive, counted since the hook */
static long fa_seen;            /* allocations since armed */
static long fa_fail_at;         /* 0: never fail */
static int fa_fail_from;        /* fail every allocation from fa_fail_at on */
static int fa_armed;
static long fa_failed;          /* allocations failed since armed */
static long fa_before;          /* fa_live when the case started */

/* FAILALLOC_TRACE: the blocks allocated armed, until freed. */
#define FA_TRACE 256
static int fa_tracing;
static struct {
    void *p;
    void *stack[16];
    int depth;
} fa_trace[FA_TRACE];

static void
fa_track(void *p)
{
    int i;
    if (!fa_tracing || !fa_armed || p == NULL)
        return;
    for (i = 0; i < FA_TRACE; i++)
        if (fa_trace[i].p == NULL) {
            fa_trace[i].p = p;
            fa_trace[i].depth = backtrace(fa_trace[i].stack, 16);
            return;
        }
}

static void
fa_untrack(void *p)
{
    int i;
    for (i = 0; fa_tracing && p != NULL && i < FA_TRACE; i++)
        if (fa_trace[i].p == p)
            fa_trace[i].p = NULL;
}

static void
fa_trace_report(void)
{
    int i;
    for (i = 0; fa_tracing && i < FA_TRACE; i++)
        if (fa_trace[i].p != NULL) {
            fprintf(stderr, "block %p allocated at:\n", fa_trace[i].p);
            backtrace_symbols_fd(fa_trace[i].stack, fa_trace[i].depth, 2);
        }
}

static void
fa_trace_clear(void)
{
    memset(fa_trace, 0, sizeof(fa_trace));
}

static int
fa_should_fail(void)
{
    if (!fa_armed)
        return 0;
    fa_seen++;
    if (fa_fail_at == 0)
        return 0;
    if (fa_seen == fa_fail_at || (fa_fail_from && fa_seen > fa_fail_at)) {
        fa_failed++;
        return 1;
    }
    return 0;
}

static void *
fa_malloc(void *ctx, size_t n)
{
    PyMemAllocatorEx *o = &fa_orig[(intptr_t)ctx];
    void *p;
    if (fa_should_fail())
        return NULL;
    p = o->malloc(o->ctx, n);
    if (p != NULL)
        fa_live++;
    fa_track(p);
    return p;
}

static void *
fa_calloc(void *ctx, size_t count, size_t n)
{
    PyMemAllocatorEx *o = &fa_orig[(intptr_t)ctx];
    void *p;
    if (fa_should_fail())
        return NULL;
    p = o->calloc(o->ctx, count, n);
    if (p != NULL)
        fa_live++;
    fa_track(p);
    return p;
}

static void *
fa_realloc(void *ctx, void *ptr, size_t n)
{
    PyMemAllocatorEx *o = &fa_orig[(intptr_t)ctx];
    void *p;
    if (fa_should_fail())
        return NULL;
    p = o->realloc(o->ctx, ptr, n);
    if (p != NULL && ptr == NULL)
        fa_live++;
    if (p != NULL) {
        fa_untrack(ptr);
        fa_track(p);
    }
    return p;
}

static void
fa_free(void *ctx, void *ptr)
{
    PyMemAllocatorEx *o = &fa_orig[(intptr_t)ctx];
    if (ptr != NULL)
        fa_live--;
    fa_untrack(ptr);
    o->free(o->ctx, ptr);
}

static void
fa_install(void)
{
    static const PyMemAllocatorDomain domains[3] = {
        PYMEM_DOMAIN_RAW, PYMEM_DOMAIN_MEM, PYMEM_DOMAIN_OBJ,
    };
    int d;
    for (d = 0; d < 3; d++) {
        PyMemAllocatorEx hook = {
            (void *)(intptr_t)d, fa_malloc, fa_calloc, fa_realloc, fa_free,
        };
        PyMem_GetAllocator(domains[d], &fa_orig[d]);
        PyMem_SetAllocator(domains[d], &hook);
    }
}

static void
fa_arm(void)
{
    fa_seen = 0;
    fa_failed = 0;
    fa_armed = 1;
}

static void
fa_disarm(void)
{
    fa_armed = 0;
}

/* ------------------------------------------------------------------------
 * Verdicts. A case returns NULL when what it saw is allowed, else what was
 * wrong; it cleans up after itself either way. */

static char fa_why[512];

static const char *
wrong(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fa_why, sizeof(fa_why), fmt, ap);
    va_end(ap);
    PyErr_Clear();
    return fa_why;
}

/* After a call that failed: an exception must be set, MemoryError or
 * `other` (NULL: MemoryError only). Clears it. */
static const char *
failed_with(PyObject *other)
{
    if (!PyErr_Occurred())
        return wrong("failed without an exception");
    if (PyErr_ExceptionMatches(PyExc_MemoryError)
        || (other != NULL && PyErr_ExceptionMatches(other))) {
        PyErr_Clear();
        return NULL;
    }
    {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        wrong("failed with %s", ((PyTypeObject *)type)->tp_name);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    return fa_why;
}

/* The result of a call returning a new reference: NULL with MemoryError
 * (or `other`), or an object and no exception. Releases it. */
static const char *
object_or(PyObject *o, PyObject *other)
{
    if (o == NULL)
        return failed_with(other);
    if (PyErr_Occurred()) {
        Py_DECREF(o);
        return wrong("returned an object with an exception set");
    }
    Py_DECREF(o);
    return NULL;
}

/* A call that must fail: only `expected` or MemoryError. */
static const char *
must_fail(PyObject *o, PyObject *expected)
{
    if (o != NULL) {
        Py_DECREF(o);
        return wrong("succeeded where it must fail");
    }
    return failed_with(expected);
}

/* An unwrap's return: -1 with MemoryError or `other`, or 0 with `ok`. */
static const char *
unwrapped(int rc, int ok, PyObject *other)
{
    if (rc == -1)
        return failed_with(other);
    if (rc != 0)
        return wrong("returned %d", rc);
    if (PyErr_Occurred())
        return wrong("returned 0 with an exception set");
    if (!ok)
        return wrong("returned a wrong value");
    return NULL;
}

/* An allocator's return: NULL with no exception, or a block. */
static const char *
block_or_null(void *p)
{
    if (PyErr_Occurred())
        return wrong("set an exception");
    return NULL;
}

/* For cases that keep what a success made: the blocks leaked since the
 * case started, counted before anything succeeds. */
static long
leaked_so_far(void)
{
    PyType_ClearCache();
    return fa_live - fa_before;
}

/* Run Python code unarmed and return the object `name` it defines. Each
 * code is run once: classes live in reference cycles, which would count
 * as leaks with the collector off. */
#define PY_CACHE 64
static struct {
    const char *code, *name;
    PyObject *o;
} py_cache[PY_CACHE];

static PyObject *
py_object(const char *code, const char *name)
{
    PyObject *ns, *builtins, *res, *o = NULL;
    int i;
    for (i = 0; i < PY_CACHE && py_cache[i].code != NULL; i++)
        if (py_cache[i].code == code && strcmp(py_cache[i].name, name) == 0) {
            Py_INCREF(py_cache[i].o);
            return py_cache[i].o;
        }
    if (i == PY_CACHE)
        exit(2);
    ns = PyDict_New();
    if (ns == NULL)
        return NULL;
    builtins = PyImport_ImportModule("builtins");
    if (builtins != NULL && PyDict_SetItemString(ns, "__builtins__", builtins) == 0) {
        res = PyRun_String(code, Py_file_input, ns, ns);
        if (res != NULL) {
            o = PyDict_GetItemString(ns, name);
            Py_XINCREF(o);
            Py_DECREF(res);
        }
    }
    Py_XDECREF(builtins);
    Py_DECREF(ns);
    if (o == NULL) {
        PyErr_Print();
        fprintf(stderr, "failalloc: cannot run %s\n", code);
        exit(2);
    }
    py_cache[i].code = code;
    py_cache[i].name = name;
    py_cache[i].o = o;
    Py_INCREF(o);
    return o;
}

/* ------------------------------------------------------------------------
 * Wraps. */

static const char *
c_wrap_i64_big(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_i64((int64_t)1 << 40);
    fa_disarm();
    return object_or(o, NULL);
}

static const char *
c_wrap_i64_small(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_i64(-5);
    fa_disarm();
    if (o == NULL)
        return wrong("a pooled int failed");
    return object_or(o, NULL);
}

static const char *
c_wrap_u64_big(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_u64(UINT64_MAX);
    fa_disarm();
    return object_or(o, NULL);
}

static const char *
c_wrap_f64(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_f64(3.25);
    fa_disarm();
    return object_or(o, NULL);
}

static const char *
c_wrap_bool(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_bool(true);
    fa_disarm();
    if (o == NULL)
        return wrong("wrap_bool failed");
    return object_or(o, NULL);
}

static const char *
c_wrap_str_ascii(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_str("hello, world", 12);
    fa_disarm();
    return object_or(o, NULL);
}

static const char *
c_wrap_str_wide(void)
{
    static const char text[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d and a NUL \0 here";
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_str(text, sizeof(text) - 1);
    fa_disarm();
    return object_or(o, NULL);
}

static const char *
c_wrap_str_invalid(void)
{
    static const char text[] = "ok so far \xff\xfe then bad";
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_str(text, sizeof(text) - 1);
    fa_disarm();
    return must_fail(o, PyExc_UnicodeDecodeError);
}

static const char *
c_wrap_cstr(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_wrap_cstr("na\xc3\xafve");
    fa_disarm();
    return object_or(o, NULL);
}

/* ------------------------------------------------------------------------
 * Unwraps: the input is made unarmed, and *out must stay untouched on
 * failure. */

#define UNWRAP_CASE(fn, ctype, sentinel, make, expect_ok, other)            \
    static const char *                                                     \
    c_##fn##_##make(void)                                                   \
    {                                                                       \
        PyObject *in = make();                                              \
        ctype v = sentinel;                                                 \
        int rc;                                                             \
        const char *why;                                                    \
        fa_arm();                                                           \
        rc = pyz3_##fn(in, &v);                                             \
        fa_disarm();                                                        \
        if (rc != 0 && v != sentinel)                                       \
            why = wrong("changed *out on failure");                         \
        else                                                                \
            why = unwrapped(rc, expect_ok, other);                          \
        Py_DECREF(in);                                                      \
        return why;                                                         \
    }

static PyObject *big_int(void) { return PyLong_FromLongLong((long long)1 << 50); }
static PyObject *huge_int(void) { return py_object("x = 1 << 100", "x"); }
static PyObject *negative(void) { return PyLong_FromLong(-7); }
static PyObject *a_float(void) { return PyFloat_FromDouble(2.5); }
static PyObject *a_str(void) { return PyUnicode_FromString("12"); }
static PyObject *indexable(void)
{
    return py_object("class I:\n"
                     "    def __index__(self): return 10 ** 12 + len([1, 2, 3])\n"
                     "x = I()\n", "x");
}
static PyObject *bad_index(void)
{
    return py_object("class I:\n"
                     "    def __index__(self): raise ValueError('no ' + 'index')\n"
                     "x = I()\n", "x");
}
static PyObject *floatable(void)
{
    return py_object("class F:\n"
                     "    def __float__(self): return float(str(1.5))\n"
                     "x = F()\n", "x");
}
static PyObject *sized(void)
{
    return py_object("class S:\n"
                     "    def __len__(self): return len('abc')\n"
                     "x = S()\n", "x");
}
static PyObject *bad_bool(void)
{
    return py_object("class B:\n"
                     "    def __bool__(self): raise KeyError('no ' + 'bool')\n"
                     "x = B()\n", "x");
}

UNWRAP_CASE(unwrap_i64, int64_t, 77, big_int, v == (int64_t)1 << 50, NULL)
UNWRAP_CASE(unwrap_i64, int64_t, 77, huge_int, 0, PyExc_OverflowError)
UNWRAP_CASE(unwrap_i64, int64_t, 77, a_float, 0, PyExc_TypeError)
UNWRAP_CASE(unwrap_i64, int64_t, 77, a_str, 0, PyExc_TypeError)
UNWRAP_CASE(unwrap_i64, int64_t, 77, indexable, v == 1000000000003LL, NULL)
UNWRAP_CASE(unwrap_i64, int64_t, 77, bad_index, 0, PyExc_ValueError)
UNWRAP_CASE(unwrap_u64, uint64_t, 77, big_int, v == (uint64_t)1 << 50, NULL)
UNWRAP_CASE(unwrap_u64, uint64_t, 77, negative, 0, PyExc_OverflowError)
UNWRAP_CASE(unwrap_u64, uint64_t, 77, huge_int, 0, PyExc_OverflowError)
UNWRAP_CASE(unwrap_u64, uint64_t, 77, indexable, 0, PyExc_TypeError)
UNWRAP_CASE(unwrap_f64, double, 77.0, big_int, v == (double)((int64_t)1 << 50), NULL)
UNWRAP_CASE(unwrap_f64, double, 77.0, a_str, 0, PyExc_TypeError)
UNWRAP_CASE(unwrap_f64, double, 77.0, floatable, v == 1.5, NULL)
UNWRAP_CASE(unwrap_f64, double, 77.0, indexable, v == 1000000000003.0, NULL)
UNWRAP_CASE(unwrap_bool, bool, true, sized, v, NULL)
UNWRAP_CASE(unwrap_bool, bool, true, bad_bool, 0, PyExc_KeyError)

/* unwrap_str keeps the UTF-8 in the str: a fresh str for each run. */
static const char *
unwrap_str_of(PyObject *in, const char *expect, PyObject *other)
{
    const char *s = "untouched";
    size_t len = 12345;
    const char *why;
    int rc;
    fa_arm();
    rc = pyz3_unwrap_str(in, &s, &len);
    fa_disarm();
    if (rc != 0 && (strcmp(s, "untouched") != 0 || len != 12345))
        why = wrong("changed its outputs on failure");
    else
        why = unwrapped(rc, expect != NULL && len == strlen(expect)
                            && memcmp(s, expect, len) == 0, other);
    Py_DECREF(in);
    return why;
}

static const char *
c_unwrap_str_wide(void)
{
    return unwrap_str_of(PyUnicode_FromString("gr\xc3\xbc\xc3\x9f \xe2\x82\xac"),
                         "gr\xc3\xbc\xc3\x9f \xe2\x82\xac", NULL);
}

static const char *
c_unwrap_str_surrogate(void)
{
    return unwrap_str_of(py_object("x = 'a' + chr(0xd800)", "x"), NULL,
                         PyExc_UnicodeEncodeError);
}

static const char *
c_unwrap_str_not_str(void)
{
    return unwrap_str_of(PyBytes_FromString("bytes"), NULL, PyExc_TypeError);
}

static const char *
c_unwrap_str_subclass(void)
{
    PyObject *cls = py_object("class S(str): pass\n", "S");
    PyObject *in = PyObject_CallFunction(cls, "s", "sub \xc3\xa9");
    Py_DECREF(cls);
    if (in == NULL)
        exit(2);
    return unwrap_str_of(in, "sub \xc3\xa9", NULL);
}

/* ------------------------------------------------------------------------
 * The pool, emptied before each run: lookups must miss cleanly or fill. */

static const char *
c_pool_init(void)
{
    int rc;
    const char *why = NULL;
    pyz3_pool_fini();
    fa_arm();
    rc = pyz3_pool_init();
    fa_disarm();
    if (rc == -1)
        why = failed_with(PyExc_Exception);
    else if (rc != 0 || PyErr_Occurred())
        why = wrong("returned %d", rc);
    if (pyz3_pool_init() != 0)
        why = wrong("cannot be filled after the failure");
    return why;
}

/* Fill the pool again after a case that emptied it, its verdict taken. */
static const char *
refill(const char *why)
{
    if (pyz3_pool_init() != 0) {
        PyErr_Clear();
        return "the pool cannot be filled again";
    }
    return why;
}

static const char *
c_pool_int(void)
{
    PyObject *o;
    pyz3_pool_fini();
    fa_arm();
    o = pyz3_pool_int(42);
    fa_disarm();
    if (o == NULL)
        return refill(wrong("pyz3_pool_int(42) missed"));
    if (PyLong_AsLong(o) != 42)
        return refill(wrong("wrong int"));
    return refill(object_or(o, NULL));
}

static const char *
c_wrap_i64_pool_empty(void)
{
    PyObject *o;
    pyz3_pool_fini();
    fa_arm();
    o = pyz3_wrap_i64(200);
    fa_disarm();
    return refill(object_or(o, NULL));
}

static const char *
lookup_miss_or_hit(PyObject *o)
{
    if (o == NULL) {
        if (PyErr_Occurred())
            return wrong("a miss set an exception");
        return NULL;
    }
    return object_or(o, NULL);
}

static const char *
c_pool_float(void)
{
    PyObject *o;
    pyz3_pool_fini();
    fa_arm();
    o = pyz3_pool_float(0.5);
    fa_disarm();
    return refill(lookup_miss_or_hit(o));
}

static const char *
c_pool_str(void)
{
    PyObject *o;
    pyz3_pool_fini();
    fa_arm();
    o = pyz3_pool_str("None", 4);
    fa_disarm();
    return refill(lookup_miss_or_hit(o));
}

static const char *
c_pool_empty_tuple(void)
{
    PyObject *o;
    pyz3_pool_fini();
    fa_arm();
    o = pyz3_pool_empty_tuple();
    fa_disarm();
    return refill(object_or(o, NULL));
}

static const char *
c_pool_new_dict(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_pool_new_dict();
    fa_disarm();
    if (o != NULL && PyDict_SetItemString(o, "k", Py_None) < 0)
        PyErr_Clear();
    return object_or(o, NULL);
}

static const char *
c_pool_new_list(void)
{
    PyObject *o;
    fa_arm();
    o = pyz3_pool_new_list();
    fa_disarm();
    if (o != NULL && PyList_Append(o, Py_None) < 0)
        PyErr_Clear();
    return object_or(o, NULL);
}

/* ------------------------------------------------------------------------
 * The allocator and the arena. */

static const char *
c_alloc(void)
{
    char *p;
    fa_arm();
    p = pyz3_alloc(100);
    fa_disarm();
    if (p != NULL)
        memset(p, 1, 100);
    pyz3_free(p);
    return block_or_null(p);
}

static const char *
c_alloc_zero(void)
{
    void *p;
    fa_arm();
    p = pyz3_alloc(0);
    fa_disarm();
    pyz3_free(p);
    return block_or_null(p);
}

static const char *
c_alloc_without_gil(void)
{
    void *p = NULL;
    Py_BEGIN_ALLOW_THREADS
    fa_arm();
    p = pyz3_alloc(300);
    fa_disarm();
    pyz3_free(p);
    Py_END_ALLOW_THREADS
    return block_or_null(p);
}

static const char *
c_alloc_aligned(void)
{
    char *p, *q;
    fa_arm();
    p = pyz3_alloc_aligned(100, 64);
    q = pyz3_alloc_aligned(10, 4096);
    fa_disarm();
    if ((p != NULL && (uintptr_t)p % 64 != 0) || (q != NULL && (uintptr_t)q % 4096 != 0))
        return wrong("misaligned block");
    pyz3_free(p);
    pyz3_free(q);
    return block_or_null(p);
}

static const char *
c_calloc(void)
{
    unsigned char *p;
    size_t i;
    fa_arm();
    p = pyz3_calloc(10, 100);
    fa_disarm();
    for (i = 0; p != NULL && i < 1000; i++)
        if (p[i] != 0)
            return wrong("calloc'd block not zeroed");
    pyz3_free(p);
    return block_or_null(p);
}

/* realloc: on failure the block is untouched and still owned. */
static const char *
realloc_case(size_t alignment)
{
    unsigned char *p = alignment ? pyz3_alloc_aligned(64, alignment) : pyz3_alloc(64);
    unsigned char *q;
    size_t i;
    const char *why;
    if (p == NULL)
        return wrong("setup allocation failed");
    for (i = 0; i < 64; i++)
        p[i] = (unsigned char)i;
    fa_arm();
    q = pyz3_realloc(p, 100000);
    fa_disarm();
    why = block_or_null(q);
    if (q == NULL)
        q = p;
    else if (alignment && (uintptr_t)q % alignment != 0)
        why = wrong("realloc lost the alignment");
    for (i = 0; i < 64; i++)
        if (q[i] != (unsigned char)i)
            why = wrong("realloc lost the contents");
    pyz3_free(q);
    return why;
}

static const char *c_realloc(void) { return realloc_case(0); }
static const char *c_realloc_aligned(void) { return realloc_case(256); }

static const char *
c_py_allocator(void)
{
    const pyz3_allocator *a = &pyz3_py_allocator;
    char *p, *q = NULL;
    fa_arm();
    p = a->alloc(a->ctx, 48, 32);
    if (p != NULL) {
        memset(p, 7, 48);
        q = a->resize(a->ctx, p, 48, 5000, 32);
    }
    fa_disarm();
    if (q != NULL) {
        if (q[47] != 7)
            return wrong("resize lost the contents");
        p = q;
    }
    if (p != NULL)
        a->free(a->ctx, p, q != NULL ? 5000 : 48, 32);
    return block_or_null(p);
}

static const char *
c_arena(void)
{
    pyz3_arena arena;
    size_t i, got = 0;
    const char *why = NULL;
    pyz3_arena_init(&arena, NULL);
    fa_arm();
    for (i = 0; i < 40; i++) {
        char *p = pyz3_arena_alloc(&arena, 1000, i % 2 ? 64 : 0);
        if (p != NULL) {
            memset(p, 3, 1000);
            got++;
        }
        if (i == 20)
            pyz3_arena_reset(&arena);
    }
    fa_disarm();
    if (PyErr_Occurred())
        why = wrong("set an exception");
    /* Still usable after failures. */
    if (pyz3_arena_alloc(&arena, 50000, 0) == NULL)
        why = wrong("the arena is unusable after a failure");
    pyz3_arena_fini(&arena);
    return why;
}

/* ------------------------------------------------------------------------
 * Version check. */

static const char *
c_check_python_abi_fails(void)
{
    int rc;
    fa_arm();
    rc = pyz3_check_python_abi(0x02070000UL, 0);
    fa_disarm();
    if (rc != -1)
        return wrong("accepted Python 2.7");
    return failed_with(PyExc_ImportError);
}

static const char *
c_check_python_abi_ok(void)
{
    int rc;
    fa_arm();
    rc = pyz3_check_python_abi((unsigned long)PY_VERSION_HEX, 0);
    fa_disarm();
    return unwrapped(rc, 1, NULL);
}

/* ------------------------------------------------------------------------
 * The argument parser. */

struct args {
    int64_t i;
    uint64_t u;
    double f;
    bool b;
    pyz3_str s;
    PyObject *o;
    bool has_o;
};

static const pyz3_param params_array[] = {
    PYZ3_PARAM(struct args, i, PYZ3_ARG_I64),
    PYZ3_PARAM(struct args, f, PYZ3_ARG_F64),
    PYZ3_PARAM(struct args, u, PYZ3_ARG_U64, PYZ3_ARG_OPTIONAL, .def.u64 = 9),
    PYZ3_PARAM(struct args, s, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .def.str = "def\xc3\xa4ult"),
    PYZ3_PARAM(struct args, b, PYZ3_ARG_BOOL, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct args, o, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL,
               .given = PYZ3_GIVEN(struct args, has_o)),
};

static const pyz3_params params = PYZ3_PARAMS("target", params_array);

/* A call of `params` with the positional `args` and the keywords `kw`
 * (names then values in one tuple of objects, as vectorcall passes). */
static int
call(const pyz3_params *p, PyObject *argtuple, PyObject *kwnames, struct args *out)
{
    PyObject **items = &PyTuple_GET_ITEM(argtuple, 0);
    Py_ssize_t n = PyTuple_GET_SIZE(argtuple);
    Py_ssize_t nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    return pyz3_parse_args(p, items, n - nkw, kwnames, out);
}

/* Parse armed: `code` defines `a` (all values) and `k` (keyword names or
 * None); success must give i == expect_i. */
static const char *
parse_case(const pyz3_params *p, const char *code, int must_succeed, PyObject *other,
           int64_t expect_i)
{
    PyObject *a = py_object(code, "a");
    PyObject *k = py_object(code, "k");
    struct args out;
    int rc;
    const char *why;
    memset(&out, 0, sizeof(out));
    fa_arm();
    rc = call(p, a, k == Py_None ? NULL : k, &out);
    fa_disarm();
    if (rc == 0 && !must_succeed)
        why = wrong("a bad call succeeded");
    else
        why = unwrapped(rc, out.i == expect_i, other);
    Py_DECREF(a);
    Py_DECREF(k);
    return why;
}

static const char *
c_parse_positional(void)
{
    return parse_case(&params, "a = (5, 1.5, 7, 'x')\nk = None\n", 1, NULL, 5);
}

static const char *
c_parse_keywords(void)
{
    return parse_case(&params, "a = (1.5, 'caf\xc3\xa9', 6, 3, True, [])\n"
                               "k = ('f', 's', 'i', 'u', 'b', 'o')\n", 1, NULL, 6);
}

static const char *
c_parse_too_many(void)
{
    return parse_case(&params, "a = (1, 2.0, 3, 's', 5)\nk = None\n", 0,
                      PyExc_TypeError, 0);
}

static const char *
c_parse_missing(void)
{
    return parse_case(&params, "a = (1,)\nk = None\n", 0, PyExc_TypeError, 0);
}

static const char *
c_parse_unknown_keyword(void)
{
    return parse_case(&params, "a = (1, 2.0, 3)\nk = ('bb',)\n", 0, PyExc_TypeError, 0);
}

static const char *
c_parse_duplicate_keyword(void)
{
    return parse_case(&params, "a = (1, 2.0, 3)\nk = ('i',)\n", 0, PyExc_TypeError, 0);
}

static const char *
c_parse_wrong_type(void)
{
    return parse_case(&params, "a = ('no', 2.0)\nk = None\n", 0, PyExc_TypeError, 0);
}

static const char *
c_parse_overflow(void)
{
    return parse_case(&params, "a = (1 << 70, 2.0)\nk = None\n", 0, PyExc_OverflowError, 0);
}

static const char *
c_parse_surrogate(void)
{
    return parse_case(&params, "a = (1, 2.0, 3, chr(0xdc80))\nk = None\n", 0,
                      PyExc_UnicodeEncodeError, 0);
}

static const char *
c_parse_index_raises(void)
{
    return parse_case(&params,
                      "class I:\n    def __index__(self): raise ValueError('x')\n"
                      "a = (I(), 2.0)\nk = None\n", 0, PyExc_ValueError, 0);
}

/* A function with more parameters than the parser keeps on its stack. */
struct many {
    int64_t v[20];
};

static const pyz3_param many_array[] = {
    { .name = "v0", .offset = offsetof(struct many, v[0]), .size = 8, .type = PYZ3_ARG_I64 },
#define MANY(n) { .name = "v" #n, .offset = offsetof(struct many, v[n]), .size = 8, \
                  .type = PYZ3_ARG_I64, .flags = PYZ3_ARG_OPTIONAL }
    MANY(1), MANY(2), MANY(3), MANY(4), MANY(5), MANY(6), MANY(7), MANY(8), MANY(9),
    MANY(10), MANY(11), MANY(12), MANY(13), MANY(14), MANY(15), MANY(16), MANY(17),
    MANY(18), MANY(19),
};
static const pyz3_params many = PYZ3_PARAMS("many", many_array);

static const char *
c_parse_many_keywords(void)
{
    PyObject *a = py_object("a = (1, 2, 3)\nk = ('v19', 'v18')\n", "a");
    PyObject *k = py_object("a = (1, 2, 3)\nk = ('v19', 'v18')\n", "k");
    struct many out;
    int rc;
    const char *why;
    fa_arm();
    rc = pyz3_parse_args(&many, &PyTuple_GET_ITEM(a, 0), 1, k, &out);
    fa_disarm();
    why = unwrapped(rc, rc != 0 || (out.v[0] == 1 && out.v[19] == 2 && out.v[18] == 3), NULL);
    Py_DECREF(a);
    Py_DECREF(k);
    return why;
}

/* First use of a description: its table is filled (names interned, the
 * str default made) under failure. A fresh table each run; filled tables
 * stay linked in the library until the interpreter ends, so they are
 * never freed here. */
static const char *
c_parse_first_use(void)
{
    pyz3_params *p = malloc(sizeof(*p));
    pyz3_table *t = calloc(1, sizeof(*t));
    PyObject *a = py_object("a = (2, 1.5)\nk = None\n", "a");
    struct args out;
    int rc;
    const char *why;
    if (p == NULL || t == NULL)
        exit(2);
    *p = params;
    p->table = t;
    fa_arm();
    rc = pyz3_parse_args(p, &PyTuple_GET_ITEM(a, 0), 2, NULL, &out);
    fa_disarm();
    why = unwrapped(rc, out.i == 2 && out.s.len == 8 && out.s.obj != NULL, NULL);
    if (why == NULL && rc != 0 && leaked_so_far() != 0)
        why = wrong("%ld blocks leaked", leaked_so_far());
    /* The next use fills the table. */
    if (why == NULL && rc != 0
        && (pyz3_parse_args(p, &PyTuple_GET_ITEM(a, 0), 0, NULL, &out) != -1
            || !PyErr_ExceptionMatches(PyExc_TypeError)))
        why = wrong("a missing argument passed after a failed first use");
    PyErr_Clear();
    Py_DECREF(a);
    if (!t->ready) {
        free(t);
        free(p);
    }
    return why;
}

/* pyz3_tuple_steal: on failure every item is released. */
static const char *
c_tuple_steal(void)
{
    PyObject *x = PyFloat_FromDouble(10.5), *y = PyUnicode_FromString("why");
    PyObject *t;
    Py_ssize_t rx, ry;
    const char *why;
    Py_INCREF(x);
    Py_INCREF(y);
    rx = Py_REFCNT(x);
    ry = Py_REFCNT(y);
    fa_arm();
    t = pyz3_tuple(x, y, pyz3_wrap_i64((int64_t)1 << 45));
    fa_disarm();
    if (t == NULL && (Py_REFCNT(x) != rx - 1 || Py_REFCNT(y) != ry - 1))
        why = wrong("items not released on failure");
    else if (t != NULL && (Py_REFCNT(x) != rx || PyTuple_GET_SIZE(t) != 3))
        why = wrong("wrong tuple");
    else
        why = object_or(t, NULL);
    Py_DECREF(x);
    Py_DECREF(y);
    return why;
}

static const char *
c_dict_steal(void)
{
    static const char *const names[] = { "alpha", "beta" };
    pyz3_names *keys = malloc(sizeof(*keys));
    pyz3_table *t = calloc(1, sizeof(*t));
    PyObject *x = PyFloat_FromDouble(11.5), *d;
    Py_ssize_t rx;
    const char *why;
    if (keys == NULL || t == NULL)
        exit(2);
    keys->names = names;
    keys->count = 2;
    keys->table = t;
    Py_INCREF(x);
    rx = Py_REFCNT(x);
    fa_arm();
    d = pyz3_dict(keys, x, pyz3_wrap_str("b", 1));
    fa_disarm();
    if (d == NULL && Py_REFCNT(x) != rx - 1)
        why = wrong("values not released on failure");
    else if (d != NULL && PyDict_Size(d) != 2)
        why = wrong("wrong dict");
    else
        why = object_or(d, NULL);
    Py_DECREF(x);
    if (why == NULL && d == NULL && leaked_so_far() != 0)
        why = wrong("%ld blocks leaked", leaked_so_far());
    if (!t->ready) {
        free(t);
        free(keys);
    }
    return why;
}

/* ------------------------------------------------------------------------
 * GIL scopes allocate nothing on a thread that has a thread state: they
 * cannot fail. (On a thread without one, CPython's PyGILState_Ensure()
 * allocates the state and aborts the process if it cannot.) */

static const char *
c_gil_scopes(void)
{
    pyz3_gil g1, g2;
    pyz3_unlock u;
    fa_arm();
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    u = pyz3_gil_unlock();
    pyz3_gil_relock(u);
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    fa_disarm();
    if (fa_seen != 0)
        return wrong("%ld allocations", fa_seen);
    return NULL;
}

/* ------------------------------------------------------------------------ */

struct fa_case {
    const char *name;
    const char *(*run)(void);
    int caches;         /* keeps what a success makes: counts its own leaks */
};

#define CASE(f) { #f, c_##f, 0 }
#define CACHING(f) { #f, c_##f, 1 }
static const struct fa_case cases[] = {
    CASE(wrap_i64_big), CASE(wrap_i64_small), CASE(wrap_u64_big), CASE(wrap_f64),
    CASE(wrap_bool), CASE(wrap_str_ascii), CASE(wrap_str_wide), CASE(wrap_str_invalid),
    CASE(wrap_cstr),
    CASE(unwrap_i64_big_int), CASE(unwrap_i64_huge_int), CASE(unwrap_i64_a_float),
    CASE(unwrap_i64_a_str), CASE(unwrap_i64_indexable), CASE(unwrap_i64_bad_index),
    CASE(unwrap_u64_big_int), CASE(unwrap_u64_negative), CASE(unwrap_u64_huge_int),
    CASE(unwrap_u64_indexable),
    CASE(unwrap_f64_big_int), CASE(unwrap_f64_a_str), CASE(unwrap_f64_floatable),
    CASE(unwrap_f64_indexable),
    CASE(unwrap_bool_sized), CASE(unwrap_bool_bad_bool),
    CASE(unwrap_str_wide), CASE(unwrap_str_surrogate), CASE(unwrap_str_not_str),
    CASE(unwrap_str_subclass),
    CASE(pool_init), CASE(pool_int), CASE(wrap_i64_pool_empty), CASE(pool_float),
    CASE(pool_str), CASE(pool_empty_tuple), CASE(pool_new_dict), CASE(pool_new_list),
    CASE(alloc), CASE(alloc_zero), CASE(alloc_without_gil), CASE(alloc_aligned),
    CASE(calloc), CASE(realloc), CASE(realloc_aligned), CASE(py_allocator), CASE(arena),
    CASE(check_python_abi_fails), CASE(check_python_abi_ok),
    CASE(parse_positional), CASE(parse_keywords), CASE(parse_too_many),
    CASE(parse_missing), CASE(parse_unknown_keyword), CASE(parse_duplicate_keyword),
    CASE(parse_wrong_type), CASE(parse_overflow), CASE(parse_surrogate),
    CASE(parse_index_raises), CASE(parse_many_keywords),
    CACHING(parse_first_use), CASE(tuple_steal), CACHING(dict_steal),
    CASE(gil_scopes),
};

#define MAX_N 20000

/* Run one case for every N in both modes: 0 if all went well. */
static int
run_case(const struct fa_case *c)
{
    const char *why;
    long n, calls = 0, most = 0;
    int mode;
    /* Twice unarmed, so that caches are warm and the case itself works. */
    for (n = 0; n < 2; n++) {
        fa_fail_at = 0;
        if ((why = c->run()) != NULL) {
            printf("FAIL %s: without failures: %s\n", c->name, why);
            return 1;
        }
    }
    most = fa_seen;
    for (mode = 0; mode < 2; mode++) {
        fa_fail_from = mode;
        for (n = 1; n <= MAX_N; n++) {
            long before, after;
            fflush(stdout);
            /* The type attribute cache keeps the names looked up last. */
            PyType_ClearCache();
            before = fa_before = fa_live;
            fa_trace_clear();
            fa_fail_at = n;
            why = c->run();
            PyType_ClearCache();
            after = fa_live;
            calls++;
            if (why != NULL) {
                printf("FAIL %s: %s allocation %ld failing: %s\n", c->name,
                       mode ? "from" : "only", n, why);
                return 1;
            }
            if (after != before && !c->caches) {
                printf("FAIL %s: %s allocation %ld failing: %ld blocks leaked\n",
                       c->name, mode ? "from" : "only", n, after - before);
                fflush(stdout);
                fa_trace_report();
                return 1;
            }
            if (fa_seen < n)
                break;          /* the call needed fewer than n allocations */
        }
        if (n > MAX_N) {
            printf("FAIL %s: more than %d allocations\n", c->name, MAX_N);
            return 1;
        }
    }
    printf("ok   %-28s %4ld allocations, %5ld failing runs\n", c->name, most, calls);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *prefix = argc > 1 ? argv[1] : "";
    size_t i;
    int failures = 0, ran = 0;

    fa_tracing = getenv("FAILALLOC_TRACE") != NULL && strcmp(getenv("FAILALLOC_TRACE"), "1") == 0;
    Py_InitializeEx(0);
    fa_install();
    /* Deterministic counts: no collection in the middle of a case. */
    PyRun_SimpleString("import gc; gc.disable()");
    if (pyz3_pool_init() < 0)
        return 2;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strncmp(cases[i].name, prefix, strlen(prefix)) != 0)
            continue;
        failures += run_case(&cases[i]);
        ran++;
    }
    if (PyErr_Occurred()) {
        PyErr_Print();
        failures++;
    }
    if (Py_FinalizeEx() != 0)
        failures++;
    printf("failalloc (%s): %d cases, %d failed\n",
           PYZ3_INLINE_PATHS ? "inline" : "out of line", ran, failures);
    return failures != 0 || ran == 0;
}
