/* args_types.c -- one entry per PYZ3_ARG_* type: the size of its member,
 * its converter, its default and what it gives back after the call.
 *
 * The first six types read what the unwraps of <pyz3/fastpath.h> read and
 * name the parameter in what they raise (args_errors.c decides when that
 * is safe). The others do what Argument Clinic's generated code does for
 * their C type on the running CPython, calling the same functions in the
 * same order, so that every value and every message is CPython's: before
 * 3.10, the integer converters refuse a float first ("integer argument
 * expected, got float") and PyLong_AsLong() still takes __int__.
 */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "args_internal.h"

#define PYZ3__DST(type) (*(type *)dst)

/* ------------------------------------------------------------------------
 * The unwraps of <pyz3/fastpath.h>. */

static int
pyz3__convert_i64(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (pyz3_unwrap_i64(o, (int64_t *)dst) == 0)
        return 0;
    return pyz3__unwrap_failed(p, i, o, !PyLong_Check(o) && !PyIndex_Check(o), PyLong_Check(o));
}

static int
pyz3__convert_u64(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (pyz3_unwrap_u64(o, (uint64_t *)dst) == 0)
        return 0;
    return pyz3__unwrap_failed(p, i, o, !PyLong_Check(o), PyLong_Check(o));
}

static int
pyz3__convert_f64(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    PyObject *type, *value, *tb;
    int foreign;
    if (pyz3_unwrap_f64(o, (double *)dst) == 0)
        return 0;
    /* The look-up of __float__ clears the exception on a miss. */
    PyErr_Fetch(&type, &value, &tb);
    foreign = !PyFloat_Check(o) && !PyLong_Check(o) && !PyIndex_Check(o)
              && !PyObject_HasAttrString((PyObject *)Py_TYPE(o), "__float__");
    PyErr_Restore(type, value, tb);
    return pyz3__unwrap_failed(p, i, o, foreign, PyFloat_Check(o) || PyLong_CheckExact(o));
}

static int
pyz3__convert_bool(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (pyz3_unwrap_bool(o, (bool *)dst) == 0)
        return 0;
    /* Only a __bool__ or __len__ of the caller's fails. */
    return pyz3__unwrap_failed(p, i, o, 0, 0);
}

static int
pyz3__convert_str(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    pyz3_str *s = (pyz3_str *)dst;
    if (pyz3_unwrap_str(o, &s->utf8, &s->len) < 0)
        return pyz3__unwrap_failed(p, i, o, !PyUnicode_Check(o), PyUnicode_Check(o));
    s->obj = o;
    return 0;
}

static int
pyz3__convert_object(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    PYZ3__DST(PyObject *) = o;
    return 0;
}

/* ------------------------------------------------------------------------
 * Argument Clinic's integers and floats. */

/* Before 3.10, Argument Clinic's code refused a float for an integer
 * before converting: -1 with its TypeError, else 0. */
static int
pyz3__refuse_float(PyObject *o)
{
    if (pyz3__python_minor() < 10 && PyFloat_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "integer argument expected, got float");
        return -1;
    }
    return 0;
}

/* PyLong_AsLong() of `o`, the float refused first: 0 or -1. */
static int
pyz3__as_long(PyObject *o, long *v)
{
    if (pyz3__refuse_float(o) < 0)
        return -1;
    *v = PyLong_AsLong(o);
    return *v == -1 && PyErr_Occurred() ? -1 : 0;
}

/* Whether the int `o` is negative, as _PyLong_Sign() says, without code
 * of the caller's: a subclass's methods are not called. */
static int
pyz3__negative_int(PyObject *o)
{
    int overflow;
    long v = PyLong_AsLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return overflow < 0 || (overflow == 0 && v < 0);
}

/* The first step of the unsigned converters of CPython
 * (_PyLong_UnsignedLongLong_Converter and its siblings): a negative int is
 * a ValueError, whose message 3.14 changed (its converters went over to
 * PyLong_AsNativeBytes() with Py_ASNATIVEBYTES_REJECT_NEGATIVE). 0 or -1. */
static int
pyz3__refuse_negative(PyObject *o)
{
    if (PyLong_Check(o) && pyz3__negative_int(o)) {
        PyErr_SetString(PyExc_ValueError, pyz3__python_minor() >= 14
                        ? "Cannot convert negative int" : "value must be positive");
        return -1;
    }
    return 0;
}

/* CPython 3.14's unsigned converters (PyLong_AsNativeBytes() with
 * Py_ASNATIVEBYTES_ALLOW_INDEX and _REJECT_NEGATIVE): __index__ is taken,
 * a negative value refused, one above `max` is "Python int too large for
 * C <ctype>". Earlier ones take ints only (the callers' other branch). 0 or
 * -1. */
