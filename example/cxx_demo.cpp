/* cxx_demo.cpp -- an extension module written in C++ with libpyz3.
 *
 *     c++ -std=c++17 -O2 -DNDEBUG -fPIC -shared cxx_demo.cpp \
 *        -o cxx_demo$(python3 -c 'import sysconfig;
 *            print(sysconfig.get_config_var("EXT_SUFFIX"))') \
 *        $(pkg-config --cflags --libs pyz3)
 *     python3 -c 'import cxx_demo as m; print(m.scale(21))'
 *
 * The same API as from C: parameters described in tables, with defaults
 * and a `given` flag spelled with PYZ3_PARAM_DEFAULT and PYZ3_PARAM_GIVEN;
 * results built with pyz3_tuple and pyz3_dict; pyz3_wrap as overloads; and
 * GIL scopes held by a small RAII guard, as C++ code would.
 */
#include <pyz3.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace {

/* An outermost or nested GIL scope for the lifetime of a C++ object. */
class gil_scope {
public:
    gil_scope() : gil_(pyz3_gil_acquire()) {}
    ~gil_scope() { pyz3_gil_release(gil_); }
    gil_scope(const gil_scope &) = delete;
    gil_scope &operator=(const gil_scope &) = delete;

private:
    pyz3_gil gil_;
};

/* The GIL given up for the lifetime of a C++ object, inside any scope. */
class gil_unlocked {
public:
    gil_unlocked() : unlock_(pyz3_gil_unlock()) {}
    ~gil_unlocked() { pyz3_gil_relock(unlock_); }
    gil_unlocked(const gil_unlocked &) = delete;
    gil_unlocked &operator=(const gil_unlocked &) = delete;

private:
    pyz3_unlock unlock_;
};

} // namespace

/* scale(x, factor=2.0) -> x * factor, a float */
struct scale_args {
    double x;
    double factor;
};

static const pyz3_param scale_params[] = {
    PYZ3_PARAM(struct scale_args, x, PYZ3_ARG_F64),
    PYZ3_PARAM(struct scale_args, factor, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL,
               PYZ3_PARAM_DEFAULT(f64, 2.0)),
};

PYZ3_FUNCTION(scale, scale_params, struct scale_args, a)
{
    return pyz3_wrap(a->x * a->factor);
}

/* greet(name, *, times=1, shout=False, suffix=None)
 *     -> (text, times, shout, whether suffix was given) */
struct greet_args {
    pyz3_str name;
    int64_t times;
    bool shout;
    pyz3_str suffix;
    bool has_suffix;
};

static const pyz3_param greet_params[] = {
    PYZ3_PARAM(struct greet_args, name, PYZ3_ARG_STR),
    PYZ3_PARAM(struct greet_args, times, PYZ3_ARG_I64, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               PYZ3_PARAM_DEFAULT(i64, 1)),
    PYZ3_PARAM(struct greet_args, shout, PYZ3_ARG_BOOL, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
    PYZ3_PARAM(struct greet_args, suffix, PYZ3_ARG_STR,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK,
               PYZ3_PARAM_GIVEN(struct greet_args, has_suffix), PYZ3_PARAM_DEFAULT(str, "!")),
};

PYZ3_FUNCTION(greet, greet_params, struct greet_args, a)
{
    if (a->times < 0 || a->times > 1000) {
        PyErr_SetString(PyExc_ValueError, "times must be between 0 and 1000");
        return NULL;
    }
    std::string text;
    try {
        for (int64_t i = 0; i < a->times; i++)
            text.append(a->name.utf8, a->name.len);
        text.append(a->suffix.utf8, a->suffix.len);
    } catch (const std::bad_alloc &) {
        return PyErr_NoMemory();
    }
    if (a->shout)
        for (char &c : text)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
    return pyz3_tuple(pyz3_wrap_str(text.data(), text.size()), pyz3_wrap(a->times),
                      pyz3_wrap(a->shout), pyz3_wrap(a->has_suffix));
}

/* point(x, y) -> {"x": x, "y": y} */
struct point_args {
    int64_t x;
    int64_t y;
};

static const pyz3_param point_params[] = {
    PYZ3_PARAM(struct point_args, x, PYZ3_ARG_I64),
    PYZ3_PARAM(struct point_args, y, PYZ3_ARG_I64),
};

static const pyz3_names point_keys = PYZ3_NAMES("x", "y");

PYZ3_FUNCTION(point, point_params, struct point_args, a)
{
    return pyz3_dict(&point_keys, pyz3_wrap(a->x), pyz3_wrap(a->y));
}

/* sum_squares(n) -> 0**2 + 1**2 + ... + (n-1)**2, computed with the GIL
 * given up, inside a nested scope; n from 0 to 1000000. */
struct sum_squares_args {
    int64_t n;
};

static const pyz3_param sum_squares_params[] = {
    PYZ3_PARAM(struct sum_squares_args, n, PYZ3_ARG_I64),
};

PYZ3_FUNCTION(sum_squares, sum_squares_params, struct sum_squares_args, a)
{
    if (a->n < 0 || a->n > 1000000) {
        PyErr_SetString(PyExc_ValueError, "n must be between 0 and 1000000");
        return NULL;
    }
    gil_scope nested;
    uint64_t sum = 0;
    try {
        std::vector<uint64_t> squares(static_cast<size_t>(a->n));
        gil_unlocked unlocked;
        for (size_t i = 0; i < squares.size(); i++)
            squares[i] = static_cast<uint64_t>(i) * i;
        for (uint64_t s : squares)
            sum += s;
    } catch (const std::bad_alloc &) {
        return PyErr_NoMemory();
    }
    return pyz3_wrap(sum);
}

static PyMethodDef cxx_demo_methods[] = {
    PYZ3_METHOD(scale, "scale(x, factor=2.0) -> x * factor"),
    PYZ3_METHOD(greet, "greet(name, *, times=1, shout=False, suffix=None) -> tuple"),
    PYZ3_METHOD(point, "point(x, y) -> {'x': x, 'y': y}"),
    PYZ3_METHOD(sum_squares, "sum_squares(n) -> the sum of i*i for i < n"),
    { nullptr, nullptr, 0, nullptr },
};

/* Every function is safe to run in parallel: a free-threaded CPython
 * keeps its GIL off when it imports this module. */
static PyModuleDef_Slot cxx_demo_slots[] = {
#ifdef Py_mod_gil
    { Py_mod_gil, Py_MOD_GIL_NOT_USED },
#endif
    { 0, nullptr },
};

static struct PyModuleDef cxx_demo_module = {
    PyModuleDef_HEAD_INIT,
    "cxx_demo",
    "libpyz3 from C++.",
    0,
    cxx_demo_methods,
    cxx_demo_slots,
    nullptr,
    nullptr,
    nullptr,
};

PyMODINIT_FUNC
PyInit_cxx_demo(void)
{
    if (pyz3_check_python() < 0)
        return nullptr;
    return PyModuleDef_Init(&cxx_demo_module);
}
