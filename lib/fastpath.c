/* fastpath.c -- wraps and unwraps of primitives, out of line.
 *
 * Callers built against their own CPython get these inline from
 * <pyz3/fastpath.h>, reading exact ints, floats and strs directly. These
 * are the copies for stable-ABI callers and FFIs: built for the stable ABI,
 * they call CPython's own function for each job, so their semantics are
 * CPython's by construction. wrap_str and wrap_cstr are only here.
 */
#include <string.h>

#include "internal.h"

PyObject *
(pyz3_wrap_i64)(int64_t v)
{
    PyObject *o = pyz3_pool_int(v);
    return o != NULL ? o : PyLong_FromLongLong(v);
}

PyObject *
(pyz3_wrap_u64)(uint64_t v)
{
    if (v <= PYZ3__POOL_INT_MAX)
        return pyz3_pool_int((int64_t)v);
    return PyLong_FromUnsignedLongLong(v);
}

PyObject *
(pyz3_wrap_f64)(double v)
{
    return PyFloat_FromDouble(v);
}

PyObject *
(pyz3_wrap_bool)(bool v)
{
    return PyBool_FromLong(v);
}

PyObject *
pyz3_wrap_str(const char *utf8, size_t len)
{
    if (utf8 == NULL && len != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (len > (size_t)PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_OverflowError, "string is too large");
        return NULL;
    }
    return PyUnicode_DecodeUTF8(utf8, (Py_ssize_t)len, NULL);
}

PyObject *
pyz3_wrap_cstr(const char *utf8)
{
    if (utf8 == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return pyz3_wrap_str(utf8, strlen(utf8));
}

int
(pyz3_unwrap_i64)(PyObject *o, int64_t *out)
{
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = (int64_t)v;
    return 0;
}

int
(pyz3_unwrap_u64)(PyObject *o, uint64_t *out)
{
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    if (v == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int
(pyz3_unwrap_f64)(PyObject *o, double *out)
{
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

int
(pyz3_unwrap_bool)(PyObject *o, bool *out)
{
    int v = PyObject_IsTrue(o);
    if (v < 0)
        return -1;
    *out = v != 0;
    return 0;
}

int
(pyz3_unwrap_str)(PyObject *o, const char **utf8, size_t *len)
{
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == NULL)
        return -1;
    *utf8 = s;
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}
