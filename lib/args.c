/* args.c -- argument parsing and results.
 *
 * Owns the tables that a pyz3_params or pyz3_names fills on first use:
 * the description checked once, its names interned once per interpreter
 * life (lib/life.c): given back while the interpreter still runs at its
 * end, forgotten once it is gone, so that a new Py_Initialize() fills them
 * afresh.
 *
 * The inline path of <pyz3/args.h> reads positional arguments of the
 * common types; everything else comes here. The messages of a bad call are
 * those of PyArg_ParseTupleAndKeywords() of the running CPython, checked in
 * the same order: the number of arguments, then each parameter in turn
 * (its conversion, or a missing required one), then the keywords left.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Keyword matching keeps the keyword values of a call here when the
 * function has at most this many parameters, else on the heap. */
#define PYZ3__ARGS_STACK 16

static struct {
    pyz3_table *tables;        /* filled in this interpreter life */
} pyz3__args;

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

/* Give back every table's references; the next use fills it again. */
void
pyz3__args_release(PyObject *interp)
{
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
 * this interpreter's life: 0, or -1 with an exception. */
static int
pyz3__table_publish(pyz3_table *t, PyObject **objs, size_t n)
{
    /* Making objects, and the life's hooks (an import), may have run
     * Python code, and that code may have filled the table already: keep
     * the first. */
    if (pyz3__life_here() == NULL) {
        pyz3__objs_free(objs, n);
        return -1;
    }
    if (t->ready) {
        pyz3__objs_free(objs, n);
        return 0;
    }
    t->objs = objs;
    t->nobjs = n;
    t->next = pyz3__args.tables;
    pyz3__args.tables = t;
    t->ready = 1;
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

static size_t
pyz3__arg_size(unsigned int type)
{
    switch (type) {
    case PYZ3_ARG_I64:    return sizeof(int64_t);
    case PYZ3_ARG_U64:    return sizeof(uint64_t);
    case PYZ3_ARG_F64:    return sizeof(double);
    case PYZ3_ARG_BOOL:   return sizeof(bool);
    case PYZ3_ARG_STR:    return sizeof(pyz3_str);
    case PYZ3_ARG_OBJECT: return sizeof(PyObject *);
    default:              return 0;
    }
}

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
    const unsigned int known = PYZ3_ARG_OPTIONAL | PYZ3_ARG_KWONLY | PYZ3_ARG_NONE_OK;
    int kwonly = 0, optional = 0;
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
        size_t size = pyz3__arg_size(par->type);
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
        if (par->size != size) {
            snprintf(what, sizeof(what), "its member has %zu bytes, its type needs %zu",
                     par->size, size);
            return pyz3__bad_param(p, i, what);
        }
        if (par->given != 0 && par->given - 1 < par->offset + size
            && par->offset < par->given - 1 + sizeof(bool))
            return pyz3__bad_param(p, i, "its given flag overlaps its value");
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
static int
pyz3__params_prepare(const pyz3_params *p)
{
    pyz3_table *t;
    PyObject **objs;
    size_t i, n, required_pos = 0, npos = 0;
    int required_kwonly = 0;
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
            objs[n + i] = pyz3__str_for(par->def.str, 0, p->name, what);
            if (objs[n + i] == NULL)
                goto fail;
        }
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
    t = p->table;
    if (!t->ready) {
        t->npos = npos;
        /* Without keywords, the inline path takes any number of arguments
         * that leaves out no required parameter. */
        t->fast_lo = required_pos;
        t->fast_n = required_kwonly ? 0 : npos - required_pos + 1;
    }
    return pyz3__table_publish(t, objs, 2 * n);
fail:
    pyz3__objs_free(objs, 2 * n);
    return -1;
}

/* Check and fill the table of `names`: 0, or -1 with an exception. */
static int
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
    return pyz3__table_publish(names->table, objs, names->count);
}

/* ------------------------------------------------------------------------
 * One value. */

/* Store the default of parameter i (left out, or None). */
static void
pyz3__arg_default(const pyz3_params *p, size_t i, void *out)
{
    const pyz3_param *par = &p->params[i];
    char *dst = (char *)out + par->offset;
    switch (par->type) {
    case PYZ3_ARG_I64:
        *(int64_t *)dst = par->def.i64;
        break;
    case PYZ3_ARG_U64:
        *(uint64_t *)dst = par->def.u64;
        break;
    case PYZ3_ARG_F64:
        *(double *)dst = par->def.f64;
        break;
    case PYZ3_ARG_BOOL:
        *(bool *)dst = par->def.b;
        break;
    case PYZ3_ARG_STR: {
        pyz3_str *s = (pyz3_str *)dst;
        s->utf8 = par->def.str;
        s->len = par->def.str != NULL ? strlen(par->def.str) : 0;
        s->obj = p->table->objs[p->count + i];
        break;
    }
    default:
        *(PyObject **)dst = NULL;
        break;
    }
    if (par->given != 0)
        *(bool *)((char *)out + par->given - 1) = false;
}

