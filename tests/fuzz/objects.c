/* objects.c -- Python objects made from fuzz input, for the targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Classes made once: each takes its value from the constructor. */
static PyObject *int_sub, *float_sub, *str_sub, *with_index, *with_float, *with_bool;

static const char classes[] =
    "class IntSub(int): pass\n"
    "class FloatSub(float): pass\n"
    "class StrSub(str): pass\n"
    "class WithIndex:\n"
    "    def __init__(self, v): self.v = v\n"
    "    def __index__(self):\n"
    "        if isinstance(self.v, str): raise ValueError(self.v)\n"
    "        return self.v\n"
    "class WithFloat:\n"
    "    def __init__(self, v): self.v = v\n"
    "    def __float__(self): return self.v\n"
    "class WithBool:\n"
    "    def __init__(self, v): self.v = v\n"
    "    def __bool__(self):\n"
    "        if self.v is None: raise KeyError('no bool')\n"
    "        return self.v\n"
    "    def __len__(self): return 3\n";

static PyObject *
class_named(PyObject *ns, const char *name)
{
    PyObject *c = PyDict_GetItemString(ns, name);
    if (c == NULL)
        fuzz_fail("class missing");
    Py_INCREF(c);
    return c;
}

void
fuzz_init(void)
{
    PyObject *ns, *res;
    Py_InitializeEx(0);
    ns = PyDict_New();
    PyDict_SetItemString(ns, "__builtins__", PyEval_GetBuiltins());
    res = PyRun_String(classes, Py_file_input, ns, ns);
    if (res == NULL)
        fuzz_fail("cannot make the classes");
    Py_DECREF(res);
    int_sub = class_named(ns, "IntSub");
    float_sub = class_named(ns, "FloatSub");
    str_sub = class_named(ns, "StrSub");
    with_index = class_named(ns, "WithIndex");
    with_float = class_named(ns, "WithFloat");
    with_bool = class_named(ns, "WithBool");
    Py_DECREF(ns);
    if (pyz3_pool_init() < 0)
        fuzz_fail("pyz3_pool_init");
}

void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz: %s\n", what);
    if (PyErr_Occurred())
        PyErr_Print();
    abort();
}

fuzz_error
fuzz_take_error(void)
{
    fuzz_error e = { NULL, NULL };
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL)
        return e;
    PyErr_NormalizeException(&type, &value, &tb);
    e.type = type;
    e.text = value != NULL ? PyObject_Str(value) : NULL;
    if (e.text == NULL) {
        PyErr_Clear();
        e.text = PyUnicode_FromString("");
    }
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return e;
}

int
fuzz_same_error(fuzz_error a, fuzz_error b)
{
    if (a.type != b.type)
        return 0;
    if (a.type == NULL)
        return 1;
    return PyUnicode_Compare(a.text, b.text) == 0;
}

void
fuzz_error_clear(fuzz_error *e)
{
    Py_CLEAR(e->type);
    Py_CLEAR(e->text);
}

/* Up to `max` bytes of the input. */
static size_t
take(const uint8_t **data, size_t *size, size_t max)
{
    size_t n = *size < max ? *size : max;
    *data += n;
    *size -= n;
    return n;
}

/* int.from_bytes(p[:n], "little", signed=True) */
static PyObject *
int_from(const uint8_t *p, size_t n)
{
    PyObject *from_bytes, *args, *kwargs, *o = NULL;
    from_bytes = PyObject_GetAttrString((PyObject *)&PyLong_Type, "from_bytes");
    args = Py_BuildValue("(y#s)", (const char *)p, (Py_ssize_t)n, "little");
    kwargs = Py_BuildValue("{s:O}", "signed", Py_True);
    if (from_bytes != NULL && args != NULL && kwargs != NULL)
        o = PyObject_Call(from_bytes, args, kwargs);
    Py_XDECREF(from_bytes);
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    if (o == NULL)
        fuzz_fail("int.from_bytes");
    return o;
}

static PyObject *
str_from(const uint8_t *p, size_t n, int wide)
{
    PyObject *o;
    if (wide) {
        int order = -1;
        o = PyUnicode_DecodeUTF32((const char *)p, (Py_ssize_t)(n & ~(size_t)3),
                                  "surrogatepass", &order);
    }
    else
        o = PyUnicode_DecodeUTF8((const char *)p, (Py_ssize_t)n, "surrogatepass");
    if (o == NULL) {
        PyErr_Clear();
        o = PyUnicode_DecodeLatin1((const char *)p, (Py_ssize_t)n, NULL);
    }
    if (o == NULL)
        fuzz_fail("str");
    return o;
}

static PyObject *
call1(PyObject *cls, PyObject *arg)
{
    PyObject *o = PyObject_CallFunctionObjArgs(cls, arg, NULL);
    Py_DECREF(arg);
    if (o == NULL)
        fuzz_fail("constructor");
    return o;
}

PyObject *
fuzz_object(const uint8_t **data, size_t *size)
{
    const uint8_t *p;
    unsigned kind = 0;
    size_t n;
    double d = 0;
    if (*size > 0) {
        kind = **data;
        take(data, size, 1);
    }
    /* The length of what follows, for the kinds that take bytes. */
    n = *size > 0 ? **data % 24 : 0;
    take(data, size, 1);
    p = *data;
    n = take(data, size, n);
    switch (kind % 17) {
    case 0:
        return int_from(p, n);
    case 1:
        memcpy(&d, p, n < sizeof(d) ? n : sizeof(d));
        return PyFloat_FromDouble(d);
    case 2:
        return PyBool_FromLong(n & 1);
    case 3:
        return str_from(p, n, 0);
    case 4:
        return str_from(p, n, 1);
    case 5:
        return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)n);
    case 6:
        return call1(int_sub, int_from(p, n));
    case 7:
        return call1(with_index, int_from(p, n));
    case 8:
        memcpy(&d, p, n < sizeof(d) ? n : sizeof(d));
        return call1(float_sub, PyFloat_FromDouble(d));
    case 9:
        Py_RETURN_NONE;
    case 10:
        return PyList_New((Py_ssize_t)(n % 3));
    case 11:
        return call1(str_sub, str_from(p, n, 0));
    case 12:
        return call1(with_index, str_from(p, n, 0));        /* raises */
    case 13:
        memcpy(&d, p, n < sizeof(d) ? n : sizeof(d));
        return call1(with_float, n & 1 ? PyFloat_FromDouble(d) : int_from(p, n));
    case 14:
        return call1(with_bool, n == 0 ? (Py_INCREF(Py_None), Py_None) : PyBool_FromLong(n & 1));
    case 15:
        return call1(with_index, call1((PyObject *)&PyFloat_Type, int_from(p, n % 8)));
    default:
        return call1(float_sub, int_from(p, n % 8));
    }
}
