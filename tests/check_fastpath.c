/* check_fastpath.c -- the wraps and unwraps of <pyz3/fastpath.h>.
 *
 * The heart is a differential test: each unwrap runs side by side with the
 * CPython function whose behaviour it promises, on thousands of objects
 * made by Python code, and must return the same status and value, raise
 * the same exception type with the same message, and leave the object's
 * reference count alone. Built twice: with the header's inline paths, and
 * with PYZ3_NO_INLINE against the library's out-of-line copies.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyz3_test.h"

/* Python code defining build(seed): a fresh list of the inputs. Integers
 * around every digit and C type edge, int/float/str subclasses, objects
 * whose conversion methods return, raise or return the wrong type, special
 * floats and NaN payloads, strings of every width with NULs and lone
 * surrogates, containers, and seeded random ints, float bit patterns and
 * strings. Backslash-free, so it reads the same in C. */
static const char inputs_code[] =
    "import decimal, fractions, random, struct\n"
    "\n"
    "class IntSub(int): pass\n"
    "class IntSubDunders(int):\n"
    "    def __index__(self): return 99\n"
    "    def __float__(self): return 99.5\n"
    "    def __bool__(self): return False\n"
    "class FloatSub(float): pass\n"
    "class FloatSubDunders(float):\n"
    "    def __float__(self): return 7.25\n"
    "    def __index__(self): return 3\n"
    "    def __bool__(self): return True\n"
    "class StrSub(str): pass\n"
    "class StrSubFalse(str):\n"
    "    def __bool__(self): return False\n"
    "class Boom(Exception): pass\n"
    "\n"
    "def returning(value):\n"
    "    return lambda self: value\n"
    "\n"
    "def raising(cls, msg):\n"
    "    def f(self):\n"
    "        raise cls(msg)\n"
    "    return f\n"
    "\n"
    "def instance(**methods):\n"
    "    name = 'Obj_' + '_'.join(sorted(methods))\n"
    "    return type(name, (), methods)()\n"
    "\n"
    "def double(bits):\n"
    "    return struct.unpack('<d', struct.pack('<Q', bits))[0]\n"
    "\n"
    "RESULTS = {\n"
    "    '__index__': [7, -1, 0, 2**31, 2**63 - 1, 2**63, -2**63,\n"
    "                  -2**63 - 1, 2**64 - 1, 2**64, 10**30, True,\n"
    "                  IntSub(5), 1.5, 'x', None],\n"
    "    '__int__': [7, -3, 2**64, True, IntSub(5), 2.5, 'x', None],\n"
    "    '__float__': [2.5, -0.0, float('nan'), float('inf'),\n"
    "                  FloatSub(1.25), 3, True, 'x', None],\n"
    "    '__bool__': [True, False, 1, 0, None, 'x'],\n"
    "    '__len__': [0, 1, 2**31, 2**63 - 1, 2**63, -1, True, IntSub(2),\n"
    "                1.5, 'x', None],\n"
    "}\n"
    "ERRORS = [(ValueError, 'bad value'), (Boom, 'boom'), (TypeError, 'no'),\n"
    "          (OverflowError, 'big'), (ZeroDivisionError, 'zero'),\n"
    "          (KeyboardInterrupt, 'interrupted')]\n"
    "PAIRS = [('__index__', '__int__'), ('__int__', '__float__'),\n"
    "         ('__index__', '__float__'), ('__bool__', '__len__')]\n"
    "\n"
    "def build(seed):\n"
    "    objs = []\n"
    "    add = objs.append\n"
    "    ints = set(range(-10, 300))\n"
    "    for k in range(131):\n"
    "        for d in (-1, 0, 1):\n"
    "            ints.add(2**k + d)\n"
    "            ints.add(-(2**k + d))\n"
    "    for e in (15, 30, 31, 32, 60, 62, 63, 64):\n"
    "        for d in range(-3, 4):\n"
    "            ints.add(2**e + d)\n"
    "            ints.add(-(2**e + d))\n"
    "    ints.update((10**100, -10**100, 10**1000, -10**1000))\n"
    "    for i, v in enumerate(sorted(ints)):\n"
    "        add(v)\n"
    "        if i % 5 == 0:\n"
    "            add(IntSub(v))\n"
    "        if i % 11 == 0:\n"
    "            add(IntSubDunders(v))\n"
    "    add(True)\n"
    "    add(False)\n"
    "    floats = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, 0.1, 1e16,\n"
    "              1e-300, 1e300, 5e-324, -5e-324, 2.2250738585072014e-308,\n"
    "              2.225073858507201e-308, 1.7976931348623157e308,\n"
    "              -1.7976931348623157e308, 2.0**53, 2.0**53 + 2, 2.0**63,\n"
    "              -2.0**63, 2.0**64, float('nan'), -float('nan'),\n"
    "              float('inf'), -float('inf')]\n"
    "    for bits in (0x7ff0000000000001, 0xfff0000000000001,\n"
    "                 0x7ff8000000000001, 0x7fffffffffffffff,\n"
    "                 0x8000000000000000, 0x0000000000000001):\n"
    "        floats.append(double(bits))\n"
    "    for v in floats:\n"
    "        add(v)\n"
    "        add(FloatSub(v))\n"
    "        add(FloatSubDunders(v))\n"
    "    strs = ['', 'a', 'abc', 'None', 'True', 'False', 'hello world',\n"
    "            'a' + chr(0) + 'b', chr(0), chr(0) * 3, chr(0x7f),\n"
    "            chr(0x80), chr(0xe9), 'caf' + chr(0xe9), chr(0xff) * 5,\n"
    "            chr(0x100), chr(0x20ac), chr(0xfffd), chr(0xffff),\n"
    "            chr(0x10000), chr(0x1f600), chr(0x10ffff), chr(0xd800),\n"
    "            chr(0xdbff), chr(0xdc00), chr(0xdfff), chr(0xdc80),\n"
    "            'a' + chr(0xd800) + 'b', chr(0xd83d) + chr(0xde00),\n"
    "            chr(0x1f600) + chr(0xdfff), 'x' * 10000,\n"
    "            chr(0xe9) * 10000, chr(0x1f600) * 1000, '123', '1.5',\n"
    "            'nan']\n"
    "    for s in strs:\n"
    "        add(s)\n"
    "        add(StrSub(s))\n"
    "        add(StrSubFalse(s))\n"
    "    for name, values in RESULTS.items():\n"
    "        for v in values:\n"
    "            add(instance(**{name: returning(v)}))\n"
    "        for cls, msg in ERRORS:\n"
    "            add(instance(**{name: raising(cls, msg)}))\n"
    "        add(instance(**{name: None}))\n"
    "    for one, two in PAIRS:\n"
    "        for v in RESULTS[one][:4]:\n"
    "            for w in RESULTS[two][:4]:\n"
    "                add(instance(**{one: returning(v), two: returning(w)}))\n"
    "        add(instance(**{one: raising(Boom, 'first'),\n"
    "                        two: returning(RESULTS[two][0])}))\n"
    "        add(instance(**{one: returning(RESULTS[one][0]),\n"
    "                        two: raising(Boom, 'second')}))\n"
    "    D = decimal.Decimal\n"
    "    F = fractions.Fraction\n"
    "    objs.extend([None, Ellipsis, NotImplemented, [], [0],\n"
    "                 list(range(1000)), {}, {0: 0}, (), (0,), set(), {0},\n"
    "                 frozenset(), b'', b'abc', bytes(1), bytearray(),\n"
    "                 bytearray(b'ab'), memoryview(b'ab'), range(0),\n"
    "                 range(5), object(), int, float, str, bool, 0j, 1j,\n"
    "                 complex(0, -0.0), D('1.5'), D('-0'), D('NaN'),\n"
    "                 D('sNaN'), D('1e400'), D('-1e400'), D(2**63),\n"
    "                 F(1, 3), F(10**30), F(-7), F(0)])\n"
    "    rng = random.Random(seed)\n"
    "    for _ in range(2000):\n"
    "        bits = rng.choice((8, 16, 31, 32, 33, 62, 63, 64, 65, 100,\n"
    "                           rng.randrange(1, 140)))\n"
    "        v = rng.getrandbits(bits)\n"
    "        add(-v if rng.random() < 0.5 else v)\n"
    "    for _ in range(1500):\n"
    "        add(double(rng.getrandbits(64)))\n"
    "    for _ in range(500):\n"
    "        add(rng.uniform(-1e20, 1e20))\n"
    "    def char():\n"
    "        r = rng.random()\n"
    "        if r < 0.4:\n"
    "            return chr(rng.randrange(0x80))\n"
    "        if r < 0.6:\n"
    "            return chr(rng.randrange(0x80, 0x100))\n"
    "        if r < 0.85:\n"
    "            return chr(rng.randrange(0x100, 0x10000))\n"
    "        return chr(rng.randrange(0x10000, 0x110000))\n"
    "    for _ in range(2000):\n"
    "        n = rng.randrange(24)\n"
    "        if rng.random() < 0.3:\n"
    "            add(''.join(chr(rng.randrange(0x80)) for _ in range(n)))\n"
    "        else:\n"
    "            add(''.join(char() for _ in range(n)))\n"
    "    return objs\n"
    ;

