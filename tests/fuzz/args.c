/* args.c -- fuzz target: pyz3_parse_args() with argument vectors and
 * keyword names made from the input, for two descriptions: one of the
 * unwraps' types, one of Argument Clinic's converters (a positional-only
 * Py_ssize_t, int, int16_t, uint8_t, float, Py_ssize_t or None, a list,
 * bytes, an int object, a buffer and a converter of ours). The inline path
 * and the library's copy must agree (result, exception and message, every
 * value), a failure must set an exception and a success none, each value
 * given by position must be what CPython's getargs gives for it, and every
 * buffer and converter's member must be given back: no reference of an
 * argument is left, and the converter's cleanups match its successes. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct args {
    int64_t i;
    uint64_t u;
    double f;
    bool b;
    bool has_f;
    pyz3_str s;
    PyObject *o;
    bool has_o;
};

static const pyz3_param params_array[] = {
    PYZ3_PARAM(struct args, i, PYZ3_ARG_I64),
    PYZ3_PARAM(struct args, u, PYZ3_ARG_U64, PYZ3_ARG_OPTIONAL, .def.u64 = 7),
    PYZ3_PARAM(struct args, f, PYZ3_ARG_F64, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .given = PYZ3_GIVEN(struct args, has_f), .def.f64 = 0.25),
    PYZ3_PARAM(struct args, s, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL | PYZ3_ARG_NONE_OK,
               .def.str = "d\xc3\xa9""faut"),
    PYZ3_PARAM(struct args, b, PYZ3_ARG_BOOL, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct args, o, PYZ3_ARG_OBJECT, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL,
               .given = PYZ3_GIVEN(struct args, has_o)),
};
static const pyz3_params params = PYZ3_PARAMS("target", params_array);

static const char *const names[] = { "i", "u", "f", "s", "b", "o", "x", "ii", "", "\xc3\xa9" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

struct cargs {
    Py_ssize_t n;
    int i;
    int16_t h;
    uint8_t b;
    float f;
    Py_ssize_t on;
    PyObject *lst;
    PyObject *by;
    PyObject *big;
    Py_buffer buf;
    long c;
    bool has_c;
};

/* The converter of ours: ints only; its successes and cleanups. */
static long conv_ok, conv_cleaned;

static int
conv(PyObject *o, void *member)
{
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "conv: not an int");
        return 0;
    }
    *(long *)member = 1;
    conv_ok++;
    return 1;
}

static void
conv_cleanup(void *member)
{
    conv_cleaned++;
}

static const pyz3_param cparams_array[] = {
    PYZ3_PARAM(struct cargs, n, PYZ3_ARG_SSIZE, PYZ3_ARG_POSONLY),
    PYZ3_PARAM(struct cargs, i, PYZ3_ARG_INT, PYZ3_ARG_OPTIONAL, .def.i64 = -3),
    PYZ3_PARAM(struct cargs, h, PYZ3_ARG_I16, PYZ3_ARG_OPTIONAL),
    PYZ3_PARAM(struct cargs, b, PYZ3_ARG_U8, PYZ3_ARG_OPTIONAL, .def.u64 = 9),
    PYZ3_PARAM(struct cargs, f, PYZ3_ARG_FLOAT, PYZ3_ARG_OPTIONAL, .def.f64 = 0.5),
    PYZ3_PARAM(struct cargs, on, PYZ3_ARG_SSIZE_OR_NONE, PYZ3_ARG_OPTIONAL, .def.i64 = -1),
    PYZ3_PARAM(struct cargs, lst, PYZ3_ARG_OBJECT_OF, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               .cls = &PyList_Type),
    PYZ3_PARAM(struct cargs, by, PYZ3_ARG_BYTES, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
    PYZ3_PARAM(struct cargs, big, PYZ3_ARG_PYLONG, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY),
    PYZ3_PARAM(struct cargs, buf, PYZ3_ARG_BUFFER,
               PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK),
    PYZ3_PARAM(struct cargs, c, PYZ3_ARG_CONVERTER, PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY,
               .given = PYZ3_GIVEN(struct cargs, has_c), .converter = conv,
               .cleanup = conv_cleanup),
};
static const pyz3_params cparams = PYZ3_PARAMS("ctarget", cparams_array);

static const char *const cnames[] = { "n", "i", "h", "b", "f", "on", "lst", "by", "big",
                                      "buf", "c", "x", "" };
#define NCNAMES (sizeof(cnames) / sizeof(cnames[0]))

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    return 0;
}

