// C99 array parameters with extents of other parameters (tests/data/headers/c99_array_params.h):
// spelled as arrays of unknown length, and sized by the parameter the extent names.
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {
const Param& param(const char* function, const char* name) {
  return remora::test::param_named(
      remora::test::inferred_header("c99_array_params.h", "libap.so.1"), function, name);
}
}  // namespace

TEST_CASE("a C99 array parameter is sized by the parameter its extent names", "[header][size]") {
  const Param& in = param("apPack", "input");
  CHECK(in.type == "const uint8_t[]");
  CHECK(in.ann.direction == Direction::In);
  CHECK(in.ann.size == "input_size");
  const Param& out = param("apPack", "packed");
  CHECK(out.type == "uint8_t[]");
  CHECK(out.ann.direction == Direction::Out);
  CHECK(out.ann.size == "*packed_size");
  // An extent that is an expression is no single parameter: the other rules decide.
  CHECK(param("apSum", "m").type == "const double[]");
  CHECK(param("apSum", "m").ann.size != "rows");
}
