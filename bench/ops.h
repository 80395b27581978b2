/* ops.h -- what the units of the per-operation benchmark share: the list
 * of measured operations, the inputs they read, and the barriers that keep
 * the compiler from optimizing their work away.
 *
 * Every operation exists three times: bench_<id>_inline (libpyz3 through
 * its inline paths), bench_<id>_ool (the same source built with
 * PYZ3_NO_INLINE: the library's out-of-line copies) and bench_<id>_raw (the
 * CPython C API doing the same job). Each runs its operation n times in a
 * loop of the same shape as bench_empty(), which is subtracted. A new
 * object is handed on (BENCH_USE, BENCH_CLOBBER) before its Py_DECREF, so
 * that the compiler cannot fold an inline Py_INCREF into the Py_DECREF.
 */
#ifndef PYZ3_BENCH_OPS_H
#define PYZ3_BENCH_OPS_H

#include "bench.h"
#include <stdbool.h>
#include <stdint.h>

/* Where an operation runs. */
#define BENCH_HELD    0   /* main thread, GIL held, inside an outer pyz3 scope */
#define BENCH_BARE    1   /* a "new thread": a pthread with no thread state,
                             while the main thread has released the GIL */
#define BENCH_TSTATE  2   /* a pthread with a thread state of its own, GIL
                             released */

/* X(unit, id, where, ops per loop iteration, cost weight, goal, label).
 * The loop runs N / weight times, so that slow operations take about as
 * long as fast ones. The goal is the largest pyz3/raw ratio of
 * instructions that meets it (0: none). The label is "pyz3 side | raw
 * side"; Ensure, Release, Malloc and Free are PyGILState_Ensure,
 * PyGILState_Release, PyMem_Malloc and PyMem_Free. */
