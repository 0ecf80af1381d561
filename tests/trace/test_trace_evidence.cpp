// Evidence from traces: direction from writes, sizes from relations that hold
// in every call, handles and lifecycles from value flow, callbacks and userdata.
#include "remora/inference/trace_evidence.h"
#include "trace_test_util.h"

using namespace trace_test;
using remora::spec::Direction;
using remora::spec::EvidenceSource;
using remora::spec::Kind;

namespace {

// The trace evidence attached to one parameter that makes a given kind of claim.
const remora::spec::Evidence* claim(const remora::spec::Spec& spec, const std::string& fn, const std::string& param,
                                    const std::function<bool(const remora::spec::AnnotationPatch&)>& pred) {
  const auto* f = spec.find_function(fn);
  REQUIRE(f);
  const auto* p = f->find_param(param);
  REQUIRE(p);
  for (const auto& e : p->evidence)
    if (e.source == EvidenceSource::Trace && pred(e.says)) return &e;
  return nullptr;
}

remora::spec::Spec spec_with_evidence_from(const std::vector<std::string>& program, const std::string& name) {
  std::string db = fresh_db(name);
  auto r = trace(program, db);
  REQUIRE(r.ok);
  remora::spec::Spec spec = header_only_spec();
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  for (const auto& d : diagnostics) CHECK(d.severity != remora::spec::Diagnostic::Severity::Error);
  // Adding the same trace again replaces its evidence instead of doubling it.
  remora::spec::Spec again = spec;
  remora::inference::add_trace_evidence(again, db, diagnostics);
  CHECK(again == spec);
  return spec;
}

}  // namespace

#ifdef OCL_01_INFO
TEST_CASE("trace evidence from ocl-01-info: out buffers sized by the capacity, handles from their producers") {
  auto spec = spec_with_evidence_from({OCL_01_INFO}, "evidence-01");
  auto* out = claim(spec, "clGetDeviceInfo", "param_value", [](auto& s) { return s.direction == Direction::Out; });
  REQUIRE(out);
  INFO(out->why);
  CHECK(out->why.find("written in") != std::string::npos);
  auto* size = claim(spec, "clGetDeviceInfo", "param_value", [](auto& s) { return s.size.has_value(); });
  REQUIRE(size);
  INFO(size->why);
  CHECK(*size->says.size == "param_value_size");
  CHECK(size->says.size_unit == remora::spec::SizeUnit::Bytes);
  CHECK(claim(spec, "clGetDeviceInfo", "param_value", [](auto& s) { return s.nullable == true; }));
  auto* handle = claim(spec, "clGetDeviceInfo", "device", [](auto& s) { return s.kind == Kind::Handle; });
  REQUIRE(handle);
  CHECK(handle->why.find("clGetDeviceIDs.devices") != std::string::npos);
  CHECK(claim(spec, "clGetDeviceIDs", "devices", [](auto& s) { return s.element_kind == Kind::Handle; }));
  // The size_t out-parameter is one element.
  CHECK(claim(spec, "clGetDeviceInfo", "param_value_size_ret", [](auto& s) { return s.kind == Kind::Element; }));
  // Inputs only read: the device list given to clCreateContext.
  CHECK(claim(spec, "clCreateContext", "devices", [](auto& s) { return s.direction == Direction::In; }));
  // No claim is made about scalars.
  CHECK(spec.find_function("clGetDeviceInfo")->find_param("param_name")->evidence.empty());
}
#endif

#ifdef OCL_02_VECTOR_ADD
TEST_CASE("trace evidence from ocl-02-vector-add: reads sized by size, releases deallocate, creates allocate") {
  auto spec = spec_with_evidence_from({OCL_02_VECTOR_ADD}, "evidence-02");
  auto* read = claim(spec, "clEnqueueReadBuffer", "ptr", [](auto& s) { return s.size.has_value(); });
  REQUIRE(read);
  INFO(read->why);
  CHECK(*read->says.size == "size");
  CHECK(claim(spec, "clEnqueueReadBuffer", "ptr", [](auto& s) { return s.direction == Direction::Out; }));
  auto* release = claim(spec, "clReleaseMemObject", "memobj", [](auto& s) { return s.deallocates == true; });
  REQUIRE(release);
  INFO(release->why);
  bool create_allocates = false;
  for (const auto& e : spec.find_function("clCreateBuffer")->evidence)
    if (e.source == EvidenceSource::Trace && e.says.allocates == true) create_allocates = true;
  CHECK(create_allocates);
  // The source strings given to clCreateProgramWithSource are only read.
  CHECK(claim(spec, "clCreateProgramWithSource", "strings", [](auto& s) { return s.direction == Direction::In; }));
}
#endif

