// Value flow from allocators (inference/trace/src/allocated_addresses.cpp): a real
// program of a toy device API (tests/inference/devmem/) is traced under the
// header-only spec, as a new user would, and the trace shows which pointer
// parameters received addresses the allocator handed out through `void **`.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/inference/pipeline.h"
#include "remora/trace/tracer.h"

using namespace remora;
using spec::Direction;
using spec::Kind;

namespace {

inference::InferOptions devmem_options() {
  inference::InferOptions o;
  o.header = DEVMEM_HEADER;
  o.library = "libdevmem.so";
  o.find_library = false;
  return o;
}

struct Traced {
  spec::Spec header_only, with_trace;
  trace::TraceResult run;
};

const Traced& traced() {
  static const Traced t = [] {
    Traced out;
    out.header_only = inference::infer_spec(devmem_options()).spec;
    std::string dir = std::string(REMORA_BINARY_DIR) + "/tests/inference";
    trace::TraceOptions o;
    o.argv = {DEVMEM_PROGRAM};
    // One database per process: CTest runs each test case as its own process, maybe at once.
    o.output = dir + "/devmem_program." + std::to_string(getpid()) + ".db";
    o.real_library = DEVMEM_LIB;
    o.build.cache_dir = dir + "/interposer-cache";
    spec::Diagnostics diagnostics;
    out.run = trace::trace_program(out.header_only, o, diagnostics);
    inference::InferOptions with = devmem_options();
    with.traces = {o.output};
    out.with_trace = inference::infer_spec(with).spec;
    std::filesystem::remove(o.output);
    return out;
  }();
  return t;
}

const spec::Param& param(const spec::Spec& s, const char* function, const char* name) {
  const spec::Function* f = s.find_function(function);
  REQUIRE(f);
  const spec::Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

bool is(const spec::Param& p, Direction d, Kind k) {
  return p.ann.direction == d && p.ann.kind == k;
}

}  // namespace

TEST_CASE("allocator flow: the program ran under the tracer", "[trace][allocator]") {
  REQUIRE(traced().run.ok);
  CHECK(traced().run.exit_code == 0);
  CHECK(traced().run.calls >= 30);
}

TEST_CASE("allocator flow: typed pointers given handed-out addresses become opaque",
          "[trace][allocator]") {
  const spec::Spec& before = traced().header_only;
  const spec::Spec& after = traced().with_trace;
  // The header alone reads `float *data, size_t n` as a host array of n floats.
  CHECK(param(before, "dmScale", "data").ann.kind == Kind::Buffer);
  CHECK(param(before, "dmSum", "data").ann.kind != Kind::Opaque);
  // The trace saw dmMalloc write each address into its `void **ptr`, then those
  // addresses reach these parameters: device memory, passed through.
  const spec::Param& scale = param(after, "dmScale", "data");
  CHECK(is(scale, Direction::In, Kind::Opaque));
  bool from_allocator = false;
  for (const auto& e : scale.evidence)
    from_allocator |= e.source == spec::EvidenceSource::Trace &&
                      e.why.find("dmMalloc.ptr") != std::string::npos &&
                      e.why.find("cannot read memory there") != std::string::npos;
  CHECK(from_allocator);
  CHECK(is(param(after, "dmSum", "data"), Direction::In, Kind::Opaque));
  CHECK(is(param(after, "dmMemcpyToDevice", "dst"), Direction::In, Kind::Opaque));
  CHECK(is(param(after, "dmMemcpyToHost", "src"), Direction::In, Kind::Opaque));
}

TEST_CASE("allocator flow: host memory stays a buffer", "[trace][allocator]") {
  const spec::Spec& after = traced().with_trace;
  // The program's own arrays: read from and written into by the copies.
  const spec::Param& upload = param(after, "dmMemcpyToDevice", "src");
  CHECK(is(upload, Direction::In, Kind::Buffer));
  CHECK(upload.ann.size == "count");
  const spec::Param& download = param(after, "dmMemcpyToHost", "dst");
  CHECK(is(download, Direction::Out, Kind::Buffer));
  CHECK(download.ann.size == "count");
  // A result written into the program's variable: host memory the call writes.
  const spec::Param& result = param(after, "dmSum", "result");
  CHECK(result.ann.direction == Direction::Out);
  CHECK(result.ann.kind != Kind::Opaque);
  // The allocator's own out-parameter is a host variable receiving one address.
  CHECK(is(param(after, "dmMalloc", "ptr"), Direction::Out, Kind::Element));
}
