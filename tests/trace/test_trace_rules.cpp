// The evidence rules on synthetic traces: the recorder is fed hand-made records
// for an imaginary API, so each rule is checked on exactly the facts it needs.
#include "../../trace-collector/runtime/remora_trace_wire.h"
#include "../../trace-collector/src/trace_db_writer.h"
#include "remora/inference/trace_evidence.h"
#include "trace_test_util.h"

using namespace trace_test;
namespace wire = remora_wire;

namespace {

struct FakeArg {
  std::uint8_t cls = wire::kUnsigned;
  std::uint64_t value = 0;
  // Pointer facts (cls == kPointer).
  std::uint8_t pointee = wire::kPointeeVoid;
  std::uint32_t elem_size = 1;
  std::uint32_t written_end = 0;  // 0: not written
  std::uint32_t zero_tail = 0;
  std::int64_t strlen_before = -1;
  unsigned char head[8] = {1, 2, 3, 4, 5, 6, 7, 8};  // input bytes: non-zero
};

FakeArg scalar(std::uint64_t v) { return {wire::kUnsigned, v}; }
FakeArg out_bytes(std::uint32_t written_end, std::uint32_t zero_tail = 0) {
  FakeArg a;
  a.cls = wire::kPointer;
  a.value = 0x10000;
  a.written_end = written_end;
  a.zero_tail = zero_tail;
  return a;
}
FakeArg in_string(std::int64_t len) {
  FakeArg a;
  a.cls = wire::kPointer;
  a.value = 0x20000;
  a.pointee = wire::kPointeeChar;
  a.strlen_before = len;
  return a;
}

class FakeTrace {
 public:
  explicit FakeTrace(const std::string& path, const remora::spec::Spec& spec) {
    std::string error;
    REQUIRE(writer_.open(path, error));
    std::vector<std::string> names;
    for (const auto& f : spec.functions) names.push_back(f.name);
    writer_.write_functions(spec, names);
  }
  void call(std::uint32_t function, const std::vector<FakeArg>& args, std::int64_t ret = 0) {
    ++seq_;
    std::vector<unsigned char> buf(1 << 16);
    wire::MsgHeader h{};
    h.pid = 7;
    h.tid = 7;
    h.function = function;
    h.seq = seq_;
    {
      wire::Writer w(buf.data(), buf.size());
      h.type = wire::kBegin;
      w.put(h);
      w.put<std::uint32_t>(std::uint32_t(args.size()));
      for (const auto& a : args) {
        w.put<std::uint8_t>(a.cls);
        w.put<std::uint64_t>(a.value);
      }
      REQUIRE(writer_.handle_record(buf.data(), w.size()));
    }
    wire::Writer w(buf.data(), buf.size());
    h.type = wire::kEnd;
    w.put(h);
    w.put<std::uint64_t>(1000);
    w.put<std::uint8_t>(wire::kSigned);
    w.put<std::uint64_t>(std::uint64_t(ret));
    w.put<std::uint32_t>(std::uint32_t(args.size()));
    for (const auto& a : args) {
      w.put<std::uint8_t>(a.cls);
      w.put<std::uint64_t>(a.value);
      bool info = a.cls == wire::kPointer;
      w.put<std::uint8_t>(info);
      if (!info) continue;
      w.put<std::uint8_t>(std::uint8_t(wire::kReadable | wire::kExtentExact));
      w.put<std::uint8_t>(wire::kRegionHeap);
      w.put<std::uint8_t>(a.pointee);
      w.put<std::uint32_t>(a.elem_size);
      w.put<std::uint64_t>(4096);
      w.put<std::uint32_t>(4096);
      w.put<std::uint32_t>(a.written_end);  // count
      w.put<std::uint32_t>(0);              // first
      w.put<std::uint32_t>(a.written_end);
      w.put<std::uint32_t>(a.zero_tail);
      w.put<std::int64_t>(0);
      w.put<std::int64_t>(0);
      w.put<std::int64_t>(a.strlen_before);
      w.put<std::int64_t>(-1);
      w.blob(a.head, sizeof a.head);
      w.blob(nullptr, 0);
      std::string text(a.strlen_before > 0 ? std::size_t(a.strlen_before) : 0, 'x');
      w.blob(text.data(), a.strlen_before >= 0 && a.pointee == wire::kPointeeChar ? std::uint32_t(text.size()) : 0);
      w.blob(nullptr, 0);
      w.put<std::uint32_t>(0);
      w.put<std::uint32_t>(0);
    }
    REQUIRE(writer_.handle_record(buf.data(), w.size()));
  }
  void finish() { writer_.finish(); }

