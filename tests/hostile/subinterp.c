/* subinterp.c -- libpyz3 in a sub-interpreter with its own GIL (3.12+).
 *
 * What libpyz3 promises there, and what this program checks:
 *
 *   - The pool serves only the interpreter that filled it. Another
 *     interpreter gets no object of the filler's: pyz3_pool_float() and
 *     pyz3_pool_str() miss (NULL, no exception), pyz3_pool_empty_tuple()
 *     gives that interpreter's own empty tuple, and pyz3_pool_fini() there
 *     does nothing. The ints -5..256 and the empty tuple are CPython's
 *     static immortal objects on 3.12+, the same in every interpreter: the
 *     int paths (pyz3_pool_int, pyz3_wrap_i64) hand those out everywhere.
 *     Checked while both interpreters hammer the pool at once, each under
 *     its own GIL: the filler's float keeps its reference count.
 *   - A sub-interpreter that fills the pool first owns it until it ends;
 *     then the main interpreter fills it again.
 *   - GIL scopes: a thread running in the sub-interpreter (its thread
 *     state is the one PyGILState knows for the thread) stays in the
 *     sub-interpreter through outermost and nested scopes, and the
 *     allocator works there. But pyz3_gil_acquire() on a C thread with no
 *     thread state goes through PyGILState_Ensure(), which always takes the
 *     main interpreter: such a thread runs in the main interpreter, even if
 *     a sub-interpreter started it. It must not touch the sub-interpreter's
 *     objects.
 *
 * Exits 0 when all holds, 1 otherwise; 77 on a CPython before 3.12.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pyz3.h>

#define ROUNDS 200000

static int failed;

#define expect(cond) ((cond) ? (void)0 : expect_failed(__LINE__, #cond))

static void
expect_failed(int line, const char *what)
{
    fprintf(stderr, "subinterp.c:%d: expected %s\n", line, what);
    __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

#if PY_VERSION_HEX >= 0x030C0000

static PyInterpreterState *main_interp;
static PyObject *main_float, *main_str, *main_int, *main_tuple;
static pthread_barrier_t both;

/* Whether `o`, from a lookup in the current interpreter, may be used
 * there: made by it, or immortal (shared by all). */
static int
usable_here(PyObject *o, PyObject *filler_object)
{
    return o != filler_object || _Py_IsImmortal(o);
}

/* Pool lookups, many times. */
static void
hammer(int in_sub)
{
    int k;
    for (k = 0; k < ROUNDS; k++) {
        PyObject *f = pyz3_pool_float(0.5);
        PyObject *s = pyz3_pool_str("None", 4);
        PyObject *i = pyz3_wrap_i64(k % 200);
        if (in_sub) {
            if (f != NULL && !usable_here(f, main_float))
                expect_failed(__LINE__, "no pooled float of the main interpreter");
            if (s != NULL && !usable_here(s, main_str))
                expect_failed(__LINE__, "no pooled str of the main interpreter");
        }
        Py_XDECREF(f);
        Py_XDECREF(s);
        Py_XDECREF(i);
        if (failed)
            break;
    }
    expect(!PyErr_Occurred());
}

static void *
worker_in_main(void *arg)
{
    /* A C thread with no thread state, started from inside the
     * sub-interpreter: PyGILState_Ensure() takes the main interpreter. */
    pyz3_gil g = pyz3_gil_acquire();
    PyObject *o;
    *(PyInterpreterState **)arg = PyInterpreterState_Get();
    o = pyz3_pool_float(1.0);
    expect(o != NULL);
    Py_XDECREF(o);
    pyz3_gil_release(g);
    return NULL;
}

