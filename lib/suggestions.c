/* suggestions.c -- the parameter name closest to a keyword that names
 * none, as CPython's Python/suggestions.c finds it for the "Did you mean"
 * of 3.13 on. Never raises.
 */
#include <string.h>

#include "args_internal.h"

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

PyObject *
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
        /* No keyword names a positional-only parameter. */
        if (p->params[i].flags & PYZ3_ARG_POSONLY)
            continue;
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
