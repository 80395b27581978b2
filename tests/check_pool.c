/* check_pool.c -- the object pool of <pyz3/pool.h>.
 *
 * Hits and misses of every look-up, the lifetime of the pool (lazy fill,
 * idempotent init, fini and refill, and finalize / re-initialize cycles of
 * the interpreter in one process), balanced reference counts, and threads
 * hammering the pool through their own GIL scopes. Built twice: with the
 * header's inline paths, and with PYZ3_NO_INLINE against the library.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pyz3_test.h"

/* `a` is a new reference that the caller owns and `before` was the count of
 * that object before the call: the call must have added exactly one
 * reference (an immortal object's count never moves). */
static void
check_one_more(PyObject *a, Py_ssize_t before)
{
    ck_assert_ptr_nonnull(a);
    ck_assert(pyz3_test_immortal(a) || Py_REFCNT(a) == before + 1);
}

START_TEST(test_int_hits)
{
    int64_t v;
    /* Filled first: the fill takes the pool's own references. */
    ck_assert_int_eq(pyz3_pool_init(), 0);
    for (v = -5; v <= 256; v++) {
        PyObject *cached = PyLong_FromLong((long)v);
        Py_ssize_t before = Py_REFCNT(cached);
        PyObject *o = pyz3_pool_int(v);
        ck_assert_msg(o == cached, "pyz3_pool_int(%lld) is not CPython's",
                      (long long)v);
        check_one_more(o, before);
        Py_DECREF(o);
        ck_assert_int_eq(Py_REFCNT(cached), before);
        Py_DECREF(cached);
    }
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_int_misses)
{
    static const int64_t misses[] = {
        -6, -7, 257, 258, 1000, -1000, INT32_MAX, INT32_MIN,
        INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1,
    };
    size_t i;
    for (i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        ck_assert_ptr_null(pyz3_pool_int(misses[i]));
        pyz3_test_no_error();
    }
    /* A miss neither needs nor fills the pool. */
    pyz3_pool_fini();
    ck_assert_ptr_null(pyz3_pool_int(257));
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_empty_tuple)
{
    PyObject *cpython, *a, *b;
    Py_ssize_t before;
    ck_assert_int_eq(pyz3_pool_init(), 0);
    cpython = PyTuple_New(0);
    before = Py_REFCNT(cpython);
    a = pyz3_pool_empty_tuple();
    ck_assert_ptr_nonnull(a);
    ck_assert(PyTuple_CheckExact(a));
    ck_assert_int_eq(PyTuple_GET_SIZE(a), 0);
    ck_assert_ptr_eq(a, cpython);
    check_one_more(a, before);
    before = Py_REFCNT(a);
    b = pyz3_pool_empty_tuple();
    ck_assert_ptr_eq(a, b);
    check_one_more(b, before);
    Py_DECREF(b);
    Py_DECREF(a);
    Py_DECREF(cpython);
    pyz3_test_no_error();
}
END_TEST

/* pyz3_new_dict() and pyz3_new_list(), and their first names. */
START_TEST(test_new_dict)
{
    PyObject *a = pyz3_new_dict(), *b = pyz3_pool_new_dict();
    PyObject *key = PyUnicode_FromString("k");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert(PyDict_CheckExact(a) && PyDict_CheckExact(b));
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(PyDict_Size(a), 0);
    ck_assert_int_eq(PyDict_SetItem(a, key, Py_None), 0);
    ck_assert_int_eq(PyDict_Size(a), 1);
    ck_assert_int_eq(PyDict_Size(b), 0);
    Py_DECREF(a);
    a = pyz3_pool_new_dict();
    ck_assert_int_eq(PyDict_Size(a), 0);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(key);
}
END_TEST

START_TEST(test_new_list)
{
    PyObject *a = pyz3_new_list(), *b = pyz3_pool_new_list();
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    ck_assert(PyList_CheckExact(a) && PyList_CheckExact(b));
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(PyList_GET_SIZE(a), 0);
    ck_assert_int_eq(PyList_Append(a, Py_None), 0);
    ck_assert_int_eq(PyList_GET_SIZE(a), 1);
    ck_assert_int_eq(PyList_GET_SIZE(b), 0);
    Py_DECREF(a);
    a = pyz3_pool_new_list();
    ck_assert_int_eq(PyList_GET_SIZE(a), 0);
    Py_DECREF(a);
    Py_DECREF(b);
}
END_TEST

