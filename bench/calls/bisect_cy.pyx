# bisect_cy.pyx -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
# scale(x, factor=1.0, *, unit="") in Cython, the same code as
# bisect_body.h, for the call-shape benchmark.
# cython: language_level=3, boundscheck=False, wraparound=False

def bisect_left(a, x, Py_ssize_t lo=0, hi=None, *, key=None):
    cdef Py_ssize_t h, mid
    if lo < 0:
        raise ValueError("lo must be non-negative")
    h = len(a) if hi is None else hi
    while lo < h:
        mid = (lo + h) // 2
        item = a[mid]
        if key is not None:
            item = key(item)
        if item < x:
            lo = mid + 1
        else:
            h = mid
    return lo


# A parameter typed str would refuse subclasses of str, which the others take.
def scale(double x, double factor=1.0, *, unit=""):
    if not isinstance(unit, str):
        raise TypeError("scale() argument 'unit' must be str, not " + type(unit).__name__)
    return x * factor + len((<str>unit).encode("utf-8"))
