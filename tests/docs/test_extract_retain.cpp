// "use memory referenced by P as the storage": the library keeps P's memory after the
// call, until the object the call creates is released (retain: object).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
bool retained(const spec::Spec& s, const char* fn, const char* p) {
  const spec::Param& param = param_of(s, fn, p);
  if (param.ann.retain != "object") return false;
  for (const auto& e : param.evidence)  // the sentence is quoted, with where it is
    if (e.source == spec::EvidenceSource::Docs &&
        e.why.find("retain: object") != std::string::npos && !e.location.empty())
      return true;
  return false;
}
}  // namespace

TEST_CASE(
    "docs saying the library keeps a pointer's memory after the call retain it with the created "
    "object") {
  spec::Spec s;
  s.types.push_back(handle_type("foo_mem"));
  s.functions.push_back(
      function("fooCreateBuffer", "foo_mem",
               {param("flags", "int"), param("size", "size_t"), param("host_ptr", "void *"),
                param("data", "const void *"), param("errcode_ret", "int *")}));
  s.functions.push_back(function(
      "fooCreateView", "int",
      {param("bytes", "const void *"), param("init", "const void *"), param("view", "foo_mem *")}));
  s.functions.push_back(
      function("fooWriteData", "int", {param("mem", "foo_mem"), param("ptr", "const void *")}));
  s.functions.push_back(function("fooCreateCopy", "foo_mem",
                                 {param("src", "const void *"), param("size", "size_t")}));
  s.functions.push_back(function("fooEnqueueWrite", "int",
                                 {param("src", "const void *"), param("event", "foo_mem *")}));
  mine(
      s, "h.adoc",
      refpage("fooCreateBuffer", "Create a buffer",
              "  * _host_ptr_ is a pointer to the buffer data.\n"
              "  * _data_ must remain valid until the call returns.\n"
              "If specified, the implementation will use memory referenced by host_ptr as the "
              "storage bits for "
              "the buffer.\n") +
          refpage("fooCreateView", "Create a view",
                  "  * _bytes_ is not copied: it must remain valid until the view is destroyed.\n"
                  "  * _init_ points to the initial contents of the view.\n") +
          refpage(
              "fooWriteData", "Write data",
              "The implementation uses memory referenced by _ptr_ as the storage for the data.\n") +
          refpage("fooCreateCopy", "Create a copy",
                  "  * _src_ is copied, so it need not remain valid after the call.\n") +
          refpage("fooEnqueueWrite", "Queue a write",
                  "  * _src_ must remain valid until the write has completed and _event_ is "
                  "released.\n"));
  CHECK(retained(s, "fooCreateBuffer", "host_ptr"));  // "use memory referenced by X as the storage"
  CHECK_FALSE(retained(s, "fooCreateBuffer", "data"));  // valid only until the call returns
  CHECK(retained(s, "fooCreateView", "bytes"));  // "is not copied", object written through `view`
  CHECK_FALSE(retained(s, "fooCreateView", "init"));  // the sentence is about another parameter
  CHECK_FALSE(
      retained(s, "fooWriteData", "ptr"));  // the call creates no object to tie the memory to
  CHECK_FALSE(retained(s, "fooCreateCopy", "src"));  // "is copied"
  CHECK_FALSE(
      retained(s, "fooEnqueueWrite", "src"));  // kept until a command completes: that is `sync`
}
