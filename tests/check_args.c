/* check_args.c -- argument parsing and results of <pyz3/args.h>.
 *
 * Every type of parameter, positional and by keyword, defaults, None,
 * keyword-only parameters and the given flags; every message of a bad
 * call, compared with PyArg_ParseTupleAndKeywords() of the running CPython
 * for functions of the same shape (3.13's suggestions included); the
 * errors of values that do not convert; the check of the description;
 * pyz3_tuple() and pyz3_dict(); reference counts; keyword names from C
 * (not str, repeated); and finalize / re-initialize cycles. Built twice:
 * with the header's inline paths, and with PYZ3_NO_INLINE against the
 * library.
 */
#include <string.h>

#include "pyz3_test.h"

/* ------------------------------------------------------------------------
 * Every type: all_types(i, u, f, b, s, o, oi=7, os="dflt", oo=None-ish,
 * of=2.5, *, ou=9, ob=True) returns what it parsed. */

struct all_args {
    int64_t i;
    uint64_t u;
    double f;
    bool b;
    pyz3_str s;
    PyObject *o;
    int64_t oi;
    bool oi_given;
    pyz3_str os;
    bool os_given;
    PyObject *oo;
    bool oo_given;
    double of;
    uint64_t ou;
    bool ob;
    bool ob_given;
};

static const pyz3_param all_params[] = {
    PYZ3_PARAM(struct all_args, i, PYZ3_ARG_I64),
    PYZ3_PARAM(struct all_args, u, PYZ3_ARG_U64),
    PYZ3_PARAM(struct all_args, f, PYZ3_ARG_F64),
    PYZ3_PARAM(struct all_args, b, PYZ3_ARG_BOOL),
    PYZ3_PARAM(struct all_args, s, PYZ3_ARG_STR),
    PYZ3_PARAM(struct all_args, o, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct all_args, oi, PYZ3_ARG_I64, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct all_args, oi_given), .def.i64 = 7),
    PYZ3_PARAM(struct all_args, os, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct all_args, os_given), .def.str = "dflt"),
    PYZ3_PARAM(struct all_args, oo, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct all_args, oo_given)),
    PYZ3_PARAM(struct all_args, of, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL, .def.f64 = 2.5),
    PYZ3_PARAM(struct all_args, ou, PYZ3_ARG_U64, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               .def.u64 = 9),
    PYZ3_PARAM(struct all_args, ob, PYZ3_ARG_BOOL,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct all_args, ob_given), .def.b = true),
};

/* A str of a pyz3_str's bytes, checked against its object. */
static PyObject *
str_of(const pyz3_str *s)
{
    PyObject *text;
    if (s->obj == NULL)
        return pyz3_ref(Py_None);
    text = pyz3_wrap_str(s->utf8, s->len);
    if (text != NULL && PyObject_RichCompareBool(text, s->obj, Py_EQ) != 1) {
        Py_DECREF(text);
        PyErr_SetString(PyExc_AssertionError, "utf8 and obj of a pyz3_str differ");
        return NULL;
    }
    return text;
}

PYZ3_FUNCTION(all_types, all_params, struct all_args, a)
{
    return pyz3_tuple(pyz3_wrap_i64(a->i), pyz3_wrap_u64(a->u), pyz3_wrap_f64(a->f),
                      pyz3_wrap_bool(a->b), str_of(&a->s), pyz3_ref(a->s.obj),
                      pyz3_ref(a->o),
                      pyz3_wrap_i64(a->oi), pyz3_wrap_bool(a->oi_given),
                      str_of(&a->os), pyz3_wrap_bool(a->os_given),
                      pyz3_ref(a->oo != NULL ? a->oo : Py_Ellipsis),
                      pyz3_wrap_bool(a->oo_given),
                      pyz3_wrap_f64(a->of), pyz3_wrap_u64(a->ou),
                      pyz3_wrap_bool(a->ob), pyz3_wrap_bool(a->ob_given),
                      pyz3_wrap_i64(pyz3_gil_depth()));
}

/* ------------------------------------------------------------------------
 * Shapes to compare with PyArg_ParseTupleAndKeywords(): each function of
 * ours has a reference of the same name in its messages. */

struct four_args {
    int64_t count;
    double ratio;
    bool enabled;
    pyz3_str name;
};

static const pyz3_param ff_params[] = {
    PYZ3_PARAM(struct four_args, count, PYZ3_ARG_I64),
    PYZ3_PARAM(struct four_args, ratio, PYZ3_ARG_F64),
    PYZ3_PARAM(struct four_args, enabled, PYZ3_ARG_BOOL),
    PYZ3_PARAM(struct four_args, name, PYZ3_ARG_STR),
};

PYZ3_FUNCTION(ff, ff_params, struct four_args, a)
{
    return pyz3_tuple(pyz3_wrap_i64(2 * a->count), pyz3_wrap_f64(2.0 * a->ratio),
                      pyz3_wrap_bool(!a->enabled), pyz3_ref(a->name.obj));
}

struct objs {
    PyObject *a, *b, *c;
};

/* ko(a, b=None, *, c=None) */
static const pyz3_param ko_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct objs, c, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
};

/* opt(a=None, b=None) */
static const pyz3_param opt_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL),
};

/* kwreq(*, a, b) */
static const pyz3_param kwreq_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY),
};

/* ex(a, b, *, c) */
static const pyz3_param ex_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT),
    PYZ3_PARAM(struct objs, c, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY),
};

/* one(a) */
static const pyz3_param one_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT),
};

/* Return the first n members (those the parameters fill: the others are
 * never written), None for those left out. */
static PyObject *
objs_result(const struct objs *a, int n)
{
    PyObject *const members[] = { a->a, n > 1 ? a->b : NULL, n > 2 ? a->c : NULL };
    PyObject *t = PyTuple_New(n);
    int k;
    if (t == NULL)
        return NULL;
    for (k = 0; k < n; k++)
        PyTuple_SET_ITEM(t, k, pyz3_ref(members[k] != NULL ? members[k] : Py_None));
    return t;
}

PYZ3_FUNCTION(ko, ko_params, struct objs, a) { return objs_result(a, 3); }
PYZ3_FUNCTION(opt, opt_params, struct objs, a) { return objs_result(a, 2); }
PYZ3_FUNCTION(kwreq, kwreq_params, struct objs, a) { return objs_result(a, 2); }
PYZ3_FUNCTION(ex, ex_params, struct objs, a) { return objs_result(a, 3); }
PYZ3_FUNCTION(one, one_params, struct objs, a) { return objs_result(a, 1); }

/* many(p0, ..., p4, p5=None, ..., p19=None): more parameters than the
 * library keeps on its stack for keyword matching. */
#define MANY 20
struct many_args {
    int64_t p[MANY];
};
#define MANY_REQ(k) { .name = "p" #k, .offset = offsetof(struct many_args, p[k]), \
                      .size = sizeof(int64_t), .type = PYZ3_ARG_I64 }
#define MANY_OPT(k) { .name = "p" #k, .offset = offsetof(struct many_args, p[k]), \
                      .size = sizeof(int64_t), .type = PYZ3_ARG_I64, \
                      .flags = PYZ3_ARG_OPTIONAL, .def.i64 = -(k) }
static const pyz3_param many_params[] = {
    MANY_REQ(0), MANY_REQ(1), MANY_REQ(2), MANY_REQ(3), MANY_REQ(4),
    MANY_OPT(5), MANY_OPT(6), MANY_OPT(7), MANY_OPT(8), MANY_OPT(9),
    MANY_OPT(10), MANY_OPT(11), MANY_OPT(12), MANY_OPT(13), MANY_OPT(14),
    MANY_OPT(15), MANY_OPT(16), MANY_OPT(17), MANY_OPT(18), MANY_OPT(19),
};

PYZ3_FUNCTION(many, many_params, struct many_args, a)
{
    PyObject *t = PyTuple_New(MANY);
    int k;
    if (t == NULL)
        return NULL;
    for (k = 0; k < MANY; k++) {
        PyObject *v = pyz3_wrap_i64(a->p[k]);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, k, v);
    }
    return t;
}

/* The references: PyArg_ParseTupleAndKeywords() with "O" for every
 * parameter, the same keywords, and the function's name in the format. */
static PyObject *
reference(PyObject *args, PyObject *kwargs, const char *format, char **keywords)
{
    PyObject *o[MANY] = { NULL };
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, keywords,
                                     &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6],
                                     &o[7], &o[8], &o[9], &o[10], &o[11], &o[12],
                                     &o[13], &o[14], &o[15], &o[16], &o[17], &o[18],
                                     &o[19]))
        return NULL;
    Py_RETURN_NONE;
}

