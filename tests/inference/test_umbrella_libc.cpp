// An umbrella header whose folder also holds the C library's headers (z3.h in /usr/include):
// the functions of the headers it includes are its API, the C library's are not
// (inference/header/src/function_selection.cpp).
#include <catch2/catch.hpp>

#include "test_support.h"

TEST_CASE("an umbrella header's C library neighbours are not its API", "[header][umbrella]") {
  const auto& r = remora::test::inferred_header("umbrella_libc/umb.h", "libumb.so.1");
  REQUIRE(r.ok);
  CHECK(r.spec.find_function("umbApiCall"));
  CHECK_FALSE(r.spec.find_function("fake_getline"));
}
