/* <pyz3/fastpath.h> -- fast paths for primitives. See pyz3_fastpath(3).
 *
 * wrap: a C value to a new Python object; unwrap: a Python object to a C
 * value. The unwraps accept exactly what CPython's own function for the job
 * accepts (PyLong_AsLongLong, PyLong_AsUnsignedLongLong, PyFloat_AsDouble,
 * PyObject_IsTrue, PyUnicode_AsUTF8AndSize) and raise exactly what it
 * raises; objects of the exact types int, float, bool and str take an
 * inline path that reads them directly. Every function requires the GIL.
 */
#ifndef PYZ3_FASTPATH_H
#define PYZ3_FASTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pyz3/version.h>
#include <pyz3/pool.h>

#if PYZ3_INLINE_PATHS && PY_VERSION_HEX < 0x030B0000
#  include <longintrepr.h>   /* ob_digit: not in <Python.h> before 3.11 */
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if PYZ3_INLINE_PATHS
#  define PYZ3__FAST_INLINE 1
#  define PYZ3__FAST_FUNC static inline
#else
#  define PYZ3__FAST_INLINE 0
#  define PYZ3__FAST_FUNC PYZ3_API
#endif

/* New references, or NULL with an exception. wrap_i64 and wrap_u64 return
 * the pooled object for -5..256. wrap_str decodes `len` bytes of UTF-8
 * (embedded NULs kept; invalid UTF-8 raises UnicodeDecodeError);
 * wrap_cstr a NUL-terminated string. */
PYZ3__FAST_FUNC PyObject *pyz3_wrap_i64(int64_t v);
PYZ3__FAST_FUNC PyObject *pyz3_wrap_u64(uint64_t v);
PYZ3__FAST_FUNC PyObject *pyz3_wrap_f64(double v);
PYZ3__FAST_FUNC PyObject *pyz3_wrap_bool(bool v);
PYZ3_API PyObject *pyz3_wrap_str(const char *utf8, size_t len);
PYZ3_API PyObject *pyz3_wrap_cstr(const char *utf8);

/* 0 with the value in *out, or -1 with an exception and *out untouched. */
PYZ3__FAST_FUNC int pyz3_unwrap_i64(PyObject *o, int64_t *out);
PYZ3__FAST_FUNC int pyz3_unwrap_u64(PyObject *o, uint64_t *out);
PYZ3__FAST_FUNC int pyz3_unwrap_f64(PyObject *o, double *out);
PYZ3__FAST_FUNC int pyz3_unwrap_bool(PyObject *o, bool *out);

/* 0 with a borrowed UTF-8 buffer (NUL-terminated, valid as long as `o`) in
 * *utf8 and its length in *len (`len` may be NULL), or -1 with an
 * exception. */
PYZ3__FAST_FUNC int pyz3_unwrap_str(PyObject *o, const char **utf8, size_t *len);

/* The wrap for the C type of `x`: integers to int (signed through
 * wrap_i64, unsigned through wrap_u64), float and double to float, bool to
 * bool, char pointers to str. It follows the type alone, so `true` and
 * `false` give a bool where they are bools (C23, C++) and the int 1 or 0
 * where they are ints (C11 and C17, whose <stdbool.h> defines them as 1
 * and 0); `(bool)true` is a bool in every standard. In C++, pyz3_wrap is a
 * set of overloads of the same types. */
#ifndef __cplusplus
#define pyz3_wrap(x) _Generic((x),                    \
    _Bool: pyz3_wrap_bool,                            \
    signed char: pyz3_wrap_i64,                       \
    short: pyz3_wrap_i64,                             \
    int: pyz3_wrap_i64,                               \
    long: pyz3_wrap_i64,                              \
    long long: pyz3_wrap_i64,                         \
    unsigned char: pyz3_wrap_u64,                     \
    unsigned short: pyz3_wrap_u64,                    \
    unsigned int: pyz3_wrap_u64,                      \
    unsigned long: pyz3_wrap_u64,                     \
    unsigned long long: pyz3_wrap_u64,                \
    float: pyz3_wrap_f64,                             \
    double: pyz3_wrap_f64,                            \
    char *: pyz3_wrap_cstr,                           \
    const char *: pyz3_wrap_cstr)(x)
#endif

#if PYZ3__FAST_INLINE

static inline PyObject *
pyz3_wrap_i64(int64_t v)
{
    if ((uint64_t)v - (uint64_t)PYZ3__POOL_INT_MIN < PYZ3__POOL_INTS) {
        PyObject *o = pyz3__pool_ints[v - PYZ3__POOL_INT_MIN];
        if (PYZ3_UNLIKELY(o == NULL))
            return pyz3__pool_int_fill(v);
        Py_INCREF(o);
        return o;
    }
    return PyLong_FromLongLong(v);
}

static inline PyObject *
pyz3_wrap_u64(uint64_t v)
{
    if (v <= PYZ3__POOL_INT_MAX)
        return pyz3_wrap_i64((int64_t)v);
    return PyLong_FromUnsignedLongLong(v);
}

