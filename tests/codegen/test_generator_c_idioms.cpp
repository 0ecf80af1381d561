// What the generator emits for C idioms a stack must follow to run programs unchanged
// (found running SQLite programs through the stack inferred from sqlite3.h): string arrays
// a callback receives, callbacks with no user data, strings with a signed length, out
// pointers into an input, strings the program frees, pointer returns it would read.
#include <catch2/catch.hpp>

#include <cstring>

#include "generated_text.h"
#include "remora_returned_copies.h"
#include "spec_builders.h"

using namespace remora;
using K = spec::Kind;
using D = spec::Direction;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

spec::Spec idiom_spec() {
  spec::Spec s;
  s.api.name = "Idioms";
  s.api.headers = {"idioms.h"};
  spec::Type status = status_type("id_status", "ID_OK", "ID_FAILED");
  s.types.push_back(status);
  return s;
}

spec::Param userdata() {
  return param("ud", "void *", K::Userdata);
}

}  // namespace

TEST_CASE("a callback's char ** arguments counted by its one integer travel as strings",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  s.functions.push_back(
      function("idExec", "id_status",
               {param("cb", "int (*)(void *, int, char **, char **)", K::Callback), userdata()}));
  // Two integers: which one counts the array is unknown, so the signature stays refused.
  s.functions.push_back(
      function("idTwoCounts", "id_status",
               {param("cb", "int (*)(void *, int, int, char **)", K::Callback), userdata()}));
  auto g = generate(s, "string-arrays");
  CHECK(g.reason("idExec").empty());
  CHECK(g.warned("passes a pointer to data (char *), which is not copied to the guest"));
  // The server sends each array with the integer's value as its count; the guest checks
  // that the count it hands the program is the array's length.
  CHECK(has(g.server, "w.put_string_array(std::get<2>(rm_args), std::get<1>(rm_args));"));
  CHECK(has(g.server, "w.put_string_array(std::get<3>(rm_args), std::get<1>(rm_args));"));
  CHECK(has(g.guest, "if (!a2.counted_by(a1)) return false;"));
  CHECK(has(g.guest, "a3.pointers<char **>()"));
}

TEST_CASE("a callback without user data passes only sentinels (and NULL where nothing can be kept)",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  // SQLite's bind_text: the destructor argument may be SQLITE_TRANSIENT ((fn)-1).
  s.functions.push_back(function(
      "idBindText", "id_status",
      {param("text", "const char *", K::String), param("dtor", "void (*)(void *)", K::Callback)}));
  s.functions.push_back(
      function("idOnTick", "id_status", {param("tick", "void (*)(void *)", K::Callback)}));
  auto g = generate(s, "sentinels");
  CHECK(g.reason("idBindText").empty());
  CHECK(g.reason("idOnTick").empty());
  // With an input the library could keep, NULL is refused; with none, NULL passes.
  CHECK(has(g.server, "if (!remora::is_sentinel_address(rm_guest_dtor))\n"));
  CHECK(has(g.server, "if (!remora::is_sentinel_address(rm_guest_tick) && rm_guest_tick != 0)"));
  CHECK(has(g.server, "dtor = remora::from_u64<"));
}

TEST_CASE("a callback's constant bytes travel with their length; a writable buffer is refused",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  s.functions.push_back(function(
      "idEmit", "id_status",
      {param("write", "int (*)(void *, const unsigned char *, size_t)", K::Callback), userdata()}));
  s.functions.push_back(function(
      "idEmitUntyped", "id_status",
      {param("write", "void (*)(const void *, size_t, void *)", K::Callback), userdata()}));
  s.functions.push_back(function(
      "idPull", "id_status",
      {param("read", "int (*)(void *, unsigned char *, size_t)", K::Callback), userdata()}));
  // Text and a number stay a string and a value: a signature has no names to tell a length.
  s.functions.push_back(function(
      "idOnName", "id_status", {param("cb", "int (*)(void *, const char *, int)", K::Callback), userdata()}));
  auto g = generate(s, "callback-bytes");
  CHECK(g.reason("idEmit").empty());
  CHECK(g.reason("idEmitUntyped").empty());
  CHECK(g.warned("passes a writable buffer (unsigned char *) with its length (size_t): whether the "
                                "callback fills it or reads it is unknown"));
  CHECK(g.reason("idOnName").empty());
  // The server sends as many bytes as the next argument says; the guest checks the count.
  CHECK(has(g.server, "w.put_counted_bytes(std::get<1>(rm_args), std::get<2>(rm_args));"));
  CHECK(has(g.server, "w.put_counted_bytes(std::get<0>(rm_args), std::get<1>(rm_args));"));
  CHECK(has(g.guest, "if (a1_present && a1.size() != (a2 > 0 ? static_cast<std::size_t>(a2) : 0u)) return false;"));
  CHECK(has(g.server, "w.put_string(std::get<1>(rm_args));"));
}

