// The real OpenCL reference pages and registry (../shared/corpus/opencl-docs).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;
using Mode = spec::Sync::Mode;

namespace {

struct Corpus {
  spec::Spec spec;
  spec::Diagnostics diagnostics;
};

const Corpus& corpus() {
  static Corpus c = [] {
    Corpus c;
    c.spec = opencl_spec_from_registry();
    inference::add_docs_evidence(c.spec, {opencl_docs_dir()}, c.diagnostics);
    return c;
  }();
  return c;
}

#define SKIP_WITHOUT_CORPUS()                                                                          \
  if (!have_opencl_docs()) {                                                                           \
    WARN("skipped: OpenCL docs corpus not found at " + opencl_docs_dir() + " (REMORA_SHARED_DIR)"); \
    return;                                                                                            \
  }

}  // namespace

TEST_CASE("corpus: the whole OpenCL corpus reads without warnings") {
  SKIP_WITHOUT_CORPUS();
  for (const auto& d : corpus().diagnostics) WARN(spec::format_diagnostic(d));
  CHECK(corpus().diagnostics.empty());
}

TEST_CASE("corpus: clGetDeviceInfo.param_value is out - sized param_value_size bytes - nullable") {
  SKIP_WITHOUT_CORPUS();
  const auto& p = param_of(corpus().spec, "clGetDeviceInfo", "param_value");
  auto* out = find_docs_evidence(p.evidence, [](const auto& s) { return s.direction == spec::Direction::Out; });
  REQUIRE(out);
  CHECK(out->why.find("will be returned") != std::string::npos);
  CHECK(out->location.find("opencl_platform_layer.asciidoc:") != std::string::npos);
  auto* size = find_docs_evidence(p.evidence, [](const auto& s) { return s.size.has_value(); });
  REQUIRE(size);
  CHECK(*size->says.size == "param_value_size");
  CHECK(size->says.size_unit == spec::SizeUnit::Bytes);
  CHECK(find_docs_evidence(p.evidence, [](const auto& s) { return s.nullable == true; }));
}

TEST_CASE("corpus: clCreateBuffer creates - clReleaseMemObject releases - clRetainMemObject does not") {
  SKIP_WITHOUT_CORPUS();
  const auto& s = corpus().spec;
  CHECK(find_docs_evidence(s.find_function("clCreateBuffer")->evidence, [](const auto& x) { return x.allocates == true; }));
  CHECK(find_docs_evidence(param_of(s, "clReleaseMemObject", "memobj").evidence,
                           [](const auto& x) { return x.deallocates == true; }));
  CHECK_FALSE(find_docs_evidence(param_of(s, "clRetainMemObject", "memobj").evidence,
                                 [](const auto& x) { return x.deallocates == true; }));
}

TEST_CASE("corpus: clEnqueueReadBuffer is async exactly when blocking_read is CL_FALSE") {
  SKIP_WITHOUT_CORPUS();
  const auto& fn = *corpus().spec.find_function("clEnqueueReadBuffer");
  auto* e = find_docs_evidence(fn.evidence, [](const auto& x) { return x.sync && x.sync->mode == Mode::AsyncIf; });
  REQUIRE(e);
  CHECK(e->says.sync->condition == "blocking_read == CL_FALSE");
  CHECK(e->why.find("blocking_read") != std::string::npos);
  auto* w = find_docs_evidence(corpus().spec.find_function("clEnqueueWriteBuffer")->evidence,
                               [](const auto& x) { return x.sync && x.sync->mode == Mode::AsyncIf; });
  REQUIRE(w);
  CHECK(w->says.sync->condition == "blocking_write == CL_FALSE");
}

TEST_CASE("corpus: clFinish is a barrier - event wait lists are sized and nullable - callbacks found") {
  SKIP_WITHOUT_CORPUS();
  const auto& s = corpus().spec;
  CHECK(find_docs_evidence(s.find_function("clFinish")->evidence, [](const auto& x) { return x.barrier == true; }));
  const auto& wait = param_of(s, "clEnqueueNDRangeKernel", "event_wait_list");
  auto* size = find_docs_evidence(wait.evidence, [](const auto& x) { return x.size.has_value(); });
  REQUIRE(size);
  CHECK(*size->says.size == "num_events_in_wait_list");
  CHECK(find_docs_evidence(wait.evidence, [](const auto& x) { return x.nullable == true; }));
  CHECK(find_docs_evidence(param_of(s, "clBuildProgram", "pfn_notify").evidence,
                           [](const auto& x) { return x.kind == spec::Kind::Callback; }));
  CHECK(find_docs_evidence(param_of(s, "clSetEventCallback", "user_data").evidence,
                           [](const auto& x) { return x.kind == spec::Kind::Userdata; }));
  CHECK(find_docs_evidence(param_of(s, "clCreateContext", "properties").evidence,
                           [](const auto& x) { return x.size == std::optional<std::string>("terminated(properties)"); }));
}

TEST_CASE("corpus: every docs evidence quotes a sentence and points at file:line") {
  SKIP_WITHOUT_CORPUS();
  std::size_t count = 0;
  auto check = [&](const spec::Evidence& e) {
    if (e.source != spec::EvidenceSource::Docs) return;
    ++count;
    CHECK(e.why.size() >= 3);
    CHECK(e.why.front() == '"');
    CHECK(e.why.size() <= 250);
    CHECK(e.location.find(':') != std::string::npos);
    CHECK(e.weight > 0.0);
    CHECK(e.weight <= 1.0);
  };
  for (const auto& f : corpus().spec.functions) {
    for (const auto& e : f.evidence) check(e);
    for (const auto& p : f.params)
      for (const auto& e : p.evidence) check(e);
  }
  CHECK(count > 500);
}

TEST_CASE("corpus: only the host_ptr a memory object uses as its storage is retained by the object") {
  SKIP_WITHOUT_CORPUS();
  std::set<std::string> retained;
  for (const auto& f : corpus().spec.functions)
    for (const auto& p : f.params)
      if (p.ann.retain == "object") retained.insert(f.name + "." + p.name);
  // The memory-flags table of clCreateBuffer ("use memory referenced by host_ptr as the
  // storage bits"), which clCreateBufferWithProperties shares; no other page says a
  // call keeps a pointer's memory.
  CHECK(retained == std::set<std::string>{"clCreateBuffer.host_ptr",
                                          "clCreateBufferWithProperties.host_ptr"});
}

TEST_CASE("corpus: the inputs of non-blocking writes are kept until their command completes") {
  SKIP_WITHOUT_CORPUS();
  std::set<std::string> kept;
  for (const auto& f : corpus().spec.functions)
    for (const auto& p : f.params)
      if (p.ann.retain == "command") kept.insert(f.name + "." + p.name);
  // "The memory pointed to by ptr cannot be reused by the application after the call
  // returns." in the three sections on writes, each shared with the matching read (whose
  // `ptr` is an output: fusion drops it there, test_pipeline_with_docs.cpp). Nothing else.
  CHECK(kept == std::set<std::string>{"clEnqueueReadBuffer.ptr", "clEnqueueReadBufferRect.ptr",
                                      "clEnqueueReadImage.ptr", "clEnqueueWriteBuffer.ptr",
                                      "clEnqueueWriteBufferRect.ptr", "clEnqueueWriteImage.ptr"});
}