void
pyz3__args_absent(const pyz3_params *params, size_t from, void *out)
{
    size_t i;
    for (i = from; i < params->count; i++)
        pyz3__arg_default(params, i, out);
}

/* Whether the TypeError of converting `o` to `type` comes from the type of
 * `o` itself: an object the converter does not take at all. */
static int
pyz3__wrong_type(unsigned int type, PyObject *o)
{
    switch (type) {
    case PYZ3_ARG_I64:
        return !PyLong_Check(o) && !PyIndex_Check(o);
    case PYZ3_ARG_U64:
        return !PyLong_Check(o);
    case PYZ3_ARG_F64:
        return !PyFloat_Check(o) && !PyLong_Check(o) && !PyIndex_Check(o)
               && !PyObject_HasAttrString((PyObject *)Py_TYPE(o), "__float__");
    case PYZ3_ARG_STR:
        return !PyUnicode_Check(o);
    default:
        return 0;
    }
}

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

/* Converting argument `o` of parameter i raised the current exception:
 * name the parameter in it. A TypeError for an object of a type the
 * converter never takes becomes "f() argument 'x' must be int, not str";
 * the message of any other TypeError or OverflowError gets the prefix
 * "f() argument 'x': ", and the reason of a UnicodeEncodeError the
 * parameter. Other exceptions (from an __index__ method, say) stay as they
 * are. Returns -1. */
static int
pyz3__arg_failed(const pyz3_params *p, size_t i, PyObject *o)
{
    const pyz3_param *par = &p->params[i];
    PyObject *type, *value, *tb, *text, *args;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (type == PyExc_TypeError && pyz3__wrong_type(par->type, o)) {
        static const char *const expected[] = { "", "int", "int", "float", "", "str" };
        PyObject *name = pyz3__type_name(o);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        if (name == NULL)
            return -1;
        PyErr_Format(PyExc_TypeError, "%.200s() argument '%s' must be %s%s, not %.50U",
                     p->name, par->name, expected[par->type],
                     (par->flags & PYZ3_ARG_NONE_OK) ? " or None" : "", name);
        Py_DECREF(name);
        return -1;
    }
    if (value != NULL && (type == PyExc_TypeError || type == PyExc_OverflowError)) {
        text = PyObject_Str(value);
        args = NULL;
        if (text != NULL) {
            PyObject *msg = PyUnicode_FromFormat("%.200s() argument '%s': %U",
                                                 p->name, par->name, text);
            if (msg != NULL) {
                args = PyTuple_Pack(1, msg);
                Py_DECREF(msg);
            }
            Py_DECREF(text);
        }
        if (args == NULL || PyObject_SetAttrString(value, "args", args) < 0)
            PyErr_Clear();
        Py_XDECREF(args);
    }
    else if (value != NULL && type == PyExc_UnicodeEncodeError) {
        PyObject *reason = PyUnicodeEncodeError_GetReason(value);
        const char *utf8 = NULL;
        text = NULL;
        if (reason != NULL) {
            text = PyUnicode_FromFormat("%U (%.200s() argument '%s')", reason,
                                        p->name, par->name);
            Py_DECREF(reason);
        }
        if (text != NULL)
            utf8 = PyUnicode_AsUTF8AndSize(text, NULL);
        if (utf8 == NULL || PyUnicodeEncodeError_SetReason(value, utf8) < 0)
            PyErr_Clear();
        Py_XDECREF(text);
    }
    PyErr_Restore(type, value, tb);
    return -1;
}

/* Convert argument `o` of parameter i into `out`: 0, or -1 with the
 * exception naming the parameter. Inline in the parser below; the inline
 * path of the header calls it through pyz3__arg_convert(). */
