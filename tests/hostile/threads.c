/* threads.c -- many threads opening GIL scopes, allocating and converting,
 * while the main thread keeps giving the GIL away and taking it back.
 *
 *     threads [THREADS [ITERATIONS]]      (default 8 threads, 100000)
 *     threads race                        (misuse on purpose: see below)
 *
 * Each worker runs ITERATIONS iterations of two nested scopes inside an
 * outermost one that it takes again every BATCH iterations, and checks
 * every value it converts. Workers come in four kinds, so that every way
 * of taking the GIL runs at once: a C thread that libpyz3 keeps a thread
 * state for, a C thread that made its own state with PyGILState_Ensure,
 * a C thread that drops its kept state after each outermost scope, and a
 * C thread that only allocates, with no scope and no thread state.
 * Each iteration also parses a call with keywords (the first calls, all
 * at once, fill the parser's table), and four Python threads call a
 * function of the same parser with keywords. Meanwhile the main thread, inside
 * scopes of its own, releases the GIL
 * with pyz3_gil_unlock() and with Py_BEGIN_ALLOW_THREADS in turn. Built
 * with ThreadSanitizer by the reliability checks; exits non-zero on any
 * wrong value, and with an alarm rather than hang.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pyz3.h>

#define BATCH 100

static const char *const texts[] = {
    "", "None", "True", "False", "ascii text", "caf\xc3\xa9",
    "\xe2\x82\xac uro", "\xf0\x9f\x90\x8d snake", "nul\0inside",
};
static const size_t text_lens[] = { 0, 4, 4, 5, 10, 5, 7, 10, 10 };
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static unsigned long iterations = 100000;
static int failed;
static int workers_left;

static void
fail(const char *what, unsigned long it)
{
    fprintf(stderr, "threads: %s (iteration %lu)\n", what, it);
    __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

static void parse(unsigned long it);

/* One iteration's conversions and allocations, with the GIL held. */
static void
convert(unsigned long it, pyz3_arena *arena)
{
    int64_t i64, v = (int64_t)(it % 1000) - 300;
    uint64_t u64, big = UINT64_MAX - it;
    double f64, d = (double)it / 4.0;
    bool b;
    const char *s;
    size_t len, k = it % NTEXTS;
    PyObject *o;
    char *p;

    p = pyz3_alloc(16 + it % 200);
    if (p == NULL)
        fail("pyz3_alloc", it);
    else
        memset(p, (int)(it & 0x7f), 16 + it % 200);

    o = pyz3_wrap_i64(v);
    if (o == NULL || pyz3_unwrap_i64(o, &i64) < 0 || i64 != v)
        fail("i64 round trip", it);
    Py_XDECREF(o);
    o = pyz3_wrap_u64(big);
    if (o == NULL || pyz3_unwrap_u64(o, &u64) < 0 || u64 != big)
        fail("u64 round trip", it);
    Py_XDECREF(o);
    o = pyz3_wrap_f64(d);
    if (o == NULL || pyz3_unwrap_f64(o, &f64) < 0 || f64 != d)
        fail("f64 round trip", it);
    Py_XDECREF(o);
    o = pyz3_wrap_bool(it & 1);
    if (o == NULL || pyz3_unwrap_bool(o, &b) < 0 || b != (bool)(it & 1))
        fail("bool round trip", it);
    Py_XDECREF(o);
    o = pyz3_wrap_str(texts[k], text_lens[k]);
    if (o == NULL || pyz3_unwrap_str(o, &s, &len) < 0 || len != text_lens[k]
        || memcmp(s, texts[k], len) != 0)
        fail("str round trip", it);
    Py_XDECREF(o);

    o = pyz3_pool_int(v);
    if (v >= -5 && v <= 256 ? o == NULL : o != NULL)
        fail("pyz3_pool_int", it);
    Py_XDECREF(o);
    o = pyz3_pool_float(it & 1 ? 1.0 : 0.5);
    if (o == NULL)
        fail("pyz3_pool_float", it);
    Py_XDECREF(o);
    o = pyz3_pool_str(texts[k % 4], text_lens[k % 4]);
    if (o == NULL)
        fail("pyz3_pool_str", it);
    Py_XDECREF(o);
    o = pyz3_pool_empty_tuple();
    if (o == NULL)
        fail("pyz3_pool_empty_tuple", it);
    Py_XDECREF(o);
    if (it % 16 == 0) {
        o = pyz3_pool_new_list();
        if (o == NULL || PyList_Append(o, Py_None) < 0)
            fail("pyz3_pool_new_list", it);
        Py_XDECREF(o);
    }

    parse(it);

    if (pyz3_arena_alloc(arena, 8 + it % 64, 0) == NULL)
        fail("pyz3_arena_alloc", it);
    if (it % 64 == 0)
        pyz3_arena_reset(arena);
    pyz3_free(p);
}

