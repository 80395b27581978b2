/* <pyz3/pool.h> -- object pooling. See pyz3_pool(3).
 *
 * Objects that extension code returns again and again, looked up instead of
 * created: the small ints -5..256 and the empty tuple (CPython's own
 * singletons, which the pool hands out), the floats 0.0, 1.0, -1.0 and 0.5 matched bit for bit, and
 * the strings "", "None", "True" and "False". The pool belongs to the
 * interpreter that filled it and is refilled after Py_FinalizeEx() and a new
 * Py_Initialize(); in another interpreter (a sub-interpreter) the float and
 * str look-ups miss. The empty tuple is always the calling interpreter's
 * own singleton. Every function requires the GIL (on a free-threaded
 * CPython, an attached thread state; threads then use the pool at once).
 */
#ifndef PYZ3_POOL_H
#define PYZ3_POOL_H

#include <stdint.h>
#include <pyz3/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fill the pool for the current interpreter if it is not filled: 0, or -1
 * with an exception (MemoryError, or what registering its exit hooks
 * raised). Also done on first use; calling it again does nothing. */
PYZ3_API int pyz3_pool_init(void);

/* Give back the pool's references. The next use fills it again. */
PYZ3_API void pyz3_pool_fini(void);

/* A new reference to the int `v` if -5 <= v <= 256, else NULL with no
 * exception set. */
PYZ3__INLINE PyObject *pyz3_pool_int(int64_t v);

/* A new reference to the empty tuple, CPython's own singleton in the
 * calling interpreter, or NULL with an exception. */
PYZ3_API PyObject *pyz3_pool_empty_tuple(void);

/* A new, empty dict or list of the caller's own (never shared, so never
 * pooled), or NULL with an exception: PyDict_New() and PyList_New(0). */
PYZ3_API PyObject *pyz3_new_dict(void);
PYZ3_API PyObject *pyz3_new_list(void);

/* The same two under their first names, kept for the code that uses them. */
PYZ3_API PyObject *pyz3_pool_new_dict(void);
PYZ3_API PyObject *pyz3_pool_new_list(void);

/* A new reference to a pooled float with exactly the bits of `v` (0.0, 1.0,
 * -1.0 or 0.5; never -0.0 or a NaN), else NULL with no exception set. */
PYZ3_API PyObject *pyz3_pool_float(double v);

/* A new reference to a pooled str equal to the `len` bytes at `s` ("",
 * "None", "True" or "False"), else NULL with no exception set. */
PYZ3_API PyObject *pyz3_pool_str(const char *s, size_t len);

/* Internal: the ints, borrowed from CPython's small-int cache; all NULL
 * while the pool is not filled. */
#define PYZ3__POOL_INT_MIN  (-5)
#define PYZ3__POOL_INT_MAX  256
#define PYZ3__POOL_INTS     (PYZ3__POOL_INT_MAX - PYZ3__POOL_INT_MIN + 1)
PYZ3_API extern PyObject *pyz3__pool_ints[PYZ3__POOL_INTS];
PYZ3_API PyObject *pyz3__pool_int_fill(int64_t v);

/* Whether `v` is a pooled int, and the new reference to it (`v` in
 * range): the look-up of pyz3_pool_int() and the wraps of <pyz3/fastpath.h>,
 * inline and out of line. */
static inline int
pyz3__pool_has_int(int64_t v)
{
    return (uint64_t)v - (uint64_t)PYZ3__POOL_INT_MIN < PYZ3__POOL_INTS;
}

static inline PyObject *
pyz3__pool_small_int(int64_t v)
{
    /* Without a GIL another thread fills or clears the ints meanwhile:
     * an atomic load (a plain one on x86). They are CPython's immortal
     * statics there, so one read stays valid. */
#ifdef Py_GIL_DISABLED
    PyObject *o = (PyObject *)_Py_atomic_load_ptr_relaxed(&pyz3__pool_ints[v - PYZ3__POOL_INT_MIN]);
#else
    PyObject *o = pyz3__pool_ints[v - PYZ3__POOL_INT_MIN];
#endif
    if (PYZ3_UNLIKELY(o == NULL))
        return pyz3__pool_int_fill(v);
    Py_INCREF(o);
    return o;
}

static inline PyObject *
pyz3__pool_int(int64_t v)
{
    if (!pyz3__pool_has_int(v))
        return NULL;
    return pyz3__pool_small_int(v);
}

#if PYZ3_INLINE_PATHS

static inline PyObject *
pyz3_pool_int(int64_t v)
{
    return pyz3__pool_int(v);
}

#endif /* PYZ3_INLINE_PATHS */

#ifdef __cplusplus
}
#endif

#endif /* PYZ3_POOL_H */
