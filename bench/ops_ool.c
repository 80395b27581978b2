/* ops_ool.c -- the libpyz3 operations through the library's out-of-line
 * copies, as a caller that defines Py_LIMITED_API gets them. */
#define PYZ3_NO_INLINE 1
#define BENCH_VARIANT ool
#include "ops_pyz3.h"