#define REFERENCE(fn, format, ...)                                              \
    static PyObject *                                                           \
    ref_##fn(PyObject *self, PyObject *args, PyObject *kwargs)                  \
    {                                                                           \
        static char *keywords[] = { __VA_ARGS__, NULL };                        \
        return reference(args, kwargs, format ":" #fn, keywords);               \
    }

REFERENCE(ff, "OOOO", "count", "ratio", "enabled", "name")
REFERENCE(ko, "O|O$O", "a", "b", "c")
REFERENCE(opt, "|OO", "a", "b")
REFERENCE(kwreq, "$OO", "a", "b")
REFERENCE(ex, "OO$O", "a", "b", "c")
REFERENCE(one, "O", "a")
REFERENCE(many, "OOOOO|OOOOOOOOOOOOOOO", "p0", "p1", "p2", "p3", "p4", "p5", "p6",
          "p7", "p8", "p9", "p10", "p11", "p12", "p13", "p14", "p15", "p16", "p17",
          "p18", "p19")

/* ------------------------------------------------------------------------
 * The converters of Argument Clinic: one function of one parameter for
 * each, c_TYPE(v), returning the value it parsed; and references that
 * convert with the CPython function that defines each one's semantics. */

#define ONE(fn, TYPE, ctype, wrap)                                              \
    struct fn##_args { ctype v; };                                              \
    static const pyz3_param fn##_params[] = {                                   \
        PYZ3_PARAM(struct fn##_args, v, TYPE),                                  \
    };                                                                          \
    PYZ3_FUNCTION(fn, fn##_params, struct fn##_args, a) { return (wrap); }

ONE(c_ssize, PYZ3_ARG_SSIZE, Py_ssize_t, PyLong_FromSsize_t(a->v))
ONE(c_int, PYZ3_ARG_INT, int, PyLong_FromLong(a->v))
ONE(c_i32, PYZ3_ARG_I32, int32_t, PyLong_FromLong(a->v))
ONE(c_long, PYZ3_ARG_LONG, long, PyLong_FromLong(a->v))
ONE(c_ullong, PYZ3_ARG_ULLONG, unsigned long long, PyLong_FromUnsignedLongLong(a->v))
ONE(c_size_t, PYZ3_ARG_SIZE_T, size_t, PyLong_FromSize_t(a->v))
ONE(c_u32, PYZ3_ARG_U32, uint32_t, PyLong_FromUnsignedLong(a->v))
ONE(c_i16, PYZ3_ARG_I16, int16_t, PyLong_FromLong(a->v))
ONE(c_u16, PYZ3_ARG_U16, uint16_t, PyLong_FromUnsignedLong(a->v))
ONE(c_u8, PYZ3_ARG_U8, uint8_t, PyLong_FromUnsignedLong(a->v))
ONE(c_float, PYZ3_ARG_FLOAT, float, PyFloat_FromDouble(a->v))
ONE(c_bytes, PYZ3_ARG_BYTES, PyObject *, pyz3_ref(a->v))
ONE(c_pylong, PYZ3_ARG_PYLONG, PyObject *, pyz3_ref(a->v))

/* c_opt(v=None, /): a Py_ssize_t or None, -1 when left out or None. */
struct c_opt_args { Py_ssize_t v; bool given; };
static const pyz3_param c_opt_params[] = {
    PYZ3_PARAM(struct c_opt_args, v, PYZ3_ARG_SSIZE_OR_NONE, PYZ3_ARG_OPTIONAL,
               .given = PYZ3_GIVEN(struct c_opt_args, given), .def.i64 = -1),
};
PYZ3_FUNCTION(c_opt, c_opt_params, struct c_opt_args, a)
{
    return pyz3_tuple(PyLong_FromSsize_t(a->v), pyz3_wrap_bool(a->given));
}

/* c_list(v): a list or a subclass. */
struct c_list_args { PyObject *v; };
static const pyz3_param c_list_params[] = {
    PYZ3_PARAM(struct c_list_args, v, PYZ3_ARG_OBJECT_OF, .cls = &PyList_Type),
};
PYZ3_FUNCTION(c_list, c_list_params, struct c_list_args, a) { return pyz3_ref(a->v); }

/* c_buf(v, n=0, *, k=None): the bytes of a buffer, then n as an int. */
struct c_buf_args { Py_buffer v; int n; PyObject *k; };
static const pyz3_param c_buf_params[] = {
    PYZ3_PARAM(struct c_buf_args, v, PYZ3_ARG_BUFFER),
    PYZ3_PARAM(struct c_buf_args, n, PYZ3_ARG_INT, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct c_buf_args, k, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
};
PYZ3_FUNCTION(c_buf, c_buf_params, struct c_buf_args, a)
{
    return PyBytes_FromStringAndSize((const char *)a->v.buf, a->v.len);
}

/* c_conv(c, n=0, d=<left out>): c and d through a converter of the
 * caller's that takes ints; how often it and its cleanup ran. */
static long conv_calls, conv_cleanups;
static int
conv_int(PyObject *o, void *member)
{
    long v;
    conv_calls++;
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "conv_int wants an int");
        return 0;
    }
    v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return 0;
    *(long *)member = v;
    return 1;
}
static void
conv_cleanup(void *member)
{
    conv_cleanups++;
    *(long *)member = -999;
}
struct c_conv_args { long c; int n; long d; bool d_given; };
static const pyz3_param c_conv_params[] = {
    PYZ3_PARAM(struct c_conv_args, c, PYZ3_ARG_CONVERTER, .converter = conv_int,
               .cleanup = conv_cleanup),
    PYZ3_PARAM(struct c_conv_args, n, PYZ3_ARG_INT, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct c_conv_args, d, PYZ3_ARG_CONVERTER, PYZ3_ARG_OPTIONAL,
               .given = PYZ3_GIVEN(struct c_conv_args, d_given), .converter = conv_int,
               .cleanup = conv_cleanup),
};
PYZ3_FUNCTION(c_conv, c_conv_params, struct c_conv_args, a)
{
    return pyz3_tuple(PyLong_FromLong(a->c), PyLong_FromLong(a->n),
                      PyLong_FromLong(a->d_given ? a->d : 0));
}
static PyObject *
conv_counts(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ll)", conv_calls, conv_cleanups);
}

/* posonly(a, b=None, /, c=None, *, d=None) */
static const pyz3_param posonly_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT, PYZ3_ARG_POSONLY | PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct objs, c, PYZ3_ARG_OBJECT, PYZ3_ARG_OPTIONAL),
};
PYZ3_FUNCTION(posonly, posonly_params, struct objs, a) { return objs_result(a, 3); }
/* posreq(a, b, /, c) */
static const pyz3_param posreq_params[] = {
    PYZ3_PARAM(struct objs, a, PYZ3_ARG_OBJECT, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct objs, b, PYZ3_ARG_OBJECT, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct objs, c, PYZ3_ARG_OBJECT),
};
PYZ3_FUNCTION(posreq, posreq_params, struct objs, a) { return objs_result(a, 3); }
REFERENCE(posonly, "O|OO", "", "", "c")
REFERENCE(posreq, "OOO", "", "", "c")

/* PyArg_Parse() with one format unit: CPython's getargs.c converts
 * exactly as Argument Clinic's code for these units does. */
#define REF_FORMAT(fn, unit, ctype, wrap)                                       \
    static PyObject *                                                           \
    fn(PyObject *self, PyObject *o)                                             \
    {                                                                           \
        ctype v;                                                                \
        if (!PyArg_Parse(o, unit, &v))                                          \
            return NULL;                                                        \
        return (wrap);                                                          \
    }
REF_FORMAT(ref_ssize, "n", Py_ssize_t, PyLong_FromSsize_t(v))
REF_FORMAT(ref_long, "l", long, PyLong_FromLong(v))
REF_FORMAT(ref_i16, "h", short, PyLong_FromLong(v))
REF_FORMAT(ref_u8, "b", unsigned char, PyLong_FromUnsignedLong(v))
REF_FORMAT(ref_float, "f", float, PyFloat_FromDouble(v))

/* CPython's converters of the unsigned types, which Argument Clinic
 * calls; exported by every CPython from 3.8 on. */
PyAPI_FUNC(int) _PyLong_UnsignedLongLong_Converter(PyObject *, void *);
PyAPI_FUNC(int) _PyLong_Size_t_Converter(PyObject *, void *);
PyAPI_FUNC(int) _PyLong_UnsignedInt_Converter(PyObject *, void *);
PyAPI_FUNC(int) _PyLong_UnsignedShort_Converter(PyObject *, void *);
#define REF_CONVERTER(fn, conv, ctype, wrap)                                    \
    static PyObject *                                                           \
    fn(PyObject *self, PyObject *o)                                             \
    {                                                                           \
        ctype v;                                                                \
        if (!conv(o, &v))                                                       \
            return NULL;                                                        \
        return (wrap);                                                          \
    }
REF_CONVERTER(ref_ullong, _PyLong_UnsignedLongLong_Converter, unsigned long long,
              PyLong_FromUnsignedLongLong(v))
