/* process.h -- what the units of bench/pyz3_process share: the five builds
 * of the seed's process_data() and the thread-scaling measurements.
 */
#ifndef PYZ3_BENCH_PROCESS_H
#define PYZ3_BENCH_PROCESS_H

#include <pyz3.h>
#include <stdint.h>

/* X(id, label, what it does). One row of the seed's table per build, in
 * its order; process_builds.c defines process_<id>() for each. */
#define PROCESS_BUILDS(X) \
    X(baseline, "None (baseline)", \
      "PyArg_Parse(item, \"L\") per item; PyGILState_Ensure+Release around " \
      "every PyMem_Malloc and every PyMem_Free; Py_BuildValue(\"L\", sum)") \
    X(gil, "GIL caching only", \
      "one pyz3_gil scope for the call; pyz3_alloc/pyz3_free inside it; " \
      "conversions as baseline") \
    X(fast, "Fast paths only", \
      "pyz3_unwrap_i64 per item, pyz3_wrap_i64(sum); allocations as baseline") \
    X(pool, "Object pooling only", \
      "result through pyz3_pool_int(sum), Py_BuildValue when it misses; " \
      "the rest as baseline") \
    X(all, "All combined", \
      "one pyz3_gil scope, pyz3_alloc/pyz3_free, pyz3_unwrap_i64, " \
      "pyz3_wrap_i64 (which looks in the pool first)")

/* process_data(values): `values` is a tuple or a list of ints; a new
 * reference to sum(2 * v for v in values), or NULL with an exception.
 * The calling thread holds the GIL, as an extension function's does. */
#define PROCESS_DECLARE(id, label, what) PyObject *process_##id(PyObject *values);
PROCESS_BUILDS(PROCESS_DECLARE)
#undef PROCESS_DECLARE

/* The bytes of the scratch block that each item goes through. */
#define PROCESS_SCRATCH 32

/* Nested scopes per outermost scope in the "nested" thread measurements. */
#define SCALING_BATCH 1000

/* The GIL measurements of scaling.c, X(id, weight, label): what one
 * worker thread does. A measurement does N / weight of them in all, so
 * that each kind takes about as long as the others. */
#define SCALING_KINDS(X) \
    X(pyz3_nested, 1, "pyz3 nested scope (1000 per outermost scope)") \
    X(raw_nested, 15, "PyGILState_Ensure+Release, GIL held (1000 per outer Ensure)") \
    X(pyz3_outer, 80, "pyz3 outermost scope (the thread state kept)") \
    X(raw_outer, 400, "PyGILState_Ensure+Release, no thread state")

/* Run `threads` workers (at most SCALING_MAX_THREADS) at once, each doing
 * `count` operations of `kind` (an index into SCALING_KINDS) after a
 * warm-up; the wall time in ns from the first start, once all are ready,
 * to the last end. The calling thread must not hold the GIL. */
#define SCALING_MAX_THREADS 64
double scaling_run(int kind, int threads, long count);

int scaling_kind_count(void);
const char *scaling_kind_id(int kind);
const char *scaling_kind_label(int kind);
long scaling_kind_weight(int kind);

double process_now_ns(void);

/* Abort with the Python error: something failed where it cannot. */
void process_fail(const char *what) __attribute__((noreturn, cold));

#endif /* PYZ3_BENCH_PROCESS_H */
