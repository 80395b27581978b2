/* args_table.c -- the tables of the argument parser.
 *
 * Owns the tables that a pyz3_params or pyz3_names fills on first use:
 * the description checked once, its names interned once per interpreter
 * life (lib/life.c): given back while the interpreter still runs at its
 * end, forgotten once it is gone, so that a new Py_Initialize() fills them
 * afresh.
 *
 * Without a GIL (libpyz3t), threads fill tables at once: a table is
 * published under a mutex, its `ready` stored with release last, and of
 * two fills of one table the first published is kept, the other freed.
 * Every object a table holds there is an interned str, which the
 * free-threaded CPython makes immortal (3.13 on): a reader that saw a
 * table filled may use its objects while another thread gives the
 * interpreter's references back, so release leaves the tables as they are
 * and forget, once no thread runs Python, frees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args_internal.h"

static struct {
    pyz3_table *tables;        /* filled in this interpreter life */
#ifdef Py_GIL_DISABLED
    PyMutex lock;              /* held to publish a table */
#endif
} pyz3__args;

/* Whether a default str is interned: without a GIL, to be immortal. */
#ifdef Py_GIL_DISABLED
#define PYZ3__INTERN_DEFAULTS 1
#else
#define PYZ3__INTERN_DEFAULTS 0
#endif

/* ------------------------------------------------------------------------
 * The life of the tables. */

void
pyz3__args_forget(void)
{
    pyz3_table *t, *next;
    for (t = pyz3__args.tables; t != NULL; t = next) {
        next = t->next;
        free(t->objs);
        memset(t, 0, sizeof(*t));
    }
    pyz3__args.tables = NULL;
}

/* Give back every table's references; the next use fills it again.
 * Without a GIL they are immortal: forget frees the tables. */
void
pyz3__args_release(PyObject *interp)
{
#ifndef Py_GIL_DISABLED
    pyz3_table *t, *next;
    size_t i;
    for (t = pyz3__args.tables; t != NULL; t = next) {
        next = t->next;
        for (i = 0; i < t->nobjs; i++)
            Py_XDECREF(t->objs[i]);
        free(t->objs);
        memset(t, 0, sizeof(*t));
    }
    pyz3__args.tables = NULL;
#endif
}

/* Release the `n` references of `objs` (NULLs skipped) and the array. */
static void
pyz3__objs_free(PyObject **objs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        Py_XDECREF(objs[i]);
    free(objs);
}

/* Publish `objs` (n of them) in table `t`, filled meanwhile or not, in
 * this interpreter's life, with the positional shape and the `ready` bits
 * of `shape` (NULL: none): 0, or -1 with an exception. */
static int
pyz3__table_publish(pyz3_table *t, PyObject **objs, size_t n, const pyz3_table *shape)
{
    /* Making objects, and the life's hooks (an import), may have run
     * Python code, and that code may have filled the table already: keep
     * the first. */
    if (pyz3__life_here() == NULL) {
        pyz3__objs_free(objs, n);
        return -1;
    }
#ifdef Py_GIL_DISABLED
    PyMutex_Lock(&pyz3__args.lock);
#endif
    if (t->ready) {
#ifdef Py_GIL_DISABLED
        PyMutex_Unlock(&pyz3__args.lock);
#endif
        pyz3__objs_free(objs, n);
        return 0;
    }
    t->objs = objs;
    t->nobjs = n;
    if (shape != NULL) {
        t->npos = shape->npos;
        t->nposonly = shape->nposonly;
        t->fast_lo = shape->fast_lo;
        t->fast_n = shape->fast_n;
    }
    t->next = pyz3__args.tables;
    pyz3__args.tables = t;
    __atomic_store_n(&t->ready, 1u | (shape != NULL ? shape->ready : 0), __ATOMIC_RELEASE);
#ifdef Py_GIL_DISABLED
    PyMutex_Unlock(&pyz3__args.lock);
#endif
    return 0;
}

/* A str for the UTF-8 `s`, interned or not: a new reference, or NULL with
 * an exception, SystemError naming `what` if `s` is not UTF-8. */