#define INPUTS_SEED 271828

enum unwrap_kind {
    UNWRAP_I64,
    UNWRAP_U64,
    UNWRAP_F64,
    UNWRAP_BOOL,
    UNWRAP_STR,
    UNWRAP_STR_NOLEN,       /* pyz3_unwrap_str with a NULL len */
    UNWRAP_KINDS
};

static const char *const unwrap_names[UNWRAP_KINDS] = {
    "i64", "u64", "f64", "bool", "str", "str(len NULL)",
};

/* What one call did: its status, its value, the exception it raised. */
struct outcome {
    int rc;
    int64_t i64;
    uint64_t u64;
    double f64;
    unsigned char b;        /* the bool's byte: must be 0 or 1 */
    const char *s;
    size_t len;
    int out_written;        /* an output was stored (checked on failure) */
    PyObject *exc_type;     /* new reference, or NULL */
    PyObject *exc_msg;      /* str() of the exception, or NULL */
};

/* What the outputs hold before a call: an unwrap that fails must leave
 * them so. */
#define SENT_I64  INT64_C(0x5a5a5a5a5a5a5a5a)
#define SENT_U64  UINT64_C(0xa5a5a5a5a5a5a5a5)
#define SENT_BYTE 0xa5
#define SENT_LEN  ((size_t)0x5a5a5a5a)
static const char sent_str[] = "untouched";
static const double sent_f64 = -12345.678;

