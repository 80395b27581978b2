/* module.c -- an extension module built on an installed libpyz3.
 *
 * tests/onelib/run.sh compiles it twice per CPython: as onelib_plain (the
 * inline paths of that CPython's headers) and, with
 * -DPy_LIMITED_API=0x03080000, as onelib_abi3 (calls into the library).
 * MODULE_NAME and MODULE_INIT name the module. Both share the one loaded
 * libpyz3, so a scope opened in one is seen by the other, and each parses
 * keyword arguments through the names that libpyz3 interned.
 */
#define _GNU_SOURCE 1
#include <pyz3.h>

#include <dlfcn.h>

/* work(i, f, s, callback=None) -> (2*i, 2.0*f, s, depth, callback())
 *
 * Unwraps its arguments inside two nested scopes on top of an assumed one
 * (Python holds the GIL when it calls us), calls `callback` from the
 * innermost scope, and wraps the results. Bad arguments raise what the
 * unwraps raise, with every scope closed. */
static PyObject *
work(PyObject *self, PyObject *args)
{
    PyObject *io, *fo, *so, *callback = Py_None;
    PyObject *called = NULL, *result = NULL;
    pyz3_gil outer, inner;
    int64_t i;
    double f;
    const char *s;
    size_t len;
    unsigned int depth;

    if (!PyArg_ParseTuple(args, "OOO|O", &io, &fo, &so, &callback))
        return NULL;
    pyz3_gil_assume();
    outer = pyz3_gil_acquire();
    inner = pyz3_gil_acquire();
    depth = pyz3_gil_depth();
    if (pyz3_unwrap_i64(io, &i) < 0 || pyz3_unwrap_f64(fo, &f) < 0
        || pyz3_unwrap_str(so, &s, &len) < 0)
        goto done;
    if (callback != Py_None)
        called = PyObject_CallObject(callback, NULL);
    else
        called = pyz3_wrap_bool(false);
    if (called == NULL)
        goto done;
    result = Py_BuildValue("(NNNNO)", pyz3_wrap_i64(2 * i), pyz3_wrap_f64(2.0 * f),
                           pyz3_wrap_str(s, len), pyz3_wrap_i64(depth), called);
done:
    Py_XDECREF(called);
    pyz3_gil_release(inner);
    pyz3_gil_release(outer);
    pyz3_gil_unassume();
    return result;
}

/* call(count, ratio=0.5, *, name="none", enabled=False) -> a dict of what
 * pyz3_parse_args() made of the arguments: 2*count, ratio, name, not
 * enabled, whether a ratio other than None came, and the scope depth in
 * the body (1: the scope the caller's GIL counts as). */
struct call_args {
    int64_t count;
    double ratio;
    pyz3_str name;
    bool enabled;
    bool ratio_given;
};

static const pyz3_param call_params[] = {
    PYZ3_PARAM(struct call_args, count, PYZ3_ARG_I64),
    PYZ3_PARAM(struct call_args, ratio, PYZ3_ARG_F64,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct call_args, ratio_given), .def.f64 = 0.5),
    PYZ3_PARAM(struct call_args, name, PYZ3_ARG_STR,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY, .def.str = "none"),
    PYZ3_PARAM(struct call_args, enabled, PYZ3_ARG_BOOL,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
};

static const pyz3_names call_keys =
    PYZ3_NAMES("count", "ratio", "name", "enabled", "ratio_given", "depth");

PYZ3_FUNCTION(call, call_params, struct call_args, a)
{
    return pyz3_dict(&call_keys, pyz3_wrap_i64(2 * a->count), pyz3_wrap_f64(a->ratio),
                     pyz3_ref(a->name.obj), pyz3_wrap_bool(!a->enabled),
                     pyz3_wrap_bool(a->ratio_given), pyz3_wrap_u64(pyz3_gil_depth()));
}

/* depth() -> the number of libpyz3 scopes open on this thread. */
static PyObject *
gil_depth(PyObject *self, PyObject *unused)
{
    return pyz3_wrap_u64(pyz3_gil_depth());
}

/* library() -> the file libpyz3 was loaded from. */
static PyObject *
library(PyObject *self, PyObject *unused)
{
    Dl_info info;
    if (dladdr((void *)pyz3_version, &info) == 0 || info.dli_fname == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "dladdr found no file for libpyz3");
        return NULL;
    }
    return pyz3_wrap_cstr(info.dli_fname);
}

static PyMethodDef methods[] = {
    {"work", work, METH_VARARGS, NULL},
    PYZ3_METHOD(call, NULL),
    {"depth", gil_depth, METH_NOARGS, NULL},
    {"library", library, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, MODULE_NAME, NULL, -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
MODULE_INIT(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModule_Create(&module);
}
