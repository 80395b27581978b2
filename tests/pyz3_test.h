/* pyz3_test.h -- what the Check suites share: an embedded interpreter per
 * test, and a main() that runs one suite. */
#ifndef PYZ3_TEST_H
#define PYZ3_TEST_H

#include <pyz3.h>
#include <check.h>

/* Checked fixture: Py_Initialize() before each test, Py_FinalizeEx() after.
 * The main thread holds the GIL during the test body. */
void pyz3_test_py_setup(void);
void pyz3_test_py_teardown(void);

/* A TCase with the fixture and a generous timeout. */
TCase *pyz3_test_case(const char *name);

/* Run `s` and return the process exit status. */
int pyz3_test_run(Suite *s);

/* The reference count of `o`, through sys.getrefcount semantics. */
Py_ssize_t pyz3_test_refcnt(PyObject *o);

/* Fail the test with the current Python exception's text. */
#define pyz3_test_no_error() \
    ck_assert_msg(!PyErr_Occurred(), "unexpected Python exception")

/* Assert that an exception of `type` is set, then clear it. */
#define pyz3_test_raised(type) do { \
    ck_assert_msg(PyErr_Occurred() != NULL, "no exception was raised"); \
    ck_assert_msg(PyErr_ExceptionMatches(type), "wrong exception type"); \
    PyErr_Clear(); \
} while (0)

#endif