/* Move the pending exception, if any, into `r`. */
static void
take_error(struct outcome *r)
{
    PyObject *exc;
#if PY_VERSION_HEX >= 0x030C0000
    exc = PyErr_GetRaisedException();
#else
    PyObject *type, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    if (type != NULL)
        PyErr_NormalizeException(&type, &exc, &tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
#endif
    r->exc_type = NULL;
    r->exc_msg = NULL;
    if (exc == NULL)
        return;
    r->exc_type = (PyObject *)Py_TYPE(exc);
    Py_INCREF(r->exc_type);
    r->exc_msg = PyObject_Str(exc);
    if (r->exc_msg == NULL)
        PyErr_Clear();
    Py_DECREF(exc);
}

static void
outcome_clear(struct outcome *r)
{
    Py_CLEAR(r->exc_type);
    Py_CLEAR(r->exc_msg);
}

static void
run_ours(int kind, PyObject *o, struct outcome *r)
{
    int64_t i = SENT_I64;
    uint64_t u = SENT_U64;
    double f = sent_f64;
    union { bool b; unsigned char byte; } b;
    const char *s = sent_str;
    size_t len = SENT_LEN;

    b.byte = SENT_BYTE;
    switch (kind) {
    case UNWRAP_I64:
        r->rc = pyz3_unwrap_i64(o, &i);
        break;
    case UNWRAP_U64:
        r->rc = pyz3_unwrap_u64(o, &u);
        break;
    case UNWRAP_F64:
        r->rc = pyz3_unwrap_f64(o, &f);
        break;
    case UNWRAP_BOOL:
        r->rc = pyz3_unwrap_bool(o, &b.b);
        break;
    case UNWRAP_STR:
        r->rc = pyz3_unwrap_str(o, &s, &len);
        break;
    default:
        r->rc = pyz3_unwrap_str(o, &s, NULL);
        break;
    }
    r->out_written = i != SENT_I64 || u != SENT_U64
                     || memcmp(&f, &sent_f64, sizeof f) != 0
                     || b.byte != SENT_BYTE || s != sent_str
                     || len != SENT_LEN;
    r->i64 = i;
    r->u64 = u;
    r->f64 = f;
    r->b = b.byte;
    r->s = s;
    r->len = len;
    take_error(r);
}

static void
run_cpython(int kind, PyObject *o, struct outcome *r)
{
    long long i;
    unsigned long long u;
    double f;
    int b;
    const char *s;
    Py_ssize_t len;

    switch (kind) {
    case UNWRAP_I64:
        i = PyLong_AsLongLong(o);
        r->rc = i == -1 && PyErr_Occurred() ? -1 : 0;
        r->i64 = (int64_t)i;
        break;
    case UNWRAP_U64:
        u = PyLong_AsUnsignedLongLong(o);
        r->rc = u == (unsigned long long)-1 && PyErr_Occurred() ? -1 : 0;
        r->u64 = (uint64_t)u;
        break;
    case UNWRAP_F64:
        f = PyFloat_AsDouble(o);
        r->rc = f == -1.0 && PyErr_Occurred() ? -1 : 0;
        r->f64 = f;
        break;
    case UNWRAP_BOOL:
        b = PyObject_IsTrue(o);
        r->rc = b < 0 ? -1 : 0;
        r->b = b > 0;
        break;
    case UNWRAP_STR:
        s = PyUnicode_AsUTF8AndSize(o, &len);
        r->rc = s == NULL ? -1 : 0;
        r->s = s;
        r->len = (size_t)len;
        break;
    default:
        s = PyUnicode_AsUTF8AndSize(o, NULL);
        r->rc = s == NULL ? -1 : 0;
        r->s = s;
        break;
    }
    take_error(r);
}

/* The differential run of one test: its inputs and what it found, counted
 * by unwrap and kind of difference so that one bug does not hide another. */
#define DIFF_SHOWN 3
struct diff {
    PyObject *objs;
    const char *mode;
    size_t mismatches;
    size_t nkinds;
    struct {
        int unwrap;
        const char *what;
        size_t count;
    } kinds[64];
};

/* ascii(o), cut to a readable length; never fails. */
static void
describe(PyObject *o, char *buf, size_t size)
{
    PyObject *text = PyObject_ASCII(o);
    const char *s = text != NULL ? PyUnicode_AsUTF8(text) : NULL;
    if (s == NULL) {
        PyErr_Clear();
        s = "<no repr>";
    }
    if (strlen(s) < size)
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "%.*s...", (int)size - 4, s);
    Py_XDECREF(text);
}

static void
exc_text(const struct outcome *r, char *buf, size_t size)
{
    const char *msg = r->exc_msg != NULL ? PyUnicode_AsUTF8(r->exc_msg) : NULL;
    if (r->exc_type == NULL) {
        snprintf(buf, size, "no exception");
        return;
    }
    if (msg == NULL)
        PyErr_Clear();
    snprintf(buf, size, "%s(%.120s)", ((PyTypeObject *)r->exc_type)->tp_name,
             msg != NULL ? msg : "<no str>");
}

static void
mismatch(struct diff *d, size_t index, int kind, PyObject *o,
         const char *what, const struct outcome *ours,
         const struct outcome *ref)
{
    char obj[96], e1[200], e2[200];
    size_t k;
    d->mismatches++;
    for (k = 0; k < d->nkinds; k++)
        if (d->kinds[k].unwrap == kind && d->kinds[k].what == what)
            break;
    if (k == d->nkinds && k < sizeof d->kinds / sizeof d->kinds[0]) {
        d->kinds[k].unwrap = kind;
        d->kinds[k].what = what;
        d->kinds[k].count = 0;
        d->nkinds++;
    }
    if (k < d->nkinds && d->kinds[k].count++ >= DIFF_SHOWN)
        return;
    describe(o, obj, sizeof obj);
    exc_text(ours, e1, sizeof e1);
    exc_text(ref, e2, sizeof e2);
    fprintf(stderr,
            "%s: pyz3_unwrap_%s(inputs[%zu] = %s: %s): %s\n"
            "    ours:    rc %d, %s\n"
            "    CPython: rc %d, %s\n",
            d->mode, unwrap_names[kind], index, Py_TYPE(o)->tp_name, obj,
            what, ours->rc, e1, ref->rc, e2);
}

static int
same_exception(const struct outcome *a, const struct outcome *b)
{
    if (a->exc_type != b->exc_type)
        return 0;
    if (a->exc_msg == NULL || b->exc_msg == NULL)
        return a->exc_msg == b->exc_msg;
    return PyUnicode_Compare(a->exc_msg, b->exc_msg) == 0;
}

/* The values of two successful calls, as `kind` defines equality: floats
 * bit for bit, strings by length and bytes. */
static const char *
value_mismatch(int kind, const struct outcome *ours, const struct outcome *ref)
{
    switch (kind) {
    case UNWRAP_I64:
        return ours->i64 != ref->i64 ? "different value" : NULL;
    case UNWRAP_U64:
        return ours->u64 != ref->u64 ? "different value" : NULL;
    case UNWRAP_F64:
        return memcmp(&ours->f64, &ref->f64, sizeof(double)) != 0
               ? "different bits" : NULL;
    case UNWRAP_BOOL:
        if (ours->b > 1)
            return "stored a bool that is neither 0 nor 1";
        return ours->b != ref->b ? "different truth" : NULL;
    case UNWRAP_STR:
        if (ours->len != ref->len)
            return "different length";
        if (memcmp(ours->s, ref->s, ref->len) != 0)
            return "different bytes";
        return ours->s[ours->len] != '\0' ? "not NUL-terminated" : NULL;
    default:
        return strcmp(ours->s, ref->s) != 0 ? "different bytes" : NULL;
    }
}

/* After a success of ours on an object of the exact type: the matching
 * wrap must give back an equal object. */
static const char *
round_trip_mismatch(int kind, PyObject *o, const struct outcome *ours)
{
    PyObject *w = NULL;
    const char *bad = NULL;
    double f;
    int eq;

    switch (kind) {
    case UNWRAP_I64:
    case UNWRAP_U64:
        if (!PyLong_CheckExact(o))
            return NULL;
        w = kind == UNWRAP_I64 ? pyz3_wrap_i64(ours->i64)
                               : pyz3_wrap_u64(ours->u64);
        break;
    case UNWRAP_F64:
        if (!PyFloat_CheckExact(o))
            return NULL;
        if ((w = pyz3_wrap_f64(ours->f64)) == NULL)
            break;
        f = PyFloat_AsDouble(w);
        Py_DECREF(w);
        return memcmp(&f, &ours->f64, sizeof f) != 0
               ? "wrap_f64 of the value has other bits" : NULL;
    case UNWRAP_BOOL:
        w = pyz3_wrap_bool(ours->b != 0);
        bad = w != (ours->b ? Py_True : Py_False)
              ? "wrap_bool of the value is not the singleton" : NULL;
        Py_XDECREF(w);
        return bad;
    case UNWRAP_STR:
        if (!PyUnicode_CheckExact(o))
            return NULL;
        w = pyz3_wrap_str(ours->s, ours->len);
        break;
    default:
        return NULL;
    }
    if (w == NULL) {
        PyErr_Clear();
        return "the wrap of the value failed";
    }
    eq = PyObject_RichCompareBool(w, o, Py_EQ);
    Py_DECREF(w);
    if (eq < 0)
        PyErr_Clear();
    return eq == 1 ? NULL : "the wrap of the value is not equal to the input";
}