START_TEST(test_float)
{
    static const double hits[] = { 0.0, 1.0, -1.0, 0.5 };
    const double misses[] = {
        -0.0, NAN, -NAN, INFINITY, -INFINITY, 2.0, 0.1, -0.5, 1e-300,
        nextafter(1.0, 2.0), nextafter(0.0, 1.0),
    };
    size_t i;
    for (i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        PyObject *a = pyz3_pool_float(hits[i]), *b;
        Py_ssize_t before;
        double got;
        ck_assert_msg(a != NULL, "pyz3_pool_float(%g) missed", hits[i]);
        ck_assert(PyFloat_CheckExact(a));
        got = PyFloat_AS_DOUBLE(a);
        ck_assert(memcmp(&got, &hits[i], sizeof got) == 0);
        before = Py_REFCNT(a);
        b = pyz3_pool_float(hits[i]);
        ck_assert_ptr_eq(a, b);
        check_one_more(b, before);
        Py_DECREF(b);
        Py_DECREF(a);
    }
    for (i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        ck_assert_msg(pyz3_pool_float(misses[i]) == NULL,
                      "pyz3_pool_float(%g) hit", misses[i]);
        pyz3_test_no_error();
    }
}
END_TEST

START_TEST(test_str)
{
    static const char *const hits[] = { "", "None", "True", "False" };
    static const struct { const char *s; size_t len; } misses[] = {
        { "none", 4 }, { "true", 4 }, { "TRUE", 4 }, { "True\0", 5 },
        { "Tru", 3 }, { "Falsey", 6 }, { "None", 3 }, { " ", 1 },
        { "\0", 1 }, { NULL, 3 }, { NULL, 4 },
    };
    size_t i;
    for (i = 0; i < sizeof hits / sizeof hits[0]; i++) {
        PyObject *a = pyz3_pool_str(hits[i], strlen(hits[i])), *b, *ref;
        Py_ssize_t before;
        ck_assert_msg(a != NULL, "pyz3_pool_str(\"%s\") missed", hits[i]);
        ck_assert(PyUnicode_CheckExact(a));
        ref = PyUnicode_FromString(hits[i]);
        ck_assert_int_eq(PyObject_RichCompareBool(a, ref, Py_EQ), 1);
        Py_DECREF(ref);
        before = Py_REFCNT(a);
        b = pyz3_pool_str(hits[i], strlen(hits[i]));
        ck_assert_ptr_eq(a, b);
        check_one_more(b, before);
        Py_DECREF(b);
        Py_DECREF(a);
    }
    /* The length decides: the bytes after it are not looked at. */
    {
        PyObject *a = pyz3_pool_str("Nonesuch", 4);
        PyObject *b = pyz3_pool_str(NULL, 0);
        ck_assert_int_eq(PyUnicode_CompareWithASCIIString(a, "None"), 0);
        ck_assert_ptr_nonnull(b);
        ck_assert_int_eq(PyUnicode_GetLength(b), 0);
        Py_DECREF(a);
        Py_DECREF(b);
    }
    for (i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        ck_assert_msg(pyz3_pool_str(misses[i].s, misses[i].len) == NULL,
                      "pyz3_pool_str miss #%zu hit", i);
        pyz3_test_no_error();
    }
}
END_TEST

/* Called from Python code whose globals have builtins of their own (exec
 * with {"__builtins__": ...}): still the interpreter that filled the pool,
 * which a frame's builtins do not tell. */
static PyObject *
frame_hits(PyObject *self, PyObject *unused)
{
    PyObject *f = pyz3_pool_float(1.0), *s = pyz3_pool_str("None", 4);
    int hit = f != NULL && s != NULL;
    Py_XDECREF(f);
    Py_XDECREF(s);
    return PyBool_FromLong(hit);
}

static PyObject *
frame_fini(PyObject *self, PyObject *unused)
{
    pyz3_pool_fini();
    Py_RETURN_NONE;
}

static PyMethodDef frame_defs[] = {
    { "hits", frame_hits, METH_NOARGS, NULL },
    { "fini", frame_fini, METH_NOARGS, NULL },
};

/* Run `code` with globals holding the functions above and, as their
 * "__builtins__", an empty dict or a copy of the builtins: its result. */
