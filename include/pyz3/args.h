/* <pyz3/args.h> -- argument parsing. See pyz3_args(3).
 *
 * A function called as METH_FASTCALL | METH_KEYWORDS describes its
 * parameters once, in a static table, and pyz3_parse_args() fills a struct
 * of the caller's with their C values: positional and keyword arguments,
 * optional ones with defaults, keyword-only ones, None where allowed.
 * Keyword names are interned on first use, once per interpreter life, and
 * matched by pointer. Bad calls raise CPython's own messages (those of
 * PyArg_ParseTupleAndKeywords); a value that does not convert raises what
 * the Argument Clinic converter of its C type raises on the running
 * CPython (PYZ3_ARG_I64 and the other first six: what the unwraps of
 * <pyz3/fastpath.h> raise, naming the parameter). <pyz3/result.h>, which
 * this header includes, builds the result. Every function requires the
 * GIL.
 */
#ifndef PYZ3_ARGS_H
#define PYZ3_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <pyz3/version.h>
#include <pyz3/gil.h>
#include <pyz3/fastpath.h>
#include <pyz3/result.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The C type a parameter is converted to, and how. The first six read
 * what the unwraps of <pyz3/fastpath.h> read; the others are Argument
 * Clinic's converters of their C type, messages included. */
#define PYZ3_ARG_I64     1  /* int64_t,    pyz3_unwrap_i64() */
#define PYZ3_ARG_U64     2  /* uint64_t,   pyz3_unwrap_u64() */
#define PYZ3_ARG_F64     3  /* double,     pyz3_unwrap_f64() */
#define PYZ3_ARG_BOOL    4  /* bool,       pyz3_unwrap_bool() */
#define PYZ3_ARG_STR     5  /* pyz3_str,   pyz3_unwrap_str() */
#define PYZ3_ARG_OBJECT  6  /* PyObject *, any object, borrowed */
#define PYZ3_ARG_SSIZE   7  /* Py_ssize_t, __index__ ("n") */
#define PYZ3_ARG_INT     8  /* int */
#define PYZ3_ARG_LONG    9  /* long */
#define PYZ3_ARG_ULLONG 10  /* unsigned long long, not negative */
#define PYZ3_ARG_SIZE_T 11  /* size_t, not negative */
#define PYZ3_ARG_I32    12  /* int32_t: as int */
#define PYZ3_ARG_U32    13  /* uint32_t: as unsigned int */
#define PYZ3_ARG_I16    14  /* int16_t: as short ("h") */
#define PYZ3_ARG_U16    15  /* uint16_t: as unsigned short */
#define PYZ3_ARG_U8     16  /* uint8_t: as unsigned char ("b") */
#define PYZ3_ARG_FLOAT  17  /* float */
#define PYZ3_ARG_SSIZE_OR_NONE 18 /* Py_ssize_t, None for the default */
#define PYZ3_ARG_OBJECT_OF 19 /* PyObject *, an instance of .cls ("O!") */
#define PYZ3_ARG_BYTES  20  /* PyObject *, exactly bytes */
#define PYZ3_ARG_PYLONG 21  /* PyObject *, an int (of any size) */
#define PYZ3_ARG_BUFFER 22  /* Py_buffer, bytes-like ("y*"), released */
#define PYZ3_ARG_CONVERTER 23 /* .converter's ("O&"), .cleanup after */

/* Flags of a parameter. */
#define PYZ3_ARG_OPTIONAL  0x1  /* may be left out: it gets its default */
#define PYZ3_ARG_KWONLY    0x2  /* keyword-only; these come last */
#define PYZ3_ARG_NONE_OK   0x4  /* None counts as left out */
#define PYZ3_ARG_POSONLY   0x8  /* positional-only; these come first */

/* A str argument: its UTF-8 bytes (NUL-terminated, `len` of them, valid as
 * long as `obj`) and the str object itself, borrowed from the caller, so
 * that it can be returned without a copy. */
typedef struct pyz3_str {
    const char *utf8;
    size_t len;
    PyObject *obj;
} pyz3_str;