static void
diff_one(struct diff *d, size_t index, int kind, int ours_first)
{
    PyObject *o = PyList_GET_ITEM(d->objs, (Py_ssize_t)index);
    struct outcome ours = { 0 }, ref = { 0 };
    Py_ssize_t before = Py_REFCNT(o);
    Py_ssize_t ours_delta, ref_delta;
    const char *bad = NULL;

    if (ours_first) {
        run_ours(kind, o, &ours);
        ours_delta = Py_REFCNT(o) - before;
        run_cpython(kind, o, &ref);
        ref_delta = Py_REFCNT(o) - before - ours_delta;
    } else {
        run_cpython(kind, o, &ref);
        ref_delta = Py_REFCNT(o) - before;
        run_ours(kind, o, &ours);
        ours_delta = Py_REFCNT(o) - before - ref_delta;
    }

    if (ours.rc != 0 && ours.rc != -1)
        bad = "returned neither 0 nor -1";
    else if (ours.rc != ref.rc)
        bad = "different status";
    else if (ours.rc == 0 && ours.exc_type != NULL)
        bad = "succeeded with an exception set";
    else if (ours.rc == 0)
        bad = value_mismatch(kind, &ours, &ref);
    else if (ours.exc_type == NULL)
        bad = "failed without an exception";
    else if (!same_exception(&ours, &ref))
        bad = "different exception";
    else if (ours.out_written)
        bad = "wrote its output on failure";
    if (bad == NULL && ours_delta != 0)
        bad = "changed the input's reference count";
    if (bad == NULL && ref_delta != 0)
        bad = "CPython's function changed the input's reference count";
    if (bad == NULL && ours.rc == 0)
        bad = round_trip_mismatch(kind, o, &ours);
    if (bad != NULL)
        mismatch(d, index, kind, o, bad, &ours, &ref);
    outcome_clear(&ours);
    outcome_clear(&ref);
}

static PyObject *
build_inputs(unsigned long seed)
{
    PyObject *ns, *build, *objs;
    ns = pyz3_test_exec(inputs_code);
    if (ns == NULL)
        return NULL;
    build = PyDict_GetItemString(ns, "build");
    objs = build != NULL ? PyObject_CallFunction(build, "k", seed) : NULL;
    Py_DECREF(ns);
    return objs;
}

static void
set_warnings(const char *action)
{
    char code[120];
    PyObject *ns;
    snprintf(code, sizeof code,
             "import warnings\nwarnings.simplefilter('%s')\n", action);
    ns = pyz3_test_exec(code);
    ck_assert_msg(ns != NULL, "cannot set the warnings filter");
    Py_DECREF(ns);
}

/* PYZ3_TEST_SEED in the environment draws other random inputs. */
static unsigned long
inputs_seed(void)
{
    const char *env = getenv("PYZ3_TEST_SEED");
    return env != NULL ? strtoul(env, NULL, 0) : INPUTS_SEED;
}

/* Loop index bit 0: whose function runs first (ours caches nothing, but
 * CPython's str conversion does); bit 1: warnings ignored or raised
 * (3.8 and 3.9 warn on __int__, 3.9+ on bool(NotImplemented)). */
START_TEST(test_unwrap_differential)
{
    int ours_first = (_i & 1) == 0;
    const char *action = (_i & 2) ? "error" : "ignore";
    char mode[80];
    unsigned long seed = inputs_seed();
    struct diff d;
    size_t i, n;
    int kind;

    snprintf(mode, sizeof mode, "%s first, warnings %s, seed %lu",
             ours_first ? "ours" : "CPython", action, seed);
    memset(&d, 0, sizeof d);
    d.mode = mode;
    d.objs = build_inputs(seed);
    if (d.objs == NULL)
        PyErr_Print();
    ck_assert_msg(d.objs != NULL && PyList_CheckExact(d.objs),
                  "the inputs could not be built");
    set_warnings(action);
    n = (size_t)PyList_GET_SIZE(d.objs);
    ck_assert_uint_ge(n, 7000);
    for (i = 0; i < n; i++)
        for (kind = 0; kind < UNWRAP_KINDS; kind++)
            diff_one(&d, i, kind, ours_first);
    pyz3_test_no_error();
    Py_DECREF(d.objs);
    for (i = 0; i < d.nkinds; i++)
        fprintf(stderr, "%s: pyz3_unwrap_%s: %s: %zu inputs\n", mode,
                unwrap_names[d.kinds[i].unwrap], d.kinds[i].what,
                d.kinds[i].count);
    ck_assert_msg(d.mismatches == 0,
                  "%zu differences from CPython (%s), listed on stderr",
                  d.mismatches, mode);
}
END_TEST

/* ------------------------------------------------------------------------
 * Direct checks of the unwraps, with the expected results written out. */

static PyObject *
eval(const char *expr)
{
    PyObject *ns = pyz3_test_exec(""), *res;
    ck_assert_ptr_nonnull(ns);
    res = PyRun_String(expr, Py_eval_input, ns, ns);
    Py_DECREF(ns);
    if (res == NULL)
        PyErr_Print();
    ck_assert_msg(res != NULL, "cannot evaluate %s", expr);
    return res;
}