#define BENCH_ROWS(X) \
    X(gil, gil_nested, BENCH_HELD, 1, 1, 0.20, \
      "nested scope | PyGILState_Ensure+Release, GIL held") \
    X(gil, gil_outer_bare, BENCH_BARE, 1, 20, 1.05, \
      "outermost scope, new thread | Ensure+Release, new thread") \
    X(gil, gil_outer_tstate, BENCH_TSTATE, 1, 10, 1.05, \
      "outermost scope, thread with a thread state | Ensure+Release, same thread") \
    X(alloc, alloc_held, BENCH_HELD, 1, 1, 1.10, \
      "pyz3_alloc(256)+pyz3_free in a scope | PyMem_Malloc(256)+PyMem_Free") \
    X(alloc, alloc_held_512, BENCH_HELD, 1, 1, 1.10, \
      "pyz3_alloc(512)+pyz3_free in a scope | PyMem_Malloc(512)+PyMem_Free") \
    X(alloc, alloc_batch, BENCH_BARE, 10, 200, 0.10, \
      "10 allocs+frees in one scope, new thread, per alloc" \
      " | Ensure+Malloc+Free+Release, each") \
    X(alloc, alloc_batch_hand, BENCH_BARE, 10, 100, 1.05, \
      "10 allocs+frees in one scope, new thread, per alloc" \
      " | one Ensure+Release around 10 Malloc+Free") \
    X(alloc, alloc_unscoped, BENCH_BARE, 1, 40, 1.05, \
      "pyz3_alloc+pyz3_free, no scope, new thread | Ensure+Malloc+Free+Release") \
    X(alloc, alloc_scope_each, BENCH_BARE, 1, 20, 0, \
      "one scope around pyz3_alloc+pyz3_free, new thread | Ensure+Malloc+Free+Release") \
    X(unwrap, unwrap_i64_small, BENCH_HELD, 1, 1, 0.40, \
      "pyz3_unwrap_i64(42) | PyLong_AsLongLong") \
    X(unwrap, unwrap_i64_big, BENCH_HELD, 1, 1, 0, \
      "pyz3_unwrap_i64(2**40) | PyLong_AsLongLong") \
    X(unwrap, unwrap_i64_args, BENCH_HELD, 1, 1, 0.125, \
      "pyz3_unwrap_i64 of args[0] of (42,) | PyArg_ParseTuple(args, \"L\", &v)") \
    X(unwrap, unwrap_u64_small, BENCH_HELD, 1, 1, 0, \
      "pyz3_unwrap_u64(42) | PyLong_AsUnsignedLongLong") \
    X(unwrap, unwrap_u64_big, BENCH_HELD, 1, 1, 0, \
      "pyz3_unwrap_u64(2**40) | PyLong_AsUnsignedLongLong") \
    X(unwrap, unwrap_f64, BENCH_HELD, 1, 1, 0.25, \
      "pyz3_unwrap_f64(1.5) | PyFloat_AsDouble") \
    X(unwrap, unwrap_bool_true, BENCH_HELD, 1, 1, 0.30, \
      "pyz3_unwrap_bool(True) | PyObject_IsTrue") \
    X(unwrap, unwrap_bool_false, BENCH_HELD, 1, 1, 0.30, \
      "pyz3_unwrap_bool(False) | PyObject_IsTrue") \
    X(unwrap, unwrap_str, BENCH_HELD, 1, 1, 0.30, \
      "pyz3_unwrap_str(\"hello world\") | PyUnicode_AsUTF8AndSize") \
    X(wrap, wrap_i64_small, BENCH_HELD, 1, 1, 0.50, \
      "pyz3_wrap_i64(42) | PyLong_FromLongLong") \
    X(wrap, wrap_i64_big, BENCH_HELD, 1, 1, 1.05, \
      "pyz3_wrap_i64(1<<40) | PyLong_FromLongLong") \
    X(wrap, wrap_u64_small, BENCH_HELD, 1, 1, 0, \
      "pyz3_wrap_u64(42) | PyLong_FromUnsignedLongLong") \
    X(wrap, wrap_u64_big, BENCH_HELD, 1, 1, 0, \
      "pyz3_wrap_u64(1<<40) | PyLong_FromUnsignedLongLong") \
    X(wrap, wrap_f64, BENCH_HELD, 1, 1, 1.05, \
      "pyz3_wrap_f64(1.5) | PyFloat_FromDouble") \
    X(wrap, wrap_bool, BENCH_HELD, 1, 1, 0, \
      "pyz3_wrap_bool(true) | PyBool_FromLong") \
    X(wrap, wrap_str, BENCH_HELD, 1, 1, 1.05, \
      "pyz3_wrap_str(11 bytes) | PyUnicode_DecodeUTF8") \
    X(wrap, wrap_i64_build_small, BENCH_HELD, 1, 1, 0.20, \
      "pyz3_wrap_i64(42) | Py_BuildValue(\"L\", 42)") \
    X(wrap, wrap_i64_build_big, BENCH_HELD, 1, 1, 0.20, \
      "pyz3_wrap_i64(1<<40) | Py_BuildValue(\"L\", 1<<40)") \
    X(pool, pool_int, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_int(42) | PyLong_FromLongLong(42)") \
    X(pool, pool_empty_tuple, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_empty_tuple() | PyTuple_New(0)") \
    X(pool, pool_float, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_float(1.0) | PyFloat_FromDouble(1.0)") \
    X(pool, pool_str_new, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_str(\"None\", 4) | PyUnicode_FromStringAndSize") \
    X(pool, pool_str_intern, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_str(\"None\", 4) | PyUnicode_InternFromString") \
    X(pool, pool_new_dict, BENCH_HELD, 1, 1, 0, \
      "pyz3_pool_new_dict() | PyDict_New()")

typedef void (*bench_fn)(long n);

#define BENCH_DECLARE(unit, id, where, per, weight, goal, label) \
    void bench_##id##_inline(long n); \
    void bench_##id##_ool(long n); \
    void bench_##id##_raw(long n);
BENCH_ROWS(BENCH_DECLARE)
#undef BENCH_DECLARE

/* The loop without an operation: what every measurement subtracts. */
void bench_empty(long n);

/* What the operations read, set once by ops.c. Each iteration reads its
 * input from here after BENCH_CLOBBER(), so the compiler cannot know the
 * value; that load is part of the operation, on both sides. */
struct bench_inputs {
    PyObject *int_small;    /* 42 */
    PyObject *int_big;      /* 2**40 */
    PyObject *args;         /* (42,) */
    PyObject *flt;          /* 1.5 */
    PyObject *str;          /* "hello world" */
    PyObject *true_;        /* True */
    PyObject *false_;       /* False */
    int64_t i64_small;      /* 42 */
    int64_t i64_big;        /* 1 << 40 */
    double f64;             /* 1.5 */
    double f64_one;         /* 1.0 */
    bool truth;             /* true */
    const char *text;       /* "hello world", 11 bytes */
    const char *none;       /* "None" */
};
extern struct bench_inputs bench_in;

#define BENCH_OP __attribute__((noinline))

/* Once per iteration: any memory may have changed, so nothing is hoisted
 * out of the loop. No instruction is emitted. */
#define BENCH_CLOBBER() __asm__ volatile("" : : : "memory")
/* The compiler must assume `x` changed (a block to free). */
#define BENCH_OPAQUE(x) __asm__ volatile("" : "+r"(x))
/* A result the compiler must compute. No instruction is emitted. */
#define BENCH_USE(x) __asm__ volatile("" : : "r"(x))
#if defined(__x86_64__) || defined(__i386__)
#  define BENCH_USE_F64(x) __asm__ volatile("" : : "x"(x))
#elif defined(__aarch64__)
#  define BENCH_USE_F64(x) __asm__ volatile("" : : "w"(x))
#else
#  define BENCH_USE_F64(x) __asm__ volatile("" : : "m"(x))
#endif

#define BENCH_REPEAT10(s) do { s; s; s; s; s; s; s; s; s; s; } while (0)

#endif /* PYZ3_BENCH_OPS_H */
