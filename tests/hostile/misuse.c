/* misuse.c -- API misuse that a debug build (--enable-debug) stops with a
 * clear message, for the cases that the Check suites do not already
 * cover (see the "misuse" cases of check_gil.c and check_alloc.c).
 *
 *     misuse CASE        runs one misuse; it must end in SIGABRT
 *     misuse list        prints each CASE and the text its message holds
 *
 * The checks run each case in a process of its own and match its stderr.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <pyz3.h>

static void *
run_on_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    void *res = NULL;
    Py_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, fn, arg);
    pthread_join(t, &res);
    Py_END_ALLOW_THREADS
    return res;
}

/* The value of an unlock, taken back on another thread. */
static void *
relock_there(void *arg)
{
    pyz3_gil_relock(*(pyz3_unlock *)arg);
    return NULL;
}

static void
relock_other_thread(void)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_unlock u = pyz3_gil_unlock();
    pthread_t t;
    pthread_create(&t, NULL, relock_there, &u);
    pthread_join(t, NULL);
    pyz3_gil_relock(u);
    pyz3_gil_release(g);
}

/* A scope opened before pyz3_gil_unlock(), released while unlocked. */
static void
release_while_unlocked(void)
{
    pyz3_gil g1 = pyz3_gil_acquire();
    pyz3_gil g2 = pyz3_gil_acquire();
    pyz3_unlock u = pyz3_gil_unlock();
    pyz3_gil_release(g2);
    pyz3_gil_relock(u);
    pyz3_gil_release(g1);
}

/* An outermost scope handed to another thread, which releases it inside a
 * scope of its own. */
static void *
release_foreign(void *arg)
{
    pyz3_gil own = pyz3_gil_acquire();
    pyz3_gil_release(*(pyz3_gil *)arg);
    pyz3_gil_release(own);
    return NULL;
}

static void *
outermost_then_hand_over(void *unused)
{
    pyz3_gil g = pyz3_gil_acquire();
    pyz3_unlock u = pyz3_gil_unlock();
    pthread_t t;
    pthread_create(&t, NULL, release_foreign, &g);
    pthread_join(t, NULL);
    pyz3_gil_relock(u);
    pyz3_gil_release(g);
    return NULL;
}

static void
release_outermost_other_thread(void)
{
    run_on_thread(outermost_then_hand_over, NULL);
}

/* pyz3_gil_unlock() on a thread that does not hold the GIL: CPython's own
 * fatal error in PyEval_SaveThread(). */
static void *
unlock_there(void *unused)
{
    pyz3_unlock u = pyz3_gil_unlock();
    pyz3_gil_relock(u);
    return NULL;
}

static void
unlock_without_gil(void)
{
    run_on_thread(unlock_there, NULL);
}

static void
arena_null(void)
{
    pyz3_arena_alloc(NULL, 8, 0);
}

static void
arena_fini_uninitialized(void)
{
    pyz3_arena arena;
    memset(&arena, 0, sizeof(arena));
    pyz3_arena_fini(&arena);
}

static void
arena_reset_uninitialized(void)
{
    pyz3_arena arena;
    memset(&arena, 0, sizeof(arena));
    pyz3_arena_reset(&arena);
}

/* A finalized arena reached through its allocator vtable. */
static void
arena_vtable_after_fini(void)
{
    pyz3_arena arena;
    pyz3_allocator a;
    pyz3_arena_init(&arena, NULL);
    a = pyz3_arena_allocator(&arena);
    a.free(a.ctx, a.alloc(a.ctx, 16, 8), 16, 8);
    pyz3_arena_fini(&arena);
    a.alloc(a.ctx, 16, 8);
}

/* An arena used as its own backing: after fini, the outer one's chunks
 * come from a dead arena. */
static void
arena_backing_finalized(void)
{
    pyz3_arena inner, outer;
    pyz3_allocator a;
    pyz3_arena_init(&inner, NULL);
    a = pyz3_arena_allocator(&inner);
    pyz3_arena_init(&outer, &a);
    pyz3_arena_alloc(&outer, 10, 0);
    pyz3_arena_fini(&inner);
    pyz3_arena_alloc(&outer, 100000, 0);
}

static const struct {
    const char *name;
    void (*run)(void);
    const char *message;
} cases[] = {
    { "relock-other-thread", relock_other_thread,
      "pyz3_gil_relock: without a matching pyz3_gil_unlock on this thread" },
    { "release-while-unlocked", release_while_unlocked,
      "pyz3_gil_release: no scope is open on this thread" },
    { "release-outermost-other-thread", release_outermost_other_thread,
      "pyz3_gil_release: scope released on another thread" },
    { "unlock-without-gil", unlock_without_gil,
      "pyz3_gil_unlock: the calling thread does not hold the GIL" },
    { "arena-null", arena_null, "pyz3_arena_alloc: the arena is not initialized" },
    { "arena-fini-uninitialized", arena_fini_uninitialized,
      "pyz3_arena_fini: the arena is not initialized" },
    { "arena-reset-uninitialized", arena_reset_uninitialized,
      "pyz3_arena_reset: the arena is not initialized" },
    { "arena-vtable-after-fini", arena_vtable_after_fini,
      "pyz3_arena_alloc: the arena is not initialized or was finalized" },
    { "arena-backing-finalized", arena_backing_finalized,
      "pyz3_arena_alloc: the arena is not initialized or was finalized" },
};

int
main(int argc, char **argv)
{
    size_t i;
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
            printf("%s\t%s\n", cases[i].name, cases[i].message);
        return 0;
    }
    for (i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(argv[1], cases[i].name) == 0) {
            Py_InitializeEx(0);
            cases[i].run();
            fprintf(stderr, "misuse: %s was not stopped\n", argv[1]);
            return 1;
        }
    fprintf(stderr, "usage: misuse CASE | list\n");
    return 2;
}
