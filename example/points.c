/* points.c -- an example module of libpyz3's argument parser on a type and
 * on a port of CPython's _bisect:
 *
 *   Point(x, y=0.0)                  a point; its constructor is the
 *                                    type's tp_vectorcall (3.9 on), so
 *                                    Point(x=1, y=2) makes no tuple or dict
 *   Point.scaled(factor, /, *, ndigits=None)
 *                                    the point times factor, rounded
 *   Point.distance(other)            the distance to another Point
 *   bisect_left(a, x, lo=0, hi=None, *, key=None)
 *                                    as bisect.bisect_left()
 *   checksum(data, /, start=0)       the sum of the bytes of a bytes-like
 *                                    object, plus start, modulo 2**32
 *
 * Every docstring starts with the signature the parameters make, so that
 * inspect.signature() and help() show them. */
#include <math.h>

#include <pyz3.h>

typedef struct {
    PyObject_HEAD
    double x, y;
} PointObject;

static PyTypeObject Point_Type;

/* Point(x, y=0.0) */
struct point_args {
    double x, y;
};

static const pyz3_param point_params[] = {
    PYZ3_PARAM(struct point_args, x, PYZ3_ARG_F64),
    PYZ3_PARAM(struct point_args, y, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL),
};

static PyObject *
point_make(PyTypeObject *type, double x, double y)
{
    PointObject *p = (PointObject *)type->tp_alloc(type, 0);
    if (p == NULL)
        return NULL;
    p->x = x;
    p->y = y;
    return (PyObject *)p;
}

PYZ3_CONSTRUCTOR(point, "Point", point_params, struct point_args, a)
{
    return point_make(type, a->x, a->y);
}

/* Point.scaled(factor, /, *, ndigits=None) */
struct scaled_args {
    double factor;
    Py_ssize_t ndigits;
    bool round;
};

static const pyz3_param scaled_params[] = {
    PYZ3_PARAM(struct scaled_args, factor, PYZ3_ARG_F64, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct scaled_args, ndigits, PYZ3_ARG_SSIZE_OR_NONE,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY, .given = PYZ3_GIVEN(struct scaled_args, round),
               .def.i64 = -1),
};

static double
rounded(double v, Py_ssize_t ndigits)
{
    double scale = pow(10.0, (double)ndigits);
    return round(v * scale) / scale;
}

PYZ3_FUNCTION(scaled, scaled_params, struct scaled_args, a)
{
    PointObject *p = (PointObject *)self;
    double x = p->x * a->factor, y = p->y * a->factor;
    if (a->round) {
        x = rounded(x, a->ndigits);
        y = rounded(y, a->ndigits);
    }
    return point_make(Py_TYPE(self), x, y);
}

/* Point.distance(other) */
struct distance_args {
    PyObject *other;
};

static const pyz3_param distance_params[] = {
    PYZ3_PARAM(struct distance_args, other, PYZ3_ARG_OBJECT_OF, .cls = &Point_Type),
};

PYZ3_FUNCTION(distance, distance_params, struct distance_args, a)
{
    PointObject *p = (PointObject *)self, *q = (PointObject *)a->other;
    return pyz3_wrap_f64(hypot(p->x - q->x, p->y - q->y));
}

static PyObject *
point_repr(PyObject *self)
{
    PointObject *p = (PointObject *)self;
    PyObject *x = PyFloat_FromDouble(p->x), *y = PyFloat_FromDouble(p->y), *r = NULL;
    if (x != NULL && y != NULL)
        r = PyUnicode_FromFormat("Point(%R, %R)", x, y);
    Py_XDECREF(x);
    Py_XDECREF(y);
    return r;
}

static PyObject *
point_get(PyObject *self, void *which)
{
    PointObject *p = (PointObject *)self;
    return pyz3_wrap_f64(which != NULL ? p->y : p->x);
}

static PyGetSetDef point_getset[] = {
    { "x", point_get, NULL, "the first coordinate", NULL },
    { "y", point_get, NULL, "the second coordinate", (void *)1 },
    { NULL, NULL, NULL, NULL, NULL },
};

static PyMethodDef point_methods[] = {
    PYZ3_METHOD(scaled, "Return the point times factor, rounded to ndigits if given."),
    PYZ3_METHOD(distance, "Return the distance to another Point."),
    { NULL, NULL, 0, NULL },
};

