/* check_version.c -- unit tests of <pyz3/version.h>. */
#include <stdio.h>
#include <string.h>

#include "pyz3_test.h"

/* The running interpreter's major.minor as "M.m". */
static void
running_version(char *buf, size_t size)
{
    unsigned int major = 0, minor = 0;
    ck_assert_int_eq(sscanf(Py_GetVersion(), "%u.%u", &major, &minor), 2);
    snprintf(buf, size, "%u.%u", major, minor);
}

/* Check that an ImportError is set whose text contains `a` and `b`, then
 * clear it. */
static void
assert_import_error(const char *a, const char *b)
{
    PyObject *type, *value, *traceback, *text;
    const char *s;
    ck_assert_msg(PyErr_Occurred() != NULL, "no exception was raised");
    ck_assert_msg(PyErr_ExceptionMatches(PyExc_ImportError), "not an ImportError");
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    text = PyObject_Str(value);
    ck_assert_ptr_nonnull(text);
    s = PyUnicode_AsUTF8(text);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(strstr(s, a) != NULL, "\"%s\" does not name %s", s, a);
    ck_assert_msg(strstr(s, b) != NULL, "\"%s\" does not name %s", s, b);
    Py_DECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
}

START_TEST(test_version_string)
{
    char expected[64];
    ck_assert_str_eq(pyz3_version(), PYZ3_VERSION);
    snprintf(expected, sizeof(expected), "%d.%d.%d",
             PYZ3_VERSION_MAJOR, PYZ3_VERSION_MINOR, PYZ3_VERSION_PATCH);
    ck_assert_str_eq(PYZ3_VERSION, expected);
    ck_assert_int_eq(PYZ3_VERSION_HEX,
                     PYZ3_VERSION_MAJOR << 16 | PYZ3_VERSION_MINOR << 8 | PYZ3_VERSION_PATCH);
    ck_assert_int_ge(PYZ3_VERSION_MAJOR, 0);
    ck_assert_int_ge(PYZ3_VERSION_MINOR, 0);
    ck_assert_int_ge(PYZ3_VERSION_PATCH, 0);
}
END_TEST

/* The tests are built against the CPython the library was configured
 * with: the macros must describe it. */
START_TEST(test_python_macros)
{
    char expected[32];
    snprintf(expected, sizeof(expected), "%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION);
    ck_assert_str_eq(PYZ3_PYTHON_VERSION, expected);
    ck_assert_uint_eq((unsigned long)PYZ3_PYTHON_HEXVERSION & 0xFFFF0000UL,
                      (unsigned long)PY_VERSION_HEX & 0xFFFF0000UL);
#ifdef Py_GIL_DISABLED
    /* libpyz3t serves its CPython's major.minor only. */
    ck_assert_int_eq(PYZ3_FREE_THREADED, 1);
    ck_assert_uint_eq((unsigned long)PYZ3_PYTHON_MIN_HEXVERSION,
                      (unsigned long)PY_VERSION_HEX & 0xFFFF0000UL);
#else
    ck_assert_int_eq(PYZ3_FREE_THREADED, 0);
    ck_assert_uint_eq((unsigned long)PYZ3_PYTHON_MIN_HEXVERSION, 0x03080000UL);
#endif
    ck_assert_uint_ge((unsigned long)PYZ3_PYTHON_HEXVERSION,
                      (unsigned long)PYZ3_PYTHON_MIN_HEXVERSION);
}
END_TEST

static PYZ3_THREAD_LOCAL int thread_local_probe = 42;

START_TEST(test_config_macros)
{
    ck_assert_int_eq(thread_local_probe, 42);
    ck_assert(PYZ3_DEBUG == 0 || PYZ3_DEBUG == 1);
#if defined(PYZ3_NO_INLINE) || defined(Py_LIMITED_API)
    ck_assert_int_eq(PYZ3_INLINE_PATHS, 0);
#else
    ck_assert_int_eq(PYZ3_INLINE_PATHS, 1);
#endif
    ck_assert(PYZ3_LIKELY(thread_local_probe == 42));
    ck_assert(!PYZ3_UNLIKELY(thread_local_probe != 42));
}
END_TEST

START_TEST(test_check_python)
{
    ck_assert_int_eq(pyz3_check_python(), 0);
    pyz3_test_no_error();
    /* The exported function, not the macro: the library's minimum. */
    ck_assert_int_eq((pyz3_check_python)(), 0);
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_check_same_minor)
{
    unsigned long hex = (unsigned long)PY_VERSION_HEX;
    ck_assert_int_eq(pyz3_check_python_abi(hex, 0), 0);
    /* Only major.minor count: other micro versions and releases pass. */
    ck_assert_int_eq(pyz3_check_python_abi((hex & 0xFFFF0000UL) | 0xFFFFUL, 0), 0);
    ck_assert_int_eq(pyz3_check_python_abi(hex & 0xFFFF0000UL, 0), 0);
    ck_assert_int_eq(pyz3_check_python_abi(hex, 1), 0);
    pyz3_test_no_error();
}
END_TEST

START_TEST(test_check_other_minor)
{
    char running[32], newer[32], older[32];
    running_version(running, sizeof(running));
    snprintf(newer, sizeof(newer), "%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION + 1);
    snprintf(older, sizeof(older), "%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION - 1);

    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX + 0x00010000UL, 0), -1);
    assert_import_error(newer, running);
    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX - 0x00010000UL, 0), -1);
    assert_import_error(older, running);
    ck_assert_int_eq(pyz3_check_python_abi(0x04000000UL, 0), -1);
    assert_import_error("4.0", running);
    ck_assert_int_eq(pyz3_check_python_abi(0x02070000UL, 0), -1);
    assert_import_error("2.7", running);
}
END_TEST

