/* ool.c -- libpyz3's out-of-line copies, for the fuzz targets: with
 * PYZ3_NO_INLINE defined, these calls reach the library's exports. */
#define PYZ3_NO_INLINE
#include "fuzz.h"

int
fuzz_ool_unwrap_i64(PyObject *o, int64_t *out)
{
    return pyz3_unwrap_i64(o, out);
}

int
fuzz_ool_unwrap_u64(PyObject *o, uint64_t *out)
{
    return pyz3_unwrap_u64(o, out);
}

int
fuzz_ool_unwrap_f64(PyObject *o, double *out)
{
    return pyz3_unwrap_f64(o, out);
}

int
fuzz_ool_unwrap_bool(PyObject *o, bool *out)
{
    return pyz3_unwrap_bool(o, out);
}

int
fuzz_ool_unwrap_str(PyObject *o, const char **utf8, size_t *len)
{
    return pyz3_unwrap_str(o, utf8, len);
}

int
fuzz_ool_parse_args(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                    PyObject *kwnames, void *out)
{
    return pyz3_parse_args(params, args, nargs, kwnames, out);
}

void
fuzz_ool_parse_args_release(const pyz3_params *params, void *out)
{
    pyz3_parse_args_release(params, out);
}
