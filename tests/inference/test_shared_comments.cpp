// One comment above several prototypes documents each one it names
// (inference/header/src/doc_placement.cpp), and the docs rules that read SQLite-style
// prose: the function as the subject, returned memory the caller frees, a harmless NULL
// named after a comparison, SQL's NULL. On tests/data/headers/sqlite_style/kvlib.h.
#include <catch2/catch.hpp>

#include "inferred_lookup.h"
#include "remora/inference/header_parser.h"

using namespace remora;

namespace {

const inference::InferResult& kvlib() {
  return test::inferred_header("sqlite_style/kvlib.h", "libkv.so.1");
}

const spec::Param& param(const char* function, const char* name) {
  return test::param_named(kvlib(), function, name);
}

}  // namespace

TEST_CASE("a comment above adjacent prototypes documents each one it names", "[header][docs]") {
  inference::HeaderParse p =
      inference::parse_header({test::headers_dir() + "sqlite_style/kvlib.h", {}, {}, "", {}, {}});
  REQUIRE(p.ok);
  auto doc_of = [&](const char* name) -> const inference::DocComment& {
    for (const auto& f : p.header.functions)
      if (f.name == name) return f.doc;
    FAIL("no function " << name);
    throw;
  };
  CHECK_FALSE(doc_of("kv_key").empty());
  CHECK(doc_of("kv_expanded_key").line == doc_of("kv_key").line);
  CHECK(doc_of("kv_undocumented").empty());  // adjacent, but the comment never names it
  CHECK(doc_of("kv_put_null").line == doc_of("kv_put_text").line);
}

TEST_CASE("SQLite-style prose: the function as subject, memory the caller frees",
          "[docs][lifecycle]") {
  REQUIRE(kvlib().ok);
  CHECK(param("kv_close", "pDb").ann.deallocates);  // "is called to destroy a database connection"
  CHECK(param("kv_close", "pDb")
            .ann.nullable);  // "Calling kv_close() with a NULL pointer ... harmless"
  const spec::Function* expanded = kvlib().spec.find_function("kv_expanded_key");
  REQUIRE(expanded);
  CHECK(expanded->ret.ann.allocates);  // "must be freed by the application"
  const spec::Function* key = kvlib().spec.find_function("kv_key");
  REQUIRE(key);
  CHECK_FALSE(key->ret.ann.allocates);
}

TEST_CASE("SQLite-style prose: what does not make a parameter nullable or an answer cacheable",
          "[docs]") {
  REQUIRE(kvlib().ok);
  CHECK(param("kv_put_text", "zText")
            .ann.nullable);  // "the second parameter to kv_put_text() is a NULL pointer"
  CHECK_FALSE(param("kv_put_text", "nText").ann.nullable);
  // Named after the NULL, as what the result is the same as.
  CHECK_FALSE(param("kv_put_null", "pDb").ann.nullable);
  // SQL's NULL value, not a NULL pointer.
  CHECK_FALSE(param("kv_value_missing", "pVal").ann.nullable);
  // "we cannot change the implementation": nothing about the answer.
  const spec::Function* version = kvlib().spec.find_function("kv_get_version");
  REQUIRE(version);
  CHECK(version->cacheable != "true");
}
