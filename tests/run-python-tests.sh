#!/bin/sh
# run-python-tests.sh -- `make check` runs tests/test_examples.py (unittest)
# with the configured Python on the example modules built in the build
# tree's example/ folder.
#
# Environment: PYZ3_TEST_PYTHON (set by make check), srcdir.

python=${PYZ3_TEST_PYTHON:-python3}
srcdir=${srcdir:-.}

# A library built with sanitizers needs their runtime loaded first, which
# the interpreter is not.
if ldd lib/.libs/libpyz3*.so 2>/dev/null | grep -Eq 'lib(a|t|ub)san'; then
    echo "run-python-tests.sh: libpyz3 is built with sanitizers: skipped"
    exit 77
fi

PYTHONPATH="$(pwd)/example${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
exec "$python" "$srcdir/tests/test_examples.py" -v
