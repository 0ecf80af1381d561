// Docs evidence inside the real pipeline: cl.h parsed by libclang, the OpenCL
// reference pages mined, fusion deciding. Skips without the corpus or header.
#include <catch2/catch.hpp>

#include "docs_test_support.h"
#include "remora/inference/pipeline.h"
#include "remora/spec/size_expr.h"

using namespace remora;
using namespace remora::docs_test;

namespace {

bool have_inputs() { return have_opencl_docs() && std::filesystem::exists("/usr/include/CL/cl.h"); }

const inference::InferResult& with_docs() {
  static inference::InferResult r = [] {
    inference::InferOptions o;
    o.header = "/usr/include/CL/cl.h";
    o.defines = {"CL_TARGET_OPENCL_VERSION=300"};
    o.docs = {opencl_docs_dir()};
    return inference::infer_spec(o);
  }();
  return r;
}

}  // namespace

TEST_CASE("pipeline: docs evidence reaches the fused OpenCL spec") {
  if (!have_inputs()) {
    WARN("skipped: needs /usr/include/CL/cl.h and " + opencl_docs_dir());
    return;
  }
  const auto& r = with_docs();
  REQUIRE(r.ok);
  for (const auto& d : r.diagnostics)  // the docs themselves read cleanly
    CHECK(d.file.find("opencl-docs") == std::string::npos);

  const auto& value = param_of(r.spec, "clGetDeviceInfo", "param_value");
  CHECK(find_docs_evidence(value.evidence, [](const auto& s) { return s.direction == spec::Direction::Out; }));
  CHECK(value.ann.direction == spec::Direction::Out);
  CHECK(value.ann.size == "param_value_size");
  CHECK(value.ann.size_unit == spec::SizeUnit::Bytes);
  CHECK(value.ann.nullable);

  const auto& read = *r.spec.find_function("clEnqueueReadBuffer");
  CHECK(read.sync.mode == spec::Sync::Mode::AsyncIf);
  CHECK(read.sync.condition == "blocking_read == CL_FALSE");
  // "The memory pointed to by ptr cannot be reused by the application after the call
  // returns.": the write's input is kept until its command completes. The read shares the
  // write's section, and its output keeps nothing (fusion keeps retain on `in` buffers only).
  CHECK(param_of(r.spec, "clEnqueueWriteBuffer", "ptr").ann.retain == "command");
  CHECK(param_of(r.spec, "clEnqueueReadBuffer", "ptr").ann.retain.empty());
  CHECK(r.spec.find_function("clEnqueueWriteBuffer")->chunk.has_value());  // still split when it blocks
  CHECK(param_of(r.spec, "clReleaseMemObject", "memobj").ann.deallocates);
  CHECK(r.spec.find_function("clFinish")->barrier);
  const auto& origin = param_of(r.spec, "clEnqueueReadBufferRect", "buffer_origin");
  CHECK(origin.ann.size == "3");
  // "If lengths is NULL, all strings ... are considered null-terminated": each source string is
  // lengths[i] bytes or NUL-terminated (the fused text is the claim's, compacted; its normal form
  // is the reviewed spec's).
  const auto& strings = param_of(r.spec, "clCreateProgramWithSource", "strings");
  REQUIRE(strings.ann.element);
  CHECK(strings.ann.element->kind == spec::Kind::String);
  CHECK(spec::normalize_size_expr_text(strings.ann.element->size) ==
        spec::normalize_size_expr_text(
            "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1"));
  CHECK(strings.ann.element->size_unit == spec::SizeUnit::Bytes);
}

TEST_CASE("pipeline: switching docs off removes every docs-file evidence") {
  if (!have_inputs()) {
    WARN("skipped: needs /usr/include/CL/cl.h and " + opencl_docs_dir());
    return;
  }
  inference::InferOptions o;
  o.header = "/usr/include/CL/cl.h";
  o.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  o.docs = {opencl_docs_dir()};
  o.use_docs_evidence = false;
  auto r = inference::infer_spec(o);
  REQUIRE(r.ok);
  for (const auto& f : r.spec.functions)
    for (const auto& p : f.params)
      for (const auto& e : p.evidence) CHECK(e.location.find("asciidoc") == std::string::npos);
}

