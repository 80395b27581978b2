/* check_gil.c -- unit tests of <pyz3/gil.h>.
 *
 * PyGILState_Check() tells whether the calling thread really holds the GIL,
 * and pyz3_gil_depth() how many scopes it has open; together they show
 * which scopes took the GIL and which were only counted. Built twice: with
 * the inline scopes, and with PYZ3_NO_INLINE (the library's copies).
 */
#include <stdlib.h>
#include <string.h>

#include "pyz3_test.h"

#define NESTING 8

/* 1 + 2 + ... + n computed by Python: any Python call that needs the GIL. */
static long
python_sum(long n)
{
    PyObject *range, *sum, *builtins;
    long result = -1;
    builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL)
        return -1;
    range = PyObject_CallMethod(builtins, "range", "ll", 1L, n + 1);
    if (range != NULL) {
        sum = PyObject_CallMethod(builtins, "sum", "O", range);
        if (sum != NULL) {
            result = PyLong_AsLong(sum);
            Py_DECREF(sum);
        }
        Py_DECREF(range);
    }
    Py_DECREF(builtins);
    if (PyErr_Occurred()) {
        PyErr_Clear();
        return -1;
    }
    return result;
}

/* Loop tests run twice: threads that CPython does not know keep their
 * thread state between outermost scopes (_i 0, the default), or have
 * PyGILState_Ensure make and destroy one each time (_i 1). */
static void
set_keep_mode(int i)
{
    pyz3_gil_keep_thread_states(i == 0);
}

START_TEST(test_depth_counts)
{
    pyz3_gil g[NESTING];
    int i;
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    for (i = 0; i < NESTING; i++) {
        g[i] = pyz3_gil_acquire();
        ck_assert_uint_eq(pyz3_gil_depth(), (unsigned int)i + 1);
        ck_assert(PyGILState_Check());
    }
    ck_assert_int_eq(python_sum(10), 55);
    for (i = NESTING - 1; i >= 0; i--) {
        pyz3_gil_release(g[i]);
        ck_assert_uint_eq(pyz3_gil_depth(), (unsigned int)i);
    }
    /* The main thread held the GIL before the outermost scope: it still
     * does. */
    ck_assert(PyGILState_Check());
    ck_assert_int_eq(python_sum(4), 10);
}
END_TEST

START_TEST(test_repeated_outermost)
{
    int i;
    for (i = 0; i < 1000; i++) {
        pyz3_gil g = pyz3_gil_acquire();
        pyz3_gil h = pyz3_gil_acquire();
        ck_assert_uint_eq(pyz3_gil_depth(), 2);
        pyz3_gil_release(h);
        pyz3_gil_release(g);
    }
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
}
END_TEST

/* A nested scope is a counter: with the GIL given away behind the scopes'
 * back (PyEval_SaveThread, not pyz3_gil_unlock), a nested scope must not
 * take it, as PyGILState_Ensure would. */
START_TEST(test_nested_does_not_ensure)
{
    pyz3_gil outer, inner, innermost;
    PyThreadState *ts;
    outer = pyz3_gil_acquire();
    ts = PyEval_SaveThread();
    ck_assert(!PyGILState_Check());
    inner = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    ck_assert(!PyGILState_Check());
    innermost = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 3);
    ck_assert(!PyGILState_Check());
    pyz3_gil_release(innermost);
    pyz3_gil_release(inner);
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    ck_assert(!PyGILState_Check());
    PyEval_RestoreThread(ts);
    ck_assert(PyGILState_Check());
    pyz3_gil_release(outer);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
}
END_TEST

/* The main thread, after giving the GIL away, takes it back through an
 * outermost scope and gives it away again on release. */
