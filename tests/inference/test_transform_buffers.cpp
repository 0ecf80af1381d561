// The two-call nullability rule: a getter's output sized through a pointer may be NULL (the
// first call asks for the count); a transform's output is not (its length in is a
// capacity). tests/data/headers/transform_buffers.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {
const Param& param(const char* function, const char* name) {
  const auto& r = remora::test::inferred_header("transform_buffers.h", "libtb.so.1");
  REQUIRE(r.ok);
  const Function* f = r.spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
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
