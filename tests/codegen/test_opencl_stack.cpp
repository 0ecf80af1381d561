// End to end on OpenCL: generate and build the stack from the human-reviewed spec
// (specs/opencl.reviewed.json) and from the spec inferred from the real cl.h (and the
// reference docs), run every sample program natively on pocl and through the stack
// (unix socket, and a few over TCP loopback, shared memory and a delayed link), and
// require the native output.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"
#include "remora_transport.h"
#include "stack_fixture.h"

using namespace remora;
using namespace remora::test;
namespace fs = std::filesystem;

namespace {

const char* kRealOpenCL = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";

struct Expectation {
  bool pass = true;
  std::vector<std::string> env;
  std::string reason;
};

// tests/codegen/opencl_remoting.txt: "<spec> <sample> pass [ENV...]" or "<spec> <sample> known-gap <reason>".
std::map<std::string, Expectation> expectations(const std::string& spec_tag) {
  std::map<std::string, Expectation> out;
  std::istringstream in(read_file(OPENCL_EXPECTATIONS));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string tag, name, verdict, word;
    words >> tag >> name >> verdict;
    if (tag != spec_tag) continue;
    Expectation e;
    e.pass = verdict == "pass";
    while (words >> word) {
      if (e.pass) e.env.push_back(word);
      else e.reason += (e.reason.empty() ? "" : " ") + word;
    }
    out[name] = e;
  }
  return out;
}

struct Sample {
  std::string name, exe, expected_path;
};

std::vector<Sample> samples() {
  std::vector<Sample> out;
  std::istringstream lines(read_file(OPENCL_SAMPLES_FILE));
  Sample s;
  while (lines >> s.name >> s.exe >> s.expected_path) out.push_back(s);
  return out;
}

bool opencl_available() {
  return !samples().empty() && fs::exists(kRealOpenCL) && fs::exists("/usr/include/CL/cl.h");
}

// Native output of every sample on pocl, computed once per test run.
const std::map<std::string, CommandResult>& native_runs() {
  static std::map<std::string, CommandResult> runs;
  if (runs.empty())
    for (const auto& s : samples()) runs[s.name] = run_program({s.exe}, {}, 120);
  return runs;
}

// Runs every sample through the stack in `dir`; returns how many matched their native output.
// Samples in over_shm also run over shm:, and through a 200 us delayed link (test-only
// wrapper over shm:) when in over_delay.
int run_samples(const std::string& dir, const std::string& spec_tag, const std::set<std::string>& over_tcp,
                const std::set<std::string>& over_shm = {}, const std::set<std::string>& over_delay = {}) {
  std::string unix_addr = "unix:" + temp_socket_path("opencl-" + spec_tag);
  std::string tcp_addr = "tcp:127.0.0.1:" + std::to_string(free_tcp_port());
  std::string shm_addr = "shm:" + temp_socket_path("opencl-shm-" + spec_tag);
  std::string delay_addr = "delay:200:" + shm_addr;
  ServerProcess unix_server(dir + "/build/server/opencl-server", unix_addr, kRealOpenCL);
  ServerProcess tcp_server(dir + "/build/server/opencl-server", tcp_addr, kRealOpenCL);
  REQUIRE(unix_server.ready());
  REQUIRE(tcp_server.ready());
  std::unique_ptr<ServerProcess> shm_server;
  if (!over_shm.empty()) {
    shm_server = std::make_unique<ServerProcess>(dir + "/build/server/opencl-server", shm_addr, kRealOpenCL);
    REQUIRE(shm_server->ready());
  }
  auto server_log = [&](const std::string& addr) {
    return addr == unix_addr ? unix_server.log() : addr == tcp_addr ? tcp_server.log() : shm_server->log();
  };
  auto expect = expectations(spec_tag);
  int passed = 0;
  for (const auto& s : samples()) {
    const CommandResult& native = native_runs().at(s.name);
    INFO(s.name << " natively; stderr:\n" << native.errors);
    REQUIRE(native.status == 0);
    REQUIRE(native.output == read_file(s.expected_path));
    auto it = expect.find(s.name);
    Expectation e = it == expect.end() ? Expectation{} : it->second;
    std::vector<std::string> addrs{unix_addr};
    if (over_tcp.count(s.name)) addrs.push_back(tcp_addr);
    if (over_shm.count(s.name)) addrs.push_back(shm_addr);
    if (over_shm.count(s.name) && over_delay.count(s.name)) addrs.push_back(delay_addr);
    bool all_ok = true;
    for (const auto& addr : addrs) {
      std::vector<std::string> env = e.env;
      env.push_back("LD_LIBRARY_PATH=" + dir + "/build/guest");
      env.push_back("REMORA_SERVER=" + addr);
      // A sample runs its loops a few times: over shm, buffers are shared from their second
      // use (not the 16th), so that shared pages carry real transfers through the stack.
      if (addr == shm_addr || addr == delay_addr) env.push_back("REMORA_SHM_SHARE_AFTER=2");
      auto run = run_program({s.exe}, env, 120);
      bool ok = run.status == 0 && run.output == native.output;
      all_ok = all_ok && ok;
      if (e.pass) {
        INFO(s.name << " through the " << spec_tag << " stack over " << addr << "; stderr:\n"
                    << run.errors << "\nserver log:\n"
                    << server_log(addr));
        CHECK(run.output == native.output);
        CHECK(run.status == 0);
      }
    }
    if (e.pass) {
      passed += all_ok;
    } else if (all_ok) {
      WARN(s.name << " now passes through the " << spec_tag
                  << " stack; mark it 'pass' in tests/codegen/opencl_remoting.txt");
    } else {
      WARN(s.name << " does not run through the " << spec_tag << " stack (known gap: " << e.reason << ")");
    }
  }
  return passed;
}

