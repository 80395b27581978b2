/* life.c -- the interpreter's life, for every unit that outlives a call.
 *
 * Owns the generation counter (one per Py_Initialize/Py_FinalizeEx life),
 * the one Py_AtExit() function of each life, and in each interpreter that
 * a unit keeps objects in, one object of libpyz3's own: a module, never
 * imported, that PyState_AddModule() ties to that interpreter. It says
 * which interpreter is calling (PyState_FindModule() reads the calling
 * thread's interpreter, whatever the running frame's globals), and it gives
 * the units two chances to give their objects back while Python still
 * runs: one atexit callback, registered with it, early in finalization;
 * and its own m_free, when the interpreter drops its modules, after every
 * atexit callback (one registered before libpyz3's first use runs after
 * libpyz3's, and may fill a unit again). Once the interpreter is gone the
 * Py_AtExit() function makes the units forget what a use later still was
 * (a destructor run by the interpreter's last collections): those objects
 * are never touched again, so never released.
 *
 * The units are called in the order of the table below, as CPython's
 * Py_FinalizeEx() calls each unit's _Py..._Fini(). A unit that keeps
 * objects between calls adds its two functions there and calls
 * pyz3__life_here() when it keeps some.
 */
#include "internal.h"

static const struct pyz3__unit {
    /* Give back what the interpreter whose life object is `interp` lent
     * the unit; it still runs. May be called again. */
    void (*release)(PyObject *interp);
    /* The interpreter is gone: drop every object without touching it. */
    void (*forget)(void);
} pyz3__units[] = {
    { pyz3__pool_release, pyz3__pool_forget },
    { pyz3__args_release, pyz3__args_forget },
};

#define PYZ3__NUNITS (sizeof(pyz3__units) / sizeof(pyz3__units[0]))

static void
pyz3__life_release(PyObject *interp)
{
    size_t i;
    for (i = 0; i < PYZ3__NUNITS; i++)
        pyz3__units[i].release(interp);
}

/* The module's m_free: the interpreter drops its modules. */
static void
pyz3__life_free(void *interp)
{
    pyz3__life_release((PyObject *)interp);
}

/* CPython gives the definition its index among an interpreter's modules
 * on first use; a new life may count those indexes afresh (3.12 does), so
 * each life gets an index of its own. */
static const PyModuleDef_Base pyz3__life_base = PyModuleDef_HEAD_INIT;

static struct PyModuleDef pyz3__life_def = {
    PyModuleDef_HEAD_INIT,
    "_pyz3_life",
    "libpyz3's hold on this interpreter's life; never imported.",
    0, NULL, NULL, NULL, NULL, pyz3__life_free,
};

/* Bumped at the end of every Py_FinalizeEx(). */
static unsigned int pyz3__life;
/* The life whose Py_AtExit() function is registered, plus one. */
static unsigned int pyz3__life_hooked;
/* Set once a life object was added in this life. Until then the
 * definition's index may be written by the thread making the first one,
 * and PyState_FindModule() would read it unlocked. */
static int pyz3__life_added;

unsigned int
pyz3__life_now(void)
{
    return __atomic_load_n(&pyz3__life, __ATOMIC_ACQUIRE);
}

/* Py_AtExit(): the interpreter is gone. */
static void
pyz3__life_end(void)
{
    size_t i;
    for (i = 0; i < PYZ3__NUNITS; i++)
        pyz3__units[i].forget();
    __atomic_store_n(&pyz3__life_added, 0, __ATOMIC_RELEASE);
    pyz3__life_def.m_base = pyz3__life_base;
    __atomic_add_fetch(&pyz3__life, 1, __ATOMIC_RELEASE);
}

int
pyz3__life_hook_end(void)
{
    unsigned int life = pyz3__life_now();
    unsigned int old = __atomic_load_n(&pyz3__life_hooked, __ATOMIC_ACQUIRE);
    /* One thread claims the registration of this life. */
    if (old == life + 1
        || !__atomic_compare_exchange_n(&pyz3__life_hooked, &old, life + 1, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return 0;
    if (Py_AtExit(pyz3__life_end) < 0) {
        __atomic_store_n(&pyz3__life_hooked, old, __ATOMIC_RELEASE);
        return -1;
    }
    return 0;
}

static PyObject *
pyz3__life_atexit(PyObject *interp, PyObject *unused)
{
    pyz3__life_release(interp);
    Py_RETURN_NONE;
}

static PyMethodDef pyz3__life_atexit_def = {
    "_pyz3_release", pyz3__life_atexit, METH_NOARGS,
    "Give back the objects libpyz3 keeps, before the interpreter finalizes.",
};

PyObject *
pyz3__life_interp(void)
{
    if (!__atomic_load_n(&pyz3__life_added, __ATOMIC_ACQUIRE))
        return NULL;
    return PyState_FindModule(&pyz3__life_def);
}

/* Register `interp`'s release with this interpreter's atexit. */
static int
pyz3__life_on_atexit(PyObject *interp)
{
    PyObject *atexit, *func, *res;
    atexit = PyImport_ImportModule("atexit");
    if (atexit == NULL)
        return -1;
    func = PyCFunction_NewEx(&pyz3__life_atexit_def, interp, NULL);
    if (func == NULL) {
        Py_DECREF(atexit);
        return -1;
    }
    res = PyObject_CallMethod(atexit, "register", "O", func);
    Py_DECREF(func);
    Py_DECREF(atexit);
    if (res == NULL)
        return -1;
    Py_DECREF(res);
    return 0;
}

#ifdef Py_GIL_DISABLED
/* Held to make a life object: without a GIL two threads of one interpreter
 * would make one each, and the second would replace the first. */
static PyMutex pyz3__life_lock;
#endif

/* Make and add this interpreter's life object if it has none: it (borrowed),
 * and whether this call made it; NULL with an exception. */
static PyObject *
pyz3__life_add(int *made)
{
    PyObject *interp = PyState_FindModule(&pyz3__life_def);
    *made = 0;
    if (interp != NULL)
        return interp;
    if (pyz3__life_hook_end() < 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "libpyz3: no room left for a Py_AtExit() function");
        return NULL;
    }
    interp = PyModule_Create(&pyz3__life_def);
    if (interp == NULL)
        return NULL;
    /* The interpreter holds the only reference from now on. */
    if (PyState_AddModule(interp, &pyz3__life_def) < 0) {
        Py_DECREF(interp);
        return NULL;
    }
    Py_DECREF(interp);
    __atomic_store_n(&pyz3__life_added, 1, __ATOMIC_RELEASE);
    *made = 1;
    return interp;
}

PyObject *
pyz3__life_here(void)
{
    PyObject *interp = pyz3__life_interp();
    int made;
    if (interp != NULL)
        return interp;
#ifdef Py_GIL_DISABLED
    PyMutex_Lock(&pyz3__life_lock);
    interp = pyz3__life_add(&made);
    PyMutex_Unlock(&pyz3__life_lock);
#else
    interp = pyz3__life_add(&made);
#endif
    if (interp == NULL || !made)
        return interp;
    /* May run Python code (an import), which may have come here too: one
     * life object is registered, and only its creator registers it. */
    if (pyz3__life_on_atexit(interp) < 0)
        return NULL;
    return interp;
}
