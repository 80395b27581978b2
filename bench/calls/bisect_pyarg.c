/* bisect_pyarg.c -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
 * scale(x, factor=1.0, *, unit="") with PyArg_ParseTupleAndKeywords(), for
 * the call-shape benchmark. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "bisect_body.h"

static PyObject *
bisect_left(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = { "a", "x", "lo", "hi", "key", NULL };
    PyObject *a, *x, *hi_obj = Py_None, *key = Py_None;
    Py_ssize_t lo = 0, hi = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|nO$O:bisect_left", keywords, &a, &x,
                                     &lo, &hi_obj, &key))
        return NULL;
    if (hi_obj != Py_None && (hi = PyNumber_AsSsize_t(hi_obj, PyExc_OverflowError)) == -1
        && PyErr_Occurred())
        return NULL;
    return bisect_left_body(a, x, lo, hi, key == Py_None ? NULL : key);
}

static PyObject *
scale(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = { "x", "factor", "unit", NULL };
    double x, factor = 1.0;
    const char *unit = "";
    Py_ssize_t unit_len = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "d|d$s#:scale", keywords, &x, &factor, &unit,
                                     &unit_len))
        return NULL;
    return scale_body(x, factor, (size_t)unit_len);
}

static PyMethodDef methods[] = {
    { "bisect_left", (PyCFunction)(void (*)(void))bisect_left, METH_VARARGS | METH_KEYWORDS,
      NULL },
    { "scale", (PyCFunction)(void (*)(void))scale, METH_VARARGS | METH_KEYWORDS, NULL },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "bis_pyarg", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC
PyInit_bis_pyarg(void)
{
    return PyModule_Create(&module);
}
