/* bisect_ac.c -- bisect_left(a, x, lo=0, hi=None, *, key=None) parsed by
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

/* Put the keyword values of the call in buf after its positional
 * arguments, as _PyArg_UnpackKeywords() does: buf, or NULL with an
 * exception. */
static PyObject *const *
unpack_keywords(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **buf)
{
    Py_ssize_t i, j, nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs > 4 || nargs + nkw > NPARAMS) {
        PyErr_SetString(PyExc_TypeError, "bisect_left() takes at most 4 positional arguments");
        return NULL;
    }
    for (i = 0; i < NPARAMS; i++)
        buf[i] = i < nargs ? args[i] : NULL;
    for (j = 0; j < nkw; j++) {
        PyObject *kw = PyTuple_GET_ITEM(kwnames, j);
        for (i = 0; i < NPARAMS; i++)
            if (interned[i] == kw)
                break;
        if (i == NPARAMS)
            for (i = 0; i < NPARAMS; i++)
                if (PyUnicode_Compare(kw, interned[i]) == 0)
                    break;
        if (i == NPARAMS || buf[i] != NULL) {
            PyErr_SetString(PyExc_TypeError, "bisect_left() got a bad keyword argument");
            return NULL;
        }
        buf[i] = args[nargs + j];
    }
    if (buf[0] == NULL || buf[1] == NULL) {
        PyErr_SetString(PyExc_TypeError, "bisect_left() missing a required argument");
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
        args = unpack_keywords(args, nargs, kwnames, argsbuf);
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

static PyMethodDef methods[] = {
    { "bisect_left", (PyCFunction)(void (*)(void))bisect_left, METH_FASTCALL | METH_KEYWORDS,
      NULL },
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
    return PyModule_Create(&module);
}
