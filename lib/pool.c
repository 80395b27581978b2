/* pool.c -- object pooling.
 *
 * Owns the pooled objects and their lifetime. The pool is filled lazily,
 * under the GIL, in the interpreter that first uses it. Two hooks tie it to
 * that interpreter: a Python atexit callback gives the references back
 * while the interpreter can still take them, and a Py_AtExit() function
 * forgets the pool once the interpreter is gone, so that a new
 * Py_Initialize() gets a fresh fill and never a stale object.
 */
#include <string.h>

#include "internal.h"

PyObject *pyz3__pool_ints[PYZ3__POOL_INTS];

static const double pyz3__pool_float_values[] = { 0.0, 1.0, -1.0, 0.5 };
static const char *const pyz3__pool_str_values[] = { "", "None", "True", "False" };

#define PYZ3__NFLOATS (sizeof(pyz3__pool_float_values) / sizeof(double))
#define PYZ3__NSTRS   (sizeof(pyz3__pool_str_values) / sizeof(char *))

#define PYZ3__HOOK_C       1   /* Py_AtExit(pyz3__pool_forget) */
#define PYZ3__HOOK_PYTHON  2   /* atexit.register(_pyz3_pool_fini) */

static struct {
    int filled;
    int exit_hooks;             /* PYZ3__HOOK_* registered this life */
    PyObject *empty_tuple;
    PyObject *floats[PYZ3__NFLOATS];
    PyObject *strs[PYZ3__NSTRS];
} pyz3__pool;

/* After Py_FinalizeEx(): every pooled object belonged to the interpreter
 * that is gone. Forget them without touching them. */
static void
pyz3__pool_forget(void)
{
    memset(pyz3__pool_ints, 0, sizeof(pyz3__pool_ints));
    memset(&pyz3__pool, 0, sizeof(pyz3__pool));
}

static PyObject *
pyz3__pool_atexit(PyObject *self, PyObject *unused)
{
    pyz3_pool_fini();
    Py_RETURN_NONE;
}

static PyMethodDef pyz3__pool_atexit_def = {
    "_pyz3_pool_fini", pyz3__pool_atexit, METH_NOARGS,
    "Give back libpyz3's pooled objects before the interpreter finalizes.",
};

/* Register the two exit hooks once per interpreter life: 0 or -1 with an
 * exception. */
static int
pyz3__pool_hook_exit(void)
{
    PyObject *atexit, *func, *res;
    if (!(pyz3__pool.exit_hooks & PYZ3__HOOK_C)) {
        if (Py_AtExit(pyz3__pool_forget) < 0) {
            PyErr_SetString(PyExc_RuntimeError,
                            "libpyz3: no room left for a Py_AtExit() function");
            return -1;
        }
        pyz3__pool.exit_hooks |= PYZ3__HOOK_C;
    }
    if (pyz3__pool.exit_hooks & PYZ3__HOOK_PYTHON)
        return 0;
    atexit = PyImport_ImportModule("atexit");
    if (atexit == NULL)
        return -1;
    func = PyCFunction_NewEx(&pyz3__pool_atexit_def, NULL, NULL);
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
    pyz3__pool.exit_hooks |= PYZ3__HOOK_PYTHON;
    return 0;
}

int
pyz3_pool_init(void)
{
    PyObject *o;
    size_t i;
    if (pyz3__pool.filled)
        return 0;
    /* Nothing below releases the GIL until the pool is complete. */
    for (i = 0; i < PYZ3__POOL_INTS; i++) {
        o = PyLong_FromLong((long)i + PYZ3__POOL_INT_MIN);
        if (o == NULL)
            goto fail;
        pyz3__pool_ints[i] = o;
    }
    if ((pyz3__pool.empty_tuple = PyTuple_New(0)) == NULL)
        goto fail;
    for (i = 0; i < PYZ3__NFLOATS; i++)
        if ((pyz3__pool.floats[i] = PyFloat_FromDouble(pyz3__pool_float_values[i])) == NULL)
            goto fail;
    for (i = 0; i < PYZ3__NSTRS; i++)
        if ((pyz3__pool.strs[i] = PyUnicode_InternFromString(pyz3__pool_str_values[i])) == NULL)
            goto fail;
    pyz3__pool.filled = 1;
    /* May run Python code (an import) and release the GIL: the pool is
     * complete by now. */
    if (pyz3__pool_hook_exit() < 0) {
        pyz3_pool_fini();
        return -1;
    }
    return 0;
fail:
    pyz3_pool_fini();
    return -1;
}

