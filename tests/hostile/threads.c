/* threads.c -- many threads opening GIL scopes, allocating and converting,
 * while the main thread keeps giving the GIL away and taking it back.
 *
 *     threads [THREADS [ITERATIONS]]      (default 8 threads, 100000)
 *     threads race                        (misuse on purpose: see below)
 *
 * Each worker runs ITERATIONS iterations of two nested scopes inside an
 * outermost one that it takes again every BATCH iterations, and checks
 * every value it converts. Workers come in three kinds, so that every way
 * of taking the GIL runs at once: a C thread that libpyz3 keeps a thread
 * state for, a C thread that made its own state with PyGILState_Ensure,
 * and a C thread that drops its kept state after each outermost scope.
 * Meanwhile the main thread, inside scopes of its own, releases the GIL
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

    if (pyz3_arena_alloc(arena, 8 + it % 64, 0) == NULL)
        fail("pyz3_arena_alloc", it);
    if (it % 64 == 0)
        pyz3_arena_reset(arena);
    pyz3_free(p);
}

enum worker_kind { KEPT, OWN_STATE, DROPPED };

static void *
worker(void *arg)
{
    enum worker_kind kind = (enum worker_kind)(uintptr_t)arg;
    PyGILState_STATE own = PyGILState_UNLOCKED;
    PyThreadState *own_ts = NULL;
    pyz3_arena arena;
    unsigned long it = 0;

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

/* "threads race": two threads take pooled ints without the GIL, a race in
 * libpyz3's inline code on purpose, so that the checks can prove that
 * ThreadSanitizer is on and that its reports fail them. */
static void *
racer(void *unused)
{
    int k;
    for (k = 0; k < 1000; k++)
        Py_XDECREF(pyz3_wrap_i64(7));
    return NULL;
}

static int
race(void)
{
    pthread_t a, b;
    PyThreadState *save;
    Py_InitializeEx(0);
    if (pyz3_pool_init() < 0)
        return 2;
    save = PyEval_SaveThread();
    pthread_create(&a, NULL, racer, NULL);
    pthread_create(&b, NULL, racer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    PyEval_RestoreThread(save);
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
    Py_InitializeEx(0);
    threads = calloc(nthreads, sizeof(*threads));
    if (threads == NULL)
        return 2;
    workers_left = (int)nthreads;
    save = PyEval_SaveThread();
    for (i = 0; i < nthreads; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)(i % 3)) != 0) {
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