static inline int
pyz3__convert(const pyz3_params *params, size_t i, PyObject *o, void *out)
{
    const pyz3_param *par = &params->params[i];
    char *dst = (char *)out + par->offset;
    int rc = 0;
    if (o == Py_None && (par->flags & PYZ3_ARG_NONE_OK)) {
        pyz3__arg_default(params, i, out);
        return 0;
    }
    switch (par->type) {
    case PYZ3_ARG_I64:
        rc = pyz3_unwrap_i64(o, (int64_t *)dst);
        break;
    case PYZ3_ARG_U64:
        rc = pyz3_unwrap_u64(o, (uint64_t *)dst);
        break;
    case PYZ3_ARG_F64:
        rc = pyz3_unwrap_f64(o, (double *)dst);
        break;
    case PYZ3_ARG_BOOL:
        rc = pyz3_unwrap_bool(o, (bool *)dst);
        break;
    case PYZ3_ARG_STR: {
        pyz3_str *s = (pyz3_str *)dst;
        rc = pyz3_unwrap_str(o, &s->utf8, &s->len);
        s->obj = o;
        break;
    }
    default:
        *(PyObject **)dst = o;
        break;
    }
    if (rc < 0)
        return pyz3__arg_failed(params, i, o);
    if (par->given != 0)
        *(bool *)((char *)out + par->given - 1) = true;
    return 0;
}

int
pyz3__arg_convert(const pyz3_params *params, size_t i, PyObject *o, void *out)
{
    return pyz3__convert(params, i, o, out);
}

/* ------------------------------------------------------------------------
 * The messages of a bad call. */

/* The minor version of the running CPython 3. */
static int
pyz3__python_minor(void)
{
    return (int)(pyz3__running_hex() >> 16 & 0xFF);
}

static int
pyz3__too_many(const pyz3_params *p, Py_ssize_t nargs, Py_ssize_t nkw)
{
    Py_ssize_t n = (Py_ssize_t)p->count;
    PyErr_Format(PyExc_TypeError, "%.200s() takes at most %zd %sargument%s (%zd given)",
                 p->name, n, nargs == 0 ? "keyword " : "", n == 1 ? "" : "s", nargs + nkw);
    return -1;
}

static int
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

static int
pyz3__missing(const pyz3_params *p, size_t i)
{
    PyErr_Format(PyExc_TypeError, "%.200s() missing required argument '%s' (pos %zu)",
                 p->name, p->params[i].name, i + 1);
    return -1;
}

/* The parameter that the keyword `kw` names: its index, or -1. */
static Py_ssize_t
pyz3__keyword_find(const pyz3_params *p, PyObject *kw)
{
    PyObject *const *names = p->table->objs;
    Py_ssize_t i, n = (Py_ssize_t)p->count;
    for (i = 0; i < n; i++)
        if (names[i] == kw)
            return i;
    /* Not interned (built at run time, or a str subclass): compare. */
    if (!PyUnicode_Check(kw))
        return -1;
    for (i = 0; i < n; i++)
        if (PyUnicode_Compare(kw, names[i]) == 0)
            return i;
    PyErr_Clear();
    return -1;
}

/* The cost of turning byte a into byte b: 0, 1 for the same ASCII letter
 * in the other case, else 2, as CPython's suggestions count it. */
static size_t
pyz3__edit_cost(unsigned char a, unsigned char b)
{
    unsigned char la = a | 0x20;
    if (a == b)
        return 0;
    if (la == (b | 0x20) && la >= 'a' && la <= 'z')
        return 1;
    return 2;
}

#define PYZ3__SUGGEST_MAX_LEN    40
#define PYZ3__SUGGEST_MAX_NAMES  750

/* The weighted edit distance between a and b (insertion, deletion and
 * substitution 2, a change of case 1), or max + 1 when it is above max.
 * Like CPython, after the common prefix and suffix are dropped, strings
 * longer than PYZ3__SUGGEST_MAX_LEN bytes are never close. */
static size_t
pyz3__edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
    size_t row[PYZ3__SUGGEST_MAX_LEN];
    size_t i, j;
    while (na > 0 && nb > 0 && *a == *b) {
        a++, b++;
        na--, nb--;
    }
    while (na > 0 && nb > 0 && a[na - 1] == b[nb - 1])
        na--, nb--;
    if (na == 0 || nb == 0)
        return (na + nb) * 2;
    if (na > PYZ3__SUGGEST_MAX_LEN || nb > PYZ3__SUGGEST_MAX_LEN)
        return max + 1;
    if (na > nb) {
        const char *s = a;
        size_t n = na;
        a = b, na = nb;
        b = s, nb = n;
    }
    if ((nb - na) * 2 > max)
        return max + 1;
    /* row[i]: the cost of b[:j] to a[:i + 1], one row of the matrix. */
    for (i = 0; i < na; i++)
        row[i] = 2 * (i + 1);
    for (j = 0; j < nb; j++) {
        size_t diag = 2 * j, left = 2 * (j + 1), least = (size_t)-1;
        for (i = 0; i < na; i++) {
            size_t up = row[i];
            size_t cost = diag + pyz3__edit_cost((unsigned char)b[j], (unsigned char)a[i]);
            if (up + 2 < cost)
                cost = up + 2;
            if (left + 2 < cost)
                cost = left + 2;
            diag = up;
            row[i] = left = cost;
            if (cost < least)
                least = cost;
        }
        if (least > max)
            return max + 1;
    }
    return row[na - 1];
}