REF_CONVERTER(ref_size_t, _PyLong_Size_t_Converter, size_t, PyLong_FromSize_t(v))
REF_CONVERTER(ref_u32, _PyLong_UnsignedInt_Converter, unsigned int,
              PyLong_FromUnsignedLong(v))
REF_CONVERTER(ref_u16, _PyLong_UnsignedShort_Converter, unsigned short,
              PyLong_FromUnsignedLong(v))

#define REF_O(fn) { #fn, fn, METH_O, NULL }

#define REF_DEF(fn) \
    { "ref_" #fn, (PyCFunction)(void (*)(void))ref_##fn, METH_VARARGS | METH_KEYWORDS, NULL }

static PyMethodDef test_methods[] = {
    PYZ3_METHOD(all_types, NULL),
    PYZ3_METHOD(ff, NULL),
    PYZ3_METHOD(ko, NULL),
    PYZ3_METHOD(opt, NULL),
    PYZ3_METHOD(kwreq, NULL),
    PYZ3_METHOD(ex, NULL),
    PYZ3_METHOD(one, NULL),
    PYZ3_METHOD(many, NULL),
    REF_DEF(ff),
    REF_DEF(ko),
    REF_DEF(opt),
    REF_DEF(kwreq),
    REF_DEF(ex),
    REF_DEF(one),
    REF_DEF(many),
    PYZ3_METHOD(c_ssize, NULL),
    PYZ3_METHOD(c_int, NULL),
    PYZ3_METHOD(c_i32, NULL),
    PYZ3_METHOD(c_long, NULL),
    PYZ3_METHOD(c_ullong, NULL),
    PYZ3_METHOD(c_size_t, NULL),
    PYZ3_METHOD(c_u32, NULL),
    PYZ3_METHOD(c_i16, NULL),
    PYZ3_METHOD(c_u16, NULL),
    PYZ3_METHOD(c_u8, NULL),
    PYZ3_METHOD(c_float, NULL),
    PYZ3_METHOD(c_bytes, NULL),
    PYZ3_METHOD(c_pylong, NULL),
    PYZ3_METHOD(c_opt, NULL),
    PYZ3_METHOD(c_list, NULL),
    PYZ3_METHOD(c_buf, NULL),
    PYZ3_METHOD(c_conv, NULL),
    PYZ3_METHOD(posonly, NULL),
    PYZ3_METHOD(posreq, NULL),
    REF_DEF(posonly),
    REF_DEF(posreq),
    REF_O(ref_ssize),
    REF_O(ref_long),
    REF_O(ref_i16),
    REF_O(ref_u8),
    REF_O(ref_float),
    REF_O(ref_ullong),
    REF_O(ref_size_t),
    REF_O(ref_u32),
    REF_O(ref_u16),
    { "conv_counts", conv_counts, METH_NOARGS, NULL },
    { NULL, NULL, 0, NULL },
};

/* Run the Python statements `code` with the functions above and the
 * builtins in its namespace; fail the test with the traceback if it
 * raises. */
static void
run(const char *code)
{
    PyObject *ns = PyDict_New(), *builtins, *res;
    PyMethodDef *def;
    ck_assert_ptr_nonnull(ns);
    builtins = PyImport_ImportModule("builtins");
    ck_assert_ptr_nonnull(builtins);
    ck_assert_int_eq(PyDict_SetItemString(ns, "__builtins__", builtins), 0);
    Py_DECREF(builtins);
    for (def = test_methods; def->ml_name != NULL; def++) {
        PyObject *f = PyCFunction_NewEx(def, NULL, NULL);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(PyDict_SetItemString(ns, def->ml_name, f), 0);
        Py_DECREF(f);
    }
    res = PyRun_String(code, Py_file_input, ns, ns);
    if (res == NULL) {
        PyErr_Print();
        ck_abort_msg("the Python code of the test failed (traceback above)");
    }
    Py_DECREF(res);
    Py_DECREF(ns);
}

/* Python helpers that the tests' code uses. */
#define PY_HELPERS \
    "import sys\n" \
    "def outcome(func_, *args, **kwargs):\n" \
    "    try:\n" \
    "        return ('ok', func_(*args, **kwargs))\n" \
    "    except Exception as e:\n" \
    "        return (type(e), str(e))\n" \
    "def raises(exc_, msg_, func_, *args, **kwargs):\n" \
    "    got = outcome(func_, *args, **kwargs)\n" \
    "    assert got == (exc_, msg_), (got, (exc_, msg_))\n"

/* ------------------------------------------------------------------------
 * The tests. */

START_TEST(test_every_type)
{
    run(PY_HELPERS
        "class I(int): pass\n"
        "class F(float): pass\n"
        "class S(str): pass\n"
        "class Index:\n"
        "    def __index__(self): return 5\n"
        "class Flt:\n"
        "    def __float__(self): return 0.25\n"
        "class Falsy:\n"
        "    def __bool__(self): return False\n"
        "o = object()\n"
        "depth = all_types(1, 2, 3.0, True, 'x', o)[-1]\n"
        "assert depth >= 1, depth\n"
        "base = (1, 2, 3.0, True, 'x', 'x', o, 7, False, 'dflt', False, ..., False,"
        "        2.5, 9, True, False, depth)\n"
        "got = all_types(1, 2, 3.0, True, 'x', o)\n"
        "assert got == base, got\n"
        "assert got[5] is not None\n"
        /* every type through its inline path and through the library */
        "s = 'h\\u00e9llo \\U0001f600'\n"
        "big = 2**62\n"
        "got = all_types(-2**63, 2**64 - 1, -0.5, False, s, None)\n"
        "assert got[:7] == (-2**63, 2**64 - 1, -0.5, False, s, s, None), got\n"
        "assert got[5] is s\n"
        "got = all_types(I(-3), True, I(4), 0, S('abc'), 1)\n"
        "assert got[:6] == (-3, 1, 4.0, False, 'abc', 'abc'), got\n"
        "assert type(got[5]) is S\n"
        "got = all_types(Index(), big, Flt(), Falsy(), '', [])\n"
        "assert got[:5] == (5, big, 0.25, False, ''), got\n"
        "got = all_types(big, 0, 7, [1], 'a\\x00b', ())\n"
        "assert got[:5] == (big, 0, 7.0, True, 'a\\x00b'), got\n"
        /* the same by keyword, in any order */
        "got = all_types(o=o, s='x', b=True, f=3.0, u=2, i=1)\n"
        "assert got == base, got\n"
        "got = all_types(1, 2, s='x', f=3.0, o=o, b=True)\n"
        "assert got == base, got\n"
        "got = all_types(1, 2, 3.0, True, **{'s': 'x', 'o': o})\n"
        "assert got == base, got\n"
        /* optional values given, positionally and by keyword */
        "got = all_types(1, 2, 3.0, True, 'x', o, 11, 'given', 'obj', 0.75, ou=5, ob=False)\n"
        "assert got[7:17] == (11, True, 'given', True, 'obj', True, 0.75, 5, False, True), got\n"
        "got = all_types(1, 2, 3.0, True, 'x', o, of=1.0, oi=-4)\n"
        "assert got[7:17] == (-4, True, 'dflt', False, ..., False, 1.0, 9, True, False), got\n"
        /* None counts as left out where allowed */
        "got = all_types(1, 2, 3.0, True, 'x', None, None, None, None, ob=None)\n"
        "assert got[6:17] == (None, 7, False, 'dflt', False, ..., False, 2.5, 9, True, False), got\n"
        "got = all_types(1, 2, 3.0, None, 'x', o)\n"
        "assert got[3] is False\n"
        "raises(TypeError, \"all_types() argument 'of' must be float, not None\",\n"
        "       all_types, 1, 2, 3.0, True, 'x', o, of=None)\n"
        "raises(TypeError, \"all_types() argument 's' must be str, not None\",\n"
        "       all_types, 1, 2, 3.0, True, None, o)\n");
}
END_TEST

START_TEST(test_str_default_object)
{
    run(PY_HELPERS
        "a = all_types(1, 2, 3.0, True, 'x', None)[9]\n"
        "b = all_types(1, 2, 3.0, True, 'x', None, os=None)[9]\n"
        "assert a == b == 'dflt'\n");
}
END_TEST

START_TEST(test_conversion_errors)
{
    run(PY_HELPERS
        "class Bad:\n"
        "    def __index__(self): raise ValueError('no index')\n"
        "    def __bool__(self): raise TypeError('no bool')\n"
        "class Ovf:\n"
        "    def __bool__(self): raise OverflowError('too truthy')\n"
        "class NotInt:\n"
        "    def __index__(self): return 'x'\n"
        "o = object()\n"
        "raises(TypeError, \"all_types() argument 'i' must be int, not str\",\n"
        "       all_types, 'a', 2, 3.0, True, 'x', o)\n"
        "raises(TypeError, \"all_types() argument 'i' must be int, not None\",\n"
        "       all_types, None, 2, 3.0, True, 'x', o)\n"
        "raises(TypeError, \"all_types() argument 'u' must be int, not str\",\n"
        "       all_types, 1, 'a', 3.0, True, 'x', o)\n"
        "raises(TypeError, \"all_types() argument 'f' must be float, not str\",\n"
        "       all_types, 1, 2, '3', True, 'x', o)\n"
        "raises(TypeError, \"all_types() argument 's' must be str, not bytes\",\n"
        "       all_types, 1, 2, 3.0, True, b'x', o)\n"
        "raises(TypeError, \"all_types() argument 'oi' must be int or None, not list\",\n"
        "       all_types, 1, 2, 3.0, True, 'x', o, [])\n"
        "raises(TypeError, \"all_types() argument 'os' must be str or None, not int\",\n"
        "       all_types, 1, 2, 3.0, True, 'x', o, os=3)\n"
        "raises(TypeError, \"all_types() argument 'ou' must be int, not float\",\n"
        "       all_types, 1, 2, 3.0, True, 'x', o, ou=1.0)\n"
        "raises(OverflowError, \"all_types() argument 'i': int too big to convert\",\n"
        "       all_types, 2**63, 2, 3.0, True, 'x', o)\n"
        "raises(OverflowError, \"all_types() argument 'i': int too big to convert\",\n"
        "       all_types, -2**63 - 1, 2, 3.0, True, 'x', o)\n"
        "raises(OverflowError, \"all_types() argument 'u': can't convert negative int to unsigned\",\n"
        "       all_types, 1, -1, 3.0, True, 'x', o)\n"
        "raises(OverflowError, \"all_types() argument 'u': int too big to convert\",\n"
        "       all_types, 1, 2**64, 3.0, True, 'x', o)\n"
        "got = outcome(all_types, 1, 2, 2**1024, True, 'x', o)\n"
        "assert got[0] is OverflowError and got[1].startswith(\"all_types() argument 'f': \"), got\n"
        /* what raises while code of the caller's runs stays as it is */
        "raises(ValueError, 'no index', all_types, Bad(), 2, 3.0, True, 'x', o)\n"
        "raises(TypeError, 'no bool', all_types, 1, 2, 3.0, Bad(), 'x', o)\n"
        "raises(OverflowError, 'too truthy', all_types, 1, 2, 3.0, Ovf(), 'x', o)\n"
        "got = outcome(all_types, NotInt(), 2, 3.0, True, 'x', o)\n"
        /* whose message is CPython's own, which 3.14 changed */
        "ref = outcome(__import__('operator').index, NotInt())\n"
        "assert got == ref, (got, ref)\n"
        "got = outcome(all_types, 1, 2, 3.0, True, 'a\\ud800', o)\n"
        "assert got[0] is UnicodeEncodeError, got\n"
        "assert got[1].endswith(\"surrogates not allowed (all_types() argument 's')\"), got\n"
        "try:\n"
        "    all_types(1, 2, 3.0, True, 'a\\ud800', o)\n"
        "except UnicodeEncodeError as e:\n"
        "    assert (e.encoding, e.object, e.start, e.end) == ('utf-8', 'a\\ud800', 1, 2)\n"
        /* by keyword the same */
        "raises(TypeError, \"all_types() argument 'f' must be float, not str\",\n"
        "       all_types, 1, 2, f='3', b=True, s='x', o=o)\n"
        /* the first parameter that fails is the one named */
        "raises(TypeError, \"all_types() argument 'u' must be int, not str\",\n"
        "       all_types, 1, 'a', 'b', True, 'x', o)\n");
}
END_TEST

/* An exception object of the caller's, raised again and again, is never
 * changed: only what libpyz3 (or CPython for it) raises names the
 * parameter. */
START_TEST(test_callers_exceptions_untouched)
{
    run(PY_HELPERS
        "o = object()\n"
        "shared_t = TypeError('shared')\n"
        "shared_o = OverflowError('shared', 2)\n"
        "shared_u = UnicodeEncodeError('utf-8', 'x', 0, 1, 'shared')\n"
        "class RaiseT:\n"
        "    def __index__(self): raise shared_t\n"
        "    def __bool__(self): raise shared_t\n"
        "    def __float__(self): raise shared_o\n"
        "class RaiseU:\n"
        "    def __index__(self): raise shared_u\n"
        "class IndexT(int):\n"
        "    pass\n"
        "for k in range(3):\n"
        "    for call in (lambda: all_types(RaiseT(), 2, 3.0, True, 'x', o),\n"
        "                 lambda: all_types(1, 2, RaiseT(), True, 'x', o),\n"
        "                 lambda: all_types(1, 2, 3.0, RaiseT(), 'x', o),\n"
        "                 lambda: all_types(RaiseU(), 2, 3.0, True, 'x', o),\n"
        "                 lambda: all_types(1, 2, 3.0, True, 'x', o, oi=RaiseT())):\n"
        "        try:\n"
        "            call()\n"
        "        except Exception as e:\n"
        "            assert e is shared_t or e is shared_o or e is shared_u, e\n"
        "        else:\n"
        "            raise AssertionError('no exception')\n"
        "assert shared_t.args == ('shared',), shared_t.args\n"
        "assert shared_o.args == ('shared', 2), shared_o.args\n"
        "assert shared_u.reason == 'shared', shared_u.reason\n"
        /* what CPython raises for an int of ours does name it */
        "raises(OverflowError, \"all_types() argument 'i': int too big to convert\",\n"
        "       all_types, IndexT(2**63), 2, 3.0, True, 'x', o)\n");
}
END_TEST

/* Each converter against the CPython function that defines it, values
 * and messages, on the running CPython. */
#define CONVERTER_VALUES \
    "import io, zlib, warnings\n" \
    "warnings.simplefilter('ignore', DeprecationWarning)\n" \
    "class I(int): pass\n" \
    "class F(float): pass\n" \
    "class Idx:\n" \
    "    def __index__(self): return 7\n" \
    "class BigIdx:\n" \
    "    def __index__(self): return 2**80\n" \
    "class BadIdx:\n" \
    "    def __index__(self): return 'x'\n" \
    "class Flt:\n" \
    "    def __float__(self): return 1.5\n" \
    "class IntOnly:\n" \
    "    def __int__(self): return 3\n" \
    "values = [0, 1, -1, 7, I(5), I(-5), True, Idx(), BigIdx(), BadIdx(), 2**15 - 1, 2**15,\n" \
    "          -2**15, -2**15 - 1, 255, 256, 2**16 - 1, 2**16, 2**31 - 1, 2**31, -2**31,\n" \
    "          -2**31 - 1, 2**32 - 1, 2**32, 2**63 - 1, 2**63, -2**63, -2**63 - 1,\n" \
    "          2**64 - 1, 2**64, 2**100, -2**100, 1.0, 1.5, F(2.5), -0.0, 1e300, 1e40,\n" \
    "          float('inf'), 'x', None, b'x', Flt(), IntOnly(), 1j, []]\n"

START_TEST(test_converters_match_cpython)
{
    run(PY_HELPERS CONVERTER_VALUES
        "def same(a, b):\n"
        "    if a[0] == b[0] == 'ok' and isinstance(a[1], float):\n"
        "        return a[1] == b[1] or (a[1] != a[1] and b[1] != b[1])\n"
        "    return a == b and type(a[1]) is type(b[1])\n"
        "for name, ref in (('c_ssize', ref_ssize), ('c_long', ref_long), ('c_i16', ref_i16),\n"
        "                  ('c_u8', ref_u8), ('c_float', ref_float), ('c_ullong', ref_ullong),\n"
        "                  ('c_size_t', ref_size_t), ('c_u32', ref_u32), ('c_u16', ref_u16)):\n"
        "    ours = globals()[name]\n"
        "    for v in values:\n"
        "        a, b = outcome(ours, v), outcome(ref, v)\n"
        "        assert same(a, b), (name, v, a, b)\n"
        /* C int: str.expandtabs(tabsize) is Argument Clinic's int */
        "for name in ('c_int', 'c_i32'):\n"
        "    for v in values:\n"
        "        a, b = outcome(globals()[name], v), outcome('a'.expandtabs, v)\n"
        "        if b[0] == 'ok':\n"
        "            assert a[0] == 'ok' and a[1] == int(v), (name, v, a, b)\n"
        "        else:\n"
        "            assert a == b, (name, v, a, b)\n"
        /* Py_ssize_t or None: io.BytesIO.read(size) */
        "for v in values:\n"
        "    a, b = outcome(c_opt, v), outcome(io.BytesIO(b'abc').read, v)\n"
        "    if b[0] == 'ok':\n"
        "        want = (-1, False) if v is None else (v.__index__(), True)\n"
        "        assert a == ('ok', want), (v, a, b)\n"
        "    else:\n"
        "        assert a == b, (v, a, b)\n"
        "assert c_opt() == (-1, False)\n"
        /* objects of a type, bytes, ints */
        "class L(list): pass\n"
        "lst = L()\n"
        "assert c_list(lst) is lst and c_list([1]) == [1]\n"
        "raises(TypeError, \"c_list() argument 'v' must be list, not str\", c_list, 'x')\n"
        "raises(TypeError, \"c_list() argument 'v' must be list, not None\", c_list, None)\n"
        "raises(TypeError, \"c_list() argument 'v' must be list, not tuple\", c_list, v=())\n"
        "class B(bytes): pass\n"
        "assert c_bytes(b'ab') == b'ab' and type(c_bytes(B(b'x'))) is B\n"
        "raises(TypeError, \"c_bytes() argument 'v' must be bytes, not bytearray\",\n"
        "       c_bytes, bytearray())\n"
        "raises(TypeError, \"c_bytes() argument 'v' must be bytes, not str\", c_bytes, 'x')\n"
        "big = 2**200\n"
        "assert c_pylong(big) is big and type(c_pylong(I(3))) is I\n"
        "raises(TypeError, \"c_pylong() argument 'v' must be int, not float\", c_pylong, 1.0)\n"
        /* buffers: zlib.crc32(data) is Argument Clinic's Py_buffer */
        "for v in (b'abc', bytearray(b'xy'), memoryview(b'abcd'), memoryview(b'abcd')[::2],\n"
        "          'x', None, 1, [], memoryview(bytearray(6)).cast('B', (2, 3))):\n"
        "    a, b = outcome(c_buf, v), outcome(zlib.crc32, v)\n"
        "    if b[0] == 'ok':\n"
        "        assert a == ('ok', bytes(memoryview(v))), (v, a, b)\n"
        "    else:\n"
        "        assert (a[0], a[1].replace(\"c_buf() argument 'v'\", 'crc32() argument 1')) \\\n"
        "               == b, (v, a, b)\n");
}
END_TEST

/* Buffers and the caller's converters give back what they hold on every
 * path: the body done, a later parameter that fails, a bad keyword. */
START_TEST(test_release_every_path)
{
    run(PY_HELPERS
        "ba = bytearray(b'hello')\n"
        "def exports_released():\n"
        "    ba.append(33)\n"
        "    del ba[-1]\n"
        "for k in range(3):\n"
        "    assert c_buf(ba) == b'hello'\n"
        "    exports_released()\n"
        "    assert c_buf(ba, 2, k=1) == b'hello'\n"
        "    assert c_buf(v=ba, n=2) == b'hello'\n"
        "    exports_released()\n"
        "    for call in (lambda: c_buf(ba, 'x'), lambda: c_buf(ba, n='x'),\n"
        "                 lambda: c_buf(ba, 2**40), lambda: c_buf(ba, bogus=1),\n"
        "                 lambda: c_buf(ba, 1, n=1), lambda: c_buf(ba, 1, 2),\n"
        "                 lambda: c_buf(ba, k=1, v=ba)):\n"
        "        assert outcome(call)[0] != 'ok'\n"
        "        exports_released()\n"
        /* the converter: its cleanup once for each success */
        "calls, cleanups = conv_counts()\n"
        "assert c_conv(1) == (1, 0, 0)\n"
        "assert c_conv(1, 2, 3) == (1, 2, 3)\n"
        "assert c_conv(d=4, c=5) == (5, 0, 4)\n"
        "raises(TypeError, 'conv_int wants an int', c_conv, 'x')\n"
        "assert outcome(c_conv, 1, 'n')[0] is TypeError\n"
        "raises(TypeError, 'conv_int wants an int', c_conv, 1, 2, 'x')\n"
        "assert outcome(c_conv, 1, 2, 3, bogus=1)[0] is TypeError\n"
        "assert outcome(c_conv, 1, n=2, c=3)[0] is TypeError\n"
        "got = conv_counts()\n"
        "assert got == (calls + 10, cleanups + 8), (calls, cleanups, got)\n"
        "assert c_list([]) == []\n");
    /* Their filled tables say so; one whose parameters hold nothing lets
     * pyz3_parse_args_release() return at once. */
    ck_assert_uint_eq(pyz3__params_c_buf.table->ready, 1u | PYZ3__TABLE_HOLDS);
    ck_assert_uint_eq(pyz3__params_c_conv.table->ready, 1u | PYZ3__TABLE_HOLDS);
    ck_assert_uint_eq(pyz3__params_c_list.table->ready, 1u);
}
END_TEST

/* Positional-only parameters: PyArg_ParseTupleAndKeywords() with empty
 * names has the same messages. */
START_TEST(test_positional_only)
{
    run(PY_HELPERS
        "assert posonly(1) == (1, None, None)\n"
        "assert posonly(1, 2, c=3) == (1, 2, 3)\n"
        "assert posreq(1, 2, c=3) == (1, 2, 3)\n"
        "calls = {\n"
        " 'posonly': ['', '1', '1, 2', '1, 2, 3', '1, 2, 3, 4', 'a=1', '1, b=2', '1, c=3',\n"
        "             '1, 2, c=3, d=4', 'c=3', '1, a=1', '1, 2, 3, c=3', '1, cc=1'],\n"
        " 'posreq': ['', '1', '1, 2', '1, 2, 3', 'a=1, b=2, c=3', '1, b=2, c=3', '1, 2, a=1',\n"
        "            'c=1', '1, c=1', '1, 2, 3, 4', '1, 2, 3, c=1', '1, 2, cc=1'],\n"
        "}\n"
        "for name, srcs in calls.items():\n"
        "    ours, ref = globals()[name], globals()['ref_' + name]\n"
        "    for src in srcs:\n"
        "        call = eval('lambda f: f(%s)' % src)\n"
        "        a, b = outcome(call, ours), outcome(call, ref)\n"
        "        if a[0] == 'ok' and b[0] == 'ok':\n"
        "            continue\n"
        "        assert a == b, (name, src, a, b)\n");
}
END_TEST

/* No reference is left behind by any converter, on any path (counted on
 * a debug interpreter). */
START_TEST(test_converters_refcounts)
{
    run(PY_HELPERS CONVERTER_VALUES
        "funcs = [c_ssize, c_int, c_i32, c_long, c_ullong, c_size_t, c_u32, c_i16, c_u16,\n"
        "         c_u8, c_float, c_bytes, c_pylong, c_opt, c_list, c_buf, c_conv]\n"
        "def once():\n"
        "    for f in funcs:\n"
        "        for v in values + [bytearray(b'x'), memoryview(b'y')]:\n"
        "            outcome(f, v)\n"
        "            outcome(f, v=v)\n"
        "once()\n"
        "if hasattr(sys, 'gettotalrefcount'):\n"
        "    before = sys.gettotalrefcount()\n"
        "    for k in range(5):\n"
        "        once()\n"
        "    after = sys.gettotalrefcount()\n"
        "    assert after - before < 50, (before, after)\n");
}
END_TEST

/* Calls that both ours and the reference of each shape make, compared:
 * "f" in each call stands for the function. */
START_TEST(test_messages_match_cpython)
{
    run(PY_HELPERS
        "calls = {\n"
        " 'ff': ['1, 1.5, True', '', '1, 1.5, True, \"x\", 5', '1, 1.5, True, \"x\", foo=1',\n"
        "        '1, 1.5, True, name=\"x\", x=1', '1, 1.5, True, \"x\", count=3',\n"
        "        '1, ratio=1.5, enabled=True, name=\"x\", count=3', '1, 1.5, True, nmae=\"x\"',\n"
        "        'count=1, ratio=1.0, enabled=1, name=\"x\", extra=1, extra2=2',\n"
        "        '1, 1.5, True, **{\"x\": 1}', 'count=1', 'ratio=1.5', '1, 1.5, count=2, name=\"x\"',\n"
        "        '1, 1.5, True, **{\"na\" + \"me\": \"x\"}', 'name=\"x\", count=1, ratio=1.5, enabled=0',\n"
        "        '1, 1.5, enabled=True, nam=\"x\"', '1, 1.5, True, Name=\"x\"',\n"
        "        '1, 1.5, True, NAME=\"x\"', '1, 1.5, True, \"x\"', '*[1, 1.5, True, \"x\"]'],\n"
        " 'ko': ['', '1, 2, 3', '1, 2, 3, 4', '1, c=1, d=2', '1, 2, b=3', 'b=1', '1, 2, 3, d=4',\n"
        "        '1, d=4', '1, a=2', '1, 2, c=3', 'a=1, b=2, c=3', 'c=1, a=2', '1, 2, 3, c=4',\n"
        "        '1, b=2, bb=3', '1, cc=3', '1, B=2', '1, 2, b=3, zz=4', '1, 2, zz=3, b=4',\n"
        "        '1, zz=2, a=4'],\n"
        " 'opt': ['', '1', '1, 2', '1, 2, 3', 'a=1, b=2, c=3', 'c=1', 'b=1', '1, a=1', 'bb=1',\n"
        "         '1, b=2, a=3', 'aa=1, bb=2'],\n"
        " 'kwreq': ['', '1', '1, 2', 'a=1', 'b=1', 'a=1, b=2', 'a=1, b=2, c=3', '1, a=1', 'a=1, c=2',\n"
        "           'c=2'],\n"
        " 'ex': ['', '1', '1, 2', '1, 2, 3', '1, 2, c=3', '1, 2, 3, c=4', 'a=1, b=2, c=3', '1, c=3',\n"
        "        '1, 2, d=3', '1, 2, 3, 4'],\n"
        " 'one': ['', '1', '1, 2', 'a=1', 'b=1', '1, a=1', '1, b=1', 'aa=1', 'A=1'],\n"
        " 'many': ['', '0, 1, 2, 3', '0, 1, 2, 3, 4', 'p0=0, p1=1, p2=2, p3=3, p4=4, p19=19',\n"
        "          '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20',\n"
        "          '0, 1, 2, 3, p4=4, p20=1', '0, 1, 2, 3, p4=4, p5=5, p5x=1', '0, p0=1',\n"
        "          '0, 1, 2, 3, 4, p18=1, p17=2, p16=3, p15=4, p14=5, p13=6, p12=7, p11=8',\n"
        "          '0, 1, 2, 3, 4, p1=1', 'p0=0, p1=1, p2=2, p3=3, p4=4, P5=5'],\n"
        "}\n"
        "for name, srcs in calls.items():\n"
        "    ours, ref = globals()[name], globals()['ref_' + name]\n"
        "    for src in srcs:\n"
        "        call = eval('lambda f: f(%s)' % src)\n"
        "        a, b = outcome(call, ours), outcome(call, ref)\n"
        "        if a[0] == 'ok' and b[0] == 'ok':\n"
        "            continue\n"
        "        assert a == b, (name, src, a, b)\n"
        /* keywords close to the names, as 3.13's suggestions see them */
        "import itertools\n"
        "def variants(word):\n"
        "    letters = 'abcenortxyzAEN_0'\n"
        "    for i in range(len(word) + 1):\n"
        "        yield word[:i] + word[i + 1:]\n"
        "        for c in letters:\n"
        "            yield word[:i] + c + word[i:]\n"
        "            yield word[:i] + c + word[i + 1:]\n"
        "        yield word[:i] + word[i:i + 2][::-1] + word[i + 2:]\n"
        "        yield word[:i] + word[i:].upper()\n"
        "for name, words in (('ff', ('count', 'ratio', 'enabled', 'name')),\n"
        "                    ('many', ('p0', 'p12', 'p5')), ('opt', ('a', 'b'))):\n"
        "    ours, ref = globals()[name], globals()['ref_' + name]\n"
        "    prefix = {'ff': (1, 1.5, True, 'x'), 'many': (0, 1, 2, 3, 4), 'opt': ()}[name]\n"
        "    for word in words:\n"
        "        for kw in set(variants(word)):\n"
        "            if not kw.isidentifier() or kw in words:\n"
        "                continue\n"
        "            if name == 'ff':\n"
        "                args = prefix[:3]\n"
        "            else:\n"
        "                args = prefix\n"
        "            a = outcome(ours, *args, **{kw: 1})\n"
        "            b = outcome(ref, *args, **{kw: 1})\n"
        "            assert a == b or a[0] == b[0] == 'ok', (name, kw, a, b)\n"
        /* long names: no suggestion past 40 different bytes */
        "long = 'x' * 45\n"
        "for kw in (long, 'a' + long, long + 'b'):\n"
        "    assert outcome(opt, **{kw: 1}) == outcome(ref_opt, **{kw: 1})\n");
}
END_TEST

/* The current exception must be of `type` with `msg` as its message (all
 * of it, or a part when `part` is set); it is cleared. */
static void
expect_error(PyObject *type, const char *msg, int part)
{
    PyObject *t, *v, *tb, *str;
    const char *text;
    ck_assert_msg(PyErr_Occurred() != NULL, "no exception, expected \"%s\"", msg);
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    ck_assert_msg(PyErr_GivenExceptionMatches(t, type), "wrong exception type for \"%s\"", msg);
    str = PyObject_Str(v);
    ck_assert_ptr_nonnull(str);
    text = PyUnicode_AsUTF8(str);
    ck_assert_ptr_nonnull(text);
    if (part)
        ck_assert_msg(strstr(text, msg) != NULL, "message \"%s\" has no \"%s\"", text, msg);
    else
        ck_assert_msg(strcmp(text, msg) == 0, "message \"%s\", expected \"%s\"", text, msg);
    Py_DECREF(str);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
}

/* Keyword names that only C code can pass: not str, repeated, a str
 * subclass, a str that is not interned, an empty tuple, not a tuple. */
START_TEST(test_keywords_from_c)
{
    struct objs o;
    struct four_args ff_out;
    PyObject *ns, *sub, *kw, *values[4], *one = PyLong_FromLong(1001);
    PyObject *a = PyUnicode_FromString("a"), *zz = PyUnicode_FromString("zz");
    PyObject *name = PyUnicode_FromString("na" "me"), *ratio = PyFloat_FromDouble(1.5);
    PyObject *x = PyUnicode_FromString("x");

    ck_assert_ptr_nonnull(one);
    values[0] = one;
    values[1] = one;

    kw = PyTuple_Pack(2, a, a);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_opt, values, 0, kw, &o), -1);
    expect_error(PyExc_TypeError, "opt() got multiple values for keyword argument 'a'", 0);
    Py_DECREF(kw);

    kw = PyTuple_Pack(1, one);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_opt, values, 0, kw, &o), -1);
    expect_error(PyExc_TypeError, "keywords must be strings", 0);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_opt, values, 1, kw, &o), -1);
    expect_error(PyExc_TypeError, "keywords must be strings", 0);
    Py_DECREF(kw);

    kw = PyTuple_Pack(2, one, zz);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_opt, values, 0, kw, &o), -1);
    expect_error(PyExc_TypeError, "keywords must be strings", 0);
    Py_DECREF(kw);
    kw = PyTuple_Pack(2, zz, one);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_opt, values, 0, kw, &o), -1);
    expect_error(PyExc_TypeError, "zz", 1);
    Py_DECREF(kw);

    /* A str subclass and a str that is not the interned one match by
     * comparison. */
    ns = pyz3_test_exec("class S(str): pass\nname = S('name')\n");
    ck_assert_ptr_nonnull(ns);
    sub = PyDict_GetItemString(ns, "name");
    values[0] = one;
    values[1] = ratio;
    values[2] = Py_True;
    values[3] = x;
    kw = PyTuple_Pack(1, sub);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 3, kw, &ff_out), 0);
    ck_assert_ptr_eq(ff_out.name.obj, x);
    ck_assert_int_eq(ff_out.count, 1001);
    Py_DECREF(kw);
    kw = PyTuple_Pack(1, name);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 3, kw, &ff_out), 0);
    ck_assert_ptr_eq(ff_out.name.obj, x);
    Py_DECREF(kw);

    /* No keywords, as an empty tuple. */
    kw = PyTuple_New(0);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 4, kw, &ff_out), 0);
    ck_assert(ff_out.ratio == 1.5 && ff_out.enabled && ff_out.name.len == 1);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 3, kw, &ff_out), -1);
    expect_error(PyExc_TypeError, "ff() missing required argument 'name' (pos 4)", 0);
    Py_DECREF(kw);

    /* Keyword names that are not a tuple. */
    kw = PyList_New(0);
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 4, kw, &ff_out), -1);
    expect_error(PyExc_SystemError, "", 1);
    Py_DECREF(kw);

    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    Py_DECREF(ns);
    Py_DECREF(one);
    Py_DECREF(a);
    Py_DECREF(zz);
    Py_DECREF(name);
    Py_DECREF(ratio);
    Py_DECREF(x);
}
END_TEST

