/* bisect_body.h -- the body of bisect_left(a, x, lo=0, hi=None, *,
 * key=None), as the running version's Modules/_bisectmodule.c computes
 * it, and of scale(x, factor=1.0, *, unit=""), which takes a double and a
 * str, shared by every C implementation of the call-shape benchmark
 * (bench/calls/shapes.sh) so that they differ only in how they take their
 * arguments. hi is -1 for None, key NULL for None; unit is given by its
 * length in UTF-8 bytes. */
#ifndef BISECT_BODY_H
#define BISECT_BODY_H

/* From 3.12 on, CPython's _bisect calls the sequence's item slot directly
 * and, for items of x's type, x's type's comparison slot; before,
 * PySequence_GetItem() and PyObject_RichCompareBool() each time. The body
 * does as the running version's does, less the recursion guard that 3.12's
 * also takes: the interpreter inlines it, an extension pays two calls for
 * it (70 instructions a call on 3.13), which would be counted against the
 * parser. */
#define BISECT_SLOTS (PY_VERSION_HEX >= 0x030C0000)

static PyObject *
sequence_item(PyObject *a, Py_ssize_t i)
{
    return PySequence_GetItem(a, i);
}

/* item < x: 1, 0, or -1 with an exception. *cmp is x's type's comparison,
 * NULL once it has answered NotImplemented. */
static int
item_less(PyObject *item, PyObject *x, richcmpfunc *cmp)
{
    PyObject *r;
    int less;

    if (!BISECT_SLOTS || *cmp == NULL || Py_TYPE(item) != Py_TYPE(x))
        return PyObject_RichCompareBool(item, x, Py_LT);
    r = (*cmp)(item, x, Py_LT);
    if (r == Py_True || r == Py_False) {
        less = r == Py_True;
        Py_DECREF(r);
        return less;
    }
    if (r == NULL)
        return -1;
    if (r == Py_NotImplemented) {
        Py_DECREF(r);
        *cmp = NULL;
        return PyObject_RichCompareBool(item, x, Py_LT);
    }
    less = PyObject_IsTrue(r);
    Py_DECREF(r);
    return less;
}

static PyObject *
bisect_left_body(PyObject *a, PyObject *x, Py_ssize_t lo, Py_ssize_t hi, PyObject *key)
{
    PySequenceMethods *seq = Py_TYPE(a)->tp_as_sequence;
    ssizeargfunc item_of = BISECT_SLOTS && seq != NULL && seq->sq_item != NULL
                               ? seq->sq_item : sequence_item;
    richcmpfunc cmp = Py_TYPE(x)->tp_richcompare;
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
        item = item_of(a, mid);
        if (item == NULL)
            return NULL;
        if (key != NULL) {
            k = PyObject_CallFunctionObjArgs(key, item, NULL);
            Py_DECREF(item);
            if (k == NULL)
                return NULL;
            item = k;
        }
        less = item_less(item, x, &cmp);
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
