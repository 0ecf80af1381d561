// The hand-written ground truth (tests/data/truth/) must stay usable by the
// accuracy harness: it loads with the real remora-spec/1 reader without a
// single warning, covers the required part of each API, names only functions
// that exist in the real header, and every size expression and `when`
// condition refers to parameters of its own function.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "remora/spec/json_io.h"
#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

std::string truth_path(const std::string& file) {
  return std::string(REMORA_SOURCE_DIR) + "/tests/data/truth/" + file;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_pointer_type(const std::string& type) {
  return type.find('*') != std::string::npos || type.find('[') != std::string::npos;
}

// The header declares `name(` as a whole word (not as a prefix of a longer
// name); also `name OF((` (zlib's prototype macro), `name (` and
// `WRAP(name) (` (bzip2's BZ_API).
bool declares(const std::string& header, const std::string& name) {
  for (auto at = header.find(name); at != std::string::npos; at = header.find(name, at + 1)) {
    char before = at == 0 ? ' ' : header[at - 1];
    if (std::isalnum(static_cast<unsigned char>(before)) || before == '_') continue;
    auto after = header.find_first_not_of(" \t", at + name.size());
    if (after != std::string::npos && header[after] == ')') after = header.find_first_not_of(" \t", after + 1);
    if (after == std::string::npos) break;
    if (header[after] == '(' || header.compare(after, 4, "OF((") == 0) return true;
  }
  return false;
}

// Every identifier-like word of a C condition ("kind == cudaMemcpyHostToDevice")
// that names a parameter, or an ALL_CAPS / api-prefixed constant.
std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> out;
  std::string word;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else if (!word.empty()) {
      if (!std::isdigit(static_cast<unsigned char>(word[0]))) out.insert(word);
      word.clear();
    }
  }
  return out;
}

void check_size(const Function& fn, const std::string& where, const std::string& size) {
  if (size.empty()) return;
  INFO(fn.name << "." << where << " size '" << size << "'");
  auto parsed = parse_size_expr(size);
  REQUIRE(parsed);
  for (const auto& p : size_expr_params(*parsed.expr)) CHECK(fn.find_param(p) != nullptr);
}

void check_truth(const std::string& file, const std::string& header_path, std::size_t min_functions) {
  SpecLoad load = load_spec_file(truth_path(file));
  for (const auto& e : load.errors) FAIL_CHECK(file << ": " << format_issue(e));
  REQUIRE(load.ok());
  const Spec& spec = load.spec;
  // The only tolerated warning: a buffer whose extent the size language cannot
  // express (image host_ptr, rect transfers, kernel args), and the label's own
  // note must say so, so that every such gap is a deliberate one.
  for (const auto& w : load.warnings) {
    INFO(file << " (warning): " << format_issue(w));
    bool deliberate = false;
    // load_spec_file prefixes `where` with "<path>: "; what follows is "function.param".
    std::string where = w.where.substr(w.where.rfind(": ") == std::string::npos ? 0 : w.where.rfind(": ") + 2);
    auto dot = where.find('.');
    if (w.message.find("no size expression") != std::string::npos && dot != std::string::npos) {
      const Function* fn = spec.find_function(where.substr(0, dot));
      const Param* p = fn ? fn->find_param(where.substr(dot + 1)) : nullptr;
      if (p)
        for (const auto& e : p->evidence) deliberate |= e.why.find("not expressible") != std::string::npos;
    }
    CHECK(deliberate);
  }
  CHECK(spec.functions.size() >= min_functions);

  std::string header = read_text(header_path);
  bool have_header = !header.empty();
  if (!have_header) WARN(header_path << " not found: skipping the header cross-check");

  std::set<std::string> names;
  for (const Function& fn : spec.functions) {
    INFO(file << ": " << fn.name);
    CHECK(names.insert(fn.name).second);  // no duplicates
    if (have_header) CHECK(declares(header, fn.name));
    CHECK(fn.status == ReviewStatus::Confirmed);
    check_size(fn, "return", fn.ret.ann.size);
    for (const Param& p : fn.params) {
      INFO(p.name << " : " << p.type);
      CHECK(!p.name.empty());
      CHECK(p.status == ReviewStatus::Confirmed);
      if (is_pointer_type(p.type)) {
        // A pointer is never a plain value; an in-only pointer is never written.
        CHECK(p.ann.kind != Kind::Value);
        if (p.ann.kind == Kind::Buffer && p.ann.element) CHECK(p.ann.element->kind != Kind::Value);
      } else if (p.ann.kind == Kind::Value || p.ann.kind == Kind::Handle) {
        CHECK(p.ann.direction == Direction::In);
      } else if (p.ann.kind != Kind::Callback) {  // function-pointer typedefs are callbacks
        // A typedef of a pointer (zlib's z_streamp, voidp): only a hand-written
        // label with its reason makes it a pointee, never a default.
        CHECK_FALSE(p.evidence.empty());
      }
      check_size(fn, p.name, p.ann.size);
      for (const When& w : p.when) {
        INFO("when " << w.condition);
        CHECK(!w.condition.empty());
        bool names_a_param = false;
        for (const auto& word : words_of(w.condition)) names_a_param |= fn.find_param(word) != nullptr;
        CHECK(names_a_param);
        if (w.overrides.size) check_size(fn, p.name + " (when)", *w.overrides.size);
      }
    }
    if (fn.sync.mode == Sync::Mode::AsyncIf) {
      bool names_a_param = false;
      for (const auto& word : words_of(fn.sync.condition)) names_a_param |= fn.find_param(word) != nullptr;
      CHECK(names_a_param);
    }
  }
}

}  // namespace

