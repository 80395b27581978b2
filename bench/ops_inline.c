/* ops_inline.c -- the libpyz3 operations through the inline paths of the
 * headers, as an extension built for its own CPython gets them. */
#define BENCH_VARIANT inline
#include "ops_pyz3.h"
