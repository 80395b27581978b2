/* pool.c -- object pooling.
 *
 * Owns the pooled objects and their lifetime. The pool is filled lazily,
 * under the GIL, in the interpreter that first uses it, and tied to that
 * interpreter's life (lib/life.c): given back while the interpreter still
 * runs at its end, forgotten once it is gone, so that a new
 * Py_Initialize() gets a fresh fill and never a stale object.
 *
 * The pool serves only the interpreter that filled it, known by that
 * interpreter's life object (which the calling thread's interpreter
 * finds, whatever the running frame's builtins). Another interpreter,
 * which may run at the same time under a GIL of its own (3.12+), must
 * never get the filler's floats and strs: there the look-ups miss, and
 * pyz3_pool_fini() does nothing. The empty tuple is always the calling
 * interpreter's own: CPython keeps it as a singleton on every version, so
 * PyTuple_New(0) is the look-up. The ints are read inline by every
 * interpreter without that check: they are CPython's static immortal
 * objects on 3.12+, and before 3.12 sub-interpreters share one GIL.
 *
 * Without a GIL (libpyz3t), threads of one interpreter use the pool at
 * once. The fill is claimed with a compare-and-swap and published with
 * release, and a thread that finds it under way waits for it; the ints are stored and read atomically (relaxed is enough:
 * they are CPython's immortal statics on 3.13 on, never freed, so a reader
 * that got one may keep it whatever pyz3_pool_fini() does meanwhile). The
 * floats are mortal: a hit takes its reference, and clearing gives the
 * pool's back, under one mutex, so that no thread gets a float another
 * thread's pyz3_pool_fini() freed. The strs, interned, are immortal there
 * but go by the same mutex.
 */
#include <sched.h>
#include <string.h>

#include "internal.h"

PyObject *pyz3__pool_ints[PYZ3__POOL_INTS];

static const double pyz3__pool_float_values[] = { 0.0, 1.0, -1.0, 0.5 };
static const char *const pyz3__pool_str_values[] = { "", "None", "True", "False" };

#define PYZ3__NFLOATS (sizeof(pyz3__pool_float_values) / sizeof(double))
#define PYZ3__NSTRS   (sizeof(pyz3__pool_str_values) / sizeof(char *))

/* The owner while an interpreter fills the pool. */
#define PYZ3__POOL_FILLING ((PyObject *)&pyz3__pool)

static struct {
    /* The filler's life object (borrowed: the interpreter holds it until
     * it gives the pool back), PYZ3__POOL_FILLING, or NULL when the pool
     * is empty. Every interpreter reads it; only the one that claimed the
     * pool writes it. */
    PyObject *owner;
    PyObject *floats[PYZ3__NFLOATS];
    PyObject *strs[PYZ3__NSTRS];
#ifdef Py_GIL_DISABLED
    PyMutex lock;               /* held to take or give back a float or str */
#endif
} pyz3__pool;

#ifdef Py_GIL_DISABLED
#define PYZ3__POOL_LOCK()   PyMutex_Lock(&pyz3__pool.lock)
#define PYZ3__POOL_UNLOCK() PyMutex_Unlock(&pyz3__pool.lock)
#else
#define PYZ3__POOL_LOCK()   ((void)0)
#define PYZ3__POOL_UNLOCK() ((void)0)
#endif

void
pyz3__pool_forget(void)
{
    memset(pyz3__pool_ints, 0, sizeof(pyz3__pool_ints));
    memset(&pyz3__pool, 0, sizeof(pyz3__pool));
}

/* Whether the calling interpreter filled the pool. */
static int
pyz3__pool_mine(void)
{
    PyObject *owner = __atomic_load_n(&pyz3__pool.owner, __ATOMIC_ACQUIRE);
    return owner != NULL && owner == pyz3__life_interp();
}

/* Give back what the pool holds: then the pool is empty for every
 * interpreter. Only its owner or its filler calls this. */
static void
pyz3__pool_clear(void)
{
    PyObject *o;
    size_t i;
    for (i = 0; i < PYZ3__POOL_INTS; i++) {
        o = __atomic_exchange_n(&pyz3__pool_ints[i], NULL, __ATOMIC_RELAXED);
        Py_XDECREF(o);
    }
    PYZ3__POOL_LOCK();
    for (i = 0; i < PYZ3__NFLOATS; i++)
        Py_CLEAR(pyz3__pool.floats[i]);
    for (i = 0; i < PYZ3__NSTRS; i++)
        Py_CLEAR(pyz3__pool.strs[i]);
    __atomic_store_n(&pyz3__pool.owner, NULL, __ATOMIC_RELEASE);
    PYZ3__POOL_UNLOCK();
}

void
pyz3__pool_release(PyObject *interp)
{
    if (interp != NULL && __atomic_load_n(&pyz3__pool.owner, __ATOMIC_ACQUIRE) == interp)
        pyz3__pool_clear();
}

/* 0 once the pool is filled or being filled by someone else. Without a
 * GIL another thread of this interpreter may be filling it right now: it
 * is waited for, detached so as not to hold up a stop-the-world pause that
 * the filler's allocations may ask for, so that its first look-ups do not
 * miss. */
