/* pyz3_test.h -- what the Check suites share: an embedded interpreter per
 * test, and a main() that runs one suite. */
#ifndef PYZ3_TEST_H
#define PYZ3_TEST_H

#include <pyz3.h>
#include <check.h>
#include <signal.h>

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

/* Non-zero if `o` is immortal (3.12+): its reference count never moves. */
int pyz3_test_immortal(PyObject *o);

/* Run the Python statements `code` in a fresh namespace that has the
 * builtins: a new reference to the namespace dict, or NULL with an
 * exception. */
PyObject *pyz3_test_exec(const char *code);

/* Fail the test with the current Python exception's text. */
#define pyz3_test_no_error() \
    ck_assert_msg(!PyErr_Occurred(), "unexpected Python exception")

/* Assert that an exception of `type` is set, then clear it. */
#define pyz3_test_raised(type) do { \
    ck_assert_msg(PyErr_Occurred() != NULL, "no exception was raised"); \
    ck_assert_msg(PyErr_ExceptionMatches(type), "wrong exception type"); \
    PyErr_Clear(); \
} while (0)

/* Whether each test runs in a process of its own (Check's default;
 * CK_FORK=no turns it off, e.g. under valgrind). */
int pyz3_test_forking(void);

/* Add `tf`, a test that must end in SIGABRT (a misuse that libpyz3 stops
 * with Py_FatalError), when tests fork: without a process of its own, the
 * abort would end the whole run. */
#define pyz3_test_add_abort(tc, tf) do { \
    if (pyz3_test_forking()) \
        tcase_add_test_raise_signal((tc), tf, SIGABRT); \
} while (0)

/* Call first in such a test: from now on stderr is captured, and the
 * abort counts only if the fatal error message contains `needle`, so that
 * the test proves which misuse was caught. Otherwise the process exits 3. */
void pyz3_test_expect_abort(const char *needle);

/* For code on threads the test starts, where a failed ck_assert would end
 * the process from the wrong thread: record the first failed condition and
 * carry on; pyz3_test_assert_expected() reports it. */
#define pyz3_test_expect(cond) \
    ((cond) ? (void)0 : pyz3_test_fail_at(__FILE__, __LINE__, #cond))
void pyz3_test_fail_at(const char *file, int line, const char *what);

/* Fail the test if a pyz3_test_expect() failed. Call it on the test's own
 * thread, holding the GIL. */
void pyz3_test_assert_expected(void);

/* Run fn(arg, i) for each i < n, each on a new thread that has no Python
 * thread state, all released at once; return when all have finished. The
 * caller decides whether to release the GIL meanwhile (it must, for the
 * threads to take it). */
void pyz3_test_threads(unsigned int n, void (*fn)(void *arg, unsigned int i),
                       void *arg);

#endif
