/* gil.c -- GIL state caching.
 *
 * Owns the thread-local depth of open scopes, and is the only place that
 * calls PyGILState_Ensure/PyGILState_Release and PyEval_SaveThread/
 * PyEval_RestoreThread. The scope itself, a nested one's counter, is
 * written once in <pyz3/gil.h>: here are the outermost path, and the
 * exported functions for callers that do not inline (stable-ABI callers,
 * FFIs, the debug build, which checks each scope here).
 *
 * The PyGILState_STATE of an outermost scope lives in that scope's pyz3_gil
 * value (bit 0 of `state`), never in a per-thread slot: an outermost scope
 * opened while the GIL is unlocked inside another scope must not overwrite
 * it.
 *
 * Second level: a thread that CPython does not know (no thread state of its
 * own) would have PyGILState_Ensure create a PyThreadState and
 * PyGILState_Release destroy it at every outermost scope. Instead the first
 * outermost scope creates it with PyGILState_Ensure and keeps it: the scope
 * ends with PyEval_SaveThread (detached, not destroyed) and the next one
 * re-attaches it with PyEval_RestoreThread. Such a kept state is destroyed
 * by a thread-exit destructor, or forgotten (never touched) once the
 * interpreter it belongs to is finalized. A thread state that someone else
 * made is never kept nor freed here.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

PYZ3_THREAD_LOCAL unsigned int pyz3__gil_depth PYZ3_TLS_MODEL;

#define PYZ3__UNLOCK_MAGIC 0x7079337Au   /* "py3z" */

/* How many pyz3_gil_unlock() values this thread has not relocked yet: a
 * kept state detached by an unlock must not be dropped meanwhile. */
static PYZ3__TLS unsigned int pyz3__gil_unlocked PYZ3_TLS_MODEL;

#if PYZ3_DEBUG

/* A tag per thread (1..0x7FFF) that the debug build keeps in each scope's
 * `state` above the PyGILState_STATE bit, to catch a release on another
 * thread. */
static PYZ3__TLS unsigned short pyz3__gil_tag PYZ3_TLS_MODEL;
static unsigned int pyz3__gil_next_tag;

static unsigned short
pyz3__gil_thread_tag(void)
{
    if (pyz3__gil_tag == 0) {
        unsigned int n = __atomic_add_fetch(&pyz3__gil_next_tag, 1, __ATOMIC_RELAXED);
        pyz3__gil_tag = (unsigned short)(n % 0x7FFF + 1);
    }
    return pyz3__gil_tag;
}

static void
pyz3__gil_check_release(pyz3_gil g)
{
    if (pyz3__gil_depth == 0)
        pyz3__misuse("pyz3_gil_release: no scope is open on this thread");
    if ((g.state >> 1) != pyz3__gil_thread_tag())
        pyz3__misuse("pyz3_gil_release: scope released on another thread than it was acquired on");
    if (g.depth != pyz3__gil_depth)
        pyz3__misuse("pyz3_gil_release: scopes released out of order");
}
#define PYZ3__GIL_TAG ((unsigned short)(pyz3__gil_thread_tag() << 1))
#else
#define pyz3__gil_check_release(g) ((void)0)
#define PYZ3__GIL_TAG 0
#endif

/* A scope of the exported functions, which the debug build checks: tagged
 * with this thread's tag (an outermost one has it already). */
static inline pyz3_gil
pyz3__gil_tagged(pyz3_gil g)
{
    g.state |= PYZ3__GIL_TAG;
    return g;
}

/* Kept thread states. */

/* Whether to keep thread states: -1 until read from PYZ3_KEEP_THREAD_STATE
 * (default on), then 0 or 1. */
static int pyz3__gil_keep = -1;

/* This thread's kept state, and the life (lib/life.c) it belongs to: one
 * of an older life belongs to a dead interpreter. */
static PYZ3__TLS PyThreadState *pyz3__gil_kept PYZ3_TLS_MODEL;
static PYZ3__TLS unsigned int pyz3__gil_kept_life PYZ3_TLS_MODEL;

/* The kept state of an older life, once forgotten: only ever compared with
 * what PyGILState_GetThisThreadState() says, never dereferenced. */
static PYZ3__TLS PyThreadState *pyz3__gil_dead PYZ3_TLS_MODEL;

/* The life, plus one, in which this thread was seen with a thread state of
 * its own (a Python thread): its outermost scopes go straight to
 * PyGILState_Ensure without asking CPython again. Should the state go, the
 * thread only misses the keeping, never correctness. */
static PYZ3__TLS unsigned int pyz3__gil_owned_life PYZ3_TLS_MODEL;

/* Whether this thread has registered its exit function. */
static PYZ3__TLS int pyz3__gil_exit_hooked PYZ3_TLS_MODEL;

/* The kept state of this thread if it is still alive, else NULL. */
static PyThreadState *
pyz3__gil_live_kept(void)
{
    PyThreadState *ts = pyz3__gil_kept;
    if (ts == NULL)
        return NULL;
    if (pyz3__gil_kept_life == pyz3__life_now() && Py_IsInitialized())
        return ts;
    pyz3__gil_kept = NULL;              /* its interpreter is gone */
    pyz3__gil_dead = ts;
    return NULL;
}

