// `const xmlChar *`-style text: a one-byte integer typedef named as a character is read as
// char is (tests/data/headers/text_units.h).
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora::spec;

namespace {
const Param& param(const char* function, const char* name) {
  const auto& r = remora::test::inferred_header("text_units.h", "libxy.so.1");
  REQUIRE(r.ok);
  const Function* f = r.spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}
}  // namespace

TEST_CASE("a one-byte type named as a character carries text", "[header][string]") {
  CHECK(param("xyParse", "text").ann.kind == Kind::String);
  CHECK(param("xyWrite", "data").ann.kind == Kind::Buffer);  // with a length beside it
  CHECK(param("xyWrite", "data").ann.size == "len");
  CHECK(param("xyHash", "data").ann.kind != Kind::String);  // bytes, not characters
}
