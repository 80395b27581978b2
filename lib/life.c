/* life.c -- hooks on the end of an interpreter's life, for the units that
 * keep Python objects between calls (pool.c, args.c). It holds no object
 * itself.
 */
#include "internal.h"

int
pyz3__on_finalize(PyMethodDef *def)
{
    PyObject *atexit, *func, *res;
    atexit = PyImport_ImportModule("atexit");
    if (atexit == NULL)
        return -1;
    func = PyCFunction_NewEx(def, NULL, NULL);
    if (func == NULL) {
        Py_DECREF(atexit);
        return -1;
    }
    res = PyObject_CallMethod(atexit, "register", "O", func);
    Py_DECREF(func);
    Py_DECREF(atexit);
    if (res == NULL)
        return -1;
    Py_DECREF(res);
    return 0;
}

int
pyz3__after_finalize(void (*func)(void))
{
    if (Py_AtExit(func) < 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "libpyz3: no room left for a Py_AtExit() function");
        return -1;
    }
    return 0;
}