/* Before this thread first takes the GIL in a new life: CPython 3.15 leaves
 * the PyGILState binding of a thread that is not the finalizing one in
 * place when Py_FinalizeEx() frees its state, so that PyGILState_Ensure()
 * would re-attach the freed state (and hang in take_gil), and attaching
 * any other state would first write into it. Neither is done: the misuse
 * is reported instead. Earlier versions drop the binding. */
static void
pyz3__gil_check_binding(void)
{
    if (PyGILState_GetThisThreadState() == pyz3__gil_dead && !PyGILState_Check())
        pyz3__misuse("pyz3_gil_acquire: this thread kept its thread state across "
                     "Py_FinalizeEx(), and CPython still binds the freed state to it; "
                     "call pyz3_gil_drop_thread_state() on the thread before finalizing");
    pyz3__gil_dead = NULL;
}

/* Destroy the kept state of the calling thread, which must not hold the
 * GIL. Not through PyGILState_Release(): at thread exit the C library may
 * already have cleared CPython's own thread-specific pointer to the state,
 * and PyGILState_Release() would then abort. */
static void
pyz3__gil_destroy_kept(void)
{
    PyThreadState *ts = pyz3__gil_live_kept();
    pyz3__gil_kept = NULL;
    if (ts == NULL)
        return;
    PyEval_RestoreThread(ts);
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();      /* also releases the GIL */
}

/* At thread exit, with no scope open and no unlock pending, the kept state
 * is detached: libpyz3 attaches it only inside its scopes. (Not asked of
 * PyGILState_Check(), which answers yes for good once a sub-interpreter
 * has existed.) */
static void
pyz3__gil_thread_exit(void *unused)
{
    if (pyz3__gil_depth == 0 && pyz3__gil_unlocked == 0)
        pyz3__gil_destroy_kept();
}

#ifdef HAVE___CXA_THREAD_ATEXIT_IMPL
/* glibc runs these before it clears the threads' pthread keys, one of which
 * is CPython's pointer to the thread's state. */
extern int __cxa_thread_atexit_impl(void (*func)(void *), void *obj, void *dso);
extern void *__dso_handle;

static int
pyz3__gil_hook_thread_exit(void)
{
    return __cxa_thread_atexit_impl(pyz3__gil_thread_exit, NULL, &__dso_handle);
}
#else
/* Elsewhere a pthread key's destructor: CPython's pointer may be gone by
 * then, which pyz3__gil_destroy_kept() does not rely on. */
static pthread_key_t pyz3__gil_exit_key;
static pthread_once_t pyz3__gil_exit_once = PTHREAD_ONCE_INIT;
static int pyz3__gil_exit_key_ok;

static void
pyz3__gil_make_exit_key(void)
{
    pyz3__gil_exit_key_ok =
        pthread_key_create(&pyz3__gil_exit_key, pyz3__gil_thread_exit) == 0;
}

static int
pyz3__gil_hook_thread_exit(void)
{
    pthread_once(&pyz3__gil_exit_once, pyz3__gil_make_exit_key);
    if (!pyz3__gil_exit_key_ok)
        return -1;
    return pthread_setspecific(pyz3__gil_exit_key, &pyz3__gil_exit_hooked);
}
#endif

static int
pyz3__gil_keeping(void)
{
    int keep = __atomic_load_n(&pyz3__gil_keep, __ATOMIC_RELAXED);
    if (keep < 0) {
        const char *env = getenv("PYZ3_KEEP_THREAD_STATE");
        keep = !(env != NULL && strcmp(env, "0") == 0);
        __atomic_store_n(&pyz3__gil_keep, keep, __ATOMIC_RELAXED);
    }
    return keep;
}

/* With the GIL just taken by PyGILState_Ensure() for a thread that had no
 * thread state: arrange to keep that state. 0, or -1 (then the caller
 * treats the scope as a plain Ensure/Release one). */
static int
pyz3__gil_keep_new_state(void)
{
    unsigned int life = pyz3__life_now();
    if (!pyz3__gil_exit_hooked) {
        if (pyz3__gil_hook_thread_exit() != 0)
            return -1;
        pyz3__gil_exit_hooked = 1;
    }
    if (pyz3__life_hook_end() < 0)
        return -1;
    pyz3__gil_kept = PyGILState_GetThisThreadState();
    pyz3__gil_kept_life = life;
    return 0;
}

/* Whether the calling thread, about to take the GIL, has no thread state
 * of its own and keeping is on. */
static int
pyz3__gil_may_keep(void)
{
    unsigned int owned = pyz3__life_now() + 1;
    if (pyz3__gil_owned_life == owned || !pyz3__gil_keeping())
        return 0;
    if (PyGILState_GetThisThreadState() == NULL)
        return 1;
    pyz3__gil_owned_life = owned;
    return 0;
}

