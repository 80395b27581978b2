/* <pyz3/args.h> -- argument parsing and results. See pyz3_args(3).
 *
 * A function called as METH_FASTCALL | METH_KEYWORDS describes its
 * parameters once, in a static table, and pyz3_parse_args() fills a struct
 * of the caller's with their C values: positional and keyword arguments,
 * optional ones with defaults, keyword-only ones, None where allowed.
 * Keyword names are interned on first use, once per interpreter life, and
 * matched by pointer. Bad calls raise CPython's own messages (those of
 * PyArg_ParseTupleAndKeywords); a value that does not convert raises what
 * the unwraps of <pyz3/fastpath.h> raise, naming the parameter.
 * pyz3_tuple() and pyz3_dict() build the result. Every function requires
 * the GIL.
 */
#ifndef PYZ3_ARGS_H
#define PYZ3_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pyz3/version.h>
#include <pyz3/gil.h>
#include <pyz3/fastpath.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The C type a parameter is converted to, with the unwrap that does it. */
#define PYZ3_ARG_I64     1  /* int64_t,    pyz3_unwrap_i64() */
#define PYZ3_ARG_U64     2  /* uint64_t,   pyz3_unwrap_u64() */
#define PYZ3_ARG_F64     3  /* double,     pyz3_unwrap_f64() */
#define PYZ3_ARG_BOOL    4  /* bool,       pyz3_unwrap_bool() */
#define PYZ3_ARG_STR     5  /* pyz3_str,   pyz3_unwrap_str() */
#define PYZ3_ARG_OBJECT  6  /* PyObject *, any object, borrowed */

/* Flags of a parameter. */
#define PYZ3_ARG_OPTIONAL  0x1  /* may be left out: it gets its default */
#define PYZ3_ARG_KWONLY    0x2  /* keyword-only; these come last */
#define PYZ3_ARG_NONE_OK   0x4  /* None counts as left out */

/* A str argument: its UTF-8 bytes (NUL-terminated, `len` of them, valid as
 * long as `obj`) and the str object itself, borrowed from the caller, so
 * that it can be returned without a copy. */
typedef struct pyz3_str {
    const char *utf8;
    size_t len;
    PyObject *obj;
} pyz3_str;

/* The value a parameter gets when it is left out or None: the member of
 * its type. A str default is UTF-8 (its obj is a str made once per
 * interpreter); none at all is all zeros ({NULL, 0, NULL} for a str, NULL
 * for an object). */
typedef union pyz3_arg_default {
    int64_t i64;
    uint64_t u64;
    double f64;
    bool b;
    const char *str;
} pyz3_arg_default;

/* One parameter: its name (the keyword, UTF-8), where its value goes in
 * the caller's struct (`offset`, and the `size` of that member, checked
 * against `type`), PYZ3_ARG_* flags, and optionally `given`: 1 + the offset
 * of a bool member set to whether a value other than a left-out or None one
 * came. PYZ3_PARAM() fills the first four from a struct member. */
typedef struct pyz3_param {
    const char *name;
    size_t offset;
    size_t size;
    unsigned int type;
    unsigned int flags;
    size_t given;
    pyz3_arg_default def;
} pyz3_param;

/* What libpyz3 fills on first use, for one interpreter life: the names
 * interned, and what the description says of the positional arguments.
 * Its fields are private; one of static storage, zeroed, goes with each
 * pyz3_params and pyz3_names (the PYZ3_PARAMS and PYZ3_NAMES macros make
 * it). */
typedef struct pyz3_table {
    size_t fast_lo;             /* a call with nargs - fast_lo < fast_n     */
    size_t fast_n;              /* positional arguments takes the inline path */
    size_t npos;                /* parameters that are not keyword-only */
    size_t nobjs;
    PyObject **objs;            /* interned names, then str defaults */
    struct pyz3_table *next;    /* the tables filled in this life */
    unsigned int ready;
} pyz3_table;

