/* process_data.h -- the seed's process_data(), one body for the five builds
 * of its table. process_builds.c includes it once per build, after
 * defining:
 *
 *   PROCESS_NAME       the function's name
 *   PROCESS_GIL_CACHE  1: the call is one pyz3_gil scope, and every
 *                      allocation is pyz3_alloc/pyz3_free inside it;
 *                      0: every PyMem_Malloc and every PyMem_Free has a
 *                      PyGILState_Ensure/Release of its own, as code that
 *                      may run without the GIL must do without libpyz3
 *   PROCESS_FAST       1: each item read with pyz3_unwrap_i64, the result
 *                      made with pyz3_wrap_i64 (which looks in the pool
 *                      first); 0: PyArg_Parse(item, "L", &v), the generic
 *                      converter, and Py_BuildValue("L", sum)
 *   PROCESS_POOL       1: the result looked up with pyz3_pool_int first, the
 *                      one object the function makes (the seed's other
 *                      "pooled" values, sum and buffer[i], are C integers);
 *                      nothing more with PROCESS_FAST, whose pyz3_wrap_i64
 *                      looks in the pool itself
 *
 * The work is the seed's: read each item, double it, store it in a buffer
 * from the allocator, sum. The seed's point about GIL caching is nested
 * allocations, and its process_data has one per call; here each doubled
 * value also passes through a scratch block of its own, allocated and
 * freed per item, as a temporary per element (decoding or formatting one)
 * is. So the baseline pays two Ensure/Release pairs per item.
 */

#if PROCESS_GIL_CACHE
#  define PROCESS_ALLOC(size) pyz3_alloc(size)
#  define PROCESS_FREE(p)     pyz3_free(p)
#else
#  define PROCESS_ALLOC(size) process_alloc_ensured(size)
#  define PROCESS_FREE(p)     process_free_ensured(p)
#endif

#if PROCESS_FAST
#  define PROCESS_UNWRAP(o, out) pyz3_unwrap_i64(o, out)
#  define PROCESS_WRAP(v)        pyz3_wrap_i64(v)
#else
#  define PROCESS_UNWRAP(o, out) process_parse_i64(o, out)
#  if PROCESS_POOL
#    define PROCESS_WRAP(v)      process_build_pooled(v)
#  else
#    define PROCESS_WRAP(v)      Py_BuildValue("L", (long long)(v))
#  endif
#endif

PyObject *
PROCESS_NAME(PyObject *values)
{
    PyObject *seq, *result = NULL, **items;
    int64_t *buffer = NULL, sum = 0;
    Py_ssize_t n, i;
#if PROCESS_GIL_CACHE
    pyz3_gil g = pyz3_gil_acquire();
#endif

    seq = PySequence_Fast(values, "process_data() takes a tuple or a list");
    if (seq == NULL)
        goto done;
    n = PySequence_Fast_GET_SIZE(seq);
    items = PySequence_Fast_ITEMS(seq);
    buffer = PROCESS_ALLOC((size_t)n * sizeof(*buffer));
    if (buffer == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n; i++) {
        int64_t v, *scratch;
        if (PROCESS_UNWRAP(items[i], &v) < 0)
            goto done;
        scratch = PROCESS_ALLOC(PROCESS_SCRATCH);
        if (scratch == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        if (__builtin_mul_overflow(v, 2, scratch)) {
            PROCESS_FREE(scratch);
            goto overflow;
        }
        buffer[i] = *scratch;
        PROCESS_FREE(scratch);
        if (__builtin_add_overflow(sum, buffer[i], &sum))
            goto overflow;
    }
    result = PROCESS_WRAP(sum);
    goto done;
overflow:
    PyErr_SetString(PyExc_OverflowError, "process_data(): the sum does not fit in 64 bits");
done:
    PROCESS_FREE(buffer);
    Py_XDECREF(seq);
#if PROCESS_GIL_CACHE
    pyz3_gil_release(g);
#endif
    return result;
}

#undef PROCESS_ALLOC
#undef PROCESS_FREE
#undef PROCESS_UNWRAP
#undef PROCESS_WRAP
#undef PROCESS_NAME
#undef PROCESS_GIL_CACHE
#undef PROCESS_FAST
#undef PROCESS_POOL
