/* bisect_pyz3.c -- bisect_left(a, x, lo=0, hi=None, *, key=None) with
 * libpyz3's parser: the call-shape benchmark's subject. */
#include <pyz3.h>

#include "bisect_body.h"

struct bisect_args {
    PyObject *a;
    PyObject *x;
    Py_ssize_t lo;
    Py_ssize_t hi;
    PyObject *key;
};

static const pyz3_param bisect_params[] = {
    PYZ3_PARAM(struct bisect_args, a, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct bisect_args, x, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct bisect_args, lo, PYZ3_ARG_SSIZE, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct bisect_args, hi, PYZ3_ARG_SSIZE_OR_NONE, PYZ3_ARG_OPTIONAL,
               .def.i64 = -1),
    PYZ3_PARAM(struct bisect_args, key, PYZ3_ARG_OBJECT,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK),
};

PYZ3_FUNCTION(bisect_left, bisect_params, struct bisect_args, p)
{
    return bisect_left_body(p->a, p->x, p->lo, p->hi, p->key);
}

static PyMethodDef methods[] = {
    PYZ3_METHOD(bisect_left, NULL),
    { NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "bis_pyz3", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC
PyInit_bis_pyz3(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModule_Create(&module);
}
