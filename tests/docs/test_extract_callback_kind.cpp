#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;
using spec::Kind;

namespace {
spec::Spec cb_spec() {
  spec::Spec s;
  s.functions.push_back(function("fooOnEvent", "int",
                                 {param("pfn_notify", "void (*)(int, void *)"), param("user_data", "void *"),
                                  param("options", "const char *"), param("count_ret", "unsigned *")}));
  return s;
}
bool has_kind(const spec::Spec& s, const char* p, Kind k) {
  return find_docs_evidence(param_of(s, "fooOnEvent", p).evidence, [&](const auto& says) { return says.kind == k; });
}
}  // namespace

TEST_CASE("callbacks - user data - strings and single out-values are recognized") {
  auto s = cb_spec();
  mine(s, "c.adoc",
       refpage("fooOnEvent", "Registers a callback.",
               "  * _pfn_notify_ is the event callback function that can be registered by the application.\n"
               "  * _user_data_ will be passed as the _user_data_ argument when _pfn_notify_ is called.\n"
               "  * _options_ is a pointer to a null-terminated string of characters.\n"
               "  * _count_ret_ returns the number of events."));
  CHECK(has_kind(s, "pfn_notify", Kind::Callback));
  CHECK(has_kind(s, "user_data", Kind::Userdata));
  CHECK(has_kind(s, "options", Kind::String));
  CHECK(has_kind(s, "count_ret", Kind::Element));
}

TEST_CASE("a parameter documented under another name is matched by position when unambiguous") {
  auto s = cb_spec();
  mine(s, "c.adoc",
       refpage("fooOnEvent", "Registers a callback.",
               "  * _pfn_event_notify_ is the event callback function.\n"
               "  * _user_data_ can be `NULL`.\n  * _options_ is a string.\n  * _count_ret_ is a count."));
  CHECK(has_kind(s, "pfn_notify", Kind::Callback));
}