/* Many parameters: keyword matching beyond the library's stack. */
START_TEST(test_many_parameters)
{
    run(PY_HELPERS
        "want = tuple(range(5)) + tuple(-k for k in range(5, 20))\n"
        "assert many(0, 1, 2, 3, 4) == want, many(0, 1, 2, 3, 4)\n"
        "assert many(p4=4, p3=3, p2=2, p1=1, p0=0) == want\n"
        "got = many(0, 1, 2, 3, 4, p19=100, p7=70)\n"
        "assert got[19] == 100 and got[7] == 70 and got[8] == -8, got\n"
        "got = many(*range(20))\n"
        "assert got == tuple(range(20)), got\n"
        "got = many(**{'p%d' % k: k for k in range(20)})\n"
        "assert got == tuple(range(20)), got\n");
}
END_TEST

/* The function body runs as a GIL scope of its own; a bad call leaves
 * none open. */
START_TEST(test_gil_scope)
{
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    run(PY_HELPERS
        "assert all_types(1, 2, 3.0, True, 'x', None)[-1] == 1\n"
        "assert all_types(1, 2, 3.0, True, 'x', None, ou=1)[-1] == 1\n"
        "raises(TypeError, \"all_types() missing required argument 'o' (pos 6)\",\n"
        "       all_types, 1, 2, 3.0, True, 'x')\n");
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    pyz3_gil_assume();
    run("assert all_types(1, 2, 3.0, True, 'x', None)[-1] == 2\n");
    pyz3_gil_unassume();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
}
END_TEST

