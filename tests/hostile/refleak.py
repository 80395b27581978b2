"""refleak.py -- no reference and no memory block leaks, call after call.

    python3d refleak.py [CALLS]         (default 100000)

For every function of the example modules (fastpath_bench, gil_bench) and
of tests/hostile/refmod.c (inline and out-of-line), with good arguments
and with bad ones: after a warm-up of 1000 calls, CALLS calls must leave
sys.gettotalrefcount() (a debug interpreter's count of all references)
and sys.getallocatedblocks() where they were, within SLACK. A leak of one
reference per call would show as CALLS. The slack covers what CPython
itself may still cache after the warm-up (a free list growing, an
interned string, a method cache entry); it is far below CALLS.

On every interpreter, sys.getrefcount() of each argument must also be
where it was after the CALLS calls, and a result must hold no reference
but the caller's (unless it is an argument, a pooled object or
immortal): that is the check on a free-threaded build, which has no debug
variant here.

Then at exit: the same calls of refmod, made once from an atexit callback
registered before the module's first use (it runs after libpyz3's own
release), must leave what they leave when made before, in the counts
that the debug interpreter prints at exit (-X showrefcount).

The modules are imported from the directories on PYTHONPATH. A module
that is missing is reported and skipped; without sys.gettotalrefcount
(a release interpreter) only the blocks and the argument and result
counts are checked, and nothing at exit.
"""
import gc
import importlib
import re
import subprocess
import sys
import sysconfig

SLACK = 50
WARMUP = 1000
# A free-threaded CPython counts the blocks of mimalloc's pages, thread by
# thread: the count moves by a few hundred whatever the calls do.
BLOCK_SLACK = 1000 if sysconfig.get_config_var("Py_GIL_DISABLED") else SLACK


