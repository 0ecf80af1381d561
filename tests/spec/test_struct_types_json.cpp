// The typed C model (ctype.h) and annotated struct members in remora-spec/1:
// round trips, the printer, old specs still loading, and validation errors.
#include <catch2/catch.hpp>

#include "remora/spec/ctype.h"
#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"

using namespace remora::spec;

namespace {

CType named(CTypeKind kind, std::string name) {
  CType t;
  t.kind = kind;
  t.name = std::move(name);
  return t;
}
CType pointer_to(CType to, bool is_const = false) {
  CType t;
  t.kind = CTypeKind::Pointer;
  t.is_const = is_const;
  t.to = Box<CType>(std::move(to));
  return t;
}
CType typedef_of(std::string name, CType to) {
  CType t = named(CTypeKind::Typedef, std::move(name));
  t.to = Box<CType>(std::move(to));
  return t;
}
CType const_(CType t) {
  t.is_const = true;
  return t;
}

// z_streamp: typedef -> pointer -> typedef z_stream -> struct z_stream_s
CType z_streamp() {
  CType record = named(CTypeKind::Record, "z_stream_s");
  record.record = "struct";
  return typedef_of("z_streamp", pointer_to(typedef_of("z_stream", record)));
}

std::string errors_of(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += format_issue(e) + "\n";
  return out;
}

void expect_error(const std::string& types_json, const std::string& expected) {
  SpecLoad load = spec_from_json_text(R"({"format": "remora-spec/1", "types": [)" + types_json + "]}");
  INFO("errors:\n" << errors_of(load));
  CHECK_FALSE(load.ok());
  CHECK(errors_of(load).find(expected) != std::string::npos);
}

// A Vulkan-like create-info struct: tag, chain, count + array of strings.
Type create_info() {
  Type t;
  t.name = "ToyCreateInfo";
  t.kind = TypeKind::Struct;
  t.size = 40;
  t.align = 8;
  t.tag = {"sType", "TOY_STRUCTURE_TYPE_CREATE_INFO"};
  auto member = [](std::string name, std::string type, CType ctype, long long offset) {
    StructField f(std::move(name), std::move(type));
    f.ctype = std::move(ctype);
    f.offset = offset;
    return f;
  };
  StructField s_type = member("sType", "ToyStructureType", named(CTypeKind::Enum, "ToyStructureType"), 0);
  StructField next = member("pNext", "const void *", pointer_to(const_(named(CTypeKind::Void, ""))), 8);
  next.ann.kind = Kind::Chain;
  next.ann.nullable = true;
  next.confidence = 0.9;
  next.evidence.push_back({EvidenceSource::Header, {}, 0.85, "next pointer beside the type tag", "toy.h:3"});
  next.evidence.back().says.kind = Kind::Chain;
  StructField count = member("nameCount", "uint32_t", typedef_of("uint32_t", named(CTypeKind::Int, "unsigned int")), 16);
  StructField names = member("ppNames", "const char *const *",
                             pointer_to(pointer_to(const_(named(CTypeKind::Int, "char")), true)), 24);
  names.ann.kind = Kind::Buffer;
  names.ann.size = "nameCount";
  names.ann.element = Box<Annotation>(Annotation{});
  names.ann.element->kind = Kind::String;
  names.status = ReviewStatus::Confirmed;
  names.confidence = 1.0;
  t.fields = {s_type, next, count, names};
  return t;
}

}  // namespace

