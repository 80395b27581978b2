/* args_internal.h -- what the units of the argument parser share; never
 * installed.
 *
 *   args_table.c   the tables: a description checked once, its names
 *                  interned once per interpreter life
 *   args_types.c   one entry per PYZ3_ARG_* type: its size, its
 *                  converter, its default, what it gives back
 *   args_parse.c   a call's arguments matched to the parameters
 *   args_errors.c  the messages of a bad call and of a bad value
 *   suggestions.c  the parameter name closest to a keyword that is none
 *   result.c       pyz3_tuple() and pyz3_dict()
 */
#ifndef PYZ3_ARGS_INTERNAL_H
#define PYZ3_ARGS_INTERNAL_H

#include "internal.h"

/* The highest PYZ3_ARG_* type. */
#define PYZ3__ARG_NTYPES (PYZ3_ARG_CONVERTER + 1)

/* One PYZ3_ARG_* type. */
typedef struct pyz3__arg_type {
    size_t size;                /* of the member, checked against the description */
    bool any_size;              /* unless the member may be of any size */
    const char *expected;       /* "must be <expected>, not str", if it says so */
    /* Convert `o` (not a None that counts as left out) into the member at
     * `dst`: 0, or -1 with an exception. */
    int (*convert)(const pyz3_params *p, size_t i, PyObject *o, void *dst);
    /* Store the default of parameter i in the member at `dst`. */
    void (*absent)(const pyz3_params *p, size_t i, void *dst);
    /* Give back what a converted member holds, or NULL. */
    void (*release)(const pyz3_param *par, void *dst);
} pyz3__arg_type;

/* args_types.c: indexed by PYZ3_ARG_*; an entry of size 0 is no type. */
extern const pyz3__arg_type pyz3__arg_types[PYZ3__ARG_NTYPES];

/* The entry of `type`, or NULL if there is none. */
static inline const pyz3__arg_type *
pyz3__arg_type_of(unsigned int type)
{
    if (type >= PYZ3__ARG_NTYPES || pyz3__arg_types[type].size == 0)
        return NULL;
    return &pyz3__arg_types[type];
}

/* args_table.c: check and fill the table of `p` or `names` on first use
 * in this interpreter life: 0, or -1 with an exception. */
int pyz3__params_prepare(const pyz3_params *p);
int pyz3__names_prepare(const pyz3_names *names);

/* args_errors.c. Each returns -1 with the TypeError of PyArg_Parse*. */
int pyz3__too_many(const pyz3_params *p, Py_ssize_t nargs, Py_ssize_t nkw);
int pyz3__too_many_positional(const pyz3_params *p, Py_ssize_t nargs);
int pyz3__too_few_positional(const pyz3_params *p, Py_ssize_t nargs);
int pyz3__missing(const pyz3_params *p, size_t i);
int pyz3__bad_keywords(const pyz3_params *p, Py_ssize_t nargs, PyObject *kwnames);
/* Argument Clinic's TypeError for argument `o` of parameter i, of a type
 * the converter does not take: "f() argument 'x' must be <expected>, not
 * <type of o>" ("argument 2" for a positional-only one). -1. The _u
 * variant takes `expected` as a str. */
int pyz3__bad_argument(const pyz3_params *p, size_t i, const char *expected, PyObject *o);
int pyz3__bad_argument_u(const pyz3_params *p, size_t i, PyObject *expected, PyObject *o);
/* The unwrap of one of the first six types failed on `o`. If `foreign`,
 * `o` is of a type the unwrap never takes, and its TypeError becomes
 * "f() argument 'x' must be int, not str"; if `ours`, converting `o` ran
 * no code of the caller's, so the exception is a new one of CPython's and
 * gets the parameter's name; else it stays exactly as raised. -1. */
int pyz3__unwrap_failed(const pyz3_params *p, size_t i, PyObject *o, int foreign, int ours);
/* The tp_name of type `type`, as CPython's messages print it: a new
 * reference, or NULL with an exception. */
PyObject *pyz3__type_tp_name(PyObject *type);

/* args_parse.c: the parameter that the keyword `kw` names (never a
 * positional-only one): its index, or -1. */
Py_ssize_t pyz3__keyword_find(const pyz3_params *p, PyObject *kw);

/* suggestions.c: the name of a parameter close to the keyword `kw`, as
 * CPython 3.13 suggests one: borrowed, or NULL. */
PyObject *pyz3__suggest(const pyz3_params *p, PyObject *kw);

#endif /* PYZ3_ARGS_INTERNAL_H */
