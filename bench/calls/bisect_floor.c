/* bisect_floor.c -- the interpreter's own part of each call shape:
 * bisect_left() and scale() as METH_FASTCALL | METH_KEYWORDS functions
 * that look at no argument and return None. What shapes.sh counts for
 * this module is what every implementation pays before its parsing
 * starts (the CALL or CALL_KW instruction, the vectorcall dispatch, the
 * result's decref), so that the keyword calls' cost can be split into the
 * interpreter's and the parser's. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
nothing(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)module;
    (void)args;
    (void)nargs;
    (void)kwnames;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    { "bisect_left", (PyCFunction)(void (*)(void))nothing, METH_FASTCALL | METH_KEYWORDS,
      NULL },
    { "scale", (PyCFunction)(void (*)(void))nothing, METH_FASTCALL | METH_KEYWORDS, NULL },
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "bis_floor", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC
PyInit_bis_floor(void)
{
    PyObject *m = PyModule_Create(&module);
    /* shapes.py checks no result of a module that parses nothing. */
    if (m != NULL && PyModule_AddIntConstant(m, "PARSES_NOTHING", 1) < 0)
        Py_CLEAR(m);
    return m;
}
