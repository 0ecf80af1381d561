// Strings given by their bytes: an element of kind string whose size is
// `lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1`
// (docs/spec-format.md). Read from JSON, validated, written back unchanged, and kept
// by the project store.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"

using namespace remora::spec;
namespace fs = std::filesystem;

namespace {

const char* kIdiom = "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1";

std::string doc(const std::string& element_size) {
  return R"({"format": "remora-spec/1", "functions": [{"name": "loadSources", "params": [
      {"name": "count", "type": "unsigned int", "direction": "in", "kind": "value"},
      {"name": "strings", "type": "const char **", "direction": "in", "kind": "buffer", "size": "count",
       "element": {"kind": "string", "direction": "in", "size_unit": "bytes", "size": ")" +
         element_size + R"("}},
      {"name": "lengths", "type": "const size_t *", "direction": "in", "kind": "buffer", "size": "count",
       "nullable": true}]}]})";
}

std::string errors_of(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += format_issue(e) + "\n";
  return out;
}

}  // namespace

TEST_CASE(
    "an element sized by optional lengths or its NUL round-trips through JSON and the project "
    "store",
    "[json][store][optional-lengths]") {
  SpecLoad load = spec_from_json_text(doc(kIdiom));
  INFO(errors_of(load));
  REQUIRE(load.ok());
  const Param* strings = load.spec.find_function("loadSources")->find_param("strings");
  REQUIRE(strings->ann.element);
  CHECK(strings->ann.element->kind == Kind::String);
  CHECK(strings->ann.element->size == kIdiom);
  CHECK(strings->ann.element->size_unit == SizeUnit::Bytes);

  SpecLoad again = spec_from_json_text(spec_to_json_text(load.spec));
  REQUIRE(again.ok());
  CHECK(again.spec == load.spec);

  fs::path dir =
      fs::temp_directory_path() / ("remora-optional-lengths-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    auto store = ProjectStore::open((dir / "p.remora").string());
    store->save_spec(load.spec);
  }
  CHECK(ProjectStore::open((dir / "p.remora").string())->load_spec() == load.spec);
  fs::remove_all(dir);

  // A name the function does not have is refused, naming the element.
  SpecLoad bad =
      spec_from_json_text(doc("lens != 0 && lens[i] != 0 ? lens[i] : strlen(strings[i]) + 1"));
  CHECK_FALSE(bad.ok());
  CHECK(errors_of(bad).find("strings.element: size") != std::string::npos);
  CHECK(errors_of(bad).find("refers to missing parameter 'lens'") != std::string::npos);
}