START_TEST(test_check_stable_abi)
{
    char running[32], newer[32];
    running_version(running, sizeof(running));
    snprintf(newer, sizeof(newer), "%d.%d", PY_MAJOR_VERSION, PY_MINOR_VERSION + 1);

    ck_assert_int_eq(pyz3_check_python_abi(0x03080000UL, 1), 0);
    ck_assert_int_eq(pyz3_check_python_abi(0x030800F0UL, 1), 0);
    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX - 0x00010000UL, 1), 0);
    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX, 1), 0);
    /* Older than the library supports: checked as the minimum. */
    ck_assert_int_eq(pyz3_check_python_abi(0x03050000UL, 1), 0);
    pyz3_test_no_error();

    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX + 0x00010000UL, 1), -1);
    assert_import_error(newer, running);
    ck_assert_int_eq(pyz3_check_python_abi(0x04000000UL, 1), -1);
    assert_import_error("4.0", running);
}
END_TEST

/* Py_LIMITED_API=3 (a major version, not a hex one) means 3.2. */
START_TEST(test_check_limited_api_3)
{
    ck_assert_int_eq(pyz3_check_python_abi(3UL, 1), 0);
    ck_assert_int_eq(pyz3_check_python_abi(0UL, 1), 0);
    ck_assert_int_eq(pyz3_check_python_abi(0x02FFFFFFUL, 1), 0);
    pyz3_test_no_error();
}
END_TEST

/* The other kind of CPython (free-threaded or with the GIL), as
 * sys.abiflags tells it, is refused whatever the version. */
START_TEST(test_check_other_kind)
{
    PyObject *flags = PySys_GetObject("abiflags");
    PyObject *other = PyUnicode_FromString(PYZ3_FREE_THREADED ? "" : "t");
    ck_assert_ptr_nonnull(other);
    Py_XINCREF(flags);
    ck_assert_int_eq(PySys_SetObject("abiflags", other), 0);
    Py_DECREF(other);
    ck_assert_int_eq(pyz3_check_python(), -1);
    assert_import_error(PYZ3_FREE_THREADED ? "compiled for a free-threaded CPython"
                                           : "compiled for a CPython with the GIL",
                        PYZ3_FREE_THREADED ? "with the GIL" : "free-threaded");
    ck_assert_int_eq(pyz3_check_python_abi((unsigned long)PY_VERSION_HEX, 1), -1);
    assert_import_error("compiled for", "running on");
    ck_assert_int_eq(PySys_SetObject("abiflags", flags), 0);
    Py_XDECREF(flags);
    ck_assert_int_eq(pyz3_check_python(), 0);
    pyz3_test_no_error();
}
END_TEST

static Suite *
version_suite(void)
{
    Suite *s = suite_create("version");
    TCase *tc = pyz3_test_case("version");
    tcase_add_test(tc, test_version_string);
    tcase_add_test(tc, test_python_macros);
    tcase_add_test(tc, test_config_macros);
    tcase_add_test(tc, test_check_python);
    tcase_add_test(tc, test_check_same_minor);
    tcase_add_test(tc, test_check_other_minor);
    tcase_add_test(tc, test_check_stable_abi);
    tcase_add_test(tc, test_check_limited_api_3);
    tcase_add_test(tc, test_check_other_kind);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return pyz3_test_run(version_suite());
}