/* The value a parameter gets when it is left out or None: the member of
 * its type, .i64 for every signed integer type and .u64 for every
 * unsigned one, .f64 for float too. A str default is UTF-8 (its obj is a
 * str made once per interpreter); none at all is all zeros ({NULL, 0,
 * NULL} for a str, NULL for an object, an empty Py_buffer). */
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
 * came. PYZ3_PARAM() fills the first four from a struct member. `cls` is
 * the type of a PYZ3_ARG_OBJECT_OF; `converter` and `cleanup` are those of
 * a PYZ3_ARG_CONVERTER: converter(o, member) returns 1, or 0 with an
 * exception, as a converter of PyArg_Parse*'s "O&" does, and cleanup(member)
 * runs after every call in which converter returned 1, when the function's
 * body is done or when the call fails on a later parameter. */
typedef struct pyz3_param {
    const char *name;
    size_t offset;
    size_t size;
    unsigned int type;
    unsigned int flags;
    size_t given;
    pyz3_arg_default def;
    PyTypeObject *cls;
    int (*converter)(PyObject *o, void *member);
    void (*cleanup)(void *member);
} pyz3_param;

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
#define PYZ3_PARAM_CLASS(type) .cls = (type)
#define PYZ3_PARAM_CONVERTER(func, cleanup_func) .converter = (func), .cleanup = (cleanup_func)
#else
#define PYZ3_PARAM(stype, member, ...) \
    pyz3__param(#member, offsetof(stype, member), sizeof(((stype *)0)->member), __VA_ARGS__)
#define PYZ3_PARAM_GIVEN(stype, member) pyz3__given{ PYZ3_GIVEN(stype, member) }
#define PYZ3_PARAM_DEFAULT(kind, value) pyz3__default_##kind(value)
#define PYZ3_PARAM_CLASS(type) pyz3__class{ (type) }
#define PYZ3_PARAM_CONVERTER(func, cleanup_func) pyz3__converter{ (func), (cleanup_func) }
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

/* Parse the arguments of a METH_FASTCALL | METH_KEYWORDS call into the
 * struct at `out`: every member the parameters name is written (value, or
 * default, and `given`). 0, or -1 with an exception: TypeError for a bad
 * call, with PyArg_ParseTupleAndKeywords' message; for a value that does
 * not convert, what the unwrap raises, the parameter named in its message;
 * SystemError for a bad description (checked on first use). */
PYZ3__INLINE int pyz3_parse_args(const pyz3_params *params, PyObject *const *args,
                                    Py_ssize_t nargs, PyObject *kwnames, void *out);

/* pyz3_parse_args() of a call made with a tuple `args` and a dict
 * `kwargs` (or NULL), as tp_new and tp_init get it. */
PYZ3_API int pyz3_parse_tuple_args(const pyz3_params *params, PyObject *args,
                                   PyObject *kwargs, void *out);

/* Give back what the last successful pyz3_parse_args() into `out` holds
 * for the call: the Py_buffer of each PYZ3_ARG_BUFFER given, and the
 * cleanup of each PYZ3_ARG_CONVERTER given. PYZ3_FUNCTION calls it after
 * the body; a failed pyz3_parse_args() has given back everything itself. */
PYZ3__INLINE void pyz3_parse_args_release(const pyz3_params *params, void *out);

/* The docstring `doc` (or none) of the function called `name` in Python,
 * with the parameters `params`, headed by the __text_signature__ they make
 * (Argument Clinic's "name($module, a, /, b=0, *, c=None)\n--\n\n") so
 * that inspect.signature() and help() see them; `self` is the first
 * parameter ("$module", "$self", "$type", or "" for none). Made for the
 * life of the process; NULL with an exception. */
PYZ3_API const char *pyz3_signature(const char *name, const pyz3_params *params,
                                    const char *self, const char *doc);

/* Give the entry of `methods` whose function is `func` the docstring of
 * pyz3_signature(), its own doc after the signature. Call it before the
 * methods are used (in the module's init function); a second call keeps
 * the first signature. 0, or -1 with an exception. PYZ3_SIGN() does it for
 * a function of PYZ3_FUNCTION:
 *     if (PYZ3_SIGN(module_methods, bisect_left, "$module") < 0) ... */
PYZ3_API int pyz3_sign_method(PyMethodDef *methods, PyCFunction func,
                              const pyz3_params *params, const char *self);
#define PYZ3_SIGN(methods, name, self) \
    pyz3_sign_method((methods), (PyCFunction)(void (*)(void))(name), &pyz3__params_##name, (self))

/* A body need not use `self`, `cls`, `type` or its arguments, and
 * name##_vectorcall is unused where the type cannot take it (3.8): neither
 * is a warning under -Wextra. */
#if defined(__GNUC__) || defined(__clang__)
#  define PYZ3__MAYBE_UNUSED __attribute__((unused))
#else
#  define PYZ3__MAYBE_UNUSED
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
#define PYZ3_FUNCTION(name, array, type, var) \
    PYZ3_FUNCTION_AS(name, #name, array, type, var)

/* PYZ3_FUNCTION for the C function `name` whose name in messages is the
 * string `pyname`, which PYZ3_METHOD_AS makes its name in Python too:
 *     PYZ3_FUNCTION_AS(mod_bisect, "bisect_left", ...)  */
#define PYZ3_FUNCTION_AS(name, pyname, array, type, var)                    \
    static const pyz3_params pyz3__params_##name = PYZ3_PARAMS(pyname, array); \
    static PyObject *pyz3__body_##name(PyObject *self, type *var);          \
    static PyObject *                                                       \
    name(PyObject *self, PyObject *const *args, Py_ssize_t nargs,           \
         PyObject *kwnames)                                                 \
    {                                                                       \
        type parsed;                                                        \
        PyObject *result;                                                   \
        if (PYZ3__PARSE(&pyz3__params_##name, args, nargs, kwnames,         \
                        &parsed, type) < 0)                                 \
            return NULL;                                                    \
        pyz3_gil_assume();                                                  \
        result = pyz3__body_##name(self, &parsed);                          \
        pyz3_gil_unassume();                                                \
        pyz3_parse_args_release(&pyz3__params_##name, &parsed);             \
        return result;                                                      \
    }                                                                       \
    static PyObject *pyz3__body_##name(PyObject *self PYZ3__MAYBE_UNUSED,     \
                                       type *var PYZ3__MAYBE_UNUSED)

/* The PyMethodDef entry of a function defined with PYZ3_FUNCTION (a
 * function of a module, or a method of a type: `self` is the instance). */
#define PYZ3_METHOD(name, doc) PYZ3_METHOD_AS(name, #name, doc)
#define PYZ3_METHOD_AS(name, pyname, doc) \
    { (pyname), (PyCFunction)(void (*)(void))(name), PYZ3_METH_FASTCALL | METH_KEYWORDS, (doc) }

#ifdef METH_METHOD
/* A method of a type that needs the class that defines it (the module
 * state of a heap type, through PyType_GetModuleState()): CPython 3.9 on.
 * The body sees `self`, `cls` and `var`; PYZ3_CLASS_METHOD is its entry,
 * METH_METHOD | METH_FASTCALL | METH_KEYWORDS. */
#define PYZ3_FUNCTION_CLS(name, array, type, var)                           \
    static const pyz3_params pyz3__params_##name = PYZ3_PARAMS(#name, array); \
    static PyObject *pyz3__body_##name(PyObject *self, PyTypeObject *cls,   \
                                       type *var);                          \
    static PyObject *                                                       \
    name(PyObject *self, PyTypeObject *cls, PyObject *const *args,          \
         size_t nargsf, PyObject *kwnames)                                  \
    {                                                                       \
        type parsed;                                                        \
        PyObject *result;                                                   \
        if (PYZ3__PARSE(&pyz3__params_##name, args,                         \
                        PYZ3__NARGS(nargsf), kwnames, &parsed, type) < 0)   \
            return NULL;                                                    \
        pyz3_gil_assume();                                                  \
        result = pyz3__body_##name(self, cls, &parsed);                     \
        pyz3_gil_unassume();                                                \
        pyz3_parse_args_release(&pyz3__params_##name, &parsed);             \
        return result;                                                      \
    }                                                                       \
    static PyObject *pyz3__body_##name(PyObject *self PYZ3__MAYBE_UNUSED,     \
                                       PyTypeObject *cls PYZ3__MAYBE_UNUSED,  \
                                       type *var PYZ3__MAYBE_UNUSED)
#define PYZ3_CLASS_METHOD(name, doc) \
    { #name, (PyCFunction)(void (*)(void))(name), \
      METH_METHOD | METH_FASTCALL | METH_KEYWORDS, (doc) }
#endif

/* The number of positional arguments of a vectorcall: `nargsf` without
 * PY_VECTORCALL_ARGUMENTS_OFFSET, its highest bit. */
#define PYZ3__NARGS(nargsf) \
    ((Py_ssize_t)((size_t)(nargsf) & ~((size_t)1 << (8 * sizeof(size_t) - 1))))

/* The constructor of a type named `pyname` in messages: `name##_new`, its
 * tp_new, parses the tuple and dict of a call with the parameters of
 * `array`, and `name##_vectorcall`, its tp_vectorcall, the vectorcall
 * itself, so that Point(x=1, y=2) makes neither. The body sees `type`
 * (the type called) and `var`, and returns the new object or NULL.
 * CPython calls tp_vectorcall of a static type from 3.9 on, and of a type
 * made by PyType_FromSpec() when it is set after (or, from 3.14, by the
 * Py_tp_vectorcall slot); on 3.8, tp_new serves every call. */
#define PYZ3_CONSTRUCTOR(name, pyname, array, stype, var)                    \
    static const pyz3_params pyz3__params_##name = PYZ3_PARAMS(pyname, array); \
    static PyObject *pyz3__body_##name(PyTypeObject *type_, stype *var);     \
    static PyObject *                                                       \
    pyz3__call_##name(PyTypeObject *type_, stype *parsed)                    \
    {                                                                       \
        PyObject *result;                                                   \
        pyz3_gil_assume();                                                  \
        result = pyz3__body_##name(type_, parsed);                          \
        pyz3_gil_unassume();                                                \
        pyz3_parse_args_release(&pyz3__params_##name, parsed);              \
        return result;                                                      \
    }                                                                       \
    static PYZ3__MAYBE_UNUSED PyObject *                                    \
    name##_vectorcall(PyObject *type_, PyObject *const *args, size_t nargsf, \
                      PyObject *kwnames)                                    \
    {                                                                       \
        stype parsed;                                                        \
        if (PYZ3__PARSE(&pyz3__params_##name, args, PYZ3__NARGS(nargsf),     \
                        kwnames, &parsed, stype) < 0)                       \
            return NULL;                                                    \
        return pyz3__call_##name((PyTypeObject *)type_, &parsed);           \
    }                                                                       \
    static PyObject *                                                       \
    name##_new(PyTypeObject *type_, PyObject *args, PyObject *kwargs)       \
    {                                                                       \
        stype parsed;                                                        \
        if (pyz3_parse_tuple_args(&pyz3__params_##name, args, kwargs,       \
                                  &parsed) < 0)                             \
            return NULL;                                                    \
        return pyz3__call_##name(type_, &parsed);                           \
    }                                                                       \
    static PyObject *pyz3__body_##name(PyTypeObject *type PYZ3__MAYBE_UNUSED, \
                                       stype *var PYZ3__MAYBE_UNUSED)

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
PYZ3_API void pyz3__args_absent(const pyz3_params *params, size_t from, size_t to, void *out);
PYZ3_API void pyz3__arg_release(const pyz3_params *params, size_t i, void *out);

#if PYZ3_INLINE_PATHS

/* Whether parameter i holds something to give back after the call. */
#define PYZ3__ARG_HOLDS(par) \
    ((par)->type == PYZ3_ARG_BUFFER || ((par)->type == PYZ3_ARG_CONVERTER && (par)->cleanup != NULL))

/* Give back what parameters 0 to n - 1 hold: with a description known at
 * compile time, nothing at all for parameters that hold nothing. */
static PYZ3__ALWAYS_INLINE void
pyz3__args_release_first(const pyz3_params *params, size_t n, void *out)
{
    size_t i;
    if (PYZ3__CONSTANT(params->count)) {
        PYZ3__UNROLL
        for (i = 0; i < params->count; i++)
            if (i < n && PYZ3__ARG_HOLDS(&params->params[i]))
                pyz3__arg_release(params, i, out);
        return;
    }
    for (i = 0; i < n && i < params->count; i++)
        if (PYZ3__ARG_HOLDS(&params->params[i]))
            pyz3__arg_release(params, i, out);
}

static PYZ3__ALWAYS_INLINE void
pyz3_parse_args_release(const pyz3_params *params, void *out)
{
    pyz3__args_release_first(params, params->count, out);
}

/* The inline paths give the library a scratch struct rather than the
 * caller's, and copy back what it wrote, when PYZ3_FUNCTION's struct
 * allows it (`copy`, its size, is not 0): then no call out of line sees
 * the struct's address, which may stay in registers. A struct larger than
 * the scratch, more aligned, or with a parameter that holds something to
 * give back (a Py_buffer, a converter's cleanup, whose address may
 * matter), is written in place. */
#define PYZ3__SCRATCH_MAX 256
typedef union pyz3__scratch {
    char bytes[PYZ3__SCRATCH_MAX];
    long double ld;
    long long ll;
    void *p;
} pyz3__scratch;

#ifdef __cplusplus
#  define PYZ3__ALIGNOF(type) alignof(type)
#else
#  define PYZ3__ALIGNOF(type) _Alignof(type)
#endif

/* `copy` for the struct type `type` of parameters `params`: its size, or 0. */
static PYZ3__ALWAYS_INLINE size_t
pyz3__scratch_size(const pyz3_params *params, size_t size, size_t align)
{
    size_t i;
    if (!PYZ3__CONSTANT(params->count) || size > PYZ3__SCRATCH_MAX
        || align > PYZ3__ALIGNOF(pyz3__scratch))
        return 0;
    PYZ3__UNROLL
    for (i = 0; i < params->count; i++)
        if (PYZ3__ARG_HOLDS(&params->params[i]))
            return 0;
    return size;
}

/* Parameter `par` (and its `given`) from the scratch `tmp` into `base`. */
static PYZ3__ALWAYS_INLINE void
pyz3__scratch_back(const pyz3_param *par, char *base, const char *tmp)
{
    memcpy(base + par->offset, tmp + par->offset, par->size);
    if (par->given != 0)
        base[par->given - 1] = tmp[par->given - 1];
}

static PYZ3__ALWAYS_INLINE int
pyz3__convert(const pyz3_params *params, size_t i, PyObject *o, char *base, void *out,
              size_t copy)
{
    pyz3__scratch tmp;
    if (copy == 0)
        return pyz3__arg_convert(params, i, o, out);
    if (pyz3__arg_convert(params, i, o, tmp.bytes) < 0)
        return -1;
    pyz3__scratch_back(&params->params[i], base, tmp.bytes);
    return 0;
}

static PYZ3__ALWAYS_INLINE int
pyz3__slow(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames, char *base, void *out, size_t copy)
{
    pyz3__scratch tmp;
    if (copy == 0)
        return pyz3__parse_args_slow(params, args, nargs, kwnames, out);
    if (pyz3__parse_args_slow(params, args, nargs, kwnames, tmp.bytes) < 0)
        return -1;
    memcpy(base, tmp.bytes, copy);
    return 0;
}

/* Parameter i left out: the defaults of numbers and objects are known at
 * compile time and stored here; the others come from the library. */
static PYZ3__ALWAYS_INLINE void
pyz3__absent_one(const pyz3_params *params, size_t i, char *base, void *out, size_t copy)
{
    const pyz3_param *par = &params->params[i];
    char *dst = base + par->offset;
    switch (par->type) {
    case PYZ3_ARG_I64:
        *(int64_t *)dst = par->def.i64;
        break;
    case PYZ3_ARG_U64:
    case PYZ3_ARG_ULLONG:
        *(uint64_t *)dst = par->def.u64;
        break;
    case PYZ3_ARG_SSIZE:
    case PYZ3_ARG_SSIZE_OR_NONE:
        *(Py_ssize_t *)dst = (Py_ssize_t)par->def.i64;
        break;
    case PYZ3_ARG_INT:
    case PYZ3_ARG_I32:
        *(int *)dst = (int)par->def.i64;
        break;
    case PYZ3_ARG_F64:
        *(double *)dst = par->def.f64;
        break;
    case PYZ3_ARG_BOOL:
        *(bool *)dst = par->def.b;
        break;
    case PYZ3_ARG_STR: {
        /* The table holds the default's str after the names; strlen()
         * of a default known at compile time folds. */
        pyz3_str *s = (pyz3_str *)dst;
        s->utf8 = par->def.str;
        s->len = par->def.str != NULL ? strlen(par->def.str) : 0;
        s->obj = params->table->objs[params->count + i];
        break;
    }
    case PYZ3_ARG_OBJECT:
    case PYZ3_ARG_OBJECT_OF:
    case PYZ3_ARG_PYLONG:
    case PYZ3_ARG_BYTES:
        *(PyObject **)dst = NULL;
        break;
    default:
        if (copy != 0) {
            pyz3__scratch tmp;
            pyz3__args_absent(params, i, i + 1, tmp.bytes);
            pyz3__scratch_back(par, base, tmp.bytes);
        }
        else
            pyz3__args_absent(params, i, i + 1, out);
        return;
    }
    if (par->given != 0)
        *(bool *)(base + par->given - 1) = false;
}

/* Argument `o` of parameter i: exact ints, floats, bools, ASCII strs and
 * bytes, and objects of the type asked, are read here; the rest goes to
 * pyz3__arg_convert(). `base` is `out`. */
static PYZ3__ALWAYS_INLINE int
pyz3__parse_one(const pyz3_params *params, size_t i, PyObject *o, char *base, void *out,
                size_t copy)
{
    const pyz3_param *par = &params->params[i];
    char *dst = base + par->offset;
    int64_t v;
    if (o == Py_None
        && ((par->flags & PYZ3_ARG_NONE_OK) || par->type == PYZ3_ARG_SSIZE_OR_NONE)) {
        pyz3__absent_one(params, i, base, out, copy);
        return 0;
    }
    switch (par->type) {
    case PYZ3_ARG_I64:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, (int64_t *)dst))
            break;
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_U64:
    case PYZ3_ARG_ULLONG:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v) && v >= 0) {
            *(uint64_t *)dst = (uint64_t)v;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_SSIZE:
    case PYZ3_ARG_SSIZE_OR_NONE:
        /* One digit of an int fits any Py_ssize_t. */
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v)) {
            *(Py_ssize_t *)dst = (Py_ssize_t)v;
            break;
        }
        /* PyNumber_Index() takes an int subclass's value, never its
         * __index__; one out of range goes to the library for its message. */
        if (PyLong_Check(o)) {
            Py_ssize_t n = PyLong_AsSsize_t(o);
            if (n != -1 || !PyErr_Occurred()) {
                *(Py_ssize_t *)dst = n;
                break;
            }
            PyErr_Clear();
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_SIZE_T:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v) && v >= 0) {
            *(size_t *)dst = (size_t)v;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_LONG:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v)
            && v >= LONG_MIN && v <= LONG_MAX) {
            *(long *)dst = (long)v;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_INT:
    case PYZ3_ARG_I32:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &v)
            && v >= INT_MIN && v <= INT_MAX) {
            *(int *)dst = (int)v;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_F64:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyFloat_Type)) {
            *(double *)dst = PyFloat_AS_DOUBLE(o);
            break;
        }
        /* A one-digit int is exact as a double, as PyFloat_AsDouble() has it. */
        if (Py_TYPE(o) == &PyLong_Type && pyz3__long_small(o, &v)) {
            *(double *)dst = (double)v;
            break;
        }
        /* PyFloat_AsDouble() reads a float subclass's value, never its
         * __float__. */
        if (PyType_IsSubtype(Py_TYPE(o), &PyFloat_Type)) {
            *(double *)dst = PyFloat_AS_DOUBLE(o);
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_BOOL:
        if (o == Py_True || o == Py_False) {
            *(bool *)dst = o == Py_True;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_STR:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyUnicode_Type && PyUnicode_IS_COMPACT_ASCII(o))) {
            pyz3_str *s = (pyz3_str *)dst;
            /* A compact ASCII str keeps its bytes right after its header. */
            s->utf8 = (const char *)((PyASCIIObject *)o + 1);
            s->len = (size_t)PyUnicode_GET_LENGTH(o);
            s->obj = o;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_OBJECT:
        *(PyObject **)dst = o;
        break;
    case PYZ3_ARG_OBJECT_OF:
        if (PYZ3_LIKELY(Py_TYPE(o) == par->cls)) {
            *(PyObject **)dst = o;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_PYLONG:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type)) {
            *(PyObject **)dst = o;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    case PYZ3_ARG_BYTES:
        if (PYZ3_LIKELY(Py_TYPE(o) == &PyBytes_Type)) {
            *(PyObject **)dst = o;
            break;
        }
        return pyz3__convert(params, i, o, base, out, copy);
    default:
        return pyz3__convert(params, i, o, base, out, copy);
    }
    if (par->given != 0)
        *(bool *)(base + par->given - 1) = true;
    return 0;
}

