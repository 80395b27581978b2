/* version.c -- the library's version, and whether the running CPython is
 * one a caller's inline paths were compiled for. */
#include <stdio.h>

#include "internal.h"

const char *
pyz3_version(void)
{
    return PYZ3_VERSION;
}

/* The running interpreter's major.minor as 0xMMmm0000, from the version
 * string (Py_Version is not in the stable ABI of 3.8). */
static unsigned long
pyz3__running_hex(void)
{
    unsigned major = 0, minor = 0;
    if (sscanf(Py_GetVersion(), "%u.%u", &major, &minor) != 2)
        return 0;
    return (unsigned long)major << 24 | (unsigned long)minor << 16;
}

int
pyz3__python_minor(void)
{
    /* Read once; racing threads store the same value. */
    static int minor = -1;
    if (minor < 0)
        minor = (int)((pyz3__running_hex() >> 16) & 0xFF);
    return minor;
}

int
pyz3_check_python_abi(unsigned long compiled_hex, int stable_abi)
{
    unsigned long running = pyz3__running_hex();
    unsigned long compiled = compiled_hex & 0xFFFF0000UL;
    int ok;
    if (stable_abi && compiled < 0x03000000UL)
        compiled = 0x03020000UL;        /* Py_LIMITED_API=3 means 3.2 */
    /* The library itself needs 3.8; code built for another exact minor
     * version must still match it. */
    if (stable_abi && compiled < PYZ3_PYTHON_MIN_HEXVERSION)
        compiled = PYZ3_PYTHON_MIN_HEXVERSION;
    ok = stable_abi ? running >= compiled : running == compiled;
    if (ok)
        return 0;
    PyErr_Format(PyExc_ImportError,
                 "compiled for Python %lu.%lu%s but running on Python %lu.%lu",
                 compiled >> 24, (compiled >> 16) & 0xFF,
                 stable_abi ? " or newer" : "",
                 running >> 24, (running >> 16) & 0xFF);
    return -1;
}

int
(pyz3_check_python)(void)
{
    return pyz3_check_python_abi(PYZ3_PYTHON_MIN_HEXVERSION, 1);
}
