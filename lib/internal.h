/* internal.h -- what the units of libpyz3 share; never installed.
 *
 * Every unit of libpyz3 is built for the stable ABI of CPython 3.8
 * (Py_LIMITED_API is set by the build), so one libpyz3.so serves every
 * CPython from 3.8 on. The few functions it needs beyond that ABI are
 * declared in compat.h. libpyz3t, the same units built for a free-threaded
 * CPython (Py_GIL_DISABLED, from its pyconfig.h), has no stable ABI to
 * build for: it uses that CPython's own headers, and serves its
 * major.minor only.
 */
#ifndef PYZ3_INTERNAL_H
#define PYZ3_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
/* Before <pyz3.h>: the bodies that its headers share with the units call
 * what it declares. */
#include "compat.h"
#include <pyz3.h>

#ifdef Py_GIL_DISABLED
#  ifdef Py_LIMITED_API
#    error "libpyz3t units are built against their CPython's own headers, without Py_LIMITED_API"
#  endif
#elif !defined(Py_LIMITED_API) || Py_LIMITED_API != 0x03080000
#  error "libpyz3 units must be built with Py_LIMITED_API=0x03080000"
#endif

/* A thread-local of the library's own, pinned to static TLS like the depth. */
#define PYZ3__TLS PYZ3_THREAD_LOCAL

/* Abort with a message naming the misused function: for misuse that would
 * otherwise corrupt the GIL or the heap silently. Never returns. */
#define pyz3__misuse(msg) Py_FatalError(msg)

/* version.c: the running interpreter's major.minor as 0xMMmm0000, read
 * from Py_GetVersion() (Py_Version is not in the stable ABI of 3.8), or 0
 * if that cannot be read. */
unsigned long pyz3__running_hex(void);

/* life.c: the interpreter's life. */

/* The calling interpreter's life object (borrowed), made with its exit
 * hooks if it has none yet: a unit calls this when it keeps objects
 * between calls. NULL with an exception if it cannot be made. */
PyObject *pyz3__life_here(void);

/* The calling interpreter's life object (borrowed), or NULL (no exception)
 * while no unit keeps objects there: what tells interpreters apart. */
PyObject *pyz3__life_interp(void);

/* The generation: how many times Py_FinalizeEx() has finished. */
unsigned int pyz3__life_now(void);

/* Make sure the end of this life is hooked (the units forget, the
 * generation moves): 0, or -1 without an exception. */
int pyz3__life_hook_end(void);

/* The units' halves of it, called by life.c in this order: release gives
 * back, while the interpreter whose life object is `interp` still runs,
 * what it lent the unit; forget drops everything without touching it once
 * the interpreter is gone. */
void pyz3__pool_release(PyObject *interp);
void pyz3__pool_forget(void);
void pyz3__args_release(PyObject *interp);
void pyz3__args_forget(void);

/* version.c: the minor version of the running CPython 3 (8 for 3.8). */
int pyz3__python_minor(void);

#endif /* PYZ3_INTERNAL_H */