TEST_CASE("a string with a signed length travels as the bytes its size says",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  auto text = param("sql", "const char *", K::String, D::In, "n < 0 ? strlen(sql) + 1 : n");
  text.ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(function("idPrepare", "id_status", {text, param("n", "int", K::Value)}));
  auto out = param("name", "char *", K::Buffer, D::Out, "strlen(name) + 1");
  s.functions.push_back(function("idOutMeasured", "id_status", {out}));
  auto g = generate(s, "signed-length");
  CHECK(g.reason("idPrepare").empty());
  CHECK(g.reason("idOutMeasured") ==
        "size of name uses strlen(name), which only sizes input char strings");
  // The guest measures the program's string; the server measures what arrived, never past it.
  CHECK(has(g.guest, "strlen((remora::nn(sql)))"));
  CHECK(has(g.server, "remora::strlen_within(sql, rm_n_sql * 1, rm_unterminated)"));
  CHECK(has(g.server, "NUL-terminated by its size, but no NUL is within the %llu bytes sent"));
}

TEST_CASE("an out pointer into an input comes back as the same offset into the program's memory",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  auto tail = param("tail", "const char **", K::Element, D::Out);
  tail.ann.points_into = "sql";
  tail.ann.nullable = true;
  s.functions.push_back(
      function("idParse", "id_status", {param("sql", "const char *", K::String), tail}));
  auto loose = tail;
  loose.ann.points_into = "count";
  s.functions.push_back(function("idLoose", "id_status", {param("count", "int", K::Value), loose}));
  auto g = generate(s, "points-into");
  CHECK(g.reason("idParse").empty());
  CHECK(g.reason("idLoose") ==
        "tail points into count, which is not an input string or buffer of the call");
  CHECK(has(
      g.server,
      "remora::offset_inside(remora::elem_at(tail, 0), sql, (sql ? std::strlen(sql) + 1 : 0))"));
  CHECK(has(g.guest, "remora::guest::address_inside<"));
}

TEST_CASE("the guest answers to the real library's own soname too", "[codegen][c-idioms]") {
  // Debian's libbz2.so.1 links to a file whose soname is libbz2.so.1.0, what programs ask for.
  const std::string real = "/lib/x86_64-linux-gnu/libbz2.so.1.0";
  if (!std::filesystem::exists(real)) return;  // libbz2 not installed: nothing to compare with
  auto s = idiom_spec();
  s.api.library = "libbz2.so.1";
  s.functions.push_back(function("BZ2_bzlibVersion", "const char *", {}));
  s.functions.back().ret.ann.kind = K::String;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("remora-gen-soname-" + std::to_string(getpid())))
          .string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  const std::string cmake = test::read_file(dir + "/CMakeLists.txt");
  std::filesystem::remove_all(dir);
  CHECK(has(cmake, "-Wl,-soname,libbz2.so.1)"));
  CHECK(has(cmake, "create_symlink libbz2.so.1 ${CMAKE_BINARY_DIR}/guest/libbz2.so.1.0"));
}

TEST_CASE(
    "strings the program frees keep the library's address; data it would read is not returned raw",
    "[codegen][c-idioms]") {
  auto s = idiom_spec();
  auto ret_text = function("idExpanded", "char *", {});
  ret_text.ret.ann.kind = K::String;
  ret_text.ret.ann.allocates = true;
  s.functions.push_back(ret_text);
  auto err = param("err", "char **", K::Element, D::Out);
  err.ann.allocates = true;
  err.ann.element = spec::Box<spec::Annotation>(spec::Annotation{});
  err.ann.element->kind = K::String;
  s.functions.push_back(function("idRun", "id_status", {err}));
  auto freed = param("p", "void *", K::Opaque);
  freed.ann.deallocates = true;
  s.functions.push_back(function("idFree", "void", {freed}));
  auto bytes = function("idBytes", "const int *", {});
  bytes.ret.ann.kind = K::Element;
  s.functions.push_back(bytes);
  auto g = generate(s, "library-memory");
  CHECK(g.reason("idExpanded").empty());
  CHECK(has(g.server, "if (rm_result) rm_out.put_u64(remora::to_u64(rm_result));"));
  CHECK(has(g.guest, "remora::guest::library_copy(rm_ret, rm_lib)"));
  CHECK(has(g.guest, "remora::guest::library_copy(rm_s, rm_lib)"));
  CHECK(has(g.guest, "rm_w.put_u64(remora::guest::library_address(remora::to_u64(p)));"));
  CHECK(has(g.reason("idBytes"), "returns a pointer to data the program reads (const int *)"));
}

