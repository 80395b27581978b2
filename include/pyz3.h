/* <pyz3.h> -- libpyz3: fast paths for CPython extension modules.
 *
 * The only header a user includes. It includes <Python.h> first, as the
 * CPython documentation asks, then each unit's header. See pyz3(3).
 */
#ifndef PYZ3_H
#define PYZ3_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pyz3/version.h>
#include <pyz3/gil.h>
#include <pyz3/alloc.h>
#include <pyz3/fastpath.h>
#include <pyz3/pool.h>
#include <pyz3/args.h>

#endif /* PYZ3_H */