/* A function's parameters: the function's name (for messages), the array
 * of parameters and its length, and the table libpyz3 fills. Declare it
 * static const, made by PYZ3_PARAMS(): the inline path then reads the
 * description at compile time. */
typedef struct pyz3_params {
    const char *name;
    const pyz3_param *params;
    size_t count;
    pyz3_table *table;
} pyz3_params;

/* Names interned once per interpreter life: the keys of pyz3_dict(). */
typedef struct pyz3_names {
    const char *const *names;
    size_t count;
    pyz3_table *table;
} pyz3_names;

/* The parameter stored in `member` of struct `stype`, named like it, then
 * its PYZ3_ARG_* type, and optionally its flags and, designated, .given
 * (see PYZ3_GIVEN) and .def:
 *     PYZ3_PARAM(struct args, count, PYZ3_ARG_I64, PYZ3_ARG_OPTIONAL,
 *                .def.i64 = 10)
 * C++ has no such designators: there (and in C) the flags are followed by
 * PYZ3_PARAM_GIVEN() and PYZ3_PARAM_DEFAULT(), in any order:
 *     PYZ3_PARAM(struct args, count, PYZ3_ARG_I64, PYZ3_ARG_OPTIONAL,
 *                PYZ3_PARAM_DEFAULT(i64, 10)) */
#ifndef __cplusplus
#define PYZ3_PARAM(stype, member, ...) \
    { .name = #member, .offset = offsetof(stype, member), \
      .size = sizeof(((stype *)0)->member), .type = __VA_ARGS__ }
#define PYZ3_PARAM_GIVEN(stype, member) .given = PYZ3_GIVEN(stype, member)
#define PYZ3_PARAM_DEFAULT(kind, value) .def.kind = (value)
#else
#define PYZ3_PARAM(stype, member, ...) \
    pyz3__param(#member, offsetof(stype, member), sizeof(((stype *)0)->member), __VA_ARGS__)
#define PYZ3_PARAM_GIVEN(stype, member) pyz3__given{ PYZ3_GIVEN(stype, member) }
#define PYZ3_PARAM_DEFAULT(kind, value) pyz3__default_##kind(value)
#endif

/* The .given of a parameter: the bool `member` of struct `stype`. */
#define PYZ3_GIVEN(stype, member) (offsetof(stype, member) + 1)

/* The initializer of a pyz3_params for the function `name` (a string)
 * from an array of parameters, with a table of its own. */
#ifndef __cplusplus
#define PYZ3_PARAMS(name, array) \
    { (name), (array), sizeof(array) / sizeof((array)[0]), &(pyz3_table){ .ready = 0 } }
#else
#define PYZ3_PARAMS(name, array) \
    { (name), (array), sizeof(array) / sizeof((array)[0]), \
      []() { static pyz3_table table; return &table; }() }
#endif

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

/* Parse the arguments of a METH_FASTCALL | METH_KEYWORDS call into the
 * struct at `out`: every member the parameters name is written (value, or
 * default, and `given`). 0, or -1 with an exception: TypeError for a bad
 * call, with PyArg_ParseTupleAndKeywords' message; for a value that does
 * not convert, what the unwrap raises, the parameter named in its message;
 * SystemError for a bad description (checked on first use). */
PYZ3__INLINE int pyz3_parse_args(const pyz3_params *params, PyObject *const *args,
                                    Py_ssize_t nargs, PyObject *kwnames, void *out);

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

/* Define `name`, a METH_FASTCALL | METH_KEYWORDS function (see
 * PYZ3_METHOD) with the parameters of the pyz3_param array `array`, and
 * open its body: the body sees `self` and `var`, a `type *` to the parsed
 * arguments, and returns a new reference or NULL. It runs as a GIL scope
 * that the caller holds (pyz3_gil_assume()), so that pyz3_alloc() and
 * pyz3_gil_acquire() inside never call PyGILState_Ensure:
 *     PYZ3_FUNCTION(twice, twice_params, struct twice_args, a)
 *     {
 *         return pyz3_wrap_i64(2 * a->x);
 *     } */
#define PYZ3_FUNCTION(name, array, type, var)                               \
    static const pyz3_params pyz3__params_##name = PYZ3_PARAMS(#name, array); \
    static PyObject *pyz3__body_##name(PyObject *self, type *var);          \
    static PyObject *                                                       \
    name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,           \
         PyObject *kwnames)                                                 \
    {                                                                       \
        type parsed;                                                        \
        PyObject *result;                                                   \
        if (pyz3_parse_args(&pyz3__params_##name, args, nargs, kwnames,     \
                            &parsed) < 0)                                   \
            return NULL;                                                    \
        pyz3_gil_assume();                                                  \
        result = pyz3__body_##name(self, &parsed);                          \
        pyz3_gil_unassume();                                                \
        return result;                                                      \
    }                                                                       \
    static PyObject *pyz3__body_##name(PyObject *self, type *var)