/* ------------------------------------------------------------------------
 * The check of a description. */

struct small {
    int64_t x;
    int32_t half;
    bool flag;
    pyz3_str s;
};

#define SMALL(member, ...) PYZ3_PARAM(struct small, member, __VA_ARGS__)

static const pyz3_param bad_noname[] = {
    { .name = NULL, .offset = 0, .size = sizeof(int64_t), .type = PYZ3_ARG_I64 },
};
static const pyz3_param bad_empty[] = {
    { .name = "", .offset = 0, .size = sizeof(int64_t), .type = PYZ3_ARG_I64 },
};
static const pyz3_param bad_type0[] = { SMALL(x, 0) };
static const pyz3_param bad_type99[] = { SMALL(x, 99) };
static const pyz3_param bad_flags[] = { SMALL(x, PYZ3_ARG_I64, 0x10) };
static const pyz3_param bad_size[] = { SMALL(half, PYZ3_ARG_I64) };
static const pyz3_param bad_size_str[] = { SMALL(x, PYZ3_ARG_STR) };
static const pyz3_param bad_given[] = {
    SMALL(x, PYZ3_ARG_I64, 0, .given = PYZ3_GIVEN(struct small, x) + 3),
};
static const pyz3_param bad_kwonly[] = {
    SMALL(x, PYZ3_ARG_I64, PYZ3_ARG_KWONLY), SMALL(flag, PYZ3_ARG_BOOL),
};
static const pyz3_param bad_required[] = {
    SMALL(x, PYZ3_ARG_I64, PYZ3_ARG_OPTIONAL), SMALL(flag, PYZ3_ARG_BOOL),
};
static const pyz3_param bad_same[] = {
    SMALL(x, PYZ3_ARG_I64),
    { .name = "x", .offset = offsetof(struct small, flag), .size = sizeof(bool),
      .type = PYZ3_ARG_BOOL },
};
static const pyz3_param bad_utf8[] = {
    { .name = "\xff", .offset = 0, .size = sizeof(int64_t), .type = PYZ3_ARG_I64 },
};
static const pyz3_param bad_default[] = {
    SMALL(s, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL, .def.str = "ok\xc3"),
};
static const pyz3_param good_one[] = { SMALL(x, PYZ3_ARG_I64) };