static inline PyObject *
pyz3_wrap_f64(double v)
{
    return PyFloat_FromDouble(v);
}

static inline PyObject *
pyz3_wrap_bool(bool v)
{
    PyObject *o = v ? Py_True : Py_False;
    Py_INCREF(o);
    return o;
}

/* The int's value if it fits one digit, read the way this CPython lays
 * ints out: PyUnstable_Long_* from 3.12, the sign in ob_size before. */
static inline int
pyz3__long_small(PyObject *o, int64_t *out)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (PYZ3_LIKELY(PyUnstable_Long_IsCompact((PyLongObject *)o))) {
        *out = (int64_t)PyUnstable_Long_CompactValue((PyLongObject *)o);
        return 1;
    }
#else
    Py_ssize_t size = Py_SIZE(o);
    if (PYZ3_LIKELY(size == 1)) {
        *out = (int64_t)((PyLongObject *)o)->ob_digit[0];
        return 1;
    }
    if (size == -1) {
        *out = -(int64_t)((PyLongObject *)o)->ob_digit[0];
        return 1;
    }
    if (size == 0) {
        *out = 0;
        return 1;
    }
#endif
    return 0;
}

static inline int
pyz3_unwrap_i64(PyObject *o, int64_t *out)
{
    long long v;
    if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, out))
        return 0;
    v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (int64_t)v;
    return 0;
}

static inline int
pyz3_unwrap_u64(PyObject *o, uint64_t *out)
{
    int64_t small;
    unsigned long long v;
    if (PYZ3_LIKELY(Py_TYPE(o) == &PyLong_Type) && pyz3__long_small(o, &small)
        && small >= 0) {
        *out = (uint64_t)small;
        return 0;
    }
    v = PyLong_AsUnsignedLongLong(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static inline int
pyz3_unwrap_f64(PyObject *o, double *out)
{
    double v;
    if (PYZ3_LIKELY(Py_TYPE(o) == &PyFloat_Type)) {
        *out = PyFloat_AS_DOUBLE(o);
        return 0;
    }
    v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

static inline int
pyz3_unwrap_bool(PyObject *o, bool *out)
{
    int v;
    if (o == Py_True) {
        *out = true;
        return 0;
    }
    if (o == Py_False) {
        *out = false;
        return 0;
    }
    v = PyObject_IsTrue(o);
    if (v < 0)
        return -1;
    *out = v != 0;
    return 0;
}

static inline int
pyz3_unwrap_str(PyObject *o, const char **utf8, size_t *len)
{
    Py_ssize_t n;
    const char *s;
    /* A compact ASCII str is its own UTF-8, stored right after its
     * PyASCIIObject header (what PyUnicode_DATA() finds after testing the
     * same two flags again). */
    if (PYZ3_LIKELY(Py_TYPE(o) == &PyUnicode_Type && PyUnicode_IS_COMPACT_ASCII(o))) {
        *utf8 = (const char *)((PyASCIIObject *)o + 1);
        if (len != NULL)
            *len = (size_t)PyUnicode_GET_LENGTH(o);
        return 0;
    }
    s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == NULL)
        return -1;
    *utf8 = s;
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

#endif /* PYZ3__FAST_INLINE */

#ifdef __cplusplus
}

extern "C++" {
inline PyObject *pyz3_wrap(bool x) { return pyz3_wrap_bool(x); }
inline PyObject *pyz3_wrap(signed char x) { return pyz3_wrap_i64(x); }
inline PyObject *pyz3_wrap(short x) { return pyz3_wrap_i64(x); }
inline PyObject *pyz3_wrap(int x) { return pyz3_wrap_i64(x); }
inline PyObject *pyz3_wrap(long x) { return pyz3_wrap_i64(x); }
inline PyObject *pyz3_wrap(long long x) { return pyz3_wrap_i64(x); }
inline PyObject *pyz3_wrap(unsigned char x) { return pyz3_wrap_u64(x); }
inline PyObject *pyz3_wrap(unsigned short x) { return pyz3_wrap_u64(x); }
inline PyObject *pyz3_wrap(unsigned int x) { return pyz3_wrap_u64(x); }
inline PyObject *pyz3_wrap(unsigned long x) { return pyz3_wrap_u64(x); }
inline PyObject *pyz3_wrap(unsigned long long x) { return pyz3_wrap_u64(x); }
inline PyObject *pyz3_wrap(float x) { return pyz3_wrap_f64(x); }
inline PyObject *pyz3_wrap(double x) { return pyz3_wrap_f64(x); }
inline PyObject *pyz3_wrap(char *x) { return pyz3_wrap_cstr(x); }
inline PyObject *pyz3_wrap(const char *x) { return pyz3_wrap_cstr(x); }
} /* extern "C++" */
#endif

#endif /* PYZ3_FASTPATH_H */