TEST_CASE("pipeline: a query's per-selector table types the handles it returns") {
  if (!have_inputs()) {
    WARN("skipped: needs /usr/include/CL/cl.h and " + opencl_docs_dir());
    return;
  }
  const auto& r = with_docs();
  REQUIRE(r.ok);
  auto when_of = [&](const char* fn, const std::string& condition) -> const spec::When* {
    for (const auto& w : param_of(r.spec, fn, "param_value").when)
      if (w.condition == condition) return &w;
    return nullptr;
  };
  const spec::When* devices = when_of("clGetContextInfo", "param_name == CL_CONTEXT_DEVICES");
  REQUIRE(devices);
  CHECK(devices->overrides.element_kind == spec::Kind::Handle);
  CHECK(devices->overrides.size == "param_value_size / sizeof(cl_device_id)");
  CHECK(devices->overrides.size_unit == spec::SizeUnit::Elements);
  CHECK(when_of("clGetCommandQueueInfo", "param_name == CL_QUEUE_DEVICE"));
  CHECK(when_of("clGetKernelInfo", "param_name == CL_KERNEL_PROGRAM"));
  // Scalars in the same tables stay plain bytes.
  CHECK_FALSE(when_of("clGetContextInfo", "param_name == CL_CONTEXT_NUM_DEVICES"));
  // A constructor's flags select behaviour, not an output type.
  CHECK(param_of(r.spec, "clCreateBuffer", "host_ptr").when.empty());
  // Rows for constants the installed header lacks would not compile: dropped.
  CHECK_FALSE(when_of("clGetDeviceInfo", "param_name == CL_DEVICE_COMMAND_BUFFER_SYNC_DEVICES_KHR"));
  CHECK(when_of("clGetDeviceInfo", "param_name == CL_DEVICE_PLATFORM"));
  // "param_value points to an array of n pointers allocated by the caller ... sizes ... can be
  // queried using the CL_PROGRAM_BINARY_SIZES query": a buffer of output buffers.
  const spec::When* binaries = when_of("clGetProgramInfo", "param_name == CL_PROGRAM_BINARIES");
  REQUIRE(binaries);
  CHECK(binaries->overrides.direction == spec::Direction::In);
  CHECK(binaries->overrides.element_direction == spec::Direction::Out);
  CHECK(*binaries->overrides.element_size ==
        "query(clGetProgramInfo, program, CL_PROGRAM_BINARY_SIZES)[i]");
}

TEST_CASE("pipeline: a rectangle transfer's host pointer is sized from its origin and pitches") {
  if (!have_inputs()) {
    WARN("skipped: needs /usr/include/CL/cl.h and " + opencl_docs_dir());
    return;
  }
  const auto& r = with_docs();
  REQUIRE(r.ok);
  const auto& read = param_of(r.spec, "clEnqueueReadBufferRect", "ptr");
  CHECK(read.ann.size.find(
            "(host_origin[1]+region[1]-1)*(host_row_pitch==0?region[0]:host_row_pitch)") !=
        std::string::npos);
  CHECK(read.ann.size_unit == spec::SizeUnit::Bytes);
  CHECK(read.ann.direction == spec::Direction::InOut);  // only the block is written
  CHECK(r.spec.find_function("clEnqueueReadBufferRect")->supported);
  const auto& write = param_of(r.spec, "clEnqueueWriteBufferRect", "ptr");
  CHECK(write.ann.size == read.ann.size);
  CHECK(write.ann.direction == spec::Direction::In);
  // The copy between two memory objects has no host pointer: nothing of it is sized so.
  for (const auto& p : r.spec.find_function("clEnqueueCopyBufferRect")->params)
    CHECK(p.ann.size.find("pitch") == std::string::npos);
}