def cases():
    """(module, function name, args, kwargs, expected exception or None)."""
    big = 1 << 70
    surrogate = "a\udc80"
    yield from [
        ("fastpath_bench", "return_i64", (21,), {}, None),
        ("fastpath_bench", "return_i64", (1 << 40,), {}, None),
        ("fastpath_bench", "return_i64", (big,), {}, OverflowError),
        ("fastpath_bench", "return_i64", ("x",), {}, TypeError),
        ("fastpath_bench", "return_i64", (), {"x": 3}, None),
        ("fastpath_bench", "return_i64", (), {"y": 3}, TypeError),
        ("fastpath_bench", "return_i64", (1, 2), {}, TypeError),
        ("fastpath_bench", "return_f64", (1.5,), {}, None),
        ("fastpath_bench", "return_f64", (3,), {}, None),
        ("fastpath_bench", "return_f64", ("x",), {}, TypeError),
        ("fastpath_bench", "return_bool", (True,), {}, None),
        ("fastpath_bench", "return_bool", ([],), {}, None),
        ("fastpath_bench", "return_string", ("abc",), {}, None),
        ("fastpath_bench", "return_string", ("caf\xe9 \u20ac",), {}, None),
        ("fastpath_bench", "return_string", (surrogate,), {}, UnicodeEncodeError),
        ("fastpath_bench", "return_string", (b"x",), {}, TypeError),
        ("fastpath_bench", "mixed_types", (1, 2.0, True, "s"), {}, None),
        ("fastpath_bench", "mixed_types", (), {"int_val": 1, "float_val": 2.0,
                                               "bool_val": False, "str_val": "\xe9"}, None),
        ("fastpath_bench", "mixed_types", (1, 2.0, True), {}, TypeError),
        ("fastpath_bench", "mixed_types", (1, "2", True, "s"), {}, TypeError),
        ("fastpath_bench", "optional_int", (None,), {}, None),
        ("fastpath_bench", "optional_int", (4,), {}, None),
        ("fastpath_bench", "optional_int", (4.5,), {}, TypeError),
        ("fastpath_bench", "error_union_int", (3, False), {}, None),
        ("fastpath_bench", "error_union_int", (3, True), {}, RuntimeError),
        ("fastpath_bench", "fast_function", (1, 0.5, True, "n"), {}, None),
        ("fastpath_bench", "fast_function", (), {"count": 1, "ratio": 0.5,
                                                 "enabled": True, "name": "n"}, None),
        ("fastpath_bench", "fast_function", (1, 0.5, True, "n"), {"name": "m"}, TypeError),
        ("fastpath_bench", "fast_function", (1, 0.5, True), {"nmae": "n"}, TypeError),
        ("fastpath_bench", "process_data", (1, 2, 3, 1 << 40), {}, None),
        ("fastpath_bench", "process_data", (), {}, None),
        ("fastpath_bench", "process_data", (1, "2"), {}, TypeError),
        ("gil_bench", "nested_allocations", (), {}, None),
        ("gil_bench", "deep_nesting", (), {}, None),
        ("gil_bench", "benchmark_allocations", (10,), {}, None),
        ("gil_bench", "benchmark_allocations", (-1,), {}, OverflowError),
        ("gil_bench", "container_allocations", (), {}, None),
    ]
    for mod in ("refmod", "refmod_ool"):
        yield from [
            (mod, "i64", (7,), {}, None),
            (mod, "i64", (-(1 << 62),), {}, None),
            (mod, "i64", (big,), {}, OverflowError),
            (mod, "i64", (1.5,), {}, TypeError),
            (mod, "u64", ((1 << 64) - 1,), {}, None),
            (mod, "u64", (-1,), {}, OverflowError),
            (mod, "u64", ("1",), {}, TypeError),
            (mod, "f64", (0.25,), {}, None),
            (mod, "f64", (1 << 60,), {}, None),
            (mod, "f64", (1 << 2000,), {}, OverflowError),
            (mod, "f64", ("x",), {}, TypeError),
            (mod, "boolean", (False,), {}, None),
            (mod, "boolean", ((1,),), {}, None),
            (mod, "string", ("plain",), {}, None),
            (mod, "string", ("\U0001f40d and \u20ac",), {}, None),
            (mod, "string", ("nul\0in",), {}, None),
            (mod, "string", (surrogate,), {}, UnicodeEncodeError),
            (mod, "string", (3,), {}, TypeError),
            (mod, "decode", (b"ok \xc3\xa9",), {}, None),
            (mod, "decode", (b"bad \xff",), {}, UnicodeDecodeError),
            (mod, "pool", (0,), {}, None),
            (mod, "pool", (1,), {}, None),
            (mod, "pool", (2,), {}, None),
            (mod, "pool", (1000,), {}, None),
            (mod, "alloc", (100,), {}, None),
            (mod, "alloc", (0,), {}, None),
            (mod, "alloc", (-1,), {}, ValueError),
            (mod, "scopes", (), {}, None),
            (mod, "check", (sys.hexversion, False), {}, None),
            (mod, "check", (0x02070000, False), {}, ImportError),
            (mod, "parse", (1, 2.0), {}, None),
            (mod, "parse", (1, 2.0, 3, "s"), {"b": True, "o": []}, None),
            (mod, "parse", (), {"f": 1, "i": 2, "s": None}, None),
            (mod, "parse", (1,), {}, TypeError),
            (mod, "parse", (1, 2.0, 3, "s", 5), {}, TypeError),
            (mod, "parse", (1, 2.0), {"x": 1}, TypeError),
            (mod, "parse", (1, 2.0), {"i": 1}, TypeError),
            (mod, "parse", ("1", 2.0), {}, TypeError),
            (mod, "parse", (1, 2.0, -1), {}, OverflowError),
            (mod, "parse", (1, 2.0, 3, surrogate), {}, UnicodeEncodeError),
        ]


def call(fn, args, kwargs, expected, n):
    for _ in range(n):
        try:
            fn(*args, **kwargs)
        except Exception as e:
            if expected is None or not isinstance(e, expected):
                raise


# What the pool may hand out: more references than the caller's are fine.
POOLED = {(float, 0.0), (float, 1.0), (float, -1.0), (float, 0.5),
          (str, ""), (str, "None"), (str, "True"), (str, "False")}
IMMORTAL = 1 << 29


def shared(o):
    """Whether `o` is one of CPython's own shared objects (a cached small
    int, a singleton), whose count anything in the interpreter may move by
    a few: for those only a change that grows with the calls is a leak."""
    return (any(o is c for c in (None, True, False, "", ()))
            or type(o) is int and -5 <= o <= 256)


def arg_refs(args, kwargs):
    return [sys.getrefcount(a) for a in args + tuple(kwargs.values())]


