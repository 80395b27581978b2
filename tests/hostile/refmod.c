/* refmod.c -- an extension module that calls every wrap, unwrap, pool,
 * allocator, scope and argument function of libpyz3 on what Python hands
 * it, so that tests/hostile/refleak.py can count references around many
 * calls with good and bad arguments. Built twice: as "refmod" with the
 * inline paths and as "refmod_ool" with -DPYZ3_NO_INLINE -DREFMOD_OOL.
 */
#include <string.h>

#include <pyz3.h>

#ifdef REFMOD_OOL
#  define REFMOD_NAME "refmod_ool"
#  define REFMOD_INIT PyInit_refmod_ool
#else
#  define REFMOD_NAME "refmod"
#  define REFMOD_INIT PyInit_refmod
#endif

static PyObject *
m_i64(PyObject *self, PyObject *o)
{
    int64_t v;
    if (pyz3_unwrap_i64(o, &v) < 0)
        return NULL;
    return pyz3_wrap_i64(v);
}

static PyObject *
m_u64(PyObject *self, PyObject *o)
{
    uint64_t v;
    if (pyz3_unwrap_u64(o, &v) < 0)
        return NULL;
    return pyz3_wrap_u64(v);
}

static PyObject *
m_f64(PyObject *self, PyObject *o)
{
    double v;
    if (pyz3_unwrap_f64(o, &v) < 0)
        return NULL;
    return pyz3_wrap_f64(v);
}

static PyObject *
m_boolean(PyObject *self, PyObject *o)
{
    bool v;
    if (pyz3_unwrap_bool(o, &v) < 0)
        return NULL;
    return pyz3_wrap(v);
}

/* str -> its UTF-8 -> a new str (wrap_str), and the same up to the first
 * NUL (wrap_cstr): a tuple of both. */
static PyObject *
m_string(PyObject *self, PyObject *o)
{
    const char *s;
    size_t len;
    if (pyz3_unwrap_str(o, &s, &len) < 0)
        return NULL;
    return pyz3_tuple(pyz3_wrap_str(s, len), pyz3_wrap_cstr(s));
}

/* bytes -> pyz3_wrap_str of them (UnicodeDecodeError when not UTF-8). */
static PyObject *
m_decode(PyObject *self, PyObject *o)
{
    char *s;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(o, &s, &len) < 0)
        return NULL;
    return pyz3_wrap_str(s, (size_t)len);
}

/* Every pool look-up for the int `o`: (pool_int, pool_float, pool_str,
 * empty tuple, new dict, new list), None for a miss. */
static PyObject *
or_none(PyObject *o)
{
    if (o == NULL && !PyErr_Occurred())
        Py_RETURN_NONE;
    return o;
}

static PyObject *
m_pool(PyObject *self, PyObject *o)
{
    int64_t v;
    char text[32];
    if (pyz3_unwrap_i64(o, &v) < 0)
        return NULL;
    snprintf(text, sizeof(text), "%s", v == 0 ? "" : v == 1 ? "True" : v == 2 ? "None" : "x");
    return pyz3_tuple(or_none(pyz3_pool_int(v)),
                      or_none(pyz3_pool_float((double)v / 2)),
                      or_none(pyz3_pool_str(text, strlen(text))),
                      pyz3_pool_empty_tuple(),
                      pyz3_pool_new_dict(),
                      pyz3_pool_new_list());
}

/* The allocator and an arena, `n` bytes each way; returns n. A scope that
 * Python holds, as in an extension function. */
static PyObject *
m_alloc(PyObject *self, PyObject *o)
{
    int64_t n;
    pyz3_arena arena;
    char *p, *q, *r;
    int k;
    if (pyz3_unwrap_i64(o, &n) < 0)
        return NULL;
    if (n < 0 || n > 1 << 20) {
        PyErr_SetString(PyExc_ValueError, "size out of range");
        return NULL;
    }
    pyz3_gil_assume();
    p = pyz3_alloc((size_t)n);
    q = pyz3_calloc(2, (size_t)n);
    r = pyz3_alloc_aligned((size_t)n, 128);
    if (p != NULL)
        p = pyz3_realloc(p, (size_t)n * 2 + 1);
    pyz3_free(p);
    pyz3_free(q);
    pyz3_free(r);
    pyz3_arena_init(&arena, NULL);
    for (k = 0; k < 10; k++)
        pyz3_arena_alloc(&arena, (size_t)n, 0);
    pyz3_arena_reset(&arena);
    pyz3_arena_alloc(&arena, (size_t)n, 64);
    pyz3_arena_fini(&arena);
    pyz3_gil_unassume();
    return pyz3_wrap_i64(n);
}

