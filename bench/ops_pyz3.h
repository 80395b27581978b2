/* ops_pyz3.h -- the libpyz3 side of every measured operation.
 *
 * Included by ops_inline.c (the inline paths, as an extension built for its
 * own CPython gets them) and by ops_ool.c (built with PYZ3_NO_INLINE: the
 * library's exported copies, as a stable-ABI caller gets them), each of
 * which defines BENCH_VARIANT to name its copies. The raw C API side, in
 * ops_raw.c, has the same loops.
 */
#include "ops.h"

#define BENCH_CAT_(a, b) a##_##b
#define BENCH_CAT(a, b)  BENCH_CAT_(a, b)
#define BENCH_FN(id)     BENCH_CAT(bench_##id, BENCH_VARIANT)

/* ------------------------------------------------------------------ GIL */

#define BENCH_SCOPE(id)                                                 \
    BENCH_OP void                                                       \
    BENCH_FN(id)(long n)                                                \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            pyz3_gil g;                                                 \
            BENCH_CLOBBER();                                            \
            g = pyz3_gil_acquire();                                     \
            BENCH_CLOBBER();                                            \
            pyz3_gil_release(g);                                        \
        }                                                               \
    }

BENCH_SCOPE(gil_nested)
BENCH_SCOPE(gil_outer_bare)
BENCH_SCOPE(gil_outer_tstate)

/* ------------------------------------------------------------ allocator */

#define BENCH_ALLOC_FREE(size) do {             \
        void *p_ = pyz3_alloc(size);            \
        if (p_ == NULL)                         \
            bench_fail("pyz3_alloc");           \
        BENCH_OPAQUE(p_);                       \
        pyz3_free(p_);                          \
    } while (0)

BENCH_OP void
BENCH_FN(alloc_held)(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_ALLOC_FREE(256);
    }
}

BENCH_OP void
BENCH_FN(alloc_held_512)(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_ALLOC_FREE(512);
    }
}

#define BENCH_ALLOC_BATCH(id)                                           \
    BENCH_OP void                                                       \
    BENCH_FN(id)(long n)                                                \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            pyz3_gil g;                                                 \
            BENCH_CLOBBER();                                            \
            g = pyz3_gil_acquire();                                     \
            BENCH_REPEAT10(BENCH_ALLOC_FREE(256));                      \
            pyz3_gil_release(g);                                        \
        }                                                               \
    }

BENCH_ALLOC_BATCH(alloc_batch)
BENCH_ALLOC_BATCH(alloc_batch_hand)

BENCH_OP void
BENCH_FN(alloc_unscoped)(long n)
{
    for (long i = 0; i < n; i++) {
        BENCH_CLOBBER();
        BENCH_ALLOC_FREE(256);
    }
}

BENCH_OP void
BENCH_FN(alloc_scope_each)(long n)
{
    for (long i = 0; i < n; i++) {
        pyz3_gil g;
        BENCH_CLOBBER();
        g = pyz3_gil_acquire();
        BENCH_ALLOC_FREE(256);
        pyz3_gil_release(g);
    }
}

/* --------------------------------------------------------------- unwrap */

#define BENCH_UNWRAP(id, input, type, use, call)                        \
    BENCH_OP void                                                       \
    BENCH_FN(id)(long n)                                                \
    {                                                                   \
        for (long i = 0; i < n; i++) {                                  \
            type v;                                                     \
            BENCH_CLOBBER();                                            \
            if (call(bench_in.input, &v) < 0)                           \
                bench_fail(#call);                                      \
            use(v);                                                     \
        }                                                               \
    }

BENCH_UNWRAP(unwrap_i64_small, int_small, int64_t, BENCH_USE, pyz3_unwrap_i64)
BENCH_UNWRAP(unwrap_i64_big, int_big, int64_t, BENCH_USE, pyz3_unwrap_i64)
BENCH_UNWRAP(unwrap_u64_small, int_small, uint64_t, BENCH_USE, pyz3_unwrap_u64)
BENCH_UNWRAP(unwrap_u64_big, int_big, uint64_t, BENCH_USE, pyz3_unwrap_u64)
BENCH_UNWRAP(unwrap_f64, flt, double, BENCH_USE_F64, pyz3_unwrap_f64)
BENCH_UNWRAP(unwrap_bool_true, true_, bool, BENCH_USE, pyz3_unwrap_bool)
BENCH_UNWRAP(unwrap_bool_false, false_, bool, BENCH_USE, pyz3_unwrap_bool)

/* What a METH_VARARGS function does to get PyArg_ParseTuple's result:
 * check the count, take the item, convert it. */
BENCH_OP void
BENCH_FN(unwrap_i64_args)(long n)
{
    for (long i = 0; i < n; i++) {
        PyObject *args;
        int64_t v;
        BENCH_CLOBBER();
        args = bench_in.args;
        if (PyTuple_GET_SIZE(args) != 1
            || pyz3_unwrap_i64(PyTuple_GET_ITEM(args, 0), &v) < 0)
            bench_fail("pyz3_unwrap_i64");
        BENCH_USE(v);
    }
}

BENCH_OP void
BENCH_FN(unwrap_str)(long n)
{
    for (long i = 0; i < n; i++) {
        const char *s;
        size_t len;
        BENCH_CLOBBER();
        if (pyz3_unwrap_str(bench_in.str, &s, &len) < 0)
            bench_fail("pyz3_unwrap_str");
        BENCH_USE(s);
        BENCH_USE(len);
    }
}

/* ----------------------------------------------------------------- wrap */

#define BENCH_WRAP(id, call, args)                                      \
    BENCH_OP void                                                       \
    BENCH_FN(id)(long n)                                                \
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

BENCH_WRAP(wrap_i64_small, pyz3_wrap_i64, (bench_in.i64_small))
BENCH_WRAP(wrap_i64_big, pyz3_wrap_i64, (bench_in.i64_big))
BENCH_WRAP(wrap_u64_small, pyz3_wrap_u64, ((uint64_t)bench_in.i64_small))
BENCH_WRAP(wrap_u64_big, pyz3_wrap_u64, ((uint64_t)bench_in.i64_big))
BENCH_WRAP(wrap_f64, pyz3_wrap_f64, (bench_in.f64))
BENCH_WRAP(wrap_bool, pyz3_wrap_bool, (bench_in.truth))
BENCH_WRAP(wrap_str, pyz3_wrap_str, (bench_in.text, 11))
BENCH_WRAP(wrap_i64_build_small, pyz3_wrap_i64, (bench_in.i64_small))
BENCH_WRAP(wrap_i64_build_big, pyz3_wrap_i64, (bench_in.i64_big))

/* ----------------------------------------------------------------- pool */

BENCH_WRAP(pool_int, pyz3_pool_int, (bench_in.i64_small))
BENCH_WRAP(pool_empty_tuple, pyz3_pool_empty_tuple, ())
BENCH_WRAP(pool_float, pyz3_pool_float, (bench_in.f64_one))
BENCH_WRAP(pool_str_new, pyz3_pool_str, (bench_in.none, 4))
BENCH_WRAP(pool_str_intern, pyz3_pool_str, (bench_in.none, 4))
BENCH_WRAP(pool_new_dict, pyz3_pool_new_dict, ())
