// What generated C++ code needs to know of a C header: a pointee is spelled as C++ accepts
// it (a tagless enum or struct by its typedef), and which functions the header declares
// with C++ linkage. A tagless enum or struct is spelled by its
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

TEST_CASE("linkage: a declaration outside the header's extern \"C\" block is marked C++ linkage",
          "[rules][ctype]") {
  const auto& r = test::inferred_header("cxx_linkage.h", "liblk.so.1");
  REQUIRE(r.ok);
  const spec::Function* inside = r.spec.find_function("lk_add");
  const spec::Function* outside = r.spec.find_function("lk_twice");
  REQUIRE(inside);
  REQUIRE(outside);
  CHECK_FALSE(inside->cxx_linkage);
  CHECK(outside->cxx_linkage);  // the generator then defines it by an assembler label
}