START_TEST(test_main_thread_without_gil)
{
    Py_BEGIN_ALLOW_THREADS
    pyz3_gil g, h;
    pyz3_test_expect(!PyGILState_Check());
    pyz3_test_expect(pyz3_gil_depth() == 0);
    g = pyz3_gil_acquire();
    pyz3_test_expect(PyGILState_Check());
    h = pyz3_gil_acquire();
    pyz3_test_expect(python_sum(100) == 5050);
    pyz3_gil_release(h);
    pyz3_test_expect(PyGILState_Check());
    pyz3_gil_release(g);
    pyz3_test_expect(!PyGILState_Check());
    pyz3_test_expect(pyz3_gil_depth() == 0);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
    ck_assert(PyGILState_Check());
}
END_TEST

/* On a thread that Python has never seen: outermost scope, nested scopes,
 * Python calls, and the GIL given back at the end. */
static void
fresh_thread(void *arg, unsigned int i)
{
    pyz3_gil g[NESTING];
    int k;
    pyz3_test_expect(PyGILState_GetThisThreadState() == NULL);
    pyz3_test_expect(!PyGILState_Check());
    pyz3_test_expect(pyz3_gil_depth() == 0);
    for (k = 0; k < NESTING; k++) {
        g[k] = pyz3_gil_acquire();
        pyz3_test_expect(pyz3_gil_depth() == (unsigned int)k + 1);
        pyz3_test_expect(PyGILState_Check());
        pyz3_test_expect(python_sum(k + 1) == (long)(k + 1) * (k + 2) / 2);
    }
    for (k = NESTING - 1; k >= 0; k--) {
        pyz3_gil_release(g[k]);
        pyz3_test_expect(pyz3_gil_depth() == (unsigned int)k);
    }
    pyz3_test_expect(!PyGILState_Check());
}

START_TEST(test_thread_begin_allow_threads)
{
    set_keep_mode(_i);
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(1, fresh_thread, NULL);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
}
END_TEST

/* The same, with the main thread inside scopes, unlocked by pyz3: the
 * other thread sees its own depth, not the main thread's. */
START_TEST(test_thread_gil_unlock)
{
    pyz3_gil g, h;
    pyz3_unlock u;
    set_keep_mode(_i);
    g = pyz3_gil_acquire();
    h = pyz3_gil_acquire();
    u = pyz3_gil_unlock();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(!PyGILState_Check());
    pyz3_test_threads(1, fresh_thread, NULL);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    pyz3_gil_relock(u);
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    ck_assert(PyGILState_Check());
    pyz3_test_assert_expected();
    pyz3_gil_release(h);
    pyz3_gil_release(g);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
}
END_TEST

/* Many threads, each opening and closing many nested scopes that allocate
 * Python objects and pyz3 blocks, and now and then unlocking in the middle
 * so that the others run. */
#define STRESS_THREADS 8
#define STRESS_ROUNDS 200

static int
all_bytes(const unsigned char *p, size_t n, unsigned char byte)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != byte)
            return 0;
    return 1;
}

static void
stress_thread(void *arg, unsigned int id)
{
    int round, k;
    for (round = 0; round < STRESS_ROUNDS; round++) {
        pyz3_gil g[NESTING];
        PyObject *list[NESTING];
        unsigned char *block[NESTING];
        for (k = 0; k < NESTING; k++) {
            size_t size = (size_t)(round * 7 + k * 13 + 1);
            g[k] = pyz3_gil_acquire();
            pyz3_test_expect(pyz3_gil_depth() == (unsigned int)k + 1);
            list[k] = Py_BuildValue("[il]", k, (long)round * 1000);
            pyz3_test_expect(list[k] != NULL);
            block[k] = pyz3_alloc(size);
            pyz3_test_expect(block[k] != NULL);
            if (block[k] != NULL)
                memset(block[k], (int)(id * NESTING + (unsigned int)k), size);
        }
        if (round % 16 == 0) {
            pyz3_unlock u = pyz3_gil_unlock();
            pyz3_test_expect(pyz3_gil_depth() == 0);
            pyz3_gil_relock(u);
        }
        pyz3_test_expect(pyz3_gil_depth() == NESTING);
        pyz3_test_expect(PyGILState_Check());
        for (k = NESTING - 1; k >= 0; k--) {
            size_t size = (size_t)(round * 7 + k * 13 + 1);
            if (block[k] != NULL)
                pyz3_test_expect(all_bytes(block[k], size,
                                           (unsigned char)(id * NESTING + (unsigned int)k)));
            pyz3_free(block[k]);
            Py_XDECREF(list[k]);
            pyz3_gil_release(g[k]);
        }
        pyz3_test_expect(pyz3_gil_depth() == 0);
        pyz3_test_expect(!PyGILState_Check());
    }
}

