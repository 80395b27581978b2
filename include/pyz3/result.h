/* <pyz3/result.h> -- building the results of a function. See pyz3_args(3).
 *
 * pyz3_tuple() and pyz3_dict() build a tuple or a dict from the new
 * references of wraps, releasing them all when one failed, so that a
 * function returns `pyz3_tuple(pyz3_wrap_i64(a), pyz3_wrap_str(s, n))`
 * without a check after each wrap. The keys of a dict are interned once
 * per interpreter life. <pyz3/args.h> includes this header. Every function
 * requires the GIL.
 */
#ifndef PYZ3_RESULT_H
#define PYZ3_RESULT_H

#include <stddef.h>
#include <pyz3/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What libpyz3 fills on first use, for one interpreter life: the names
 * interned, and what a description of parameters says of the positional
 * arguments. Its fields are private; one of static storage, zeroed, goes
 * with each pyz3_params and pyz3_names (the PYZ3_PARAMS and PYZ3_NAMES
 * macros make it). */
typedef struct pyz3_table {
    size_t fast_lo;             /* a call with nargs - fast_lo < fast_n     */
    size_t fast_n;              /* positional arguments takes the inline path */
    size_t npos;                /* parameters that are not keyword-only */
    size_t nposonly;            /* positional-only parameters */
    size_t nobjs;
    PyObject **objs;            /* interned names, then str defaults */
    struct pyz3_table *next;    /* the tables filled in this life */
    unsigned int ready;         /* nonzero once filled; PYZ3__TABLE_HOLDS */
} pyz3_table;

/* Internal: a bit of a filled table's `ready`, set where some parameter
 * holds something that pyz3_parse_args_release() gives back (a buffer, a
 * converter's cleanup). */
#define PYZ3__TABLE_HOLDS 2u

/* Internal: whether table `t` is filled, and whether its inline path takes
 * `nargs` positional arguments. Without a GIL another thread may be filling
 * it: `ready` is read with acquire, as libpyz3 stores it with release after
 * every other field, so a filled table is seen whole. */
#ifdef Py_GIL_DISABLED
#define PYZ3__TABLE_READY(t) _Py_atomic_load_uint32_acquire((const uint32_t *)&(t)->ready)
#define PYZ3__TABLE_FAST(t, nargs) \
    (PYZ3__TABLE_READY(t) && (size_t)(nargs) - (t)->fast_lo < (t)->fast_n)
#else
#define PYZ3__TABLE_READY(t) ((t)->ready)
#define PYZ3__TABLE_FAST(t, nargs) ((size_t)(nargs) - (t)->fast_lo < (t)->fast_n)
#endif

/* Names interned once per interpreter life: the keys of pyz3_dict(). */
typedef struct pyz3_names {
    const char *const *names;
    size_t count;
    pyz3_table *table;
} pyz3_names;

/* The initializer of a pyz3_names of the string literals given. */
#ifndef __cplusplus
#define PYZ3_NAMES(...) \
    { (const char *const[]){ __VA_ARGS__ }, \
      sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), \
      &(pyz3_table){ .ready = 0 } }
#else
#define PYZ3_NAMES(...) \
    { []() { static const char *const names[] = { __VA_ARGS__ }; return names; }(), \
      pyz3__count(__VA_ARGS__), \
      []() { static pyz3_table table; return &table; }() }
#endif

/* A new tuple of the `n` objects of `items`, whose references it steals.
 * If one is NULL (a failed wrap), the others are released and NULL is
 * returned with that exception (SystemError if none is set). */
PYZ3__INLINE PyObject *pyz3_tuple_steal(PyObject *const *items, size_t n);

/* A new dict of `keys` (all of them) to the `n` objects of `values`, whose
 * references it steals; NULL values as for pyz3_tuple_steal(). */
PYZ3_API PyObject *pyz3_dict_steal(const pyz3_names *keys, PyObject *const *values, size_t n);

/* `o` with one more reference: a borrowed object handed to a function
 * that steals, such as pyz3_tuple(). */
PYZ3__INLINE PyObject *pyz3_ref(PyObject *o);

/* pyz3_tuple(a, b, ...): pyz3_tuple_steal() of the objects given.
 * pyz3_dict(&keys, a, b, ...): pyz3_dict_steal() of them. */
#ifndef __cplusplus
#define pyz3_tuple(...) pyz3_tuple_steal((PyObject *[]){ __VA_ARGS__ }, \
    sizeof((PyObject *[]){ __VA_ARGS__ }) / sizeof(PyObject *))
#define pyz3_dict(keys, ...) pyz3_dict_steal((keys), (PyObject *[]){ __VA_ARGS__ }, \
    sizeof((PyObject *[]){ __VA_ARGS__ }) / sizeof(PyObject *))
#else
#define pyz3_tuple(...) pyz3__tuple(__VA_ARGS__)
#define pyz3_dict(keys, ...) pyz3__dict((keys), __VA_ARGS__)
#endif

/* Internal: the library's side of the inline paths. */
PYZ3_API PyObject *pyz3__steal_failed(PyObject *const *items, size_t n);
PYZ3_API PyObject *pyz3__tuple_steal(PyObject *const *items, size_t n);

#if PYZ3_INLINE_PATHS

#if defined(__GNUC__) || defined(__clang__)
#  define PYZ3__ALWAYS_INLINE __attribute__((always_inline)) inline
#  define PYZ3__CONSTANT(x) __builtin_constant_p(x)
#else
#  define PYZ3__ALWAYS_INLINE inline
#  define PYZ3__CONSTANT(x) 0
#endif
/* A loop over a number known at compile time is unrolled, so that what
 * it reads of a static const description is known too. */
#if defined(__clang__)
#  define PYZ3__UNROLL _Pragma("unroll 32")
#elif defined(__GNUC__) && __GNUC__ >= 8
#  define PYZ3__UNROLL _Pragma("GCC unroll 32")
#else
#  define PYZ3__UNROLL
#endif

static PYZ3__ALWAYS_INLINE PyObject *
pyz3_tuple_steal(PyObject *const *items, size_t n)
{
    PyObject *t;
    size_t i;
    if (!PYZ3__CONSTANT(n))
        return pyz3__tuple_steal(items, n);
    PYZ3__UNROLL
    for (i = 0; i < n; i++)
        if (PYZ3_UNLIKELY(items[i] == NULL))
            return pyz3__steal_failed(items, n);
    t = PyTuple_New((Py_ssize_t)n);
    if (PYZ3_UNLIKELY(t == NULL))
        return pyz3__steal_failed(items, n);
    PYZ3__UNROLL
    for (i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, items[i]);
    return t;
}

static inline PyObject *
pyz3_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

#endif /* PYZ3_INLINE_PATHS */

#ifdef __cplusplus
}

/* What the macros above expand to in C++, which has no compound
 * literals. */
extern "C++" {

template <typename... Names>
constexpr size_t
pyz3__count(Names...)
{
    return sizeof...(Names);
}

template <typename... Objects>
inline PyObject *
pyz3__tuple(Objects... objects)
{
    PyObject *items[] = { objects... };
    return pyz3_tuple_steal(items, sizeof...(Objects));
}

template <typename... Objects>
inline PyObject *
pyz3__dict(const pyz3_names *keys, Objects... objects)
{
    PyObject *values[] = { objects... };
    return pyz3_dict_steal(keys, values, sizeof...(Objects));
}

} /* extern "C++" */
#endif

#endif /* PYZ3_RESULT_H */