static PyTypeObject Point_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "points.Point",
    .tp_basicsize = sizeof(PointObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_repr = point_repr,
    .tp_methods = point_methods,
    .tp_getset = point_getset,
    .tp_new = point_new,
};

/* bisect_left(a, x, lo=0, hi=None, *, key=None), as CPython's _bisect. */
struct bisect_args {
    PyObject *a, *x;
    Py_ssize_t lo, hi;
    PyObject *key;
};

static const pyz3_param bisect_params[] = {
    PYZ3_PARAM(struct bisect_args, a, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct bisect_args, x, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct bisect_args, lo, PYZ3_ARG_SSIZE, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct bisect_args, hi, PYZ3_ARG_SSIZE_OR_NONE, PYZ3_ARG_OPTIONAL, .def.i64 = -1),
    PYZ3_PARAM(struct bisect_args, key, PYZ3_ARG_OBJECT,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK),
};

PYZ3_FUNCTION(bisect_left, bisect_params, struct bisect_args, p)
{
    Py_ssize_t lo = p->lo, hi = p->hi, mid;
    PyObject *item, *k;
    int less;
    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "lo must be non-negative");
        return NULL;
    }
    if (hi == -1 && (hi = PySequence_Size(p->a)) < 0)
        return NULL;
    while (lo < hi) {
        mid = (Py_ssize_t)(((size_t)lo + (size_t)hi) / 2);
        if ((item = PySequence_GetItem(p->a, mid)) == NULL)
            return NULL;
        if (p->key != NULL) {
            k = PyObject_CallFunctionObjArgs(p->key, item, NULL);
            Py_DECREF(item);
            if ((item = k) == NULL)
                return NULL;
        }
        less = PyObject_RichCompareBool(item, p->x, Py_LT);
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

/* checksum(data, /, start=0) */
struct checksum_args {
    Py_buffer data;
    uint32_t start;
};

static const pyz3_param checksum_params[] = {
    PYZ3_PARAM(struct checksum_args, data, PYZ3_ARG_BUFFER, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct checksum_args, start, PYZ3_ARG_U32, PYZ3_ARG_OPTIONAL),
};

PYZ3_FUNCTION(checksum, checksum_params, struct checksum_args, a)
{
    const unsigned char *bytes = (const unsigned char *)a->data.buf;
    uint32_t sum = a->start;
    Py_ssize_t i;
    for (i = 0; i < a->data.len; i++)
        sum += bytes[i];
    return PyLong_FromUnsignedLong(sum);
}

static PyMethodDef points_methods[] = {
    PYZ3_METHOD(bisect_left, "Return the index where to insert x in the sorted a."),
    PYZ3_METHOD(checksum, "Return the sum of the bytes of data, plus start, modulo 2**32."),
    { NULL, NULL, 0, NULL },
};

static int
points_exec(PyObject *module)
{
    if (PyType_Ready(&Point_Type) < 0)
        return -1;
    Py_INCREF(&Point_Type);
    if (PyModule_AddObject(module, "Point", (PyObject *)&Point_Type) < 0) {
        Py_DECREF(&Point_Type);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot points_slots[] = {
    { Py_mod_exec, points_exec },
#ifdef Py_mod_gil
    { Py_mod_gil, Py_MOD_GIL_NOT_USED },
#endif
    { 0, NULL },
};

static struct PyModuleDef points_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "points",
    .m_doc = "libpyz3's argument parser on a type, and on a port of _bisect.",
    .m_size = 0,
    .m_methods = points_methods,
    .m_slots = points_slots,
};

PyMODINIT_FUNC
PyInit_points(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    /* The signatures come from the parameters: none is written by hand. */
    if (Point_Type.tp_doc == NULL
        && (Point_Type.tp_doc = pyz3_signature("Point", &pyz3__params_point, "",
                                               "A point of the plane.")) == NULL)
        return NULL;
    if (PYZ3_SIGN(points_methods, bisect_left, "$module") < 0
        || PYZ3_SIGN(points_methods, checksum, "$module") < 0
        || PYZ3_SIGN(point_methods, scaled, "$self") < 0
        || PYZ3_SIGN(point_methods, distance, "$self") < 0)
        return NULL;
#if PY_VERSION_HEX >= 0x03090000
    /* From 3.9, calling the type takes its tp_vectorcall. */
    Point_Type.tp_vectorcall = point_vectorcall;
#endif
    return PyModuleDef_Init(&points_module);
}