START_TEST(test_unwrap_i64)
{
    static const struct { const char *expr; int64_t value; } ok[] = {
        { "0", 0 }, { "-1", -1 }, { "2**30 - 1", (INT64_C(1) << 30) - 1 },
        { "2**30", INT64_C(1) << 30 }, { "-2**30", -(INT64_C(1) << 30) },
        { "2**63 - 1", INT64_MAX }, { "-2**63", INT64_MIN },
        { "True", 1 }, { "False", 0 },
    };
    static const struct { const char *expr; PyObject **type; } bad[] = {
        { "2**63", &PyExc_OverflowError },
        { "-2**63 - 1", &PyExc_OverflowError },
        { "10**100", &PyExc_OverflowError }, { "'1'", &PyExc_TypeError },
        { "None", &PyExc_TypeError }, { "[]", &PyExc_TypeError },
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        PyObject *o = eval(ok[i].expr);
        int64_t v = 0;
        ck_assert_int_eq(pyz3_unwrap_i64(o, &v), 0);
        ck_assert_msg(v == ok[i].value, "unwrap_i64(%s)", ok[i].expr);
        Py_DECREF(o);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        PyObject *o = eval(bad[i].expr);
        int64_t v = 42;
        ck_assert_int_eq(pyz3_unwrap_i64(o, &v), -1);
        pyz3_test_raised(*bad[i].type);
        ck_assert_int_eq(v, 42);
        Py_DECREF(o);
    }
}
END_TEST

START_TEST(test_unwrap_u64)
{
    static const struct { const char *expr; uint64_t value; } ok[] = {
        { "0", 0 }, { "256", 256 }, { "2**63", UINT64_C(1) << 63 },
        { "2**64 - 1", UINT64_MAX }, { "True", 1 },
    };
    static const struct { const char *expr; PyObject **type; } bad[] = {
        { "-1", &PyExc_OverflowError }, { "-2**63", &PyExc_OverflowError },
        { "2**64", &PyExc_OverflowError }, { "1.0", &PyExc_TypeError },
        { "None", &PyExc_TypeError },
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        PyObject *o = eval(ok[i].expr);
        uint64_t v = 0;
        ck_assert_int_eq(pyz3_unwrap_u64(o, &v), 0);
        ck_assert_msg(v == ok[i].value, "unwrap_u64(%s)", ok[i].expr);
        Py_DECREF(o);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        PyObject *o = eval(bad[i].expr);
        uint64_t v = 42;
        ck_assert_int_eq(pyz3_unwrap_u64(o, &v), -1);
        pyz3_test_raised(*bad[i].type);
        ck_assert_uint_eq(v, 42);
        Py_DECREF(o);
    }
}
END_TEST

START_TEST(test_unwrap_f64)
{
    PyObject *o;
    double v;

    o = eval("-0.0");
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), 0);
    ck_assert(v == 0.0 && signbit(v));
    Py_DECREF(o);
    o = eval("float('nan')");
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), 0);
    ck_assert(isnan(v));
    Py_DECREF(o);
    o = eval("-1.0");
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), 0);
    ck_assert(v == -1.0);
    pyz3_test_no_error();
    Py_DECREF(o);
    o = eval("2**53 + 1");
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), 0);
    ck_assert(v == 9007199254740992.0);
    Py_DECREF(o);
    o = eval("10**400");
    v = 42.0;
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), -1);
    pyz3_test_raised(PyExc_OverflowError);
    ck_assert(v == 42.0);
    Py_DECREF(o);
    o = eval("'1.5'");
    ck_assert_int_eq(pyz3_unwrap_f64(o, &v), -1);
    pyz3_test_raised(PyExc_TypeError);
    Py_DECREF(o);
}
END_TEST

/* The unwrap `kind` of the object `expr` makes fails as CPython's own
 * function fails on it: same exception type, same message, no output
 * written. */
static void
check_same_error(int kind, const char *expr)
{
    PyObject *o = eval(expr);
    struct outcome ours, theirs;

    run_cpython(kind, o, &theirs);
    run_ours(kind, o, &ours);
    ck_assert_msg(theirs.rc == -1 && theirs.exc_type != NULL, "CPython accepts %s", expr);
    ck_assert_msg(ours.rc == -1 && !ours.out_written, "the unwrap of %s did not fail cleanly", expr);
    ck_assert_msg(ours.exc_type == theirs.exc_type, "%s: raised %s, CPython raises %s", expr,
                  ((PyTypeObject *)ours.exc_type)->tp_name,
                  ((PyTypeObject *)theirs.exc_type)->tp_name);
    ck_assert_msg(ours.exc_msg != NULL && theirs.exc_msg != NULL
                  && PyObject_RichCompareBool(ours.exc_msg, theirs.exc_msg, Py_EQ) == 1,
                  "%s: not CPython's message", expr);
    outcome_clear(&ours);
    outcome_clear(&theirs);
    Py_DECREF(o);
}

START_TEST(test_unwrap_bool)
{
    static const struct { const char *expr; bool value; } ok[] = {
        { "True", true }, { "False", false }, { "0", false }, { "-1", true },
        { "0.0", false }, { "-0.0", false }, { "float('nan')", true },
        { "''", false }, { "'0'", true }, { "[]", false }, { "[0]", true },
        { "None", false }, { "object()", true },
    };
    size_t i;
    PyObject *o;
    bool v;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        o = eval(ok[i].expr);
        v = !ok[i].value;
        ck_assert_int_eq(pyz3_unwrap_bool(o, &v), 0);
        ck_assert_msg(v == ok[i].value, "unwrap_bool(%s)", ok[i].expr);
        Py_DECREF(o);
    }
    /* What these raise is the running CPython's to say: 3.15.2 raises
     * AttributeError('__module__') for a __bool__ that returns an int in a
     * class made without a module, where earlier versions raise
     * TypeError. */
    check_same_error(UNWRAP_BOOL, "type('LenOverflow', (), {'__len__': lambda self: 2**70})()");
    check_same_error(UNWRAP_BOOL, "type('BoolInt', (), {'__bool__': lambda self: 1})()");
    check_same_error(UNWRAP_BOOL, "type('BoolNone', (), {'__bool__': lambda self: None})()");
}
END_TEST

START_TEST(test_unwrap_str)
{
    PyObject *o;
    const char *s;
    size_t len;

    o = eval("'caf' + chr(0xe9) + chr(0) + chr(0x1f600)");
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, &len), 0);
    ck_assert_uint_eq(len, 10);
    ck_assert(memcmp(s, "caf\xc3\xa9\0\xf0\x9f\x98\x80", 11) == 0);
    s = NULL;
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, NULL), 0);
    ck_assert_ptr_nonnull(s);
    Py_DECREF(o);
    o = eval("''");
    len = 1;
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, &len), 0);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(s[0], '\0');
    Py_DECREF(o);
    o = eval("'a' + chr(0xd800)");
    s = sent_str;
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, &len), -1);
    pyz3_test_raised(PyExc_UnicodeEncodeError);
    ck_assert_ptr_eq(s, sent_str);
    Py_DECREF(o);
    o = eval("b'abc'");
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, &len), -1);
    pyz3_test_raised(PyExc_TypeError);
    Py_DECREF(o);
}
END_TEST