TEST_CASE("constant data a call returns travels, sized after the call; unsized it is refused",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  auto row = param("row", "int", K::Value);
  auto blob = function("idBlob", "const void *", {row});
  blob.ret.ann.kind = K::Buffer;
  blob.ret.ann.direction = D::Out;
  blob.ret.ann.size = "query(idBlobBytes, row)";
  blob.ret.ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(blob);
  s.functions.push_back(function("idBlobBytes", "int", {row}));
  auto values = function("idValues", "const double *", {row});
  values.ret.ann = blob.ret.ann;
  values.ret.ann.size = "query(idBlobBytes, row)";
  values.ret.ann.size_unit = spec::SizeUnit::Elements;
  s.functions.push_back(values);
  auto unsized = function("idName16", "const void *", {row});
  unsized.ret.ann.kind = K::Buffer;
  s.functions.push_back(unsized);
  auto reads = function("idReads", "const void *", {param("n", "const int *", K::Element)});
  reads.ret.ann = blob.ret.ann;
  reads.ret.ann.size = "*n";
  s.functions.push_back(reads);
  auto g = generate(s, "returned-data");
  CHECK(g.reason("idBlob").empty());
  CHECK(g.reason("idValues").empty());
  // The size function's result is the answer: the server asks it after the call.
  CHECK(has(g.server, "static_cast<long long>(real_idBlobBytes(a0))"));
  CHECK(has(g.server, "rm_query_idBlobBytes_1(row, 0)"));
  CHECK(has(g.server, "remora::mul_size(static_cast<std::uint64_t>(rm_count), sizeof(double), rm_size)"));
  CHECK(has(g.server, "if (rm_size) rm_out.put_raw(rm_result, static_cast<std::size_t>(rm_size));"));
  // The guest returns a copy it keeps, found again by the call's arguments.
  CHECK(has(g.guest, "const std::uint64_t rm_key[] = {remora::to_u64(row)};"));
  CHECK(has(g.guest, "remora::guest::returned_copy(\"idBlob\", rm_key, 1, rm_bytes, rm_size)"));
  CHECK(has(g.reason("idName16"), "the spec gives no size to copy it by"));
  CHECK(has(g.reason("idReads"), "reads the program's memory"));
}

TEST_CASE("writable memory a call returns is refused unless the library made it for the program to keep", "[codegen][c-idioms]") {
  auto s = idiom_spec();
  auto n = param("nBytes", "int", K::Value);
  // sqlite3_aggregate_context's shape: state the program writes and reads back later.
  auto state = function("idAggregateContext", "void *", {param("ctx", "id_ctx *", K::Handle), n});
  state.ret.ann.kind = K::Buffer;
  state.ret.ann.size = "nBytes";
  state.ret.ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(state);
  // Memory handed over (the program frees it): a copy of its bytes is the program's to write.
  // sqlite3_serialize's shape: its size is what the call writes through an out parameter.
  auto owned = function("idSerialize", "unsigned char *",
                        {param("ctx", "id_ctx *", K::Handle), param("pSize", "long long *", K::Element, D::Out)});
  owned.ret.ann = state.ret.ann;
  owned.ret.ann.size = "*pSize";
  owned.ret.ann.allocates = true;
  s.functions.push_back(owned);
  auto release = function("idFree", "void", {param("p", "void *", K::Opaque)});
  release.params[0].ann.deallocates = true;
  s.functions.push_back(release);
  // Memory allocated for the program to fill (sqlite3_malloc): as an address it is the
  // server's, and as a copy sized by the program's request it would never reach the
  // library the program hands it to. Refused either way; the program gets NULL.
  auto malloc_opaque = function("idMalloc", "void *", {param("n", "int", K::Value)});
  malloc_opaque.ret.ann.kind = K::Opaque;
  malloc_opaque.ret.ann.allocates = true;
  s.functions.push_back(malloc_opaque);
  auto malloc_sized = malloc_opaque;
  malloc_sized.name = "idMallocSized";
  malloc_sized.ret.ann.kind = K::Buffer;
  malloc_sized.ret.ann.size = "n";
  malloc_sized.ret.ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(malloc_sized);
  // An object the program only passes back is not memory (a const pointer, a user data).
  auto user_data = function("idUserData", "const void *", {param("ctx", "id_ctx *", K::Handle)});
  user_data.ret.ann.kind = K::Opaque;
  user_data.ret.ann.allocates = true;
  s.functions.push_back(user_data);
  auto g = generate(s, "writable-returns");
  CHECK(has(g.reason("idMalloc"), "returns memory it allocates for the program to fill"));
  CHECK(has(g.reason("idMallocSized"), "returns memory it allocates for the program to fill"));
  CHECK(g.reason("idUserData").empty());
  CHECK(has(g.reason("idAggregateContext"), "writable memory the program may write for the library"));
  CHECK(g.reason("idSerialize").empty());
  // The server sizes the bytes by its own storage for the out parameter, which it passes
  // even where the program gave NULL, and sends the library's address after them ...
  CHECK(has(g.server, "static_cast<long long>((*(remora::nn(pSize))))"));
  CHECK(has(g.server, "if (!rm_has_pSize) {"));
  CHECK(has(g.server, "if (rm_result) rm_out.put_u64(remora::to_u64(rm_result));"));
  // ... and the program gets a copy that remembers it, which its free gives back.
  CHECK(has(g.guest, "remora::guest::library_copy(rm_bytes, rm_size, rm_lib)"));
  CHECK(has(g.guest, "remora::guest::library_address("));
}

