/* args.c -- fuzz target: pyz3_parse_args() with argument vectors and
 * keyword names made from the input. The inline path and the library's
 * copy must agree (result, exception and message, every value), a failure
 * must set an exception and a success none, and each value given must be
 * what the unwrap of its object gives. */
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

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    return 0;
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
    int ra, rb;

    if (size < 2)
        return 0;
    nargs = data[0] % 8;
    nkw = data[1] % 5;
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
            if (pick % 16 < NNAMES)
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
    fuzz_error_clear(&ea);
    fuzz_error_clear(&eb);
    PyErr_Clear();
    Py_XDECREF(kwnames);
    for (k = 0; k < n; k++)
        Py_DECREF(objs[k]);
    return 0;
}
