/* check_tstate.c -- kept thread states: a thread that CPython does not know
 * pays for its PyThreadState once, not at every outermost scope. */
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pyz3_test.h"

/* The number of thread states of the main interpreter. */
static int
count_thread_states(void)
{
    PyInterpreterState *interp = PyInterpreterState_Main();
    PyThreadState *ts;
    int n = 0;
    for (ts = PyInterpreterState_ThreadHead(interp); ts != NULL; ts = PyThreadState_Next(ts))
        n++;
    return n;
}

/* Run fn on one new thread with no Python thread state, the main thread's
 * GIL released meanwhile. */
static void
on_worker(void (*fn)(void *arg, unsigned int i), void *arg)
{
    PyThreadState *save = PyEval_SaveThread();
    pyz3_test_threads(1, fn, arg);
    PyEval_RestoreThread(save);
    pyz3_test_assert_expected();
}

static void
two_scopes(void *arg, unsigned int i)
{
    PyThreadState *first, *second;
    PyObject *ns;
    pyz3_gil g = pyz3_gil_acquire();
    first = PyThreadState_Get();
    pyz3_test_expect(PyGILState_Check());
    ns = pyz3_test_exec("import threading\n"
                        "local = threading.local()\n"
                        "local.value = 42\n"
                        "name = threading.current_thread().name\n");
    pyz3_test_expect(ns != NULL);
    pyz3_gil_release(g);

    g = pyz3_gil_acquire();
    second = PyThreadState_Get();
    pyz3_test_expect(first == second);
    pyz3_test_expect(PyGILState_GetThisThreadState() == second);
    pyz3_test_expect(PyGILState_Check());
    if (ns != NULL) {
        /* The thread's own data survives between scopes. */
        PyObject *local = PyDict_GetItemString(ns, "local");
        PyObject *value = local ? PyObject_GetAttrString(local, "value") : NULL;
        pyz3_test_expect(value != NULL && PyLong_AsLong(value) == 42);
        Py_XDECREF(value);
        PyErr_Clear();
        Py_DECREF(ns);
    }
    {
        /* Raw PyGILState pairs nest inside a kept scope. */
        PyGILState_STATE st = PyGILState_Ensure();
        pyz3_test_expect(st == PyGILState_LOCKED);
        PyGILState_Release(st);
        pyz3_test_expect(PyGILState_Check());
    }
    pyz3_gil_release(g);
    pyz3_test_expect(pyz3_gil_depth() == 0);
}

START_TEST(test_kept_between_scopes)
{
    on_worker(two_scopes, NULL);
}
END_TEST

static void
count_while_alive(void *arg, unsigned int i)
{
    int *states = arg;
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_gil_release(g);
    /* Released and detached, but still there. */
    g = pyz3_gil_acquire();
    *states = count_thread_states();
    pyz3_gil_release(g);
}

START_TEST(test_kept_until_thread_exit)
{
    int alive = 0;
    ck_assert_int_eq(count_thread_states(), 1);
    on_worker(count_while_alive, &alive);
    ck_assert_int_eq(alive, 2);
    /* The thread-exit destructor destroyed it. */
    ck_assert_int_eq(count_thread_states(), 1);
}
END_TEST

static void
short_lived(void *arg, unsigned int i)
{
    int k;
    for (k = 0; k < 3; k++) {
        pyz3_gil g = pyz3_gil_acquire();
        void *p = pyz3_alloc(64);
        pyz3_test_expect(p != NULL);
        pyz3_free(p);
        pyz3_gil_release(g);
    }
}

START_TEST(test_many_short_lived_threads)
{
    PyThreadState *save = PyEval_SaveThread();
    int round;
    for (round = 0; round < 50; round++)
        pyz3_test_threads(8, short_lived, NULL);
    PyEval_RestoreThread(save);
    pyz3_test_assert_expected();
    ck_assert_int_eq(count_thread_states(), 1);
}
END_TEST

static void
not_kept(void *arg, unsigned int i)
{
    int *states = arg;
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_gil_release(g);
    /* Measured from a scope of its own on this thread: only the main
     * thread's state and this scope's. */
    g = pyz3_gil_acquire();
    *states = count_thread_states();
    pyz3_gil_release(g);
    pyz3_test_expect(PyGILState_GetThisThreadState() == NULL);
}

