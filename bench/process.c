/* process.c -- the seed's combined benchmark, "process 100,000 small
 * integers", and how its cost scales: embeds the configured CPython and
 * runs the five builds of process_data() (process_builds.c) and the GIL
 * scopes of threads.c. Each mode is `pyz3_bench process MODE...`:
 *
 *   --list                   the builds and measurements
 *   --callgrind N            under valgrind --tool=callgrind: each build
 *                            over N items, one dump named
 *                            "pyz3-process ID N BALLAST"
 *   --seed N RUNS            ns per call over N items:
 *                            seed ID RUN N REPS NS
 *   --sizes RUNS MIN SIZE... baseline and all combined over SIZE items,
 *                            each measurement at least MIN items in all:
 *                            size ID RUN N REPS NS
 *   --threads N RUNS T...    the GIL scopes of threads.c from T threads at
 *                            once, N / weight scopes in all (weights in
 *                            threads.h):
 *                            threads KIND T RUN COUNT NS
 *
 * The items are the ints i % 256, CPython's cached small ints, in a
 * tuple; process_data() runs in the main thread, which holds the GIL and
 * has no pyz3 scope open, as an extension function entered from Python.
 * Each result is checked against the sum computed here, and every mode
 * starts by checking that the five builds agree on results and errors.
 * In every timed run the builds take turns in a rotating order, so that
 * drift hits them alike. bench/report.py makes the tables.
 */
#include "process.h"
#include "threads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#  if __has_include(<valgrind/callgrind.h>)
#    include <valgrind/callgrind.h>
#    define PROCESS_HAVE_CALLGRIND 1
#  endif
#endif
#ifndef PROCESS_HAVE_CALLGRIND
#  define PROCESS_HAVE_CALLGRIND 0
#endif

typedef PyObject *(*process_fn)(PyObject *values);

typedef struct process_build {
    const char *id;
    const char *label;
    const char *what;
    process_fn fn;
} process_build;

#define PROCESS_BUILD(id, label, what) { #id, label, what, process_##id },
static const process_build process_builds[] = { PROCESS_BUILDS(PROCESS_BUILD) };
#undef PROCESS_BUILD

#define PROCESS_NBUILDS ((int)(sizeof(process_builds) / sizeof(process_builds[0])))
#define PROCESS_BASELINE 0
#define PROCESS_ALL      (PROCESS_NBUILDS - 1)

/* The input of n items, and the sum process_data() must return for it. */
typedef struct process_input {
    PyObject *values;
    int64_t expect;
} process_input;

static void
process_input_init(process_input *in, long n)
{
    long i;
    in->values = PyTuple_New(n);
    if (in->values == NULL)
        bench_fail("PyTuple_New");
    in->expect = 0;
    for (i = 0; i < n; i++) {
        PyObject *o = PyLong_FromLong(i % 256);
        if (o == NULL)
            bench_fail("PyLong_FromLong");
        PyTuple_SET_ITEM(in->values, i, o);
        in->expect += 2 * (i % 256);
    }
}

static void
process_input_fini(process_input *in)
{
    Py_CLEAR(in->values);
}

static void
process_call(process_fn fn, const process_input *in)
{
    PyObject *r = fn(in->values);
    long long v;
    if (r == NULL)
        bench_fail("process_data");
    v = PyLong_AsLongLong(r);
    Py_DECREF(r);
    if (v != in->expect) {
        fprintf(stderr, "pyz3_bench: process_data returned %lld, not %lld\n",
                v, (long long)in->expect);
        abort();
    }
}

/* Every build gives the same result, or raises the same exception, for
 * the same input. A float is left out before 3.10: PyArg_Parse(o, "L")
 * refuses it, while PyLong_AsLongLong, and so pyz3_unwrap_i64, truncates
 * it through __int__ there. */
