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

/* The buffer protocol, public since 3.0 and in the stable ABI from 3.11,
 * whose layout of Py_buffer has been the same since 3.3: the headers of
 * the limited API of 3.8 declare neither. libpyz3t's full headers declare
 * them with Py_buffer. */
#ifndef Py_LIMITED_API
typedef Py_buffer pyz3__buffer;
#define PYZ3__BUF_SIMPLE PyBUF_SIMPLE
#else
typedef struct pyz3__buffer {
    void *buf;
    PyObject *obj;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    int readonly;
    int ndim;
    char *format;
    Py_ssize_t *shape;
    Py_ssize_t *strides;
    Py_ssize_t *suboffsets;
    void *internal;
} pyz3__buffer;
#define PYZ3__BUF_SIMPLE 0
PyAPI_FUNC(int) PyObject_GetBuffer(PyObject *obj, pyz3__buffer *view, int flags);
PyAPI_FUNC(int) PyBuffer_IsContiguous(const pyz3__buffer *view, char order);
PyAPI_FUNC(void) PyBuffer_Release(pyz3__buffer *view);
#endif

#endif /* PYZ3_COMPAT_H */
