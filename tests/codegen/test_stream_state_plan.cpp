// Who owns each member of a stream-state struct (plan_state.h), and what the generated
// stack does with it: zlib's z_stream as `remora infer` annotates it. The end-to-end
// proof runs zlib and CPython through a real stack (tests/e2e_zlib).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "c_type.h"
#include "plan_state.h"
#include "remora/codegen/generate.h"
#include "spec_builders.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

spec::StructField member(const std::string& name, const std::string& type,
                         spec::Kind kind = spec::Kind::Value,
                         spec::Direction dir = spec::Direction::In, const std::string& size = "") {
  spec::StructField f{name, type};
  if (kind == spec::Kind::Value) return f;
  f.ann.kind = kind;
  f.ann.direction = dir;
  f.ann.size = size;
  return f;
}

spec::Spec zstream_spec() {
  using K = spec::Kind;
  using D = spec::Direction;
  spec::Spec s;
  s.api.name = "Z";
  s.api.headers = {"z.h"};
  spec::Type alloc;
  alloc.name = "alloc_func";
  alloc.kind = spec::TypeKind::Alias;
  alloc.underlying = "void *(*)(void *, unsigned int, unsigned int)";
  s.types.push_back(alloc);
  spec::Type z;
  z.name = "z_stream_s";
  z.kind = spec::TypeKind::Struct;
  z.state = true;
  z.fields = {member("next_in", "unsigned char *", K::Buffer, D::In, "avail_in"),
              member("avail_in", "unsigned int"),
              member("next_out", "unsigned char *", K::Buffer, D::Out, "avail_out"),
              member("avail_out", "unsigned int"),
              member("msg", "char *", K::String, D::InOut),
              member("state", "struct internal_state *", K::Opaque),
              member("zalloc", "alloc_func", K::Callback),
              member("opaque", "void *", K::Userdata),
              member("name", "const char *", K::String, D::In),
              member("adler", "unsigned long")};
  s.types.push_back(z);
  spec::Type head;  // a struct holding pointers, which zlib keeps with the state
  head.name = "gz_header_s";
  head.kind = spec::TypeKind::Struct;
  head.fields = {member("name", "unsigned char *", K::Buffer, D::In, "name_max"),
                 member("name_max", "unsigned int")};
  // Typed members (as `remora infer` records them): what makes a struct deep-copyable.
  spec::CType uchar, uint;
  uchar.kind = uint.kind = spec::CTypeKind::Int;
  uchar.name = "unsigned char";
  uchar.size = uchar.align = 1;
  uint.name = "unsigned int";
  uint.size = uint.align = 4;
  head.fields[0].ctype.kind = spec::CTypeKind::Pointer;
  head.fields[0].ctype.to = spec::Box<spec::CType>(uchar);
  head.fields[0].ctype.size = head.fields[0].ctype.align = 8;
  head.fields[1].ctype = uint;
  s.types.push_back(head);
  s.functions.push_back(function("deflate", "int",
                                 {param("strm", "struct z_stream_s *", K::Element, D::InOut),
                                  param("flush", "int", K::Value)}));
  auto end = param("strm", "struct z_stream_s *", K::Element, D::InOut);
  end.ann.deallocates = true;
  s.functions.push_back(function("deflateEnd", "int", {end}));
  s.functions.push_back(function("deflateSetHeader", "int",
                                 {param("strm", "struct z_stream_s *", K::Element, D::InOut),
                                  param("head", "struct gz_header_s *", K::Element, D::InOut)}));
  // The same struct only read during the call (a decoder's `const lzma_mt *` options).
  s.functions.push_back(function("deflateInitWith", "int",
                                 {param("strm", "struct z_stream_s *", K::Element, D::InOut),
                                  param("options", "const struct gz_header_s *", K::Element)}));
  return s;
}

}  // namespace

TEST_CASE("stream state: each member's owner comes from its annotation", "[codegen][state]") {
  spec::Spec s = zstream_spec();
  codegen::TypeModel types(s);
  codegen::StatePlan plan;
  REQUIRE(codegen::plan_state_struct(types, *s.find_type("z_stream_s"), plan).empty());
  using Role = codegen::StateMember::Role;
  auto role = [&](const std::string& n) {
    for (const auto& m : plan.members)
      if (m.name == n) return m.role;
    FAIL("no member " << n);
    return Role::NullOnly;
  };
  CHECK(role("next_in") == Role::CursorIn);
  CHECK(role("next_out") == Role::CursorOut);
  CHECK(role("state") == Role::Library);
  CHECK(role("zalloc") == Role::Allocator);
  CHECK(role("opaque") == Role::Allocator);   // the allocator's user data goes with it
  CHECK(role("msg") == Role::LibraryString);  // written by the library, never read from the program
  CHECK(role("name") == Role::NullOnly);      // an `in` string would point into the program
}

TEST_CASE("stream state: the server keeps what the library set, init and end send no cursor",
          "[codegen][state]") {
  fs::path dir = fs::temp_directory_path() / ("remora-state-" + std::to_string(getpid()));
  codegen::GenerateOptions opt;
  opt.out_dir = dir.string();
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(zstream_spec(), opt, report, error));
  // A struct holding pointers beside a state that the library may write (or keep) later:
  // refused, with why. One it only reads during the call is copied per call.
  REQUIRE(report.unsupported.size() == 1);
  CHECK(report.unsupported[0] ==
        "deflateSetHeader: parameter head points to gz_header_s, a struct holding pointers passed "
        "beside stream state "
        "strm: the library may keep it with the state for later calls, which a per-call copy "
        "cannot serve");
  const std::string guest = read_text(dir / "guest/guest.cpp");
  const std::string server = read_text(dir / "server/server.cpp");
  fs::remove_all(dir);
  // The allocator zlib installs at init and the message it wrote stay in the server's copy.
  CHECK(server.find("rm_sh->zalloc = rm_lib_zalloc;") != std::string::npos);
  CHECK(server.find("rm_sh->msg = rm_lib_msg;") != std::string::npos);
  CHECK(server.find("rm_out.put_string(rm_sh->msg);") != std::string::npos);
  // Only a call on a struct the server already holds sends cursors; the end call never does.
  CHECK(guest.find("remora::KnownStates::instance().known(0, strm)") != std::string::npos);
  CHECK(guest.find("const bool rm_known_strm = false;  // ends the state") != std::string::npos);
  CHECK(guest.find("remora::interned_string(") != std::string::npos);
  // An `in` string member set by the program is refused with the member named.
  CHECK(guest.find("member z_stream_s.name of a stream state must be NULL") != std::string::npos);
  CHECK(guest.find("member z_stream_s.msg of a stream state must be NULL") == std::string::npos);
  CHECK(guest.find("deflateInitWith") != std::string::npos);
}
