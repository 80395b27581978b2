// bisect_pb.cpp -- bisect_left(a, x, lo=0, hi=None, *, key=None) and
// scale(x, factor=1.0, *, unit="") with pybind11, the bodies of
// bisect_body.h, for the call-shape benchmark.
#include <pybind11/pybind11.h>

#include <string>

namespace py = pybind11;

extern "C" {
#include "bisect_body.h"
}

PYBIND11_MODULE(bis_pb, m)
{
    m.def("bisect_left",
          [](py::object a, py::object x, Py_ssize_t lo, py::object hi, py::object key) {
              Py_ssize_t h = hi.is_none() ? -1 : hi.cast<Py_ssize_t>();
              PyObject *r = bisect_left_body(a.ptr(), x.ptr(), lo, h,
                                             key.is_none() ? nullptr : key.ptr());
              if (r == nullptr)
                  throw py::error_already_set();
              return py::reinterpret_steal<py::object>(r);
          },
          py::arg("a"), py::arg("x"), py::arg("lo") = 0, py::arg("hi") = py::none(),
          py::kw_only(), py::arg("key") = py::none());
    m.def("scale",
          [](double x, double factor, const std::string &unit) {
              PyObject *r = scale_body(x, factor, unit.size());
              if (r == nullptr)
                  throw py::error_already_set();
              return py::reinterpret_steal<py::object>(r);
          },
          py::arg("x"), py::arg("factor") = 1.0, py::kw_only(), py::arg("unit") = "");
}
