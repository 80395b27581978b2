/* bisect_body.h -- the body of bisect_left(a, x, lo=0, hi=None, *,
 * key=None), as CPython's Modules/_bisect.c computes it, shared by every
 * C implementation of the call-shape benchmark (bench/calls/shapes.sh) so
 * that they differ only in how they take their arguments. hi is -1 for
 * None, key NULL for None. */
#ifndef BISECT_BODY_H
#define BISECT_BODY_H

static PyObject *
bisect_left_body(PyObject *a, PyObject *x, Py_ssize_t lo, Py_ssize_t hi, PyObject *key)
{
    PyObject *item, *k;
    Py_ssize_t mid;
    int less;

    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "lo must be non-negative");
        return NULL;
    }
    if (hi == -1 && (hi = PySequence_Size(a)) < 0)
        return NULL;
    while (lo < hi) {
        mid = (Py_ssize_t)(((size_t)lo + (size_t)hi) / 2);
        item = PySequence_GetItem(a, mid);
        if (item == NULL)
            return NULL;
        if (key != NULL) {
            k = PyObject_CallFunctionObjArgs(key, item, NULL);
            Py_DECREF(item);
            if (k == NULL)
                return NULL;
            item = k;
        }
        less = PyObject_RichCompareBool(item, x, Py_LT);
        Py_DECREF(item);
        if (less < 0)
            return NULL;
        if (less)
            lo = mid + 1;
        else
            hi = mid;
    }
    return PyLong_FromSsize_t(lo);
}

#endif
