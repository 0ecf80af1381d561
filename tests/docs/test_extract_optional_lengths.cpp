// Strings with an optional array of lengths: "if lengths is NULL, all strings are
// null-terminated", "if an element in lengths is zero, its string is null-terminated":
// strings[i] is lengths[i] bytes, or NUL-terminated (an element size over both).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {

// A parameter the header counts by `count` (what the header stage says of arrays).
spec::Param counted(std::string name, std::string type, std::string count) {
  spec::Param p = param(std::move(name), std::move(type));
  spec::Evidence e;
  e.source = spec::EvidenceSource::Header;
  e.says.size = std::move(count);
  e.says.size_unit = spec::SizeUnit::Elements;
  e.weight = 0.7;
  p.evidence.push_back(e);
  return p;
}

std::string element_size(const spec::Spec& s, const char* fn, const char* p) {
  const spec::Evidence* e =
      find_docs_evidence(param_of(s, fn, p).evidence,
                         [](const spec::AnnotationPatch& a) { return a.element_size.has_value(); });
  if (!e) return "";
  CHECK(e->says.element_kind == spec::Kind::String);
  CHECK(e->says.element_size_unit == spec::SizeUnit::Bytes);
  CHECK(e->says.element_direction == spec::Direction::In);
  CHECK_FALSE(e->location.empty());
  return *e->says.element_size;
}

}  // namespace

TEST_CASE(
    "docs saying a NULL or zero length means NUL-terminated size each string by its length or its "
    "NUL",
    "[docs][optional-lengths]") {
  spec::Spec s;
  s.functions.push_back(function("fooLoadSources", "int",
                                 {param("n", "unsigned"), counted("texts", "const char **", "n"),
                                  counted("sizes", "const size_t *", "n")}));
  s.functions.push_back(
      function("fooLoadZero", "int",
               {param("n", "unsigned"), counted("src", "const char *const *", "n"),
                counted("len", "const int *", "n")}));
  // Counted by different parameters: the lengths are not the strings'.
  s.functions.push_back(
      function("fooLoadOther", "int",
               {param("n", "unsigned"), param("m", "unsigned"),
                counted("texts", "const char **", "n"), counted("sizes", "const size_t *", "m")}));
  // No condition on the lengths: a sentence about termination alone says nothing of them.
  s.functions.push_back(function("fooLoadPlain", "int",
                                 {param("n", "unsigned"), counted("texts", "const char **", "n"),
                                  counted("sizes", "const size_t *", "n")}));
  // Written strings (not const): not source the call reads.
  s.functions.push_back(function("fooGetNames", "int",
                                 {param("n", "unsigned"), counted("names", "char **", "n"),
                                  counted("sizes", "const size_t *", "n")}));
  mine(s, "h.adoc",
       refpage("fooLoadSources", "Load sources",
               "  * _texts_ is an array of _n_ pointers to optionally null-terminated strings.\n"
               "  * _sizes_ is an array with the number of chars in each string.\n"
               "If _sizes_ is `NULL`, all strings in the _texts_ argument are considered "
               "null-terminated.\n") +
           refpage("fooLoadZero", "Load sources",
                   "  * _len_ gives the length of each string. If an element in _len_ is zero, its "
                   "accompanying "
                   "string is null-terminated.\n") +
           refpage(
               "fooLoadOther", "Load sources",
               "If _sizes_ is `NULL`, all strings in _texts_ are considered null-terminated.\n") +
           refpage("fooLoadPlain", "Load sources",
                   "  * _texts_ are null-terminated strings; _sizes_ is an array of sizes.\n") +
           refpage("fooGetNames", "Get names",
                   "If _sizes_ is `NULL`, the _names_ written are null-terminated.\n"));
  CHECK(element_size(s, "fooLoadSources", "texts") ==
        "sizes != 0 && sizes[i] != 0 ? sizes[i] : strlen(texts[i]) + 1");
  CHECK(element_size(s, "fooLoadZero", "src") ==
        "len != 0 && len[i] != 0 ? len[i] : strlen(src[i]) + 1");
  CHECK(element_size(s, "fooLoadOther", "texts").empty());
  CHECK(element_size(s, "fooLoadPlain", "texts").empty());
  CHECK(element_size(s, "fooGetNames", "names").empty());
}
