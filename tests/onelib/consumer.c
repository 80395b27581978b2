/* consumer.c -- a program that embeds one CPython and uses every unit of an
 * installed libpyz3 through the inline paths compiled for that CPython.
 *
 * tests/onelib/run.sh builds it once per CPython, against that CPython's
 * headers and the one installed libpyz3.so. It prints the file the library
 * was loaded from (so the script can tell it is the installed one) and "OK";
 * the first failed check prints its line and exits 1.
 */
#define _GNU_SOURCE 1
#include <pyz3.h>

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { \
    if (!(cond)) { \
        fprintf(stderr, "consumer.c:%d: check failed: %s\n", __LINE__, #cond); \
        if (Py_IsInitialized() && PyGILState_Check() && PyErr_Occurred()) \
            PyErr_Print(); \
        exit(1); \
    } \
} while (0)

/* An exception of `type` is set: clear it. */
#define CHECK_RAISED(type) do { \
    CHECK(PyErr_Occurred() != NULL); \
    CHECK(PyErr_ExceptionMatches(type)); \
    PyErr_Clear(); \
} while (0)

static int
aligned(const void *p, size_t alignment)
{
    return ((uintptr_t)p & (alignment - 1)) == 0;
}

/* Python's own value of `expr`, evaluated in __main__. New reference. */
static PyObject *
eval(const char *expr)
{
    PyObject *main_dict = PyModule_GetDict(PyImport_AddModule("__main__"));
    PyObject *o = PyRun_String(expr, Py_eval_input, main_dict, main_dict);
    CHECK(o != NULL);
    return o;
}

static void
check_equal(PyObject *o, const char *expr)
{
    PyObject *expected = eval(expr);
    CHECK(o != NULL);
    CHECK(Py_TYPE(o) == Py_TYPE(expected));
    CHECK(PyObject_RichCompareBool(o, expected, Py_EQ) == 1);
    Py_DECREF(expected);
    Py_DECREF(o);
}

static void
check_wraps(void)
{
    static const char text[] = "h\xc3\xa9llo\0w\xc3\xb6rld";
    const char *s;
    size_t len;
    PyObject *o;

    o = pyz3_wrap_i64(7);
    CHECK(o == pyz3_pool_int(7));
    Py_DECREF(o);
    Py_DECREF(o);
    check_equal(pyz3_wrap_i64(-5), "-5");
    check_equal(pyz3_wrap_i64(INT64_MIN), "-2**63");
    check_equal(pyz3_wrap_i64(INT64_MAX), "2**63 - 1");
    check_equal(pyz3_wrap_u64(256), "256");
    check_equal(pyz3_wrap_u64(UINT64_MAX), "2**64 - 1");
    check_equal(pyz3_wrap_f64(2.5), "2.5");
    o = pyz3_wrap_bool(true);
    CHECK(o == Py_True);
    Py_DECREF(o);
    o = pyz3_wrap_bool(false);
    CHECK(o == Py_False);
    Py_DECREF(o);
    check_equal(pyz3_wrap_str(text, sizeof text - 1), "'h\\xe9llo\\x00w\\xf6rld'");
    check_equal(pyz3_wrap_str("", 0), "''");
    check_equal(pyz3_wrap_cstr("abc"), "'abc'");
    check_equal(pyz3_wrap((short)-3), "-3");
    check_equal(pyz3_wrap(40000000000LL), "40000000000");
    check_equal(pyz3_wrap((unsigned char)200), "200");
    check_equal(pyz3_wrap(0.25f), "0.25");
    check_equal(pyz3_wrap((_Bool)1), "True");
    check_equal(pyz3_wrap((const char *)"xyz"), "'xyz'");

    /* Invalid UTF-8 fails the way PyUnicode_DecodeUTF8 does. */
    CHECK(pyz3_wrap_str("\xff\xfe", 2) == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError);

    o = pyz3_wrap_str(text, sizeof text - 1);
    CHECK(pyz3_unwrap_str(o, &s, &len) == 0);
    CHECK(len == sizeof text - 1 && memcmp(s, text, len) == 0);
    Py_DECREF(o);
    o = eval("'plain ascii'");
    CHECK(pyz3_unwrap_str(o, &s, NULL) == 0);
    CHECK(strcmp(s, "plain ascii") == 0);
    Py_DECREF(o);
}

