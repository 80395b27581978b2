# pyz3.m4 -- configure probes of libpyz3: thread-local storage and CPython.

# PYZ3_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
# ------------------------------------------------------
# Whether $CC accepts FLAG without a warning.
AC_DEFUN([PYZ3_CHECK_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  pyz3_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS -Werror $1"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); $2], [AC_MSG_RESULT([no]); $3])
  CFLAGS=$pyz3_save_CFLAGS
])

# PYZ3_CHECK_TLS
# --------------
# The thread-local keyword: _Thread_local first, then __thread. The test is
# compiled as position-independent code and linked into a shared object,
# because that is where libpyz3 uses it. Sets pyz3_cv_tls and substitutes
# PYZ3_THREAD_LOCAL.
AC_DEFUN([PYZ3_CHECK_TLS], [
  AC_CACHE_CHECK([for a thread-local storage keyword usable in a shared object],
    [pyz3_cv_tls], [
    pyz3_cv_tls=no
    pyz3_save_CFLAGS=$CFLAGS
    pyz3_save_LDFLAGS=$LDFLAGS
    CFLAGS="$CFLAGS -fPIC"
    LDFLAGS="$LDFLAGS -shared -fPIC"
    for pyz3_kw in _Thread_local __thread; do
      AC_LINK_IFELSE([AC_LANG_SOURCE([[
$pyz3_kw unsigned pyz3_conftest_depth;
unsigned *pyz3_conftest_addr(void);
unsigned *pyz3_conftest_addr(void) { pyz3_conftest_depth++; return &pyz3_conftest_depth; }
]])], [pyz3_cv_tls=$pyz3_kw; break])
    done
    CFLAGS=$pyz3_save_CFLAGS
    LDFLAGS=$pyz3_save_LDFLAGS
  ])
  AS_IF([test "x$pyz3_cv_tls" = xno],
    [AC_MSG_ERROR([no thread-local storage: $CC accepts neither _Thread_local nor __thread in a shared object])])
  PYZ3_THREAD_LOCAL=$pyz3_cv_tls
  AC_SUBST([PYZ3_THREAD_LOCAL])
])

# PYZ3_CHECK_TLS_MODEL
# --------------------
# The GIL depth is read inline by extension modules. With the initial-exec
# model that read is one instruction; libpyz3 then pins its thread-locals to
# static TLS so that a dlopen()ed extension can rely on it. Platforms that
# refuse initial-exec TLS in dlopen()ed objects (musl) configure with
# --disable-initial-exec-tls and get the general-dynamic model.
AC_DEFUN([PYZ3_CHECK_TLS_MODEL], [
  AC_ARG_ENABLE([initial-exec-tls],
    [AS_HELP_STRING([--disable-initial-exec-tls],
      [use the general-dynamic TLS model (slower nested GIL scopes); for C
       libraries that refuse initial-exec TLS in dlopen()ed objects])],
    [], [enable_initial_exec_tls=yes])
  PYZ3_TLS_MODEL=
  pyz3_tls_model_name=general-dynamic
  AS_IF([test "x$enable_initial_exec_tls" = xyes], [
    AC_CACHE_CHECK([whether $CC supports the initial-exec TLS model attribute],
      [pyz3_cv_tls_ie], [
      pyz3_save_CFLAGS=$CFLAGS
      CFLAGS="$CFLAGS -fPIC -Werror"
      AC_COMPILE_IFELSE([AC_LANG_SOURCE([[
extern $pyz3_cv_tls unsigned pyz3_conftest_ie __attribute__((tls_model("initial-exec")));
$pyz3_cv_tls unsigned pyz3_conftest_ie;
unsigned pyz3_conftest_get(void);
unsigned pyz3_conftest_get(void) { return pyz3_conftest_ie; }
]])], [pyz3_cv_tls_ie=yes], [pyz3_cv_tls_ie=no])
      CFLAGS=$pyz3_save_CFLAGS
    ])
    AS_IF([test "x$pyz3_cv_tls_ie" = xyes], [
      PYZ3_TLS_MODEL='__attribute__((tls_model("initial-exec")))'
      pyz3_tls_model_name=initial-exec
    ])
  ])
  AC_SUBST([PYZ3_TLS_MODEL])
])