def result_extra_refs(fn, args, kwargs, expected):
    """References to a result beyond the caller's, or 0 where that is fine."""
    if expected is not None:
        return 0
    r = fn(*args, **kwargs)
    rc = sys.getrefcount(r) - 1         # less getrefcount's own argument
    is_arg = any(r is a for a in args + tuple(kwargs.values()))
    pooled = (isinstance(r, (float, str)) and (type(r), r) in POOLED
              or any(r is c for c in (None, True, False))
              or type(r) is int and -5 <= r <= 256)     # CPython's own cache
    if rc >= IMMORTAL or is_arg or pooled:
        return 0
    return rc - 1


def counts():
    gc.collect()
    refs = sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0
    return refs, sys.getallocatedblocks()


AT_EXIT = """
import atexit, sys
late = sys.argv[1] == "late"

def calls():
    import refmod
    refmod.pool(2)
    refmod.parse(1, 2.0)
    refmod.parse(1, 2.0, s="x", b=True)

atexit.register(calls if late else lambda: None)
if not late:
    calls()
"""


def at_exit():
    """0 if late calls leave at exit what early ones leave, else 1."""
    left = {}
    for when in ("early", "late"):
        run = subprocess.run([sys.executable, "-X", "showrefcount", "-c", AT_EXIT, when],
                             stderr=subprocess.PIPE, universal_newlines=True)
        m = re.search(r"\[(-?\d+) refs, (-?\d+) blocks\]", run.stderr)
        if run.returncode != 0 or m is None:
            print("FAIL at exit (%s): status %d, %s" % (when, run.returncode, run.stderr.strip()))
            return 1
        left[when] = (int(m.group(1)), int(m.group(2)))
    refs = left["late"][0] - left["early"][0]
    blocks = left["late"][1] - left["early"][1]
    if abs(refs) > 5 or abs(blocks) > 5:
        print("FAIL at exit: calls from a late atexit callback leave %+d references, "
              "%+d blocks" % (refs, blocks))
        return 1
    return 0


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    modules = {}
    failed = 0
    checked = 0
    missing = set()
    for modname, fname, args, kwargs, expected in cases():
        if modname not in modules:
            try:
                modules[modname] = importlib.import_module(modname)
            except ImportError as e:
                modules[modname] = None
                missing.add("%s (%s)" % (modname, e))
        mod = modules[modname]
        if mod is None:
            continue
        fn = getattr(mod, fname)
        what = "%s.%s(%s)" % (modname, fname, ", ".join(
            [repr(a)[:20] for a in args] + ["%s=%r" % kv for kv in kwargs.items()]))
        try:
            call(fn, args, kwargs, expected, WARMUP)
            if expected is not None:
                try:
                    fn(*args, **kwargs)
                except expected:
                    pass
                else:
                    raise AssertionError("did not raise %s" % expected.__name__)
            args0 = arg_refs(args, kwargs)
            refs0, blocks0 = counts()
            call(fn, args, kwargs, expected, n)
            refs1, blocks1 = counts()
            args1 = arg_refs(args, kwargs)
            extra = result_extra_refs(fn, args, kwargs, expected)
        except Exception as e:
            print("FAIL %s: %s: %s" % (what, type(e).__name__, e))
            failed += 1
            continue
        checked += 1
        if abs(refs1 - refs0) > SLACK or abs(blocks1 - blocks0) > BLOCK_SLACK:
            print("FAIL %s: after %d calls, %+d references, %+d blocks"
                  % (what, n, refs1 - refs0, blocks1 - blocks0))
            failed += 1
        elif any(a1 != a0 and (not shared(a) or abs(a1 - a0) > SLACK)
                 for a, a0, a1 in zip(args + tuple(kwargs.values()), args0, args1)):
            print("FAIL %s: after %d calls, the arguments' reference counts went from %s to %s"
                  % (what, n, args0, args1))
            failed += 1
        elif extra:
            print("FAIL %s: the result holds %d reference(s) besides the caller's"
                  % (what, extra))
            failed += 1
    if hasattr(sys, "gettotalrefcount") and modules.get("refmod") is not None:
        failed += at_exit()
    for m in sorted(missing):
        print("skipped module %s" % m)
    print("refleak: %d calls each of %d cases, %d failed (slack %d, %s)"
          % (n, checked, failed, SLACK,
             "references and blocks" if hasattr(sys, "gettotalrefcount") else "blocks only"))
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
