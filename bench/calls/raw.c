/* raw.c -- fast_function() written by hand with the C API, the baseline
 * of bench/calls/run.sh: METH_FASTCALL, positional arguments only,
 * CPython's own conversion functions and PyTuple_New(). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
fast_function(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long long count;
    double ratio;
    int enabled;
    Py_ssize_t len;
    PyObject *result, *item;

    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError,
                     "fast_function() takes exactly 4 arguments (%zd given)", nargs);
        return NULL;
    }
    count = PyLong_AsLongLong(args[0]);
    if (count == -1 && PyErr_Occurred())
        return NULL;
    ratio = PyFloat_AsDouble(args[1]);
    if (ratio == -1.0 && PyErr_Occurred())
        return NULL;
    enabled = PyObject_IsTrue(args[2]);
    if (enabled < 0)
        return NULL;
    if (PyUnicode_AsUTF8AndSize(args[3], &len) == NULL)
        return NULL;

    result = PyTuple_New(4);
    if (result == NULL)
        return NULL;
    if ((item = PyLong_FromLongLong(2 * count)) == NULL)
        goto fail;
    PyTuple_SET_ITEM(result, 0, item);
    if ((item = PyFloat_FromDouble(2.0 * ratio)) == NULL)
        goto fail;
    PyTuple_SET_ITEM(result, 1, item);
    PyTuple_SET_ITEM(result, 2, PyBool_FromLong(!enabled));
    Py_INCREF(args[3]);
    PyTuple_SET_ITEM(result, 3, args[3]);
    return result;
fail:
    Py_DECREF(result);
    return NULL;
}

static PyMethodDef raw_methods[] = {
    {"fast_function", (PyCFunction)(void (*)(void))fast_function, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef raw_module = {
    PyModuleDef_HEAD_INIT, .m_name = "raw", .m_size = -1, .m_methods = raw_methods,
};

PyMODINIT_FUNC
PyInit_raw(void)
{
    return PyModule_Create(&raw_module);
}