void
pyz3_pool_fini(void)
{
    size_t i;
    for (i = 0; i < PYZ3__POOL_INTS; i++)
        Py_CLEAR(pyz3__pool_ints[i]);
    Py_CLEAR(pyz3__pool.empty_tuple);
    for (i = 0; i < PYZ3__NFLOATS; i++)
        Py_CLEAR(pyz3__pool.floats[i]);
    for (i = 0; i < PYZ3__NSTRS; i++)
        Py_CLEAR(pyz3__pool.strs[i]);
    pyz3__pool.filled = 0;
}

PyObject *
pyz3__pool_int_fill(int64_t v)
{
    PyObject *o;
    if (pyz3_pool_init() < 0) {
        /* CPython caches these ints itself: hand out its object. */
        PyErr_Clear();
        return PyLong_FromLongLong(v);
    }
    o = pyz3__pool_ints[v - PYZ3__POOL_INT_MIN];
    Py_INCREF(o);
    return o;
}

PyObject *
(pyz3_pool_int)(int64_t v)
{
    PyObject *o;
    if ((uint64_t)v - (uint64_t)PYZ3__POOL_INT_MIN >= PYZ3__POOL_INTS)
        return NULL;
    o = pyz3__pool_ints[v - PYZ3__POOL_INT_MIN];
    if (o == NULL)
        return pyz3__pool_int_fill(v);
    Py_INCREF(o);
    return o;
}

PyObject *
pyz3_pool_empty_tuple(void)
{
    if (pyz3_pool_init() < 0)
        return NULL;
    Py_INCREF(pyz3__pool.empty_tuple);
    return pyz3__pool.empty_tuple;
}

PyObject *
pyz3_pool_new_dict(void)
{
    return PyDict_New();
}

PyObject *
pyz3_pool_new_list(void)
{
    return PyList_New(0);
}

/* The pooled object at index i of `objs`, or NULL (a miss) when the pool
 * cannot be filled: a miss sets no exception. */
static PyObject *
pyz3__pool_hit(PyObject *const *objs, size_t i)
{
    if (!pyz3__pool.filled && pyz3_pool_init() < 0) {
        PyErr_Clear();
        return NULL;
    }
    Py_INCREF(objs[i]);
    return objs[i];
}

PyObject *
pyz3_pool_float(double v)
{
    uint64_t bits, value;
    size_t i;
    memcpy(&bits, &v, sizeof(bits));
    for (i = 0; i < PYZ3__NFLOATS; i++) {
        memcpy(&value, &pyz3__pool_float_values[i], sizeof(value));
        if (bits == value)
            return pyz3__pool_hit(pyz3__pool.floats, i);
    }
    return NULL;
}

PyObject *
pyz3_pool_str(const char *s, size_t len)
{
    size_t i;
    if (s == NULL && len != 0)
        return NULL;
    /* The pooled strings have distinct lengths but for "None"/"True". */
    switch (len) {
    case 0:
        return pyz3__pool_hit(pyz3__pool.strs, 0);
    case 4:
        i = memcmp(s, "None", 4) == 0 ? 1 : memcmp(s, "True", 4) == 0 ? 2 : 0;
        break;
    case 5:
        i = memcmp(s, "False", 5) == 0 ? 3 : 0;
        break;
    default:
        return NULL;
    }
    return i != 0 ? pyz3__pool_hit(pyz3__pool.strs, i) : NULL;
}