static const struct {
    pyz3_params params;
    const char *message;
} bad_descriptions[] = {
    { PYZ3_PARAMS("f", bad_noname), "f(): bad parameter 1: no name" },
    { PYZ3_PARAMS("f", bad_empty), "f(): bad parameter 1 (''): an empty name" },
    { PYZ3_PARAMS("f", bad_type0), "f(): bad parameter 1 ('x'): unknown type 0" },
    { PYZ3_PARAMS("f", bad_type99), "f(): bad parameter 1 ('x'): unknown type 99" },
    { PYZ3_PARAMS("f", bad_flags), "f(): bad parameter 1 ('x'): unknown flags 0x10" },
    { PYZ3_PARAMS("f", bad_size),
      "f(): bad parameter 1 ('half'): its member has 4 bytes, its type needs 8" },
    { PYZ3_PARAMS("f", bad_size_str),
      "f(): bad parameter 1 ('x'): its member has 8 bytes, its type needs 24" },
    { PYZ3_PARAMS("f", bad_given), "f(): bad parameter 1 ('x'): its given flag overlaps its value" },
    { PYZ3_PARAMS("f", bad_kwonly),
      "f(): bad parameter 2 ('flag'): positional after a keyword-only parameter" },
    { PYZ3_PARAMS("f", bad_required),
      "f(): bad parameter 2 ('flag'): required after an optional positional parameter" },
    { PYZ3_PARAMS("f", bad_same), "f(): bad parameter 2 ('x'): the same name as parameter 1" },
    { PYZ3_PARAMS("f", bad_utf8), "f: the name of parameter 1 is not UTF-8" },
    { PYZ3_PARAMS("f", bad_default), "f: the default of parameter 1 ('s') is not UTF-8" },
    { { NULL, good_one, 1, &(pyz3_table){ .ready = 0 } },
      "pyz3_parse_args: the parameters have no function name" },
    { { "f", good_one, 1, NULL }, "f(): the parameters have no table" },
    { { "f", NULL, 2, &(pyz3_table){ .ready = 0 } }, "f(): 2 parameters but no array of them" },
};