static PyObject *
pyz3__str_for(const char *s, int intern, const char *fname, const char *what)
{
    PyObject *o = intern ? PyUnicode_InternFromString(s) : PyUnicode_FromString(s);
    if (o == NULL && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_SystemError, "%.200s: %s is not UTF-8", fname, what);
    }
    return o;
}

/* ------------------------------------------------------------------------
 * Checking a description. */

/* SystemError for parameter i of `p`: -1. */
static int
pyz3__bad_param(const pyz3_params *p, size_t i, const char *what)
{
    const char *name = p->params[i].name;
    PyErr_Format(PyExc_SystemError, "%.200s(): bad parameter %zu%s%.200s%s: %s",
                 p->name, i + 1, name != NULL ? " ('" : "",
                 name != NULL ? name : "", name != NULL ? "')" : "", what);
    return -1;
}

/* 0 if the description of `p` is sound, else -1 with SystemError. */
static int
pyz3__params_check(const pyz3_params *p)
{
    const unsigned int known = PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK
                               | PYZ3_ARG_POSONLY;
    int kwonly = 0, optional = 0, named = 0;
    size_t i, j;
    char what[128];

    if (p->name == NULL) {
        PyErr_SetString(PyExc_SystemError, "pyz3_parse_args: the parameters have no function name");
        return -1;
    }
    if (p->table == NULL) {
        PyErr_Format(PyExc_SystemError, "%.200s(): the parameters have no table", p->name);
        return -1;
    }
    if (p->params == NULL && p->count != 0) {
        PyErr_Format(PyExc_SystemError, "%.200s(): %zu parameters but no array of them",
                     p->name, p->count);
        return -1;
    }
    if (p->count > (size_t)PY_SSIZE_T_MAX / (2 * sizeof(PyObject *))) {
        PyErr_Format(PyExc_SystemError, "%.200s(): %zu parameters is too many", p->name, p->count);
        return -1;
    }
    for (i = 0; i < p->count; i++) {
        const pyz3_param *par = &p->params[i];
        const pyz3__arg_type *type = pyz3__arg_type_of(par->type);
        size_t size = type != NULL ? type->size : 0;
        if (par->name == NULL)
            return pyz3__bad_param(p, i, "no name");
        if (par->name[0] == '\0')
            return pyz3__bad_param(p, i, "an empty name");
        if (size == 0) {
            snprintf(what, sizeof(what), "unknown type %u", par->type);
            return pyz3__bad_param(p, i, what);
        }
        if (par->flags & ~known) {
            snprintf(what, sizeof(what), "unknown flags 0x%x", par->flags & ~known);
            return pyz3__bad_param(p, i, what);
        }
        if (type != NULL && type->any_size)
            size = par->size;
        if (par->size != size) {
            snprintf(what, sizeof(what), "its member has %zu bytes, its type needs %zu",
                     par->size, size);
            return pyz3__bad_param(p, i, what);
        }
        if (par->type == PYZ3_ARG_OBJECT_OF && par->cls == NULL)
            return pyz3__bad_param(p, i, "no .cls for PYZ3_ARG_OBJECT_OF");
        if (par->type == PYZ3_ARG_CONVERTER && par->converter == NULL)
            return pyz3__bad_param(p, i, "no .converter for PYZ3_ARG_CONVERTER");
        /* Its cleanup must know whether the converter ran. */
        if (par->type == PYZ3_ARG_CONVERTER && par->cleanup != NULL
            && (par->flags & PYZ3_ARG_OPTIONAL) && par->given == 0)
            return pyz3__bad_param(p, i, "an optional converter with a cleanup needs .given");
        if (par->given != 0 && par->given - 1 < par->offset + size
            && par->offset < par->given - 1 + sizeof(bool))
            return pyz3__bad_param(p, i, "its given flag overlaps its value");
        if (par->flags & PYZ3_ARG_POSONLY) {
            if (par->flags & PYZ3_ARG_KWONLY)
                return pyz3__bad_param(p, i, "both positional-only and keyword-only");
            if (named)
                return pyz3__bad_param(p, i, "positional-only after a named parameter");
        }
        else
            named = 1;
        if (par->flags & PYZ3_ARG_KWONLY)
            kwonly = 1;
        else if (kwonly)
            return pyz3__bad_param(p, i, "positional after a keyword-only parameter");
        else if (par->flags & PYZ3_ARG_OPTIONAL)
            optional = 1;
        else if (optional)
            return pyz3__bad_param(p, i, "required after an optional positional parameter");
        for (j = 0; j < i; j++)
            if (strcmp(p->params[j].name, par->name) == 0) {
                snprintf(what, sizeof(what), "the same name as parameter %zu", j + 1);
                return pyz3__bad_param(p, i, what);
            }
    }
    return 0;
}

