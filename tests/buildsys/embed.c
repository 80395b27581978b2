/* embed.c -- the program of tests/buildsys/: it embeds CPython, built with
 * the flags of `pkg-config --cflags --libs pyz3-embed`, and opens libpyz3
 * GIL scopes on the main thread and on a thread CPython did not create.
 * Prints one line and exits 0 if every check held.
 */
#include <pyz3.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int thread_ok;

/* The outermost scope on this thread takes the GIL; the nested one counts. */
static void *
worker(void *unused)
{
    pyz3_gil outer = pyz3_gil_acquire();
    pyz3_gil inner = pyz3_gil_acquire();
    PyObject *o = pyz3_wrap_i64(INT64_C(1) << 40);
    int64_t v = 0;

    thread_ok = o != NULL && pyz3_unwrap_i64(o, &v) == 0
                && v == INT64_C(1) << 40 && pyz3_gil_depth() == 2;
    Py_XDECREF(o);
    pyz3_gil_release(inner);
    pyz3_gil_release(outer);
    return NULL;
}

int
main(void)
{
    const char *python;
    pthread_t thread;
    pyz3_unlock u;
    pyz3_gil g;
    PyObject *o;
    int64_t v = 0;
    int ok;

    Py_Initialize();
    g = pyz3_gil_acquire();
    ok = pyz3_check_python() == 0 && pyz3_gil_depth() == 1;
    o = pyz3_wrap_i64(-21);
    ok = ok && o != NULL && pyz3_unwrap_i64(o, &v) == 0 && v == -21;
    Py_XDECREF(o);
    ok = ok && PyRun_SimpleString("import sys; assert sys.version_info >= (3, 8)") == 0;

    /* Give the GIL up, as around blocking work, while the thread runs. */
    u = pyz3_gil_unlock();
    ok = ok && pthread_create(&thread, NULL, worker, NULL) == 0
         && pthread_join(thread, NULL) == 0 && thread_ok;
    pyz3_gil_relock(u);
    ok = ok && pyz3_gil_depth() == 1;

    python = Py_GetVersion();
    printf("libpyz3 %s in CPython %.*s: %s\n", pyz3_version(),
           (int)strcspn(python, " "), python, ok ? "ok" : "FAILED");
    pyz3_gil_release(g);
    if (Py_FinalizeEx() < 0)
        ok = 0;
    return ok ? 0 : 1;
}