static void
check_unwraps(void)
{
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0.0;
    bool b = false;
    const char *s = NULL;
    PyObject *o;

    o = eval("-12345");
    CHECK(pyz3_unwrap_i64(o, &i) == 0 && i == -12345);
    Py_DECREF(o);
    o = eval("-2**63");
    CHECK(pyz3_unwrap_i64(o, &i) == 0 && i == INT64_MIN);
    Py_DECREF(o);
    o = eval("True");                   /* a bool is an int */
    CHECK(pyz3_unwrap_i64(o, &i) == 0 && i == 1);
    Py_DECREF(o);
    o = eval("2**64 - 1");
    CHECK(pyz3_unwrap_u64(o, &u) == 0 && u == UINT64_MAX);
    Py_DECREF(o);
    o = eval("1.5");
    CHECK(pyz3_unwrap_f64(o, &d) == 0 && d == 1.5);
    Py_DECREF(o);
    o = eval("3");                      /* an int converts, as in PyFloat_AsDouble */
    CHECK(pyz3_unwrap_f64(o, &d) == 0 && d == 3.0);
    Py_DECREF(o);
    CHECK(pyz3_unwrap_bool(Py_True, &b) == 0 && b);
    CHECK(pyz3_unwrap_bool(Py_False, &b) == 0 && !b);
    o = eval("[0]");
    CHECK(pyz3_unwrap_bool(o, &b) == 0 && b);
    Py_DECREF(o);

    /* The failing ones raise what CPython's own function raises and leave
     * the output alone. */
    i = 99;
    o = eval("'12'");
    CHECK(pyz3_unwrap_i64(o, &i) == -1 && i == 99);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(pyz3_unwrap_f64(o, &d) == -1);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(o);
    o = eval("2**63");
    CHECK(pyz3_unwrap_i64(o, &i) == -1 && i == 99);
    CHECK_RAISED(PyExc_OverflowError);
    Py_DECREF(o);
    o = eval("-1");
    CHECK(pyz3_unwrap_u64(o, &u) == -1);
    CHECK_RAISED(PyExc_OverflowError);
    Py_DECREF(o);
    o = eval("b'bytes'");
    CHECK(pyz3_unwrap_str(o, &s, NULL) == -1 && s == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(o);
    o = eval("'\\ud800'");              /* a lone surrogate has no UTF-8 */
    CHECK(pyz3_unwrap_str(o, &s, NULL) == -1);
    CHECK_RAISED(PyExc_UnicodeEncodeError);
    Py_DECREF(o);
}

static void
check_pool(void)
{
    PyObject *o, *p;

    CHECK(pyz3_pool_init() == 0);
    CHECK(pyz3_pool_init() == 0);
    o = pyz3_pool_int(-5);
    p = PyLong_FromLong(-5);
    CHECK(o != NULL && o == p);
    Py_DECREF(o);
    Py_DECREF(p);
    check_equal(pyz3_pool_int(256), "256");
    CHECK(pyz3_pool_int(257) == NULL && !PyErr_Occurred());
    CHECK(pyz3_pool_int(-6) == NULL && !PyErr_Occurred());
    check_equal(pyz3_pool_empty_tuple(), "()");
    o = pyz3_pool_new_dict();
    p = pyz3_pool_new_dict();
    CHECK(o != NULL && p != NULL && o != p);
    CHECK(PyDict_SetItemString(o, "k", Py_None) == 0);
    CHECK(PyDict_Size(p) == 0);
    Py_DECREF(o);
    Py_DECREF(p);
    check_equal(pyz3_pool_new_list(), "[]");
    check_equal(pyz3_pool_float(0.5), "0.5");
    check_equal(pyz3_pool_float(-1.0), "-1.0");
    CHECK(pyz3_pool_float(-0.0) == NULL && !PyErr_Occurred());
    CHECK(pyz3_pool_float(NAN) == NULL && !PyErr_Occurred());
    CHECK(pyz3_pool_float(0.25) == NULL && !PyErr_Occurred());
    check_equal(pyz3_pool_str("None", 4), "'None'");
    check_equal(pyz3_pool_str("", 0), "''");
    CHECK(pyz3_pool_str("Non", 3) == NULL && !PyErr_Occurred());
}

/* The allocator, on a thread that may or may not hold the GIL. */
static void
check_alloc(void)
{
    static const size_t alignments[] = { 1, 8, 16, 64, 256, 4096 };
    unsigned char *p, *q;
    size_t i;
    void *v;

    p = pyz3_alloc(100);
    CHECK(p != NULL && aligned(p, 16));
    memset(p, 0xab, 100);
    p = pyz3_realloc(p, 100000);
    CHECK(p != NULL && p[0] == 0xab && p[99] == 0xab);
    pyz3_free(p);

    p = pyz3_alloc(0);
    q = pyz3_alloc(0);
    CHECK(p != NULL && q != NULL && p != q);
    pyz3_free(p);
    pyz3_free(q);
    pyz3_free(NULL);

    for (i = 0; i < sizeof alignments / sizeof alignments[0]; i++) {
        p = pyz3_alloc_aligned(48, alignments[i]);
        CHECK(p != NULL && aligned(p, alignments[i]));
        memset(p, 0x5a, 48);
        p = pyz3_realloc(p, 5000);
        CHECK(p != NULL && aligned(p, alignments[i]) && p[47] == 0x5a);
        pyz3_free(p);
    }
    CHECK(pyz3_alloc_aligned(16, 24) == NULL);

    p = pyz3_calloc(10, 100);
    CHECK(p != NULL && p[0] == 0 && p[999] == 0);
    pyz3_free(p);
    CHECK(pyz3_calloc(SIZE_MAX / 2, 4) == NULL);

    v = pyz3_py_allocator.alloc(pyz3_py_allocator.ctx, 32, 128);
    CHECK(v != NULL && aligned(v, 128));
    v = pyz3_py_allocator.resize(pyz3_py_allocator.ctx, v, 32, 64, 128);
    CHECK(v != NULL && aligned(v, 128));
    pyz3_py_allocator.free(pyz3_py_allocator.ctx, v, 64, 128);
}

static void
check_arena(void)
{
    pyz3_arena arena;
    pyz3_allocator a;
    char *p = NULL;
    void *v;
    int i;

    pyz3_arena_init(&arena, NULL);
    for (i = 0; i < 1000; i++) {
        p = pyz3_arena_alloc(&arena, (size_t)(i % 97) + 1, (size_t)1 << (i % 7));
        CHECK(p != NULL && aligned(p, (size_t)1 << (i % 7)));
        memset(p, i & 0xff, (size_t)(i % 97) + 1);
    }
    p = pyz3_arena_alloc(&arena, 1 << 20, 0);
    CHECK(p != NULL && aligned(p, 16));
    memset(p, 1, 1 << 20);
    pyz3_arena_reset(&arena);
    p = pyz3_arena_alloc(&arena, 64, 64);
    CHECK(p != NULL && aligned(p, 64));
    a = pyz3_arena_allocator(&arena);
    v = a.alloc(a.ctx, 24, 8);
    CHECK(v != NULL && aligned(v, 8));
    memcpy(v, "0123456789abcdefghijklm", 24);
    v = a.resize(a.ctx, v, 24, 48, 8);
    CHECK(v != NULL && memcmp(v, "0123456789abcdefghijklm", 24) == 0);
    a.free(a.ctx, v, 48, 8);
    pyz3_arena_fini(&arena);
}

/* A thread CPython did not create: scopes take the GIL there too. */
static void *
second_thread(void *arg)
{
    pyz3_gil outer, inner;
    PyObject *o;
    int64_t v = 0;

    CHECK(pyz3_gil_depth() == 0);
    check_alloc();
    outer = pyz3_gil_acquire();
    inner = pyz3_gil_acquire();
    CHECK(pyz3_gil_depth() == 2 && PyGILState_Check());
    o = pyz3_wrap_i64(1000000);
    CHECK(pyz3_unwrap_i64(o, &v) == 0 && v == 1000000);
    Py_DECREF(o);
    check_alloc();
    pyz3_gil_release(inner);
    pyz3_gil_release(outer);
    CHECK(pyz3_gil_depth() == 0);
    *(int *)arg = 1;
    return NULL;
}

static void
check_gil(void)
{
    pyz3_gil g1, g2, g3;
    pyz3_unlock u;
    pthread_t thread;
    int done = 0;

    CHECK(pyz3_gil_depth() == 0);
    g1 = pyz3_gil_acquire();
    CHECK(pyz3_gil_depth() == 1 && PyGILState_Check());
    g2 = pyz3_gil_acquire();
    g3 = pyz3_gil_acquire();
    CHECK(pyz3_gil_depth() == 3);
    pyz3_gil_release(g3);
    CHECK(pyz3_gil_depth() == 2);

    /* Let the second thread run while two scopes are open here. */
    u = pyz3_gil_unlock();
    CHECK(pyz3_gil_depth() == 0);
    CHECK(pthread_create(&thread, NULL, second_thread, &done) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK(done == 1);
    pyz3_gil_relock(u);
    CHECK(pyz3_gil_depth() == 2 && PyGILState_Check());

    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    CHECK(pyz3_gil_depth() == 0);

    pyz3_gil_assume();
    CHECK(pyz3_gil_depth() == 1);
    pyz3_gil_unassume();
    CHECK(pyz3_gil_depth() == 0);
}

/* The file the dynamic linker loaded libpyz3 from. */
static const char *
library_file(void)
{
    Dl_info info;
    if (dladdr((void *)pyz3_version, &info) == 0 || info.dli_fname == NULL)
        return "?";
    return info.dli_fname;
}

int
main(void)
{
    PyThreadState *main_state;
    pyz3_gil g;
    PyObject *o;
    int64_t v = 0;

    Py_Initialize();
    CHECK(pyz3_check_python() == 0);
    CHECK(strcmp(pyz3_version(), PYZ3_VERSION) == 0);
    main_state = PyEval_SaveThread();

    check_gil();
    check_alloc();
    check_arena();
    g = pyz3_gil_acquire();
    check_alloc();
    check_wraps();
    check_unwraps();
    check_pool();
    pyz3_gil_release(g);
    CHECK(pyz3_gil_depth() == 0);

    PyEval_RestoreThread(main_state);
    CHECK(Py_FinalizeEx() == 0);

    /* A second interpreter life: the pool refills itself. */
    Py_Initialize();
    o = pyz3_wrap_i64(42);
    CHECK(o != NULL && pyz3_unwrap_i64(o, &v) == 0 && v == 42);
    Py_DECREF(o);
    CHECK(Py_FinalizeEx() == 0);

    printf("libpyz3 %s from %s\n", pyz3_version(), library_file());
    printf("OK\n");
    return 0;
}