START_TEST(test_keeping_can_be_turned_off)
{
    int states = 0;
    ck_assert_int_eq(pyz3_gil_keep_thread_states(0), 1);
    on_worker(not_kept, &states);
    ck_assert_int_eq(states, 2);
    ck_assert_int_eq(pyz3_gil_keep_thread_states(1), 0);
}
END_TEST

START_TEST(test_environment_turns_it_off)
{
    int states = 0;
    /* PYZ3_KEEP_THREAD_STATE=0 is read at the first outermost scope. */
    on_worker(not_kept, &states);
    ck_assert_int_eq(states, 2);
    ck_assert_int_eq(pyz3_gil_keep_thread_states(0), 0);
}
END_TEST

static void
foreign_owner(void *arg, unsigned int i)
{
    /* A state this thread made itself is never taken over nor freed. */
    PyGILState_STATE st = PyGILState_Ensure();
    PyThreadState *own = PyEval_SaveThread();
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_test_expect(PyThreadState_Get() == own);
    pyz3_gil_release(g);
    pyz3_test_expect(pyz3_gil_drop_thread_state() == 0);
    PyEval_RestoreThread(own);
    pyz3_test_expect(PyGILState_GetThisThreadState() == own);
    PyGILState_Release(st);
    pyz3_test_expect(PyGILState_GetThisThreadState() == NULL);
}

START_TEST(test_foreign_state_is_left_alone)
{
    on_worker(foreign_owner, NULL);
    ck_assert_int_eq(count_thread_states(), 1);
}
END_TEST

static void
unlock_inside_kept(void *arg, unsigned int i)
{
    pyz3_gil outer = pyz3_gil_acquire();
    pyz3_gil inner = pyz3_gil_acquire();
    PyThreadState *kept = PyThreadState_Get();
    pyz3_unlock u = pyz3_gil_unlock();
    pyz3_test_expect(pyz3_gil_depth() == 0);
    /* Detached by the unlock, still needed by the relock. */
    pyz3_test_expect(pyz3_gil_drop_thread_state() == -1);
    {
        /* An outermost scope opened meanwhile re-attaches the same state. */
        pyz3_gil mid = pyz3_gil_acquire();
        pyz3_test_expect(PyThreadState_Get() == kept);
        pyz3_gil_release(mid);
    }
    pyz3_gil_relock(u);
    pyz3_test_expect(pyz3_gil_depth() == 2);
    pyz3_test_expect(PyThreadState_Get() == kept);
    pyz3_gil_release(inner);
    pyz3_gil_release(outer);
}

START_TEST(test_unlock_relock_in_kept_scope)
{
    on_worker(unlock_inside_kept, NULL);
}
END_TEST

static void
drop_now(void *arg, unsigned int i)
{
    int *states = arg;
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_test_expect(pyz3_gil_drop_thread_state() == -1);   /* scope open */
    pyz3_gil_release(g);
    pyz3_test_expect(pyz3_gil_drop_thread_state() == 0);
    pyz3_test_expect(PyGILState_GetThisThreadState() == NULL);
    g = pyz3_gil_acquire();
    *states = count_thread_states();
    pyz3_gil_release(g);
}

START_TEST(test_drop_thread_state)
{
    int states = 0;
    on_worker(drop_now, &states);
    ck_assert_int_eq(states, 2);
    ck_assert_int_eq(count_thread_states(), 1);
}
END_TEST

/* A worker that keeps its state across Py_FinalizeEx() and a new
 * Py_Initialize(): the old state is forgotten, a new one made. CPython
 * 3.15 keeps the freed state bound to the thread, which no new state can
 * then replace without CPython writing into it: there the worker drops its
 * state before each finalization (pyz3_gil_drop_thread_state()), and a
 * worker that does not is stopped with a message at its next scope,
 * before CPython touches the freed state. */
static sem_t go_worker, worker_done;
static int worker_ok;