START_TEST(test_bad_description)
{
    struct small out;
    PyObject *args[2];
    size_t k;
    int round;
    args[0] = PyLong_FromLong(1);
    args[1] = Py_True;
    for (k = 0; k < sizeof(bad_descriptions) / sizeof(bad_descriptions[0]); k++)
        for (round = 0; round < 2; round++) {
            Py_ssize_t nargs = (Py_ssize_t)(bad_descriptions[k].params.count > 1 ? 2 : 1);
            ck_assert_int_eq(pyz3_parse_args(&bad_descriptions[k].params, args, nargs, NULL,
                                             &out), -1);
            expect_error(PyExc_SystemError, bad_descriptions[k].message, 0);
        }
    ck_assert_int_eq(pyz3_parse_args(NULL, args, 1, NULL, &out), -1);
    expect_error(PyExc_SystemError, "", 1);
    Py_DECREF(args[0]);
}
END_TEST

/* ------------------------------------------------------------------------
 * Results. */

static const pyz3_names two_keys = PYZ3_NAMES("first", "second");
static const pyz3_names bad_null_key = { (const char *const[]){ "a", NULL }, 2,
                                         &(pyz3_table){ .ready = 0 } };
static const pyz3_names bad_same_key = PYZ3_NAMES("a", "b", "a");
static const pyz3_names bad_utf8_key = PYZ3_NAMES("\xe2\x82");
static const pyz3_names bad_no_table = { (const char *const[]){ "a" }, 1, NULL };

/* Two new objects of known reference counts. */
static void
two_objects(PyObject **a, PyObject **b)
{
    *a = PyLong_FromLong(123456);
    *b = PyUnicode_FromString("two objects");
    ck_assert_ptr_nonnull(*a);
    ck_assert_ptr_nonnull(*b);
    ck_assert_int_eq(Py_REFCNT(*a), 1);
    ck_assert_int_eq(Py_REFCNT(*b), 1);
}

