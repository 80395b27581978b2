/* version.c -- the library's version, and whether the running CPython is
 * one a caller's inline paths were compiled for.
 *
 * A caller is compiled for the kind of CPython (with the GIL, or
 * free-threaded) of the library it links, since each kind has its own
 * <pyz3/config*.h>: libpyz3 refuses a free-threaded interpreter, and
 * libpyz3t one with the GIL. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *
pyz3_version(void)
{
    return PYZ3_VERSION;
}

unsigned long
pyz3__running_hex(void)
{
    static unsigned long hex;
    unsigned long v = __atomic_load_n(&hex, __ATOMIC_RELAXED);
    unsigned major = 0, minor = 0;
    if (v != 0)
        return v;
    if (sscanf(Py_GetVersion(), "%u.%u", &major, &minor) != 2)
        return 0;
    /* Every thread that gets here reads the same string. */
    v = (unsigned long)major << 24 | (unsigned long)minor << 16;
    __atomic_store_n(&hex, v, __ATOMIC_RELAXED);
    return v;
}

/* 1 if the running interpreter is a free-threaded build ("t" in
 * sys.abiflags), 0 if not (no sys.abiflags, as on Windows, says not), -1
 * with an exception if that cannot be read (PySys_GetObject() would hide
 * a MemoryError, and answer "not" for a free-threaded build). */
static int
pyz3__running_free_threaded(void)
{
    PyObject *sys, *flags;
    const char *s;
    int rc;
    if ((sys = PyImport_ImportModule("sys")) == NULL)
        return -1;
    flags = PyObject_GetAttrString(sys, "abiflags");
    Py_DECREF(sys);
    if (flags == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
        return 0;
    }
    if (!PyUnicode_Check(flags)) {
        Py_DECREF(flags);
        return 0;
    }
    s = PyUnicode_AsUTF8AndSize(flags, NULL);
    rc = s == NULL ? -1 : strchr(s, 't') != NULL;
    Py_DECREF(flags);
    return rc;
}

int
pyz3__python_minor(void)
{
    return (int)((pyz3__running_hex() >> 16) & 0xFF);
}

int
pyz3_check_python_abi(unsigned long compiled_hex, int stable_abi)
{
    unsigned long running = pyz3__running_hex();
    unsigned long compiled = compiled_hex & 0xFFFF0000UL;
    int ok, free_threaded;
    if ((free_threaded = pyz3__running_free_threaded()) < 0)
        return -1;
    if (free_threaded != PYZ3_FREE_THREADED) {
        PyErr_SetString(PyExc_ImportError, PYZ3_FREE_THREADED
            ? "compiled for a free-threaded CPython (libpyz3t) but running on a CPython with the GIL"
            : "compiled for a CPython with the GIL (libpyz3) but running on a free-threaded CPython");
        return -1;
    }
#ifdef Py_GIL_DISABLED
    /* libpyz3t is built for its CPython's major.minor only. */
    if (running != PYZ3_PYTHON_MIN_HEXVERSION) {
        PyErr_Format(PyExc_ImportError,
                     "libpyz3t was built for the free-threaded Python %lu.%lu but running on Python %lu.%lu",
                     (unsigned long)PYZ3_PYTHON_MIN_HEXVERSION >> 24,
                     ((unsigned long)PYZ3_PYTHON_MIN_HEXVERSION >> 16) & 0xFF,
                     running >> 24, (running >> 16) & 0xFF);
        return -1;
    }
#endif
    if (stable_abi && compiled < 0x03000000UL)
        compiled = 0x03020000UL;        /* Py_LIMITED_API=3 means 3.2 */
    /* The library itself needs 3.8; code built for another exact minor
     * version must still match it. */
    if (stable_abi && compiled < PYZ3_PYTHON_MIN_HEXVERSION)
        compiled = PYZ3_PYTHON_MIN_HEXVERSION;
    ok = stable_abi ? running >= compiled : running == compiled;
    if (ok)
        return 0;
    PyErr_Format(PyExc_ImportError,
                 "compiled for Python %lu.%lu%s but running on Python %lu.%lu",
                 compiled >> 24, (compiled >> 16) & 0xFF,
                 stable_abi ? " or newer" : "",
                 running >> 24, (running >> 16) & 0xFF);
    return -1;
}

/* The exported function, for callers that cannot expand the macro. */
#undef pyz3_check_python

int
pyz3_check_python(void)
{
    return pyz3_check_python_abi(PYZ3_PYTHON_MIN_HEXVERSION, 1);
}
