// nb.cpp -- fast_function() with nanobind, for bench/calls/run.sh.
#include <cstdint>

#include <nanobind/nanobind.h>

namespace nb = nanobind;

NB_MODULE(nb, m)
{
    m.def("fast_function",
          [](std::int64_t count, double ratio, bool enabled, nb::str name) {
              return nb::make_tuple(2 * count, 2.0 * ratio, !enabled, name);
          },
          nb::arg("count"), nb::arg("ratio"), nb::arg("enabled"), nb::arg("name"));
}