TEST_CASE("a returned copy stays while the same arguments return the same bytes",
          "[codegen][c-idioms]") {
  const std::uint64_t row1[] = {1}, row2[] = {2};
  const unsigned char a[] = {1, 2, 3}, b[] = {4, 5, 6, 7};
  const void* first = guest::returned_copy("f", row1, 1, a, sizeof a);
  CHECK(guest::returned_copy("f", row1, 1, a, sizeof a) == first);  // the same bytes: the same copy
  const void* other = guest::returned_copy("f", row2, 1, b, sizeof b);
  CHECK(other != first);
  CHECK(std::memcmp(first, a, sizeof a) == 0);  // another row leaves it alone
  const auto* changed = static_cast<const unsigned char*>(guest::returned_copy("f", row1, 1, b, sizeof b));
  CHECK(std::memcmp(changed, b, sizeof b) == 0);
  for (std::size_t k = 0; k < guest::kReturnedCopyZeros; ++k) CHECK(changed[sizeof b + k] == 0);  // text stays terminated
}

TEST_CASE("a restrict pointer parameter is defined without it, so its pointee's size is the struct's",
          "[codegen][c-idioms]") {
  auto s = idiom_spec();
  spec::Type big;
  big.name = "struct id_big";
  big.kind = spec::TypeKind::Struct;
  s.types.push_back(big);
  s.functions.push_back(function("idCrypt", "id_status", {param("data", "struct id_big *restrict", K::Element, D::InOut)}));
  auto g = generate(s, "restrict");
  CHECK(has(g.guest, "(idCrypt)(struct id_big *data)"));
  CHECK_FALSE(has(g.guest, "__restrict data"));
}

namespace {

// A callback type whose arguments the spec annotates (`types[].args`).
spec::Type callback_type(const char* name, const char* signature, std::vector<spec::StructField> args) {
  spec::Type t;
  t.name = name;
  t.kind = spec::TypeKind::Callback;
  t.signature = signature;
  t.underlying = std::string(signature).replace(std::string(signature).find(" ("), 2, " (*)(");
  t.fields = std::move(args);
  return t;
}

spec::StructField arg(const char* name, const char* type, K kind, const char* size = "") {
  spec::StructField f(name, type);
  f.ann.kind = kind;
  f.ann.direction = D::In;
  f.ann.size = size;
  return f;
}

// A parser-style API (expat's shape): handlers registered on a handle without user data,
// whose signatures pass the user data a setter gave the handle.
spec::Spec handler_spec() {
  auto s = idiom_spec();
  spec::Type parser;
  parser.name = "id_parser";
  parser.kind = spec::TypeKind::Handle;
  parser.underlying = "struct id_parser_s *";
  s.types.push_back(parser);
  // The callback types with their arguments annotated (read from the typedef's names and
  // comment by inference): text with its length, a NULL-terminated array of strings.
  s.types.push_back(callback_type("id_data_fn", "void (void *, const char *, int)",
                                  {arg("userData", "void *", K::Userdata), arg("s", "const char *", K::Buffer, "len"),
                                   spec::StructField("len", "int")}));
  s.types.push_back(callback_type("id_start_fn", "void (void *, const char *, const char **)",
                                  {arg("userData", "void *", K::Userdata), arg("name", "const char *", K::String),
                                   arg("atts", "const char **", K::Buffer, "terminated(atts, 0)")}));
  auto create = function("idCreate", "id_parser", {});
  create.ret.ann.kind = K::Handle;
  create.ret.ann.handle_type = "id_parser";
  create.ret.ann.allocates = true;
  s.functions.push_back(create);
  s.functions.push_back(function("idSetUserData", "void",
                                 {param("p", "id_parser", K::Handle), param("userData", "void *", K::Userdata)}));
  s.functions.push_back(
      function("idSetData", "void", {param("p", "id_parser", K::Handle), param("h", "id_data_fn", K::Callback)}));
  s.functions.push_back(
      function("idSetStart", "void", {param("p", "id_parser", K::Handle), param("h", "id_start_fn", K::Callback)}));
  return s;
}

}  // namespace

