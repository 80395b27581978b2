/* args_parse.c -- a call's arguments matched to the parameters, as
 * Python/getargs.c matches them for PyArg_ParseTupleAndKeywords().
 *
 * The inline path of <pyz3/args.h> reads positional arguments of the
 * common types; everything else comes here. A bad call is checked in
 * CPython's order: the number of arguments, then each parameter in turn
 * (its conversion, or a missing required one), then the keywords left.
 * What the parameters converted so far hold (buffers, the caller's
 * converters) is given back on every failure.
 */
#include <string.h>

#include "args_internal.h"

/* Keyword matching keeps the keyword values of a call here when the
 * function has at most this many parameters, else on the heap. */
#define PYZ3__ARGS_STACK 16

/* The member of parameter i in `out`. */
#define PYZ3__MEMBER(p, i, out) ((char *)(out) + (p)->params[i].offset)

static void
pyz3__set_given(const pyz3_param *par, void *out, bool given)
{
    if (par->given != 0)
        *(bool *)((char *)out + par->given - 1) = given;
}

void
pyz3__args_absent(const pyz3_params *params, size_t from, size_t to, void *out)
{
    size_t i;
    for (i = from; i < to; i++) {
        pyz3__arg_types[params->params[i].type].absent(params, i, PYZ3__MEMBER(params, i, out));
        pyz3__set_given(&params->params[i], out, false);
    }
}

/* Convert argument `o` of parameter i into `out`: 0, or -1 with an
 * exception. Inline in the parser below; the inline path of the header
 * calls it through pyz3__arg_convert(). */
static inline int
pyz3__convert(const pyz3_params *params, size_t i, PyObject *o, void *out)
{
    const pyz3_param *par = &params->params[i];
    if (o == Py_None
        && ((par->flags & PYZ3_ARG_NONE_OK) || par->type == PYZ3_ARG_SSIZE_OR_NONE)) {
        pyz3__args_absent(params, i, i + 1, out);
        return 0;
    }
    if (pyz3__arg_types[par->type].convert(params, i, o, PYZ3__MEMBER(params, i, out)) < 0)
        return -1;
    pyz3__set_given(par, out, true);
    return 0;
}

int
pyz3__arg_convert(const pyz3_params *params, size_t i, PyObject *o, void *out)
{
    return pyz3__convert(params, i, o, out);
}

void
pyz3__arg_release(const pyz3_params *params, size_t i, void *out)
{
    const pyz3_param *par = &params->params[i];
    void (*release)(const pyz3_param *, void *) = pyz3__arg_types[par->type].release;
    /* An optional converter's member holds nothing unless it was given. */
    if (par->type == PYZ3_ARG_CONVERTER && par->given != 0
        && !*(bool *)((char *)out + par->given - 1))
        return;
    if (release != NULL)
        release(par, PYZ3__MEMBER(params, i, out));
}

void
pyz3_parse_args_release(const pyz3_params *params, void *out)
{
    size_t i;
    if (params == NULL || out == NULL)
        return;
    /* A filled table says whether any parameter holds something. */
    if (params->table != NULL
        && (__atomic_load_n(&params->table->ready, __ATOMIC_ACQUIRE)
            & (1u | PYZ3__TABLE_HOLDS)) == 1u)
        return;
    for (i = 0; i < params->count; i++)
        pyz3__arg_release(params, i, out);
}

/* Give back what parameters 0 to n - 1 hold after a failure. */
static void
pyz3__release_first(const pyz3_params *params, size_t n, void *out)
{
    size_t i;
    for (i = 0; i < n; i++)
        pyz3__arg_release(params, i, out);
}

Py_ssize_t
pyz3__keyword_find(const pyz3_params *p, PyObject *kw)
{
    PyObject *const *names = p->table->objs;
    Py_ssize_t i, first = (Py_ssize_t)p->table->nposonly, n = (Py_ssize_t)p->count;
    for (i = first; i < n; i++)
        if (names[i] == kw)
            return i;
    /* Not interned (built at run time, or a str subclass): compare. */
    if (!PyUnicode_Check(kw))
        return -1;
    for (i = first; i < n; i++)
        if (PyUnicode_Compare(kw, names[i]) == 0)
            return i;
    PyErr_Clear();
    return -1;
}

