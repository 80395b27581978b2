/* bisect_ac.c -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
 * scale(x, factor=1.0, *, unit="") (double and str converters) parsed by
 * hand the way Argument Clinic's generated code parses it (CPython 3.12's
 * Modules/clinic/_bisect.c.h): positional arguments in range taken as
 * they are, keywords unpacked into a buffer by pointer against interned
 * names (a string compare only for the others), then Py_ssize_t through
 * PyNumber_Index() + PyLong_AsSsize_t() and "hi" as
 * _Py_convert_optional_to_ssize_t() does. The baseline of the call-shape
 * benchmark; its bad-call messages are not CPython's. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bisect_body.h"

#define NPARAMS 5
static const char *const keywords[NPARAMS] = { "a", "x", "lo", "hi", "key" };
static PyObject *interned[NPARAMS];
#define SCALE_NPARAMS 3
static const char *const scale_keywords[SCALE_NPARAMS] = { "x", "factor", "unit" };
static PyObject *scale_interned[SCALE_NPARAMS];

/* Put the keyword values of the call in buf after its positional
 * arguments, as _PyArg_UnpackKeywords() does, for a function of `n`
 * parameters named `names`, `maxpos` of them positional and `minpos`
 * required: buf, or NULL with an exception. */
static PyObject *const *
unpack_keywords(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **buf,
                PyObject *const *names, Py_ssize_t n, Py_ssize_t maxpos, Py_ssize_t minpos)
{
    Py_ssize_t i, j, nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs > maxpos || nargs + nkw > n) {
        PyErr_SetString(PyExc_TypeError, "too many positional arguments");
        return NULL;
    }
    for (i = 0; i < n; i++)
        buf[i] = i < nargs ? args[i] : NULL;
    for (j = 0; j < nkw; j++) {
        PyObject *kw = PyTuple_GET_ITEM(kwnames, j);
        for (i = 0; i < n; i++)
            if (names[i] == kw)
                break;
        if (i == n)
            for (i = 0; i < n; i++)
                if (PyUnicode_Compare(kw, names[i]) == 0)
                    break;
        if (i == n || buf[i] != NULL) {
            PyErr_SetString(PyExc_TypeError, "got a bad keyword argument");
            return NULL;
        }
        buf[i] = args[nargs + j];
    }
    for (i = 0; i < minpos; i++)
        if (buf[i] == NULL) {
            PyErr_SetString(PyExc_TypeError, "missing a required argument");
            return NULL;
        }
    return buf;
}

static PyObject *
bisect_left(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *argsbuf[NPARAMS];
    Py_ssize_t noptargs = nargs + (kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0) - 2;
    PyObject *a, *x, *key = Py_None;
    Py_ssize_t lo = 0, hi = -1;

    if (!(kwnames == NULL && nargs >= 2 && nargs <= 4 && args != NULL)) {
        args = unpack_keywords(args, nargs, kwnames, argsbuf, interned, NPARAMS, 4, 2);
        if (args == NULL)
            return NULL;
    }
    a = args[0];
    x = args[1];
    if (!noptargs)
        goto skip_optional_pos;
    if (args[2]) {
        Py_ssize_t ival = -1;
        PyObject *iobj = PyNumber_Index(args[2]);
        if (iobj != NULL) {
            ival = PyLong_AsSsize_t(iobj);
            Py_DECREF(iobj);
        }
        if (ival == -1 && PyErr_Occurred())
            return NULL;
        lo = ival;
        if (!--noptargs)
            goto skip_optional_pos;
    }
    if (args[3]) {
        if (args[3] != Py_None) {
            if (!PyIndex_Check(args[3])) {
                PyErr_Format(PyExc_TypeError, "argument should be integer or None, not '%.200s'",
                             Py_TYPE(args[3])->tp_name);
                return NULL;
            }
            hi = PyNumber_AsSsize_t(args[3], PyExc_OverflowError);
            if (hi == -1 && PyErr_Occurred())
                return NULL;
        }
        if (!--noptargs)
            goto skip_optional_pos;
    }
skip_optional_pos:
    if (!noptargs)
        goto skip_optional_kwonly;
    key = args[4];
skip_optional_kwonly:
    return bisect_left_body(a, x, lo, hi, key == Py_None ? NULL : key);
}

/* A double as Argument Clinic's double converter reads it. */
static int
convert_double(PyObject *o, double *v)
{
    if (PyFloat_CheckExact(o)) {
        *v = PyFloat_AS_DOUBLE(o);
        return 0;
    }
    *v = PyFloat_AsDouble(o);
    return *v == -1.0 && PyErr_Occurred() ? -1 : 0;
}

static PyObject *
scale(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *argsbuf[SCALE_NPARAMS];
    Py_ssize_t noptargs = nargs + (kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0) - 1;
    double x, factor = 1.0;
    Py_ssize_t unit_len = 0;

    if (!(kwnames == NULL && nargs >= 1 && nargs <= 2 && args != NULL)) {
        args = unpack_keywords(args, nargs, kwnames, argsbuf, scale_interned, SCALE_NPARAMS, 2,
                               1);
        if (args == NULL)
            return NULL;
    }
    if (convert_double(args[0], &x) < 0)
        return NULL;
    if (!noptargs)
        goto skip_optional_pos;
    if (args[1]) {
        if (convert_double(args[1], &factor) < 0)
            return NULL;
        if (!--noptargs)
            goto skip_optional_pos;
    }
skip_optional_pos:
    if (!noptargs)
        goto skip_optional_kwonly;
    if (!PyUnicode_Check(args[2])) {
        PyErr_Format(PyExc_TypeError, "scale() argument 'unit' must be str, not %.50s",
                     Py_TYPE(args[2])->tp_name);
        return NULL;
    }
    {
        const char *unit = PyUnicode_AsUTF8AndSize(args[2], &unit_len);
        if (unit == NULL)
            return NULL;
        if (strlen(unit) != (size_t)unit_len) {
            PyErr_SetString(PyExc_ValueError, "embedded null character");
            return NULL;
        }
    }
skip_optional_kwonly:
    return scale_body(x, factor, (size_t)unit_len);
}

static PyMethodDef methods[] = {
    { "bisect_left", (PyCFunction)(void (*)(void))bisect_left, METH_FASTCALL | METH_KEYWORDS,
      NULL },
    { "scale", (PyCFunction)(void (*)(void))scale, METH_FASTCALL | METH_KEYWORDS, NULL },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "bis_ac", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC
PyInit_bis_ac(void)
{
    int i;
    for (i = 0; i < NPARAMS; i++)
        if ((interned[i] = PyUnicode_InternFromString(keywords[i])) == NULL)
            return NULL;
    for (i = 0; i < SCALE_NPARAMS; i++)
        if ((scale_interned[i] = PyUnicode_InternFromString(scale_keywords[i])) == NULL)
            return NULL;
    return PyModule_Create(&module);
}
