/* bisect_pyz3.c -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
 * scale(x, factor=1.0, *, unit="") with libpyz3's parser: the call-shape
 * benchmark's subject. */
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

struct scale_args {
    double x;
    double factor;
    pyz3_str unit;
};

static const pyz3_param scale_params[] = {
    PYZ3_PARAM(struct scale_args, x, PYZ3_ARG_F64),
    PYZ3_PARAM(struct scale_args, factor, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL, .def.f64 = 1.0),
    PYZ3_PARAM(struct scale_args, unit, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               .def.str = ""),
};

PYZ3_FUNCTION(scale, scale_params, struct scale_args, p)
{
    return scale_body(p->x, p->factor, p->unit.len);
}

static PyMethodDef methods[] = {
    PYZ3_METHOD(bisect_left, NULL),
    PYZ3_METHOD(scale, NULL),
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
