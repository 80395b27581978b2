/* fastpath_bench.c -- primitives in and out of Python through the fast
 * paths: an extension module written with libpyz3.
 *
 *     cc -O2 -DNDEBUG -fPIC -shared fastpath_bench.c \
 *        -o fastpath_bench$(python3 -c 'import sysconfig;
 *            print(sysconfig.get_config_var("EXT_SUFFIX"))') \
 *        $(pkg-config --cflags --libs pyz3)
 *     python3 -c 'import fastpath_bench as m; print(m.fast_function(21, 1.5, True, "hi"))'
 *
 * Each function but process_data() describes its parameters in a table and
 * is defined with PYZ3_FUNCTION: the arguments, positional or by keyword,
 * arrive converted in a struct, and a bad call raises what CPython raises.
 */
#include <pyz3.h>

/* 2*x as an int, or OverflowError when it leaves the 64-bit range: the
 * results are int64_t, and C does not check its arithmetic. */
static PyObject *
wrap_twice(int64_t x)
{
    if (x > INT64_MAX / 2 || x < INT64_MIN / 2) {
        PyErr_SetString(PyExc_OverflowError, "result out of range for a 64-bit integer");
        return NULL;
    }
    return pyz3_wrap_i64(2 * x);
}

/* return_i64(x) -> 2*x */
struct return_i64_args {
    int64_t x;
};

static const pyz3_param return_i64_params[] = {
    PYZ3_PARAM(struct return_i64_args, x, PYZ3_ARG_I64),
};

PYZ3_FUNCTION(return_i64, return_i64_params, struct return_i64_args, a)
{
    return wrap_twice(a->x);
}

/* return_f64(x) -> 2.0*x */
struct return_f64_args {
    double x;
};

static const pyz3_param return_f64_params[] = {
    PYZ3_PARAM(struct return_f64_args, x, PYZ3_ARG_F64),
};

PYZ3_FUNCTION(return_f64, return_f64_params, struct return_f64_args, a)
{
    return pyz3_wrap_f64(2.0 * a->x);
}

/* return_bool(b) -> not b */
struct return_bool_args {
    bool b;
};

static const pyz3_param return_bool_params[] = {
    PYZ3_PARAM(struct return_bool_args, b, PYZ3_ARG_BOOL),
};

PYZ3_FUNCTION(return_bool, return_bool_params, struct return_bool_args, a)
{
    return pyz3_wrap_bool(!a->b);
}

/* return_string(s) -> s: the str object itself, not a copy of its text. */
struct return_string_args {
    pyz3_str s;
};

static const pyz3_param return_string_params[] = {
    PYZ3_PARAM(struct return_string_args, s, PYZ3_ARG_STR),
};

PYZ3_FUNCTION(return_string, return_string_params, struct return_string_args, a)
{
    return pyz3_ref(a->s.obj);
}

/* mixed_types(int_val, float_val, bool_val, str_val) -> a dict of the four
 * results; its keys are interned once. */
struct mixed_types_args {
    int64_t int_val;
    double float_val;
    bool bool_val;
    pyz3_str str_val;
};

static const pyz3_param mixed_types_params[] = {
    PYZ3_PARAM(struct mixed_types_args, int_val, PYZ3_ARG_I64),
    PYZ3_PARAM(struct mixed_types_args, float_val, PYZ3_ARG_F64),
    PYZ3_PARAM(struct mixed_types_args, bool_val, PYZ3_ARG_BOOL),
    PYZ3_PARAM(struct mixed_types_args, str_val, PYZ3_ARG_STR),
};

static pyz3_names mixed_types_keys =
    PYZ3_NAMES("int_result", "float_result", "bool_result", "str_result");

PYZ3_FUNCTION(mixed_types, mixed_types_params, struct mixed_types_args, a)
{
    return pyz3_dict(&mixed_types_keys,
                     wrap_twice(a->int_val),
                     pyz3_wrap_f64(2.0 * a->float_val),
                     pyz3_wrap_bool(!a->bool_val),
                     pyz3_ref(a->str_val.obj));
}

/* optional_int(x) -> None if x is None, else 2*x */
struct optional_int_args {
    int64_t x;
    bool has_x;             /* false when x is None */
};

static const pyz3_param optional_int_params[] = {
    PYZ3_PARAM(struct optional_int_args, x, PYZ3_ARG_I64, PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct optional_int_args, has_x)),
};

PYZ3_FUNCTION(optional_int, optional_int_params, struct optional_int_args, a)
{
    if (!a->has_x)
        Py_RETURN_NONE;
    return wrap_twice(a->x);
}

/* error_union_int(x, fail) -> 2*x, or RuntimeError when fail is true */
struct error_union_int_args {
    int64_t x;
    bool fail;
};