TEST_CASE("the C declaration printer reads the typed model, not spellings") {
  CHECK(declare(z_streamp(), "strm") == "z_streamp strm");
  CHECK(declare(strip_typedefs(z_streamp()), "strm") == "z_stream *strm");
  CHECK(declare(pointer_to(pointer_to(const_(named(CTypeKind::Int, "char")), true)), "names") ==
        "const char *const *names");
  CType blend;
  blend.kind = CTypeKind::Array;
  blend.extent = 4;
  blend.to = Box<CType>(const_(named(CTypeKind::Float, "float")));
  CHECK(declare(blend, "blend") == "const float blend[4]");
  CType fn;
  fn.kind = CTypeKind::Function;
  fn.returns = Box<CType>(named(CTypeKind::Void, ""));
  fn.params = {pointer_to(const_(named(CTypeKind::Int, "char"))), pointer_to(named(CTypeKind::Void, ""))};
  CHECK(declare(pointer_to(fn), "notify") == "void (*notify)(const char *, void *)");
  CHECK(declare(pointer_to(fn)) == "void (*)(const char *, void *)");
  CHECK(declare(pointer_to(blend), "p") == "const float (*p)[4]");
  CHECK(describe(z_streamp()) == "z_streamp (= pointer to z_stream (= struct z_stream_s))");
}

TEST_CASE("typed queries look through typedefs and keep their qualifiers") {
  CType z = z_streamp();
  CHECK(is_pointer(z));
  REQUIRE(pointee_of(z));
  CHECK(bare(*pointee_of(z)).kind == CTypeKind::Record);
  CHECK(bare(*pointee_of(z)).name == "z_stream_s");
  CHECK_FALSE(is_function_pointer(z));
  CType const_event = const_(typedef_of("cl_event", pointer_to(named(CTypeKind::Record, "_cl_event"))));
  const_event.to->to->complete = false;
  CHECK(strip_typedefs(const_event).is_const);
  CHECK(is_opaque_handle(const_event));
  CHECK_FALSE(is_opaque_handle(z));  // z_stream_s is defined: a struct, not a handle
  CHECK(needs_marshalling(z));
  CHECK_FALSE(needs_marshalling(typedef_of("uint32_t", named(CTypeKind::Int, "unsigned int"))));
  CHECK(is_integer_like(typedef_of("uint32_t", named(CTypeKind::Int, "unsigned int"))));
  CHECK(is_char(const_(named(CTypeKind::Int, "char"))));
}

TEST_CASE("ctypes, struct layouts and member annotations round-trip through JSON") {
  Spec spec;
  spec.types.push_back(create_info());
  Type alias;
  alias.name = "z_streamp";
  alias.underlying = "z_stream *";
  alias.ctype = *z_streamp().to;
  spec.types.push_back(alias);
  Function f;
  f.name = "deflate";
  Param p;
  p.name = "strm";
  p.type = "z_streamp";
  p.ctype = z_streamp();
  p.ann.kind = Kind::Element;
  p.ann.direction = Direction::InOut;
  f.params.push_back(p);
  f.ret.type = "int";
  f.ret.ctype = named(CTypeKind::Int, "int");
  spec.functions.push_back(f);

  std::string text = spec_to_json_text(spec);
  SpecLoad load = spec_from_json_text(text);
  INFO(text);
  for (const auto& w : load.warnings) UNSCOPED_INFO("warning: " << format_issue(w));
  REQUIRE(load.ok());
  CHECK(load.warnings.empty());
  CHECK(load.spec == spec);
  CHECK(text.find(R"("kind": "chain")") != std::string::npos);
  CHECK(text.find(R"("tag": {)") != std::string::npos);
  // A plain value member keeps the old short form (no annotation fields).
  Json j = Json::parse(text);
  Json s_type = j["types"][0]["fields"][0];
  CHECK(s_type.find("kind") == s_type.end());
  CHECK(s_type["offset"] == 0);
}

TEST_CASE("specs written before the typed model still load") {
  SpecLoad load = spec_from_json_text(R"({"format": "remora-spec/1", "types": [
      {"name": "cl_image_format", "kind": "struct", "fields": [
        {"name": "image_channel_order", "type": "cl_channel_order"},
        {"name": "image_channel_data_type", "type": "cl_channel_type"}]}],
    "functions": [{"name": "f", "params": [{"name": "x", "type": "int", "direction": "in", "kind": "value"}]}]})");
  REQUIRE(load.ok());
  CHECK(load.warnings.empty());
  const Type* t = load.spec.find_type("cl_image_format");
  REQUIRE(t);
  REQUIRE(t->fields.size() == 2);
  CHECK(t->fields[0].ctype.empty());
  CHECK(t->fields[0].ann.kind == Kind::Value);
  CHECK(t->supported);
  CHECK(load.spec.functions[0].params[0].ctype.empty());
  // and are written back in the same short form
  CHECK(type_to_json(*t)["fields"][0] == Json{{"name", "image_channel_order"}, {"type", "cl_channel_order"}});
}

