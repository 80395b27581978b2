/* fastpath.c -- wraps and unwraps of primitives, out of line.
 *
 * Callers built against their own CPython get these inline from
 * <pyz3/fastpath.h>, reading exact ints, floats and strs directly before
 * they call CPython's own function for each job. Here are the exported
 * functions for stable-ABI callers and FFIs: the same bodies of the header
 * without that shortcut, so their semantics are CPython's by construction.
 * wrap_str and wrap_cstr are only here.
 */
#include <string.h>

#include "internal.h"

PyObject *
pyz3_wrap_i64(int64_t v)
{
    return pyz3__wrap_i64(v);
}

PyObject *
pyz3_wrap_u64(uint64_t v)
{
    return pyz3__wrap_u64(v);
}

PyObject *
pyz3_wrap_f64(double v)
{
    return PyFloat_FromDouble(v);
}

PyObject *
pyz3_wrap_bool(bool v)
{
    return pyz3__wrap_bool(v);
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
pyz3_unwrap_i64(PyObject *o, int64_t *out)
{
    return pyz3__unwrap_i64(o, out);
}

int
pyz3_unwrap_u64(PyObject *o, uint64_t *out)
{
    return pyz3__unwrap_u64(o, out);
}

int
pyz3_unwrap_f64(PyObject *o, double *out)
{
    return pyz3__unwrap_f64(o, out);
}

int
pyz3_unwrap_bool(PyObject *o, bool *out)
{
    return pyz3__unwrap_bool(o, out);
}

int
pyz3_unwrap_str(PyObject *o, const char **utf8, size_t *len)
{
    return pyz3__unwrap_str(o, utf8, len);
}