static int
pyz3__pool_filled_elsewhere(void)
{
#ifdef Py_GIL_DISABLED
    while (__atomic_load_n(&pyz3__pool.owner, __ATOMIC_ACQUIRE) == PYZ3__POOL_FILLING) {
        Py_BEGIN_ALLOW_THREADS
        sched_yield();
        Py_END_ALLOW_THREADS
    }
#endif
    return 0;
}

int
pyz3_pool_init(void)
{
    PyObject *o, *owner, *empty = NULL;
    size_t i;
    if (__atomic_load_n(&pyz3__pool.owner, __ATOMIC_ACQUIRE) != NULL)
        return pyz3__pool_filled_elsewhere();
    /* May run Python code (an import) and release the GIL. */
    if ((owner = pyz3__life_here()) == NULL)
        return -1;
    /* Claim the pool: another thread or interpreter may be filling it. */
    if (!__atomic_compare_exchange_n(&pyz3__pool.owner, &empty, PYZ3__POOL_FILLING, 0,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return pyz3__pool_filled_elsewhere();
    /* Nothing below releases the GIL until the pool is complete. */
    for (i = 0; i < PYZ3__POOL_INTS; i++) {
        o = PyLong_FromLong((long)i + PYZ3__POOL_INT_MIN);
        if (o == NULL)
            goto fail;
        __atomic_store_n(&pyz3__pool_ints[i], o, __ATOMIC_RELAXED);
    }
    for (i = 0; i < PYZ3__NFLOATS; i++)
        if ((pyz3__pool.floats[i] = PyFloat_FromDouble(pyz3__pool_float_values[i])) == NULL)
            goto fail;
    for (i = 0; i < PYZ3__NSTRS; i++)
        if ((pyz3__pool.strs[i] = PyUnicode_InternFromString(pyz3__pool_str_values[i])) == NULL)
            goto fail;
    __atomic_store_n(&pyz3__pool.owner, owner, __ATOMIC_RELEASE);
    return 0;
fail:
    pyz3__pool_clear();
    return -1;
}

void
pyz3_pool_fini(void)
{
    if (pyz3__pool_mine())
        pyz3__pool_clear();
}

PyObject *
pyz3__pool_int_fill(int64_t v)
{
    PyObject *o;
    if (pyz3_pool_init() < 0
        || (o = __atomic_load_n(&pyz3__pool_ints[v - PYZ3__POOL_INT_MIN], __ATOMIC_RELAXED))
           == NULL) {
        /* CPython caches these ints itself: hand out its object. */
        PyErr_Clear();
        return PyLong_FromLongLong(v);
    }
    Py_INCREF(o);
    return o;
}

PyObject *
pyz3_pool_int(int64_t v)
{
    return pyz3__pool_int(v);
}

PyObject *
pyz3_pool_empty_tuple(void)
{
    return PyTuple_New(0);
}

PyObject *
pyz3_new_dict(void)
{
    return PyDict_New();
}

PyObject *
pyz3_new_list(void)
{
    return PyList_New(0);
}

PyObject *
pyz3_pool_new_dict(void)
{
    return pyz3_new_dict();
}

PyObject *
pyz3_pool_new_list(void)
{
    return pyz3_new_list();
}

/* The pooled object at index i of `objs`, or NULL (a miss) when the pool
 * cannot be filled or is another interpreter's: a miss sets no exception. */
static PyObject *
pyz3__pool_hit(PyObject *const *objs, size_t i)
{
    PyObject *o = NULL;
    if (!pyz3__pool_mine() && pyz3_pool_init() < 0) {
        PyErr_Clear();
        return NULL;
    }
    PYZ3__POOL_LOCK();
    if (pyz3__pool_mine()) {
        o = objs[i];
        Py_INCREF(o);
    }
    PYZ3__POOL_UNLOCK();
    return o;
}

PyObject *
pyz3_pool_float(double v)
{
    uint64_t bits, value;
    size_t i;
    memcpy(&bits, &v, sizeof(bits));
    for (i = 0; i < PYZ3__NFLOATS; i++) {
        memcpy(&value, &pyz3__pool_float_values[i], sizeof(value));
        if (bits == value)
            return pyz3__pool_hit(pyz3__pool.floats, i);
    }
    return NULL;
}

PyObject *
pyz3_pool_str(const char *s, size_t len)
{
    size_t i;
    if (s == NULL && len != 0)
        return NULL;
    /* The pooled strings have distinct lengths but for "None"/"True". */
    switch (len) {
    case 0:
        return pyz3__pool_hit(pyz3__pool.strs, 0);
    case 4:
        i = memcmp(s, "None", 4) == 0 ? 1 : memcmp(s, "True", 4) == 0 ? 2 : 0;
        break;
    case 5:
        i = memcmp(s, "False", 5) == 0 ? 3 : 0;
        break;
    default:
        return NULL;
    }
    return i != 0 ? pyz3__pool_hit(pyz3__pool.strs, i) : NULL;
}