TEST_CASE("handlers registered on a handle get the user data a setter gave it; their arguments follow "
          "the callback type's annotations",
          "[codegen][c-idioms][callbacks]") {
  auto s = handler_spec();
  auto g = generate(s, "held-user-data");
  CHECK(g.reason("idSetData").empty());
  CHECK(g.reason("idSetStart").empty());
  // The setter hands the library the handle's record, which keeps the guest's value.
  CHECK(has(g.server, "userData = static_cast<remora::param_t<rm_fn, 1>>(static_cast<void*>(rm.hold_user_data("
                      "remora::to_u64(p), remora::to_u64(userData))));"));
  // Each registration fills its slot and, if no setter call did, gives the library the record.
  CHECK(has(g.server, "rm_held->set(0, remora::is_sentinel_address(rm_guest_h) ? 0 : rm_guest_h);"));
  CHECK(has(g.server, "rm_held->set(1, remora::is_sentinel_address(rm_guest_h) ? 0 : rm_guest_h);"));
  CHECK(has(g.server, "real_idSetUserData(p, static_cast<remora::param_t<decltype(real_idSetUserData), 1>>("));
  CHECK(has(g.server, ", 0>::call : nullptr;"));
  CHECK(has(g.server, "remora::server::held_record("));
  // A new handle at a released one's address starts with no callbacks.
  CHECK(has(g.server, "if (rm_result) rm.forget_held_callbacks(remora::to_u64(rm_result));"));
  // Text with its length travels as that many bytes (not read to a NUL); the array of
  // strings up to its NULL, which the guest puts back.
  CHECK(has(g.server, "w.put_counted_bytes(std::get<1>(rm_args), std::get<2>(rm_args));"));
  CHECK(has(g.server, "w.put_string_array(std::get<2>(rm_args), remora::count_until_null(std::get<2>(rm_args)));"));
  CHECK(has(g.guest, "a2.pointers<const char **>()"));
}

TEST_CASE("an annotated length sizes a callback's text only when it follows it", "[codegen][c-idioms][callbacks]") {
  auto s = handler_spec();
  // An allocation-hook style `(void *ud, size_t num, const char *file, int line)` whose
  // `file` a rule linked to the count before it: a file name stays a string.
  s.types.push_back(callback_type("id_hook_fn", "void (void *, size_t, const char *, int)",
                                  {arg("ud", "void *", K::Userdata), spec::StructField("num", "size_t"),
                                   arg("file", "const char *", K::Buffer, "num"), spec::StructField("line", "int")}));
  s.functions.push_back(function("idSetHook", "id_status", {param("h", "id_hook_fn", K::Callback), userdata()}));
  auto g = generate(s, "callback-length-order");
  CHECK(g.reason("idSetHook").empty());
  CHECK(has(g.server, "w.put_string(std::get<2>(rm_args));"));
  CHECK(!has(g.server, "w.put_counted_bytes(std::get<2>(rm_args), std::get<1>(rm_args));"));
}

TEST_CASE("without one setter whose name says user data, handlers on a handle stay refused",
          "[codegen][c-idioms][callbacks]") {
  auto s = handler_spec();
  // A second setter of a handler's own data: the one named for user data still wins.
  s.functions.push_back(function("idSetEntityArg", "void",
                                 {param("p", "id_parser", K::Handle), param("arg", "void *", K::Userdata)}));
  CHECK(has(generate(s, "held-two-setters").server, "rm_held->set(0, "));
  // Two setters neither of which says so: which user data the handlers get is unknown.
  for (auto& f : s.functions)
    if (f.name == "idSetUserData") f.name = "idSetContext";
  auto g = generate(s, "held-ambiguous");
  CHECK(!has(g.server, "rm_held->set("));
  CHECK(has(g.server, "h has no user data to find the guest's function by: only a sentinel passes."));
}

TEST_CASE("a callback that cannot be forwarded is refused when the library calls it (a void call) or when "
          "the program gives one (a call that reports it); NULL goes through",
          "[codegen][c-idioms][callbacks]") {
  auto s = handler_spec();
  // The callback fills a struct the program would write: it cannot reach the program.
  s.functions.push_back(function("idSetEncoding", "void",
                                 {param("p", "id_parser", K::Handle),
                                  param("h", "int (*)(void *, const char *, struct id_info *)", K::Callback),
                                  param("data", "void *", K::Userdata)}));
  // The same with a status to report it: refused at the call when the program gives one.
  s.functions.push_back(function("idTryEncoding", "id_status",
                                 {param("p", "id_parser", K::Handle),
                                  param("h", "int (*)(void *, const char *, struct id_info *)", K::Callback),
                                  param("data", "void *", K::Userdata)}));
  // sqlite3_rtree_query_callback's shape: the refused callback's user data also reaches a
  // destructor after it, which then has it to itself (the call never gives the first one).
  s.functions.push_back(function("idQueryCallback", "id_status",
                                 {param("p", "id_parser", K::Handle),
                                  param("h", "int (*)(struct id_info *)", K::Callback),
                                  param("ctx", "void *", K::Userdata),
                                  param("destroy", "void (*)(void *)", K::Callback)}));
  auto g = generate(s, "refused-callbacks");
  CHECK(g.reason("idQueryCallback").empty());
  CHECK(has(g.server, "ctx = rm_guest_destroy ? static_cast<remora::param_t<rm_fn, 2>>(rm.callback_record("));
  CHECK_FALSE(has(g.server, "rm_shared_ctx"));
  CHECK(g.reason("idSetEncoding").empty());
  CHECK(g.reason("idTryEncoding").empty());
  CHECK(has(g.guest, "if (h != nullptr) {"));
  CHECK(has(g.guest, "remora::guest::log_unsupported_once(\"idTryEncoding when h != nullptr\", \"callback signature"));
  CHECK(has(g.server, "if (rm_guest_h) return rm.fail(\"%s: a callback it cannot forward: %s\", \"idTryEncoding.h\""));
  CHECK(g.warned("idTryEncoding: calls where (h != nullptr) return an error: callback signature"));
  CHECK(has(g.server, "h = rm_guest_h ? &rm_refused_idSetEncoding_1<remora::param_t<rm_fn, 1>>::call : nullptr;"));
  CHECK(has(g.server, "remora::server::refuse_callback(\"idSetEncoding.h\", \"callback signature"));
  CHECK(has(g.server, "data = remora::from_u64<remora::param_t<rm_fn, 2>>(rm_guest_data);"));
}