#ifdef OCL_02_VECTOR_ADD
TEST_CASE("one trace of a one-device program does not make getters allocate") {
  // clGetPlatformIDs / clGetDeviceIDs run once and hand out one new handle each:
  // the same as a creator's single call. The server would then "release" objects
  // the program never owned, so a lifecycle claim needs calls that agree.
  auto spec = spec_with_evidence_from({OCL_02_VECTOR_ADD}, "evidence-getters");
  auto allocates = [](const auto& s) { return s.allocates == true; };
  for (auto [fn, param] : {std::pair{"clGetPlatformIDs", "platforms"}, std::pair{"clGetDeviceIDs", "devices"}}) {
    INFO(fn);
    CHECK(claim(spec, fn, param, [](auto& s) { return s.element_kind == Kind::Handle; }));
    CHECK_FALSE(claim(spec, fn, param, allocates));
  }
  // The contexts and queues a single call made are not claimed either; buffers,
  // created once per argument, are.
  for (const char* fn : {"clCreateContext", "clCreateCommandQueueWithProperties", "clCreateCommandQueue"})
    if (const auto* f = spec.find_function(fn))
      for (const auto& e : f->evidence) CHECK_FALSE((e.source == EvidenceSource::Trace && e.says.allocates == true));
  bool buffers = false;
  for (const auto& e : spec.find_function("clCreateBuffer")->evidence)
    buffers |= e.source == EvidenceSource::Trace && e.says.allocates == true;
  CHECK(buffers);
}
#endif

TEST_CASE("trace evidence: callbacks invoked and the userdata they received") {
  auto spec = spec_with_evidence_from({TRACE_EXIT_IN_CALLBACK}, "evidence-callback");
  auto* cb = claim(spec, "clSetEventCallback", "pfn_notify", [](auto& s) { return s.kind == Kind::Callback; });
  REQUIRE(cb);
  CHECK(cb->why.find("invoked 1 time") != std::string::npos);
  auto* user = claim(spec, "clSetEventCallback", "user_data", [](auto& s) { return s.kind == Kind::Userdata; });
  REQUIRE(user);
  CHECK(user->why.find("pfn_notify") != std::string::npos);
}

TEST_CASE("a trace that is not a database gives an error diagnostic and no evidence") {
  remora::spec::Spec spec = header_only_spec();
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, "/nonexistent/trace.db", diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == remora::spec::Diagnostic::Severity::Error);
  CHECK(spec == header_only_spec());
}

#if defined(OCL_01_INFO) && defined(OCL_02_VECTOR_ADD) && defined(OCL_05_CALLBACKS)
#include "remora/spec/size_expr.h"

namespace {

std::string normalized(const std::string& expr) {
  auto parsed = remora::spec::parse_size_expr(expr);
  return parsed ? remora::spec::normalize_size_expr(*parsed.expr) : expr;
}

}  // namespace

TEST_CASE("trace claims agree with the hand-checked OpenCL truth") {
  auto truth_load = remora::spec::load_spec_file(std::string(REMORA_SOURCE_DIR) + "/tests/data/truth/opencl.truth.json");
  if (!truth_load.ok()) {
    WARN("skipped: tests/data/truth/opencl.truth.json is missing or invalid");
    return;
  }
  const auto& truth = truth_load.spec;
  remora::spec::Spec spec = header_only_spec();
  remora::spec::Diagnostics diagnostics;
  int n = 0;
  for (const char* program : {OCL_01_INFO, OCL_02_VECTOR_ADD, OCL_05_CALLBACKS, TRACE_THREADS}) {
    std::string db = fresh_db("truth-check-" + std::to_string(n++));
    REQUIRE(trace({program}, db).ok);
    remora::inference::add_trace_evidence(spec, db, diagnostics);
  }
  int claims = 0, agree = 0;
  std::string disagreements;
  for (const auto& f : spec.functions) {
    const auto* tf = truth.find_function(f.name);
    if (!tf) continue;
    for (const auto& p : f.params) {
      const auto* tp = tf->find_param(p.name);
      if (!tp || tp->status == remora::spec::ReviewStatus::Unsupported) continue;
      for (const auto& e : p.evidence) {
        if (e.source != EvidenceSource::Trace) continue;
        auto check = [&](bool ok, const std::string& what) {
          ++claims;
          if (ok) ++agree;
          else disagreements += f.name + "." + p.name + " " + what + " (" + e.why + ")\n";
        };
        if (e.says.direction) check(*e.says.direction == tp->ann.direction, "direction");
        if (e.says.kind) check(*e.says.kind == tp->ann.kind, "kind");
        if (e.says.size) check(normalized(*e.says.size) == normalized(tp->ann.size), "size " + *e.says.size);
        if (e.says.nullable && *e.says.nullable) check(tp->ann.nullable, "nullable");
        if (e.says.element_kind) check(tp->ann.element && tp->ann.element->kind == *e.says.element_kind, "element kind");
        if (e.says.deallocates) check(tp->ann.deallocates == *e.says.deallocates, "deallocates");
      }
    }
  }
  INFO(disagreements);
  CHECK(claims > 100);
  // Trace evidence is only worth its weight if what it claims is right.
  CHECK(agree >= claims * 95 / 100);
}
#endif

#ifdef OCL_06_MAP_UNMAP
TEST_CASE("trace evidence from ocl-06-map-unmap: a mapped pointer handed back is opaque") {
  auto spec = spec_with_evidence_from({OCL_06_MAP_UNMAP}, "evidence-06");
  auto* opaque = claim(spec, "clEnqueueUnmapMemObject", "mapped_ptr", [](auto& s) { return s.kind == Kind::Opaque; });
  REQUIRE(opaque);
  CHECK(opaque->why.find("clEnqueueMapBuffer.return") != std::string::npos);
  // Memory returned by a call is not an object: no allocates claim on the map call.
  for (const auto& e : spec.find_function("clEnqueueMapBuffer")->evidence)
    CHECK_FALSE((e.source == EvidenceSource::Trace && e.says.allocates == true));
}
#endif
