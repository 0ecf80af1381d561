// A query's caller-allocated pointer array through the whole pipeline (header, AsciiDoc
// reference page, fusion): the `when` clause typing it, and its removal when the header
// lacks the constant its element size queries (the generated code would not compile).
// Data: tests/data/headers/pointer_arrays/.
#include <catch2/catch.hpp>

#include "test_support.h"

using namespace remora;

namespace {

inference::InferResult infer_prog(bool with_sizes) {
  inference::InferOptions o;
  o.header = test::headers_dir() + "pointer_arrays/prog.h";
  o.docs = {test::headers_dir() + "pointer_arrays/prog.adoc"};
  o.library = "libprog.so.1";
  o.find_library = false;
  if (with_sizes) o.defines = {"PROG_WITH_SIZES"};
  return inference::infer_spec(o);
}

const spec::When* binaries_clause(const spec::Spec& s) {
  const spec::Function* f = s.find_function("progGetInfo");
  REQUIRE(f);
  for (const auto& w : f->find_param("param_value")->when)
    if (w.condition == "param_name == PROG_BINARIES") return &w;
  return nullptr;
}

}  // namespace

TEST_CASE("pointer arrays: the caller's pointers are read, the binaries written through them",
          "[docs][when]") {
  auto r = infer_prog(true);
  REQUIRE(r.ok);
  const spec::When* w = binaries_clause(r.spec);
  REQUIRE(w);
  CHECK(w->overrides.direction == spec::Direction::In);
  CHECK(w->overrides.element_direction == spec::Direction::Out);
  CHECK(*w->overrides.element_size == "query(progGetInfo, program, PROG_BINARY_SIZES)[i]");
}

TEST_CASE("pointer arrays: a clause whose query() names a constant the header lacks is dropped",
          "[docs][when]") {
  auto r = infer_prog(false);
  REQUIRE(r.ok);
  CHECK_FALSE(binaries_clause(r.spec));
  bool noted = false;
  for (const auto& d : r.diagnostics)
    noted =
        noted || d.message.find("name constants the header does not define") != std::string::npos;
  CHECK(noted);
}
