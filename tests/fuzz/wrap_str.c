/* wrap_str.c -- fuzz target: pyz3_wrap_str() and pyz3_wrap_cstr() of any
 * bytes give what PyUnicode_DecodeUTF8() gives, the same str or the same
 * exception, and the str's UTF-8 (pyz3_unwrap_str, inline and out of line)
 * is the input again. */
#include <stdlib.h>
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

/* `ours` and `theirs` (each NULL with the exception in the error) agree;
 * the bytes decoded were data[0..size). Consumes both. */
static void
agree(PyObject *ours, fuzz_error eo, PyObject *theirs, fuzz_error et,
      const char *data, size_t size)
{
    if ((ours == NULL) != (theirs == NULL))
        fuzz_fail("pyz3 and PyUnicode_DecodeUTF8 disagree on success");
    if (ours == NULL) {
        if (!fuzz_same_error(eo, et))
            fuzz_fail("a different exception than PyUnicode_DecodeUTF8's");
    }
    else {
        const char *s = NULL;
        size_t len = 0;
        if (PyUnicode_Compare(ours, theirs) != 0 || !PyUnicode_CheckExact(ours))
            fuzz_fail("a different str than PyUnicode_DecodeUTF8's");
        if (pyz3_unwrap_str(ours, &s, &len) < 0 || len != size || memcmp(s, data, size) != 0)
            fuzz_fail("pyz3_unwrap_str does not give the bytes back");
        if (fuzz_ool_unwrap_str(ours, &s, &len) < 0 || len != size || memcmp(s, data, size) != 0)
            fuzz_fail("the out-of-line pyz3_unwrap_str does not give the bytes back");
        if (s[len] != '\0')
            fuzz_fail("the UTF-8 is not NUL-terminated");
    }
    Py_XDECREF(ours);
    Py_XDECREF(theirs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    PyObject *ours, *theirs;
    fuzz_error eo, et;
    char *copy;
    size_t clen;

    ours = pyz3_wrap_str(text, size);
    eo = fuzz_take_error();
    theirs = PyUnicode_DecodeUTF8(text, (Py_ssize_t)size, NULL);
    et = fuzz_take_error();
    agree(ours, eo, theirs, et, text, size);
    fuzz_error_clear(&eo);
    fuzz_error_clear(&et);

    /* wrap_cstr: up to the first NUL. */
    copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    clen = strlen(copy);
    ours = pyz3_wrap_cstr(copy);
    eo = fuzz_take_error();
    theirs = PyUnicode_DecodeUTF8(copy, (Py_ssize_t)clen, NULL);
    et = fuzz_take_error();
    agree(ours, eo, theirs, et, copy, clen);
    fuzz_error_clear(&eo);
    fuzz_error_clear(&et);
    free(copy);

    /* The pool's strs match by bytes, never by prefix. */
    ours = pyz3_pool_str(text, size);
    if (ours != NULL) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(ours, &n);
        if (s == NULL || (size_t)n != size || memcmp(s, text, size) != 0)
            fuzz_fail("pyz3_pool_str gave another str");
        Py_DECREF(ours);
    }
    if (PyErr_Occurred())
        fuzz_fail("an exception left set");
    return 0;
}
