/* demo.c -- the smallest program that uses libpyz3: it embeds CPython,
 * opens GIL scopes, wraps and unwraps a few values and allocates.
 *
 *     cc -o demo demo.c $(pkg-config --cflags --libs pyz3 pyz3-embed)
 *     ./demo
 */
#include <pyz3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stop with the Python error; the caller holds the GIL. */
static void
fail_if(int failed, const char *what)
{
    if (!failed)
        return;
    if (PyErr_Occurred())
        PyErr_Print();
    fprintf(stderr, "demo: %s failed\n", what);
    exit(1);
}

int
main(void)
{
    PyThreadState *main_thread;
    PyObject *list, *word;
    pyz3_gil gil, nested;
    int64_t *squares, sum = 0;
    const char *version, *text;
    size_t len;
    int i;

    Py_Initialize();
    fail_if(pyz3_check_python() < 0, "pyz3_check_python");
    /* Give the GIL up, as a program does before it starts threads: from
     * here on, the scopes take it when they need it. */
    main_thread = PyEval_SaveThread();

    /* The allocator works with or without the GIL. */
    squares = pyz3_alloc(10 * sizeof *squares);
    if (squares == NULL) {
        fprintf(stderr, "demo: out of memory\n");
        return 1;
    }

    gil = pyz3_gil_acquire();
    list = pyz3_pool_new_list();
    fail_if(list == NULL, "pyz3_pool_new_list");
    for (i = 0; i < 10; i++) {
        PyObject *square = pyz3_wrap(i * i);
        fail_if(square == NULL || PyList_Append(list, square) < 0, "append");
        Py_DECREF(square);
    }

    /* A nested scope is a counter increment: no second PyGILState_Ensure. */
    nested = pyz3_gil_acquire();
    for (i = 0; i < 10; i++) {
        fail_if(pyz3_unwrap_i64(PyList_GetItem(list, i), &squares[i]) < 0, "unwrap");
        sum += squares[i];
    }
    pyz3_gil_release(nested);

    word = pyz3_wrap_str("r\xc3\xa9sultat", 9);
    fail_if(word == NULL || pyz3_unwrap_str(word, &text, &len) < 0, "str");
    version = Py_GetVersion();
    printf("libpyz3 %s, Python %.*s (library configured with %s)\n",
           pyz3_version(), (int)strcspn(version, " "), version,
           PYZ3_PYTHON_VERSION);
    printf("%.*s: the squares of 0..9 add up to %lld\n",
           (int)len, text, (long long)sum);
    Py_DECREF(word);
    Py_DECREF(list);
    pyz3_gil_release(gil);
    pyz3_free(squares);

    PyEval_RestoreThread(main_thread);
    return Py_FinalizeEx() < 0 || sum != 285;
}
