#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
spec::Spec object_spec() {
  spec::Spec s;
  s.types.push_back(handle_type("foo_mem"));
  s.types.push_back(handle_type("foo_event"));
  s.functions.push_back(function("fooCreateMem", "foo_mem", {param("size", "size_t"), param("err", "int *")}));
  s.functions.push_back(function("fooReleaseMem", "int", {param("memobj", "foo_mem")}));
  s.functions.push_back(function("fooRetainMem", "int", {param("memobj", "foo_mem")}));
  s.functions.push_back(function("fooMakeMany", "int", {param("n", "unsigned"), param("out", "foo_mem *")}));
  s.functions.push_back(function("fooEnqueue", "int", {param("m", "foo_mem"), param("event", "foo_event *")}));
  return s;
}
}  // namespace

TEST_CASE("'creates' marks the returned handle (or the one handle out-parameter) as allocated") {
  auto s = object_spec();
  mine(s, "l.adoc",
       refpage("fooCreateMem", "Creates a memory object.", "  * _size_ is the size.") +
           refpage("fooMakeMany", "Creates several memory objects.", "  * _n_ is how many."));
  auto* e = find_docs_evidence(s.find_function("fooCreateMem")->evidence,
                               [](const auto& says) { return says.allocates == true; });
  REQUIRE(e);
  CHECK(e->why == "\"Creates a memory object.\"");
  CHECK(find_docs_evidence(param_of(s, "fooMakeMany", "out").evidence,
                           [](const auto& says) { return says.allocates == true; }));
}

TEST_CASE("'decrements the reference count' deallocates the handle named - increments do not") {
  auto s = object_spec();
  mine(s, "l.adoc",
       refpage("fooReleaseMem", "Decrements the memory object reference count.",
               "  * _memobj_ specifies the memory object to be released.") +
           refpage("fooRetainMem", "Increments the memory object reference count.",
                   "  * _memobj_ specifies the memory object to be released (a copy-paste slip)."));
  CHECK(find_docs_evidence(param_of(s, "fooReleaseMem", "memobj").evidence,
                           [](const auto& says) { return says.deallocates == true; }));
  CHECK_FALSE(find_docs_evidence(param_of(s, "fooRetainMem", "memobj").evidence,
                                 [](const auto& says) { return says.deallocates == true; }));
}

TEST_CASE("release of something the parameters do not name gives no claim") {
  auto s = object_spec();
  mine(s, "l.adoc", refpage("fooEnqueue", "Release OpenGL textures owned by the queue.", "  * _m_ is a thing."));
  CHECK(param_of(s, "fooEnqueue", "m").evidence.empty());
}

TEST_CASE("an output handle that 'returns an event object' is a new object") {
  auto s = object_spec();
  mine(s, "l.adoc",
       refpage("fooEnqueue", "Enqueues a command.", "  * _event_ returns an event object that identifies this command."));
  CHECK(find_docs_evidence(param_of(s, "fooEnqueue", "event").evidence,
                           [](const auto& says) { return says.allocates == true; }));
}

TEST_CASE("a sentence whose subject is the function itself releases a struct-pointer handle named by abbreviation") {
  // SQLite's style: `db_stmt *pStmt` is a handle because the pointer is the handle (kind
  // handle, handle_type db_stmt), and "statement" is what "stmt" abbreviates.
  spec::Spec s;
  auto stmt = param("pStmt", "db_stmt *");
  stmt.ann.kind = spec::Kind::Handle;
  stmt.ann.handle_type = "db_stmt";
  s.functions.push_back(function("db_finalize", "int", {stmt}));
  auto made = param("ppStmt", "db_stmt **");
  made.ann.handle_type = "db_stmt";
  s.functions.push_back(function("db_prepare", "int", {param("zSql", "const char *"), made}));
  mine(s, "l.adoc",
       refpage("db_finalize",
               "CAPI3REF: Finish A Statement. The db_finalize() function is called to delete a prepared statement.",
               "  * _pStmt_ is the statement.") +
           refpage("db_prepare", "CAPI3REF: Create A Prepared Statement Object.", "  * _zSql_ is the SQL text."));
  CHECK(find_docs_evidence(param_of(s, "db_finalize", "pStmt").evidence,
                           [](const auto& says) { return says.deallocates == true; }));
  // The label before the summary is skipped; the handle behind `**` is the one created.
  CHECK(find_docs_evidence(param_of(s, "db_prepare", "ppStmt").evidence,
                           [](const auto& says) { return says.allocates == true; }));
}
