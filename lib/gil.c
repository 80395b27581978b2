/* gil.c -- GIL state caching.
 *
 * Owns the thread-local depth of open scopes, and is the only place that
 * calls PyGILState_Ensure/PyGILState_Release and PyEval_SaveThread/
 * PyEval_RestoreThread. The nested path is also inline in <pyz3/gil.h>;
 * the functions here are the outermost path and the out-of-line copies for
 * callers that do not inline (stable-ABI callers, FFIs, the debug build).
 *
 * The PyGILState_STATE of an outermost scope lives in that scope's pyz3_gil
 * value, never in a per-thread slot: an outermost scope opened while the
 * GIL is unlocked inside another scope must not overwrite it.
 */
#include "internal.h"

PYZ3_THREAD_LOCAL unsigned int pyz3__gil_depth PYZ3_TLS_MODEL;

#define PYZ3__UNLOCK_MAGIC 0x7079337Au   /* "py3z" */

#if PYZ3_DEBUG
/* How many pyz3_gil_unlock() values this thread has not relocked yet. */
static PYZ3__TLS unsigned int pyz3__gil_unlocked PYZ3_TLS_MODEL;

static void
pyz3__gil_check_release(pyz3_gil g)
{
    if (pyz3__gil_depth == 0)
        pyz3__misuse("pyz3_gil_release: no scope is open on this thread");
    if (g.owner != NULL && g.owner != (void *)&pyz3__gil_depth)
        pyz3__misuse("pyz3_gil_release: scope released on another thread than it was acquired on");
    if (g.depth != pyz3__gil_depth)
        pyz3__misuse("pyz3_gil_release: scopes released out of order");
}
#endif

pyz3_gil
pyz3__gil_acquire_outermost(void)
{
    pyz3_gil g;
    g.owner = &pyz3__gil_depth;
    if (pyz3__gil_depth != 0) {
        /* Reached from the out-of-line pyz3_gil_acquire(). */
        g.depth = ++pyz3__gil_depth;
        g.how = PYZ3__GIL_NESTED;
        g.state = 0;
        return g;
    }
    g.state = (unsigned short)PyGILState_Ensure();
    g.how = PYZ3__GIL_ENSURED;
    g.depth = pyz3__gil_depth = 1;
    return g;
}

void
pyz3__gil_release_outermost(pyz3_gil g)
{
    if (g.how != PYZ3__GIL_ENSURED || g.depth != 1 || pyz3__gil_depth != 1
        || g.owner != (void *)&pyz3__gil_depth)
        pyz3__misuse("pyz3_gil_release: outermost scope released out of order, "
                     "on another thread, or twice");
    pyz3__gil_depth = 0;
    PyGILState_Release((PyGILState_STATE)g.state);
}

pyz3_gil
(pyz3_gil_acquire)(void)
{
    return pyz3__gil_acquire_outermost();
}

void
(pyz3_gil_release)(pyz3_gil g)
{
#if PYZ3_DEBUG
    pyz3__gil_check_release(g);
#endif
    if (g.how == PYZ3__GIL_NESTED)
        pyz3__gil_depth--;
    else
        pyz3__gil_release_outermost(g);
}

unsigned int
(pyz3_gil_depth)(void)
{
    return pyz3__gil_depth;
}

void
(pyz3_gil_assume)(void)
{
#if PYZ3_DEBUG
    if (!PyGILState_Check())
        pyz3__misuse("pyz3_gil_assume: the calling thread does not hold the GIL");
#endif
    pyz3__gil_depth++;
}

void
(pyz3_gil_unassume)(void)
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
    u.depth = pyz3__gil_depth;
    u.magic = PYZ3__UNLOCK_MAGIC;
    pyz3__gil_depth = 0;
#if PYZ3_DEBUG
    pyz3__gil_unlocked++;
#endif
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
    pyz3__gil_unlocked--;
#endif
    PyEval_RestoreThread((PyThreadState *)u.tstate);
    pyz3__gil_depth = u.depth;
}