static PyObject *
run_with_builtins(const char *code, int copy)
{
    PyObject *globals = PyDict_New(), *builtins = NULL, *res = NULL;
    size_t i;
    ck_assert_ptr_nonnull(globals);
    builtins = copy ? PyDict_Copy(PyEval_GetBuiltins()) : PyDict_New();
    ck_assert_ptr_nonnull(builtins);
    ck_assert_int_eq(PyDict_SetItemString(globals, "__builtins__", builtins), 0);
    for (i = 0; i < sizeof frame_defs / sizeof frame_defs[0]; i++) {
        PyObject *f = PyCFunction_New(&frame_defs[i], NULL);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(PyDict_SetItemString(globals, frame_defs[i].ml_name, f), 0);
        Py_DECREF(f);
    }
    res = PyRun_String(code, Py_eval_input, globals, globals);
    Py_DECREF(builtins);
    Py_DECREF(globals);
    ck_assert_msg(res != NULL, "%s raised", code);
    return res;
}

START_TEST(test_frame_builtins)
{
    int copy;
    for (copy = 0; copy <= 1; copy++) {
        PyObject *res;
        ck_assert_int_eq(pyz3_pool_init(), 0);
        res = run_with_builtins("hits()", copy);
        ck_assert_msg(res == Py_True, "a look-up missed in the filler's interpreter "
                      "(builtins: %s)", copy ? "a copy" : "an empty dict");
        Py_DECREF(res);
        /* fini there gives the pool back: the ints are gone with it. */
        res = run_with_builtins("fini()", copy);
        Py_DECREF(res);
        ck_assert_ptr_null(pyz3__pool_ints[5]);
        /* And a fill from there serves the interpreter everywhere. */
        res = run_with_builtins("hits()", copy);
        Py_DECREF(res);
        ck_assert_ptr_nonnull(pyz3__pool_ints[5]);
        res = frame_hits(NULL, NULL);
        ck_assert_ptr_eq(res, Py_True);
        Py_DECREF(res);
    }
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_init_idempotent)
{
    PyObject *one, *again, *t;
    ck_assert_int_eq(pyz3_pool_init(), 0);
    one = pyz3_pool_float(1.0);
    t = pyz3_pool_str("True", 4);
    ck_assert_int_eq(pyz3_pool_init(), 0);
    ck_assert_int_eq(pyz3_pool_init(), 0);
    again = pyz3_pool_float(1.0);
    ck_assert_ptr_eq(one, again);
    Py_DECREF(again);
    again = pyz3_pool_str("True", 4);
    ck_assert_ptr_eq(t, again);
    Py_DECREF(again);
    Py_DECREF(one);
    Py_DECREF(t);
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_lazy_fill)
{
    /* No pyz3_pool_init() in this process: the first use fills. */
    PyObject *o = pyz3_pool_float(0.5);
    ck_assert_ptr_nonnull(o);
    ck_assert(PyFloat_AS_DOUBLE(o) == 0.5);
    Py_DECREF(o);
    o = pyz3_pool_int(42);
    ck_assert_int_eq(PyLong_AsLong(o), 42);
    Py_DECREF(o);
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_fini_refill)
{
    PyObject *old_float, *new_float, *old_str, *o, *cached;
    Py_ssize_t before;

    ck_assert_int_eq(pyz3_pool_init(), 0);
    old_float = pyz3_pool_float(-1.0);
    old_str = pyz3_pool_str("False", 5);
    before = Py_REFCNT(old_float);
    pyz3_pool_fini();
    /* fini gave back the pool's own reference. */
    ck_assert_int_eq(Py_REFCNT(old_float), before - 1);
    pyz3_pool_fini();
    ck_assert_int_eq(Py_REFCNT(old_float), before - 1);

    new_float = pyz3_pool_float(-1.0);
    ck_assert_ptr_nonnull(new_float);
    ck_assert(PyFloat_AS_DOUBLE(new_float) == -1.0);
    ck_assert_ptr_ne(new_float, old_float);
    o = pyz3_pool_str("False", 5);
    ck_assert_int_eq(PyObject_RichCompareBool(o, old_str, Py_EQ), 1);
    Py_DECREF(o);
    o = pyz3_pool_int(-5);
    cached = PyLong_FromLong(-5);
    ck_assert_ptr_eq(o, cached);
    Py_DECREF(cached);
    Py_DECREF(o);
    o = pyz3_pool_empty_tuple();
    ck_assert(PyTuple_CheckExact(o) && PyTuple_GET_SIZE(o) == 0);
    Py_DECREF(o);
    Py_DECREF(new_float);
    Py_DECREF(old_float);
    Py_DECREF(old_str);

    pyz3_pool_fini();
    ck_assert_int_eq(pyz3_pool_init(), 0);
    pyz3_test_no_error();
}
END_TEST

