/* threads.h -- GIL scopes taken by several threads at once (threads.c),
 * which process.c runs for its scaling table.
 */
#ifndef PYZ3_BENCH_THREADS_H
#define PYZ3_BENCH_THREADS_H

#include "bench.h"

/* Nested scopes per outermost scope in the "nested" thread measurements. */
#define THREADS_BATCH 1000

/* The GIL measurements of threads.c, X(id, weight, label): what one
 * worker thread does. A measurement does N / weight of them in all, so
 * that each kind takes about as long as the others. */
#define THREADS_KINDS(X) \
    X(pyz3_nested, 1, "pyz3 nested scope (1000 per outermost scope)") \
    X(raw_nested, 15, "PyGILState_Ensure+Release, GIL held (1000 per outer Ensure)") \
    X(pyz3_outer, 80, "pyz3 outermost scope (the thread state kept)") \
    X(pyz3_convert, 160, "pyz3 outermost scope, wrap_i64 + unwrap_i64 inside") \
    X(raw_outer, 400, "PyGILState_Ensure+Release, no thread state")

/* Run `threads` workers (at most THREADS_MAX) at once, each doing
 * `count` operations of `kind` (an index into THREADS_KINDS) after a
 * warm-up; the wall time in ns from the first start, once all are ready,
 * to the last end. The calling thread must not hold the GIL. */
#define THREADS_MAX 64
double threads_run(int kind, int threads, long count);

int threads_kind_count(void);
const char *threads_kind_id(int kind);
const char *threads_kind_label(int kind);
long threads_kind_weight(int kind);

#endif /* PYZ3_BENCH_THREADS_H */