TEST_CASE("allocation callbacks passed to a call give the library NULL; a returned list of structs with strings "
          "travels up to its sentinel",
          "[codegen][c-idioms]") {
  auto s = handler_spec();
  spec::Type suite;
  suite.name = "id_memsuite";
  suite.kind = spec::TypeKind::Struct;
  spec::StructField m("malloc_fcn", "void *(*)(size_t)"), f("free_fcn", "void (*)(void *)");
  m.ann.kind = f.ann.kind = K::Callback;
  m.ann.nullable = f.ann.nullable = true;
  suite.fields = {m, f};
  s.types.push_back(suite);
  auto create = param("memsuite", "const id_memsuite *", K::Element);
  create.ann.nullable = true;
  auto mm = function("idCreateMM", "id_parser", {param("encoding", "const char *", K::String), create});
  mm.ret.ann.kind = K::Handle;
  mm.ret.ann.handle_type = "id_parser";
  s.functions.push_back(mm);
  spec::Type feature;
  feature.name = "id_feature";
  feature.kind = spec::TypeKind::Struct;
  spec::StructField name("name", "const char *");
  name.ann.kind = K::String;
  feature.fields = {spec::StructField("id", "int"), name, spec::StructField("value", "long")};
  s.types.push_back(feature);
  auto list = function("idFeatureList", "const id_feature *", {});
  list.ret.ann.kind = K::Buffer;
  list.ret.ann.direction = D::Out;
  list.ret.ann.size = "terminated(ret, id, 0)";
  s.functions.push_back(list);
  auto g = generate(s, "suite-and-list");
  CHECK(g.reason("idCreateMM").empty());
  CHECK(has(g.server, "memsuite = nullptr;  // allocation callbacks"));
  CHECK(g.reason("idFeatureList").empty());
  CHECK(has(g.server, "remora_terminated_count_by(rm_result, [](const auto& rm_e) { return rm_e.id == 0; }, "
                      "remora::max_message_bytes() / sizeof(*rm_result))"));
  CHECK(has(g.server, "rm_out.put_string(rm_result[rm_i].name);"));
  CHECK(has(g.guest, "rm_e->name = rm_p_name ? remora::text_as<decltype(rm_e->name)>(remora::guest::intern(rm_s_name)) "
                     ": nullptr;"));
}

TEST_CASE("a buffer an object lends is a shadow kept coherent at every call until it lends another or goes",
          "[codegen][c-idioms][mapped]") {
  auto s = handler_spec();
  auto lend = function("idGetBuffer", "void *", {param("p", "id_parser", K::Handle), param("len", "int", K::Value)});
  lend.ret.ann.kind = K::Buffer;
  lend.ret.ann.direction = D::Out;
  lend.ret.ann.size = "len";
  lend.ret.ann.size_unit = spec::SizeUnit::Bytes;
  lend.ret.ann.shadow = "persistent";
  s.functions.push_back(lend);
  auto release = param("p", "id_parser", K::Handle);
  release.ann.deallocates = true;
  s.functions.push_back(function("idFree", "void", {release}));
  auto g = generate(s, "lent-buffer");
  REQUIRE(g.reason("idGetBuffer").empty());
  // The server: what the object lent before ends (the call may have freed it); the new
  // memory is watched and written at every call, as a persistent mapping of the object.
  CHECK(has(g.server, "rm.drop_mappings_of(remora::to_u64(p));"));
  CHECK(has(g.server, "if (rm_result) rm.add_persistent_mapping(rm_result, static_cast<std::uint64_t>(rm_size), "
                      "remora::to_u64(p));"));
  // The guest: the earlier shadow goes, the program gets a persistent one; releasing the
  // object ends its shadows too.
  CHECK(has(g.guest, "remora::guest::shadow_release_owned(remora::to_u64(p));\n"));
  CHECK(has(g.guest, "remora::guest::shadow_create_persistent(rm_real, rm_bytes, rm_size, remora::to_u64(p))"));
  CHECK(has(g.guest, "remora::guest::shadow_release_owned(remora::to_u64(p));  // its mappings end"));
  // Without a handle to own it, it is refused.
  auto s2 = idiom_spec();
  auto orphan = lend;
  orphan.name = "idOrphanBuffer";
  orphan.params = {param("len", "int", K::Value)};
  s2.functions.push_back(orphan);
  CHECK(has(generate(s2, "lent-orphan").reason("idOrphanBuffer"), "needs a handle parameter that owns it"));
}