static void *
sub_thread(void *arg)
{
    PyInterpreterConfig config = {
        .use_main_obmalloc = 0,
        .allow_fork = 0,
        .allow_exec = 0,
        .allow_threads = 1,
        .allow_daemon_threads = 0,
        .check_multi_interp_extensions = 1,
        .gil = PyInterpreterConfig_OWN_GIL,
    };
    PyThreadState *ts = NULL;
    PyInterpreterState *sub, *seen = NULL;
    PyStatus status = Py_NewInterpreterFromConfig(&ts, &config);
    PyObject *o;
    pthread_t t;
    int fills_first = arg != NULL;

    if (PyStatus_Exception(status) || ts == NULL) {
        expect_failed(__LINE__, "a sub-interpreter with its own GIL");
        if (!fills_first)
            pthread_barrier_wait(&both);
        return NULL;
    }
    sub = PyInterpreterState_Get();
    expect(sub != main_interp);

    if (fills_first) {
        /* The sub-interpreter owns the pool until it ends. */
        expect(pyz3_pool_init() == 0);
        o = pyz3_pool_float(0.5);
        expect(o != NULL);
        Py_XDECREF(o);
        Py_EndInterpreter(ts);
        return NULL;
    }

    /* Static immortal objects: the same in every interpreter. */
    o = pyz3_pool_int(5);
    expect(o == main_int && _Py_IsImmortal(o));
    Py_XDECREF(o);
    o = pyz3_wrap_i64(-5);
    expect(o != NULL && _Py_IsImmortal(o));
    Py_XDECREF(o);
    o = pyz3_pool_empty_tuple();
    expect(o != NULL && PyTuple_Check(o) && PyTuple_GET_SIZE(o) == 0);
    expect(o == NULL || usable_here(o, main_tuple));
    Py_XDECREF(o);
    /* The main interpreter's pool is not this one's. */
    expect(pyz3_pool_init() == 0);
    o = pyz3_pool_float(0.5);
    expect(o == NULL || usable_here(o, main_float));
    expect(!PyErr_Occurred());
    Py_XDECREF(o);
    pyz3_pool_fini();                   /* not this interpreter's to give back */

    /* Scopes on this thread stay in the sub-interpreter. */
    {
        pyz3_gil g1 = pyz3_gil_acquire();
        pyz3_gil g2 = pyz3_gil_acquire();
        void *p = pyz3_alloc(1000);
        expect(PyInterpreterState_Get() == sub);
        expect(p != NULL);
        pyz3_free(p);
        pyz3_gil_release(g2);
        pyz3_gil_release(g1);
        expect(PyInterpreterState_Get() == sub);
    }
    {
        PyThreadState *save = PyEval_SaveThread();
        pyz3_gil g = pyz3_gil_acquire();
        void *p = pyz3_alloc(64);
        expect(PyInterpreterState_Get() == sub);
        pyz3_free(p);
        pyz3_gil_release(g);
        PyEval_RestoreThread(save);
    }
    /* A C thread it starts runs in the main interpreter. */
    Py_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, worker_in_main, &seen);
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    expect(seen == main_interp);

    /* Both interpreters at once, each under its own GIL. */
    pthread_barrier_wait(&both);
    hammer(1);
    Py_EndInterpreter(ts);
    return NULL;
}

static int
run(void)
{
    pthread_t t;
    PyThreadState *save;
    Py_ssize_t refcnt;
    PyObject *o;

    Py_InitializeEx(0);
    PyRun_SimpleString("import threading");
    main_interp = PyInterpreterState_Get();

    /* A sub-interpreter fills the pool first, and ends. */
    save = PyEval_SaveThread();
    pthread_create(&t, NULL, sub_thread, (void *)1);
    pthread_join(t, NULL);
    PyEval_RestoreThread(save);
    o = pyz3_pool_float(0.5);
    expect(o != NULL && PyFloat_AsDouble(o) == 0.5);
    Py_XDECREF(o);

    /* The main interpreter's pool, used from a sub-interpreter. */
    expect(pyz3_pool_init() == 0);
    main_float = pyz3_pool_float(0.5);
    main_str = pyz3_pool_str("None", 4);
    main_int = pyz3_pool_int(5);
    main_tuple = pyz3_pool_empty_tuple();
    expect(main_float != NULL && main_str != NULL && main_int != NULL && main_tuple != NULL);
    printf("subinterp: on %s, immortal: small int %d, empty tuple %d, pooled float %d, pooled str %d\n",
           Py_GetVersion(), _Py_IsImmortal(main_int), _Py_IsImmortal(main_tuple),
           _Py_IsImmortal(main_float), _Py_IsImmortal(main_str));
    expect(_Py_IsImmortal(main_int) && _Py_IsImmortal(main_tuple));
    refcnt = Py_REFCNT(main_float);
    pthread_barrier_init(&both, NULL, 2);
    save = PyEval_SaveThread();
    pthread_create(&t, NULL, sub_thread, NULL);
    pthread_barrier_wait(&both);
    {
        /* With the main GIL, while the sub-interpreter runs with its own. */
        PyGILState_STATE st = PyGILState_Ensure();
        hammer(0);
        PyGILState_Release(st);
    }
    pthread_join(t, NULL);
    PyEval_RestoreThread(save);
    expect(Py_REFCNT(main_float) == refcnt);
    o = pyz3_pool_float(0.5);
    expect(o == main_float);
    Py_XDECREF(o);
    Py_XDECREF(main_float);
    Py_XDECREF(main_str);
    Py_XDECREF(main_int);
    Py_XDECREF(main_tuple);
    expect(Py_FinalizeEx() == 0);
    printf("subinterp: pool and GIL scopes in a sub-interpreter with its own GIL: %s\n",
           failed ? "FAILED" : "ok");
    return failed;
}

#endif

int
main(void)
{
    alarm(120);
#if PY_VERSION_HEX >= 0x030C0000
    return run();
#else
    printf("subinterp: CPython %s has no sub-interpreters with their own GIL\n", PY_VERSION);
    return 77;
#endif
}