/* Keyword matching on the inline path keeps the arguments of a call to a
 * function of at most this many parameters on the stack. */
#define PYZ3__INLINE_MAX 16

/* The parameter that the interned keyword `kw` names, matched by pointer
 * (never a positional-only one), or params->count. */
static PYZ3__ALWAYS_INLINE size_t
pyz3__keyword_index(const pyz3_params *params, PyObject *kw)
{
    PyObject *const *names = params->table->objs;
    size_t i;
    PYZ3__UNROLL
    for (i = 0; i < params->count; i++)
        if (!(params->params[i].flags & PYZ3_ARG_POSONLY) && names[i] == kw)
            return i;
    return params->count;
}

/* A description known at compile time: positional arguments in the range
 * that leaves out no required parameter, and keywords that are the
 * interned names of parameters, each given once, take the inline path,
 * with the defaults stored here. The library takes every other call: the
 * first of an interpreter life (which fills the table), a keyword that is
 * not interned, and every bad call, before anything is converted. */
static PYZ3__ALWAYS_INLINE int
pyz3__parse_known(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames, char *base, void *out, size_t copy)
{
    PyObject *buf[PYZ3__INLINE_MAX];
    size_t i, j, nkw, n = params->count, npos = 0, required = 0;
    int required_kwonly = 0;

    /* Only a table filled vouches for the description. */
    if (PYZ3_UNLIKELY(!PYZ3__TABLE_READY(params->table)))
        return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
    PYZ3__UNROLL
    for (i = 0; i < n; i++) {
        unsigned int flags = params->params[i].flags;
        if (!(flags & PYZ3_ARG_KWONLY)) {
            npos = i + 1;
            if (!(flags & PYZ3_ARG_OPTIONAL))
                required = i + 1;
        }
        else if (!(flags & PYZ3_ARG_OPTIONAL))
            required_kwonly = 1;
    }
    if (PYZ3_UNLIKELY((size_t)nargs > npos))
        return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
    if (kwnames == NULL) {
        if (PYZ3_UNLIKELY(required_kwonly || (size_t)nargs < required))
            return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
        PYZ3__UNROLL
        for (i = 0; i < n; i++) {
            if (i >= (size_t)nargs)
                pyz3__absent_one(params, i, base, out, copy);
            else if (pyz3__parse_one(params, i, args[i], base, out, copy) < 0) {
                pyz3__args_release_first(params, i, out);
                return -1;
            }
        }
        return 0;
    }
    if (n > PYZ3__INLINE_MAX || PYZ3_UNLIKELY(!PyTuple_CheckExact(kwnames)))
        return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
    nkw = (size_t)PyTuple_GET_SIZE(kwnames);
    if ((size_t)nargs + nkw > n)
        return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
    PYZ3__UNROLL
    for (i = 0; i < n && i < PYZ3__INLINE_MAX; i++)
        buf[i] = i < (size_t)nargs ? args[i] : NULL;
    for (j = 0; j < nkw; j++) {
        i = pyz3__keyword_index(params, PyTuple_GET_ITEM(kwnames, (Py_ssize_t)j));
        if (PYZ3_UNLIKELY(i >= n || buf[i] != NULL))
            return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
        buf[i] = args[(size_t)nargs + j];
    }
    PYZ3__UNROLL
    for (i = 0; i < n && i < PYZ3__INLINE_MAX; i++)
        if (!(params->params[i].flags & PYZ3_ARG_OPTIONAL) && PYZ3_UNLIKELY(buf[i] == NULL))
            return pyz3__slow(params, args, nargs, kwnames, base, out, copy);
    PYZ3__UNROLL
    for (i = 0; i < n && i < PYZ3__INLINE_MAX; i++) {
        if (buf[i] == NULL)
            pyz3__absent_one(params, i, base, out, copy);
        else if (pyz3__parse_one(params, i, buf[i], base, out, copy) < 0) {
            pyz3__args_release_first(params, i, out);
            return -1;
        }
    }
    return 0;
}