/* The PyMethodDef entry of a function defined with PYZ3_FUNCTION. */
#define PYZ3_METHOD(name, doc) \
    { #name, (PyCFunction)(void (*)(void))(name), PYZ3_METH_FASTCALL | METH_KEYWORDS, (doc) }

/* METH_FASTCALL, which the stable ABI has from 3.10 on. CPython calls such
 * a function the same way from 3.7 on, so a module built for the stable
 * ABI of 3.8 may use it too. */
#ifdef METH_FASTCALL
#  define PYZ3_METH_FASTCALL METH_FASTCALL
#else
#  define PYZ3_METH_FASTCALL 0x0080
#endif

/* Internal: the library's side of the inline paths. */
PYZ3_API int pyz3__parse_args_slow(const pyz3_params *params, PyObject *const *args,
                                   Py_ssize_t nargs, PyObject *kwnames, void *out);
PYZ3_API int pyz3__arg_convert(const pyz3_params *params, size_t i, PyObject *o,
                               void *out);
PYZ3_API void pyz3__args_absent(const pyz3_params *params, size_t from, void *out);
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
/* A loop over a number known at compile time is unrolled, so that the
 * description of each parameter is too. */
#if defined(__clang__)
#  define PYZ3__UNROLL _Pragma("unroll 32")
#elif defined(__GNUC__) && __GNUC__ >= 8
#  define PYZ3__UNROLL _Pragma("GCC unroll 32")
#else
#  define PYZ3__UNROLL
#endif

/* Argument `o` of parameter i: exact ints, floats, bools and ASCII strs
 * are read here, the rest goes to pyz3__arg_convert(). `base` is `out`. */
static PYZ3__ALWAYS_INLINE int
pyz3__parse_one(const pyz3_params *params, size_t i, PyObject *o, char *base, void *out)
{
    const pyz3_param *par = &params->params[i];
    char *dst = base + par->offset;
    switch (par->type) {
    case PYZ3_ARG_I64:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, (int64_t *)dst))
            break;
        return pyz3__arg_convert(params, i, o, out);
    case PYZ3_ARG_U64: {
        int64_t v;
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v) && v >= 0) {
            *(uint64_t *)dst = (uint64_t)v;
            break;
        }
        return pyz3__arg_convert(params, i, o, out);
    }
    case PYZ3_ARG_F64:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyFloat_Type)) {
            *(double *)dst = PyFloat_AS_DOUBLE(o);
            break;
        }
        return pyz3__arg_convert(params, i, o, out);
    case PYZ3_ARG_BOOL:
        if (o == Py_True || o == Py_False) {
            *(bool *)dst = o == Py_True;
            break;
        }
        return pyz3__arg_convert(params, i, o, out);
    case PYZ3_ARG_STR:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyUnicode_Type && PyUnicode_IS_COMPACT_ASCII(o))) {
            pyz3_str *s = (pyz3_str *)dst;
            /* A compact ASCII str keeps its bytes right after its header. */
            s->utf8 = (const char *)((PyASCIIObject *)o + 1);
            s->len = (size_t)PyUnicode_GET_LENGTH(o);
            s->obj = o;
            break;
        }
        return pyz3__arg_convert(params, i, o, out);
    case PYZ3_ARG_OBJECT:
        if (o != Py_None || !(par->flags & PYZ3_ARG_NONE_OK)) {
            *(PyObject **)dst = o;
            break;
        }
        return pyz3__arg_convert(params, i, o, out);
    default:
        return pyz3__arg_convert(params, i, o, out);
    }
    if (par->given != 0)
        *(bool *)(base + par->given - 1) = true;
    return 0;
}