static void
csame(const struct cargs *a, const struct cargs *b, int rc)
{
    if (rc != 0)
        return;
    if (a->n != b->n || a->i != b->i || a->h != b->h || a->b != b->b
        || memcmp(&a->f, &b->f, sizeof(float)) != 0 || a->on != b->on || a->lst != b->lst
        || a->by != b->by || a->big != b->big || a->buf.obj != b->buf.obj
        || a->buf.buf != b->buf.buf || a->buf.len != b->buf.len || a->has_c != b->has_c)
        fuzz_fail("the inline and out-of-line parsers filled different values");
}

/* Each value given by position must be what getargs' unit for it gives. */
static void
cvalues(const struct cargs *a, PyObject *const *objs, size_t nargs)
{
    static const char *const units[] = { "n", "i", "h", "b", "f" };
    union { Py_ssize_t n; int i; short h; unsigned char b; float f; } v;
    size_t k;
    for (k = 0; k < nargs && k < 5; k++) {
        int ok;
        memset(&v, 0, sizeof(v));
        ok = PyArg_Parse(objs[k], units[k], &v);
        PyErr_Clear();
        if (!ok || (k == 0 && v.n != a->n) || (k == 1 && v.i != a->i) || (k == 2 && v.h != a->h)
            || (k == 3 && v.b != a->b) || (k == 4 && memcmp(&v.f, &a->f, sizeof(float)) != 0))
            fuzz_fail("a positional value is not what getargs gives");
    }
}