/* Check and fill the table of `p`: 0, or -1 with an exception. */
int
pyz3__params_prepare(const pyz3_params *p)
{
    pyz3_table shape;
    PyObject **objs;
    size_t i, n, required_pos = 0, npos = 0, nposonly = 0;
    int required_kwonly = 0;
    unsigned int holds = 0;
    char what[256];

    if (p == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (pyz3__params_check(p) < 0)
        return -1;
    n = p->count;
    objs = calloc(2 * n + 1, sizeof(PyObject *));
    if (objs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < n; i++) {
        const pyz3_param *par = &p->params[i];
        snprintf(what, sizeof(what), "the name of parameter %zu", i + 1);
        objs[i] = pyz3__str_for(par->name, 1, p->name, what);
        if (objs[i] == NULL)
            goto fail;
        if (par->type == PYZ3_ARG_STR && par->def.str != NULL) {
            snprintf(what, sizeof(what), "the default of parameter %zu ('%.100s')",
                     i + 1, par->name);
            objs[n + i] = pyz3__str_for(par->def.str, PYZ3__INTERN_DEFAULTS, p->name, what);
            if (objs[n + i] == NULL)
                goto fail;
        }
        if (pyz3__arg_types[par->type].release != NULL)
            holds = PYZ3__TABLE_HOLDS;
        if (par->flags & PYZ3_ARG_POSONLY)
            nposonly = i + 1;
        if (par->flags & PYZ3_ARG_KWONLY) {
            if (!(par->flags & PYZ3_ARG_OPTIONAL))
                required_kwonly = 1;
        }
        else {
            npos = i + 1;
            if (!(par->flags & PYZ3_ARG_OPTIONAL))
                required_pos = i + 1;
        }
    }
    shape.npos = npos;
    shape.nposonly = nposonly;
    /* Without keywords, the inline path takes any number of arguments
     * that leaves out no required parameter. */
    shape.fast_lo = required_pos;
    shape.fast_n = required_kwonly ? 0 : npos - required_pos + 1;
    shape.ready = holds;
    return pyz3__table_publish(p->table, objs, 2 * n, &shape);
fail:
    pyz3__objs_free(objs, 2 * n);
    return -1;
}

/* Check and fill the table of `names`: 0, or -1 with an exception. */
int
pyz3__names_prepare(const pyz3_names *names)
{
    PyObject **objs;
    size_t i, j;
    char what[64];

    if (names == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (names->table == NULL) {
        PyErr_SetString(PyExc_SystemError, "pyz3_names: no table");
        return -1;
    }
    if (names->names == NULL && names->count != 0) {
        PyErr_SetString(PyExc_SystemError, "pyz3_names: names but no array of them");
        return -1;
    }
    for (i = 0; i < names->count; i++) {
        if (names->names[i] == NULL) {
            PyErr_Format(PyExc_SystemError, "pyz3_names: name %zu is NULL", i + 1);
            return -1;
        }
        for (j = 0; j < i; j++)
            if (strcmp(names->names[i], names->names[j]) == 0) {
                PyErr_Format(PyExc_SystemError, "pyz3_names: name %zu ('%.200s') repeats name %zu",
                             i + 1, names->names[i], j + 1);
                return -1;
            }
    }
    objs = calloc(names->count + 1, sizeof(PyObject *));
    if (objs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < names->count; i++) {
        snprintf(what, sizeof(what), "name %zu", i + 1);
        objs[i] = pyz3__str_for(names->names[i], 1, "pyz3_names", what);
        if (objs[i] == NULL) {
            pyz3__objs_free(objs, names->count);
            return -1;
        }
    }
    return pyz3__table_publish(names->table, objs, names->count, NULL);
}