/* The parser, called with keywords: every worker's first call fills the
 * table, all of them at once. */
struct kw_args {
    int64_t count;
    double ratio;
    pyz3_str name;
};

static const pyz3_param kw_array[] = {
    PYZ3_PARAM(struct kw_args, count, PYZ3_ARG_I64),
    PYZ3_PARAM(struct kw_args, ratio, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL, .def.f64 = 2.5),
    PYZ3_PARAM(struct kw_args, name, PYZ3_ARG_STR, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL,
               .def.str = "none"),
};
static const pyz3_params kw_params = PYZ3_PARAMS("kw", kw_array);

static void
parse(unsigned long it)
{
    PyObject *args[2] = { PyLong_FromLong((long)(it % 1000)), NULL };
    PyObject *kwnames = NULL;
    struct kw_args out;
    size_t k = it % (NTEXTS - 1);       /* no text with a NUL inside */
    if (args[0] == NULL)
        goto fail;
    if (it & 1) {
        /* count positional, name by keyword */
        if ((args[1] = PyUnicode_FromStringAndSize(texts[k], (Py_ssize_t)text_lens[k])) == NULL
            || (kwnames = Py_BuildValue("(s)", "name")) == NULL)
            goto fail;
        PyUnicode_InternInPlace(&PyTuple_GET_ITEM(kwnames, 0));
        if (pyz3_parse_args(&kw_params, args, 1, kwnames, &out) < 0
            || out.count != (int64_t)(it % 1000) || out.ratio != 2.5
            || out.name.len != text_lens[k] || memcmp(out.name.utf8, texts[k], out.name.len) != 0)
            goto fail;
    }
    else {
        /* both by keyword, name left out */
        if ((args[1] = PyFloat_FromDouble(0.25)) == NULL
            || (kwnames = Py_BuildValue("(ss)", "ratio", "count")) == NULL)
            goto fail;
        {
            PyObject *t = args[0];
            args[0] = args[1];
            args[1] = t;
        }
        if (pyz3_parse_args(&kw_params, args, 0, kwnames, &out) < 0
            || out.count != (int64_t)(it % 1000) || out.ratio != 0.25
            || out.name.len != 4 || memcmp(out.name.utf8, "none", 4) != 0)
            goto fail;
    }
    goto done;
fail:
    PyErr_Clear();
    fail("pyz3_parse_args with keywords", it);
done:
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    Py_XDECREF(kwnames);
}

/* What Python threads call meanwhile: _threads.kw(count, ratio=, *,
 * name=) returns (count, ratio, name) through the parser and the pool. */
static PyObject *
py_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    struct kw_args out;
    PyObject *count;
    if (pyz3_parse_args(&kw_params, args, nargs, kwnames, &out) < 0)
        return NULL;
    if ((count = pyz3_pool_int(out.count)) == NULL
        && (count = PyLong_FromLongLong(out.count)) == NULL)
        return NULL;
    return Py_BuildValue("(NdO)", count, out.ratio, out.name.obj);
}

