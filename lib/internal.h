/* internal.h -- what the units of libpyz3 share; never installed.
 *
 * Every unit is built for the stable ABI of CPython 3.8 (Py_LIMITED_API is
 * set by the build), so one libpyz3.so serves every CPython from 3.8 on.
 * The few functions it needs beyond that ABI are declared in compat.h.
 */
#ifndef PYZ3_INTERNAL_H
#define PYZ3_INTERNAL_H

#if !defined(Py_LIMITED_API) || Py_LIMITED_API != 0x03080000
#  error "libpyz3 units must be built with Py_LIMITED_API=0x03080000"
#endif

#include <pyz3.h>
#include "compat.h"

/* A thread-local of the library's own, pinned to static TLS like the depth. */
#define PYZ3__TLS PYZ3_THREAD_LOCAL

/* Abort with a message naming the misused function: for misuse that would
 * otherwise corrupt the GIL or the heap silently. Never returns. */
#define pyz3__misuse(msg) Py_FatalError(msg)

/* life.c: run `def` (a METH_NOARGS function) from Python's atexit, early
 * in Py_FinalizeEx() while the interpreter still works; run `func` from
 * Py_AtExit(), after the interpreter is gone. 0, or -1 with an exception. */
int pyz3__on_finalize(PyMethodDef *def);
int pyz3__after_finalize(void (*func)(void));

/* version.c: the minor version of the running CPython 3 (8 for 3.8). */
int pyz3__python_minor(void);

#endif /* PYZ3_INTERNAL_H */
