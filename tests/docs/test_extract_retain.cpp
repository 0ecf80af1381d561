// "use memory referenced by P as the storage": the library keeps P's memory after the
// call, until the object the call creates is released (retain: object); "P cannot be
// reused after the call returns": until the command the call queues completes (command).
#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
bool retained(const spec::Spec& s, const char* fn, const char* p, const std::string& until = "object") {
  const spec::Param& param = param_of(s, fn, p);
  if (param.ann.retain != until) return false;
  for (const auto& e : param.evidence)  // the sentence is quoted, with where it is
    if (e.source == spec::EvidenceSource::Docs &&
        e.why.find("retain: " + until) != std::string::npos && !e.location.empty())
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
  CHECK_FALSE(retained(s, "fooEnqueueWrite", "src"));  // kept until a command completes:
  CHECK(retained(s, "fooEnqueueWrite", "src", "command"));  // that is `command`
}

TEST_CASE("docs saying a non-blocking call's input must stay unchanged until its command completes retain it "
          "for the command") {
  spec::Spec s;
  s.types.push_back(handle_type("foo_queue"));
  s.functions.push_back(function("fooEnqueueWriteBuffer", "int",
                                 {param("queue", "foo_queue"), param("blocking_write", "int"),
                                  param("ptr", "const void *"), param("pattern", "const void *")}));
  s.functions.push_back(function("fooCopyAsync", "int",
                                 {param("dst", "void *"), param("src", "const void *"), param("tmp", "const void *"),
                                  param("bytes", "size_t")}));
  s.functions.push_back(function("fooCreateImage", "foo_queue", {param("pixels", "const void *")}));
  mine(s, "h.adoc",
       refpage("fooEnqueueWriteBuffer", "Queue a write",
               "If _blocking_write_ is FALSE, the implementation will use _ptr_ to perform a non-blocking "
               "write.\n"
               "The memory pointed to by _ptr_ cannot be reused by the application after the call returns.\n"
               "  * _pattern_ can be reused by the application after the call returns.\n") +
           refpage("fooCopyAsync", "Copy asynchronously",
                   "  * _src_ must not be modified until the copy has completed.\n"
                   "  * _tmp_ must remain valid until the call returns.\n") +
           refpage("fooCreateImage", "Create an image",
                   "  * _pixels_ must remain valid until the image is destroyed; it must not be modified "
                   "until the upload completes.\n"));
  CHECK(retained(s, "fooEnqueueWriteBuffer", "ptr", "command"));  // "cannot be reused after the call returns"
  CHECK(param_of(s, "fooEnqueueWriteBuffer", "pattern").ann.retain.empty());  // "can be reused"
  CHECK(retained(s, "fooCopyAsync", "src", "command"));  // "must not be modified until ... completed"
  CHECK(param_of(s, "fooCopyAsync", "tmp").ann.retain.empty());  // only until the call returns
  CHECK(retained(s, "fooCreateImage", "pixels"));  // kept by the object: the longer keep wins
}
