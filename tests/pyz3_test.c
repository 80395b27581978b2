/* pyz3_test.c -- the shared fixture and runner of the Check suites. */
#include <stdlib.h>

#include "pyz3_test.h"

void
pyz3_test_py_setup(void)
{
    Py_InitializeEx(0);
    ck_assert(Py_IsInitialized());
}

void
pyz3_test_py_teardown(void)
{
    ck_assert_int_eq(Py_FinalizeEx(), 0);
}

TCase *
pyz3_test_case(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, pyz3_test_py_setup, pyz3_test_py_teardown);
    tcase_set_timeout(tc, 120);
    return tc;
}

int
pyz3_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

Py_ssize_t
pyz3_test_refcnt(PyObject *o)
{
    return Py_REFCNT(o);
}
