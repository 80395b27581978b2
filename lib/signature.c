/* signature.c -- a function's __text_signature__, made from its
 * parameters, as Argument Clinic writes it at the head of a docstring:
 *     name($module, a, x, /, lo=0, hi=None, *, key=None)\n--\n\n
 * so that inspect.signature() and help() read the parameters from the
 * same description the parser uses. The docstrings made live as long as
 * the process: a method object may outlive any one interpreter life.
 */
#include <stdlib.h>
#include <string.h>

#include "args_internal.h"

/* The Python text of the default of parameter i: a new str, or NULL with
 * an exception. */
static PyObject *
pyz3__default_text(const pyz3_param *par)
{
    PyObject *o, *text;
    if (par->flags & PYZ3_ARG_NONE_OK)
        return PyUnicode_FromString("None");
    switch (par->type) {
    case PYZ3_ARG_U64:
    case PYZ3_ARG_ULLONG:
    case PYZ3_ARG_SIZE_T:
    case PYZ3_ARG_U32:
    case PYZ3_ARG_U16:
    case PYZ3_ARG_U8:
        o = PyLong_FromUnsignedLongLong(par->def.u64);
        break;
    case PYZ3_ARG_I64:
    case PYZ3_ARG_SSIZE:
    case PYZ3_ARG_INT:
    case PYZ3_ARG_LONG:
    case PYZ3_ARG_I32:
    case PYZ3_ARG_I16:
        o = PyLong_FromLongLong(par->def.i64);
        break;
    case PYZ3_ARG_F64:
    case PYZ3_ARG_FLOAT:
        o = PyFloat_FromDouble(par->type == PYZ3_ARG_FLOAT ? (double)(float)par->def.f64
                                                            : par->def.f64);
        break;
    case PYZ3_ARG_BOOL:
        o = PyBool_FromLong(par->def.b);
        break;
    case PYZ3_ARG_STR:
        o = PyUnicode_FromString(par->def.str != NULL ? par->def.str : "");
        break;
    case PYZ3_ARG_SSIZE_OR_NONE:
        /* -1 is how Argument Clinic's accept={int, NoneType} spells None. */
        if (par->def.i64 == -1)
            return PyUnicode_FromString("None");
        o = PyLong_FromLongLong(par->def.i64);
        break;
    default:
        /* Objects, buffers, converters: absent is None to Python. */
        return PyUnicode_FromString("None");
    }
    if (o == NULL)
        return NULL;
    text = PyObject_Repr(o);
    Py_DECREF(o);
    return text;
}

/* Append `piece` (a new reference, or NULL) to *acc. 0, or -1. */
static int
pyz3__append(PyObject **acc, PyObject *piece)
{
    PyObject *joined;
    if (piece == NULL)
        return -1;
    joined = PyUnicode_Concat(*acc, piece);
    Py_DECREF(piece);
    Py_DECREF(*acc);
    *acc = joined;
    return joined != NULL ? 0 : -1;
}

const char *
pyz3_signature(const char *name, const pyz3_params *params, const char *self, const char *doc)
{
    PyObject *text;
    const char *utf8, *sep = self != NULL && self[0] != '\0' ? ", " : "";
    char *copy;
    size_t i, len;
    int star = 0;

    if (name == NULL || params == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    text = PyUnicode_FromFormat("%s(%s", name, self != NULL ? self : "");
    for (i = 0; text != NULL && i < params->count; i++) {
        const pyz3_param *par = &params->params[i];
        if ((par->flags & PYZ3_ARG_KWONLY) && !star) {
            star = 1;
            if (pyz3__append(&text, PyUnicode_FromFormat("%s*", sep)) < 0)
                break;
            sep = ", ";
        }
        if (pyz3__append(&text, PyUnicode_FromFormat("%s%s", sep, par->name)) < 0)
            break;
        sep = ", ";
        if ((par->flags & PYZ3_ARG_OPTIONAL)
            && (pyz3__append(&text, PyUnicode_FromString("=")) < 0
                || pyz3__append(&text, pyz3__default_text(par)) < 0))
            break;
        if ((par->flags & PYZ3_ARG_POSONLY)
            && (i + 1 == params->count || !(params->params[i + 1].flags & PYZ3_ARG_POSONLY))
            && pyz3__append(&text, PyUnicode_FromString(", /")) < 0)
            break;
    }
    if (text == NULL
        || pyz3__append(&text, PyUnicode_FromFormat(")\n--\n\n%s", doc != NULL ? doc : "")) < 0)
        return NULL;
    utf8 = PyUnicode_AsUTF8AndSize(text, NULL);
    if (utf8 == NULL) {
        Py_DECREF(text);
        return NULL;
    }
    len = strlen(utf8);
    copy = malloc(len + 1);
    if (copy == NULL) {
        Py_DECREF(text);
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(copy, utf8, len + 1);
    Py_DECREF(text);
    return copy;
}

int
pyz3_sign_method(PyMethodDef *methods, PyCFunction func, const pyz3_params *params,
                 const char *self)
{
    PyMethodDef *def;
    const char *doc;
    size_t len;
    if (methods == NULL || params == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    for (def = methods; def->ml_name != NULL; def++)
        if (def->ml_meth == func)
            break;
    if (def->ml_name == NULL) {
        PyErr_Format(PyExc_SystemError, "pyz3_sign_method: no method of %.200s()", params->name);
        return -1;
    }
    /* Signed already, by a module initialized before: keep it. */
    len = strlen(def->ml_name);
    if (def->ml_doc != NULL && strncmp(def->ml_doc, def->ml_name, len) == 0
        && def->ml_doc[len] == '(' && strstr(def->ml_doc, ")\n--\n\n") != NULL)
        return 0;
    doc = pyz3_signature(def->ml_name, params, self, def->ml_doc);
    if (doc == NULL)
        return -1;
    def->ml_doc = doc;
    return 0;
}
