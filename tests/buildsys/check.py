"""check.py DIR LIBDIR -- import pyz3demo from DIR and call it.

Checks that the module works and that the libpyz3 it loaded is the one in
LIBDIR, then prints what it loaded. Exits non-zero on any failure.
"""
import os
import sys

moddir, libdir = sys.argv[1], os.path.realpath(sys.argv[2])
sys.path.insert(0, moddir)
import pyz3demo  # noqa: E402

assert pyz3demo.twice(21) == 42
assert pyz3demo.twice(-2**40) == -2**41
try:
    pyz3demo.twice("21")
except TypeError:
    pass
else:
    raise AssertionError("twice('21') did not raise TypeError")

with open("/proc/self/maps") as maps:
    loaded = {os.path.realpath(line.split(None, 5)[5].strip())
              for line in maps if "libpyz3.so" in line}
assert len(loaded) == 1, "libpyz3 loaded: %s" % sorted(loaded)
lib = loaded.pop()
assert os.path.dirname(lib) == libdir, "%s is not in %s" % (lib, libdir)
print("%s: libpyz3 %s from %s, Python %s" % (
    os.path.basename(pyz3demo.__file__), pyz3demo.version(), lib,
    sys.version.split()[0]))