START_TEST(test_tuple)
{
    PyObject *a, *b, *t, *items[3];
    two_objects(&a, &b);
    t = pyz3_tuple(pyz3_ref(a), pyz3_ref(b), pyz3_ref(a));
    ck_assert_ptr_nonnull(t);
    ck_assert(PyTuple_CheckExact(t));
    ck_assert_int_eq(PyTuple_GET_SIZE(t), 3);
    ck_assert_ptr_eq(PyTuple_GET_ITEM(t, 0), a);
    ck_assert_ptr_eq(PyTuple_GET_ITEM(t, 1), b);
    ck_assert_ptr_eq(PyTuple_GET_ITEM(t, 2), a);
    ck_assert_int_eq(Py_REFCNT(a), 3);
    ck_assert_int_eq(Py_REFCNT(b), 2);
    Py_DECREF(t);
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(Py_REFCNT(b), 1);

    /* A failed wrap: its exception stays, the other items are released. */
    items[0] = pyz3_ref(a);
    PyErr_SetString(PyExc_ValueError, "failed wrap");
    items[1] = NULL;
    items[2] = pyz3_ref(b);
    ck_assert_ptr_null(pyz3_tuple_steal(items, 3));
    expect_error(PyExc_ValueError, "failed wrap", 0);
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(Py_REFCNT(b), 1);
    items[0] = pyz3_ref(a);
    items[1] = pyz3_ref(b);
    items[2] = NULL;
    ck_assert_ptr_null(pyz3_tuple_steal(items, 3));
    expect_error(PyExc_SystemError, "NULL item", 1);
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(Py_REFCNT(b), 1);

    t = pyz3_tuple_steal(NULL, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(PyTuple_GET_SIZE(t), 0);
    Py_DECREF(t);
    ck_assert_ptr_eq(pyz3_ref(a), a);
    ck_assert_int_eq(Py_REFCNT(a), 2);
    Py_DECREF(a);
    Py_DECREF(a);
    Py_DECREF(b);
}
END_TEST

START_TEST(test_dict)
{
    PyObject *a, *b, *d, *first, *values[2];
    two_objects(&a, &b);
    d = pyz3_dict(&two_keys, pyz3_ref(a), pyz3_ref(b));
    ck_assert_ptr_nonnull(d);
    ck_assert(PyDict_CheckExact(d));
    ck_assert_int_eq(PyDict_Size(d), 2);
    ck_assert_ptr_eq(PyDict_GetItemString(d, "first"), a);
    ck_assert_ptr_eq(PyDict_GetItemString(d, "second"), b);
    ck_assert_int_eq(Py_REFCNT(a), 2);
    /* The keys are the interned strs. */
    first = PyUnicode_InternFromString("first");
    ck_assert_ptr_eq(two_keys.table->objs[0], first);
    Py_DECREF(first);
    Py_DECREF(d);
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(Py_REFCNT(b), 1);

    values[0] = pyz3_ref(a);
    values[1] = NULL;
    PyErr_SetString(PyExc_ValueError, "failed wrap");
    ck_assert_ptr_null(pyz3_dict_steal(&two_keys, values, 2));
    expect_error(PyExc_ValueError, "failed wrap", 0);
    ck_assert_int_eq(Py_REFCNT(a), 1);

    /* Bad descriptions of keys, and a count that does not match: the
     * values are released all the same. */
    d = pyz3_dict(&two_keys, pyz3_ref(a));
    ck_assert_ptr_null(d);
    expect_error(PyExc_SystemError, "pyz3_dict_steal: 1 values for 2 keys", 0);
    d = pyz3_dict(&bad_null_key, pyz3_ref(a), pyz3_ref(b));
    ck_assert_ptr_null(d);
    expect_error(PyExc_SystemError, "pyz3_names: name 2 is NULL", 0);
    d = pyz3_dict(&bad_same_key, pyz3_ref(a), pyz3_ref(b), pyz3_ref(b));
    ck_assert_ptr_null(d);
    expect_error(PyExc_SystemError, "pyz3_names: name 3 ('a') repeats name 1", 0);
    d = pyz3_dict(&bad_utf8_key, pyz3_ref(a));
    ck_assert_ptr_null(d);
    expect_error(PyExc_SystemError, "pyz3_names: name 1 is not UTF-8", 0);
    d = pyz3_dict(&bad_no_table, pyz3_ref(a));
    ck_assert_ptr_null(d);
    expect_error(PyExc_SystemError, "pyz3_names: no table", 0);
    ck_assert_int_eq(Py_REFCNT(a), 1);
    ck_assert_int_eq(Py_REFCNT(b), 1);
    Py_DECREF(a);
    Py_DECREF(b);
}
END_TEST

/* ------------------------------------------------------------------------
 * Reference counts and lifetimes. */

START_TEST(test_refcounts)
{
    struct four_args out;
    struct all_args all;
    PyObject *values[8], *kw, *count_name;
    Py_ssize_t before[4], name_refs;
    int k, round;

    values[0] = PyLong_FromLong(100000);
    values[1] = PyFloat_FromDouble(0.125);
    values[2] = Py_False;
    values[3] = PyUnicode_FromString("r\xc3\xa9" "f");
    kw = Py_BuildValue("(ssss)", "count", "ratio", "enabled", "name");
    ck_assert_ptr_nonnull(kw);
    /* The first call fills the table (and may run Python code). */
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 0, kw, &out), 0);
    values[2] = PyBool_FromLong(0);
    for (k = 0; k < 4; k++)
        before[k] = Py_REFCNT(values[k]);
    count_name = PyUnicode_InternFromString("count");
    name_refs = Py_REFCNT(count_name);
    for (round = 0; round < 100; round++) {
        ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 4, NULL, &out), 0);
        ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 0, kw, &out), 0);
        ck_assert_int_eq(pyz3_parse_args(&pyz3__params_ff, values, 2, NULL, &out), -1);
        PyErr_Clear();
    }
    ck_assert_int_eq(out.count, 100000);
    ck_assert_ptr_eq(out.name.obj, values[3]);
    ck_assert_str_eq(out.name.utf8, "r\xc3\xa9" "f");
    ck_assert_uint_eq(out.name.len, 4);
    for (k = 0; k < 4; k++)
        ck_assert_int_eq(Py_REFCNT(values[k]), before[k]);
    ck_assert(pyz3_test_immortal(count_name) || Py_REFCNT(count_name) == name_refs);
    ck_assert_ptr_eq(pyz3__params_ff.table->objs[0], count_name);

    /* Defaults are borrowed too: the default str stays the same object. */
    values[4] = Py_None;
    values[5] = Py_None;
    ck_assert_int_eq(pyz3_parse_args(&pyz3__params_all_types, values, 0, NULL, &all), -1);
    PyErr_Clear();
    {
        PyObject *six[6];
        PyObject *dflt;
        Py_ssize_t dflt_refs;
        six[0] = values[0];
        six[1] = values[0];
        six[2] = values[1];
        six[3] = Py_True;
        six[4] = values[3];
        six[5] = Py_None;
        ck_assert_int_eq(pyz3_parse_args(&pyz3__params_all_types, six, 6, NULL, &all), 0);
        dflt = all.os.obj;
        ck_assert_ptr_nonnull(dflt);
        ck_assert_str_eq(all.os.utf8, "dflt");
        ck_assert(!all.os_given && !all.oi_given && !all.oo_given && !all.ob_given);
        ck_assert_ptr_null(all.oo);
        ck_assert(all.ob && all.oi == 7 && all.ou == 9 && all.of == 2.5);
        dflt_refs = Py_REFCNT(dflt);
        for (round = 0; round < 10; round++)
            ck_assert_int_eq(pyz3_parse_args(&pyz3__params_all_types, six, 6, NULL, &all), 0);
        ck_assert_ptr_eq(all.os.obj, dflt);
        ck_assert_int_eq(Py_REFCNT(dflt), dflt_refs);
    }
    Py_DECREF(count_name);
    Py_DECREF(kw);
    Py_DECREF(values[0]);
    Py_DECREF(values[1]);
    Py_DECREF(values[2]);
    Py_DECREF(values[3]);
}
END_TEST

/* Py_FinalizeEx() and Py_Initialize() again: the tables are forgotten
 * with the interpreter and filled afresh, names interned in the new one. */
START_TEST(test_reinitialize)
{
    int cycle;
    for (cycle = 0; cycle < 3; cycle++) {
        PyObject *count, *d, *v;
        run(PY_HELPERS
            "assert ff(count=1, ratio=2.0, enabled=False, name='n') == (2, 4.0, True, 'n')\n"
            "assert ff(1, 2.0, False, 'n') == (2, 4.0, True, 'n')\n"
            "kw = ''.join(['na', 'me'])\n"
            "assert ff(1, 2.0, False, **{kw: 'n'}) == (2, 4.0, True, 'n')\n"
            "raises(TypeError, \"ff() missing required argument 'name' (pos 4)\",\n"
            "       ff, 1, 2.0, False, nmae='n')\n"
            "assert all_types(1, 2, 3.0, True, 'x', None)[9] == 'dflt'\n");
        ck_assert(pyz3__params_ff.table->ready);
        count = PyUnicode_InternFromString("count");
        ck_assert_ptr_eq(pyz3__params_ff.table->objs[0], count);
        Py_DECREF(count);
        v = PyLong_FromLong(cycle);
        d = pyz3_dict(&two_keys, pyz3_ref(v), pyz3_ref(v));
        ck_assert_ptr_nonnull(d);
        Py_DECREF(d);
        Py_DECREF(v);
        ck_assert(two_keys.table->ready);

        ck_assert_int_eq(Py_FinalizeEx(), 0);
        ck_assert(!pyz3__params_ff.table->ready);
        ck_assert(!pyz3__params_all_types.table->ready);
        ck_assert(!two_keys.table->ready);
        Py_InitializeEx(0);
    }
}
END_TEST

static Suite *
args_suite(void)
{
    Suite *s = suite_create("args");
    TCase *tc = pyz3_test_case("args");
    tcase_add_test(tc, test_every_type);
    tcase_add_test(tc, test_str_default_object);
    tcase_add_test(tc, test_conversion_errors);
    tcase_add_test(tc, test_callers_exceptions_untouched);
    tcase_add_test(tc, test_converters_match_cpython);
    tcase_add_test(tc, test_release_every_path);
    tcase_add_test(tc, test_positional_only);
    tcase_add_test(tc, test_converters_refcounts);
    tcase_add_test(tc, test_messages_match_cpython);
    tcase_add_test(tc, test_keywords_from_c);
    tcase_add_test(tc, test_many_parameters);
    tcase_add_test(tc, test_gil_scope);
    tcase_add_test(tc, test_bad_description);
    tcase_add_test(tc, test_tuple);
    tcase_add_test(tc, test_dict);
    tcase_add_test(tc, test_refcounts);
    tcase_add_test(tc, test_reinitialize);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return pyz3_test_run(args_suite());
}
