/* gil_bench.c -- GIL scopes and allocations: an extension module written
 * with libpyz3.
 *
 *     cc -O2 -DNDEBUG -fPIC -shared gil_bench.c \
 *        -o gil_bench$(python3 -c 'import sysconfig;
 *            print(sysconfig.get_config_var("EXT_SUFFIX"))') \
 *        $(pkg-config --cflags --libs pyz3)
 *     python3 -c 'import gil_bench; print(gil_bench.deep_nesting())'
 *
 * Python holds the GIL when it calls a function of the module, and each
 * function counts that as an open scope (pyz3_gil_assume(), done for it by
 * PYZ3_FUNCTION): the scopes it opens inside are nested ones, a counter
 * increment each, and pyz3_alloc() never calls PyGILState_Ensure.
 */
#include <string.h>

#include <pyz3.h>

/* nested_allocations() -> 3: three buffers, each allocated in a GIL scope
 * nested in the previous one, as helpers calling helpers do. */
static PyObject *
nested_allocations(PyObject *self, PyObject *unused)
{
    static const size_t sizes[] = { 1024, 2048, 512 };
    pyz3_gil scopes[3];
    char *buffers[3];
    int64_t done = 0;
    int i;

    pyz3_gil_assume();
    for (i = 0; i < 3; i++) {
        scopes[i] = pyz3_gil_acquire();
        buffers[i] = pyz3_alloc(sizes[i]);
        if (buffers[i] != NULL) {
            memset(buffers[i], i, sizes[i]);
            done++;
        }
    }
    for (i = 2; i >= 0; i--) {
        pyz3_free(buffers[i]);
        pyz3_gil_release(scopes[i]);
    }
    pyz3_gil_unassume();
    if (done != 3)
        return PyErr_NoMemory();
    return pyz3_wrap_i64(done);
}

/* n + (n - 1) + ... + 1, each level in a scope of its own holding a buffer
 * of n values; -1 when an allocation fails. */
static int64_t
nested_sum(int64_t n)
{
    pyz3_gil scope;
    int64_t *values, below, sum = 0, i;

    if (n == 0)
        return 0;
    scope = pyz3_gil_acquire();
    values = pyz3_alloc((size_t)n * sizeof(*values));
    below = values != NULL ? nested_sum(n - 1) : -1;
    if (below >= 0) {
        for (i = 0; i < n; i++)
            values[i] = 1;
        for (i = 0; i < n; i++)
            sum += values[i];
        sum += below;
    }
    else
        sum = -1;
    pyz3_free(values);
    pyz3_gil_release(scope);
    return sum;
}

/* deep_nesting() -> 55: a recursion ten scopes deep, allocating at every
 * level. */
static PyObject *
deep_nesting(PyObject *self, PyObject *unused)
{
    int64_t sum;

    pyz3_gil_assume();
    sum = nested_sum(10);
    pyz3_gil_unassume();
    if (sum < 0)
        return PyErr_NoMemory();
    return pyz3_wrap_i64(sum);
}

/* benchmark_allocations(iterations) -> iterations: that many allocations,
 * each written to and freed. */
struct benchmark_allocations_args {
    uint64_t iterations;
};

static const pyz3_param benchmark_allocations_params[] = {
    PYZ3_PARAM(struct benchmark_allocations_args, iterations, PYZ3_ARG_U64),
};

PYZ3_FUNCTION(benchmark_allocations, benchmark_allocations_params,
              struct benchmark_allocations_args, a)
{
    uint64_t i;

    for (i = 0; i < a->iterations; i++) {
        uint64_t *block = pyz3_alloc(64);
        if (block == NULL)
            return PyErr_NoMemory();
        block[0] = i;
        pyz3_free(block);
    }
    return pyz3_wrap_u64(i);
}

/* container_allocations() -> list(range(100)), of the pooled small ints. */
static PyObject *
container_allocations(PyObject *self, PyObject *unused)
{
    PyObject *list;
    int64_t i;

    list = pyz3_pool_new_list();
    if (list == NULL)
        return NULL;
    for (i = 0; i < 100; i++) {
        PyObject *item = pyz3_wrap_i64(i);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(item);
    }
    return list;
}

static PyMethodDef gil_bench_methods[] = {
    {"nested_allocations", nested_allocations, METH_NOARGS,
     "nested_allocations($module, /)\n--\n\n"
     "Allocate three buffers in nested GIL scopes; return 3."},
    {"deep_nesting", deep_nesting, METH_NOARGS,
     "deep_nesting($module, /)\n--\n\n"
     "Recurse ten GIL scopes deep, allocating at each level; return 55."},
    PYZ3_METHOD(benchmark_allocations,
                "benchmark_allocations($module, /, iterations)\n--\n\n"
                "Allocate and free a block that many times; return iterations."),
    {"container_allocations", container_allocations, METH_NOARGS,
     "container_allocations($module, /)\n--\n\n"
     "Return list(range(100)), built of pooled ints."},
    {NULL, NULL, 0, NULL},
};

/* Every function is safe to run in parallel: a free-threaded CPython
 * keeps its GIL off when it imports this module. */
static PyModuleDef_Slot gil_bench_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef gil_bench_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "gil_bench",
    .m_doc = "libpyz3's GIL scopes and allocator, function by function.",
    .m_size = 0,
    .m_methods = gil_bench_methods,
    .m_slots = gil_bench_slots,
};

PyMODINIT_FUNC
PyInit_gil_bench(void)
{
    if (pyz3_check_python() < 0)
        return NULL;
    return PyModuleDef_Init(&gil_bench_module);
}
