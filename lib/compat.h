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

/* Public since 3.5; the 3.8 and 3.9 headers declare it outside the limited
 * API, and an implicit declaration would truncate the pointer. */
PyAPI_FUNC(void *) PyMem_Calloc(size_t nelem, size_t elsize);

/* Public since 3.2, in the 3.8 headers' limited section but not the stable
 * ABI list: destroys the attached thread state and releases the GIL. */
PyAPI_FUNC(void) PyThreadState_DeleteCurrent(void);

/* Public since 3.4, never in the limited API: whether this thread holds the
 * GIL, to refuse destroying a kept thread state that is attached (and, in
 * the debug build, to catch pyz3_gil_assume() without the GIL). */
PyAPI_FUNC(int) PyGILState_Check(void);

#endif /* PYZ3_COMPAT_H */
