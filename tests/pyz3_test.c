/* pyz3_test.c -- the shared fixture and runner of the Check suites. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int
pyz3_test_immortal(PyObject *o)
{
#if PY_VERSION_HEX >= 0x030C0000
    return _Py_IsImmortal(o);
#else
    (void)o;
    return 0;
#endif
}

PyObject *
pyz3_test_exec(const char *code)
{
    PyObject *ns, *builtins, *res;
    if ((ns = PyDict_New()) == NULL)
        return NULL;
    /* Before 3.10, code run in a dict without __builtins__ gets none. */
    builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL
        || PyDict_SetItemString(ns, "__builtins__", builtins) < 0) {
        Py_XDECREF(builtins);
        Py_DECREF(ns);
        return NULL;
    }
    Py_DECREF(builtins);
    res = PyRun_String(code, Py_file_input, ns, ns);
    if (res == NULL) {
        Py_DECREF(ns);
        return NULL;
    }
    Py_DECREF(res);
    return ns;
}

int
pyz3_test_forking(void)
{
    const char *mode = getenv("CK_FORK");
    return mode == NULL || strcmp(mode, "no") != 0;
}

/* pyz3_test_expect_abort(): where the fatal error text goes, and the real
 * stderr to copy it to, so that the test log still shows it. */
static int pyz3_test_abort_log = -1;
static int pyz3_test_abort_stderr = -1;
static const char *pyz3_test_abort_needle;

static void
pyz3_test_on_abort(int sig)
{
    static const char wrong[] = "\nthe abort above is not the expected misuse\n";
    char text[16384];
    ssize_t n;
    if (lseek(pyz3_test_abort_log, 0, SEEK_SET) != 0)
        _exit(3);
    n = read(pyz3_test_abort_log, text, sizeof(text) - 1);
    if (n < 0)
        n = 0;
    text[n] = '\0';
    if (write(pyz3_test_abort_stderr, text, (size_t)n) < 0)
        _exit(3);
    if (strstr(text, pyz3_test_abort_needle) == NULL) {
        if (write(pyz3_test_abort_stderr, wrong, sizeof(wrong) - 1) < 0)
            _exit(3);
        _exit(3);
    }
    /* abort() raises SIGABRT again, with the default action, on return. */
    signal(sig, SIG_DFL);
}

void
pyz3_test_expect_abort(const char *needle)
{
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    fflush(stderr);
    pyz3_test_abort_needle = needle;
    pyz3_test_abort_log = fileno(log);
    pyz3_test_abort_stderr = dup(STDERR_FILENO);
    ck_assert_int_ge(pyz3_test_abort_stderr, 0);
    ck_assert_int_ge(dup2(pyz3_test_abort_log, STDERR_FILENO), 0);
    ck_assert(signal(SIGABRT, pyz3_test_on_abort) != SIG_ERR);
}

static pthread_mutex_t pyz3_test_fail_lock = PTHREAD_MUTEX_INITIALIZER;
static char pyz3_test_failure[512];

void
pyz3_test_fail_at(const char *file, int line, const char *what)
{
    pthread_mutex_lock(&pyz3_test_fail_lock);
    if (pyz3_test_failure[0] == '\0')
        snprintf(pyz3_test_failure, sizeof(pyz3_test_failure),
                 "%s:%d: expected %s", file, line, what);
    pthread_mutex_unlock(&pyz3_test_fail_lock);
}

void
pyz3_test_assert_expected(void)
{
    char failure[sizeof(pyz3_test_failure)];
    pthread_mutex_lock(&pyz3_test_fail_lock);
    memcpy(failure, pyz3_test_failure, sizeof(failure));
    pyz3_test_failure[0] = '\0';
    pthread_mutex_unlock(&pyz3_test_fail_lock);
    ck_assert_msg(failure[0] == '\0', "%s", failure);
}

struct pyz3_test_thread {
    pthread_t id;
    pthread_barrier_t *start;
    void (*fn)(void *arg, unsigned int i);
    void *arg;
    unsigned int i;
};

static void *
pyz3_test_thread_main(void *p)
{
    struct pyz3_test_thread *t = p;
    pthread_barrier_wait(t->start);
    t->fn(t->arg, t->i);
    return NULL;
}

void
pyz3_test_threads(unsigned int n, void (*fn)(void *arg, unsigned int i),
                  void *arg)
{
    struct pyz3_test_thread *threads = calloc(n, sizeof(*threads));
    pthread_barrier_t start;
    unsigned int i, started = 0;
    if (threads == NULL || n == 0) {
        pyz3_test_fail_at(__FILE__, __LINE__, "threads to start");
        free(threads);
        return;
    }
    pthread_barrier_init(&start, NULL, n);
    for (i = 0; i < n; i++) {
        threads[i].start = &start;
        threads[i].fn = fn;
        threads[i].arg = arg;
        threads[i].i = i;
        if (pthread_create(&threads[i].id, NULL, pyz3_test_thread_main, &threads[i]) != 0)
            break;
        started++;
    }
    if (started != n) {
        /* The barrier waits for n threads: a fatal setup failure. */
        fprintf(stderr, "pyz3_test_threads: could not start %u threads\n", n);
        abort();
    }
    for (i = 0; i < n; i++)
        pthread_join(threads[i].id, NULL);
    pthread_barrier_destroy(&start);
    free(threads);
}