TEST_CASE("member annotations are validated against their struct") {
  expect_error(R"({"name": "S", "kind": "struct", "fields": [
                   {"name": "n", "type": "int"},
                   {"name": "p", "type": "int *", "direction": "in", "kind": "buffer", "size": "count"}]})",
               "S.p: size \"count\" refers to missing field 'count' (fields: n, p)");
  expect_error(R"({"name": "S", "kind": "struct", "fields": [
                   {"name": "p", "type": "int *", "kind": "buffer", "size": "n +"}]})",
               "S.p: size \"n +\" does not parse");
  expect_error(R"({"name": "S", "kind": "struct", "fields": [
                   {"name": "n", "type": "int", "ctype": {"kind": "int", "name": "int"}, "kind": "chain"}]})",
               "S.n: kind chain needs a pointer field, but 'n' is int");
  expect_error(R"({"name": "S", "kind": "struct", "tag": {"field": "sType"}, "fields": [{"name": "n", "type": "int"}]})",
               "S.tag: tag field 'sType' is not a field of S");
  expect_error(R"({"name": "S", "kind": "struct", "fields": [{"name": "n", "type": "int"}, {"name": "n", "type": "int"}]})",
               "S.n: field \"n\" appears more than once");
  expect_error(R"({"name": "S", "kind": "struct", "fields": [{"name": "p", "type": "int *", "kind": "pointer"}]})",
               "S.p: unknown kind \"pointer\"");
  expect_error(R"({"name": "S", "kind": "struct", "fields": [{"name": "p", "type": "int *", "confidence": 2}]})",
               "S.p: confidence 2.000000 is outside [0, 1]");
  expect_error(R"({"name": "S", "kind": "struct", "record": "class"})", "unknown record \"class\" (allowed: struct, union)");
}

TEST_CASE("bad ctypes are errors that name where they are") {
  expect_error(R"({"name": "T", "ctype": {"kind": "pointer"}})", "T.ctype: pointer ctype needs \"to\"");
  expect_error(R"({"name": "T", "ctype": {"kind": "ref", "name": "x"}})", "T.ctype: unknown kind \"ref\"");
  expect_error(R"({"name": "T", "ctype": {"kind": "typedef", "to": {"kind": "void"}}})", "typedef ctype needs a name");
  expect_error(R"({"name": "T", "ctype": {"kind": "array", "extent": -2, "to": {"kind": "int", "name": "int"}}})",
               "array extent -2 is negative");
  expect_error(R"({"name": "T", "ctype": {"name": "int"}})", "T.ctype: ctype needs a kind");
  // Hostile nesting is refused, not recursed into without bound.
  std::string deep = R"({"kind": "int", "name": "int"})";
  for (int i = 0; i < 40; ++i) deep = R"({"kind": "pointer", "to": )" + deep + "}";
  expect_error(R"({"name": "T", "ctype": )" + deep + "}", "ctype nested more than 32 levels deep");
}

TEST_CASE("a struct that cannot be deep-copied says why") {
  SpecLoad load = spec_from_json_text(R"({"format": "remora-spec/1", "types": [
      {"name": "S", "kind": "struct", "supported": false, "fields": [{"name": "p", "type": "void *"}]}]})");
  REQUIRE(load.ok());
  bool warned = false;
  for (const auto& w : load.warnings) warned = warned || w.message.find("unsupported without an unsupported_reason") != std::string::npos;
  CHECK(warned);
}
