// Looking up what a test names in an inferred spec: the function or parameter, which must
// exist (a REQUIRE fails the test case otherwise).
#pragma once

#include <catch2/catch.hpp>

#include "test_support.h"

namespace remora::test {

inline const spec::Function& function_named(const inference::InferResult& r, const char* name) {
  REQUIRE(r.ok);
  const spec::Function* f = r.spec.find_function(name);
  INFO(name);
  REQUIRE(f);
  return *f;
}

inline const spec::Param& param_named(const inference::InferResult& r, const char* function,
                                      const char* name) {
  const spec::Param* p = function_named(r, function).find_param(name);
  INFO(function << "." << name);
  REQUIRE(p);
  return *p;
}

}  // namespace remora::test