/* Everything the pool and the wraps hand out must be of the running
 * interpreter: CPython's own cached ints, live objects of the right type. */
static void
use_pool_and_wraps(int cycle)
{
    PyObject *o, *cached;
    int64_t v;
    o = pyz3_pool_int(7);
    cached = PyLong_FromLong(7);
    ck_assert_msg(o == cached, "cycle %d: pooled 7 is not this interpreter's",
                  cycle);
    Py_DECREF(cached);
    Py_DECREF(o);
    for (v = -5; v <= 256; v += 37) {
        o = pyz3_wrap_i64(v);
        cached = PyLong_FromLongLong(v);
        ck_assert_ptr_eq(o, cached);
        Py_DECREF(cached);
        Py_DECREF(o);
    }
    o = pyz3_wrap_u64(256);
    cached = PyLong_FromLong(256);
    ck_assert_ptr_eq(o, cached);
    Py_DECREF(cached);
    Py_DECREF(o);
    o = pyz3_pool_float(1.0);
    ck_assert_ptr_nonnull(o);
    ck_assert(PyFloat_CheckExact(o) && PyFloat_AS_DOUBLE(o) == 1.0);
    Py_DECREF(o);
    o = pyz3_pool_str("None", 4);
    ck_assert_int_eq(PyUnicode_CompareWithASCIIString(o, "None"), 0);
    Py_DECREF(o);
    o = pyz3_pool_empty_tuple();
    cached = PyTuple_New(0);
    ck_assert_ptr_eq(o, cached);
    Py_DECREF(cached);
    Py_DECREF(o);
    o = pyz3_wrap_f64(-0.0);
    ck_assert(copysign(1.0, PyFloat_AS_DOUBLE(o)) == -1.0);
    Py_DECREF(o);
    o = pyz3_wrap_bool(true);
    ck_assert_ptr_eq(o, Py_True);
    Py_DECREF(o);
    o = pyz3_wrap_str("caf\xc3\xa9", 5);
    ck_assert_int_eq(PyUnicode_GetLength(o), 4);
    Py_DECREF(o);
    pyz3_test_no_error();
}

/* More cycles than Py_AtExit() has room for (32), so that exit hooks that
 * piled up across lives would show. */
#define REINIT_CYCLES 40

START_TEST(test_reinit_cycles)
{
    int cycle;
    size_t i;
    for (cycle = 0; cycle < REINIT_CYCLES; cycle++) {
        /* Nothing of the last interpreter is left in the pool. */
        for (i = 0; i < PYZ3__POOL_INTS; i++)
            ck_assert_msg(pyz3__pool_ints[i] == NULL,
                          "cycle %d: a stale pooled int", cycle);
        switch (cycle % 4) {
        case 0:
            use_pool_and_wraps(cycle);
            break;
        case 1:
            ck_assert_int_eq(pyz3_pool_init(), 0);
            use_pool_and_wraps(cycle);
            pyz3_pool_fini();
            break;
        case 2:
            break;              /* a life that never uses the pool */
        default:
            use_pool_and_wraps(cycle);
            pyz3_pool_fini();
            use_pool_and_wraps(cycle);
            break;
        }
        ck_assert_int_eq(Py_FinalizeEx(), 0);
        Py_InitializeEx(0);
        ck_assert(Py_IsInitialized());
    }
    use_pool_and_wraps(cycle);
}
END_TEST

/* Late use: an atexit callback registered before libpyz3's first use runs
 * after libpyz3 gave its objects back, and fills the pool and two argument
 * tables (a str default, keyword names) again. What earlier lives left
 * behind shows in sys.getallocatedblocks() and sys.gettotalrefcount()
 * after a new Py_Initialize() up to 3.11 (later versions start them
 * afresh). The references make it plain on a debug interpreter (about 290
 * a life when the refill leaked); CPython's own leftovers vary by a few
 * dozen blocks from life to life, as much as that leak's blocks on a
 * release interpreter. tests/hostile/refleak.py counts it exactly at the
 * exit of a debug interpreter. */

struct late_args {
    int64_t n;
    pyz3_str label;
    bool flag;
};

static const pyz3_param late_array[] = {
    PYZ3_PARAM(struct late_args, n, PYZ3_ARG_I64),
    PYZ3_PARAM(struct late_args, label, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL, .def.str = "d\xc3\xa9""faut"),
    PYZ3_PARAM(struct late_args, flag, PYZ3_ARG_BOOL, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL),
};
static const pyz3_params late_params = PYZ3_PARAMS("late", late_array);

static int late_calls;          /* this life's calls run at exit */

