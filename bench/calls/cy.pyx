# cy.pyx -- fast_function() in Cython, for bench/calls/run.sh.
# cython: language_level=3

def fast_function(long long count, double ratio, bint enabled, str name):
    return (2 * count, 2.0 * ratio, not enabled, name)
