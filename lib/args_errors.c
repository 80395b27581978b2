/* args_errors.c -- the messages of a bad call, and of a value that does
 * not convert.
 *
 * A bad call raises what PyArg_ParseTupleAndKeywords() of the running
 * CPython raises for a function of the same shape. A value of a type a
 * converter never takes raises Argument Clinic's "f() argument 'x' must be
 * int, not str". Any other exception passes as it was raised, except that
 * one CPython raised for the first six types, while no code of the
 * caller's ran, gets the parameter's name; an exception of the caller's
 * (from an __index__, say) is never touched, for it may be shared.
 */
#include <string.h>

#include "args_internal.h"

/* ------------------------------------------------------------------------
 * Values. */

/* The name of the type of `o`, as CPython's argument errors print it: a
 * new reference, never NULL. */
static PyObject *
pyz3__type_name(PyObject *o)
{
    PyObject *name;
    if (o == Py_None)
        return PyUnicode_FromString("None");
    name = PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
    if (name == NULL || !PyUnicode_Check(name)) {
        PyErr_Clear();
        Py_XDECREF(name);
        name = PyUnicode_FromString("object");
    }
    return name;
}

PyObject *
pyz3__type_tp_name(PyObject *type)
{
    PyObject *name, *module, *full;
    name = PyObject_GetAttrString(type, "__name__");
    if (name == NULL || (PyType_GetFlags((PyTypeObject *)type) & Py_TPFLAGS_HEAPTYPE))
        return name;
    /* A static type's tp_name is "module.name", or the name alone for
     * builtins: CPython's __module__ and __name__ are its two halves. A
     * heap type's tp_name is its __name__ (PyType_FromSpec()'s dotted
     * names excepted, which the limited API cannot read). */
    module = PyObject_GetAttrString(type, "__module__");
    if (module == NULL || !PyUnicode_Check(module)) {
        PyErr_Clear();
        Py_XDECREF(module);
        return name;
    }
    if (PyUnicode_CompareWithASCIIString(module, "builtins") == 0) {
        Py_DECREF(module);
        return name;
    }
    full = PyUnicode_FromFormat("%U.%U", module, name);
    Py_DECREF(module);
    Py_DECREF(name);
    return full;
}

/* How Argument Clinic names parameter i in a message: "argument 'x'", or
 * "argument 2" for a positional-only one, in `buf`. */
static const char *
pyz3__display_name(const pyz3_params *p, size_t i, char *buf, size_t size)
{
    if (p->params[i].flags & PYZ3_ARG_POSONLY)
        snprintf(buf, size, "argument %zu", i + 1);
    else
        snprintf(buf, size, "argument '%.200s'", p->params[i].name);
    return buf;
}

int
pyz3__bad_argument_u(const pyz3_params *p, size_t i, PyObject *expected, PyObject *o)
{
    char display[256];
    PyObject *name = pyz3__type_name(o);
    if (name == NULL)
        return -1;
    PyErr_Format(PyExc_TypeError, "%.200s() %s must be %.50U, not %.50U", p->name,
                 pyz3__display_name(p, i, display, sizeof(display)), expected, name);
    Py_DECREF(name);
    return -1;
}

int
pyz3__bad_argument(const pyz3_params *p, size_t i, const char *expected, PyObject *o)
{
    PyObject *text = PyUnicode_FromString(expected);
    int rc;
    if (text == NULL)
        return -1;
    rc = pyz3__bad_argument_u(p, i, text, o);
    Py_DECREF(text);
    return rc;
}

int
pyz3__unwrap_failed(const pyz3_params *p, size_t i, PyObject *o, int foreign, int ours)
{
    const pyz3_param *par = &p->params[i];
    const char *expected = pyz3__arg_types[par->type].expected;
    char display[256];
    PyObject *type, *value, *tb;

    if (foreign && PyErr_ExceptionMatches(PyExc_TypeError)) {
        char what[64];
        PyErr_Clear();
        snprintf(what, sizeof(what), "%s%s", expected,
                 (par->flags & PYZ3_ARG_NONE_OK) ? " or None" : "");
        return pyz3__bad_argument(p, i, what, o);
    }
    if (!ours)
        return -1;
    pyz3__display_name(p, i, display, sizeof(display));
    if (PyErr_ExceptionMatches(PyExc_TypeError) || PyErr_ExceptionMatches(PyExc_OverflowError)) {
        /* A new exception of the same type, its message prefixed. */
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        PyErr_Format(type, "%.200s() %s: %S", p->name, display,
                     value != NULL ? value : Py_None);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    else if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
        /* Raised by the encoding just now, and held by no one else. */
        PyObject *reason, *text = NULL;
        const char *utf8 = NULL;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        reason = value != NULL ? PyUnicodeEncodeError_GetReason(value) : NULL;
        if (reason != NULL) {
            text = PyUnicode_FromFormat("%U (%.200s() %s)", reason, p->name, display);
            Py_DECREF(reason);
        }
        if (text != NULL)
            utf8 = PyUnicode_AsUTF8AndSize(text, NULL);
        if (utf8 == NULL || PyUnicodeEncodeError_SetReason(value, utf8) < 0)
            PyErr_Clear();
        Py_XDECREF(text);
        PyErr_Restore(type, value, tb);
    }
    return -1;
}