START_TEST(test_many_threads)
{
    set_keep_mode(_i);
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(STRESS_THREADS, stress_thread, NULL);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
}
END_TEST

START_TEST(test_assume)
{
    pyz3_gil g;
    pyz3_gil_assume();
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    ck_assert(PyGILState_Check());
    g = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    pyz3_gil_assume();
    ck_assert_uint_eq(pyz3_gil_depth(), 3);
    ck_assert_int_eq(python_sum(3), 6);
    pyz3_gil_unassume();
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    pyz3_gil_release(g);
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    pyz3_gil_unassume();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    /* Nothing was given back. */
    ck_assert(PyGILState_Check());
    ck_assert_int_eq(python_sum(3), 6);
}
END_TEST

/* Unlocked inside nested scopes, an outermost scope opened and closed in
 * between really takes the GIL and really gives it back; relock restores
 * the depth; and the outer scope, whose PyGILState_Ensure found the GIL
 * held, still leaves it held: the in-between scope's state (not held) did
 * not overwrite it. */
START_TEST(test_unlock_relock_nested)
{
    pyz3_gil g1, g2, g3, h1, h2;
    pyz3_unlock u;
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    g3 = pyz3_gil_acquire();
    u = pyz3_gil_unlock();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(!PyGILState_Check());

    h1 = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    ck_assert(PyGILState_Check());
    h2 = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    ck_assert_int_eq(python_sum(10), 55);
    pyz3_gil_release(h2);
    ck_assert(PyGILState_Check());
    pyz3_gil_release(h1);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(!PyGILState_Check());

    pyz3_gil_relock(u);
    ck_assert_uint_eq(pyz3_gil_depth(), 3);
    ck_assert(PyGILState_Check());
    ck_assert_int_eq(python_sum(10), 55);
    pyz3_gil_release(g3);
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
    ck_assert_int_eq(python_sum(10), 55);
}
END_TEST

/* The other way round: the outer scope took the GIL (the main thread had
 * released it), and so did the in-between one. At the end
 * the outer scope gives it back, as before the test. */
START_TEST(test_unlock_relock_outer_took_gil)
{
    Py_BEGIN_ALLOW_THREADS
    pyz3_gil g1, g2, h1;
    pyz3_unlock u;
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    pyz3_test_expect(PyGILState_Check());
    u = pyz3_gil_unlock();
    pyz3_test_expect(!PyGILState_Check());
    h1 = pyz3_gil_acquire();
    pyz3_test_expect(PyGILState_Check());
    pyz3_test_expect(python_sum(3) == 6);
    pyz3_gil_release(h1);
    pyz3_test_expect(!PyGILState_Check());
    pyz3_gil_relock(u);
    pyz3_test_expect(pyz3_gil_depth() == 2);
    pyz3_test_expect(PyGILState_Check());
    pyz3_gil_release(g2);
    pyz3_test_expect(PyGILState_Check());
    pyz3_gil_release(g1);
    pyz3_test_expect(!PyGILState_Check());
    pyz3_test_expect(pyz3_gil_depth() == 0);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
    ck_assert(PyGILState_Check());
}
END_TEST

