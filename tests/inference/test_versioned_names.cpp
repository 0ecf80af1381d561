// Lifecycle name rules on names with a version number glued to their verb
// (tests/data/headers/versioned_names.h; bzip2's BZ2_bzWriteClose64).
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {
const Function& function(const remora::inference::InferResult& r, const char* name) {
  return remora::test::function_named(r, name);
}
}  // namespace

TEST_CASE("lifecycle verbs with a version number glued on: Close64 releases, Open2 creates",
          "[idioms][lifecycle]") {
  const auto& r = remora::test::inferred_header("versioned_names.h", "libvn.so.1");
  REQUIRE(r.ok);
  const Param* closed = function(r, "vnWriteClose64").find_param("file");
  REQUIRE(closed);
  CHECK(closed->ann.deallocates);
  const Param* opened = function(r, "vnOpen2").find_param("file");
  REQUIRE(opened);
  CHECK(opened->ann.allocates);
  const Param* written = function(r, "vnWrite").find_param("file");
  REQUIRE(written);
  CHECK_FALSE(written->ann.deallocates);
}
