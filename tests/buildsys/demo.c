/* demo.c -- the extension module of tests/buildsys/: the same source built
 * against an installed libpyz3 by Make, Meson, CMake and setuptools.
 */
#include <pyz3.h>

/* twice(x) -> 2*x, unwrapped and wrapped inside a libpyz3 GIL scope. A bad
 * argument raises what PyLong_AsLongLong raises. */
static PyObject *
twice(PyObject *self, PyObject *arg)
{
    PyObject *result = NULL;
    int64_t v;
    pyz3_gil g = pyz3_gil_acquire();

    if (pyz3_unwrap_i64(arg, &v) == 0)
        result = pyz3_wrap_i64(2 * v);
    pyz3_gil_release(g);
    return result;
}

/* version() -> the version of the libpyz3 that was loaded. */
static PyObject *
version(PyObject *self, PyObject *unused)
{
    return pyz3_wrap_cstr(pyz3_version());
}

static PyMethodDef methods[] = {
    {"twice", twice, METH_O, NULL},
    {"version", version, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "pyz3demo",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit_pyz3demo(void)
{
    /* Refuse, with ImportError, an interpreter this was not compiled for. */
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModule_Create(&module);
}
