/* ops_raw.c -- the CPython C API doing the job of each libpyz3 operation,
 * as careful hand-written extension code does it (errors checked, the GIL
 * taken where libpyz3 takes it), in the same loops as ops_pyz3.h. */
#include "ops.h"

BENCH_OP void
bench_empty(long n)
{
    for (long i = 0; i < n; i++)
        BENCH_CLOBBER();
}

/* ------------------------------------------------------------------ GIL */

#define BENCH_ENSURE_RELEASE(id)                                        \
    BENCH_OP void                                                       \
    bench_##id##_raw(long n)                                            \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            PyGILState_STATE s;                                         \
            BENCH_CLOBBER();                                            \
            s = PyGILState_Ensure();                                    \
            BENCH_CLOBBER();                                            \
            PyGILState_Release(s);                                      \
        }                                                               \
    }

BENCH_ENSURE_RELEASE(gil_nested)
BENCH_ENSURE_RELEASE(gil_outer_bare)
BENCH_ENSURE_RELEASE(gil_outer_tstate)

/* ------------------------------------------------------------ allocator */

#define BENCH_MALLOC_FREE(size) do {            \
        void *p_ = PyMem_Malloc(size);          \
        if (p_ == NULL)                         \
            bench_fail("PyMem_Malloc");         \
        BENCH_OPAQUE(p_);                       \
        PyMem_Free(p_);                         \
    } while (0)

#define BENCH_ENSURED_MALLOC_FREE() do {        \
        PyGILState_STATE s_ = PyGILState_Ensure(); \
        BENCH_MALLOC_FREE(256);                 \
        PyGILState_Release(s_);                 \
    } while (0)

BENCH_OP void
bench_alloc_held_raw(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_MALLOC_FREE(256);
    }
}

BENCH_OP void
bench_alloc_held_512_raw(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_MALLOC_FREE(512);
    }
}

BENCH_OP void
bench_alloc_batch_raw(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_REPEAT10(BENCH_ENSURED_MALLOC_FREE());
    }
}

BENCH_OP void
bench_alloc_batch_hand_raw(long n)
{
    for (long i = 0; i < n; i++) {
        PyGILState_STATE s;
        BENCH_CLOBBER();
        s = PyGILState_Ensure();
        BENCH_REPEAT10(BENCH_MALLOC_FREE(256));
        PyGILState_Release(s);
    }
}

BENCH_OP void
bench_alloc_unscoped_raw(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_ENSURED_MALLOC_FREE();
    }
}

BENCH_OP void
bench_alloc_scope_each_raw(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_ENSURED_MALLOC_FREE();
    }
}

/* --------------------------------------------------------------- unwrap */

#define BENCH_UNWRAP(id, input, type, use, call, bad)                   \
    BENCH_OP void                                                       \
    bench_##id##_raw(long n)                                            \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            type v;                                                     \
            BENCH_CLOBBER();                                            \
            v = call(bench_in.input);                                   \
            if (bad)                                                    \
                bench_fail(#call);                                      \
            use(v);                                                     \
        }                                                               \
    }

BENCH_UNWRAP(unwrap_i64_small, int_small, long long, BENCH_USE,
             PyLong_AsLongLong, v == -1 && PyErr_Occurred())
BENCH_UNWRAP(unwrap_i64_big, int_big, long long, BENCH_USE,
             PyLong_AsLongLong, v == -1 && PyErr_Occurred())
BENCH_UNWRAP(unwrap_u64_small, int_small, unsigned long long, BENCH_USE,
             PyLong_AsUnsignedLongLong, v == ~0ULL && PyErr_Occurred())
BENCH_UNWRAP(unwrap_u64_big, int_big, unsigned long long, BENCH_USE,
             PyLong_AsUnsignedLongLong, v == ~0ULL && PyErr_Occurred())
BENCH_UNWRAP(unwrap_f64, flt, double, BENCH_USE_F64,
             PyFloat_AsDouble, v == -1.0 && PyErr_Occurred())
BENCH_UNWRAP(unwrap_bool_true, true_, int, BENCH_USE, PyObject_IsTrue, v < 0)
BENCH_UNWRAP(unwrap_bool_false, false_, int, BENCH_USE, PyObject_IsTrue, v < 0)

BENCH_OP void
bench_unwrap_i64_args_raw(long n)
{
    for (long i = 0; i < n; i++) {
        long long v;
        BENCH_CLOBBER();
        if (!PyArg_ParseTuple(bench_in.args, "L", &v))
            bench_fail("PyArg_ParseTuple");
        BENCH_USE(v);
    }
}

BENCH_OP void
bench_unwrap_str_raw(long n)
{
    for (long i = 0; i < n; i++) {
        const char *s;
        Py_ssize_t len;
        BENCH_CLOBBER();
        if ((s = PyUnicode_AsUTF8AndSize(bench_in.str, &len)) == NULL)
            bench_fail("PyUnicode_AsUTF8AndSize");
        BENCH_USE(s);
        BENCH_USE(len);
    }
}

/* ----------------------------------------------------------------- wrap */

#define BENCH_WRAP(id, call, args)                                      \
    BENCH_OP void                                                       \
    bench_##id##_raw(long n)                                            \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            PyObject *o;                                                \
            BENCH_CLOBBER();                                            \
            if ((o = call args) == NULL)                                \
                bench_fail(#call);                                      \
            BENCH_USE(o);                                               \
            BENCH_CLOBBER();                                            \
            Py_DECREF(o);                                               \
        }                                                               \
    }

BENCH_WRAP(wrap_i64_small, PyLong_FromLongLong, (bench_in.i64_small))
BENCH_WRAP(wrap_i64_big, PyLong_FromLongLong, (bench_in.i64_big))
BENCH_WRAP(wrap_u64_small, PyLong_FromUnsignedLongLong,
           ((uint64_t)bench_in.i64_small))
BENCH_WRAP(wrap_u64_big, PyLong_FromUnsignedLongLong,
           ((uint64_t)bench_in.i64_big))
BENCH_WRAP(wrap_f64, PyFloat_FromDouble, (bench_in.f64))
BENCH_WRAP(wrap_bool, PyBool_FromLong, (bench_in.truth))
BENCH_WRAP(wrap_str, PyUnicode_DecodeUTF8, (bench_in.text, 11, NULL))
BENCH_WRAP(wrap_i64_build_small, Py_BuildValue,
           ("L", (long long)bench_in.i64_small))
BENCH_WRAP(wrap_i64_build_big, Py_BuildValue,
           ("L", (long long)bench_in.i64_big))

/* ----------------------------------------------------------------- pool */

BENCH_WRAP(pool_int, PyLong_FromLongLong, (bench_in.i64_small))
BENCH_WRAP(pool_empty_tuple, PyTuple_New, (0))
BENCH_WRAP(pool_float, PyFloat_FromDouble, (bench_in.f64_one))
BENCH_WRAP(pool_str_new, PyUnicode_FromStringAndSize, (bench_in.none, 4))
BENCH_WRAP(pool_str_intern, PyUnicode_InternFromString, (bench_in.none))
BENCH_WRAP(pool_new_dict, PyDict_New, ())