static PyMethodDef py_methods[] = {
    { "kw", (PyCFunction)(void (*)(void))py_kw, METH_FASTCALL | METH_KEYWORDS, NULL },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef py_module = {
    PyModuleDef_HEAD_INIT, "_threads", NULL, -1, py_methods,
    NULL, NULL, NULL, NULL,
};

static PyObject *
py_init(void)
{
    PyObject *m = PyModule_Create(&py_module);
#ifdef Py_GIL_DISABLED
    if (m != NULL && PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0)
        Py_CLEAR(m);
#endif
    return m;
}

/* Python threads that call _threads.kw until told to stop. */
static const char py_start[] =
    "import threading, _threads\n"
    "stop = threading.Event()\n"
    "bad = []\n"
    "def spin(k):\n"
    "    try:\n"
    "        while not stop.is_set():\n"
    "            for i in range(100):\n"
    "                assert _threads.kw(i, name='n%d' % k) == (i, 2.5, 'n%d' % k)\n"
    "                assert _threads.kw(ratio=0.5, count=i) == (i, 0.5, 'none')\n"
    "    except BaseException as e:\n"
    "        bad.append(e)\n"
    "py_threads = [threading.Thread(target=spin, args=(k,)) for k in range(4)]\n"
    "for t in py_threads:\n"
    "    t.start()\n";
static const char py_stop[] =
    "stop.set()\n"
    "for t in py_threads:\n"
    "    t.join()\n"
    "assert not bad, bad\n";

enum worker_kind { KEPT, OWN_STATE, DROPPED, ALLOCATOR, KINDS };

/* A C thread that never opens a scope of its own: each allocator call
 * takes the GIL (an attached thread state where there is none) itself. */
static void
allocate_only(void)
{
    unsigned long it;
    for (it = 0; it < iterations; it++) {
        size_t size = 1 + it % 300;
        unsigned char *p = it % 3 == 0 ? pyz3_calloc(size, 1) : pyz3_alloc(size);
        unsigned char *q;
        if (p == NULL) {
            fail("pyz3_alloc from a thread without a scope", it);
            continue;
        }
        memset(p, (int)(it & 0xff), size);
        q = pyz3_realloc(p, 2 * size);
        if (q == NULL) {
            fail("pyz3_realloc from a thread without a scope", it);
            pyz3_free(p);
            continue;
        }
        if (q[size - 1] != (unsigned char)(it & 0xff))
            fail("contents kept by pyz3_realloc", it);
        pyz3_free(q);
    }
}

static void *
worker(void *arg)
{
    enum worker_kind kind = (enum worker_kind)(uintptr_t)arg;
    PyGILState_STATE own = PyGILState_UNLOCKED;
    PyThreadState *own_ts = NULL;
    pyz3_arena arena;
    unsigned long it = 0;

    if (kind == ALLOCATOR) {
        allocate_only();
        __atomic_sub_fetch(&workers_left, 1, __ATOMIC_RELEASE);
        return NULL;
    }
    if (kind == OWN_STATE) {
        own = PyGILState_Ensure();
        own_ts = PyEval_SaveThread();
    }
    pyz3_arena_init(&arena, NULL);
    while (it < iterations) {
        pyz3_gil outer = pyz3_gil_acquire();
        unsigned long end = it + BATCH < iterations ? it + BATCH : iterations;
        if (!PyGILState_Check())
            fail("outermost scope without the GIL", it);
        for (; it < end; it++) {
            pyz3_gil g1 = pyz3_gil_acquire();
            pyz3_gil g2 = pyz3_gil_acquire();
            if (pyz3_gil_depth() != 3)
                fail("depth of nested scopes", it);
            convert(it, &arena);
            if (it % 50 == 7) {
                /* Blocking work inside the scopes: the allocator takes
                 * the GIL itself meanwhile. */
                pyz3_unlock u = pyz3_gil_unlock();
                void *q = pyz3_alloc(100);
                if (q == NULL)
                    fail("pyz3_alloc without the GIL", it);
                pyz3_free(q);
                pyz3_gil_relock(u);
            }
            pyz3_gil_release(g2);
            pyz3_gil_release(g1);
        }
        pyz3_gil_release(outer);
        if (kind == DROPPED && pyz3_gil_drop_thread_state() != 0)
            fail("pyz3_gil_drop_thread_state", it);
    }
    /* The arena's chunks come from the allocator, which takes the GIL. */
    pyz3_arena_fini(&arena);
    if (kind == OWN_STATE) {
        PyEval_RestoreThread(own_ts);
        PyGILState_Release(own);
    }
    __atomic_sub_fetch(&workers_left, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* The main thread, inside two scopes, lets the GIL go in both ways until
 * every worker is done. */
static unsigned long
main_loop(void)
{
    pyz3_gil g1 = pyz3_gil_acquire();
    pyz3_gil g2 = pyz3_gil_acquire();
    unsigned long rounds = 0;
    while (__atomic_load_n(&workers_left, __ATOMIC_ACQUIRE) > 0) {
        if (rounds % 2 == 0) {
            pyz3_unlock u = pyz3_gil_unlock();
            if (pyz3_gil_depth() != 0)
                fail("depth while unlocked", rounds);
            usleep(50);
            pyz3_gil_relock(u);
        }
        else {
            Py_BEGIN_ALLOW_THREADS
            usleep(50);
            Py_END_ALLOW_THREADS
        }
        if (pyz3_gil_depth() != 2 || !PyGILState_Check())
            fail("main thread's scopes after taking the GIL back", rounds);
        {
            PyObject *o = pyz3_wrap_i64((int64_t)rounds * 1000003);
            int64_t v;
            if (o == NULL || pyz3_unwrap_i64(o, &v) < 0 || v != (int64_t)rounds * 1000003)
                fail("main thread's round trip", rounds);
            Py_XDECREF(o);
        }
        rounds++;
    }
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    return rounds;
}

/* "threads race": two threads allocate from one arena at once, a misuse
 * (an arena belongs to one thread) and a race in libpyz3's own code on
 * purpose, so that the checks can prove that ThreadSanitizer is on and that
 * its reports fail them, on every build: pooled ints would not do, being
 * immortal from 3.12 on. The arena's first chunk, made before the threads
 * start, holds every block, so that only its bump pointer is raced. */
static pyz3_arena shared_arena;

static void *
racer(void *unused)
{
    int k;
    for (k = 0; k < 100; k++)
        if (pyz3_arena_alloc(&shared_arena, 8, 8) == NULL)
            fail("pyz3_arena_alloc", (unsigned long)k);
    return NULL;
}

static int
race(void)
{
    pthread_t a, b;
    PyThreadState *save;
    Py_InitializeEx(0);
    pyz3_arena_init(&shared_arena, NULL);
    if (pyz3_arena_alloc(&shared_arena, 8, 8) == NULL)
        return 2;
    save = PyEval_SaveThread();
    pthread_create(&a, NULL, racer, NULL);
    pthread_create(&b, NULL, racer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    PyEval_RestoreThread(save);
    pyz3_arena_fini(&shared_arena);
    return 0;
}

static int
thread_states(void)
{
    PyThreadState *ts;
    int n = 0;
    for (ts = PyInterpreterState_ThreadHead(PyInterpreterState_Main()); ts != NULL;
         ts = PyThreadState_Next(ts))
        n++;
    return n;
}

int
main(int argc, char **argv)
{
    unsigned long nthreads = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
    pthread_t *threads;
    unsigned long i, rounds;
    PyThreadState *save;

    if (argc > 1 && strcmp(argv[1], "race") == 0)
        return race();
    if (argc > 2)
        iterations = strtoul(argv[2], NULL, 10);
    if (nthreads == 0 || iterations == 0)
        return 2;
    alarm(1200);
    if (PyImport_AppendInittab("_threads", py_init) < 0)
        return 2;
    Py_InitializeEx(0);
    if (PyRun_SimpleString(py_start) != 0)
        fail("starting the Python threads", 0);
    threads = calloc(nthreads, sizeof(*threads));
    if (threads == NULL)
        return 2;
    workers_left = (int)nthreads;
    save = PyEval_SaveThread();
    for (i = 0; i < nthreads; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)(i % KINDS)) != 0) {
            fprintf(stderr, "threads: cannot start thread %lu\n", i);
            return 2;
        }
    PyEval_RestoreThread(save);
    rounds = main_loop();
    save = PyEval_SaveThread();
    for (i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    PyEval_RestoreThread(save);
    free(threads);
    if (PyRun_SimpleString(py_stop) != 0)
        fail("the Python threads", 0);
    /* Every kept thread state went with its thread. */
    if (thread_states() != 1)
        fail("thread states left behind", 0);
    if (pyz3_gil_depth() != 0)
        fail("main thread's depth at the end", 0);
    if (Py_FinalizeEx() != 0)
        fail("Py_FinalizeEx", 0);
    printf("threads: %lu threads x %lu iterations, %lu GIL releases by the main thread: %s\n",
           nthreads, iterations, rounds, failed ? "FAILED" : "ok");
    return failed ? 1 : 0;
}