static int
pyz3__as_unsigned_314(PyObject *o, unsigned long long max, const char *ctype,
                      unsigned long long *v)
{
    PyObject *index = PyNumber_Index(o);
    if (index == NULL)
        return -1;
    if (pyz3__refuse_negative(index) < 0) {
        Py_DECREF(index);
        return -1;
    }
    *v = PyLong_AsUnsignedLongLong(index);
    Py_DECREF(index);
    if (*v == (unsigned long long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
    }
    else if (*v <= max)
        return 0;
    PyErr_Format(PyExc_OverflowError, "Python int too large for C %s", ctype);
    return -1;
}

static int
pyz3__convert_ssize(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    PyObject *index;
    Py_ssize_t v;
    if (pyz3__refuse_float(o) < 0 || (index = PyNumber_Index(o)) == NULL)
        return -1;
    v = PyLong_AsSsize_t(index);
    Py_DECREF(index);
    if (v == -1 && PyErr_Occurred())
        return -1;
    PYZ3__DST(Py_ssize_t) = v;
    return 0;
}

/* _Py_convert_optional_to_ssize_t(); None never comes here. */
static int
pyz3__convert_ssize_or_none(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    Py_ssize_t v;
    if (!PyIndex_Check(o)) {
        PyObject *name = pyz3__type_tp_name((PyObject *)Py_TYPE(o));
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError, "argument should be integer or None, not '%.200U'",
                         name);
            Py_DECREF(name);
        }
        return -1;
    }
    v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred())
        return -1;
    PYZ3__DST(Py_ssize_t) = v;
    return 0;
}

/* _PyLong_AsInt(): int and int32_t. */
static int
pyz3__convert_int(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    int overflow;
    long v;
    if (pyz3__refuse_float(o) < 0)
        return -1;
    v = PyLong_AsLongAndOverflow(o, &overflow);
    if (overflow != 0 || v > INT_MAX || v < INT_MIN) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    if (v == -1 && PyErr_Occurred())
        return -1;
    PYZ3__DST(int) = (int)v;
    return 0;
}

static int
pyz3__convert_long(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    return pyz3__as_long(o, (long *)dst);
}

static int
pyz3__convert_ullong(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    unsigned long long v;
    if (pyz3__python_minor() >= 14) {
        if (pyz3__as_unsigned_314(o, ULLONG_MAX, "unsigned long long", &v) < 0)
            return -1;
    }
    else {
        if (pyz3__refuse_negative(o) < 0)
            return -1;
        v = PyLong_AsUnsignedLongLong(o);
        if (v == (unsigned long long)-1 && PyErr_Occurred())
            return -1;
    }
    PYZ3__DST(unsigned long long) = v;
    return 0;
}

static int
pyz3__convert_size_t(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    size_t v;
    unsigned long long ull;
    if (pyz3__python_minor() >= 14) {
        if (pyz3__as_unsigned_314(o, SIZE_MAX, "size_t", &ull) < 0)
            return -1;
        PYZ3__DST(size_t) = (size_t)ull;
        return 0;
    }
    if (pyz3__refuse_negative(o) < 0)
        return -1;
    v = PyLong_AsSize_t(o);
    if (v == (size_t)-1 && PyErr_Occurred())
        return -1;
    PYZ3__DST(size_t) = v;
    return 0;
}

/* _PyLong_UnsignedInt_Converter() and _PyLong_UnsignedShort_Converter():
 * PyLong_AsUnsignedLong(), then the range of the C type. */
static int
pyz3__as_unsigned(PyObject *o, unsigned long max, const char *ctype, unsigned long *v)
{
    unsigned long long ull;
    if (pyz3__python_minor() >= 14) {
        if (pyz3__as_unsigned_314(o, max, ctype, &ull) < 0)
            return -1;
        *v = (unsigned long)ull;
        return 0;
    }
    if (pyz3__refuse_negative(o) < 0)
        return -1;
    *v = PyLong_AsUnsignedLong(o);
    if (*v == (unsigned long)-1 && PyErr_Occurred())
        return -1;
    if (*v > max) {
        PyErr_Format(PyExc_OverflowError, "Python int too large for C %s", ctype);
        return -1;
    }
    return 0;
}

static int
pyz3__convert_u32(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    unsigned long v;
    if (pyz3__as_unsigned(o, UINT_MAX, "unsigned int", &v) < 0)
        return -1;
    PYZ3__DST(uint32_t) = (uint32_t)v;
    return 0;
}

static int
pyz3__convert_u16(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    unsigned long v;
    if (pyz3__as_unsigned(o, USHRT_MAX, "unsigned short", &v) < 0)
        return -1;
    PYZ3__DST(uint16_t) = (uint16_t)v;
    return 0;
}