 private:
  remora::trace::TraceDbWriter writer_;
  std::uint64_t seq_ = 0;
};

remora::spec::Spec imaginary_api() {
  auto load = remora::spec::spec_from_json_text(R"({
    "format": "remora-spec/1", "api": { "name": "imaginary", "headers": ["imaginary.h"] },
    "functions": [
      { "name": "fill", "return": { "type": "int" }, "params": [
          { "name": "capacity", "type": "size_t" }, { "name": "flags", "type": "unsigned" },
          { "name": "out", "type": "void *" } ] },
      { "name": "copy", "return": { "type": "int" }, "params": [
          { "name": "src", "type": "const char *" }, { "name": "dst", "type": "char *" } ] } ] })");
  REQUIRE(load.ok());
  return load.spec;
}

const remora::spec::Evidence* size_claim(const remora::spec::Spec& spec, const char* fn, const char* param) {
  for (const auto& e : spec.find_function(fn)->find_param(param)->evidence)
    if (e.source == remora::spec::EvidenceSource::Trace && e.says.size) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("a size relation that holds in every call is proposed, with its counts") {
  auto spec = imaginary_api();
  std::string db = fresh_db("rules-size");
  {
    FakeTrace t(db, spec);
    t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(100), scalar(3), out_bytes(100)});
    // A small value written into zeroed memory: the last bytes did not change.
    t.call(0, {scalar(8), scalar(3), out_bytes(5, 3)});
    t.finish();
  }
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  const auto* e = size_claim(spec, "fill", "out");
  REQUIRE(e);
  INFO(e->why);
  CHECK(*e->says.size == "capacity");
  CHECK(e->why.find("extent == capacity in 3/3") != std::string::npos);
}

TEST_CASE("a size relation contradicted by one call is not proposed") {
  auto spec = imaginary_api();
  std::string db = fresh_db("rules-contradicted");
  {
    FakeTrace t(db, spec);
    t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(100), scalar(3), out_bytes(100)});
    t.call(0, {scalar(8), scalar(3), out_bytes(12)});  // wrote past `capacity`
    t.finish();
  }
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  CHECK(size_claim(spec, "fill", "out") == nullptr);
  // It was still written: direction out.
  bool out = false;
  for (const auto& e : spec.find_function("fill")->find_param("out")->evidence)
    out |= e.says.direction == remora::spec::Direction::Out;
  CHECK(out);
}

TEST_CASE("a written extent equal to an input string's length is related to strlen") {
  auto spec = imaginary_api();
  std::string db = fresh_db("rules-strlen");
  {
    FakeTrace t(db, spec);
    t.call(1, {in_string(5), out_bytes(6)});
    t.call(1, {in_string(11), out_bytes(11, 1)});  // NUL landed on a zero byte
    t.call(1, {in_string(0), out_bytes(1)});
    t.finish();
  }
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  const auto* e = size_claim(spec, "copy", "dst");
  REQUIRE(e);
  INFO(e->why);
  CHECK(*e->says.size == "strlen(src) + 1");
  // The source, only read and NUL-terminated, is a string.
  bool string = false;
  for (const auto& ev : spec.find_function("copy")->find_param("src")->evidence)
    string |= ev.says.kind == remora::spec::Kind::String;
  CHECK(string);
}

namespace {

remora::spec::Spec enumerating_api() {
  auto load = remora::spec::spec_from_json_text(R"({
    "format": "remora-spec/1", "api": { "name": "imaginary", "headers": ["imaginary.h"] },
    "functions": [
      { "name": "list_items", "return": { "type": "int" }, "params": [
          { "name": "num_entries", "type": "size_t" }, { "name": "items", "type": "uint64_t *" } ] } ] })");
  REQUIRE(load.ok());
  return load.spec;
}

FakeArg one_item_written() {
  FakeArg a = out_bytes(8);
  a.pointee = wire::kPointeeUnsigned;
  a.elem_size = 8;
  return a;
}

