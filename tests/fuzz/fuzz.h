/* fuzz.h -- what the libFuzzer targets of libpyz3 share.
 *
 * Each target embeds the interpreter (started once, in
 * LLVMFuzzerInitialize), calls libpyz3's inline paths itself and its
 * out-of-line copies through ool.c (which defines PYZ3_NO_INLINE), and
 * compares both with CPython's own function for the job. A disagreement
 * aborts, which libFuzzer reports as a crash with the input that caused it.
 */
#ifndef PYZ3_FUZZ_H
#define PYZ3_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <pyz3.h>

/* The out-of-line copies (ool.c). */
int fuzz_ool_unwrap_i64(PyObject *o, int64_t *out);
int fuzz_ool_unwrap_u64(PyObject *o, uint64_t *out);
int fuzz_ool_unwrap_f64(PyObject *o, double *out);
int fuzz_ool_unwrap_bool(PyObject *o, bool *out);
int fuzz_ool_unwrap_str(PyObject *o, const char **utf8, size_t *len);
int fuzz_ool_parse_args(const pyz3_params *params, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames, void *out);
void fuzz_ool_parse_args_release(const pyz3_params *params, void *out);

/* Start the interpreter, with the classes the object maker uses. */
void fuzz_init(void);

/* A new object of a kind and value taken from the input at *data (*size
 * bytes left, both advanced past what was used): ints of any size, floats
 * of any bits, bools, strs of every kind with lone surrogates, bytes,
 * subclasses of int, float and str, objects with __index__, __float__ and
 * __bool__ that return or raise, None, a list. Never NULL. */
PyObject *fuzz_object(const uint8_t **data, size_t *size);

/* Abort with `what` and the current exception, if any. */
void fuzz_fail(const char *what);

/* The current exception as (type, str(value)), cleared; both NULL if none.
 * Compare two with fuzz_same_error(). */
typedef struct {
    PyObject *type;
    PyObject *text;
} fuzz_error;
fuzz_error fuzz_take_error(void);
int fuzz_same_error(fuzz_error a, fuzz_error b);
void fuzz_error_clear(fuzz_error *e);

#endif