/* With a description known at compile time, see pyz3__parse_known();
 * otherwise positional arguments only, in the range that leaves out no
 * required parameter, take the inline path. */
static PYZ3__ALWAYS_INLINE int
pyz3_parse_args(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames, void *out)
{
    const pyz3_table *table;
    char *base = (char *)out;
    size_t i;

    /* Known at compile time, each parameter's switch folds to its type's
     * case, and the struct at `out` may stay in registers. */
    if (params != NULL && params->table != NULL && PYZ3__CONSTANT(params->count))
        return pyz3__parse_known(params, args, nargs, kwnames, base, out, 0);
#if defined(__GNUC__) || defined(__clang__)
    /* Hide where `out` points: after inlining, GCC's -Warray-bounds would
     * check every case of the switch against the caller's struct, the
     * types its parameters do not have included. */
    __asm__("" : "+r"(base));
#endif
    if (PYZ3_UNLIKELY(params == NULL || (table = params->table) == NULL
                      || kwnames != NULL
                      || !PYZ3__TABLE_FAST(table, nargs)))
        return pyz3__parse_args_slow(params, args, nargs, kwnames, out);
    for (i = 0; i < (size_t)nargs; i++)
        if (pyz3__parse_one(params, i, args[i], base, out, 0) < 0) {
            pyz3__args_release_first(params, i, out);
            return -1;
        }
    pyz3__args_absent(params, i, params->count, out);
    return 0;
}

