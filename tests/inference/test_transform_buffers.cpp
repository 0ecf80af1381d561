// The two-call nullability rule: a getter's output sized through a pointer may be NULL (the
// first call asks for the count); a transform's output is not (its length in is a
// capacity). tests/data/headers/transform_buffers.h.
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {
const Param& param(const char* function, const char* name) {
  return remora::test::param_named(
      remora::test::inferred_header("transform_buffers.h", "libtb.so.1"), function, name);
}
}  // namespace

TEST_CASE("an output made from an input buffer is not a two-call query", "[idioms][nullable]") {
  CHECK(param("tbCompress", "dest").ann.size == "*destLen");
  CHECK_FALSE(param("tbCompress", "dest").ann.nullable);
  CHECK_FALSE(param("tbDecode", "dest").ann.nullable);  // a non-const input named as the source
  // Getters keep the idiom, with a question as input too.
  CHECK(param("tbGetNames", "names").ann.nullable);
  CHECK(param("tbGetInfo", "value").ann.nullable);
}
