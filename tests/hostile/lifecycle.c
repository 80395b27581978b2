/* lifecycle.c -- libpyz3 across the life and death of the interpreter.
 *
 *     lifecycle cycles [N]       N (default 100) cycles of Py_Initialize,
 *                                every unit used, Py_FinalizeEx, with a
 *                                worker thread that keeps its thread state
 *                                through all of them
 *     lifecycle finalize MODE    the main thread finalizes the interpreter
 *                                while a C worker thread is in the state
 *                                MODE names (below); the process must exit
 *     lifecycle fork             fork() with scopes open on the main thread
 *                                and kept thread states on workers
 *     lifecycle fork-worker      fork() from a worker inside a kept scope
 *
 * What happens to a worker when the interpreter is finalized is CPython's
 * daemon-thread rule, which libpyz3 does not change: a thread that tries to
 * take the GIL once finalization has started never gets it; CPython (3.8 to
 * 3.13) ends that thread with pthread_exit() in PyEval_RestoreThread(),
 * 3.14 and later hang it there for good (PyThread_hang_thread()). So
 * a worker that holds a scope with the GIL released (pyz3_gil_unlock() or
 * Py_BEGIN_ALLOW_THREADS), or runs Python code that releases it, or waits
 * in an outermost pyz3_gil_acquire(), ends there; the rest of the process
 * goes on and exits. libpyz3's thread-exit function leaves the dead
 * interpreter's kept state alone. A C thread with no thread state that
 * opens its first scope after Py_FinalizeEx() has returned is outside
 * CPython's rules (PyGILState_Ensure() of a finalized runtime): not done.
 *
 * Every mode exits 0 on success, 1 on a wrong result, and is stopped by
 * SIGALRM (exit status 142) rather than hang.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pyz3.h>

static int failed;

#define expect(cond) ((cond) ? (void)0 : expect_failed(__LINE__, #cond))

static void
expect_failed(int line, const char *what)
{
    fprintf(stderr, "lifecycle.c:%d: expected %s\n", line, what);
    __atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

static int
thread_states(void)
{
    PyThreadState *ts;
    int n = 0;
    for (ts = PyInterpreterState_ThreadHead(PyInterpreterState_Main()); ts != NULL;
         ts = PyThreadState_Next(ts))
        n++;
    return n;
}

/* ------------------------------------------------------------------------
 * Every unit, with the GIL held through a scope. */

struct args {
    int64_t n;
    pyz3_str label;
    bool flag;
};

static const pyz3_param args_array[] = {
    PYZ3_PARAM(struct args, n, PYZ3_ARG_I64),
    PYZ3_PARAM(struct args, label, PYZ3_ARG_STR, PYZ3_ARG_OPTIONAL, .def.str = "d\xc3\xa9""faut"),
    PYZ3_PARAM(struct args, flag, PYZ3_ARG_BOOL, PYZ3_ARG_KWONLY | PYZ3_ARG_OPTIONAL),
};
static const pyz3_params args_params = PYZ3_PARAMS("f", args_array);
static pyz3_names result_names = PYZ3_NAMES("first", "second");

