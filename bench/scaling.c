/* scaling.c -- GIL scopes taken by several threads at once: how their cost
 * grows with contention. Each worker thread is a pthread that CPython did
 * not create; the thread that starts them has released the GIL.
 */
#include "process.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* Empty asm that the compiler must assume reads and writes memory: the
 * scopes of a loop are neither merged nor hoisted. */
#define SCALING_CLOBBER() __asm__ volatile("" : : : "memory")

typedef void (*scaling_fn)(long count);

/* `count` nested scopes, SCALING_BATCH at a time inside one outermost
 * scope, which takes the GIL; other threads get it between batches. */
static void
scaling_pyz3_nested(long count)
{
    while (count > 0) {
        long k, batch = count < SCALING_BATCH ? count : SCALING_BATCH;
        pyz3_gil outer = pyz3_gil_acquire();
        for (k = 0; k < batch; k++) {
            pyz3_gil g;
            SCALING_CLOBBER();
            g = pyz3_gil_acquire();
            SCALING_CLOBBER();
            pyz3_gil_release(g);
        }
        pyz3_gil_release(outer);
        count -= batch;
    }
}

static void
scaling_raw_nested(long count)
{
    while (count > 0) {
        long k, batch = count < SCALING_BATCH ? count : SCALING_BATCH;
        PyGILState_STATE outer = PyGILState_Ensure();
        for (k = 0; k < batch; k++) {
            PyGILState_STATE s;
            SCALING_CLOBBER();
            s = PyGILState_Ensure();
            SCALING_CLOBBER();
            PyGILState_Release(s);
        }
        PyGILState_Release(outer);
        count -= batch;
    }
}

static void
scaling_pyz3_outer(long count)
{
    long k;
    for (k = 0; k < count; k++) {
        pyz3_gil g;
        SCALING_CLOBBER();
        g = pyz3_gil_acquire();
        SCALING_CLOBBER();
        pyz3_gil_release(g);
    }
}

static void
scaling_raw_outer(long count)
{
    long k;
    for (k = 0; k < count; k++) {
        PyGILState_STATE s;
        SCALING_CLOBBER();
        s = PyGILState_Ensure();
        SCALING_CLOBBER();
        PyGILState_Release(s);
    }
}

typedef struct scaling_kind {
    const char *id;
    long weight;
    const char *label;
    scaling_fn fn;
} scaling_kind;

#define SCALING_KIND(id, weight, label) { #id, weight, label, scaling_##id },
static const scaling_kind scaling_kinds[] = { SCALING_KINDS(SCALING_KIND) };
#undef SCALING_KIND

int
scaling_kind_count(void)
{
    return (int)(sizeof(scaling_kinds) / sizeof(scaling_kinds[0]));
}

const char *
scaling_kind_id(int kind)
{
    return scaling_kinds[kind].id;
}

const char *
scaling_kind_label(int kind)
{
    return scaling_kinds[kind].label;
}

long
scaling_kind_weight(int kind)
{
    return scaling_kinds[kind].weight;
}

typedef struct scaling_worker {
    scaling_fn fn;
    long count;
    pthread_barrier_t *ready;
    double start, end;
} scaling_worker;

/* Each worker times itself: the thread that started them may wake from
 * the barrier long after the workers did, on a machine with few cores. */
static void *
scaling_worker_main(void *arg)
{
    scaling_worker *w = arg;
    /* What a thread pays once (libpyz3 creating the thread state it then
     * keeps) is not a cost per scope. */
    w->fn(1);
    pthread_barrier_wait(w->ready);
    w->start = process_now_ns();
    w->fn(w->count);
    w->end = process_now_ns();
    return NULL;
}

double
scaling_run(int kind, int threads, long count)
{
    pthread_t tids[SCALING_MAX_THREADS];
    scaling_worker workers[SCALING_MAX_THREADS];
    pthread_barrier_t ready;
    double start, end;
    int i;

    if (threads < 1 || threads > SCALING_MAX_THREADS)
        abort();
    if (pthread_barrier_init(&ready, NULL, (unsigned)threads) != 0)
        process_fail("pthread_barrier_init");
    for (i = 0; i < threads; i++) {
        workers[i].fn = scaling_kinds[kind].fn;
        workers[i].count = count;
        workers[i].ready = &ready;
        if (pthread_create(&tids[i], NULL, scaling_worker_main, &workers[i]) != 0)
            process_fail("pthread_create");
    }
    for (i = 0; i < threads; i++) {
        if (pthread_join(tids[i], NULL) != 0)
            process_fail("pthread_join");
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