static void
same(const struct args *a, const struct args *b, int rc)
{
    if (rc != 0)
        return;
    if (a->i != b->i || a->u != b->u || memcmp(&a->f, &b->f, sizeof(double)) != 0
        || a->b != b->b || a->has_f != b->has_f || a->s.len != b->s.len
        || a->s.obj != b->s.obj || a->o != b->o || a->has_o != b->has_o
        || (a->s.len != 0 && memcmp(a->s.utf8, b->s.utf8, a->s.len) != 0))
        fuzz_fail("the inline and out-of-line parsers filled different values");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PyObject *objs[12] = { NULL }, *kwnames = NULL;
    size_t nargs, nkw, n, k;
    struct args a, b;
    fuzz_error ea, eb;
    int ra, rb, clinic;

    if (size < 2)
        return 0;
    nargs = data[0] % 8;
    nkw = data[1] % 5;
    clinic = (data[1] & 0x80) != 0;
    data += 2;
    size -= 2;
    n = nargs + nkw;
    for (k = 0; k < n; k++)
        objs[k] = fuzz_object(&data, &size);
    if (nkw > 0) {
        kwnames = PyTuple_New((Py_ssize_t)nkw);
        if (kwnames == NULL)
            fuzz_fail("PyTuple_New");
        for (k = 0; k < nkw; k++) {
            unsigned pick = size > 0 ? *data : 0;
            PyObject *name;
            if (size > 0) {
                data++;
                size--;
            }
            /* A name from the list, interned or an equal copy, or any text. */
            if (clinic && pick % 16 < NCNAMES)
                name = pick & 0x80 ? PyUnicode_FromString(cnames[pick % 16])
                                   : PyUnicode_InternFromString(cnames[pick % 16]);
            else if (!clinic && pick % 16 < NNAMES)
                name = pick & 0x80 ? PyUnicode_FromString(names[pick % 16])
                                   : PyUnicode_InternFromString(names[pick % 16]);
            else {
                size_t len = size < (pick % 7) ? size : pick % 7;
                name = PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)len, "replace");
                data += len;
                size -= len;
            }
            if (name == NULL)
                fuzz_fail("a keyword name");
            PyTuple_SET_ITEM(kwnames, (Py_ssize_t)k, name);
        }
    }

    if (clinic) {
        /* Argument Clinic's converters. */
        struct cargs ca, cb;
        Py_ssize_t refs[12];
        for (k = 0; k < n; k++)
            refs[k] = Py_REFCNT(objs[k]);
        memset(&ca, 0x11, sizeof(ca));
        memset(&cb, 0x11, sizeof(cb));
        ra = pyz3_parse_args(&cparams, objs, (Py_ssize_t)nargs, kwnames, &ca);
        if ((ra == -1) != (PyErr_Occurred() != NULL) || (ra != 0 && ra != -1))
            fuzz_fail("pyz3_parse_args: result and exception do not match");
        ea = fuzz_take_error();
        rb = fuzz_ool_parse_args(&cparams, objs, (Py_ssize_t)nargs, kwnames, &cb);
        if ((rb == -1) != (PyErr_Occurred() != NULL))
            fuzz_fail("pyz3_parse_args (out of line): result and exception do not match");
        eb = fuzz_take_error();
        if (ra != rb || !fuzz_same_error(ea, eb)) {
            fprintf(stderr, "inline %d, out of line %d\n", ra, rb);
            fuzz_fail("the inline and out-of-line parsers disagree");
        }
        csame(&ca, &cb, ra);
        if (ra == 0) {
            cvalues(&ca, objs, nargs);
            pyz3_parse_args_release(&cparams, &ca);
            fuzz_ool_parse_args_release(&cparams, &cb);
        }
        if (conv_ok != conv_cleaned)
            fuzz_fail("a converter's member was not cleaned up");
        /* The messages go first: str() of an exception may be a singleton
         * that is an argument too (the empty str). */
        fuzz_error_clear(&ea);
        fuzz_error_clear(&eb);
        /* Not None, True nor False: CPython's own caches hold references
         * to them that come and go (before 3.12, the method cache's empty
         * entries name None, and a look-up that fills one releases it). */
        for (k = 0; k < n; k++)
            if (Py_REFCNT(objs[k]) != refs[k]
                && objs[k] != Py_None && objs[k] != Py_True && objs[k] != Py_False)
                fuzz_fail("a reference of an argument is left (a buffer not released?)");
        goto done;
    }

    memset(&a, 0x11, sizeof(a));
    memset(&b, 0x11, sizeof(b));
    ra = pyz3_parse_args(&params, objs, (Py_ssize_t)nargs, kwnames, &a);
    if ((ra == -1) != (PyErr_Occurred() != NULL) || (ra != 0 && ra != -1))
        fuzz_fail("pyz3_parse_args: result and exception do not match");
    ea = fuzz_take_error();
    rb = fuzz_ool_parse_args(&params, objs, (Py_ssize_t)nargs, kwnames, &b);
    if ((rb == -1) != (PyErr_Occurred() != NULL))
        fuzz_fail("pyz3_parse_args (out of line): result and exception do not match");
    eb = fuzz_take_error();
    if (ra != rb || !fuzz_same_error(ea, eb)) {
        fprintf(stderr, "inline %d, out of line %d\n", ra, rb);
        fuzz_fail("the inline and out-of-line parsers disagree");
    }
    same(&a, &b, ra);
    if (ra == 0 && nargs > 0) {
        /* The first positional argument is i: what unwrap_i64 gives. */
        int64_t v;
        if (pyz3_unwrap_i64(objs[0], &v) < 0 || v != a.i)
            fuzz_fail("i is not what pyz3_unwrap_i64 gives");
    }
    if (ra == 0 && a.s.obj != NULL && (a.s.utf8 == NULL || a.s.utf8[a.s.len] != '\0'))
        fuzz_fail("s is not NUL-terminated");
done:
    fuzz_error_clear(&ea);
    fuzz_error_clear(&eb);
    PyErr_Clear();
    Py_XDECREF(kwnames);
    for (k = 0; k < n; k++)
        Py_DECREF(objs[k]);
    return 0;
}