static void
use_every_unit(int64_t seed)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_gil h = pyz3_gil_acquire();
    PyObject *o, *kw, *argv[3];
    int64_t i64;
    double f64;
    const char *s;
    size_t len;
    pyz3_arena arena;
    struct args a;
    char *p;
    int k;

    expect(pyz3_check_python() == 0);
    expect(pyz3_pool_init() == 0);
    o = pyz3_pool_float(0.5);
    expect(o != NULL && Py_TYPE(o) == &PyFloat_Type && PyFloat_AsDouble(o) == 0.5);
    Py_XDECREF(o);
    o = pyz3_pool_str("None", 4);
    expect(o != NULL && PyUnicode_CompareWithASCIIString(o, "None") == 0);
    Py_XDECREF(o);
    o = pyz3_pool_empty_tuple();
    expect(o != NULL && PyTuple_Check(o) && PyTuple_GET_SIZE(o) == 0);
    Py_XDECREF(o);
    o = pyz3_pool_int(256);
    expect(o != NULL && PyLong_AsLong(o) == 256);
    Py_XDECREF(o);

    o = pyz3_wrap_i64(seed * 1000003);
    expect(o != NULL && pyz3_unwrap_i64(o, &i64) == 0 && i64 == seed * 1000003);
    Py_XDECREF(o);
    o = pyz3_wrap_f64((double)seed / 8);
    expect(o != NULL && pyz3_unwrap_f64(o, &f64) == 0 && f64 == (double)seed / 8);
    Py_XDECREF(o);
    o = pyz3_wrap_str("\xc3\xa9t\xc3\xa9", 5);
    expect(o != NULL && pyz3_unwrap_str(o, &s, &len) == 0 && len == 5);
    Py_XDECREF(o);

    p = pyz3_alloc_aligned(1000, 256);
    expect(p != NULL && (uintptr_t)p % 256 == 0);
    p = pyz3_realloc(p, 5000);
    expect(p != NULL);
    pyz3_free(p);
    pyz3_arena_init(&arena, NULL);
    for (k = 0; k < 100; k++)
        expect(pyz3_arena_alloc(&arena, 100, 0) != NULL);
    pyz3_arena_fini(&arena);

    /* Keyword names are interned once per interpreter life. */
    argv[0] = pyz3_wrap_i64(seed);
    argv[1] = pyz3_wrap_str("lbl", 3);
    argv[2] = Py_True;
    kw = Py_BuildValue("(ss)", "label", "flag");
    expect(argv[0] != NULL && argv[1] != NULL && kw != NULL);
    memset(&a, 0, sizeof(a));
    expect(pyz3_parse_args(&args_params, argv, 1, kw, &a) == 0);
    expect(a.n == seed && a.label.len == 3 && a.flag);
    expect(pyz3_parse_args(&args_params, argv, 1, NULL, &a) == 0);
    expect(a.label.len == 7 && a.label.obj != NULL && !a.flag);
    o = pyz3_dict(&result_names, pyz3_ref(argv[0]), pyz3_ref(a.label.obj));
    expect(o != NULL && PyDict_Size(o) == 2);
    Py_XDECREF(o);
    o = pyz3_tuple(pyz3_ref(argv[1]), pyz3_wrap_bool(false));
    expect(o != NULL && PyTuple_GET_SIZE(o) == 2);
    Py_XDECREF(o);
    Py_XDECREF(argv[0]);
    Py_XDECREF(argv[1]);
    Py_XDECREF(kw);
    if (PyErr_Occurred()) {
        PyErr_Print();
        expect(!"a Python exception");
    }
    pyz3_gil_release(h);
    pyz3_gil_release(g);
}

/* ------------------------------------------------------------------------
 * cycles */

static sem_t go, done;
static volatile int stop;

/* CPython 3.15 leaves a thread's freed state bound to it after
 * Py_FinalizeEx(), which no new state can replace safely: there a thread
 * that outlives an interpreter drops its kept state first (pyz3_gil(3)). */
#define DROP_BEFORE_FINALIZE (PY_VERSION_HEX >= 0x030F0000)

/* Lives through every cycle: its kept state belongs to one life only. */
static void *
keeper(void *unused)
{
    int64_t seed = 1;
    for (;;) {
        sem_wait(&go);
        if (stop)
            return NULL;
        use_every_unit(seed++);
        use_every_unit(seed++);
        if (DROP_BEFORE_FINALIZE)
            expect(pyz3_gil_drop_thread_state() == 0);
        sem_post(&done);
    }
}

static void *
short_lived(void *arg)
{
    use_every_unit((int64_t)(intptr_t)arg);
    return NULL;
}

static int
cycles(int n)
{
    pthread_t keep, once;
    int cycle;
    sem_init(&go, 0, 0);
    sem_init(&done, 0, 0);
    if (pthread_create(&keep, NULL, keeper, NULL) != 0)
        return 2;
    for (cycle = 0; cycle < n && !failed; cycle++) {
        PyThreadState *save;
        Py_InitializeEx(0);
        expect(thread_states() == 1);
        /* threading belongs to the main thread, as in a program that
         * embeds Python. */
        expect(PyRun_SimpleString("import threading") == 0);
        use_every_unit(cycle);
        save = PyEval_SaveThread();
        sem_post(&go);
        sem_wait(&done);
        if (pthread_create(&once, NULL, short_lived, (void *)(intptr_t)cycle) != 0)
            return 2;
        pthread_join(once, NULL);
        PyEval_RestoreThread(save);
        /* The main thread's and the keeper's, unless it dropped it. */
        expect(thread_states() == (DROP_BEFORE_FINALIZE ? 1 : 2));
        expect(pyz3_gil_depth() == 0);
        expect(Py_FinalizeEx() == 0);
    }
    stop = 1;
    sem_post(&go);
    pthread_join(keep, NULL);
    printf("lifecycle: %d cycles of Py_Initialize / every unit / Py_FinalizeEx: %s\n",
           cycle, failed ? "FAILED" : "ok");
    return failed;
}

/* ------------------------------------------------------------------------
 * finalize MODE: the main thread finalizes while a worker is
 *   unlocked       in two scopes, the GIL released by pyz3_gil_unlock()
 *   allow-threads  in a scope, inside Py_BEGIN_ALLOW_THREADS
 *   python         in a scope, running Python code that sleeps
 *   waiting        in pyz3_gil_acquire(), waiting for the GIL, with a kept
 *                  thread state from an earlier scope
 *   waiting-new    the same without a thread state (its first scope)
 */