/* ------------------------------------------------------------------------
 * The wraps. */

/* `a` and `b` are the results of two identical wrap calls and `refcnt` was
 * a's count just before the second: each call must have returned a new
 * reference, to one shared object or to two fresh ones. Releases b. */
static void
check_new_refs(PyObject *a, Py_ssize_t refcnt, PyObject *b)
{
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    if (a == b)
        ck_assert(pyz3_test_immortal(a) || Py_REFCNT(a) == refcnt + 1);
    else
        ck_assert(Py_REFCNT(a) == 1 && Py_REFCNT(b) == 1);
    Py_DECREF(b);
}

static const int64_t i64_edges[] = {
    0, 1, -1, -5, -6, 255, 256, 257, -255, -256, -257,
    INT16_MAX, INT16_MIN, INT16_MAX + 1, INT16_MIN - 1,
    (INT64_C(1) << 30) - 1, INT64_C(1) << 30, (INT64_C(1) << 30) + 1,
    -(INT64_C(1) << 30) + 1, -(INT64_C(1) << 30), -(INT64_C(1) << 30) - 1,
    INT32_MAX, INT32_MIN, (INT64_C(1) << 31), -(INT64_C(1) << 31) - 1,
    INT64_C(1) << 32, (INT64_C(1) << 32) - 1, (INT64_C(1) << 32) + 1,
    -(INT64_C(1) << 32), INT64_C(1) << 60, (INT64_C(1) << 62) - 1,
    INT64_C(1) << 62, -(INT64_C(1) << 62), INT64_MAX - 1, INT64_MAX,
    INT64_MIN + 1, INT64_MIN,
};

/* xorshift64: reproducible values spread over all magnitudes. */
static uint64_t
next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static void
check_wrap_i64(int64_t v)
{
    PyObject *a, *ref;
    Py_ssize_t refcnt;
    int64_t back = 0;
    a = pyz3_wrap_i64(v);
    ck_assert_ptr_nonnull(a);
    ck_assert(PyLong_CheckExact(a));
    refcnt = Py_REFCNT(a);
    check_new_refs(a, refcnt, pyz3_wrap_i64(v));
    ref = PyLong_FromLongLong(v);
    ck_assert_int_eq(PyObject_RichCompareBool(a, ref, Py_EQ), 1);
    Py_DECREF(ref);
    if (v >= -5 && v <= 256) {
        ref = PyLong_FromLong((long)v);
        ck_assert_ptr_eq(a, ref);
        Py_DECREF(ref);
    }
    ck_assert_int_eq(pyz3_unwrap_i64(a, &back), 0);
    ck_assert(back == v);
    Py_DECREF(a);
}

START_TEST(test_wrap_i64)
{
    uint64_t state = UINT64_C(0x9e3779b97f4a7c15);
    size_t i;
    int64_t v;
    for (i = 0; i < sizeof i64_edges / sizeof i64_edges[0]; i++)
        check_wrap_i64(i64_edges[i]);
    for (v = -300; v <= 300; v++)
        check_wrap_i64(v);
    for (i = 0; i < 20000; i++) {
        uint64_t r = next_random(&state);
        check_wrap_i64((int64_t)(r >> (r & 63)) * ((r & 64) ? -1 : 1));
    }
    pyz3_test_no_error();
}
END_TEST

static void
check_wrap_u64(uint64_t v)
{
    PyObject *a, *ref;
    Py_ssize_t refcnt;
    uint64_t back = 0;
    a = pyz3_wrap_u64(v);
    ck_assert_ptr_nonnull(a);
    ck_assert(PyLong_CheckExact(a));
    refcnt = Py_REFCNT(a);
    check_new_refs(a, refcnt, pyz3_wrap_u64(v));
    ref = PyLong_FromUnsignedLongLong(v);
    ck_assert_int_eq(PyObject_RichCompareBool(a, ref, Py_EQ), 1);
    Py_DECREF(ref);
    if (v <= 256) {
        ref = PyLong_FromLong((long)v);
        ck_assert_ptr_eq(a, ref);
        Py_DECREF(ref);
    }
    ck_assert_int_eq(pyz3_unwrap_u64(a, &back), 0);
    ck_assert(back == v);
    Py_DECREF(a);
}