/* The same on a thread Python has never seen, twice in a row. */
static void
unlock_thread(void *arg, unsigned int i)
{
    int round;
    for (round = 0; round < 2; round++) {
        pyz3_gil g1 = pyz3_gil_acquire();
        pyz3_gil g2 = pyz3_gil_acquire();
        pyz3_unlock u = pyz3_gil_unlock();
        pyz3_gil h;
        pyz3_test_expect(pyz3_gil_depth() == 0);
        pyz3_test_expect(!PyGILState_Check());
        h = pyz3_gil_acquire();
        pyz3_test_expect(PyGILState_Check());
        pyz3_test_expect(python_sum(5) == 15);
        pyz3_gil_release(h);
        pyz3_test_expect(!PyGILState_Check());
        pyz3_gil_relock(u);
        pyz3_test_expect(pyz3_gil_depth() == 2);
        pyz3_test_expect(PyGILState_Check());
        pyz3_test_expect(python_sum(5) == 15);
        pyz3_gil_release(g2);
        pyz3_gil_release(g1);
        pyz3_test_expect(pyz3_gil_depth() == 0);
        pyz3_test_expect(!PyGILState_Check());
    }
}

START_TEST(test_unlock_relock_thread)
{
    set_keep_mode(_i);
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(2, unlock_thread, NULL);
    Py_END_ALLOW_THREADS
    pyz3_test_assert_expected();
}
END_TEST

START_TEST(test_unlock_relock_depth0)
{
    pyz3_unlock u;
    pyz3_gil g;
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    u = pyz3_gil_unlock();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(!PyGILState_Check());
    g = pyz3_gil_acquire();
    ck_assert(PyGILState_Check());
    pyz3_gil_release(g);
    ck_assert(!PyGILState_Check());
    pyz3_gil_relock(u);
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(PyGILState_Check());
    ck_assert_int_eq(python_sum(2), 3);
}
END_TEST

/* Unlocks nest too: each relock restores its own depth. */
START_TEST(test_unlock_nested_unlocks)
{
    pyz3_gil g1, g2, h;
    pyz3_unlock u1, u2;
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    u1 = pyz3_gil_unlock();
    h = pyz3_gil_acquire();
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    u2 = pyz3_gil_unlock();
    ck_assert_uint_eq(pyz3_gil_depth(), 0);
    ck_assert(!PyGILState_Check());
    pyz3_gil_relock(u2);
    ck_assert_uint_eq(pyz3_gil_depth(), 1);
    ck_assert(PyGILState_Check());
    pyz3_gil_release(h);
    ck_assert(!PyGILState_Check());
    pyz3_gil_relock(u1);
    ck_assert_uint_eq(pyz3_gil_depth(), 2);
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
    ck_assert(PyGILState_Check());
}
END_TEST

/* Misuse that every build catches: an outermost scope released while a
 * nested one is open, or released twice. */
START_TEST(test_abort_outermost_out_of_order)
{
    pyz3_gil g1, g2;
    pyz3_test_expect_abort("pyz3_gil_release");
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    pyz3_gil_release(g1);
    pyz3_gil_release(g2);
}
END_TEST

START_TEST(test_abort_outermost_twice)
{
    pyz3_gil g;
    pyz3_test_expect_abort("pyz3_gil_release");
    g = pyz3_gil_acquire();
    pyz3_gil_release(g);
    pyz3_gil_release(g);
}
END_TEST

START_TEST(test_abort_relock_bad_value)
{
    pyz3_unlock u;
    pyz3_test_expect_abort("pyz3_gil_relock");
    memset(&u, 0, sizeof(u));
    pyz3_gil_relock(u);
}
END_TEST

#if PYZ3_DEBUG
/* Misuse that only the debug build checks. */
START_TEST(test_abort_nested_out_of_order)
{
    pyz3_gil g1, g2, g3;
    pyz3_test_expect_abort("out of order");
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    g3 = pyz3_gil_acquire();
    pyz3_gil_release(g2);
    pyz3_gil_release(g3);
    pyz3_gil_release(g1);
}
END_TEST

static void
release_elsewhere(void *arg, unsigned int i)
{
    pyz3_gil own = pyz3_gil_acquire();
    pyz3_gil_release(*(pyz3_gil *)arg);
    pyz3_gil_release(own);
}

