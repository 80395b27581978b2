/* process.h -- the five builds of the seed's process_data(), which
 * process.c measures and process_builds.c defines.
 */
#ifndef PYZ3_BENCH_PROCESS_H
#define PYZ3_BENCH_PROCESS_H

#include "bench.h"
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

#endif /* PYZ3_BENCH_PROCESS_H */