/* The outermost scope: pyz3__gil_enter() found none open on this thread. */
pyz3_gil
pyz3__gil_acquire_outermost(void)
{
    pyz3_gil g;
    PyThreadState *kept;
    int unlocked;
    g.depth = pyz3__gil_depth = 1;
    kept = pyz3__gil_live_kept();
    if (kept != NULL) {
        PyEval_RestoreThread(kept);
        g.how = PYZ3__GIL_KEPT;
        g.state = PYZ3__GIL_TAG;
        return g;
    }
    if (pyz3__gil_dead != NULL)
        pyz3__gil_check_binding();
#ifdef Py_GIL_DISABLED
    /* A thread with a state of its own, detached: attach it as
     * PyGILState_Ensure() would, without its bookkeeping, and detach it at
     * release as a kept one. (Only where the library sees CPython's own
     * headers: the stable ABI cannot ask whether a state is attached.) */
    if (pyz3__gil_owned_life == pyz3__life_now() + 1 && PyThreadState_GetUnchecked() == NULL
        && (kept = PyGILState_GetThisThreadState()) != NULL) {
        PyEval_RestoreThread(kept);
        g.how = PYZ3__GIL_KEPT;
        g.state = PYZ3__GIL_TAG;
        return g;
    }
#endif
    if (pyz3__gil_may_keep()) {
        PyGILState_Ensure();
        if (pyz3__gil_keep_new_state() == 0) {
            g.how = PYZ3__GIL_KEPT;
            g.state = PYZ3__GIL_TAG;
            return g;
        }
        unlocked = 1;
    }
    else
        unlocked = PyGILState_Ensure() == PyGILState_UNLOCKED;
    g.how = PYZ3__GIL_ENSURED;
    g.state = (unsigned short)(PYZ3__GIL_TAG | unlocked);
    return g;
}

void
pyz3__gil_release_outermost(pyz3_gil g)
{
    if (g.depth != 1 || pyz3__gil_depth != 1
        || (g.how != PYZ3__GIL_ENSURED && g.how != PYZ3__GIL_KEPT))
        pyz3__misuse("pyz3_gil_release: outermost scope released out of order or twice");
    pyz3__gil_depth = 0;
    if (g.how == PYZ3__GIL_KEPT)
        PyEval_SaveThread();
    else
        PyGILState_Release((g.state & 1) ? PyGILState_UNLOCKED : PyGILState_LOCKED);
}

int
pyz3_gil_keep_thread_states(int keep)
{
    int old = pyz3__gil_keeping();
    __atomic_store_n(&pyz3__gil_keep, keep != 0, __ATOMIC_RELAXED);
    return old;
}

int
pyz3_gil_drop_thread_state(void)
{
    if (pyz3__gil_live_kept() == NULL)
        return 0;
    if (pyz3__gil_depth != 0 || pyz3__gil_unlocked != 0 || PyGILState_Check())
        return -1;
    pyz3__gil_destroy_kept();
    return 0;
}

pyz3_gil
pyz3_gil_acquire(void)
{
    return pyz3__gil_tagged(pyz3__gil_enter());
}

void
pyz3_gil_release(pyz3_gil g)
{
    pyz3__gil_check_release(g);
    pyz3__gil_leave(g);
}

unsigned int
pyz3_gil_depth(void)
{
    return pyz3__gil_depth;
}

void
pyz3_gil_assume(void)
{
#if PYZ3_DEBUG
    if (!PyGILState_Check())
        pyz3__misuse("pyz3_gil_assume: the calling thread does not hold the GIL");
#endif
    pyz3__gil_depth++;
}

void
pyz3_gil_unassume(void)
{
#if PYZ3_DEBUG
    if (pyz3__gil_depth == 0)
        pyz3__misuse("pyz3_gil_unassume: no scope is open on this thread");
#endif
    pyz3__gil_depth--;
}

pyz3_unlock
pyz3_gil_unlock(void)
{
    pyz3_unlock u;
#if PYZ3_DEBUG
    /* CPython stops this only where it has a GIL; a free-threaded
     * PyEval_SaveThread() follows the missing thread state. */
    if (!PyGILState_Check())
        pyz3__misuse("pyz3_gil_unlock: the calling thread does not hold the GIL");
#endif
    u.depth = pyz3__gil_depth;
    u.magic = PYZ3__UNLOCK_MAGIC;
    pyz3__gil_depth = 0;
    pyz3__gil_unlocked++;
    u.tstate = PyEval_SaveThread();
    return u;
}

void
pyz3_gil_relock(pyz3_unlock u)
{
    if (u.magic != PYZ3__UNLOCK_MAGIC || u.tstate == NULL)
        pyz3__misuse("pyz3_gil_relock: the value was not returned by pyz3_gil_unlock");
#if PYZ3_DEBUG
    if (pyz3__gil_unlocked == 0)
        pyz3__misuse("pyz3_gil_relock: without a matching pyz3_gil_unlock on this thread");
    if (pyz3__gil_depth != 0)
        pyz3__misuse("pyz3_gil_relock: a scope opened after pyz3_gil_unlock is still open");
#endif
    if (pyz3__gil_unlocked != 0)
        pyz3__gil_unlocked--;
    PyEval_RestoreThread((PyThreadState *)u.tstate);
    pyz3__gil_depth = u.depth;
}
