/* main.c -- bench/pyz3_bench, libpyz3's benchmark program: what `make
 * bench` runs (bench/run.sh), one benchmark per invocation.
 *
 *   pyz3_bench ops ARGS...       each operation against the raw C API
 *                                (ops.c)
 *   pyz3_bench process ARGS...   the seed's process_data() in five builds,
 *                                with items and threads (process.c)
 *
 * Also the helpers every benchmark uses (bench.h).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_BALLAST_CLASSES 32            /* 16..512 bytes */
static void *bench_ballast[BENCH_BALLAST_CLASSES * BENCH_BALLAST_MAX];
static int bench_ballast_count;

void
bench_fail(const char *what)
{
    fprintf(stderr, "pyz3_bench: %s failed\n", what);
    if (PyErr_Occurred())
        PyErr_Print();
    abort();
}

double
bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void
bench_ballast_hold(int per_class)
{
    int i;
    if (per_class > BENCH_BALLAST_MAX)
        abort();
    bench_ballast_count = BENCH_BALLAST_CLASSES * per_class;
    for (i = 0; i < bench_ballast_count; i++) {
        size_t size = (size_t)(i / per_class + 1) * 16;
        if ((bench_ballast[i] = PyObject_Malloc(size)) == NULL)
            bench_fail("PyObject_Malloc");
    }
}

void
bench_ballast_drop(void)
{
    int i;
    for (i = 0; i < bench_ballast_count; i++)
        PyObject_Free(bench_ballast[i]);
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "ops") == 0)
        return bench_ops_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "process") == 0)
        return bench_process_main(argc - 1, argv + 1);
    fprintf(stderr, "usage: pyz3_bench ops ARGS... | pyz3_bench process ARGS...\n");
    return 2;
}