// Wire fingerprint and function ids of a spec, as the generated stack has them.
struct SpecWire {
  unsigned long long fingerprint = 0;
  std::map<std::string, std::uint32_t> ids;
};

SpecWire spec_wire(const std::string& spec_path) {
  SpecWire out;
  auto load = spec::load_spec_file(spec_path);
  REQUIRE(load.ok());
  for (std::size_t i = 0; i < load.spec.functions.size(); ++i)
    out.ids[load.spec.functions[i].name] = static_cast<std::uint32_t>(i);
  codegen::GenerateOptions opt;
  opt.out_dir = (fs::temp_directory_path() / ("remora-ocl-wire-" + std::to_string(getpid()))).string();
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(load.spec, opt, report, error));
  fs::remove_all(opt.out_dir);
  out.fingerprint = report.fingerprint;
  return out;
}

// A hostile guest's one call of `fn` with these fields (after the hello): the error the
// server answers with ("" when it did not refuse the call).
std::string hostile_call(const std::string& addr, const SpecWire& wire, const char* fn,
                         const Writer& w);

// A hostile guest: clEnqueueWriteBufferRect whose ptr size reads region[0..2] while
// region is absent or short. The server must answer with an error, not read past region.
std::string hostile_rect_call(const std::string& addr, const SpecWire& wire, bool region_present) {
  Writer w;
  w.put_u64(0);                        // command_queue (NULL passes; the library would report it)
  w.put_u64(0);                        // buffer
  w.put_value<std::uint32_t>(1);       // blocking_write = CL_TRUE
  for (int i = 0; i < 4; ++i) w.put_value<std::uint64_t>(0);  // the four pitches
  w.put_value<std::uint32_t>(0);       // num_events_in_wait_list
  for (int i = 0; i < 2; ++i) {        // buffer_origin, host_origin: three size_t each
    w.put_u8(1);
    w.put_u64(3);
    for (int k = 0; k < 3; ++k) w.put_value<std::uint64_t>(0);
  }
  w.put_u8(region_present ? 1 : 0);    // region: absent, or only one element
  if (region_present) {
    w.put_u64(1);
    w.put_value<std::uint64_t>(4);
  }
  w.put_u8(1);                         // ptr: 16 bytes
  w.put_u64(16);
  for (int i = 0; i < 16; ++i) w.put_u8(7);
  w.put_u8(0);                         // event_wait_list
  w.put_u8(0);                         // event
  return hostile_call(addr, wire, "clEnqueueWriteBufferRect", w);
}

