"""count.py -- the loop that bench/calls/run.sh counts under callgrind.

    python count.py MODULE MODE N

Imports MODULE and calls its fast_function N times at module level:
MODE "pos" as fast_function(21, 1.5, True, "hello"), "kw" with the four
arguments by keyword, "loop" not at all (the cost of the loop alone). The
same loop for every implementation; run.sh takes the difference of two N.
"""
import importlib
import sys

module, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
f = importlib.import_module(module).fast_function
if f(21, 1.5, True, "hello") != (42, 3.0, False, "hello"):
    sys.exit("%s.fast_function gives a wrong result" % module)

if mode == "pos":
    for _ in range(n):
        f(21, 1.5, True, "hello")
elif mode == "kw":
    for _ in range(n):
        f(count=21, ratio=1.5, enabled=True, name="hello")
elif mode == "loop":
    for _ in range(n):
        pass
else:
    sys.exit("unknown mode " + mode)