/* Whether finalization leaves a thread it stops stopped for good, or ends
 * it (see finalize()). */
#if PY_VERSION_HEX >= 0x030E0000 || defined(Py_GIL_DISABLED)
#  define STOPPED_FOR_GOOD 1
#else
#  define STOPPED_FOR_GOOD 0
#endif

static const char *mode;
static sem_t ready, proceed;
static int returned;            /* the worker got past the GIL */
static int worker_exited;       /* its thread ended */

/* Seen when the worker's thread ends, by return or by pthread_exit(). */
static pthread_key_t exit_key;

static void
worker_cleanup(void *unused)
{
    __atomic_store_n(&worker_exited, 1, __ATOMIC_RELAXED);
}

static void *
finalize_worker(void *unused)
{
    pthread_setspecific(exit_key, &worker_exited);
    if (strcmp(mode, "unlocked") == 0) {
        pyz3_gil g1 = pyz3_gil_acquire();
        pyz3_gil g2 = pyz3_gil_acquire();
        pyz3_unlock u = pyz3_gil_unlock();
        sem_post(&ready);
        sem_wait(&proceed);
        pyz3_gil_relock(u);                 /* never returns */
        returned = 1;
        pyz3_gil_release(g2);
        pyz3_gil_release(g1);
    }
    else if (strcmp(mode, "allow-threads") == 0) {
        pyz3_gil g = pyz3_gil_acquire();
        Py_BEGIN_ALLOW_THREADS
        sem_post(&ready);
        sem_wait(&proceed);
        Py_END_ALLOW_THREADS                /* never returns */
        returned = 1;
        pyz3_gil_release(g);
    }
    else if (strcmp(mode, "python") == 0) {
        pyz3_gil g = pyz3_gil_acquire();
        sem_post(&ready);
        PyRun_SimpleString("import time\nwhile True: time.sleep(0.001)\n");
        returned = 1;
        pyz3_gil_release(g);
    }
    else if (strcmp(mode, "waiting") == 0 || strcmp(mode, "waiting-new") == 0) {
        pyz3_gil g;
        if (strcmp(mode, "waiting") == 0) {
            g = pyz3_gil_acquire();
            pyz3_gil_release(g);
        }
        sem_post(&ready);
        sem_wait(&proceed);
        g = pyz3_gil_acquire();             /* may not return */
        returned = 1;
        pyz3_gil_release(g);
    }
    return NULL;
}

static int
finalize(void)
{
    pthread_t t;
    PyThreadState *save;
    int waiting = strncmp(mode, "waiting", 7) == 0;
    Py_InitializeEx(0);
    PyRun_SimpleString("import threading");
    sem_init(&ready, 0, 0);
    sem_init(&proceed, 0, 0);
    pthread_key_create(&exit_key, worker_cleanup);
    save = PyEval_SaveThread();
    if (pthread_create(&t, NULL, finalize_worker, NULL) != 0)
        return 2;
    sem_wait(&ready);
    PyEval_RestoreThread(save);
    if (waiting) {
        /* Hold the GIL while the worker blocks in its outermost scope. */
        sem_post(&proceed);
        usleep(100000);
    }
    expect(Py_FinalizeEx() == 0);
    if (!waiting)
        sem_post(&proceed);
    /* The worker ends in CPython's take_gil(): its thread goes away (3.8
     * to 3.13), or hangs there for good (3.14 and later, and free-threaded
     * 3.13, where a thread stopped inside Python code stays suspended), so
     * its exit is waited for only a while there. A waiting worker may also
     * get the GIL from the Python code that finalization runs before it
     * starts refusing it: then it finishes its scope normally. */
    if (STOPPED_FOR_GOOD) {
        int i;
        for (i = 0; i < 200 && !__atomic_load_n(&worker_exited, __ATOMIC_RELAXED); i++)
            usleep(10000);
        if (__atomic_load_n(&worker_exited, __ATOMIC_RELAXED))
            pthread_join(t, NULL);
        else
            pthread_detach(t);
    }
    else {
        pthread_join(t, NULL);
        expect(worker_exited);
    }
    expect(waiting || !__atomic_load_n(&returned, __ATOMIC_RELAXED));
    /* The library stays usable for a new interpreter. */
    Py_InitializeEx(0);
    use_every_unit(7);
    expect(Py_FinalizeEx() == 0);
    printf("lifecycle: finalize with a worker %s: the worker %s, the process exits: %s\n",
           mode, returned ? "finished its scope first"
                 : worker_exited ? "was ended" : "was stopped for good",
           failed ? "FAILED" : "ok");
    return failed;
}