/* "h" and "b": PyLong_AsLong(), then the range, in getargs' words. */
static int
pyz3__as_ranged(PyObject *o, long min, long max, const char *what, long *v)
{
    if (pyz3__as_long(o, v) < 0)
        return -1;
    if (*v < min) {
        PyErr_Format(PyExc_OverflowError, "%s is less than minimum", what);
        return -1;
    }
    if (*v > max) {
        PyErr_Format(PyExc_OverflowError, "%s is greater than maximum", what);
        return -1;
    }
    return 0;
}

static int
pyz3__convert_i16(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    long v;
    if (pyz3__as_ranged(o, SHRT_MIN, SHRT_MAX, "signed short integer", &v) < 0)
        return -1;
    PYZ3__DST(int16_t) = (int16_t)v;
    return 0;
}

static int
pyz3__convert_u8(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    long v;
    if (pyz3__as_ranged(o, 0, UCHAR_MAX, "unsigned byte integer", &v) < 0)
        return -1;
    PYZ3__DST(uint8_t) = (uint8_t)v;
    return 0;
}

static int
pyz3__convert_float(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    PYZ3__DST(float) = (float)v;
    return 0;
}

/* ------------------------------------------------------------------------
 * Objects of a type, buffers, and the caller's converters. */

static int
pyz3__convert_object_of(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    const pyz3_param *par = &p->params[i];
    PyObject *name;
    int rc;
    if (PyObject_TypeCheck(o, par->cls)) {
        PYZ3__DST(PyObject *) = o;
        return 0;
    }
    name = pyz3__type_tp_name((PyObject *)par->cls);
    if (name == NULL)
        return -1;
    rc = pyz3__bad_argument_u(p, i, name, o);
    Py_DECREF(name);
    return rc;
}

static int
pyz3__convert_bytes(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (!PyBytes_Check(o))
        return pyz3__bad_argument(p, i, "bytes", o);
    PYZ3__DST(PyObject *) = o;
    return 0;
}

static int
pyz3__convert_pylong(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (!PyLong_Check(o))
        return pyz3__bad_argument(p, i, "int", o);
    PYZ3__DST(PyObject *) = o;
    return 0;
}

static int
pyz3__convert_buffer(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    pyz3__buffer *view = (pyz3__buffer *)dst;
    if (PyObject_GetBuffer(o, view, PYZ3__BUF_SIMPLE) != 0) {
        view->obj = NULL;
        return -1;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        view->obj = NULL;
        return pyz3__bad_argument(p, i, "contiguous buffer", o);
    }
    return 0;
}

static int
pyz3__convert_converter(const pyz3_params *p, size_t i, PyObject *o, void *dst)
{
    if (p->params[i].converter(o, dst))
        return 0;
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_SystemError, "%.200s(): the converter of argument '%s' failed "
                     "without an exception", p->name, p->params[i].name);
    return -1;
}

static void
pyz3__release_buffer(const pyz3_param *par, void *dst)
{
    pyz3__buffer *view = (pyz3__buffer *)dst;
    if (view->obj != NULL) {
        PyBuffer_Release(view);
        view->obj = NULL;
    }
}

static void
pyz3__release_converter(const pyz3_param *par, void *dst)
{
    if (par->cleanup != NULL)
        par->cleanup(dst);
}

/* ------------------------------------------------------------------------
 * Defaults. */

static void
pyz3__absent_i64(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(int64_t) = p->params[i].def.i64;
}

static void
pyz3__absent_u64(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(uint64_t) = p->params[i].def.u64;
}

static void
pyz3__absent_f64(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(double) = p->params[i].def.f64;
}

static void
pyz3__absent_bool(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(bool) = p->params[i].def.b;
}

static void
pyz3__absent_str(const pyz3_params *p, size_t i, void *dst)
{
    const char *def = p->params[i].def.str;
    pyz3_str *s = (pyz3_str *)dst;
    s->utf8 = def;
    s->len = def != NULL ? strlen(def) : 0;
    s->obj = p->table->objs[p->count + i];
}

static void
pyz3__absent_object(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(PyObject *) = NULL;
}

static void
pyz3__absent_ssize(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(Py_ssize_t) = (Py_ssize_t)p->params[i].def.i64;
}

static void
pyz3__absent_int(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(int) = (int)p->params[i].def.i64;
}

static void
pyz3__absent_long(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(long) = (long)p->params[i].def.i64;
}

static void
pyz3__absent_size_t(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(size_t) = (size_t)p->params[i].def.u64;
}

static void
pyz3__absent_u32(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(uint32_t) = (uint32_t)p->params[i].def.u64;
}