/* pyz3_parse_args() into `out`, a `type *`, as the PYZ3_FUNCTION macros
 * call it: through a scratch struct where pyz3__scratch_size() allows. */
#define PYZ3__PARSE(params, args, nargs, kwnames, out, type) \
    pyz3__parse_sized((params), (args), (nargs), (kwnames), (out), \
                      pyz3__scratch_size((params), sizeof(type), PYZ3__ALIGNOF(type)))

static PYZ3__ALWAYS_INLINE int
pyz3__parse_sized(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames, void *out, size_t copy)
{
    if (copy != 0 && params->table != NULL && PYZ3__CONSTANT(params->count))
        return pyz3__parse_known(params, args, nargs, kwnames, (char *)out, out, copy);
    return pyz3_parse_args(params, args, nargs, kwnames, out);
}

#else
#define PYZ3__PARSE(params, args, nargs, kwnames, out, type) \
    pyz3_parse_args((params), (args), (nargs), (kwnames), (out))
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

struct pyz3__class {
    PyTypeObject *cls;
};

struct pyz3__converter {
    int (*converter)(PyObject *o, void *member);
    void (*cleanup)(void *member);
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
inline void pyz3__param_option(pyz3_param &p, pyz3__class c) { p.cls = c.cls; }
inline void pyz3__param_option(pyz3_param &p, pyz3__converter c)
{
    p.converter = c.converter;
    p.cleanup = c.cleanup;
}

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

} /* extern "C++" */
#endif

#endif /* PYZ3_ARGS_H */