static const pyz3_param error_union_int_params[] = {
    PYZ3_PARAM(struct error_union_int_args, x, PYZ3_ARG_I64),
    PYZ3_PARAM(struct error_union_int_args, fail, PYZ3_ARG_BOOL),
};

PYZ3_FUNCTION(error_union_int, error_union_int_params, struct error_union_int_args, a)
{
    if (a->fail) {
        PyErr_SetString(PyExc_RuntimeError, "error_union_int() failed as asked");
        return NULL;
    }
    return wrap_twice(a->x);
}

/* fast_function(count, ratio, enabled, name)
 *     -> (2*count, 2.0*ratio, not enabled, name) */
struct fast_function_args {
    int64_t count;
    double ratio;
    bool enabled;
    pyz3_str name;
};

static const pyz3_param fast_function_params[] = {
    PYZ3_PARAM(struct fast_function_args, count, PYZ3_ARG_I64),
    PYZ3_PARAM(struct fast_function_args, ratio, PYZ3_ARG_F64),
    PYZ3_PARAM(struct fast_function_args, enabled, PYZ3_ARG_BOOL),
    PYZ3_PARAM(struct fast_function_args, name, PYZ3_ARG_STR),
};

PYZ3_FUNCTION(fast_function, fast_function_params, struct fast_function_args, a)
{
    return pyz3_tuple(wrap_twice(a->count),
                      pyz3_wrap_f64(2.0 * a->ratio),
                      pyz3_wrap_bool(!a->enabled),
                      pyz3_ref(a->name.obj));
}

/* process_data(*values) -> the sum of 2*v for every value
 *
 * Any number of positional arguments, so no parameter table: the values
 * are read one by one into a working buffer from the allocator. The
 * function counts as a GIL scope that Python holds, so the allocator does
 * not call PyGILState_Ensure. */
static PyObject *
process_data(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *result = NULL;
    int64_t *buffer, sum = 0;
    Py_ssize_t i;

    pyz3_gil_assume();
    buffer = pyz3_alloc((size_t)nargs * sizeof(*buffer));
    if (buffer == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < nargs; i++) {
        int64_t v;
        if (pyz3_unwrap_i64(args[i], &v) < 0)
            goto done;
        if (v > INT64_MAX / 2 || v < INT64_MIN / 2)
            goto overflow;
        buffer[i] = 2 * v;
        if (buffer[i] > 0 ? sum > INT64_MAX - buffer[i] : sum < INT64_MIN - buffer[i])
            goto overflow;
        sum += buffer[i];
    }
    result = pyz3_wrap_i64(sum);
    goto done;
overflow:
    PyErr_SetString(PyExc_OverflowError, "result out of range for a 64-bit integer");
done:
    pyz3_free(buffer);
    pyz3_gil_unassume();
    return result;
}

static PyMethodDef fastpath_bench_methods[] = {
    PYZ3_METHOD(return_i64, "return_i64($module, /, x)\n--\n\nReturn 2*x."),
    PYZ3_METHOD(return_f64, "return_f64($module, /, x)\n--\n\nReturn 2.0*x."),
    PYZ3_METHOD(return_bool, "return_bool($module, /, b)\n--\n\nReturn not b."),
    PYZ3_METHOD(return_string, "return_string($module, /, s)\n--\n\nReturn s."),
    PYZ3_METHOD(mixed_types,
                "mixed_types($module, /, int_val, float_val, bool_val, str_val)\n--\n\n"
                "Return a dict of the four values, each converted and back."),
    PYZ3_METHOD(optional_int,
                "optional_int($module, /, x)\n--\n\nReturn None if x is None, else 2*x."),
    PYZ3_METHOD(error_union_int,
                "error_union_int($module, /, x, fail)\n--\n\n"
                "Return 2*x, or raise RuntimeError if fail is true."),
    PYZ3_METHOD(fast_function,
                "fast_function($module, /, count, ratio, enabled, name)\n--\n\n"
                "Return (2*count, 2.0*ratio, not enabled, name)."),
    {"process_data", (PyCFunction)(void (*)(void))process_data, PYZ3_METH_FASTCALL,
     "process_data($module, /, *values)\n--\n\nReturn the sum of 2*v for every value."},
    {NULL, NULL, 0, NULL},
};

/* Every function is safe to run in parallel: a free-threaded CPython
 * keeps its GIL off when it imports this module. */
static PyModuleDef_Slot fastpath_bench_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef fastpath_bench_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "fastpath_bench",
    .m_doc = "libpyz3's fast paths for primitives, function by function.",
    .m_size = 0,
    .m_methods = fastpath_bench_methods,
    .m_slots = fastpath_bench_slots,
};

PyMODINIT_FUNC
PyInit_fastpath_bench(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModuleDef_Init(&fastpath_bench_module);
}
