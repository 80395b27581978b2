/* unwrap.c -- fuzz target: every unwrap, inline and out of line, on
 * objects made from the input, against CPython's reference function for
 * the job: the same value, or the same exception with the same message,
 * and *out untouched on failure. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    return 0;
}

/* The reference's result: ok with its value, or its error. */
static void
check(const char *what, int rc, int out_kept, fuzz_error ours, int ref_ok, fuzz_error ref,
      int same_value)
{
    if ((rc == 0) != ref_ok) {
        fprintf(stderr, "%s: rc %d, reference %s\n", what, rc, ref_ok ? "ok" : "failed");
        fuzz_fail("an unwrap and its reference disagree on success");
    }
    if (rc != 0 && rc != -1)
        fuzz_fail("an unwrap returned neither 0 nor -1");
    if (rc == 0 && (ours.type != NULL || !same_value)) {
        fprintf(stderr, "%s\n", what);
        fuzz_fail("an unwrap gave another value than its reference");
    }
    if (rc == -1) {
        if (!fuzz_same_error(ours, ref)) {
            fprintf(stderr, "%s\n", what);
            fuzz_fail("an unwrap raised another exception than its reference");
        }
        if (!out_kept)
            fuzz_fail("an unwrap changed *out on failure");
    }
}

#define SENTINEL 0x5a5a5a5a

static void
unwrap_all(PyObject *o)
{
    fuzz_error ref, ours;
    int rc, ref_ok;

    {
        long long v = PyLong_AsLongLong(o);
        int64_t a = SENTINEL;
        ref_ok = !(v == -1 && PyErr_Occurred());
        ref = fuzz_take_error();
        rc = pyz3_unwrap_i64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_i64", rc, a == SENTINEL, ours, ref_ok, ref, a == v);
        fuzz_error_clear(&ours);
        a = SENTINEL;
        rc = fuzz_ool_unwrap_i64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_i64 (out of line)", rc, a == SENTINEL, ours, ref_ok, ref, a == v);
        fuzz_error_clear(&ours);
        fuzz_error_clear(&ref);
    }
    {
        unsigned long long v = PyLong_AsUnsignedLongLong(o);
        uint64_t a = SENTINEL;
        ref_ok = !(v == (unsigned long long)-1 && PyErr_Occurred());
        ref = fuzz_take_error();
        rc = pyz3_unwrap_u64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_u64", rc, a == SENTINEL, ours, ref_ok, ref, a == v);
        fuzz_error_clear(&ours);
        a = SENTINEL;
        rc = fuzz_ool_unwrap_u64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_u64 (out of line)", rc, a == SENTINEL, ours, ref_ok, ref, a == v);
        fuzz_error_clear(&ours);
        fuzz_error_clear(&ref);
    }
    {
        double v = PyFloat_AsDouble(o), a = SENTINEL;
        ref_ok = !(v == -1.0 && PyErr_Occurred());
        ref = fuzz_take_error();
        rc = pyz3_unwrap_f64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_f64", rc, a == SENTINEL, ours, ref_ok, ref,
              memcmp(&a, &v, sizeof(v)) == 0 || (isnan(a) && isnan(v)));
        fuzz_error_clear(&ours);
        a = SENTINEL;
        rc = fuzz_ool_unwrap_f64(o, &a);
        ours = fuzz_take_error();
        check("unwrap_f64 (out of line)", rc, a == SENTINEL, ours, ref_ok, ref,
              memcmp(&a, &v, sizeof(v)) == 0 || (isnan(a) && isnan(v)));
        fuzz_error_clear(&ours);
        fuzz_error_clear(&ref);
    }
    {
        int v = PyObject_IsTrue(o);
        bool a = true;
        ref_ok = v >= 0;
        ref = fuzz_take_error();
        /* *out must stay true on failure: start from true. */
        rc = pyz3_unwrap_bool(o, &a);
        ours = fuzz_take_error();
        check("unwrap_bool", rc, a, ours, ref_ok, ref, a == (v > 0));
        fuzz_error_clear(&ours);
        a = true;
        rc = fuzz_ool_unwrap_bool(o, &a);
        ours = fuzz_take_error();
        check("unwrap_bool (out of line)", rc, a, ours, ref_ok, ref, a == (v > 0));
        fuzz_error_clear(&ours);
        fuzz_error_clear(&ref);
    }
    {
        Py_ssize_t n = -1;
        const char *v = PyUnicode_AsUTF8AndSize(o, &n);
        const char *a = "kept";
        size_t len = 77;
        ref_ok = v != NULL;
        ref = fuzz_take_error();
        rc = pyz3_unwrap_str(o, &a, &len);
        ours = fuzz_take_error();
        check("unwrap_str", rc, strcmp(a, "kept") == 0 && len == 77, ours, ref_ok, ref,
              v != NULL && len == (size_t)n && memcmp(a, v, len) == 0 && a[len] == '\0');
        fuzz_error_clear(&ours);
        a = "kept";
        len = 77;
        rc = fuzz_ool_unwrap_str(o, &a, &len);
        ours = fuzz_take_error();
        check("unwrap_str (out of line)", rc, strcmp(a, "kept") == 0 && len == 77, ours,
              ref_ok, ref, v != NULL && len == (size_t)n && memcmp(a, v, len) == 0);
        fuzz_error_clear(&ours);
        fuzz_error_clear(&ref);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int k;
    for (k = 0; k < 4 && size > 0; k++) {
        PyObject *o = fuzz_object(&data, &size);
        unwrap_all(o);
        /* The wraps take back what the unwraps gave. */
        {
            int64_t v;
            if (pyz3_unwrap_i64(o, &v) == 0) {
                PyObject *w = pyz3_wrap_i64(v);
                int64_t back = 0;
                if (w == NULL || pyz3_unwrap_i64(w, &back) < 0 || back != v)
                    fuzz_fail("wrap_i64 does not round-trip");
                Py_DECREF(w);
            }
            PyErr_Clear();
        }
        Py_DECREF(o);
        if (PyErr_Occurred())
            fuzz_fail("an exception left set");
    }
    return 0;
}
