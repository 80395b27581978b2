// pb.cpp -- fast_function() with pybind11, for bench/calls/run.sh.
#include <cstdint>

#include <pybind11/pybind11.h>

namespace py = pybind11;

PYBIND11_MODULE(pb, m)
{
    m.def("fast_function",
          [](std::int64_t count, double ratio, bool enabled, py::str name) {
              return py::make_tuple(2 * count, 2.0 * ratio, !enabled, name);
          },
          py::arg("count"), py::arg("ratio"), py::arg("enabled"), py::arg("name"));
}
