// A query's table row typed as an array of caller-allocated data pointers, whose
// sizes another row of the same table returns: a buffer of output buffers sized by
// query(FN, object, SIZES)[i] (inference/docs/src/selector_types.cpp).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {

spec::Spec program_spec() {
  spec::Spec s;
  s.types.push_back(handle_type("prog_t"));
  s.functions.push_back(
      function("progGetInfo", "int",
               {param("program", "prog_t"), param("param_name", "unsigned int"),
                param("param_value_size", "size_t"), param("param_value", "void *"),
                param("param_value_size_ret", "size_t *")}));
  return s;
}

// The clGetProgramInfo table, cut down: a size_t[] row, a caller-allocated pointer array
// naming it, and pointers the library owns (nothing says the caller allocates them).
const char* kPage =
    "  * _param_value_size_ specifies the size in bytes of memory pointed to by\n"
    "    _param_value_.\n"
    "\n"
    "|====\n"
    "| Program Info | Return Type | Description\n"
    "| {PROG_BINARY_SIZES_anchor}\n"
    "  | {size_t_TYPE}[]\n"
    "      | Returns an array that contains the size in bytes of the program\n"
    "        binary for each device associated with program.\n"
    "| {PROG_BINARIES_anchor}\n"
    "  | {unsigned_char_TYPE}*[]\n"
    "      | Return the program binaries for all devices associated with program.\n"
    "\n"
    "        param_value points to an array of `n` pointers allocated by the\n"
    "        caller, where `n` is the number of devices associated with program.\n"
    "        The buffer sizes needed to allocate the memory that these `n`\n"
    "        pointers refer to can be queried using the {PROG_BINARY_SIZES}\n"
    "        query as described in this table.\n"
    "| {PROG_KERNEL_NAMES_anchor}\n"
    "  | {char_TYPE}*[]\n"
    "      | Returns pointers to the kernel names, owned by the implementation.\n"
    "        Their sizes are those of {PROG_BINARY_SIZES}.\n"
    "| {PROG_OWNED_anchor}\n"
    "  | {char_TYPE}*[]\n"
    "      | param_value points to an array of pointers allocated by the caller.\n"
    "        Their sizes can be queried using {PROG_KERNEL_NAMES}.\n"
    "|====\n";

const spec::When* when_of(const spec::Spec& s, const std::string& condition) {
  for (const auto& w : param_of(s, "progGetInfo", "param_value").when)
    if (w.condition == condition) return &w;
  return nullptr;
}

}  // namespace

TEST_CASE(
    "a caller-allocated pointer array sized by another row becomes a buffer of output buffers") {
  auto s = program_spec();
  mine(s, "p.adoc", refpage("progGetInfo", "Query a program", kPage));
  const spec::When* w = when_of(s, "param_name == PROG_BINARIES");
  REQUIRE(w);
  CHECK(w->overrides.direction == spec::Direction::In);
  CHECK(w->overrides.kind == spec::Kind::Buffer);
  CHECK(*w->overrides.size == "param_value_size / sizeof(unsigned char *)");
  CHECK(w->overrides.size_unit == spec::SizeUnit::Elements);
  CHECK(w->overrides.element_kind == spec::Kind::Buffer);
  CHECK(w->overrides.element_direction == spec::Direction::Out);
  CHECK(*w->overrides.element_size == "query(progGetInfo, program, PROG_BINARY_SIZES)[i]");
  CHECK(w->overrides.element_size_unit == spec::SizeUnit::Bytes);
  CHECK(find_docs_evidence(param_of(s, "progGetInfo", "param_value").evidence,
                           [](const auto&) { return true; }));
}

TEST_CASE(
    "pointer arrays the caller does not allocate, or sized by a non-integer row, get no clause") {
  auto s = program_spec();
  mine(s, "p.adoc", refpage("progGetInfo", "Query a program", kPage));
  // The library's own pointers come back as plain bytes: nothing is written through them.
  CHECK_FALSE(when_of(s, "param_name == PROG_KERNEL_NAMES"));
  // "allocated by the caller", but the row it names is a pointer array, not sizes.
  CHECK_FALSE(when_of(s, "param_name == PROG_OWNED"));
  CHECK_FALSE(when_of(s, "param_name == PROG_BINARY_SIZES"));
}

TEST_CASE(
    "a pointer array in a query whose selector is not followed by size and value gets no clause") {
  // query() calls FN with the leading arguments then (size, value, size_ret): another order
  // could not be called that way.
  spec::Spec s;
  s.types.push_back(handle_type("prog_t"));
  s.functions.push_back(
      function("progGetInfo", "int",
               {param("param_name", "unsigned int"), param("program", "prog_t"),
                param("param_value_size", "size_t"), param("param_value", "void *"),
                param("param_value_size_ret", "size_t *")}));
  mine(s, "p.adoc", refpage("progGetInfo", "Query a program", kPage));
  CHECK_FALSE(when_of(s, "param_name == PROG_BINARIES"));
}
