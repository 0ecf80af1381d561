#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
spec::Spec spec_with(std::vector<spec::Param> params) {
  spec::Spec s;
  s.functions.push_back(function("fooCall", "int", std::move(params)));
  return s;
}
std::optional<bool> nullable(const spec::Spec& s, const char* p) {
  auto* e = find_docs_evidence(param_of(s, "fooCall", p).evidence, [](const auto& says) { return says.nullable.has_value(); });
  return e ? e->says.nullable : std::nullopt;
}
}  // namespace

TEST_CASE("'can be NULL' and 'If X is NULL - it is ignored' say nullable") {
  auto s = spec_with({param("a", "int *"), param("b", "void *"), param("c", "int *"), param("n", "size_t")});
  mine(s, "n.adoc",
       refpage("fooCall", "Call foo",
               "  * _a_ can be `NULL`.\n  * _b_ is the data.\n    If _b_ is `NULL`, it is ignored.\n"
               "  * _n_ can be NULL in theory but is a scalar."));
  CHECK(nullable(s, "a") == true);
  CHECK(nullable(s, "b") == true);
  CHECK_FALSE(nullable(s, "c").has_value());
  CHECK_FALSE(nullable(s, "n").has_value());
}

TEST_CASE("errors for NULL and 'must not be NULL' say not nullable - compound conditions say nothing") {
  auto s = spec_with({param("a", "int *"), param("b", "void *"), param("c", "int *"), param("n", "size_t")});
  mine(s, "n.adoc",
       refpage("fooCall", "Call foo",
               "  * _b_ must not be `NULL`.\n\n// refError\n\n"
               "{fooCall} returns {FOO_SUCCESS}. Otherwise, it returns one of the following errors:\n\n"
               "  * {FOO_INVALID_VALUE} if _a_ is `NULL`.\n"
               "  * {FOO_INVALID_VALUE} if _c_ is `NULL` and _n_ is greater than 0.\n"));
  CHECK(nullable(s, "a") == false);
  CHECK(nullable(s, "b") == false);
  CHECK_FALSE(nullable(s, "c").has_value());
}

TEST_CASE("a plain parameter name as the subject of 'if P is NULL' is that parameter") {
  auto s = spec_with({param("buf", "const void *"), param("file", "void *"), param("strm", "void *"),
                      param("data", "void *")});
  mine(s, "n.adoc",
       refpage("fooCall", "Call foo",
               "If buf is Z_NULL, this function returns the required initial value.\n"
               "It does not check to see if file is NULL.\n"
               "Possible return values: FOO_PARAM_ERROR if strm is NULL.\n"
               "If the data is NULL, nothing happens.\n"));
  CHECK(nullable(s, "buf") == true);              // "buf" is ordinary English, but here the subject
  CHECK_FALSE(nullable(s, "file").has_value());   // a test the call does not make, no condition
  CHECK(nullable(s, "strm") != std::optional<bool>(true));  // an error status (FOO_PARAM_ERROR)
  CHECK_FALSE(nullable(s, "data").has_value());   // "the data": a noun, not the parameter
}

TEST_CASE("what is said of coordinated parameters holds for each of them") {
  auto s = spec_with({param("base", "int *"), param("size", "size_t *"), param("lo", "int *"), param("hi", "int *"),
                      param("dptr", "void **"), param("bytes", "size_t *"), param("other", "int *")});
  mine(s, "n.adoc",
       refpage("fooCall", "Call foo",
               "  * _base_ is the base.\n  * _size_ is the size.\n"
               "Both parameters _base_ and _size_ are optional.\n"
               "A NULL may be passed in for _lo_ or _hi_ if the value is not desired.\n"
               "One of the parameters _dptr_ or _bytes_ (not both) can be NULL in which case it is ignored.\n"
               "The result is written to _other_ and _size_."));
  for (const char* p : {"base", "size", "lo", "hi", "dptr", "bytes"}) {
    INFO(p);
    CHECK(nullable(s, p) == true);
  }
  CHECK_FALSE(nullable(s, "other").has_value());
}

TEST_CASE("'If P or Q are NULL' followed by what the call does without them says each may be NULL") {
  auto s = spec_with({param("pending", "unsigned *"), param("bits", "int *"), param("src", "int *"), param("dst", "int *"),
                      param("head", "int *"), param("tail", "int *")});
  mine(s, "n.adoc",
       refpage("fooCall", "Call foo",
               "If _pending_ or _bits_ are Z_NULL, then those values are not set.\n"
               "If _src_ or _dst_ are NULL, FOO_STREAM_ERROR is returned.\n"
               "If head and tail are Z_NULL, then those values are not written.\n"));
  CHECK(nullable(s, "pending") == true);
  CHECK(nullable(s, "bits") == true);
  // Plain English names are the condition's subjects in that position too (zlib's style).
  CHECK(nullable(s, "head") == true);
  CHECK(nullable(s, "tail") == true);
  CHECK(nullable(s, "src") != std::optional<bool>(true));  // an error status follows
  CHECK(nullable(s, "dst") != std::optional<bool>(true));
}
