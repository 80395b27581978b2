/* compat.h -- the functions libpyz3 calls beyond the stable ABI of 3.8.
 *
 * Each one is exported by the libpython of every CPython libpyz3 supports
 * (3.8 on); the one-library test checks that for every undefined symbol of
 * libpyz3.so. Keep this list short, and say for each why it is safe.
 */
#ifndef PYZ3_COMPAT_H
#define PYZ3_COMPAT_H

/* Public since 3.3, in the limited API from 3.10. */
PyAPI_FUNC(const char *) PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *size);

#if PYZ3_DEBUG
/* Public since 3.4, never in the limited API; the debug build uses it to
 * catch pyz3_gil_assume() without the GIL. */
PyAPI_FUNC(int) PyGILState_Check(void);
#endif

#endif /* PYZ3_COMPAT_H */