/* Positional arguments only, in the range that leaves out no required
 * parameter, take the inline path; the rest goes to the library. */
static PYZ3__ALWAYS_INLINE int
pyz3_parse_args(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames, void *out)
{
    const pyz3_table *table;
    char *base = (char *)out;
    size_t i;

#if defined(__GNUC__) || defined(__clang__)
    /* Hide where `out` points: after inlining, GCC's -Warray-bounds would
     * check every case of the switch against the caller's struct, the
     * types its parameters do not have included. */
    __asm__("" : "+r"(base));
#endif
    if (PYZ3_UNLIKELY(params == NULL || (table = params->table) == NULL
                      || kwnames != NULL
                      || (size_t)nargs - table->fast_lo >= table->fast_n))
        return pyz3__parse_args_slow(params, args, nargs, kwnames, out);
    if (PYZ3__CONSTANT(params->count)) {
        PYZ3__UNROLL
        for (i = 0; i < params->count; i++) {
            if (i >= (size_t)nargs) {
                pyz3__args_absent(params, i, out);
                break;
            }
            if (pyz3__parse_one(params, i, args[i], base, out) < 0)
                return -1;
        }
        return 0;
    }
    for (i = 0; i < (size_t)nargs; i++)
        if (pyz3__parse_one(params, i, args[i], base, out) < 0)
            return -1;
    if (i < params->count)
        pyz3__args_absent(params, i, out);
    return 0;
}

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

/* What the macros above expand to in C++, which has neither compound
 * literals nor nested or mixed designators. */
extern "C++" {

struct pyz3__given {
    size_t given;
};

struct pyz3__default {
    pyz3_arg_default def;
};

inline pyz3__default pyz3__default_i64(int64_t v) { pyz3__default d{}; d.def.i64 = v; return d; }
inline pyz3__default pyz3__default_u64(uint64_t v) { pyz3__default d{}; d.def.u64 = v; return d; }
inline pyz3__default pyz3__default_f64(double v) { pyz3__default d{}; d.def.f64 = v; return d; }
inline pyz3__default pyz3__default_b(bool v) { pyz3__default d{}; d.def.b = v; return d; }
inline pyz3__default pyz3__default_str(const char *v) { pyz3__default d{}; d.def.str = v; return d; }

inline void pyz3__param_option(pyz3_param &p, unsigned int flags) { p.flags = flags; }
inline void pyz3__param_option(pyz3_param &p, int flags) { p.flags = (unsigned int)flags; }
inline void pyz3__param_option(pyz3_param &p, pyz3__given g) { p.given = g.given; }
inline void pyz3__param_option(pyz3_param &p, pyz3__default d) { p.def = d.def; }

template <typename... Options>
inline pyz3_param
pyz3__param(const char *name, size_t offset, size_t size, unsigned int type, Options... options)
{
    pyz3_param p{};
    p.name = name;
    p.offset = offset;
    p.size = size;
    p.type = type;
    (pyz3__param_option(p, options), ...);
    return p;
}

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

#endif /* PYZ3_ARGS_H */
