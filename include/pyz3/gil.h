/* <pyz3/gil.h> -- GIL state caching. See pyz3_gil(3).
 *
 * A thread-local depth counts the scopes open on a thread. Only the
 * outermost scope takes the GIL (PyGILState_Ensure) and gives it back; a
 * nested scope is a counter increment, inline in the caller. The
 * PyGILState_STATE of an outermost scope travels in its pyz3_gil value.
 */
#ifndef PYZ3_GIL_H
#define PYZ3_GIL_H

#include <pyz3/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One open scope. Returned by pyz3_gil_acquire(), given back, by value, to
 * pyz3_gil_release(). Its fields are private; it fits in one register, so
 * that a nested scope costs a few instructions. */
typedef struct pyz3_gil {
    unsigned int depth;     /* the depth this scope opened; 1 is outermost */
    unsigned short how;     /* PYZ3__GIL_NESTED, _ENSURED or _KEPT */
    unsigned short state;   /* PyGILState_STATE, and the debug thread tag */
} pyz3_gil;

/* The GIL released by pyz3_gil_unlock(), to give to pyz3_gil_relock(). */
typedef struct pyz3_unlock {
    void *tstate;           /* from PyEval_SaveThread() */
    unsigned int depth;     /* the depth saved and zeroed */
    unsigned int magic;     /* catches relock of a value unlock did not make */
} pyz3_unlock;

/* How the scope was opened: a depth increment; PyGILState_Ensure(); a
 * state attached, detached at release (the one kept for the thread, or a
 * free-threaded thread's own). */
#define PYZ3__GIL_NESTED   0
#define PYZ3__GIL_ENSURED  1
#define PYZ3__GIL_KEPT     2

/* Open a scope: on return the calling thread holds the GIL. Any thread may
 * call it, with or without the GIL. Never fails. */
PYZ3__INLINE_SCOPE pyz3_gil pyz3_gil_acquire(void);

/* Close a scope opened on this thread; scopes close in reverse order. The
 * outermost one gives the GIL back. */
PYZ3__INLINE_SCOPE void pyz3_gil_release(pyz3_gil g);

/* The number of scopes open on the calling thread. */
PYZ3__INLINE_SCOPE unsigned int pyz3_gil_depth(void);

/* Count a scope that the caller already holds the GIL for (code entered
 * from Python), without calling PyGILState_Ensure; undo with unassume. */
PYZ3__INLINE_SCOPE void pyz3_gil_assume(void);
PYZ3__INLINE_SCOPE void pyz3_gil_unassume(void);

/* Release the GIL inside any depth of scopes, for blocking work, like
 * Py_BEGIN_ALLOW_THREADS: the depth is saved and zeroed, so a scope opened
 * meanwhile really takes the GIL. pyz3_gil_relock() takes the GIL back and
 * restores the depth. The calling thread must hold the GIL. */
PYZ3_API pyz3_unlock pyz3_gil_unlock(void);
PYZ3_API void pyz3_gil_relock(pyz3_unlock u);

/* Keep the Python thread state that an outermost scope creates for a thread
 * CPython does not know (a C worker thread), so that its next outermost
 * scope only re-attaches it; destroy it when the thread exits. On by
 * default; PYZ3_KEEP_THREAD_STATE=0 in the environment turns it off. Returns
 * the previous setting. States already kept stay until their thread exits. */
PYZ3_API int pyz3_gil_keep_thread_states(int keep);

/* Destroy the calling thread's kept thread state now (a no-op without one).
 * The thread must have no scope open and not hold the GIL: 0, else -1. */
PYZ3_API int pyz3_gil_drop_thread_state(void);

/* Internal: the depth, the out-of-line outermost paths, and the scope
 * that the inline functions, the exported ones and the library itself are
 * made of. */
PYZ3_API extern PYZ3_THREAD_LOCAL unsigned int pyz3__gil_depth PYZ3_TLS_MODEL;
PYZ3_API pyz3_gil pyz3__gil_acquire_outermost(void);
PYZ3_API void pyz3__gil_release_outermost(pyz3_gil g);

static inline pyz3_gil
pyz3__gil_enter(void)
{
    unsigned int depth = pyz3__gil_depth;
    if (PYZ3_LIKELY(depth != 0)) {
        pyz3_gil g = { depth + 1, PYZ3__GIL_NESTED, 0 };
        pyz3__gil_depth = depth + 1;
        return g;
    }
    return pyz3__gil_acquire_outermost();
}

static inline void
pyz3__gil_leave(pyz3_gil g)
{
    if (PYZ3_LIKELY(g.how == PYZ3__GIL_NESTED))
        pyz3__gil_depth--;
    else
        pyz3__gil_release_outermost(g);
}

#if PYZ3_INLINE_SCOPES

static inline pyz3_gil
pyz3_gil_acquire(void)
{
    return pyz3__gil_enter();
}

static inline void
pyz3_gil_release(pyz3_gil g)
{
    pyz3__gil_leave(g);
}

static inline unsigned int
pyz3_gil_depth(void)
{
    return pyz3__gil_depth;
}

static inline void
pyz3_gil_assume(void)
{
    pyz3__gil_depth++;
}

static inline void
pyz3_gil_unassume(void)
{
    pyz3__gil_depth--;
}

#endif /* PYZ3_INLINE_SCOPES */

#ifdef __cplusplus
}
#endif

#endif /* PYZ3_GIL_H */
