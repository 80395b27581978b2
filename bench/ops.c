/* ops.c -- what each operation costs: embeds the configured CPython and
 * runs every operation of ops.h in its three variants and the empty loop,
 * the variants of a row right after one another.
 *
 *   pyz3_bench ops --list           the operations, for the report
 *   pyz3_bench ops --callgrind N    under valgrind --tool=callgrind
 *                                   --separate-threads=yes: one dump per
 *                                   measurement, named "pyz3-bench ID
 *                                   VARIANT LOOPS"
 *   pyz3_bench ops --time N RUNS    nanoseconds per loop, one line per
 *                                   measurement: ID VARIANT RUN LOOPS NS;
 *                                   each run starts a row with another
 *                                   variant, so that drift hits them alike
 *
 * An operation runs N / weight times per measurement. bench/report.py
 * turns the output into per-operation figures.
 */
#include "ops.h"                 /* <Python.h> first, as CPython asks */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#  if __has_include(<valgrind/callgrind.h>)
#    include <valgrind/callgrind.h>
#    define BENCH_HAVE_CALLGRIND 1
#  endif
#endif
#ifndef BENCH_HAVE_CALLGRIND
#  define BENCH_HAVE_CALLGRIND 0
#endif

struct bench_inputs bench_in;

typedef struct bench_row {
    const char *unit;
    const char *id;
    int where;
    int per;
    long weight;
    double goal;
    const char *label;
    bench_fn fns[4];        /* empty, inline, ool, raw */
} bench_row;

static const char *const bench_variants[4] = { "empty", "inline", "ool", "raw" };