// A hostile guest: clCreateProgramWithSource whose source strings do not match their sizes
// (`lengths[i]` bytes, or NUL-terminated when lengths is NULL or lengths[i] is 0). The
// context is NULL: the server refuses before the library would report it.
std::string hostile_source_call(const std::string& addr, const SpecWire& wire,
                                const std::vector<std::string>& strings,
                                const std::vector<std::uint64_t>* lengths) {
  Writer w;
  w.put_u64(0);  // context
  w.put_value<std::uint32_t>(static_cast<std::uint32_t>(strings.size()));
  w.put_u8(1);
  w.put_u64(strings.size());
  for (const auto& s : strings) {  // each element: presence, byte count, bytes
    w.put_u8(1);
    w.put_u64(s.size());
    w.put_raw(s.data(), s.size());
  }
  w.put_u8(lengths ? 1 : 0);
  if (lengths) {
    w.put_u64(lengths->size());
    for (auto n : *lengths) w.put_value<std::uint64_t>(n);
  }
  w.put_u8(1);  // errcode_ret: the program's value
  w.put_value<std::int32_t>(0);
  return hostile_call(addr, wire, "clCreateProgramWithSource", w);
}

std::string hostile_call(const std::string& addr, const SpecWire& wire, const char* fn,
                         const Writer& w) {
  Address a;
  std::string err;
  REQUIRE(parse_address(addr, a, err));
  auto stream = connect_to(a, 2000, err);
  REQUIRE(stream);
  Writer hello;
  hello.put_u32(kProtocolVersion);
  hello.put_u64(wire.fingerprint);
  hello.put_string("OpenCL");
  REQUIRE(send_frame(*stream, kMsgHello, 0, 0, hello.data(), hello.size()));
  FrameHeader h;
  std::vector<unsigned char> body;
  REQUIRE(recv_frame(*stream, h, body) == FrameResult::Ok);
  REQUIRE(h.type == kMsgHelloOk);
  REQUIRE(send_frame(*stream, wire.ids.at(fn), 1, 0, w.data(), w.size()));
  REQUIRE(recv_frame(*stream, h, body) == FrameResult::Ok);
  REQUIRE(h.type == kMsgReply);
  Reader r(body.data(), body.size());
  std::uint32_t status = kReplyOk;
  REQUIRE(r.get_u32(status));
  CHECK(status != kReplyOk);
  bool present = false;
  std::uint64_t n = 0;
  if (r.get_presence(present) && present && r.get_u64(n) && n <= r.remaining())
    return std::string(reinterpret_cast<const char*>(r.take(n)), n);
  return "";
}

}  // namespace