TEST_CASE("callbacks sharing one user data before them share one record; lengths before their bytes size them",
          "[codegen][c-idioms][callbacks]") {
  auto s = idiom_spec();
  // sqlite3_create_collation_v2's shape: one pArg, then a comparison whose two strings
  // each come after their length, and a destructor of that pArg.
  s.functions.push_back(function(
      "idCollation", "id_status",
      {param("name", "const char *", K::String), userdata(),
       param("cmp", "int (*)(void *, int, const void *, int, const void *)", K::Callback),
       param("destroy", "void (*)(void *)", K::Callback)}));
  // Data with no length beside it is refused, never handed over as NULL.
  s.functions.push_back(
      function("idUnsized", "id_status", {param("cb", "void (*)(void *, const void *)", K::Callback), userdata()}));
  auto g = generate(s, "shared-user-data");
  REQUIRE(g.reason("idCollation").empty());
  CHECK(has(g.server, "remora::server::HeldCallbacks* rm_shared_ud = rm.shared_callbacks(rm_guest_ud);"));
  CHECK(has(g.server, "rm_shared_ud->set(0, remora::is_sentinel_address(rm_guest_cmp) ? 0 : rm_guest_cmp);"));
  CHECK(has(g.server, "rm_shared_ud->set(1, remora::is_sentinel_address(rm_guest_destroy) ? 0 : rm_guest_destroy);"));
  CHECK(has(g.server, ", 1>::call : nullptr;"));
  // Each string travels with the length before it.
  CHECK(has(g.server, "w.put_counted_bytes(std::get<2>(rm_args), std::get<1>(rm_args));"));
  CHECK(has(g.server, "w.put_counted_bytes(std::get<4>(rm_args), std::get<3>(rm_args));"));
  CHECK(g.warned("passes data (const void *) without a length beside it"));
}

TEST_CASE("a callback argument spelled as the API's handle parameters travels as the object's id",
          "[codegen][c-idioms][callbacks]") {
  auto s = idiom_spec();
  spec::Type db;
  db.name = "id_db";
  db.kind = spec::TypeKind::Alias;
  db.underlying = "struct id_db";
  s.types.push_back(db);
  auto close = param("db", "id_db *", K::Handle);
  close.ann.handle_type = "id_db";
  close.ann.deallocates = true;
  s.functions.push_back(function("idClose", "id_status", {close}));
  // A write-ahead-log hook: the library names the database it calls back about.
  auto hook_db = param("db", "id_db *", K::Handle);
  hook_db.ann.handle_type = "id_db";
  s.functions.push_back(function(
      "idWalHook", "id_status",
      {hook_db, param("cb", "int (*)(void *, id_db *, const char *, int)", K::Callback), userdata()}));
  // A pointer to a struct no function takes as a handle is still data the program would read.
  spec::Type info;
  info.name = "id_info";
  info.kind = spec::TypeKind::Struct;
  info.fields = {spec::StructField("size", "int")};
  s.types.push_back(info);
  s.functions.push_back(
      function("idInfoHook", "id_status", {param("cb", "void (*)(void *, id_info *)", K::Callback), userdata()}));
  auto g = generate(s, "handle-arguments");
  REQUIRE(g.reason("idWalHook").empty());
  // Named for the guest, and taken back as an id_db when the program passes it to a call.
  CHECK(has(g.server, "w.put_u64(rec->worker->callback_handle(remora::to_u64(std::get<1>(rm_args)), 0));"));
  CHECK(g.warned("passes a pointer to a struct (id_info)"));
}

