/* threads.c -- GIL scopes taken by several threads at once: how their cost
 * grows with contention. Each worker thread is a pthread that CPython did
 * not create; the thread that starts them has released the GIL.
 */
#include "threads.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* Empty asm that the compiler must assume reads and writes memory: the
 * scopes of a loop are neither merged nor hoisted. */
#define THREADS_CLOBBER() __asm__ volatile("" : : : "memory")

typedef void (*threads_fn)(long count);

/* `count` nested scopes, THREADS_BATCH at a time inside one outermost
 * scope, which takes the GIL; other threads get it between batches. */
static void
threads_pyz3_nested(long count)
{
    while (count > 0) {
        long k, batch = count < THREADS_BATCH ? count : THREADS_BATCH;
        pyz3_gil outer = pyz3_gil_acquire();
        for (k = 0; k < batch; k++) {
            pyz3_gil g;
            THREADS_CLOBBER();
            g = pyz3_gil_acquire();
            THREADS_CLOBBER();
            pyz3_gil_release(g);
        }
        pyz3_gil_release(outer);
        count -= batch;
    }
}

static void
threads_raw_nested(long count)
{
    while (count > 0) {
        long k, batch = count < THREADS_BATCH ? count : THREADS_BATCH;
        PyGILState_STATE outer = PyGILState_Ensure();
        for (k = 0; k < batch; k++) {
            PyGILState_STATE s;
            THREADS_CLOBBER();
            s = PyGILState_Ensure();
            THREADS_CLOBBER();
            PyGILState_Release(s);
        }
        PyGILState_Release(outer);
        count -= batch;
    }
}

static void
threads_pyz3_outer(long count)
{
    long k;
    for (k = 0; k < count; k++) {
        pyz3_gil g;
        THREADS_CLOBBER();
        g = pyz3_gil_acquire();
        THREADS_CLOBBER();
        pyz3_gil_release(g);
    }
}

/* An outermost scope around the conversions of a call: a C int64 to a
 * new int (outside the small-int cache, so it is allocated) and back. */
static void
threads_pyz3_convert(long count)
{
    long k;
    for (k = 0; k < count; k++) {
        int64_t v;
        PyObject *o;
        pyz3_gil g = pyz3_gil_acquire();
        o = pyz3_wrap_i64(((int64_t)k << 20) + 1000);
        if (o == NULL || pyz3_unwrap_i64(o, &v) < 0 || v != ((int64_t)k << 20) + 1000)
            bench_fail("pyz3_wrap_i64 and pyz3_unwrap_i64");
        Py_DECREF(o);
        pyz3_gil_release(g);
    }
}

static void
threads_raw_outer(long count)
{
    long k;
    for (k = 0; k < count; k++) {
        PyGILState_STATE s;
        THREADS_CLOBBER();
        s = PyGILState_Ensure();
        THREADS_CLOBBER();
        PyGILState_Release(s);
    }
}

typedef struct threads_kind {
    const char *id;
    long weight;
    const char *label;
    threads_fn fn;
} threads_kind;

#define THREADS_KIND(id, weight, label) { #id, weight, label, threads_##id },
static const threads_kind threads_kinds[] = { THREADS_KINDS(THREADS_KIND) };
#undef THREADS_KIND

int
threads_kind_count(void)
{
    return (int)(sizeof(threads_kinds) / sizeof(threads_kinds[0]));
}

const char *
threads_kind_id(int kind)
{
    return threads_kinds[kind].id;
}

const char *
threads_kind_label(int kind)
{
    return threads_kinds[kind].label;
}

long
threads_kind_weight(int kind)
{
    return threads_kinds[kind].weight;
}

typedef struct threads_worker {
    threads_fn fn;
    long count;
    pthread_barrier_t *ready;
    double start, end;
} threads_worker;

/* Each worker times itself: the thread that started them may wake from
 * the barrier long after the workers did, on a machine with few cores. */
static void *
threads_worker_main(void *arg)
{
    threads_worker *w = arg;
    /* What a thread pays once (libpyz3 creating the thread state it then
     * keeps) is not a cost per scope. */
    w->fn(1);
    pthread_barrier_wait(w->ready);
    w->start = bench_now_ns();
    w->fn(w->count);
    w->end = bench_now_ns();
    return NULL;
}

double
threads_run(int kind, int threads, long count)
{
    pthread_t tids[THREADS_MAX];
    threads_worker workers[THREADS_MAX];
    pthread_barrier_t ready;
    double start, end;
    int i;

    if (threads < 1 || threads > THREADS_MAX)
        abort();
    if (pthread_barrier_init(&ready, NULL, (unsigned)threads) != 0)
        bench_fail("pthread_barrier_init");
    for (i = 0; i < threads; i++) {
        workers[i].fn = threads_kinds[kind].fn;
        workers[i].count = count;
        workers[i].ready = &ready;
        if (pthread_create(&tids[i], NULL, threads_worker_main, &workers[i]) != 0)
            bench_fail("pthread_create");
    }
    for (i = 0; i < threads; i++) {
        if (pthread_join(tids[i], NULL) != 0)
            bench_fail("pthread_join");
    }
    pthread_barrier_destroy(&ready);
    start = workers[0].start;
    end = workers[0].end;
    for (i = 1; i < threads; i++) {
        if (workers[i].start < start)
            start = workers[i].start;
        if (workers[i].end > end)
            end = workers[i].end;
    }
    return end - start;
}
