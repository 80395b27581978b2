/* use.c -- every macro and inline function of the public headers, used
 * once: `make check` compiles this file with each C compiler in C11, C17
 * and C23 and, as C++, with each C++ compiler in C++17 and C++20, all
 * warnings as errors (the check-headers rule of Makefile.am). Written in
 * the subset of C that is also C++. The body leaves `self` unused, as most
 * do.
 */
#include <pyz3.h>

struct use_args {
    int64_t count;
    double ratio;
    bool enabled;
    pyz3_str name;
    PyObject *extra;
    bool has_name;
};

static const pyz3_param use_params[] = {
    PYZ3_PARAM(struct use_args, count, PYZ3_ARG_I64),
    PYZ3_PARAM(struct use_args, ratio, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL,
               PYZ3_PARAM_DEFAULT(f64, 0.5)),
    PYZ3_PARAM(struct use_args, enabled, PYZ3_ARG_BOOL, PYZ3_ARG_OPTIONAL,
               PYZ3_PARAM_DEFAULT(b, true)),
    PYZ3_PARAM(struct use_args, name, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               PYZ3_PARAM_GIVEN(struct use_args, has_name), PYZ3_PARAM_DEFAULT(str, "x")),
    PYZ3_PARAM(struct use_args, extra, PYZ3_ARG_OBJECT,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK),
};

static const pyz3_names use_keys = PYZ3_NAMES("count", "name");

PYZ3_FUNCTION(use_all, use_params, struct use_args, a)
{
    pyz3_gil gil = pyz3_gil_acquire();
    pyz3_unlock unlock;
    PyObject *result;
    int64_t i;
    uint64_t u;
    double f;
    bool b;
    const char *s;
    size_t len;

    if (pyz3_unwrap_i64(a->extra ? a->extra : Py_None, &i) < 0
        || pyz3_unwrap_u64(Py_None, &u) < 0 || pyz3_unwrap_f64(Py_None, &f) < 0
        || pyz3_unwrap_bool(Py_None, &b) < 0 || pyz3_unwrap_str(Py_None, &s, &len) < 0)
        PyErr_Clear();
    unlock = pyz3_gil_unlock();
    pyz3_gil_relock(unlock);
    result = pyz3_tuple(pyz3_wrap(a->count), pyz3_wrap(a->ratio), pyz3_wrap(a->enabled),
                        pyz3_wrap_str(a->name.utf8, a->name.len), pyz3_ref(Py_None));
    if (result != NULL && a->has_name) {
        Py_DECREF(result);
        result = pyz3_dict(&use_keys, pyz3_wrap((unsigned int)1u), pyz3_wrap("name"));
    }
    pyz3_gil_release(gil);
    return result;
}

static PyMethodDef use_methods[] = {
    PYZ3_METHOD(use_all, "Every part of the API, once."),
    { NULL, NULL, 0, NULL },
};

PyMethodDef *use_table(void);

PyMethodDef *
use_table(void)
{
    void *block = pyz3_alloc(16);
    pyz3_free(block);
    return use_methods;
}
