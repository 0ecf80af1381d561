// What generated code writes for a pointee: a tagless enum or struct is spelled by its
// typedef, never "enum NAME" (C++ refuses an elaborated typedef name; the generated stack
// of libdrm did not compile). Header: tests/data/headers/tagless_pointee.h.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora;

TEST_CASE("pointee spelling: a tagless enum or struct behind a pointer typedef is named by its typedef",
          "[rules][ctype]") {
  const auto& r = test::inferred_header("tagless_pointee.h", "libtp.so.1");
  REQUIRE(r.ok);
  const spec::Function* flags = r.spec.find_function("tp_get_flags");
  const spec::Function* point = r.spec.find_function("tp_get_point");
  const spec::Function* deflt = r.spec.find_function("tp_default_flags");
  REQUIRE(flags);
  REQUIRE(point);
  REQUIRE(deflt);
  CHECK(flags->find_param("flags")->ann.pointee == "tp_flags_t");
  CHECK(point->find_param("point")->ann.pointee == "tp_point_t");
  CHECK(deflt->ret.ann.pointee == "tp_flags_t");
}
