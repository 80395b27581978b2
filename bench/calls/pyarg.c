/* pyarg.c -- fast_function() with PyArg_ParseTupleAndKeywords() and
 * Py_BuildValue(), for bench/calls/run.sh. As is, `name` comes as the str
 * object ("U", its UTF-8 from PyUnicode_AsUTF8AndSize()) and goes back as
 * it ("O"); with -DPYARG_UTF8 (module pyarg_utf8) it comes as UTF-8 ("s#")
 * and goes back as UTF-8 ("s#"), a new str. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
fast_function(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = { "count", "ratio", "enabled", "name", NULL };
    long long count;
    double ratio;
    int enabled;
    Py_ssize_t len;
#ifdef PYARG_UTF8
    const char *name;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "Ldps#:fast_function", keywords,
                                     &count, &ratio, &enabled, &name, &len))
        return NULL;
    return Py_BuildValue("(LdOs#)", 2 * count, 2.0 * ratio,
                         enabled ? Py_False : Py_True, name, len);
#else
    PyObject *name;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "LdpU:fast_function", keywords,
                                     &count, &ratio, &enabled, &name))
        return NULL;
    if (PyUnicode_AsUTF8AndSize(name, &len) == NULL)
        return NULL;
    return Py_BuildValue("(LdOO)", 2 * count, 2.0 * ratio,
                         enabled ? Py_False : Py_True, name);
#endif
}

static PyMethodDef pyarg_methods[] = {
    {"fast_function", (PyCFunction)(void (*)(void))fast_function,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

#ifdef PYARG_UTF8
#  define PYARG_NAME "pyarg_utf8"
#  define PYARG_INIT PyInit_pyarg_utf8
#else
#  define PYARG_NAME "pyarg"
#  define PYARG_INIT PyInit_pyarg
#endif

static struct PyModuleDef pyarg_module = {
    PyModuleDef_HEAD_INIT, .m_name = PYARG_NAME, .m_size = -1, .m_methods = pyarg_methods,
};

PyMODINIT_FUNC
PYARG_INIT(void)
{
    return PyModule_Create(&pyarg_module);
}