static void
pyz3__absent_i16(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(int16_t) = (int16_t)p->params[i].def.i64;
}

static void
pyz3__absent_u16(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(uint16_t) = (uint16_t)p->params[i].def.u64;
}

static void
pyz3__absent_u8(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(uint8_t) = (uint8_t)p->params[i].def.u64;
}

static void
pyz3__absent_float(const pyz3_params *p, size_t i, void *dst)
{
    PYZ3__DST(float) = (float)p->params[i].def.f64;
}

static void
pyz3__absent_buffer(const pyz3_params *p, size_t i, void *dst)
{
    memset(dst, 0, sizeof(pyz3__buffer));
}

/* A converter's member left out stays as the caller set it. */
static void
pyz3__absent_nothing(const pyz3_params *p, size_t i, void *dst)
{
}

/* ------------------------------------------------------------------------
 * The table. */

const pyz3__arg_type pyz3__arg_types[PYZ3__ARG_NTYPES] = {
    [PYZ3_ARG_I64] = { sizeof(int64_t), false, "int", pyz3__convert_i64, pyz3__absent_i64, NULL },
    [PYZ3_ARG_U64] = { sizeof(uint64_t), false, "int", pyz3__convert_u64, pyz3__absent_u64, NULL },
    [PYZ3_ARG_F64] = { sizeof(double), false, "float", pyz3__convert_f64, pyz3__absent_f64, NULL },
    [PYZ3_ARG_BOOL] = { sizeof(bool), false, "bool", pyz3__convert_bool, pyz3__absent_bool, NULL },
    [PYZ3_ARG_STR] = { sizeof(pyz3_str), false, "str", pyz3__convert_str, pyz3__absent_str, NULL },
    [PYZ3_ARG_OBJECT] = { sizeof(PyObject *), false, NULL, pyz3__convert_object,
                          pyz3__absent_object, NULL },
    [PYZ3_ARG_SSIZE] = { sizeof(Py_ssize_t), false, NULL, pyz3__convert_ssize,
                         pyz3__absent_ssize, NULL },
    [PYZ3_ARG_INT] = { sizeof(int), false, NULL, pyz3__convert_int, pyz3__absent_int, NULL },
    [PYZ3_ARG_LONG] = { sizeof(long), false, NULL, pyz3__convert_long, pyz3__absent_long, NULL },
    [PYZ3_ARG_ULLONG] = { sizeof(unsigned long long), false, NULL, pyz3__convert_ullong,
                          pyz3__absent_u64, NULL },
    [PYZ3_ARG_SIZE_T] = { sizeof(size_t), false, NULL, pyz3__convert_size_t,
                          pyz3__absent_size_t, NULL },
    [PYZ3_ARG_I32] = { sizeof(int32_t), false, NULL, pyz3__convert_int, pyz3__absent_int, NULL },
    [PYZ3_ARG_U32] = { sizeof(uint32_t), false, NULL, pyz3__convert_u32, pyz3__absent_u32, NULL },
    [PYZ3_ARG_I16] = { sizeof(int16_t), false, NULL, pyz3__convert_i16, pyz3__absent_i16, NULL },
    [PYZ3_ARG_U16] = { sizeof(uint16_t), false, NULL, pyz3__convert_u16, pyz3__absent_u16, NULL },
    [PYZ3_ARG_U8] = { sizeof(uint8_t), false, NULL, pyz3__convert_u8, pyz3__absent_u8, NULL },
    [PYZ3_ARG_FLOAT] = { sizeof(float), false, NULL, pyz3__convert_float, pyz3__absent_float,
                         NULL },
    [PYZ3_ARG_SSIZE_OR_NONE] = { sizeof(Py_ssize_t), false, NULL, pyz3__convert_ssize_or_none,
                                 pyz3__absent_ssize, NULL },
    [PYZ3_ARG_OBJECT_OF] = { sizeof(PyObject *), false, NULL, pyz3__convert_object_of,
                             pyz3__absent_object, NULL },
    [PYZ3_ARG_BYTES] = { sizeof(PyObject *), false, "bytes", pyz3__convert_bytes,
                         pyz3__absent_object, NULL },
    [PYZ3_ARG_PYLONG] = { sizeof(PyObject *), false, "int", pyz3__convert_pylong,
                          pyz3__absent_object, NULL },
    [PYZ3_ARG_BUFFER] = { sizeof(pyz3__buffer), false, NULL, pyz3__convert_buffer,
                          pyz3__absent_buffer, pyz3__release_buffer },
    [PYZ3_ARG_CONVERTER] = { 1, true, NULL, pyz3__convert_converter, pyz3__absent_nothing,
                             pyz3__release_converter },
};
