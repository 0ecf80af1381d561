// `const xmlChar *`-style text: a one-byte integer typedef named as a character is read as
// char is (tests/data/headers/text_units.h).
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {
const Param& param(const char* function, const char* name) {
  return remora::test::param_named(remora::test::inferred_header("text_units.h", "libxy.so.1"),
                                   function, name);
}
}  // namespace

TEST_CASE("a one-byte type named as a character carries text", "[header][string]") {
  CHECK(param("xyParse", "text").ann.kind == Kind::String);
  CHECK(param("xyWrite", "data").ann.kind == Kind::Buffer);  // with a length beside it
  CHECK(param("xyWrite", "data").ann.size == "len");
  CHECK(param("xyHash", "data").ann.kind != Kind::String);  // bytes, not characters
}