static void *
survivor(void *drop)
{
    int ok = 1, cycle;
    for (cycle = 0; cycle < 3; cycle++) {
        sem_wait(&go_worker);
        {
            pyz3_gil g = pyz3_gil_acquire();
            PyObject *ns = pyz3_test_exec("import threading\nx = threading.current_thread()\n");
            ok = ok && ns != NULL && PyGILState_Check();
            Py_XDECREF(ns);
            PyErr_Clear();
            pyz3_gil_release(g);
        }
        if (drop != NULL)
            ok = ok && pyz3_gil_drop_thread_state() == 0;
        sem_post(&worker_done);
    }
    worker_ok = ok;
    sem_wait(&go_worker);               /* exit only when told */
    return NULL;
}

static void
across_finalize(int drop)
{
    pthread_t t;
    int cycle;
    sem_init(&go_worker, 0, 0);
    sem_init(&worker_done, 0, 0);
    ck_assert_int_eq(pthread_create(&t, NULL, survivor, drop ? &worker_ok : NULL), 0);
    for (cycle = 0; cycle < 3; cycle++) {
        PyThreadState *save;
        /* threading belongs to the main thread, as in a program that
         * embeds Python: imported first on the worker, it would take the
         * worker for the main thread and wait at shutdown for its (kept)
         * state to go. */
        Py_XDECREF(pyz3_test_exec("import threading\n"));
        pyz3_test_no_error();
        save = PyEval_SaveThread();
        sem_post(&go_worker);
        sem_wait(&worker_done);
        PyEval_RestoreThread(save);
        ck_assert_int_eq(count_thread_states(), drop ? 1 : 2);
        ck_assert_int_eq(Py_FinalizeEx(), 0);
        Py_InitializeEx(0);
        ck_assert_int_eq(count_thread_states(), 1);
    }
    {
        PyThreadState *save = PyEval_SaveThread();
        sem_post(&go_worker);
        pthread_join(t, NULL);
        PyEval_RestoreThread(save);
    }
    ck_assert(worker_ok);
    /* The thread exited after its state's interpreter was finalized: the
     * destructor left the new interpreter alone. */
    ck_assert_int_eq(count_thread_states(), 1);
}

START_TEST(test_dropped_state_across_finalize)
{
    across_finalize(1);
}
END_TEST

START_TEST(test_kept_state_across_finalize)
{
#if PY_VERSION_HEX >= 0x030F0000
    pyz3_test_expect_abort("kept its thread state across Py_FinalizeEx()");
#endif
    across_finalize(0);
}
END_TEST

static void
keep_one(void *arg, unsigned int i)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_gil_release(g);
}

static void *
child_worker(void *unused)
{
    short_lived(NULL, 0);
    two_scopes(NULL, 0);
    return NULL;
}

START_TEST(test_fork_with_kept_states)
{
    pid_t pid;
    int status;
    on_worker(keep_one, NULL);
    PyOS_BeforeFork();
    pid = fork();
    if (pid == 0) {
        pthread_t t;
        PyThreadState *save;
        PyOS_AfterFork_Child();
        save = PyEval_SaveThread();
        pthread_create(&t, NULL, child_worker, NULL);
        pthread_join(t, NULL);
        PyEval_RestoreThread(save);
        _exit(0);
    }
    PyOS_AfterFork_Parent();
    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("tstate");
    TCase *tc = pyz3_test_case("kept");
    const char *env = getenv("PYZ3_KEEP_THREAD_STATE");
    if (env != NULL && env[0] == '0') {
        /* Run by the suite once more with keeping turned off. */
        tc = pyz3_test_case("environment");
        tcase_add_test(tc, test_environment_turns_it_off);
        suite_add_tcase(s, tc);
        return pyz3_test_run(s);
    }
    tcase_add_test(tc, test_kept_between_scopes);
    tcase_add_test(tc, test_kept_until_thread_exit);
    tcase_add_test(tc, test_many_short_lived_threads);
    tcase_add_test(tc, test_keeping_can_be_turned_off);
    tcase_add_test(tc, test_foreign_state_is_left_alone);
    tcase_add_test(tc, test_unlock_relock_in_kept_scope);
    tcase_add_test(tc, test_drop_thread_state);
    tcase_add_test(tc, test_dropped_state_across_finalize);
#if PY_VERSION_HEX >= 0x030F0000
    pyz3_test_add_abort(tc, test_kept_state_across_finalize);
#else
    tcase_add_test(tc, test_kept_state_across_finalize);
#endif
    tcase_add_test(tc, test_fork_with_kept_states);
    suite_add_tcase(s, tc);
    return pyz3_test_run(s);
}
