// "P must point to a ... object": untyped bytes that may hold a handle (may_hold_handles).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
std::optional<bool> may_hold_handles(const spec::Spec& s, const char* p) {
  auto* e = find_docs_evidence(param_of(s, "fooSetArg", p).evidence,
                               [](const auto& says) { return says.may_hold_handles.has_value(); });
  return e ? e->says.may_hold_handles : std::nullopt;
}
}  // namespace

TEST_CASE("a void pointer the docs say points to an object may hold handles; data pointers do not") {
  spec::Spec s;
  s.functions.push_back(function("fooSetArg", "int",
                                 {param("value", "const void *"), param("data", "const void *"), param("count", "int *"),
                                  param("size", "size_t")}));
  mine(s, "h.adoc",
       refpage("fooSetArg", "Set an argument",
               "  * _value_ is a pointer to the argument's data.\n"
               "If the argument is a buffer, then _value_ must point to a buffer memory object or `NULL`.\n"
               "  * _data_ points to a region of host memory, which is copied.\n"
               "  * _count_ must point to an integer object.\n"));
  CHECK(may_hold_handles(s, "value") == true);
  CHECK_FALSE(may_hold_handles(s, "data").has_value());   // no object named
  CHECK_FALSE(may_hold_handles(s, "count").has_value());  // typed pointer, not raw bytes
}