/* ------------------------------------------------------------------------
 * Calls. */

int
pyz3__too_many(const pyz3_params *p, Py_ssize_t nargs, Py_ssize_t nkw)
{
    Py_ssize_t n = (Py_ssize_t)p->count;
    PyErr_Format(PyExc_TypeError, "%.200s() takes at most %zd %sargument%s (%zd given)",
                 p->name, n, nargs == 0 ? "keyword " : "", n == 1 ? "" : "s", nargs + nkw);
    return -1;
}

int
pyz3__too_many_positional(const pyz3_params *p, Py_ssize_t nargs)
{
    Py_ssize_t npos = (Py_ssize_t)p->table->npos;
    size_t i;
    int optional = 0;
    if (npos == 0) {
        PyErr_Format(PyExc_TypeError, "%.200s() takes no positional arguments", p->name);
        return -1;
    }
    for (i = 0; i < p->count; i++)
        if (p->params[i].flags & PYZ3_ARG_OPTIONAL)
            optional = 1;
    PyErr_Format(PyExc_TypeError, "%.200s() takes %s %zd positional argument%s (%zd given)",
                 p->name, optional ? "at most" : "exactly", npos, npos == 1 ? "" : "s", nargs);
    return -1;
}

int
pyz3__missing(const pyz3_params *p, size_t i)
{
    PyErr_Format(PyExc_TypeError, "%.200s() missing required argument '%s' (pos %zu)",
                 p->name, p->params[i].name, i + 1);
    return -1;
}

/* A positional-only parameter without its argument: the message of
 * PyArg_ParseTupleAndKeywords(), which counts what the positional-only
 * and the required parameters leave in common. */
int
pyz3__too_few_positional(const pyz3_params *p, Py_ssize_t nargs)
{
    size_t i, posonly = 0, required = p->count, n;
    for (i = 0; i < p->count; i++) {
        if (p->params[i].flags & PYZ3_ARG_POSONLY)
            posonly = i + 1;
        if ((p->params[i].flags & (PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY)) && required == p->count)
            required = i;
    }
    n = posonly < required ? posonly : required;
    PyErr_Format(PyExc_TypeError, "%.200s() takes %s %zu positional argument%s (%zd given)",
                 p->name, n < p->table->npos ? "at least" : "exactly", n, n == 1 ? "" : "s",
                 nargs);
    return -1;
}

static int
pyz3__unexpected_keyword(const pyz3_params *p, PyObject *kw)
{
    PyObject *suggestion;
    if (pyz3__python_minor() < 13) {
        PyErr_Format(PyExc_TypeError, "'%U' is an invalid keyword argument for %.200s()",
                     kw, p->name);
        return -1;
    }
    suggestion = pyz3__suggest(p, kw);
    if (suggestion != NULL)
        PyErr_Format(PyExc_TypeError,
                     "%.200s() got an unexpected keyword argument '%S'. Did you mean '%S'?",
                     p->name, kw, suggestion);
    else
        PyErr_Format(PyExc_TypeError, "%.200s() got an unexpected keyword argument '%S'",
                     p->name, kw);
    return -1;
}

/* The keywords of a call that converted fine had a problem: raise it, in
 * CPython's order. A keyword for a parameter given by position comes
 * first, in the order of the parameters; then, in the order of the
 * keywords, one that is not a str, one that names no parameter, or one
 * given twice (only C code can do that). Returns -1. */
int
pyz3__bad_keywords(const pyz3_params *p, Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t nkw = PyTuple_Size(kwnames), i, j, k;
    for (i = 0; i < nargs; i++)
        for (j = 0; j < nkw; j++)
            if (pyz3__keyword_find(p, PyTuple_GetItem(kwnames, j)) == i) {
                PyErr_Format(PyExc_TypeError,
                             "argument for %.200s() given by name ('%s') and position (%zd)",
                             p->name, p->params[i].name, i + 1);
                return -1;
            }
    for (j = 0; j < nkw; j++) {
        PyObject *kw = PyTuple_GetItem(kwnames, j);
        if (!PyUnicode_Check(kw)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return -1;
        }
        i = pyz3__keyword_find(p, kw);
        if (i < 0)
            return pyz3__unexpected_keyword(p, kw);
        for (k = 0; k < j; k++)
            if (pyz3__keyword_find(p, PyTuple_GetItem(kwnames, k)) == i) {
                PyErr_Format(PyExc_TypeError,
                             "%.200s() got multiple values for keyword argument '%U'",
                             p->name, kw);
                return -1;
            }
    }
    PyErr_Format(PyExc_SystemError, "%.200s(): bad keyword names", p->name);
    return -1;
}
