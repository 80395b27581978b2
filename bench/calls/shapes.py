"""shapes.py -- the loops that bench/calls/shapes.sh counts under callgrind.

    python shapes.py MODULE N1 N2

Imports MODULE (or CPython's own _bisect) and, for each call shape of
bisect_left(a, x, lo=0, hi=None, *, key=None) and of scale(x, factor=1.0,
*, unit="") (doubles and a str; CPython has no such built-in, so for
_bisect its loops run empty) below, and for an empty loop,
runs the call N1 times and then N2 times, each run between two calls of
os.getppid(): shapes.sh has callgrind dump its counts before each of those
(--dump-before=getppid, the C library's), so that every run is counted on its own. The
same loops, compiled the same way, for every implementation. Prints the
names of the shapes in their order.
"""
import importlib
import os
import sys

SHAPES = [
    ("loop", "pass"),
    ("positional, all 4", "f(L, 5, 1, 10)"),
    ("positional, optionals left out", "f(L, 5)"),
    ("empty list (call and parsing)", "f(E, 0)"),
    ("keywords lo=, hi=", "f(L, 5, lo=1, hi=10)"),
    ("keywords hi=, lo= (other order)", "f(L, 5, hi=10, lo=1)"),
    ("keyword-only key=None", "f(L, 5, key=None)"),
    ("all by keyword a=, x=", "f(a=L, x=5)"),
    ("mixed: 3 positional, hi=", "f(L, 5, 1, hi=10)"),
    ("None for hi", "f(L, 5, 1, None)"),
    ("int subclass for lo", "f(L, 5, I1, 10)"),
    ("scale: floats, positional", "g(1.5, 2.5)"),
    ("scale: optional left out", "g(1.5)"),
    ("scale: ints for the floats", "g(1, 2)"),
    ("scale: float subclass", "g(F1, 2.5)"),
    ("scale: keywords factor=, x=", "g(factor=2.5, x=1.5)"),
    ("scale: keyword-only unit=", "g(1.5, 2.5, unit=U)"),
    ("scale: str subclass for unit", "g(1.5, 2.5, unit=S)"),
]


class Int(int):
    pass


class Float(float):
    pass


class Str(str):
    pass


def main():
    module, n1, n2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mod = importlib.import_module(module)
    g = getattr(mod, "scale", None)
    env = {"f": mod.bisect_left, "g": g, "L": list(range(16)), "E": [], "I1": Int(1),
           "F1": Float(1.5), "U": "mm", "S": Str("mm")}
    want = {"f(L, 5, 1, 10)": 5, "f(E, 0)": 0, "f(L, 5, key=None)": 5,
            "g(1, 2)": 2.0, "g(F1, 2.5)": 3.75, "g(1.5, 2.5, unit=S)": 5.75}
    if getattr(mod, "PARSES_NOTHING", 0):
        want = {}  # bisect_floor.c: None for every call
    loops = []
    for name, call in SHAPES:
        if g is None and call.startswith("g("):
            call = "pass"
        if call != "pass" and call in want and eval(call, env) != want[call]:
            sys.exit("%s: %s gives a wrong result" % (module, call))
        src = "def run(n):\n    for _ in range(n):\n        %s\n" % call
        ns = dict(env)
        exec(src, ns)
        loops.append(ns["run"])
    for run in loops:
        for n in (n1, n2):
            os.getppid()
            run(n)
    os.getppid()
    print("\n".join(name for name, _ in SHAPES))


if __name__ == "__main__":
    main()