/* ------------------------------------------------------------------------
 * fork: live scopes on the forking thread, kept states elsewhere. */

static sem_t parked, unpark;

/* A worker parked inside a kept scope with the GIL released. */
static void *
parked_worker(void *unused)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_unlock u = pyz3_gil_unlock();
    sem_post(&parked);
    sem_wait(&unpark);
    pyz3_gil_relock(u);
    use_every_unit(3);
    pyz3_gil_release(g);
    return NULL;
}

static void *
idle_keeper(void *unused)
{
    use_every_unit(4);
    sem_post(&parked);
    sem_wait(&unpark);
    use_every_unit(5);
    return NULL;
}

/* In the child: libpyz3 on the forking thread, and on new threads. */
static void
child_uses_libpyz3(void)
{
    pthread_t t[4];
    PyThreadState *save;
    int i;
    use_every_unit(11);
    save = PyEval_SaveThread();
    for (i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, short_lived, (void *)(intptr_t)(20 + i));
    for (i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    PyEval_RestoreThread(save);
}

static int
wait_child(pid_t pid)
{
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "lifecycle: the child ended with status 0x%x\n", status);
        return 1;
    }
    return 0;
}

static int
fork_main(void)
{
    pthread_t a, b;
    PyThreadState *save;
    pyz3_gil g1, g2;
    pid_t pid;
    Py_InitializeEx(0);
    PyRun_SimpleString("import threading");
    sem_init(&parked, 0, 0);
    sem_init(&unpark, 0, 0);
    save = PyEval_SaveThread();
    pthread_create(&a, NULL, parked_worker, NULL);
    pthread_create(&b, NULL, idle_keeper, NULL);
    sem_wait(&parked);
    sem_wait(&parked);
    PyEval_RestoreThread(save);

    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    expect(thread_states() == 3);
    PyOS_BeforeFork();
    pid = fork();
    if (pid == 0) {
        PyOS_AfterFork_Child();
        /* Only this thread is left, with its scopes open. */
        expect(pyz3_gil_depth() == 2);
        expect(thread_states() == 1);
        child_uses_libpyz3();
        pyz3_gil_release(g2);
        pyz3_gil_release(g1);
        expect(pyz3_gil_depth() == 0);
        expect(Py_FinalizeEx() == 0);
        _exit(failed);
    }
    PyOS_AfterFork_Parent();
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    save = PyEval_SaveThread();
    expect(wait_child(pid) == 0);
    sem_post(&unpark);
    sem_post(&unpark);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    PyEval_RestoreThread(save);
    expect(thread_states() == 1);
    expect(Py_FinalizeEx() == 0);
    printf("lifecycle: fork with open scopes and kept thread states: %s\n",
           failed ? "FAILED" : "ok");
    return failed;
}

/* fork-worker: a C worker forks inside a kept scope; in the child it is
 * the only thread, and CPython's main thread from then on. */
static void *
forking_worker(void *unused)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_gil h = pyz3_gil_acquire();
    pid_t pid;
    use_every_unit(8);
    PyOS_BeforeFork();
    pid = fork();
    if (pid == 0) {
        PyOS_AfterFork_Child();
        expect(pyz3_gil_depth() == 2);
        child_uses_libpyz3();
        pyz3_gil_release(h);
        pyz3_gil_release(g);
        /* The kept state is this thread's: dropped before it ends. */
        expect(pyz3_gil_drop_thread_state() == 0);
        _exit(failed);
    }
    PyOS_AfterFork_Parent();
    pyz3_gil_release(h);
    pyz3_gil_release(g);
    expect(wait_child(pid) == 0);
    return NULL;
}

static int
fork_worker(void)
{
    pthread_t t;
    PyThreadState *save;
    Py_InitializeEx(0);
    PyRun_SimpleString("import threading");
    save = PyEval_SaveThread();
    pthread_create(&t, NULL, forking_worker, NULL);
    pthread_join(t, NULL);
    PyEval_RestoreThread(save);
    expect(thread_states() == 1);
    expect(Py_FinalizeEx() == 0);
    printf("lifecycle: fork from a worker inside a kept scope: %s\n", failed ? "FAILED" : "ok");
    return failed;
}

int
main(int argc, char **argv)
{
    alarm(300);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "cycles") == 0)
        return cycles(argc > 2 ? atoi(argv[2]) : 100);
    if (argc == 3 && strcmp(argv[1], "finalize") == 0) {
        mode = argv[2];
        alarm(30);
        return finalize();
    }
    if (argc == 2 && strcmp(argv[1], "fork") == 0)
        return fork_main();
    if (argc == 2 && strcmp(argv[1], "fork-worker") == 0)
        return fork_worker();
    fprintf(stderr, "usage: lifecycle cycles [N] | finalize MODE | fork | fork-worker\n");
    return 2;
}