static void
process_check(void)
{
    static const char cases[] =
        "[((1, 2, 3), 12), ([1, 2, 3], 12), ((), 0), ([], 0),\n"
        " ((-5, 300, 2**40), 590 + 2**41), ((True, False), 2),\n"
        " ((1, 'x'), TypeError), (5, TypeError),\n"
#if PY_VERSION_HEX >= 0x030A0000
        " ((1.5,), TypeError),\n"
#endif
        " ((2**62,), OverflowError), ((2**64,), OverflowError),\n"
        " ((2**62 - 1, 2**62 - 1), OverflowError)]\n";
    PyObject *globals, *list;
    Py_ssize_t c;
    int b;

    globals = PyDict_New();
    if (globals == NULL
        || PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) < 0)
        bench_fail("the check's globals");
    list = PyRun_String(cases, Py_eval_input, globals, globals);
    if (list == NULL)
        bench_fail("the check's cases");
    for (c = 0; c < PyList_GET_SIZE(list); c++) {
        PyObject *arg = PyTuple_GET_ITEM(PyList_GET_ITEM(list, c), 0);
        PyObject *want = PyTuple_GET_ITEM(PyList_GET_ITEM(list, c), 1);
        for (b = 0; b < PROCESS_NBUILDS; b++) {
            PyObject *got = process_builds[b].fn(arg);
            int ok;
            if (PyLong_Check(want))
                ok = got != NULL && PyLong_CheckExact(got)
                     && PyObject_RichCompareBool(got, want, Py_EQ) == 1;
            else
                ok = got == NULL && PyErr_ExceptionMatches(want);
            if (!ok) {
                fprintf(stderr, "pyz3_bench: process_%s fails case %d\n",
                        process_builds[b].id, (int)c);
                if (PyErr_Occurred())
                    PyErr_Print();
                abort();
            }
            Py_XDECREF(got);
            PyErr_Clear();
        }
    }
    Py_DECREF(list);
    Py_DECREF(globals);
}

/* Live blocks of every pymalloc size class (16..512 bytes), held while a
 * build runs: an allocation and free of a block whose pool holds no other
 * block, or no other free one, would move that pool between pymalloc's
 * lists every time, a cost of the heap's state rather than of the code.
 * With 2 or 4 blocks per class one of the two leaves every pool with
 * another live block and more than one free; instructions are counted
 * with both and the report keeps the lower count. */
static void
process_list(void)
{
    int i;
    printf("python\t%s\n", PY_VERSION);
    printf("callgrind\t%s\n", PROCESS_HAVE_CALLGRIND ? "yes" : "no");
#ifdef NDEBUG
    printf("ndebug\tyes\n");
#endif
    printf("scratch\t%d\n", PROCESS_SCRATCH);
    printf("batch\t%d\n", THREADS_BATCH);
    for (i = 0; i < PROCESS_NBUILDS; i++)
        printf("build\t%s\t%s\t%s\n", process_builds[i].id, process_builds[i].label,
               process_builds[i].what);
    for (i = 0; i < threads_kind_count(); i++)
        printf("kind\t%s\t%ld\t%s\n", threads_kind_id(i), threads_kind_weight(i),
               threads_kind_label(i));
}

static void
process_callgrind(long n)
{
#if PROCESS_HAVE_CALLGRIND
    process_input warm, in;
    int b, ballast;
    process_input_init(&warm, n < 1000 ? n : 1000);
    process_input_init(&in, n);
    for (b = 0; b < PROCESS_NBUILDS; b++) {
        for (ballast = 2; ballast <= 4; ballast += 2) {
            char tag[128];
            snprintf(tag, sizeof(tag), "pyz3-process %s %ld %d",
                     process_builds[b].id, n, ballast);
            process_call(process_builds[b].fn, &warm);
            bench_ballast_hold(ballast);
            CALLGRIND_ZERO_STATS;
            process_call(process_builds[b].fn, &in);
            CALLGRIND_DUMP_STATS_AT(tag);
            bench_ballast_drop();
        }
    }
    process_input_fini(&in);
    process_input_fini(&warm);
#else
    (void)n;
#endif
}

/* One timed measurement: `reps` calls of build `b` over `in`. */
static double
process_time(int b, const process_input *in, long reps, int run)
{
    double t0;
    long r;
    bench_ballast_hold(2 + 2 * (run % 2));
    t0 = bench_now_ns();
    for (r = 0; r < reps; r++)
        process_call(process_builds[b].fn, in);
    t0 = bench_now_ns() - t0;
    bench_ballast_drop();
    return t0;
}