TEST_CASE("OpenCL samples run through the stack generated from the reviewed spec", "[codegen][opencl]") {
  if (!opencl_available()) {
    WARN("OpenCL end-to-end test skipped: no OpenCL samples, ocl-icd or cl.h on this machine");
    return;
  }
  std::string dir = opencl_stack_root() + "/reviewed";
  build_generated_stack(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json", dir, "libOpenCL.so.1");
  int passed = run_samples(dir, "reviewed",
                           {"ocl-02-vector-add", "ocl-05-callbacks", "ocl-09-nonblocking", "ocl-16-rect-transfers"},
                           // Over shm: payloads of 16 KiB or more are placed and used in place
                           // (images, binaries, a buffer that keeps host_ptr, read callbacks), and
                           // buffers of 1 MiB or more that requests reuse are shared in place.
                           {"ocl-02-vector-add", "ocl-03-matmul-local", "ocl-05-callbacks", "ocl-06-map-unmap",
                            "ocl-08-images", "ocl-09-nonblocking", "ocl-11-call-intensive",
                            "ocl-13-program-binaries", "ocl-16-rect-transfers", "ocl-18-use-host-ptr",
                            // 4 MiB arrays each iteration: shared pages (remora_shared_pages.h).
                            "ocl-32-read-callbacks", "ocl-38-in-order-transfers"},
                           {"ocl-02-vector-add", "ocl-05-callbacks"});
  auto expect = expectations("reviewed");
  std::size_t gaps = 0;
  for (const auto& [name, e] : expect) gaps += !e.pass;
  WARN(passed << " of " << samples().size() << " OpenCL samples produced their native output through the stack "
              "generated from the reviewed spec (" << gaps << " documented known gaps)");
  CHECK(static_cast<std::size_t>(passed) + gaps == samples().size());

  // The size of a rect transfer's ptr indexes region[]: a guest that leaves region out
  // or sends too few elements gets an error reply.
  std::string addr = "unix:" + temp_socket_path("opencl-hostile");
  ServerProcess server(dir + "/build/server/opencl-server", addr, kRealOpenCL);
  REQUIRE(server.ready());
  auto wire = spec_wire(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json");
  // An absent region: refused as a NULL the spec does not allow (before ptr's size reads it).
  const std::string absent = hostile_rect_call(addr, wire, false);
  CHECK((absent.find("region: NULL for 3 elements") != std::string::npos ||
         absent.find("its size reads region[2], but region has 0 elements") != std::string::npos));
  CHECK(hostile_rect_call(addr, wire, true).find("1 elements sent, 3 required") != std::string::npos);

  // Source strings that do not match their sizes are refused before pocl sees them (a
  // lengths[i] past the bytes sent made it memcpy a negative size: tests/fuzz/README.md).
  const std::vector<std::uint64_t> huge{16, 0xffffffffffffff00ULL}, longer{16, 300}, zeros{0, 0};
  CHECK(hostile_source_call(addr, wire, {"#define SCALE 3\n", "int x;"}, &huge)
            .find("clCreateProgramWithSource.strings: element 1 has no size") != std::string::npos);
  CHECK(hostile_source_call(addr, wire, {"#define SCALE 3\n", "int x;"}, &longer)
            .find("element 1: 6 elements sent, exactly 300 required") != std::string::npos);
  CHECK(
      hostile_source_call(addr, wire, {"#define SCALE 3\n", std::string("int x;\0", 7)}, nullptr)
          .find(
              "element 0 is NUL-terminated by its size, but no NUL is within the 16 bytes sent") !=
      std::string::npos);
  CHECK(
      hostile_source_call(addr, wire, {std::string("#define A 1\n\0", 13), "int x;"}, &zeros)
          .find("element 1 is NUL-terminated by its size, but no NUL is within the 6 bytes sent") !=
      std::string::npos);
  // A NUL sent before the end of a NUL-terminated element: the bytes after it are not the string's.
  CHECK(hostile_source_call(addr, wire, {std::string("int x;\0junk", 11)}, nullptr)
            .find("element 0: 11 elements sent, exactly 7 required") != std::string::npos);

  // The spec says a queue created without CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE is in order
  // (`in_order`): a later command's completion there (a waited event, a blocking read)
  // retires the inputs held for earlier event-less non-blocking writes. ocl-38 would hold
  // 64 MiB of them until its clFinish without that; under a 24 MiB bound it must still
  // match native, over unix and over shm.
  for (const auto& s : samples()) {
    if (s.name != "ocl-38-in-order-transfers") continue;
    for (const std::string scheme : {"unix:", "shm:"}) {
      const std::string held_addr = scheme + temp_socket_path("opencl-held");
      ServerProcess bounded(dir + "/build/server/opencl-server", held_addr, kRealOpenCL,
                            {"REMORA_MAX_MESSAGE=16M", "REMORA_MAX_HELD=24M"});
      REQUIRE(bounded.ready());
      auto run = run_program(
          {s.exe}, {"LD_LIBRARY_PATH=" + dir + "/build/guest", "REMORA_SERVER=" + held_addr}, 120);
      INFO(scheme << " guest stderr:\n" << run.errors << "\nserver log:\n" << bounded.log());
      CHECK(run.status == 0);
      CHECK(run.output == native_runs().at(s.name).output);
      CHECK(bounded.log().find("exceed the per-guest bound") == std::string::npos);
    }
  }
}

TEST_CASE("OpenCL samples run through the stack generated from the inferred spec", "[codegen][opencl]") {
  if (!opencl_available()) {
    WARN("OpenCL end-to-end test skipped: no OpenCL samples, ocl-icd or cl.h on this machine");
    return;
  }
  std::string dir = opencl_stack_root() + "/inferred";
  fs::create_directories(dir);
  std::string spec = dir + "/opencl.spec.json";
  std::vector<std::string> infer{REMORA_CLI, "infer", "/usr/include/CL/cl.h", "-DCL_TARGET_OPENCL_VERSION=300",
                                 "--api-name", "OpenCL", "--library", "libOpenCL.so.1", "-o", spec, "--quiet"};
  std::string docs = std::string(REMORA_SHARED_DIR) + "/corpus/opencl-docs";
  if (fs::exists(docs)) {
    infer.push_back("--docs");
    infer.push_back(docs);
  }
  auto inferred = run_program(infer, {}, 300);
  INFO(inferred.errors);
  REQUIRE(inferred.status == 0);
  build_generated_stack(spec, dir, "libOpenCL.so.1");
  int passed = run_samples(dir, "inferred", {"ocl-02-vector-add"});
  WARN(passed << " of " << samples().size()
              << " OpenCL samples produced their native output through the stack generated from the inferred spec");
  CHECK(passed > 0);
}

namespace {

// "remora: N calls, M round trips, ..." (REMORA_STATS=1) from a guest's stderr.
std::pair<long, long> stats_counts(const std::string& errors) {
  long calls = -1, round_trips = -1;
  auto at = errors.rfind("remora: ");
  if (at != std::string::npos) std::sscanf(errors.c_str() + at, "remora: %ld calls, %ld round trips", &calls, &round_trips);
  return {calls, round_trips};
}

// Calls the guest answered from its cache of `cacheable` results.
long stats_cached(const std::string& errors) {
  auto at = errors.rfind(" sends, ");
  long cached = -1;
  if (at != std::string::npos) std::sscanf(errors.c_str() + at, " sends, %ld cached", &cached);
  return cached;
}

}  // namespace

// The fast paths (status-only and non-blocking calls without a reply, batched; enqueue
// events named by the guest; cacheable queries answered by the guest) change no output:
// a few samples print the same with them off (REMORA_STRICT=1) as natively, and the
// fast paths really save round trips (the guest's own count).
TEST_CASE("OpenCL samples print the same with the fast paths off (REMORA_STRICT=1) and on",
          "[.][opencl-strict]") {
  if (!opencl_available()) {
    WARN("OpenCL strict-mode test skipped: no OpenCL samples, ocl-icd or cl.h on this machine");
    return;
  }
  std::string dir = opencl_stack_root() + "/reviewed";
  build_generated_stack(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json", dir, "libOpenCL.so.1");
  std::string addr = "unix:" + temp_socket_path("opencl-strict");
  ServerProcess server(dir + "/build/server/opencl-server", addr, kRealOpenCL);
  REQUIRE(server.ready());
  const std::set<std::string> chosen{"ocl-01-info", "ocl-04-events-profiling", "ocl-05-callbacks",
                                     "ocl-09-nonblocking", "ocl-11-call-intensive", "ocl-17-error-paths"};
  for (const auto& s : samples()) {
    if (!chosen.count(s.name)) continue;
    const CommandResult& native = native_runs().at(s.name);
    std::vector<std::string> env{"LD_LIBRARY_PATH=" + dir + "/build/guest", "REMORA_SERVER=" + addr, "REMORA_STATS=1"};
    auto strict_env = env;
    strict_env.push_back("REMORA_STRICT=1");
    auto strict = run_program({s.exe}, strict_env, 120);
    INFO(s.name << " strict; stderr:\n" << strict.errors << "\nserver log:\n" << server.log());
    CHECK(strict.status == 0);
    CHECK(strict.output == native.output);
    auto [calls, trips] = stats_counts(strict.errors);
    CHECK(calls > 0);
    CHECK(trips >= calls);  // every call waits for its reply (size queries add some)
    if (s.name == "ocl-17-error-paths") continue;  // checks each call's own error: strict only
    auto fast = run_program({s.exe}, env, 120);
    INFO(s.name << " fast paths on; stderr:\n" << fast.errors);
    CHECK(fast.status == 0);
    CHECK(fast.output == native.output);
    auto [fast_calls, fast_trips] = stats_counts(fast.errors);
    CHECK(fast_calls == calls);
    CHECK(fast_trips < trips);
    if (s.name == "ocl-11-call-intensive") CHECK(fast_trips * 10 <= fast_calls);  // 5000 launches, 5000 cached queries
    // 18 profiling queries about 4 completed events: the first of each name brings the
    // answers about the other events (siblings), so at most 4 of them make a round trip.
    if (s.name == "ocl-04-events-profiling") CHECK(stats_cached(fast.errors) >= 14);
  }
}

// Chunked transfers (spec `chunk`, codegen/README.md): 3 MiB writes and blocking reads go as
// pieces of 64 KiB (REMORA_CHUNK_BYTES; writes: the guest places piece k+1 while the
// worker's library copies piece k; reads: pipelined, the guest copies piece k out while the
// library fills piece k+1) and compare byte for byte, odd sizes and offsets included; the program
// prints the same as natively over unix and over shm, splitting on and off
// (REMORA_CHUNK_BYTES=0) and in pieces sized from the transfer (REMORA_CHUNK_PIECES),
// the write and read past the end fail with the native error, and
// splitting really happened (more calls reach the server; a write's pieces add no round
// trips, a read's do). Small
// transfers and the stack the other OpenCL tests built: seconds.
TEST_CASE("OpenCL reads and writes split into pipelined pieces move the same bytes", "[.][opencl-chunked]") {
  if (!opencl_available() || std::string(CHUNKED_PROBE).empty()) {
    WARN("OpenCL chunked-transfer test skipped: no OpenCL, ocl-icd or cl.h on this machine");
    return;
  }
  std::string dir = opencl_stack_root() + "/reviewed";
  build_generated_stack(std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json", dir, "libOpenCL.so.1");
  auto native = run_program({CHUNKED_PROBE}, {}, 60);
  REQUIRE(native.status == 0);
  CHECK(native.output.find("WRONG") == std::string::npos);
  for (const std::string transport : {"unix:", "shm:"}) {
    std::string addr = transport + temp_socket_path("opencl-chunked");
    ServerProcess server(dir + "/build/server/opencl-server", addr, kRealOpenCL);
    REQUIRE(server.ready());
    // The probe through the stack with one piece-size setting; its output must be native's.
    auto run_with = [&](const std::string& setting) {
      auto r = run_program({CHUNKED_PROBE},
                           {"LD_LIBRARY_PATH=" + dir + "/build/guest", "REMORA_SERVER=" + addr,
                            "REMORA_STATS=1", setting},
                           60);
      INFO(transport << " " << setting << "; stderr:\n" << r.errors << "\nserver log:\n" << server.log());
      CHECK(r.status == 0);
      CHECK(r.output == native.output);
      return r;
    };
    auto whole = run_with("REMORA_CHUNK_BYTES=0");
    auto split = run_with("REMORA_CHUNK_BYTES=65536");
    auto [whole_calls, whole_trips] = stats_counts(whole.errors);
    auto [split_calls, split_trips] = stats_counts(split.errors);
    CHECK(split_calls >= whole_calls + 80);  // 3 MiB writes and reads, in 64 KiB pieces
    // A write's pieces but the last wait for nothing; a read's each bring their bytes.
    CHECK(split_trips > whole_trips);
    CHECK(static_cast<long long>(split_calls) - static_cast<long long>(split_trips) >=
          static_cast<long long>(whole_calls) - static_cast<long long>(whole_trips) + 80);
    // Pieces sized from the transfer (REMORA_CHUNK_PIECES=4, the default largest piece):
    // 3 MiB + 3 bytes goes as 832 KiB pieces and an uneven last one.
    auto pieces = run_with("REMORA_CHUNK_PIECES=4");
    const long pieces_calls = stats_counts(pieces.errors).first;
    CHECK(pieces_calls >= whole_calls + 9);  // at least three of the 3 MiB transfers, 3 more calls each
    CHECK(pieces_calls < split_calls);
  }
}