static void
use_late(void)
{
    PyObject *o, *kw, *argv[2];
    struct late_args a;
    o = pyz3_pool_float(1.0);
    ck_assert_ptr_nonnull(o);
    Py_DECREF(o);
    argv[0] = pyz3_wrap_i64(1);
    argv[1] = Py_True;
    kw = Py_BuildValue("(s)", "flag");
    ck_assert(argv[0] != NULL && kw != NULL);
    ck_assert_int_eq(pyz3_parse_args(&late_params, argv, 1, NULL, &a), 0);
    ck_assert_int_eq((int)a.label.len, 7);
    ck_assert_int_eq(pyz3_parse_args(&late_params, argv, 1, kw, &a), 0);
    ck_assert(a.flag);
    Py_DECREF(argv[0]);
    Py_DECREF(kw);
}

static PyObject *
late_atexit(PyObject *self, PyObject *unused)
{
    if (late_calls)
        use_late();
    Py_RETURN_NONE;
}

static PyMethodDef late_def = { "late", late_atexit, METH_NOARGS, NULL };

static long
leftovers(void)
{
    static const char *const counts[] = { "getallocatedblocks", "gettotalrefcount" };
    PyObject *sys = PyImport_ImportModule("sys");
    long n = 0;
    size_t i;
    ck_assert_ptr_nonnull(sys);
    for (i = 0; i < 2; i++) {
        PyObject *v;
        if (!PyObject_HasAttrString(sys, counts[i]))
            continue;
        v = PyObject_CallMethod(sys, counts[i], NULL);
        ck_assert_ptr_nonnull(v);
        n += PyLong_AsLong(v);
        Py_DECREF(v);
    }
    Py_DECREF(sys);
    return n;
}

#define LATE_CYCLES 12

START_TEST(test_late_use_at_exit)
{
    long before = 0, now, grew[2] = { 0, 0 };
    int cycle;
    for (cycle = 0; cycle < LATE_CYCLES; cycle++) {
        PyObject *atexit, *func, *res;
        /* The first two lives warm up; count what each later one left. */
        now = leftovers();
        if (cycle >= 2)
            grew[late_calls] += now - before;
        before = now;
        late_calls = cycle % 2;
        atexit = PyImport_ImportModule("atexit");
        func = PyCFunction_New(&late_def, NULL);
        ck_assert(atexit != NULL && func != NULL);
        res = PyObject_CallMethod(atexit, "register", "O", func);
        ck_assert_ptr_nonnull(res);
        Py_DECREF(res);
        Py_DECREF(func);
        Py_DECREF(atexit);
        use_pool_and_wraps(cycle);
        use_late();
        ck_assert_int_eq(Py_FinalizeEx(), 0);
        Py_InitializeEx(0);
    }
    ck_assert_msg(grew[1] - grew[0] <= 25 * (LATE_CYCLES - 2) / 2,
                  "lives with late calls left %ld blocks and references, those without %ld",
                  grew[1], grew[0]);
}
END_TEST

/* Each call returns a new reference: after N calls the count is N higher,
 * and after N decrefs it is back where it started. */
#define REFCOUNT_CALLS 10000

static PyObject *
call_pool(int which)
{
    switch (which) {
    case 0: return pyz3_pool_int(-5);
    case 1: return pyz3_pool_int(100);
    case 2: return pyz3_pool_int(256);
    case 3: return pyz3_pool_empty_tuple();
    case 4: return pyz3_pool_float(0.0);
    case 5: return pyz3_pool_float(0.5);
    case 6: return pyz3_pool_str("", 0);
    case 7: return pyz3_pool_str("True", 4);
    case 8: return pyz3_wrap_i64(42);
    case 9: return pyz3_wrap_u64(200);
    case 10: return pyz3_wrap_bool(false);
    default: return NULL;
    }
}

START_TEST(test_refcounts_balanced)
{
    static PyObject *got[REFCOUNT_CALLS];
    int which;
    for (which = 0; which <= 10; which++) {
        PyObject *first = call_pool(which);
        Py_ssize_t before;
        int i;
        ck_assert_ptr_nonnull(first);
        before = Py_REFCNT(first);
        for (i = 0; i < REFCOUNT_CALLS; i++) {
            got[i] = call_pool(which);
            ck_assert_ptr_eq(got[i], first);
        }
        if (!pyz3_test_immortal(first))
            ck_assert_int_eq(Py_REFCNT(first), before + REFCOUNT_CALLS);
        for (i = 0; i < REFCOUNT_CALLS; i++)
            Py_DECREF(got[i]);
        ck_assert_int_eq(Py_REFCNT(first), before);
        Py_DECREF(first);
    }
    pyz3_test_no_error();
}
END_TEST