#define BENCH_ROW(unit, id, where, per, weight, goal, label) \
    { #unit, #id, where, per, weight, goal, label, \
      { bench_empty, bench_##id##_inline, bench_##id##_ool, bench_##id##_raw } },
static const bench_row bench_rows[] = { BENCH_ROWS(BENCH_ROW) };
#undef BENCH_ROW

#define BENCH_NROWS (sizeof(bench_rows) / sizeof(bench_rows[0]))

enum { BENCH_CALLGRIND, BENCH_TIME };
static int bench_mode;

/* One measurement: `fn` run `n` times where `where` says. */
typedef struct bench_job {
    bench_fn fn;
    long n;
    int where;
    char tag[128];          /* the callgrind dump's name */
    double ns;              /* the loop's time */
    int warm_up;            /* run, but do not measure */
} bench_job;

static void
bench_measure(bench_job *job)
{
    if (job->warm_up) {
        job->fn(job->n);
        return;
    }
    if (bench_mode == BENCH_CALLGRIND) {
#if BENCH_HAVE_CALLGRIND
        CALLGRIND_ZERO_STATS;
        job->fn(job->n);
        CALLGRIND_DUMP_STATS_AT(job->tag);
#endif
    }
    else {
        double t0 = bench_now_ns();
        job->fn(job->n);
        job->ns = bench_now_ns() - t0;
    }
}

/* A job in a thread of its own. One operation runs before the measured
 * ones: what a thread pays once (libpyz3 creating the thread state it then
 * keeps) is not a cost per operation. */
static void *
bench_thread_main(void *arg)
{
    bench_job *job = arg;
    if (job->where == BENCH_TSTATE) {
        /* A thread state of its own that outlives each measured scope, as
         * a thread that Python's threading module started has. */
        PyGILState_STATE s = PyGILState_Ensure();
        PyThreadState *ts = PyEval_SaveThread();
        job->fn(1);
        bench_measure(job);
        PyEval_RestoreThread(ts);
        PyGILState_Release(s);
    }
    else {
        job->fn(1);
        bench_measure(job);
    }
    return NULL;
}

/* Run a job: in the main thread, which holds the GIL inside an outer pyz3
 * scope, or in a new thread while the main thread has released the GIL. */
static void
bench_run_once(bench_job *job)
{
    pyz3_unlock u;
    pthread_t t;
    if (job->where == BENCH_HELD) {
        bench_measure(job);
        return;
    }
    u = pyz3_gil_unlock();
    if (pthread_create(&t, NULL, bench_thread_main, job) != 0
        || pthread_join(t, NULL) != 0) {
        fprintf(stderr, "pyz3_bench: cannot run a thread\n");
        abort();
    }
    pyz3_gil_relock(u);
}

/* Run a job after a short unmeasured run of the same kind, so that the
 * measured one does not pay for cold caches, branch predictors and state
 * that is set up lazily. */
static void
bench_run(bench_job *job, int ballast)
{
    bench_job warm = *job;
    warm.warm_up = 1;
    warm.n = job->n < 16 ? job->n : 16;
    bench_run_once(&warm);
    bench_ballast_hold(ballast);
    bench_run_once(job);
    bench_ballast_drop();
}

static long
bench_loops(const bench_row *row, long n)
{
    long loops = n / row->weight;
    return loops > 0 ? loops : 1;
}

static void
bench_job_init(bench_job *job, const bench_row *row, int variant, long loops)
{
    job->fn = row->fns[variant];
    job->n = loops;
    job->where = row->where;
    job->ns = 0;
    job->warm_up = 0;
    snprintf(job->tag, sizeof(job->tag), "pyz3-bench %s %s %ld",
             row->id, bench_variants[variant], loops);
}

static void
bench_callgrind(long n)
{
    size_t r;
    int v;
    for (r = 0; r < BENCH_NROWS; r++) {
        for (v = 0; v < 4; v++) {
            bench_job job;
            bench_job_init(&job, &bench_rows[r], v,
                           bench_loops(&bench_rows[r], n));
            bench_run(&job, 2);
            bench_run(&job, 4);
        }
    }
}

static void
bench_time(long n, int runs)
{
    int run, k;
    size_t r;
    for (run = 0; run < runs; run++) {
        for (r = 0; r < BENCH_NROWS; r++) {
            /* Each run starts with another variant, so that none always
             * runs first, or right after a slow neighbour. */
            for (k = 0; k < 4; k++) {
                int v = (k + run + (int)r) % 4;
                bench_job job;
                bench_job_init(&job, &bench_rows[r], v,
                               bench_loops(&bench_rows[r], n));
                bench_run(&job, 2 + 2 * (run % 2));
                printf("%s\t%s\t%d\t%ld\t%.0f\n", bench_rows[r].id,
                       bench_variants[v], run, job.n, job.ns);
            }
        }
        fflush(stdout);
    }
}

static void
bench_list(void)
{
    static const char *const where[] = { "held", "bare-thread", "tstate-thread" };
    size_t r;
    printf("python\t%s\n", PY_VERSION);
    printf("callgrind\t%s\n", BENCH_HAVE_CALLGRIND ? "yes" : "no");
    for (r = 0; r < BENCH_NROWS; r++) {
        const bench_row *row = &bench_rows[r];
        printf("row\t%s\t%s\t%s\t%d\t%ld\t%g\t%s\n", row->unit, row->id,
               where[row->where], row->per, row->weight, row->goal, row->label);
    }
}

static void
bench_inputs_init(void)
{
    bench_in.int_small = PyLong_FromLong(42);
    bench_in.int_big = PyLong_FromLongLong(INT64_C(1) << 40);
    bench_in.args = Py_BuildValue("(i)", 42);
    bench_in.flt = PyFloat_FromDouble(1.5);
    bench_in.str = PyUnicode_FromString("hello world");
    if (bench_in.int_small == NULL || bench_in.int_big == NULL
        || bench_in.args == NULL || bench_in.flt == NULL || bench_in.str == NULL)
        bench_fail("making the inputs");
    bench_in.true_ = Py_True;
    bench_in.false_ = Py_False;
    bench_in.i64_small = 42;
    bench_in.i64_big = INT64_C(1) << 40;
    bench_in.f64 = 1.5;
    bench_in.f64_one = 1.0;
    bench_in.truth = true;
    bench_in.text = "hello world";
    bench_in.none = "None";
}

static void
bench_inputs_fini(void)
{
    Py_DECREF(bench_in.int_small);
    Py_DECREF(bench_in.int_big);
    Py_DECREF(bench_in.args);
    Py_DECREF(bench_in.flt);
    Py_DECREF(bench_in.str);
}

static int
bench_usage(void)
{
    fprintf(stderr, "usage: pyz3_bench ops --list | --callgrind N | --time N RUNS\n");
    return 2;
}

int
bench_ops_main(int argc, char **argv)
{
    long n = 0;
    int runs = 0;
    pyz3_gil outer;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        bench_list();
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--callgrind") == 0) {
        if (!BENCH_HAVE_CALLGRIND) {
            fprintf(stderr, "pyz3_bench: built without <valgrind/callgrind.h>\n");
            return 1;
        }
        n = atol(argv[2]);
    }
    else if (argc == 4 && strcmp(argv[1], "--time") == 0) {
        n = atol(argv[2]);
        runs = atoi(argv[3]);
        if (runs < 1)
            return bench_usage();
    }
    else {
        return bench_usage();
    }
    if (n < 1)
        return bench_usage();

    Py_InitializeEx(0);
    if (pyz3_check_python() < 0 || pyz3_pool_init() < 0)
        bench_fail("start-up");
    bench_inputs_init();
    /* The main thread holds the GIL since Py_InitializeEx(); the outer
     * scope is what extension code running under a pyz3 scope sees. */
    outer = pyz3_gil_acquire();

    if (runs == 0) {
        bench_mode = BENCH_CALLGRIND;
        bench_callgrind(n);
    }
    else {
        bench_mode = BENCH_TIME;
        bench_time(n, runs);
    }

    pyz3_gil_release(outer);
    bench_inputs_fini();
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
