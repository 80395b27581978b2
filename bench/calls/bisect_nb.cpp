// bisect_nb.cpp -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
// scale(x, factor=1.0, *, unit="") with nanobind, the bodies of
// bisect_body.h, for the call-shape benchmark.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

namespace nb = nanobind;

extern "C" {
#include "bisect_body.h"
}

NB_MODULE(bis_nb, m)
{
    m.def("bisect_left",
          [](nb::object a, nb::object x, Py_ssize_t lo, nb::object hi, nb::object key) {
              Py_ssize_t h = hi.is_none() ? -1 : nb::cast<Py_ssize_t>(hi);
              PyObject *r = bisect_left_body(a.ptr(), x.ptr(), lo, h,
                                             key.is_none() ? nullptr : key.ptr());
              if (r == nullptr)
                  throw nb::python_error();
              return nb::steal(r);
          },
          nb::arg("a"), nb::arg("x"), nb::arg("lo") = 0, nb::arg("hi").none() = nb::none(),
          nb::kw_only(), nb::arg("key").none() = nb::none());
    m.def("scale",
          [](double x, double factor, const std::string &unit) {
              PyObject *r = scale_body(x, factor, unit.size());
              if (r == nullptr)
                  throw nb::python_error();
              return nb::steal(r);
          },
          nb::arg("x"), nb::arg("factor") = 1.0, nb::kw_only(), nb::arg("unit") = "");
}