static void
process_seed(long n, int runs)
{
    process_input in;
    int run, k;
    process_input_init(&in, n);
    for (k = 0; k < PROCESS_NBUILDS; k++)
        process_call(process_builds[k].fn, &in);
    for (run = 0; run < runs; run++) {
        for (k = 0; k < PROCESS_NBUILDS; k++) {
            int b = (k + run) % PROCESS_NBUILDS;
            printf("seed\t%s\t%d\t%ld\t1\t%.0f\n", process_builds[b].id, run, n,
                   process_time(b, &in, 1, run));
        }
        fflush(stdout);
    }
    process_input_fini(&in);
}

static void
process_sizes(int runs, long min_items, long *sizes, int nsizes)
{
    static const int builds[2] = { PROCESS_BASELINE, PROCESS_ALL };
    process_input *in = calloc((size_t)nsizes, sizeof(*in));
    int run, s, k;
    if (in == NULL)
        bench_fail("calloc");
    for (s = 0; s < nsizes; s++) {
        process_input_init(&in[s], sizes[s]);
        for (k = 0; k < 2; k++)
            process_call(process_builds[builds[k]].fn, &in[s]);
    }
    for (run = 0; run < runs; run++) {
        for (s = 0; s < nsizes; s++) {
            long reps = (min_items + sizes[s] - 1) / sizes[s];
            for (k = 0; k < 2; k++) {
                int b = builds[(k + run + s) % 2];
                printf("size\t%s\t%d\t%ld\t%ld\t%.0f\n", process_builds[b].id, run,
                       sizes[s], reps, process_time(b, &in[s], reps, run));
            }
        }
        fflush(stdout);
    }
    for (s = 0; s < nsizes; s++)
        process_input_fini(&in[s]);
    free(in);
}

static void
process_threads(long n, int runs, int *counts, int ncounts)
{
    int run, c, k, nkinds = threads_kind_count();
    /* The workers take the GIL themselves. */
    PyThreadState *main_state = PyEval_SaveThread();
    for (run = 0; run < runs; run++) {
        for (c = 0; c < ncounts; c++) {
            for (k = 0; k < nkinds; k++) {
                int kind = (k + run + c) % nkinds;
                long per_thread = n / threads_kind_weight(kind) / counts[c];
                if (per_thread < 1)
                    per_thread = 1;
                printf("threads\t%s\t%d\t%d\t%ld\t%.0f\n", threads_kind_id(kind),
                       counts[c], run, per_thread,
                       threads_run(kind, counts[c], per_thread));
            }
        }
        fflush(stdout);
    }
    PyEval_RestoreThread(main_state);
}

static int
process_usage(void)
{
    fprintf(stderr,
            "usage: pyz3_bench process --list | --callgrind N | --seed N RUNS\n"
            "       | --sizes RUNS MIN SIZE... | --threads N RUNS THREADS...\n");
    return 2;
}

/* Whether `mode` takes `count` numbers after it. */
static int
process_arity_ok(const char *mode, int count)
{
    if (strcmp(mode, "--callgrind") == 0)
        return count == 1 && PROCESS_HAVE_CALLGRIND;
    if (strcmp(mode, "--seed") == 0)
        return count == 2;
    if (strcmp(mode, "--sizes") == 0 || strcmp(mode, "--threads") == 0)
        return count >= 3;
    return 0;
}

int
bench_process_main(int argc, char **argv)
{
    long numbers[16];
    int i, count = argc - 2;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        process_list();
        return 0;
    }
    if (argc < 3 || count > 16 || !process_arity_ok(argv[1], count))
        return process_usage();
    for (i = 0; i < count; i++) {
        numbers[i] = atol(argv[i + 2]);
        if (numbers[i] < 1)
            return process_usage();
    }

    Py_InitializeEx(0);
    if (pyz3_check_python() < 0 || pyz3_pool_init() < 0)
        bench_fail("start-up");
    process_check();

    if (strcmp(argv[1], "--callgrind") == 0) {
        process_callgrind(numbers[0]);
    }
    else if (strcmp(argv[1], "--seed") == 0) {
        process_seed(numbers[0], (int)numbers[1]);
    }
    else if (strcmp(argv[1], "--sizes") == 0) {
        process_sizes((int)numbers[0], numbers[1], numbers + 2, count - 2);
    }
    else {
        int threads[14];
        for (i = 2; i < count; i++)
            threads[i - 2] = numbers[i] > THREADS_MAX ? THREADS_MAX
                             : (int)numbers[i];
        process_threads(numbers[0], (int)numbers[1], threads, count - 2);
    }
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