/* ------------------------------------------------------------------------
 * Threads: each takes the GIL through its own scopes while the main thread
 * has given it up, and checks what it gets. */

#define THREADS 8
#define THREAD_ROUNDS 2000

static void
worker_round(unsigned int id, int round)
{
    int64_t v = (round * 7 + (int)id) % 262 - 5;
    double fv = round & 1 ? 1.0 : 0.5;
    PyObject *o, *cached, *f, *s, *t, *d;
    pyz3_gil inner;

    o = pyz3_pool_int(v);
    cached = PyLong_FromLongLong(v);
    pyz3_test_expect(o != NULL && o == cached);
    Py_XDECREF(o);
    Py_XDECREF(cached);

    /* A nested scope: a counter increment, same thread state. */
    inner = pyz3_gil_acquire();
    pyz3_test_expect(pyz3_gil_depth() == 2);
    o = pyz3_wrap_i64(v * 1000003);
    f = pyz3_pool_float(fv);
    s = round & 1 ? pyz3_pool_str("False", 5) : pyz3_pool_str("None", 4);
    t = pyz3_pool_empty_tuple();
    d = pyz3_pool_new_dict();
    pyz3_test_expect(o != NULL && PyLong_AsLongLong(o) == v * 1000003);
    pyz3_test_expect(f != NULL && PyFloat_AS_DOUBLE(f) == fv);
    pyz3_test_expect(s != NULL && PyUnicode_CheckExact(s));
    pyz3_test_expect(t != NULL && PyTuple_GET_SIZE(t) == 0);
    pyz3_test_expect(d != NULL && PyDict_SetItem(d, t, Py_True) == 0
                     && PyDict_Size(d) == 1);
    Py_XDECREF(o);
    Py_XDECREF(f);
    Py_XDECREF(s);
    Py_XDECREF(t);
    Py_XDECREF(d);
    o = pyz3_wrap_f64((double)round);
    pyz3_test_expect(o != NULL && PyFloat_AsDouble(o) == (double)round);
    Py_XDECREF(o);
    pyz3_gil_release(inner);
    pyz3_test_expect(!PyErr_Occurred());
    PyErr_Clear();
}

static void
worker(void *arg, unsigned int id)
{
    int round;
    for (round = 0; round < THREAD_ROUNDS; round++) {
        pyz3_gil g = pyz3_gil_acquire();
        worker_round(id, round);
        pyz3_gil_release(g);
    }
    pyz3_test_expect(pyz3_gil_depth() == 0);
}

static void
run_workers(void)
{
    PyThreadState *main_state = PyEval_SaveThread();
    pyz3_test_threads(THREADS, worker, NULL);
    PyEval_RestoreThread(main_state);
    pyz3_test_assert_expected();
}

START_TEST(test_threads)
{
    PyObject *probe;
    Py_ssize_t before;

    /* The threads race to fill the pool. */
    pyz3_pool_fini();
    run_workers();

    /* Filled now: the threads' references must all have been given back. */
    probe = pyz3_pool_float(1.0);
    before = Py_REFCNT(probe);
    run_workers();
    ck_assert_int_eq(Py_REFCNT(probe), before);
    Py_DECREF(probe);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    pyz3_test_no_error();
}
END_TEST

int
main(void)
{
    Suite *s = suite_create(PYZ3_INLINE_PATHS ? "pool (inline)"
                                              : "pool (out of line)");
    TCase *tc;

    tc = pyz3_test_case("lookups");
    tcase_add_test(tc, test_int_hits);
    tcase_add_test(tc, test_int_misses);
    tcase_add_test(tc, test_empty_tuple);
    tcase_add_test(tc, test_new_dict);
    tcase_add_test(tc, test_new_list);
    tcase_add_test(tc, test_float);
    tcase_add_test(tc, test_str);
    tcase_add_test(tc, test_frame_builtins);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("lifetime");
    tcase_add_test(tc, test_lazy_fill);
    tcase_add_test(tc, test_init_idempotent);
    tcase_add_test(tc, test_fini_refill);
    tcase_add_test(tc, test_reinit_cycles);
    tcase_add_test(tc, test_late_use_at_exit);
    tcase_add_test(tc, test_refcounts_balanced);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("threads");
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);

    return pyz3_test_run(s);
}