bool claims_element(const remora::spec::Spec& spec) {
  for (const auto& e : spec.find_function("list_items")->find_param("items")->evidence)
    if (e.source == remora::spec::EvidenceSource::Trace && e.says.kind == remora::spec::Kind::Element) return true;
  return false;
}

}  // namespace

TEST_CASE("one element written into an array whose capacity bounded it does not narrow a buffer to an element") {
  // A one-device program: capacity 16, one handle written, in every call.
  for (bool header_says_buffer : {true, false}) {
    auto spec = enumerating_api();
    if (header_says_buffer) {
      remora::spec::Evidence e;
      e.source = remora::spec::EvidenceSource::Header;
      e.says.kind = remora::spec::Kind::Buffer;
      e.says.size = "num_entries";
      e.weight = 0.8;
      spec.find_function("list_items")->find_param("items")->evidence.push_back(e);
    }
    std::string db = fresh_db(header_says_buffer ? "rules-one-of-many" : "rules-one-alone");
    {
      FakeTrace t(db, spec);
      t.call(0, {scalar(16), one_item_written()});
      t.call(0, {scalar(16), one_item_written()});
      t.finish();
    }
    remora::spec::Diagnostics diagnostics;
    remora::inference::add_trace_evidence(spec, db, diagnostics);
    INFO("header says buffer of num_entries: " << header_says_buffer);
    // With nothing else known the trace still reports what it saw; against a claimed
    // buffer whose count bounded every write it stays silent.
    CHECK(claims_element(spec) == !header_says_buffer);
  }
}

namespace {

// The imaginary API's `fill` as a query: `out` is an output buffer.
remora::spec::Spec imaginary_query_api() {
  auto spec = imaginary_api();
  auto& out = spec.find_function("fill")->find_param("out")->ann;
  out.kind = remora::spec::Kind::Buffer;
  out.direction = remora::spec::Direction::Out;
  return spec;
}

const remora::spec::Evidence* cacheable_claim(const remora::spec::Spec& spec, const char* fn) {
  for (const auto& e : spec.find_function(fn)->evidence)
    if (e.source == remora::spec::EvidenceSource::Trace && e.says.cacheable) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("a query whose repeats always answered the same is claimed cacheable") {
  auto spec = imaginary_query_api();
  std::string db = fresh_db("rules-cacheable");
  {
    FakeTrace t(db, spec);
    for (int i = 0; i < 3; ++i) t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(8), scalar(4), out_bytes(8)});
    t.call(0, {scalar(8), scalar(4), out_bytes(8)});
    t.finish();
  }
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  const auto* e = cacheable_claim(spec, "fill");
  REQUIRE(e);
  INFO(e->why);
  CHECK(*e->says.cacheable == "true");
  CHECK(e->why.find("5 calls, 2 argument sets") != std::string::npos);
}

TEST_CASE("a query that answered the same arguments differently is cacheable only without that value") {
  auto spec = imaginary_query_api();
  std::string db = fresh_db("rules-not-cacheable");
  {
    FakeTrace t(db, spec);
    t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(16), scalar(5), out_bytes(4)});
    t.call(0, {scalar(16), scalar(5), out_bytes(4)});
    t.call(0, {scalar(16), scalar(4), out_bytes(8)});  // a count that changes between calls
    t.call(0, {scalar(16), scalar(4), out_bytes(9)});
    t.finish();
  }
  remora::spec::Diagnostics diagnostics;
  remora::inference::add_trace_evidence(spec, db, diagnostics);
  const auto* e = cacheable_claim(spec, "fill");
  REQUIRE(e);
  INFO(e->why);
  CHECK(*e->says.cacheable == "flags != 4");

  // Differences under several values of every parameter: not cacheable at all.
  auto spec2 = imaginary_query_api();
  std::string db2 = fresh_db("rules-never-cacheable");
  {
    FakeTrace t(db2, spec2);
    t.call(0, {scalar(16), scalar(3), out_bytes(16)});
    t.call(0, {scalar(16), scalar(3), out_bytes(15)});
    t.call(0, {scalar(8), scalar(4), out_bytes(8)});
    t.call(0, {scalar(8), scalar(4), out_bytes(7)});
    t.finish();
  }
  remora::inference::add_trace_evidence(spec2, db2, diagnostics);
  const auto* e2 = cacheable_claim(spec2, "fill");
  REQUIRE(e2);
  CHECK(*e2->says.cacheable == "false");
}
