/* bisect_body.h -- the body of bisect_left(a, x, lo=0, hi=None, *,
 * key=None), as CPython's Modules/_bisect.c computes it, and of
 * scale(x, factor=1.0, *, unit=""), which takes a double and a str, shared
 * by every C implementation of the call-shape benchmark
 * (bench/calls/shapes.sh) so that they differ only in how they take their
 * arguments. hi is -1 for None, key NULL for None; unit is given by its
 * length in UTF-8 bytes. */
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

static PyObject *
scale_body(double x, double factor, size_t unit_len)
{
    return PyFloat_FromDouble(x * factor + (double)unit_len);
}

#endif