START_TEST(test_abort_release_other_thread)
{
    pyz3_gil g1, g2;
    pyz3_test_expect_abort("another thread");
    g1 = pyz3_gil_acquire();
    g2 = pyz3_gil_acquire();
    Py_BEGIN_ALLOW_THREADS
    pyz3_test_threads(1, release_elsewhere, &g2);
    Py_END_ALLOW_THREADS
    pyz3_gil_release(g2);
    pyz3_gil_release(g1);
}
END_TEST

START_TEST(test_abort_unassume_underflow)
{
    pyz3_test_expect_abort("pyz3_gil_unassume");
    pyz3_gil_unassume();
}
END_TEST

START_TEST(test_abort_assume_without_gil)
{
    pyz3_test_expect_abort("pyz3_gil_assume");
    Py_BEGIN_ALLOW_THREADS
    pyz3_gil_assume();
    pyz3_gil_unassume();
    Py_END_ALLOW_THREADS
}
END_TEST

START_TEST(test_abort_relock_twice)
{
    pyz3_unlock u;
    pyz3_test_expect_abort("pyz3_gil_relock");
    u = pyz3_gil_unlock();
    pyz3_gil_relock(u);
    pyz3_gil_relock(u);
}
END_TEST

START_TEST(test_abort_relock_scope_open)
{
    pyz3_unlock u;
    pyz3_gil g;
    pyz3_test_expect_abort("pyz3_gil_relock");
    u = pyz3_gil_unlock();
    g = pyz3_gil_acquire();
    pyz3_gil_relock(u);
    pyz3_gil_release(g);
}
END_TEST

START_TEST(test_abort_release_nothing_open)
{
    pyz3_gil g, h;
    pyz3_test_expect_abort("no scope is open");
    g = pyz3_gil_acquire();
    h = pyz3_gil_acquire();
    pyz3_gil_release(h);
    pyz3_gil_release(g);
    pyz3_gil_release(h);
}
END_TEST
#endif /* PYZ3_DEBUG */

static Suite *
gil_suite(void)
{
    Suite *s = suite_create(PYZ3_INLINE_PATHS ? "gil" : "gil (out of line)");
    TCase *tc = pyz3_test_case("scopes");
    tcase_add_test(tc, test_depth_counts);
    tcase_add_test(tc, test_repeated_outermost);
    tcase_add_test(tc, test_nested_does_not_ensure);
    tcase_add_test(tc, test_main_thread_without_gil);
    tcase_add_test(tc, test_assume);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("threads");
    tcase_add_loop_test(tc, test_thread_begin_allow_threads, 0, 2);
    tcase_add_loop_test(tc, test_thread_gil_unlock, 0, 2);
    tcase_add_loop_test(tc, test_many_threads, 0, 2);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("unlock");
    tcase_add_test(tc, test_unlock_relock_nested);
    tcase_add_test(tc, test_unlock_relock_outer_took_gil);
    tcase_add_loop_test(tc, test_unlock_relock_thread, 0, 2);
    tcase_add_test(tc, test_unlock_relock_depth0);
    tcase_add_test(tc, test_unlock_nested_unlocks);
    suite_add_tcase(s, tc);

    tc = pyz3_test_case("misuse");
    pyz3_test_add_abort(tc, test_abort_outermost_out_of_order);
    pyz3_test_add_abort(tc, test_abort_outermost_twice);
    pyz3_test_add_abort(tc, test_abort_relock_bad_value);
#if PYZ3_DEBUG
    pyz3_test_add_abort(tc, test_abort_nested_out_of_order);
    pyz3_test_add_abort(tc, test_abort_release_other_thread);
    pyz3_test_add_abort(tc, test_abort_unassume_underflow);
    pyz3_test_add_abort(tc, test_abort_assume_without_gil);
    pyz3_test_add_abort(tc, test_abort_relock_twice);
    pyz3_test_add_abort(tc, test_abort_relock_scope_open);
    pyz3_test_add_abort(tc, test_abort_release_nothing_open);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return pyz3_test_run(gil_suite());
}
