// A `when` clause may describe the buffers a buffer of buffers points to:
// "element": {"kind", "direction", "size", "size_unit"}. Read, written back,
// applied to the annotation and validated like the parameter's own fields.
#include <catch2/catch.hpp>

#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "remora/spec/model.h"

using namespace remora::spec;

namespace {

std::string issues_text(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += "error: " + format_issue(e) + "\n";
  for (const auto& w : load.warnings) out += "warning: " + format_issue(w) + "\n";
  return out;
}

// f(k, n, len, blobs): `blobs` is read as n pointers; with k == 1 they point to
// output buffers of len[i] bytes each. `when_element` is the clause's element object.
std::string doc(const std::string& when_element, const std::string& when_extra = "") {
  return R"({"format": "remora-spec/1", "functions": [{"name": "f", "params": [
      {"name": "k", "type": "int", "direction": "in", "kind": "value"},
      {"name": "n", "type": "size_t", "direction": "in", "kind": "value"},
      {"name": "len", "type": "const size_t *", "direction": "in", "kind": "buffer", "size": "n"},
      {"name": "blobs", "type": "unsigned char **", "direction": "in", "kind": "buffer", "size": "n",
       "element": {"kind": "buffer", "direction": "in", "size": "len[i]", "size_unit": "bytes"},
       "when": [{"if": "k == 1", "kind": "buffer", "direction": "in", "size": "n", "element": )" +
         when_element + when_extra + "}]}]}]}";
}

const char* kOutElement = R"({"kind": "buffer", "direction": "out", "size": "len[i]", "size_unit": "bytes"})";

std::string all_errors(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += format_issue(e) + "\n";
  return out;
}

}  // namespace

TEST_CASE("a when clause's element fields are read", "[json][when]") {
  SpecLoad load = spec_from_json_text(doc(kOutElement));
  INFO(issues_text(load));
  REQUIRE(load.ok());
  CHECK(load.errors.empty());
  CHECK(load.warnings.empty());
  const Function* f = load.spec.find_function("f");
  REQUIRE(f);
  const Param* blobs = f->find_param("blobs");
  REQUIRE(blobs);
  REQUIRE(blobs->when.size() == 1);
  const When& w = blobs->when[0];
  CHECK(w.condition == "k == 1");
  const AnnotationPatch& o = w.overrides;
  CHECK(o.kind == Kind::Buffer);
  CHECK(o.direction == Direction::In);
  CHECK(o.size == std::optional<std::string>("n"));
  CHECK(o.element_kind == Kind::Buffer);
  CHECK(o.element_direction == Direction::Out);
  CHECK(o.element_size == std::optional<std::string>("len[i]"));
  CHECK(o.element_size_unit == SizeUnit::Bytes);
  // The base annotation's element keeps its own (input) direction.
  REQUIRE(blobs->ann.element);
  CHECK(blobs->ann.element->direction == Direction::In);
  CHECK(blobs->ann.element->size == "len[i]");
}

TEST_CASE("a when clause's element fields are written back unchanged", "[json][when]") {
  SpecLoad load = spec_from_json_text(doc(kOutElement));
  REQUIRE(load.ok());
  Json j = spec_to_json(load.spec);
  const Json& when = j["functions"][0]["params"][3]["when"][0];
  INFO(when.dump());
  CHECK(when["if"] == "k == 1");
  REQUIRE(when.contains("element"));
  const Json& e = when["element"];
  CHECK(e["kind"] == "buffer");
  CHECK(e["direction"] == "out");
  CHECK(e["size"] == "len[i]");
  CHECK(e["size_unit"] == "bytes");
  CHECK(e.size() == 4);  // nothing else invented
  CHECK_FALSE(when.contains("element_kind"));

  // Written text reads back to the same spec, and writes the same text again.
  std::string text = spec_to_json_text(load.spec);
  SpecLoad again = spec_from_json_text(text);
  INFO(issues_text(again));
  REQUIRE(again.ok());
  CHECK(again.spec == load.spec);
  CHECK(spec_to_json_text(again.spec) == text);
}

TEST_CASE("element fields alone are written without the ones not given", "[json][when]") {
  // Only a direction for the pointees: the clause is not empty, and writes only that.
  SpecLoad load = spec_from_json_text(doc(R"({"direction": "inout"})"));
  INFO(issues_text(load));
  REQUIRE(load.ok());
  CHECK(load.warnings.empty());  // not "when clause overrides nothing"
  const AnnotationPatch& o = load.spec.functions[0].params[3].when[0].overrides;
  CHECK(o.element_direction == Direction::InOut);
  CHECK_FALSE(o.element_kind);
  CHECK_FALSE(o.element_size);
  CHECK_FALSE(o.element_size_unit);
  Json e = spec_to_json(load.spec)["functions"][0]["params"][3]["when"][0]["element"];
  CHECK(e == Json{{"direction", "inout"}});

  // A clause whose only override is an element field still counts as overriding something.
  AnnotationPatch only_size;
  only_size.element_size = "4";
  CHECK_FALSE(only_size.empty());
  AnnotationPatch only_unit;
  only_unit.element_size_unit = SizeUnit::Elements;
  CHECK_FALSE(only_unit.empty());
}

TEST_CASE("applying the patch sets the element's direction, size and unit", "[json][when]") {
  SpecLoad load = spec_from_json_text(doc(kOutElement));
  REQUIRE(load.ok());
  const Param& blobs = load.spec.functions[0].params[3];
  Annotation a = blobs.ann;
  apply(a, blobs.when[0].overrides);
  CHECK(a.kind == Kind::Buffer);
  CHECK(a.direction == Direction::In);
  CHECK(a.size == "n");
  REQUIRE(a.element);
  CHECK(a.element->kind == Kind::Buffer);
  CHECK(a.element->direction == Direction::Out);
  CHECK(a.element->size == "len[i]");
  CHECK(a.element->size_unit == SizeUnit::Bytes);
  // The base annotation is untouched (apply works on a copy).
  CHECK(blobs.ann.element->direction == Direction::In);

  // On an annotation with no element yet, the patch creates one.
  Annotation bare;
  bare.kind = Kind::Buffer;
  bare.size = "n";
  AnnotationPatch p;
  p.element_kind = Kind::Buffer;
  p.element_direction = Direction::Out;
  p.element_size = "len[i] * 2";
  p.element_size_unit = SizeUnit::Elements;
  apply(bare, p);
  REQUIRE(bare.element);
  CHECK(bare.element->kind == Kind::Buffer);
  CHECK(bare.element->direction == Direction::Out);
  CHECK(bare.element->size == "len[i] * 2");
  CHECK(bare.element->size_unit == SizeUnit::Elements);

  // Fields the patch does not name keep the element's own values.
  Annotation keep = blobs.ann;
  AnnotationPatch dir_only;
  dir_only.element_direction = Direction::InOut;
  apply(keep, dir_only);
  REQUIRE(keep.element);
  CHECK(keep.element->direction == Direction::InOut);
  CHECK(keep.element->kind == Kind::Buffer);
  CHECK(keep.element->size == "len[i]");
  CHECK(keep.element->size_unit == SizeUnit::Bytes);
}

TEST_CASE("a bad element size in a when clause is reported where it is", "[json][when]") {
  SpecLoad load = spec_from_json_text(
      doc(R"({"kind": "buffer", "direction": "out", "size": "len[i] *", "size_unit": "bytes"})"));
  std::string errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK_FALSE(load.ok());
  CHECK(errors.find("f.blobs.when[0].element: size \"len[i] *\" does not parse at offset 8") != std::string::npos);

  // An index that is not a constant or i.
  load = spec_from_json_text(doc(R"({"kind": "buffer", "size": "len[j]"})"));
  errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK(errors.find("f.blobs.when[0].element: size \"len[j]\" does not parse at offset 4") != std::string::npos);

  // A parameter that does not exist.
  load = spec_from_json_text(doc(R"({"kind": "buffer", "size": "lengths[i]"})"));
  errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK(errors.find("f.blobs.when[0].element: size \"lengths[i]\" refers to missing parameter 'lengths'") !=
        std::string::npos);

  // An unknown direction or unit in the element claim names the element.
  load = spec_from_json_text(doc(R"({"kind": "buffer", "direction": "sideways", "size": "len[i]"})"));
  errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK(errors.find("f.blobs.when[0].element: unknown direction \"sideways\"") != std::string::npos);
  load = spec_from_json_text(doc(R"({"kind": "buffer", "size": "len[i]", "size_unit": "words"})"));
  errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK(errors.find("f.blobs.when[0].element: unknown size_unit \"words\"") != std::string::npos);

  // The same check runs on an in-memory spec (validate_spec).
  SpecLoad good = spec_from_json_text(doc(kOutElement));
  REQUIRE(good.ok());
  Spec spec = good.spec;
  CHECK(validate_spec(spec).empty());
  spec.functions[0].params[3].when[0].overrides.element_size = "min(len[i]";
  auto issues = validate_spec(spec);
  REQUIRE(issues.size() == 1);
  CHECK(format_issue(issues[0]).find("f.blobs.when[0].element: size \"min(len[i]\" does not parse") == 0);
}

TEST_CASE("a typo in a when clause's element claim is a warning", "[json][when]") {
  SpecLoad load = spec_from_json_text(doc(R"({"kind": "buffer", "direction": "out", "sise": "len[i]"})"));
  INFO(issues_text(load));
  CHECK(load.ok());
  bool warned = false;
  for (const auto& w : load.warnings)
    warned |= format_issue(w).find("f.blobs.when[0].element: unknown field \"sise\"") != std::string::npos;
  CHECK(warned);
}