START_TEST(test_wrap_u64)
{
    static const uint64_t edges[] = {
        0, 1, 255, 256, 257, UINT16_MAX, (UINT64_C(1) << 30) - 1,
        UINT64_C(1) << 30, UINT32_MAX, UINT64_C(1) << 32,
        (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX - 1,
        UINT64_MAX,
    };
    uint64_t state = UINT64_C(0x2545f4914f6cdd1d);
    size_t i;
    for (i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_wrap_u64(edges[i]);
    for (i = 0; i < 300; i++)
        check_wrap_u64(i);
    for (i = 0; i < 20000; i++) {
        uint64_t r = next_random(&state);
        check_wrap_u64(r >> (r & 63));
    }
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_wrap_f64)
{
    const double values[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1e300, -1e-300, DBL_MIN, DBL_MAX,
        -DBL_MAX, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_EPSILON, 9007199254740993.0,
        HUGE_VAL, -HUGE_VAL, NAN, -NAN,
    };
    size_t i;
    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        PyObject *a = pyz3_wrap_f64(values[i]);
        Py_ssize_t refcnt;
        double back;
        ck_assert_ptr_nonnull(a);
        ck_assert(PyFloat_CheckExact(a));
        back = PyFloat_AS_DOUBLE(a);
        ck_assert_msg(memcmp(&back, &values[i], sizeof back) == 0,
                      "wrap_f64(%g) changed the bits", values[i]);
        refcnt = Py_REFCNT(a);
        check_new_refs(a, refcnt, pyz3_wrap_f64(values[i]));
        Py_DECREF(a);
    }
    {
        PyObject *z = pyz3_wrap_f64(-0.0), *n = pyz3_wrap_f64(NAN);
        PyObject *inf = pyz3_wrap_f64(-INFINITY);
        ck_assert(copysign(1.0, PyFloat_AsDouble(z)) == -1.0);
        ck_assert(isnan(PyFloat_AsDouble(n)));
        ck_assert(isinf(PyFloat_AsDouble(inf)) && PyFloat_AsDouble(inf) < 0);
        Py_DECREF(z);
        Py_DECREF(n);
        Py_DECREF(inf);
    }
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_wrap_bool)
{
    PyObject *t = pyz3_wrap_bool(true), *f = pyz3_wrap_bool(false);
    Py_ssize_t refcnt;
    ck_assert_ptr_eq(t, Py_True);
    ck_assert_ptr_eq(f, Py_False);
    refcnt = Py_REFCNT(t);
    check_new_refs(t, refcnt, pyz3_wrap_bool(true));
    refcnt = Py_REFCNT(f);
    check_new_refs(f, refcnt, pyz3_wrap_bool(false));
    Py_DECREF(t);
    Py_DECREF(f);
}
END_TEST

START_TEST(test_wrap_str)
{
    static const char text[] = "a\0b\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    const size_t text_len = sizeof text - 1;
    PyObject *o, *ref;
    const char *s;
    size_t len;
    Py_ssize_t refcnt;

    o = pyz3_wrap_str(text, text_len);
    ck_assert_ptr_nonnull(o);
    ck_assert(PyUnicode_CheckExact(o));
    ck_assert_int_eq(PyUnicode_GetLength(o), 6);
    ck_assert_int_eq(PyUnicode_ReadChar(o, 1), 0);
    ck_assert_int_eq(PyUnicode_ReadChar(o, 5), 0x1f600);
    ref = PyUnicode_DecodeUTF8(text, (Py_ssize_t)text_len, NULL);
    ck_assert_int_eq(PyObject_RichCompareBool(o, ref, Py_EQ), 1);
    Py_DECREF(ref);
    ck_assert_int_eq(pyz3_unwrap_str(o, &s, &len), 0);
    ck_assert_uint_eq(len, text_len);
    ck_assert(memcmp(s, text, text_len) == 0);
    refcnt = Py_REFCNT(o);
    check_new_refs(o, refcnt, pyz3_wrap_str(text, text_len));
    Py_DECREF(o);

    o = pyz3_wrap_str("hello", 5);
    ck_assert_int_eq(PyUnicode_CompareWithASCIIString(o, "hello"), 0);
    Py_DECREF(o);
    o = pyz3_wrap_str("hello", 3);
    ck_assert_int_eq(PyUnicode_CompareWithASCIIString(o, "hel"), 0);
    Py_DECREF(o);
    o = pyz3_wrap_str("\xc3\xa9", 2);
    refcnt = Py_REFCNT(o);
    check_new_refs(o, refcnt, pyz3_wrap_str("\xc3\xa9", 2));
    Py_DECREF(o);
}
END_TEST

START_TEST(test_wrap_str_empty_and_null)
{
    PyObject *o;
    Py_ssize_t refcnt;
    o = pyz3_wrap_str(NULL, 0);
    ck_assert_ptr_nonnull(o);
    ck_assert(PyUnicode_CheckExact(o));
    ck_assert_int_eq(PyUnicode_GetLength(o), 0);
    refcnt = Py_REFCNT(o);
    check_new_refs(o, refcnt, pyz3_wrap_str(NULL, 0));
    Py_DECREF(o);
    o = pyz3_wrap_str("abc", 0);
    ck_assert_int_eq(PyUnicode_GetLength(o), 0);
    Py_DECREF(o);
    ck_assert_ptr_null(pyz3_wrap_str(NULL, 5));
    pyz3_test_raised(PyExc_SystemError);
    ck_assert_ptr_null(pyz3_wrap_str("abc", (size_t)PY_SSIZE_T_MAX + 1));
    pyz3_test_raised(PyExc_OverflowError);
    ck_assert_ptr_null(pyz3_wrap_str("abc", SIZE_MAX));
    pyz3_test_raised(PyExc_OverflowError);
}
END_TEST

/* Each must raise UnicodeDecodeError with CPython's own message. */
static const struct { const char *bytes; size_t len; } invalid_utf8[] = {
    { "\xc0\x80", 2 },                  /* overlong NUL */
    { "\xc1\xbf", 2 },                  /* overlong U+007F */
    { "\xe0\x80\xaf", 3 },              /* overlong '/' */
    { "\xf0\x82\x82\xac", 4 },          /* overlong U+20AC */
    { "\xc3", 1 },                      /* truncated 2-byte */
    { "\xe2\x82", 2 },                  /* truncated 3-byte */
    { "a\xf0\x9f\x98", 4 },             /* truncated 4-byte */
    { "\xed\xa0\x80", 3 },              /* U+D800 */
    { "\xed\xbf\xbf", 3 },              /* U+DFFF */
    { "\xed\xa0\xbd\xed\xb8\x80", 6 },  /* a surrogate pair, CESU-8 */
    { "\xf4\x90\x80\x80", 4 },          /* beyond U+10FFFF */
    { "\xf8\x88\x80\x80\x80", 5 },      /* a 5-byte form */
    { "\x80", 1 },                      /* a lone continuation byte */
    { "\xff", 1 },
    { "\xfe\xff", 2 },
    { "ok\xff", 3 },
    { "caf\xc3\xa9\xff", 6 },
};

START_TEST(test_wrap_str_invalid)
{
    size_t i;
    for (i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
        const char *bytes = invalid_utf8[i].bytes;
        size_t len = invalid_utf8[i].len;
        struct outcome ours = { 0 }, ref = { 0 };
        ck_assert_msg(pyz3_wrap_str(bytes, len) == NULL,
                      "invalid UTF-8 #%zu was accepted", i);
        take_error(&ours);
        ck_assert_ptr_eq(ours.exc_type, PyExc_UnicodeDecodeError);
        ck_assert_ptr_null(PyUnicode_DecodeUTF8(bytes, (Py_ssize_t)len, NULL));
        take_error(&ref);
        ck_assert_msg(same_exception(&ours, &ref),
                      "invalid UTF-8 #%zu: another message than CPython's", i);
        outcome_clear(&ours);
        outcome_clear(&ref);
    }
}
END_TEST

START_TEST(test_wrap_cstr)
{
    PyObject *o, *ref;
    o = pyz3_wrap_cstr("caf\xc3\xa9");
    ref = PyUnicode_FromString("caf\xc3\xa9");
    ck_assert_ptr_nonnull(o);
    ck_assert(PyUnicode_CheckExact(o));
    ck_assert_int_eq(PyObject_RichCompareBool(o, ref, Py_EQ), 1);
    Py_DECREF(ref);
    Py_DECREF(o);
    o = pyz3_wrap_cstr("");
    ck_assert_int_eq(PyUnicode_GetLength(o), 0);
    Py_DECREF(o);
    o = pyz3_wrap_cstr("stops\0here");
    ck_assert_int_eq(PyUnicode_CompareWithASCIIString(o, "stops"), 0);
    Py_DECREF(o);
    ck_assert_ptr_null(pyz3_wrap_cstr(NULL));
    pyz3_test_raised(PyExc_SystemError);
    ck_assert_ptr_null(pyz3_wrap_cstr("ok\xff"));
    pyz3_test_raised(PyExc_UnicodeDecodeError);
    ck_assert_ptr_null(pyz3_wrap_cstr("\xed\xa0\x80"));
    pyz3_test_raised(PyExc_UnicodeDecodeError);
}
END_TEST

/* The result of pyz3_wrap(x) must equal `expr`, and be of `type`. */
static void
check_generic(PyObject *got, PyTypeObject *type, const char *expr)
{
    PyObject *want = eval(expr);
    ck_assert_ptr_nonnull(got);
    ck_assert_msg(Py_TYPE(got) == type, "pyz3_wrap gave a %s for %s",
                  Py_TYPE(got)->tp_name, expr);
    ck_assert_msg(PyObject_RichCompareBool(got, want, Py_EQ) == 1,
                  "pyz3_wrap: not equal to %s", expr);
    Py_DECREF(want);
    Py_DECREF(got);
}

/* Whether `true` has type bool in the standard this file is compiled in. */
#define TRUE_IS_BOOL _Generic(true, bool: 1, default: 0)

START_TEST(test_wrap_generic)
{
    int i = -7;
    long long ll = INT64_MIN;
    long l = -123456789L;
    short sh = -32768;
    signed char sc = -128;
    unsigned u = UINT_MAX;
    unsigned char uc = 255;
    uint64_t u64 = UINT64_MAX;
    int64_t i64 = INT64_MAX;
    size_t sz = 1000;
    double d = -0.0;
    float f = 0.5f;
    bool b = true, nb = false;
    char buf[] = "caf\xc3\xa9";
    char *cp = buf;
    const char *ccp = "\xf0\x9f\x98\x80!";
    PyObject *o;

    check_generic(pyz3_wrap(i), &PyLong_Type, "-7");
    check_generic(pyz3_wrap(ll), &PyLong_Type, "-2**63");
    check_generic(pyz3_wrap(l), &PyLong_Type, "-123456789");
    check_generic(pyz3_wrap(sh), &PyLong_Type, "-32768");
    check_generic(pyz3_wrap(sc), &PyLong_Type, "-128");
    check_generic(pyz3_wrap(u), &PyLong_Type, "2**32 - 1");
    check_generic(pyz3_wrap(uc), &PyLong_Type, "255");
    check_generic(pyz3_wrap(u64), &PyLong_Type, "2**64 - 1");
    check_generic(pyz3_wrap(i64), &PyLong_Type, "2**63 - 1");
    check_generic(pyz3_wrap(sz), &PyLong_Type, "1000");
    check_generic(pyz3_wrap(f), &PyFloat_Type, "0.5");
    check_generic(pyz3_wrap(cp), &PyUnicode_Type, "'caf' + chr(0xe9)");
    check_generic(pyz3_wrap(ccp), &PyUnicode_Type, "chr(0x1f600) + '!'");
    check_generic(pyz3_wrap("literal"), &PyUnicode_Type, "'literal'");

    o = pyz3_wrap(d);
    ck_assert(PyFloat_CheckExact(o));
    ck_assert(copysign(1.0, PyFloat_AS_DOUBLE(o)) == -1.0);
    Py_DECREF(o);
    o = pyz3_wrap(b);
    ck_assert_ptr_eq(o, Py_True);
    Py_DECREF(o);
    o = pyz3_wrap(nb);
    ck_assert_ptr_eq(o, Py_False);
    Py_DECREF(o);
    /* The wrap follows the type of `true` and `false`: int in C11 and
     * C17 (<stdbool.h> makes them 1 and 0), bool from C23 on. */
#if __STDC_VERSION__ >= 202311L
    ck_assert(TRUE_IS_BOOL);
#elif __STDC_VERSION__ <= 201710L
    ck_assert(!TRUE_IS_BOOL);
#endif
    o = pyz3_wrap(true);
    if (TRUE_IS_BOOL) {
        ck_assert_ptr_eq(o, Py_True);
    } else {
        ck_assert(PyLong_CheckExact(o));
        ck_assert_int_eq(PyLong_AsLong(o), 1);
    }
    Py_DECREF(o);
    o = pyz3_wrap(false);
    if (TRUE_IS_BOOL) {
        ck_assert_ptr_eq(o, Py_False);
    } else {
        ck_assert(PyLong_CheckExact(o));
        ck_assert_int_eq(PyLong_AsLong(o), 0);
    }
    Py_DECREF(o);
    /* A cast gives a bool in every standard. */
    o = pyz3_wrap((bool)true);
    ck_assert_ptr_eq(o, Py_True);
    Py_DECREF(o);
    o = pyz3_wrap((bool)false);
    ck_assert_ptr_eq(o, Py_False);
    Py_DECREF(o);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create(PYZ3_INLINE_PATHS ? "fastpath (inline)"
                                              : "fastpath (out of line)");
    TCase *tc;

    tc = pyz3_test_case("differential");
    tcase_add_loop_test(tc, test_unwrap_differential, 0, 4);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("unwrap");
    tcase_add_test(tc, test_unwrap_i64);
    tcase_add_test(tc, test_unwrap_u64);
    tcase_add_test(tc, test_unwrap_f64);
    tcase_add_test(tc, test_unwrap_bool);
    tcase_add_test(tc, test_unwrap_str);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("wrap");
    tcase_add_test(tc, test_wrap_i64);
    tcase_add_test(tc, test_wrap_u64);
    tcase_add_test(tc, test_wrap_f64);
    tcase_add_test(tc, test_wrap_bool);
    tcase_add_test(tc, test_wrap_str);
    tcase_add_test(tc, test_wrap_str_empty_and_null);
    tcase_add_test(tc, test_wrap_str_invalid);
    tcase_add_test(tc, test_wrap_cstr);
    tcase_add_test(tc, test_wrap_generic);
    suite_add_tcase(s, tc);

    return pyz3_test_run(s);
}