# PYZ3_CHECK_PYTHON
# -----------------
# The CPython to build against: --with-python=PATH, else $PYTHON, else
# python3 on PATH. Finds its version, headers and the flags a program that
# embeds it links with (for the tests), and refuses anything older than 3.8.
# Sets PYTHON_FREE_THREADED to yes for a build without the GIL.
AC_DEFUN([PYZ3_CHECK_PYTHON], [
  AC_ARG_VAR([PYTHON], [the CPython interpreter to build and test against])
  AC_ARG_WITH([python],
    [AS_HELP_STRING([--with-python=PATH],
      [the CPython interpreter to build and test against (default: $PYTHON, else python3 on PATH)])],
    [AS_CASE([$withval], [yes|no|""],
       [AC_MSG_ERROR([--with-python needs the path of an interpreter])],
       [PYTHON=$withval])])
  AS_IF([test -z "$PYTHON"], [AC_PATH_PROG([PYTHON], [python3])])
  AS_IF([test -z "$PYTHON"],
    [AC_MSG_ERROR([no python3 found: install python3-dev or pass --with-python=PATH])])

  AC_MSG_CHECKING([which interpreter $PYTHON runs])
  pyz3_py_exe=`$PYTHON -c 'import sys; print(sys.executable)' 2>/dev/null`
  AS_IF([test -z "$pyz3_py_exe"],
    [AC_MSG_RESULT([none]); AC_MSG_ERROR([$PYTHON does not run])])
  PYTHON=$pyz3_py_exe
  AC_MSG_RESULT([$PYTHON])

  AC_MSG_CHECKING([the version of $PYTHON])
  PYTHON_VERSION=`$PYTHON -c 'import sys; print("%d.%d" % sys.version_info[[:2]])'`
  PYTHON_VERSION_FULL=`$PYTHON -c 'import platform; print(platform.python_version())'`
  PYTHON_HEXVERSION=`$PYTHON -c 'import sys; print("0x%08X" % sys.hexversion)'`
  AC_MSG_RESULT([$PYTHON_VERSION_FULL])
  AS_IF([$PYTHON -c 'import sys; sys.exit(sys.version_info < (3, 8))'], [],
    [AC_MSG_ERROR([$PYTHON is Python $PYTHON_VERSION_FULL; libpyz3 needs CPython 3.8 or newer])])
  AS_IF([$PYTHON -c 'import sys; sys.exit(sys.implementation.name != "cpython")'], [],
    [AC_MSG_ERROR([$PYTHON is not CPython])])
  AC_MSG_CHECKING([whether $PYTHON is a free-threaded build])
  AS_IF([$PYTHON -c 'import sysconfig, sys; sys.exit(not sysconfig.get_config_var("Py_GIL_DISABLED"))'],
    [PYTHON_FREE_THREADED=yes], [PYTHON_FREE_THREADED=no])
  AC_MSG_RESULT([$PYTHON_FREE_THREADED])

  pyz3_sysconfig() {
    $PYTHON -c "import sysconfig; v = sysconfig.get_config_var('$[]1'); print(v if v is not None else '')"
  }
  AC_MSG_CHECKING([for the headers of Python $PYTHON_VERSION])
  pyz3_inc=`$PYTHON -c 'import sysconfig; print(sysconfig.get_paths()[["include"]])'`
  pyz3_platinc=`$PYTHON -c 'import sysconfig; print(sysconfig.get_paths()[["platinclude"]])'`
  PYTHON_INCLUDES="-I$pyz3_inc"
  AS_IF([test "x$pyz3_platinc" != "x$pyz3_inc"],
    [PYTHON_INCLUDES="$PYTHON_INCLUDES -I$pyz3_platinc"])
  AS_IF([test -f "$pyz3_inc/Python.h"], [AC_MSG_RESULT([$pyz3_inc])],
    [AC_MSG_RESULT([no]); AC_MSG_ERROR([$pyz3_inc/Python.h is missing: install the development files of $PYTHON (python3-dev)])])
  pyz3_save_CPPFLAGS=$CPPFLAGS
  CPPFLAGS="$CPPFLAGS $PYTHON_INCLUDES"
  AC_CHECK_HEADER([Python.h], [],
    [AC_MSG_ERROR([Python.h from $pyz3_inc does not compile])])
  CPPFLAGS=$pyz3_save_CPPFLAGS

  AC_MSG_CHECKING([how to link a program that embeds Python $PYTHON_VERSION])
  pyz3_libdir=`pyz3_sysconfig LIBDIR`
  pyz3_ldversion=`pyz3_sysconfig LDVERSION`
  pyz3_libs=`pyz3_sysconfig LIBS`
  pyz3_syslibs=`pyz3_sysconfig SYSLIBS`
  pyz3_multiarch=`pyz3_sysconfig MULTIARCH`
  # The dynamic linker finds a libpython in a system directory by itself;
  # a run path there is what distributions' packaging checks forbid.
  pyz3_rpath="-Wl,-rpath,$pyz3_libdir "
  AS_CASE([$pyz3_libdir],
    [/usr/lib|/usr/lib64|/lib|/lib64|/usr/lib/$pyz3_multiarch|/lib/$pyz3_multiarch],
      [pyz3_rpath=])
  PYTHON_EMBED_LIBS="-L$pyz3_libdir ${pyz3_rpath}-lpython$pyz3_ldversion $pyz3_libs $pyz3_syslibs"
  AC_MSG_RESULT([$PYTHON_EMBED_LIBS])
  pyz3_save_CPPFLAGS=$CPPFLAGS
  pyz3_save_LIBS=$LIBS
  CPPFLAGS="$CPPFLAGS $PYTHON_INCLUDES"
  LIBS="$PYTHON_EMBED_LIBS $LIBS"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <Python.h>]],
      [[Py_Initialize(); return Py_FinalizeEx();]])], [],
    [AC_MSG_ERROR([cannot link a program against libpython$pyz3_ldversion in $pyz3_libdir])])
  CPPFLAGS=$pyz3_save_CPPFLAGS
  LIBS=$pyz3_save_LIBS

  PYTHON_EXT_SUFFIX=`pyz3_sysconfig EXT_SUFFIX`
  PYTHON_LIBPC=`pyz3_sysconfig LIBPC`
  AC_SUBST([PYTHON])
  AC_SUBST([PYTHON_VERSION])
  AC_SUBST([PYTHON_VERSION_FULL])
  AC_SUBST([PYTHON_HEXVERSION])
  AC_SUBST([PYTHON_INCLUDES])
  AC_SUBST([PYTHON_EMBED_LIBS])
  AC_SUBST([PYTHON_EXT_SUFFIX])
  AC_SUBST([PYTHON_LIBPC])
  AC_SUBST([PYTHON_FREE_THREADED])
])
