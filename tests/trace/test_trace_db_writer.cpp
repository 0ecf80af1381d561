// The recorder decodes records that come from inside an arbitrary program:
// malformed or hostile bytes must be rejected without crashing or corrupting
// what was recorded.
#include <random>

#include "../../trace-collector/runtime/remora_trace_wire.h"
#include "../../trace-collector/src/trace_db_writer.h"
#include "trace_test_util.h"

using namespace trace_test;

namespace {

std::vector<unsigned char> begin_record(std::uint32_t pid, std::uint64_t seq, std::uint32_t nargs) {
  std::vector<unsigned char> buf(4096);
  remora_wire::Writer w(buf.data(), buf.size());
  remora_wire::MsgHeader h{};
  h.type = remora_wire::kBegin;
  h.pid = pid;
  h.seq = seq;
  w.put(h);
  w.put<std::uint32_t>(nargs);
  for (std::uint32_t i = 0; i < nargs; ++i) {
    w.put<std::uint8_t>(remora_wire::kSigned);
    w.put<std::uint64_t>(i);
  }
  buf.resize(w.size());
  return buf;
}

}  // namespace

TEST_CASE("malformed records are rejected and valid ones around them are kept") {
  std::string path = fresh_db("writer-fuzz");
  {
    remora::trace::TraceDbWriter writer;
    std::string error;
    REQUIRE(writer.open(path, error));
    auto good = begin_record(1, 1, 2);
    CHECK(writer.handle_record(good.data(), good.size()));
    // Truncated at every length.
    for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(writer.handle_record(good.data(), n));
    // Absurd argument count.
    auto huge = begin_record(1, 2, 0);
    std::uint32_t many = 0xffffffffu;
    std::memcpy(huge.data() + sizeof(remora_wire::MsgHeader), &many, sizeof many);
    CHECK_FALSE(writer.handle_record(huge.data(), huge.size()));
    // An end for a call that never began, and random bytes of every type.
    std::mt19937 rng(42);
    for (int i = 0; i < 20000; ++i) {
      std::vector<unsigned char> junk(rng() % 600);
      for (auto& b : junk) b = static_cast<unsigned char>(rng());
      if (!junk.empty()) junk[0] = static_cast<unsigned char>(1 + rng() % 4);
      writer.handle_record(junk.data(), junk.size());
    }
    writer.finish();
  }
  Db t(path);
  CHECK(t.column("PRAGMA integrity_check") == std::vector<std::string>{"ok"});
  // The one valid call survived (it never returned, so it is incomplete).
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE pid = 1 AND seq = 1 AND complete = 0") == 1);
  CHECK(t.integer("SELECT COUNT(*) FROM args a JOIN calls c ON c.id = a.call_id WHERE c.pid = 1 AND c.seq = 1") == 2);
}
