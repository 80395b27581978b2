"""imports.py -- the Python side of tests/onelib/run.sh.

    imports.py FIRST SECOND
        Import the two modules built from module.c in this order and check
        that both work (scopes, wraps, unwraps, argument parsing), share the
        one libpyz3 (ONELIB_LIBRARY), and see each other's GIL scopes, on
        the main thread and on another one.

    imports.py --refuse FILE BUILT_FOR RUNNING
        Load the inline module FILE, built for Python BUILT_FOR, and check
        that it refuses with the ImportError of pyz3_check_python().

Prints OK, or raises.
"""
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading


def check_module(m, other, suffix):
    assert m.__file__.endswith(suffix), (m.__file__, suffix)
    library = os.path.realpath(m.library())
    assert library == os.environ["ONELIB_LIBRARY"], (m.__name__, library)
    assert m.depth() == 0

    text = "h\u00e9llo w\u00f6rld \U0001f600"
    r = m.work(21, 1.25, text)
    assert r == (42, 2.5, text, 3, False), r
    # The other module reads this one's scopes through the same library.
    r = m.work(-7, -0.5, "", other.depth)
    assert r == (-14, -1.0, "", 3, 3), r
    r = m.work(2**61, 3, "x", lambda: other.work(1, 1.0, "y", m.depth))
    assert r == (2**62, 6.0, "x", 3, (2, 2.0, "y", 6, 6)), r

    for args, exc in (
        (("1", 1.0, "s"), TypeError),
        ((2**63, 1.0, "s"), OverflowError),
        ((1, "1.0", "s"), TypeError),
        ((1, 1.0, b"s"), TypeError),
        ((1, 1.0, "\ud800"), UnicodeEncodeError),
        ((1, 1.0, "s", lambda: 1 // 0), ZeroDivisionError),
    ):
        try:
            m.work(*args)
        except exc:
            pass
        else:
            raise AssertionError("%s%r did not raise %s"
                                 % (m.__name__, args, exc.__name__))
        assert m.depth() == 0 and other.depth() == 0

    def expect(result, count, ratio, name, enabled, ratio_given):
        expected = {"count": count, "ratio": ratio, "name": name,
                    "enabled": enabled, "ratio_given": ratio_given,
                    "depth": 1}
        assert result == expected, (result, expected)
        assert type(result["ratio"]) is float, result

    expect(m.call(3), 6, 0.5, "none", True, False)
    expect(m.call(3, None), 6, 0.5, "none", True, False)
    expect(m.call(-3, 2, name=text, enabled=1), -6, 2.0, text, False, True)
    expect(m.call(enabled=False, ratio=0.25, count=2**40),
           2**41, 0.25, "none", True, True)
    for args, kwargs, exc in (
        ((), {}, TypeError),
        ((1, 2.0, "x"), {}, TypeError),
        (("1",), {}, TypeError),
        ((2**63,), {}, OverflowError),
        ((1,), {"name": b"x"}, TypeError),
        ((1,), {"bogus": 1}, TypeError),
        ((1,), {"count": 1}, TypeError),
    ):
        try:
            m.call(*args, **kwargs)
        except exc:
            pass
        else:
            raise AssertionError("call(*%r, **%r) did not raise %s"
                                 % (args, kwargs, exc.__name__))
        assert m.depth() == 0

    results = []
    thread = threading.Thread(
        target=lambda: results.append(m.work(5, 0.5, "t", other.depth)))
    thread.start()
    thread.join()
    assert results == [(10, 1.0, "t", 3, 3)], results
    assert m.depth() == 0


def imports(first_name, second_name):
    first = importlib.import_module(first_name)
    second = importlib.import_module(second_name)
    suffixes = {
        "onelib_plain": importlib.machinery.EXTENSION_SUFFIXES[0],
        "onelib_abi3": ".abi3.so",
    }
    check_module(first, second, suffixes[first_name])
    check_module(second, first, suffixes[second_name])


def refuse(path, built_for, running):
    spec = importlib.util.spec_from_file_location("onelib_plain", path)
    try:
        importlib.util.module_from_spec(spec)
    except ImportError as e:
        expected = ("compiled for Python %s but running on Python %s"
                    % (built_for, running))
        assert str(e) == expected, (str(e), expected)
    else:
        raise AssertionError("%s loaded in Python %s" % (path, running))


if __name__ == "__main__":
    if sys.argv[1] == "--refuse":
        refuse(*sys.argv[2:5])
    else:
        imports(*sys.argv[1:3])
    print("OK")