TEST_CASE("a callback without user data finds it through its handle argument's one getter; handles come in "
          "arrays counted by its integer",
          "[codegen][c-idioms][callbacks]") {
  auto s = idiom_spec();
  auto handle = [](const std::string& name, const std::string& type) { return param(name, type, K::Handle); };
  // sqlite3_create_function_v2's shape: the user data before a function called with the
  // library's context and its argument values, and a destructor of that user data.
  s.functions.push_back(function(
      "idCreateFunction", "id_status",
      {handle("db", "id_db *"), param("name", "const char *", K::String), param("nArg", "int", K::Value), userdata(),
       param("xFunc", "void (*)(id_ctx *, int, id_value **)", K::Callback),
       param("xDestroy", "void (*)(void *)", K::Callback)}));
  auto getter = function("idUserData", "void *", {handle("ctx", "id_ctx *")});
  getter.ret.ann.kind = K::Opaque;
  s.functions.push_back(getter);
  s.functions.push_back(function("idValueInt", "int", {handle("v", "id_value *")}));
  s.functions.push_back(function("idResultInt", "void", {handle("ctx", "id_ctx *"), param("n", "int", K::Value)}));
  // libpng's shape: several getters of a `void *` on one object, none of them known to be the one.
  for (const char* name : {"idGetIoPtr", "idGetErrorPtr"}) {
    auto g = function(name, "void *", {handle("png", "id_png *")});
    g.ret.ann.kind = K::Opaque;
    s.functions.push_back(g);
  }
  s.functions.push_back(function("idSetReadFn", "id_status",
                                 {handle("png", "id_png *"), userdata(),
                                  param("read", "void (*)(id_png *, int)", K::Callback)}));
  auto g = generate(s, "user-data-getter");
  REQUIRE(g.reason("idCreateFunction").empty());
  // The trampoline asks the library for the user data it holds for the context: the record.
  CHECK(has(g.server, "void* rm_user_data = real_idUserData(std::get<0>(rm_args));"));
  CHECK(has(g.server, "remora::server::held_record(rm_user_data, Slot, "));
  // The values travel as ids, as many as the integer says; the guest checks the count.
  CHECK(has(g.server, "remora::server::put_handle_array(w, *rec->worker, std::get<2>(rm_args), std::get<1>(rm_args), "));
  CHECK(has(g.guest, "remora::guest::HandleArray a2;"));
  CHECK(has(g.guest, "if (!a2.counted_by(a1)) return false;"));
  // The program asking for its user data gets what it gave, not the stack's record.
  CHECK(has(g.server, "rm_out.put_u64(rm.guest_user_data_of(remora::to_u64(rm_result)));"));
  CHECK(g.warned("several functions returning a void * (idGetIoPtr, idGetErrorPtr)"));
}

TEST_CASE("a struct the call only writes has its input pointers cleared before it is sent",
          "[codegen][c-idioms]") {
  // lzma_lzma_preset(lzma_options_lzma *options, preset) on the program's uninitialised
  // stack struct: its preset_dict (an input array sized by preset_dict_size) is stale memory.
  auto s = idiom_spec();
  spec::Type options;
  options.name = "id_options";
  options.kind = spec::TypeKind::Struct;
  spec::StructField dict("preset_dict", "const unsigned char *"), dict_size("preset_dict_size", "unsigned int");
  dict.ann.kind = K::Buffer;
  dict.ann.size = "preset_dict_size";
  dict.ann.size_unit = spec::SizeUnit::Bytes;
  spec::StructField outs("results", "int *");  // an output the program points at its own array
  outs.ann.kind = K::Buffer;
  outs.ann.direction = D::Out;
  outs.ann.size = "preset_dict_size";
  // Typed members (as `remora infer` records them): what makes a struct deep-copyable.
  auto integer = [](const char* name, long long size) {
    spec::CType t;
    t.kind = spec::CTypeKind::Int;
    t.name = name;
    t.size = t.align = size;
    return t;
  };
  auto pointer_to = [](spec::CType to) {
    spec::CType t;
    t.kind = spec::CTypeKind::Pointer;
    t.to = spec::Box<spec::CType>(std::move(to));
    t.size = t.align = 8;
    return t;
  };
  spec::CType byte = integer("unsigned char", 1);
  byte.is_const = true;
  dict.ctype = pointer_to(byte);
  dict_size.ctype = integer("unsigned int", 4);
  outs.ctype = pointer_to(integer("int", 4));
  options.fields = {dict, dict_size, outs};
  s.types.push_back(options);
  s.functions.push_back(function("idPreset", "id_status", {param("options", "id_options *", K::Element, D::Out)}));
  s.functions.push_back(function("idUpdate", "id_status", {param("options", "id_options *", K::Element, D::InOut)}));
  auto g = generate(s, "fresh-structs");
  CHECK(g.reason("idPreset").empty());
  // Only the input member is cleared; the output array's address is the program's capacity.
  CHECK(has(g.guest, "rm_d->preset_dict = nullptr;"));
  CHECK(!has(g.guest, "rm_d->results = nullptr;"));
  // Cleared before the struct is sent, for an out parameter only (in-out reads the program's).
  CHECK(has(g.guest, "if (options) rm_sfresh_0(options);"));
  const auto update = g.guest.find("(idUpdate)(");
  REQUIRE(update != std::string::npos);
  CHECK(g.guest.find("rm_sfresh_0(options)", update) == std::string::npos);
}
