// Lookups into a spec inferred from a fixture header of tests/data/headers, for the
// tests of one rule each (test_byte_data.cpp, test_cursors.cpp, test_batched_lists.cpp).
#pragma once

#include <catch2/catch.hpp>

#include "test_support.h"

namespace remora::test {

struct FixtureSpec {
  const char* header;   // its file name in tests/data/headers
  const char* library;  // the soname the spec names

  const spec::Spec& spec() const {
    const auto& r = inferred_header(header, library);
    REQUIRE(r.ok);
    return r.spec;
  }
  const spec::Function& fn(const char* name) const {
    const spec::Function* f = spec().find_function(name);
    REQUIRE(f);
    return *f;
  }
  const spec::Annotation& ann(const char* function, const char* param) const {
    const spec::Param* p = fn(function).find_param(param);
    REQUIRE(p);
    return p->ann;
  }
  // A buffer of `direction` sized by the expression `size`.
  void check_sized(const char* function, const char* param, spec::Direction direction, const char* size) const {
    INFO(function << "." << param);
    const spec::Annotation& a = ann(function, param);
    CHECK(a.kind == spec::Kind::Buffer);
    CHECK(a.direction == direction);
    CHECK(a.size == size);
  }
};

}  // namespace remora::test
