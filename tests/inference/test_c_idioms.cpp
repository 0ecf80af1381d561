// C idioms read from a header and its doc comments (tests/data/headers/c_idioms.h, after
// SQLite's): strings with a signed length, out pointers into an input, strings the program
// frees, returned text and data, and the header seen as the C++ of the stack sees it.
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {
const auto& inferred() {
  return remora::test::inferred_header("c_idioms.h", "libkv.so.0");
}
const Param& param(const char* function, const char* name) {
  return remora::test::param_named(inferred(), function, name);
}
}  // namespace

TEST_CASE("a string whose negative length means NUL-terminated is sized by both",
          "[header][docs][c-idioms]") {
  const Param& sql = param("kv_prepare", "zSql");
  CHECK(sql.ann.kind == Kind::String);
  CHECK(sql.ann.size == "nByte<0?strlen(zSql)+1:nByte");
  CHECK(sql.ann.size_unit == SizeUnit::Bytes);
  // Of several strings, the one the sentence names.
  CHECK(param("kv_bind_named", "zText").ann.size == "nText<0?strlen(zText)+1:nText");
  CHECK(param("kv_bind_named", "zName").ann.size.empty());
  // A string without such a sentence stays a plain string.
  CHECK(param("kv_exec", "sql").ann.size.empty());
}

TEST_CASE("an out pointer made to point into an input is an address there",
          "[header][docs][c-idioms]") {
  const Param& tail = param("kv_prepare", "pzTail");
  CHECK(tail.ann.points_into == "zSql");
  CHECK(tail.ann.direction == Direction::Out);
  REQUIRE(tail.ann.element);
  CHECK(tail.ann.element->kind == Kind::Opaque);  // not a string of its own
  CHECK(param("kv_prepare", "ppStmt").ann.points_into.empty());
}

TEST_CASE("strings the program must free are allocated by the call", "[header][docs][c-idioms]") {
  CHECK(param("kv_exec", "errmsg").ann.allocates);
  CHECK(param("kv_free", "p").ann.deallocates);
}

TEST_CASE("chars a call returns are text only where the docs say they end in a zero",
          "[header][docs][c-idioms]") {
  CHECK(remora::test::function_named(inferred(), "kv_column_text").ret.ann.kind == Kind::String);
  CHECK(remora::test::function_named(inferred(), "kv_column_bytes_of").ret.ann.kind !=
        Kind::String);
}

TEST_CASE("constant data a call returns is a buffer, sized by a sibling declared with it",
          "[header][c-idioms]") {
  auto ret = [](const char* f) { return remora::test::function_named(inferred(), f).ret.ann; };
  CHECK(ret("kv_column_blob").kind == Kind::Buffer);
  CHECK(ret("kv_column_blob").direction == Direction::Out);
  CHECK(ret("kv_column_blob").size == "query(kv_column_bytes,stmt,iCol)");
  CHECK(ret("kv_column_blob").size_unit == SizeUnit::Bytes);
  // Of two size siblings, the one whose name shares the most (the "16").
  CHECK(ret("kv_column_text16").size == "query(kv_column_bytes16,stmt,iCol)");
  // Numbers counted by a length: elements.
  CHECK(ret("kv_vector_values").size == "query(kv_vector_length,stmt,iCol)");
  CHECK(ret("kv_vector_values").size_unit == SizeUnit::Elements);
  // Under another comment: data all the same, but nothing sizes it (the stack refuses it).
  CHECK(ret("kv_column_name16").kind == Kind::Buffer);
  CHECK(ret("kv_column_name16").size.empty());
}

TEST_CASE("data a call returns is sized by the one size it writes through an out parameter",
          "[header][docs][c-idioms]") {
  auto ret = [](const char* f) { return remora::test::function_named(inferred(), f).ret.ann; };
  CHECK(ret("kv_serialize").kind == Kind::Buffer);
  CHECK(ret("kv_serialize").size == "*pnSize");
  CHECK(ret("kv_serialize").size_unit == SizeUnit::Bytes);  // one-byte elements
  CHECK(ret("kv_serialize").allocates);                     // "the caller must free the returned buffer"
  CHECK(param("kv_serialize", "pnSize").ann.direction == Direction::Out);
  // Numbers: their count.
  CHECK(ret("kv_track_samples").size == "*count");
  CHECK(ret("kv_track_samples").size_unit == SizeUnit::Elements);
  // Two sizes written: neither is taken.
  CHECK(ret("kv_grid").size.empty());
  // "in: ...; out: ..." says what the parameter holds both ways: read, then written.
  CHECK(param("kv_take_output", "size").ann.direction == Direction::InOut);
  CHECK(ret("kv_take_output").size == "*size");
}

TEST_CASE("memory a call allocates or reallocates is the caller's", "[header][c-idioms]") {
  auto ret = [](const char* f) { return remora::test::function_named(inferred(), f).ret.ann; };
  CHECK(ret("kv_malloc").allocates);
  CHECK(ret("kv_realloc").allocates);
}

TEST_CASE("a plain int's failure value is the one its comment writes before a failure phrase",
          "[header][c-idioms]") {
  auto ret = [](const char* f) { return remora::test::function_named(inferred(), f).ret.ann; };
  CHECK(ret("kv_cursor_open").error == "0");    // "@c 1 if the function succeeded, @c 0 on error"
  CHECK(ret("kv_rows_written").error == "-1");  // "a negative value on failure"
  CHECK(ret("kv_row_count").error.empty());     // a count: no failure written
}

TEST_CASE("a FILE * of the calling process makes a call unsupported, with the reason",
          "[header][c-idioms]") {
  const auto& dump = remora::test::function_named(inferred(), "kv_dump");
  CHECK_FALSE(dump.supported);
  CHECK(dump.unsupported_reason.find("'out' is a FILE * of the calling process") !=
        std::string::npos);
  CHECK(remora::test::function_named(inferred(), "kv_exec").supported);
}

TEST_CASE("the header is read as the stack's C++ compiler reads it", "[header][c-idioms]") {
  // g++ predefines _GNU_SOURCE: what it declares then is in the spec.
  CHECK(inferred().spec.find_function("kv_gnu_only"));
  CHECK(inferred().spec.find_function("kv_debug_check"));
  // char16_t is a builtin type in C++: the C library's typedef of it is not recorded.
  CHECK_FALSE(inferred().spec.find_type("char16_t"));
  CHECK(param("kv_name16", "name").type == "const char16_t *");
}