int
pyz3__parse_args_slow(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames, void *out)
{
    PyObject *stack[PYZ3__ARGS_STACK], **byname = stack;
    Py_ssize_t nkw = 0, n, npos, i, j;
    int bad_keywords = 0, rc = -1;

    if ((params == NULL || params->table == NULL || !PYZ3__TABLE_READY(params->table))
        && pyz3__params_prepare(params) < 0)
        return -1;
    if (args == NULL && nargs != 0) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (kwnames != NULL && (nkw = PyTuple_Size(kwnames)) < 0)
        return -1;
    n = (Py_ssize_t)params->count;
    npos = (Py_ssize_t)params->table->npos;
    if (nargs < 0 || nargs + nkw > n)
        return pyz3__too_many(params, nargs, nkw);

    /* The value given by keyword for each parameter after the positional
     * arguments. */
    if (nkw > 0) {
        if (n > PYZ3__ARGS_STACK && (byname = PyMem_Malloc((size_t)n * sizeof(PyObject *))) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (i = nargs; i < n; i++)
            byname[i] = NULL;
        for (j = 0; j < nkw; j++) {
            i = pyz3__keyword_find(params, PyTuple_GetItem(kwnames, j));
            if (i < nargs || byname[i] != NULL)
                bad_keywords = 1;
            else
                byname[i] = args[nargs + j];
        }
    }

    for (i = 0; i < n; i++) {
        const pyz3_param *par = &params->params[i];
        PyObject *o;
        if (i == npos && nargs > npos) {
            pyz3__too_many_positional(params, nargs);
            goto fail;
        }
        o = i < nargs ? args[i] : nkw > 0 ? byname[i] : NULL;
        if (o != NULL) {
            if (pyz3__convert(params, (size_t)i, o, out) < 0)
                goto fail;
        }
        else if (par->flags & PYZ3_ARG_OPTIONAL)
            pyz3__args_absent(params, (size_t)i, (size_t)i + 1, out);
        else {
            if (par->flags & PYZ3_ARG_POSONLY)
                pyz3__too_few_positional(params, nargs);
            else
                pyz3__missing(params, (size_t)i);
            goto fail;
        }
    }
    if (bad_keywords) {
        pyz3__bad_keywords(params, nargs, kwnames);
        goto fail;
    }
    rc = 0;
    goto done;
fail:
    pyz3__release_first(params, (size_t)i, out);
done:
    if (byname != stack)
        PyMem_Free(byname);
    return rc;
}

int
pyz3_parse_args(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                PyObject *kwnames, void *out)
{
    return pyz3__parse_args_slow(params, args, nargs, kwnames, out);
}

int
pyz3_parse_tuple_args(const pyz3_params *params, PyObject *args, PyObject *kwargs, void *out)
{
    PyObject *stack[PYZ3__ARGS_STACK], **items = stack, *kwnames = NULL, *key, *value;
    Py_ssize_t nargs, nkw = 0, i, pos = 0;
    int rc;

    if (args == NULL || !PyTuple_Check(args) || (kwargs != NULL && !PyDict_Check(kwargs))) {
        PyErr_BadInternalCall();
        return -1;
    }
    nargs = PyTuple_Size(args);
    if (kwargs != NULL)
        nkw = PyDict_Size(kwargs);
    if (nargs + nkw > PYZ3__ARGS_STACK
        && (items = PyMem_Malloc((size_t)(nargs + nkw) * sizeof(PyObject *))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < nargs; i++)
        items[i] = PyTuple_GetItem(args, i);
    if (nkw > 0) {
        if ((kwnames = PyTuple_New(nkw)) == NULL) {
            rc = -1;
            goto done;
        }
        /* Borrowed values: the dict holds them for the whole call. */
        for (i = 0; PyDict_Next(kwargs, &pos, &key, &value) && i < nkw; i++) {
            Py_INCREF(key);
            PyTuple_SetItem(kwnames, i, key);
            items[nargs + i] = value;
        }
    }
    rc = pyz3__parse_args_slow(params, items, nargs, kwnames, out);
done:
    Py_XDECREF(kwnames);
    if (items != stack)
        PyMem_Free(items);
    return rc;
}