/* Scopes: nested, unlocked and relocked; returns the depth seen inside. */
static PyObject *
m_scopes(PyObject *self, PyObject *unused)
{
    pyz3_gil g1, g2;
    pyz3_unlock u;
    unsigned int depth;
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    u = pyz3_gil_unlock();
    pyz3_gil_relock(u);
    depth = pyz3_gil_depth();
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    return pyz3_wrap_u64(depth);
}

/* pyz3_check_python_abi(hex, stable): True, or ImportError. */
static PyObject *
m_check(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    uint64_t hex;
    bool stable;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "check(hex, stable)");
        return NULL;
    }
    if (pyz3_unwrap_u64(args[0], &hex) < 0 || pyz3_unwrap_bool(args[1], &stable) < 0)
        return NULL;
    if (pyz3_check_python_abi((unsigned long)hex, stable) < 0)
        return NULL;
    Py_RETURN_TRUE;
}

/* parse(i, f, u=9, s="déf", *, b=False, o=None) -> a dict of them. */
struct parse_args {
    int64_t i;
    double f;
    uint64_t u;
    pyz3_str s;
    bool b;
    PyObject *o;
    bool has_o;
};

static const pyz3_param parse_params[] = {
    PYZ3_PARAM(struct parse_args, i, PYZ3_ARG_I64),
    PYZ3_PARAM(struct parse_args, f, PYZ3_ARG_F64),
    PYZ3_PARAM(struct parse_args, u, PYZ3_ARG_U64, PYZ3_ARG_OPTIONAL, .def.u64 = 9),
    PYZ3_PARAM(struct parse_args, s, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .def.str = "d\xc3\xa9""f"),
    PYZ3_PARAM(struct parse_args, b, PYZ3_ARG_BOOL, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct parse_args, o, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL,
               .given = PYZ3_GIVEN(struct parse_args, has_o)),
};

static pyz3_names parse_keys = PYZ3_NAMES("i", "f", "u", "s", "b", "o");

PYZ3_FUNCTION(parse, parse_params, struct parse_args, a)
{
    return pyz3_dict(&parse_keys, pyz3_wrap_i64(a->i), pyz3_wrap_f64(a->f),
                     pyz3_wrap_u64(a->u), pyz3_ref(a->s.obj), pyz3_wrap_bool(a->b),
                     a->has_o ? pyz3_ref(a->o) : pyz3_ref(Py_None));
}

static PyMethodDef refmod_methods[] = {
    {"i64", m_i64, METH_O, NULL},
    {"u64", m_u64, METH_O, NULL},
    {"f64", m_f64, METH_O, NULL},
    {"boolean", m_boolean, METH_O, NULL},
    {"string", m_string, METH_O, NULL},
    {"decode", m_decode, METH_O, NULL},
    {"pool", m_pool, METH_O, NULL},
    {"alloc", m_alloc, METH_O, NULL},
    {"scopes", m_scopes, METH_NOARGS, NULL},
    {"check", (PyCFunction)(void (*)(void))m_check, PYZ3_METH_FASTCALL, NULL},
    PYZ3_METHOD(parse, NULL),
    {NULL, NULL, 0, NULL},
};

/* Safe in parallel: a free-threaded CPython keeps its GIL off. */
static PyModuleDef_Slot refmod_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef refmod_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = REFMOD_NAME,
    .m_size = 0,
    .m_methods = refmod_methods,
    .m_slots = refmod_slots,
};

PyMODINIT_FUNC
REFMOD_INIT(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModuleDef_Init(&refmod_module);
}