/* The parameter name closest to the keyword `kw`, as CPython 3.13 suggests
 * one: borrowed, or NULL. */
static PyObject *
pyz3__suggest(const pyz3_params *p, PyObject *kw)
{
    Py_ssize_t nkw;
    const char *s = PyUnicode_AsUTF8AndSize(kw, &nkw);
    size_t i, best = (size_t)-1;
    PyObject *found = NULL;
    if (s == NULL) {
        PyErr_Clear();
        return NULL;
    }
    if (p->count >= PYZ3__SUGGEST_MAX_NAMES)
        return NULL;
    for (i = 0; i < p->count; i++) {
        const char *name = p->params[i].name;
        size_t len = strlen(name);
        size_t max = ((size_t)nkw + len + 3) * 2 / 6, d;
        if (max > best - 1)
            max = best - 1;
        d = pyz3__edit_distance(s, (size_t)nkw, name, len, max);
        if (d > max)
            continue;
        if (found == NULL || d < best) {
            found = p->table->objs[i];
            best = d;
        }
    }
    return found;
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
static int
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

/* ------------------------------------------------------------------------
 * Parsing. */

int
pyz3__parse_args_slow(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                      PyObject *kwnames, void *out)
{
    PyObject *stack[PYZ3__ARGS_STACK], **byname = stack;
    Py_ssize_t nkw = 0, n, npos, i, j;
    int bad_keywords = 0, rc = -1;

    if ((params == NULL || params->table == NULL || !params->table->ready)
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
        PyObject *o;
        if (i == npos && nargs > npos) {
            pyz3__too_many_positional(params, nargs);
            goto done;
        }
        o = i < nargs ? args[i] : nkw > 0 ? byname[i] : NULL;
        if (o != NULL) {
            if (pyz3__convert(params, (size_t)i, o, out) < 0)
                goto done;
        }
        else if (!(params->params[i].flags & PYZ3_ARG_OPTIONAL)) {
            pyz3__missing(params, (size_t)i);
            goto done;
        }
        else
            pyz3__arg_default(params, (size_t)i, out);
    }
    if (bad_keywords)
        pyz3__bad_keywords(params, nargs, kwnames);
    else
        rc = 0;
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

/* ------------------------------------------------------------------------
 * Results. */

PyObject *
pyz3__steal_failed(PyObject *const *items, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        Py_XDECREF(items[i]);
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError,
                        "libpyz3: a NULL item without an exception to build a result from");
    return NULL;
}

PyObject *
pyz3__tuple_steal(PyObject *const *items, size_t n)
{
    PyObject *t;
    size_t i;
    if (items == NULL && n != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (items[i] == NULL)
            return pyz3__steal_failed(items, n);
    if (n > (size_t)PY_SSIZE_T_MAX || (t = PyTuple_New((Py_ssize_t)n)) == NULL)
        return pyz3__steal_failed(items, n);
    for (i = 0; i < n; i++)
        PyTuple_SetItem(t, (Py_ssize_t)i, items[i]);
    return t;
}

PyObject *
pyz3_tuple_steal(PyObject *const *items, size_t n)
{
    return pyz3__tuple_steal(items, n);
}

PyObject *
pyz3_dict_steal(const pyz3_names *keys, PyObject *const *values, size_t n)
{
    PyObject *d;
    size_t i;
    if (values == NULL && n != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (values[i] == NULL)
            return pyz3__steal_failed(values, n);
    if ((keys == NULL || keys->table == NULL || !keys->table->ready)
        && pyz3__names_prepare(keys) < 0)
        return pyz3__steal_failed(values, n);
    if (n != keys->count) {
        PyErr_Format(PyExc_SystemError, "pyz3_dict_steal: %zu values for %zu keys",
                     n, keys->count);
        return pyz3__steal_failed(values, n);
    }
    if ((d = PyDict_New()) == NULL)
        return pyz3__steal_failed(values, n);
    for (i = 0; i < n; i++)
        if (PyDict_SetItem(d, keys->table->objs[i], values[i]) < 0) {
            Py_DECREF(d);
            return pyz3__steal_failed(values, n);
        }
    for (i = 0; i < n; i++)
        Py_DECREF(values[i]);
    return d;
}

PyObject *
pyz3_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
