/* result.c -- the results of a function: pyz3_tuple() and pyz3_dict(),
 * which release every reference they are given when one wrap failed, as
 * Python/modsupport.c builds values for Py_BuildValue().
 */
#include "args_internal.h"

PyObject *
pyz3__steal_failed(PyObject *const *items, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError,
                        "libpyz3: a NULL item without an exception to build a result from");
    return NULL;
}

PyObject *
pyz3__tuple_steal(PyObject *const *items, size_t n)
{
    PyObject *t;
    size_t i;
    if (items == NULL && n != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (items[i] == NULL)
            return pyz3__steal_failed(items, n);
    if (n > (size_t)PY_SSIZE_T_MAX || (t = PyTuple_New((Py_ssize_t)n)) == NULL)
        return pyz3__steal_failed(items, n);
    for (i = 0; i < n; i++)
        PyTuple_SetItem(t, (Py_ssize_t)i, items[i]);
    return t;
}

PyObject *
pyz3_tuple_steal(PyObject *const *items, size_t n)
{
    return pyz3__tuple_steal(items, n);
}

PyObject *
pyz3_dict_steal(const pyz3_names *keys, PyObject *const *values, size_t n)
{
    PyObject *d;
    size_t i;
    if (values == NULL && n != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (values[i] == NULL)
            return pyz3__steal_failed(values, n);
    if ((keys == NULL || keys->table == NULL || !PYZ3__TABLE_READY(keys->table))
        && pyz3__names_prepare(keys) < 0)
        return pyz3__steal_failed(values, n);
    if (n != keys->count) {
        PyErr_Format(PyExc_SystemError, "pyz3_dict_steal: %zu values for %zu keys",
                     n, keys->count);
        return pyz3__steal_failed(values, n);
    }
    if ((d = PyDict_New()) == NULL)
        return pyz3__steal_failed(values, n);
    for (i = 0; i < n; i++)
        if (PyDict_SetItem(d, keys->table->objs[i], values[i]) < 0) {
            Py_DECREF(d);
            return pyz3__steal_failed(values, n);
        }
    for (i = 0; i < n; i++)
        Py_DECREF(values[i]);
    return d;
}

PyObject *
pyz3_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