TEST_CASE("OpenCL truth loads cleanly and covers the core API", "[truth]") {
  check_truth("opencl.truth.json", "/usr/include/CL/cl.h", 60);
  SpecLoad load = load_spec_file(truth_path("opencl.truth.json"));
  REQUIRE(load.ok());
  // Spot checks that pin the reading of the docs the harness depends on.
  const Function* read = load.spec.find_function("clEnqueueReadBuffer");
  REQUIRE(read);
  CHECK(read->sync.mode == Sync::Mode::AsyncIf);
  const Param* ptr = read->find_param("ptr");
  REQUIRE(ptr);
  CHECK(ptr->ann.direction == Direction::Out);
  CHECK(ptr->ann.kind == Kind::Buffer);
  CHECK(normalize_size_expr_text(ptr->ann.size) == normalize_size_expr_text("size"));
  const Function* ctx = load.spec.find_function("clCreateContext");
  REQUIRE(ctx);
  CHECK(ctx->ret.ann.allocates);
  CHECK(ctx->find_param("properties")->ann.size == "terminated(properties)");
  CHECK(ctx->find_param("devices")->ann.element->kind == Kind::Handle);
}

TEST_CASE("CUDA runtime truth loads cleanly and covers the core API", "[truth]") {
  check_truth("cuda_runtime.truth.json", "/usr/local/cuda/include/cuda_runtime_api.h", 50);
  SpecLoad load = load_spec_file(truth_path("cuda_runtime.truth.json"));
  REQUIRE(load.ok());
  const Function* memcpy = load.spec.find_function("cudaMemcpy");
  REQUIRE(memcpy);
  const Param* dst = memcpy->find_param("dst");
  REQUIRE(dst);
  CHECK(dst->ann.kind == Kind::Opaque);
  CHECK(!dst->when.empty());
  const Function* malloc = load.spec.find_function("cudaMalloc");
  REQUIRE(malloc);
  CHECK(malloc->find_param("devPtr")->ann.direction == Direction::Out);
  CHECK(malloc->find_param("devPtr")->ann.allocates);
}

// The corpus truths beyond OpenCL (tests/data/corpus/corpus.json, docs/accuracy.md).
TEST_CASE("corpus truths load cleanly and name only declared functions", "[truth]") {
  struct Case {
    const char* file;
    const char* header;
    std::size_t min_functions;
  };
  for (const Case& c : {Case{"cuda_driver.truth.json", "/usr/local/cuda/include/cuda.h", 60},
                        Case{"curand.truth.json", "/usr/local/cuda/include/curand.h", 20},
                        Case{"nvrtc.truth.json", "/usr/local/cuda/include/nvrtc.h", 20},
                        Case{"vulkan.truth.json", "/usr/include/vulkan/vulkan_core.h", 50},
                        Case{"zlib.truth.json", "/usr/include/zlib.h", 50},
                        Case{"sqlite3.truth.json", "/usr/include/sqlite3.h", 50},
                        Case{"bzip2.truth.json", "/usr/include/bzlib.h", 15}}) {
    INFO(c.file);
    check_truth(c.file, c.header, c.min_functions);
  }
  SpecLoad vk = load_spec_file(truth_path("vulkan.truth.json"));
  REQUIRE(vk.ok());
  // Two-call enumeration, read from vk.xml: the count is in and out, the array sized by it.
  const Function* enumerate = vk.spec.find_function("vkEnumeratePhysicalDevices");
  REQUIRE(enumerate);
  CHECK(enumerate->find_param("pPhysicalDeviceCount")->ann.direction == Direction::InOut);
  CHECK(enumerate->find_param("pPhysicalDevices")->ann.size == "*pPhysicalDeviceCount");
  CHECK(enumerate->find_param("pPhysicalDevices")->ann.nullable);
  SpecLoad driver = load_spec_file(truth_path("cuda_driver.truth.json"));
  REQUIRE(driver.ok());
  // Functions carry the name the header spells and the versioned symbol.
  const Function* alloc = driver.spec.find_function("cuMemAlloc");
  REQUIRE(alloc);
  CHECK(alloc->symbol == "cuMemAlloc_v2");
}
