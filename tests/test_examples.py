"""test_examples.py -- the example modules fastpath_bench, gil_bench and
cxx_demo (the C++ one), from Python.

    PYTHONPATH=<folder of the built modules> python3 tests/test_examples.py

Every function of both modules: results, bad arguments (wrong types,
overflow, missing, extra, repeated and unknown keywords, with CPython's
messages), and many threads calling them at once. `make check` runs it
through tests/run-python-tests.sh; tests/example-install.sh runs it on the
modules built against an installed libpyz3.
"""
import os
import subprocess
import sys
import sysconfig
import threading
import unittest

import fastpath_bench as fb
import gil_bench as gb
import points

# cxx_demo is built when configure found a C++ compiler: `make check` says
# so in PYZ3_HAVE_CXX, and then it must import; elsewhere it may be absent.
try:
    import cxx_demo
except ImportError:
    if os.environ.get("PYZ3_HAVE_CXX") == "yes":
        raise
    cxx_demo = None

class Index:
    """An object that converts to int through __index__."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


class Checks(unittest.TestCase):
    def raises(self, exc, message, func, *args, **kwargs):
        with self.assertRaises(exc) as cm:
            func(*args, **kwargs)
        self.assertEqual(str(cm.exception), message)


class FastpathBenchTest(Checks):
    def test_return_i64(self):
        for x in (0, 1, -1, 21, 127, 128, 2**30, -2**30, 2**40, 2**62 - 1, -2**62):
            self.assertEqual(fb.return_i64(x), 2 * x)
            self.assertEqual(fb.return_i64(x=x), 2 * x)
        for x in (2**62, -2**62 - 1, 2**63 - 1, -2**63):
            self.raises(OverflowError, "result out of range for a 64-bit integer",
                        fb.return_i64, x)
        self.assertIs(fb.return_i64(21), 42)     # a small int of the pool
        self.assertEqual(fb.return_i64(True), 2)
        self.assertEqual(fb.return_i64(Index(7)), 14)
        self.raises(TypeError, "return_i64() argument 'x' must be int, not str",
                    fb.return_i64, "1")
        self.raises(TypeError, "return_i64() argument 'x' must be int, not None",
                    fb.return_i64, None)
        self.raises(OverflowError, "return_i64() argument 'x': int too big to convert",
                    fb.return_i64, 2**63)
        self.raises(TypeError, "return_i64() missing required argument 'x' (pos 1)",
                    fb.return_i64)
        self.raises(TypeError, "return_i64() takes at most 1 argument (2 given)",
                    fb.return_i64, 1, 2)
        self.raises(TypeError, "return_i64() takes at most 1 argument (2 given)",
                    fb.return_i64, 1, x=2)
        # With every parameter required, an unknown keyword leaves one out:
        # PyArg_ParseTupleAndKeywords reports the missing one first.
        self.raises(TypeError, "return_i64() missing required argument 'x' (pos 1)",
                    fb.return_i64, y=1)
        if sys.version_info >= (3, 10):
            self.raises(TypeError, "return_i64() argument 'x' must be int, not float",
                        fb.return_i64, 1.5)

    def test_return_f64(self):
        for x in (0.0, 1.5, -2.25, 1e300, float("inf")):
            self.assertEqual(fb.return_f64(x), 2.0 * x)
        self.assertEqual(fb.return_f64(3), 6.0)
        self.assertEqual(fb.return_f64(x=Index(2)), 4.0)
        nan = fb.return_f64(float("nan"))
        self.assertNotEqual(nan, nan)
        self.raises(TypeError, "return_f64() argument 'x' must be float, not str",
                    fb.return_f64, "1.5")
        with self.assertRaises(OverflowError) as cm:
            fb.return_f64(10**400)
        self.assertTrue(str(cm.exception).startswith("return_f64() argument 'x': "))

    def test_return_bool(self):
        self.assertIs(fb.return_bool(True), False)
        self.assertIs(fb.return_bool(False), True)
        self.assertIs(fb.return_bool(b=0), True)
        self.assertIs(fb.return_bool([1]), False)
        self.assertIs(fb.return_bool(None), True)

        class Bad:
            def __bool__(self):
                raise ValueError("no truth")

        self.raises(ValueError, "no truth", fb.return_bool, Bad())
        self.raises(TypeError, "return_bool() missing required argument 'b' (pos 1)",
                    fb.return_bool)

    def test_return_string(self):
        for s in ("", "hello", "h\u00e9llo", "\U0001f600", "a\x00b", "x" * 10000):
            self.assertIs(fb.return_string(s), s)
            self.assertIs(fb.return_string(s=s), s)

        class S(str):
            pass

        s = S("sub")
        self.assertIs(fb.return_string(s), s)
        self.raises(TypeError, "return_string() argument 's' must be str, not bytes",
                    fb.return_string, b"x")
        with self.assertRaises(UnicodeEncodeError) as cm:
            fb.return_string("\ud800")
        self.assertIn("(return_string() argument 's')", str(cm.exception))

    def test_mixed_types(self):
        want = {"int_result": 42, "float_result": 3.0, "bool_result": False,
                "str_result": "hello"}
        self.assertEqual(fb.mixed_types(21, 1.5, True, "hello"), want)
        self.assertEqual(fb.mixed_types(str_val="hello", bool_val=True, float_val=1.5,
                                        int_val=21), want)
        self.assertEqual(fb.mixed_types(21, 1.5, bool_val=True, str_val="hello"), want)
        self.assertEqual(list(fb.mixed_types(1, 2.0, False, "x")),
                         ["int_result", "float_result", "bool_result", "str_result"])
        self.raises(TypeError, "mixed_types() missing required argument 'str_val' (pos 4)",
                    fb.mixed_types, 1, 2.0, True)
        self.raises(TypeError, "mixed_types() takes at most 4 arguments (5 given)",
                    fb.mixed_types, 1, 2.0, True, "x", 5)
        self.raises(TypeError, "mixed_types() takes at most 4 arguments (5 given)",
                    fb.mixed_types, 1, 2.0, True, "x", int_val=1)
        self.raises(TypeError, "mixed_types() takes at most 4 keyword arguments (5 given)",
                    fb.mixed_types, int_val=1, float_val=2.0, bool_val=True, str_val="x",
                    extra=1)
        self.raises(TypeError, "mixed_types() argument 'float_val' must be float, not str",
                    fb.mixed_types, 1, "2", True, "x")
        self.raises(TypeError, "mixed_types() missing required argument 'str_val' (pos 4)",
                    fb.mixed_types, 1, 2.0, True, int_val=1)
        self.raises(TypeError, "mixed_types() missing required argument 'str_val' (pos 4)",
                    fb.mixed_types, 1, 2.0, True, str_vale="x")

    def test_optional_int(self):
        self.assertIsNone(fb.optional_int(None))
        self.assertIsNone(fb.optional_int(x=None))
        self.assertEqual(fb.optional_int(21), 42)
        self.assertEqual(fb.optional_int(x=-5), -10)
        self.raises(TypeError, "optional_int() argument 'x' must be int or None, not str",
                    fb.optional_int, "1")
        self.raises(TypeError, "optional_int() missing required argument 'x' (pos 1)",
                    fb.optional_int)

    def test_error_union_int(self):
        self.assertEqual(fb.error_union_int(21, False), 42)
        self.assertEqual(fb.error_union_int(x=21, fail=0), 42)
        self.raises(RuntimeError, "error_union_int() failed as asked",
                    fb.error_union_int, 21, True)
        self.raises(RuntimeError, "error_union_int() failed as asked",
                    fb.error_union_int, fail=[1], x=0)
        self.raises(TypeError, "error_union_int() missing required argument 'fail' (pos 2)",
                    fb.error_union_int, 1)
        self.raises(OverflowError, "error_union_int() argument 'x': int too big to convert",
                    fb.error_union_int, -2**64, False)

    def test_fast_function(self):
        want = (42, 3.0, False, "hello")
        self.assertEqual(fb.fast_function(21, 1.5, True, "hello"), want)
        self.assertEqual(fb.fast_function(count=21, ratio=1.5, enabled=True, name="hello"),
                         want)
        self.assertEqual(fb.fast_function(21, 1.5, name="hello", enabled=True), want)
        self.assertEqual(fb.fast_function(*[21, 1.5], **{"enabled": 1, "name": "hello"}),
                         want)
        self.assertEqual(fb.fast_function(**{"".join(["co", "unt"]): 21, "ratio": 1.5,
                                             "enabled": True, "name": "hello"}), want)
        name = "h\u00e9llo"
        self.assertIs(fb.fast_function(1, 0.0, False, name)[3], name)
        self.assertEqual(fb.fast_function(2**62 - 1, -0.0, [], ""),
                         (2**63 - 2, -0.0, True, ""))
        self.assertEqual(fb.fast_function(-2**62, 0.0, 1, "")[0], -2**63)
        self.raises(OverflowError, "result out of range for a 64-bit integer",
                    fb.fast_function, 2**62, 1.5, True, "x")

    def test_fast_function_errors(self):
        f = fb.fast_function
        self.raises(TypeError, "fast_function() missing required argument 'name' (pos 4)",
                    f, 21, 1.5, True)
        self.raises(TypeError, "fast_function() missing required argument 'count' (pos 1)",
                    f)
        self.raises(TypeError, "fast_function() missing required argument 'count' (pos 1)",
                    f, ratio=1.5)
        self.raises(TypeError, "fast_function() takes at most 4 arguments (5 given)",
                    f, 21, 1.5, True, "x", 5)
        self.raises(TypeError, "fast_function() takes at most 4 arguments (5 given)",
                    f, 21, 1.5, True, "x", count=3)
        self.raises(TypeError, "fast_function() takes at most 4 keyword arguments (5 given)",
                    f, count=1, ratio=1.0, enabled=True, name="x", x=1)
        self.raises(TypeError, "fast_function() missing required argument 'name' (pos 4)",
                    f, 21, 1.5, True, x=1)
        self.raises(TypeError, "fast_function() missing required argument 'enabled' (pos 3)",
                    f, 21, 1.5, count=3, name="x")
        self.raises(TypeError, "fast_function() missing required argument 'name' (pos 4)",
                    f, 21, 1.5, enabled=True, nam="x")
        # Python 3.9 on refuses a keyword that is not a str before the call;
        # 3.8 passes it on, and the missing argument comes first.
        with self.assertRaises(TypeError) as cm:
            f(21, 1.5, True, **{1: 2})
        self.assertIn(str(cm.exception), ("keywords must be strings",
                      "fast_function() missing required argument 'name' (pos 4)"))
        self.raises(TypeError, "fast_function() argument 'count' must be int, not str",
                    f, "21", 1.5, True, "x")
        self.raises(TypeError, "fast_function() argument 'ratio' must be float, not str",
                    f, 21, "1.5", True, "x")
        self.raises(TypeError, "fast_function() argument 'name' must be str, not int",
                    f, 21, 1.5, True, 5)
        self.raises(TypeError, "fast_function() argument 'name' must be str, not int",
                    f, count=21, ratio=1.5, enabled=True, name=5)
        self.raises(OverflowError, "fast_function() argument 'count': int too big to convert",
                    f, 2**63, 1.5, True, "x")
        with self.assertRaises(UnicodeEncodeError) as cm:
            f(21, 1.5, True, "\udc80")
        self.assertIn("(fast_function() argument 'name')", str(cm.exception))

    def test_process_data(self):
        self.assertEqual(fb.process_data(), 0)
        self.assertEqual(fb.process_data(1, 2, 3), 12)
        values = list(range(-500, 1000))
        self.assertEqual(fb.process_data(*values), 2 * sum(values))
        self.assertEqual(fb.process_data(2**40, Index(1)), 2**41 + 2)
        with self.assertRaisesRegex(TypeError,
                                    r"^(fastpath_bench\.)?process_data\(\) takes no keyword"):
            fb.process_data(1, x=2)
        self.raises(OverflowError, "result out of range for a 64-bit integer",
                    fb.process_data, 2**62)
        self.raises(OverflowError, "result out of range for a 64-bit integer",
                    fb.process_data, 2**62 - 1, 2**62 - 1)
        self.assertEqual(fb.process_data(2**62 - 1, -2**62), -2)
        with self.assertRaises(TypeError):
            fb.process_data(1, "2")
        with self.assertRaises(OverflowError):
            fb.process_data(2**64)

    def test_signatures(self):
        import inspect
        self.assertEqual(str(inspect.signature(fb.fast_function)),
                         "(count, ratio, enabled, name)")
        self.assertEqual(str(inspect.signature(fb.process_data)), "(*values)")


class PointsTest(Checks):
    """The parser on a type (a vectorcall constructor, methods) and on a
    port of _bisect, with signatures made from the parameters."""

    def test_point(self):
        P = points.Point
        for p in (P(1, 2), P(x=1, y=2), P(1, y=2), P(y=2, x=1), P(*[1], **{"y": 2})):
            self.assertEqual((p.x, p.y), (1.0, 2.0))
        self.assertEqual(repr(P(3)), "Point(3.0, 0.0)")
        self.assertEqual(repr(P(1, 2).scaled(1.55, ndigits=1)), "Point(1.6, 3.1)")
        self.assertEqual(P(0, 0).distance(P(3, 4)), 5.0)
        self.assertEqual(P(0, 0).distance(other=P(3, 4)), 5.0)
        class Q(P):
            pass
        self.assertIs(type(Q(1).scaled(2)), Q)
        self.raises(TypeError, "Point() missing required argument 'x' (pos 1)", P)
        self.raises(TypeError, "Point() argument 'x' must be float, not str", P, "x")
        self.raises(TypeError, "Point() takes at most 2 arguments (3 given)", P, 1, 2, 3)
        self.raises(TypeError, "distance() argument 'other' must be points.Point, not int",
                    P(0, 0).distance, 1)
        self.raises(TypeError, "scaled() takes exactly 1 positional argument (0 given)",
                    P(0, 0).scaled, factor=2)
        # What a float argument raises is what the running CPython raises.
        with self.assertRaises(TypeError) as cm:
            P(1, 2).scaled(2, ndigits=1.5)
        with self.assertRaises(TypeError) as ref:
            __import__("io").BytesIO().read(1.5)
        self.assertEqual(str(cm.exception), str(ref.exception))

    def test_bisect(self):
        import bisect
        a = list(range(0, 40, 2))
        shapes = [((), {}), ((3,), {}), ((3, 10), {}), ((), {"hi": 7})]
        if sys.version_info >= (3, 10):
            # The bisect of 3.8 and 3.9 takes no None for hi.
            shapes += [((1, None), {}), ((), {"lo": 2, "hi": None})]
        for x in range(-2, 44):
            for args, kwargs in shapes:
                self.assertEqual(points.bisect_left(a, x, *args, **kwargs),
                                 bisect.bisect_left(a, x, *args, **kwargs))
        if sys.version_info >= (3, 10):
            self.assertEqual(points.bisect_left(a, 7, key=lambda v: v + 1),
                             bisect.bisect_left(a, 7, key=lambda v: v + 1))
        self.raises(ValueError, "lo must be non-negative", points.bisect_left, a, 1, -1)
        for bad in ("x", 1.5, None):
            with self.assertRaises(TypeError) as cm:
                points.bisect_left(a, 1, bad)
            with self.assertRaises(TypeError) as ref:
                [].pop(bad)
            self.assertEqual(str(cm.exception), str(ref.exception))

    def test_checksum(self):
        import array
        self.assertEqual(points.checksum(b"abc"), 294)
        self.assertEqual(points.checksum(bytearray(b"abc"), 1), 295)
        self.assertEqual(points.checksum(memoryview(b"abc"), start=2**32 - 1), 293)
        self.assertEqual(points.checksum(array.array("B", [1, 2])), 3)
        ba = bytearray(b"x")
        points.checksum(ba)
        self.assertRaises(TypeError, points.checksum, ba, "x")
        ba.append(1)   # every buffer was released
        self.raises(TypeError, "a bytes-like object is required, not 'str'", points.checksum, "x")
        # CPython 3.14's unsigned converters changed the message.
        self.raises(ValueError, "Cannot convert negative int" if sys.version_info >= (3, 14)
                    else "value must be positive", points.checksum, b"", -1)
        self.raises(OverflowError, "Python int too large for C unsigned int",
                    points.checksum, b"", 2**32)

    def test_signatures(self):
        import inspect
        self.assertEqual(str(inspect.signature(points.Point)), "(x, y=0.0)")
        self.assertEqual(str(inspect.signature(points.Point(0).scaled)),
                         "(factor, /, *, ndigits=None)")
        self.assertEqual(str(inspect.signature(points.Point(0).distance)), "(other)")
        self.assertEqual(str(inspect.signature(points.bisect_left)),
                         "(a, x, lo=0, hi=None, *, key=None)")
        self.assertEqual(str(inspect.signature(points.checksum)), "(data, /, start=0)")
        self.assertEqual(points.checksum.__doc__,
                         "Return the sum of the bytes of data, plus start, modulo 2**32.")


class GilBenchTest(Checks):
    def test_results(self):
        self.assertEqual(gb.nested_allocations(), 3)
        self.assertEqual(gb.deep_nesting(), 55)
        self.assertEqual(gb.container_allocations(), list(range(100)))
        for n in (0, 1, 10, 10000):
            self.assertEqual(gb.benchmark_allocations(n), n)
        self.assertEqual(gb.benchmark_allocations(iterations=5), 5)

    def test_pooled_ints(self):
        first, second = gb.container_allocations(), gb.container_allocations()
        self.assertIsNot(first, second)
        for a, b in zip(first, second):
            self.assertIs(a, b)

    def test_errors(self):
        with self.assertRaisesRegex(TypeError, r"^(gil_bench\.)?nested_allocations\(\) "
                                    r"takes no arguments \(1 given\)$"):
            gb.nested_allocations(1)
        self.raises(OverflowError,
                    "benchmark_allocations() argument 'iterations': "
                    "can't convert negative int to unsigned",
                    gb.benchmark_allocations, -1)
        self.raises(TypeError,
                    "benchmark_allocations() argument 'iterations' must be int, not float",
                    gb.benchmark_allocations, 1.0)
        self.raises(TypeError,
                    "benchmark_allocations() missing required argument 'iterations' (pos 1)",
                    gb.benchmark_allocations)
        self.raises(TypeError,
                    "benchmark_allocations() missing required argument 'iterations' (pos 1)",
                    gb.benchmark_allocations, n=1)


class ThreadsTest(unittest.TestCase):
    THREADS = 16
    ROUNDS = 300

    def setUp(self):
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)   # switch threads often

    def tearDown(self):
        sys.setswitchinterval(self.interval)

    def test_many_threads(self):
        failures = []
        start = threading.Barrier(self.THREADS)

        def work(k):
            try:
                start.wait()
                for i in range(self.ROUNDS):
                    name = "t%d-%d" % (k, i)
                    got = fb.fast_function(i, 0.5 * k, i % 2 == 0, name)
                    assert got == (2 * i, 1.0 * k, i % 2 != 0, name), got
                    got = fb.fast_function(count=k, ratio=1.0, enabled=False, name=name)
                    assert got == (2 * k, 2.0, True, name), got
                    assert fb.mixed_types(i, 1.0, True, name)["str_result"] is name
                    assert fb.optional_int(None if i % 3 else i) == (None if i % 3 else 2 * i)
                    assert fb.process_data(*range(i % 50)) == 2 * sum(range(i % 50))
                    assert fb.return_string(name) is name
                    assert gb.nested_allocations() == 3
                    assert gb.deep_nesting() == 55
                    assert gb.benchmark_allocations(i % 20) == i % 20
                    assert gb.container_allocations() == list(range(100))
                    try:
                        fb.fast_function(i, 1.0, True)
                    except TypeError as e:
                        assert "missing required argument 'name'" in str(e), e
                    else:
                        raise AssertionError("no TypeError")
            except BaseException as e:
                failures.append(e)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(self.THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


@unittest.skipIf(cxx_demo is None, "cxx_demo was not built (no C++ compiler)")
class CxxDemoTest(Checks):
    def test_scale(self):
        self.assertEqual(cxx_demo.scale(21), 42.0)
        self.assertEqual(cxx_demo.scale(1.5, 3), 4.5)
        self.assertEqual(cxx_demo.scale(x=2.0, factor=0.25), 0.5)
        self.raises(TypeError, "scale() argument 'x' must be float, not str",
                    cxx_demo.scale, "1")
        self.raises(TypeError, "scale() missing required argument 'x' (pos 1)",
                    cxx_demo.scale)
        self.raises(TypeError, "scale() takes at most 2 arguments (3 given)",
                    cxx_demo.scale, 1, 2, 3)

    def test_greet(self):
        self.assertEqual(cxx_demo.greet("ab"), ("ab!", 1, False, False))
        self.assertEqual(cxx_demo.greet("ab", times=3, shout=True),
                         ("ABABAB!", 3, True, False))
        self.assertEqual(cxx_demo.greet("x", suffix="?"), ("x?", 1, False, True))
        self.assertEqual(cxx_demo.greet("x", suffix=None), ("x!", 1, False, False))
        self.assertEqual(cxx_demo.greet("caf\u00e9", times=0), ("!", 0, False, False))
        self.raises(ValueError, "times must be between 0 and 1000",
                    cxx_demo.greet, "x", times=-1)
        self.raises(TypeError, "greet() takes at most 1 positional argument (2 given)",
                    cxx_demo.greet, "x", 2)
        self.raises(TypeError, "greet() argument 'name' must be str, not int",
                    cxx_demo.greet, 1)

    def test_point(self):
        self.assertEqual(cxx_demo.point(1, -2), {"x": 1, "y": -2})
        self.assertEqual(cxx_demo.point(y=5, x=2**62), {"x": 2**62, "y": 5})
        self.raises(OverflowError, "point() argument 'y': int too big to convert",
                    cxx_demo.point, 0, 2**64)

    def test_sum_squares(self):
        for n in (0, 1, 2, 10, 1000):
            self.assertEqual(cxx_demo.sum_squares(n), sum(i * i for i in range(n)))
        self.raises(ValueError, "n must be between 0 and 1000000",
                    cxx_demo.sum_squares, -1)

    def test_threads(self):
        errors = []

        def work():
            try:
                for n in range(200):
                    if cxx_demo.sum_squares(n) != sum(i * i for i in range(n)):
                        errors.append(n)
            except Exception as e:
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


@unittest.skipUnless(sysconfig.get_config_var("Py_GIL_DISABLED"),
                     "a CPython with the GIL")
class FreeThreadedTest(unittest.TestCase):
    """Built against libpyz3t, the modules declare Py_MOD_GIL_NOT_USED."""

    def test_gil_stays_off(self):
        self.assertFalse(sys._is_gil_enabled())

    def test_gil_stays_off_on_import(self):
        # A fresh interpreter: CPython warns, and turns the GIL on, when it
        # imports a module that does not declare it can run without.
        code = ("import sys; assert not sys._is_gil_enabled(); "
                "import fastpath_bench, gil_bench; print(sys._is_gil_enabled())")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        env.pop("PYTHON_GIL", None)
        out = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env,
                             capture_output=True, text=True, check=True)
        self.assertEqual(out.stdout.strip(), "False")
        self.assertEqual(out.stderr, "")

    def test_first_calls_at_once(self):
        # A fresh interpreter whose threads all make the first calls, so
        # that they fill the pool and the parser's tables at once.
        code = """if 1:
            import sys, threading
            import fastpath_bench as fb, gil_bench as gb
            n = 16
            start = threading.Barrier(n)
            bad = []
            def work(k):
                start.wait()
                try:
                    for i in range(200):
                        name = "n%d" % k
                        got = fb.fast_function(count=i, ratio=0.5, enabled=True, name=name)
                        assert got == (2 * i, 1.0, False, name), got
                        assert fb.fast_function(i, 1.0, True, name)[0] == 2 * i
                        assert fb.mixed_types(i, 1.0, True, name)["str_result"] is name
                        assert gb.container_allocations() == list(range(100))
                except BaseException as e:
                    bad.append(e)
            ts = [threading.Thread(target=work, args=(k,)) for k in range(n)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            print(bad, sys._is_gil_enabled())
        """
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        env.pop("PYTHON_GIL", None)
        for _ in range(5):
            out = subprocess.run([sys.executable, "-W", "error", "-c", code], env=env,
                                 capture_output=True, text=True, check=True)
            self.assertEqual(out.stdout.strip(), "[] False")
            self.assertEqual(out.stderr, "")


if __name__ == "__main__":
    unittest.main()
