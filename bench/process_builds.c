/* process_builds.c -- the five builds of process_data() (process_data.h),
 * one per row of the seed's table, and the helpers of the generic route
 * that a C programmer takes without libpyz3. */
#include "process.h"

/* PyMem_Malloc/PyMem_Free need the GIL; code that may run without it
 * takes it around each call. */
static inline void *
process_alloc_ensured(size_t size)
{
    PyGILState_STATE s = PyGILState_Ensure();
    void *p = PyMem_Malloc(size);
    PyGILState_Release(s);
    return p;
}

static inline void
process_free_ensured(void *p)
{
    PyGILState_STATE s;
    if (p == NULL)
        return;
    s = PyGILState_Ensure();
    PyMem_Free(p);
    PyGILState_Release(s);
}

/* The generic converter: a format string parsed at every call. */
static inline int
process_parse_i64(PyObject *o, int64_t *out)
{
    long long v;
    if (!PyArg_Parse(o, "L", &v))
        return -1;
    *out = (int64_t)v;
    return 0;
}

static inline PyObject *
process_build_pooled(int64_t v)
{
    PyObject *o = pyz3_pool_int(v);
    return o != NULL ? o : Py_BuildValue("L", (long long)v);
}

#define PROCESS_NAME      process_baseline
#define PROCESS_GIL_CACHE 0
#define PROCESS_FAST      0
#define PROCESS_POOL      0
#include "process_data.h"

#define PROCESS_NAME      process_gil
#define PROCESS_GIL_CACHE 1
#define PROCESS_FAST      0
#define PROCESS_POOL      0
#include "process_data.h"

#define PROCESS_NAME      process_fast
#define PROCESS_GIL_CACHE 0
#define PROCESS_FAST      1
#define PROCESS_POOL      0
#include "process_data.h"

#define PROCESS_NAME      process_pool
#define PROCESS_GIL_CACHE 0
#define PROCESS_FAST      0
#define PROCESS_POOL      1
#include "process_data.h"

#define PROCESS_NAME      process_all
#define PROCESS_GIL_CACHE 1
#define PROCESS_FAST      1
#define PROCESS_POOL      1
#include "process_data.h"
