// Robustness of the spec reader: thousands of mutated documents (values
// swapped for other JSON types, keys dropped, text truncated or corrupted)
// must each give a spec or issues, never an exception or a crash.
#include <catch2/catch.hpp>
#include <random>

#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "rich_spec.h"

using namespace remora::spec;

namespace {

const Json kReplacements[] = {nullptr,
                              true,
                              0,
                              -1,
                              1.5,
                              1e300,
                              "",
                              "out",
                              "n +",
                              Json::array(),
                              Json::array({1, "x"}),
                              Json::object(),
                              Json{{"kind", 7}}};

// Visits every value node of `j` and calls f on it.
void for_each_node(Json& j, const std::function<void(Json&)>& f) {
  f(j);
  if (j.is_object() || j.is_array())
    for (auto& child : j) for_each_node(child, f);
}

std::size_t count_nodes(Json& j) {
  std::size_t n = 0;
  for_each_node(j, [&](Json&) { ++n; });
  return n;
}

}  // namespace

TEST_CASE("structurally mutated documents give issues, never exceptions") {
  const Json original = spec_to_json(testing::rich_spec());
  std::mt19937 rng(2024);
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    Json doc = original;
    std::size_t nodes = count_nodes(doc);
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      std::size_t target = rng() % nodes, at = 0;
      bool drop_key = rng() % 4 == 0;
      const Json& replacement =
          kReplacements[rng() % (sizeof(kReplacements) / sizeof(kReplacements[0]))];
      for_each_node(doc, [&](Json& node) {
        if (at++ != target) return;
        if (drop_key && node.is_object() && !node.empty())
          node.erase(node.begin());
        else
          node = replacement;
      });
      nodes = count_nodes(doc);
    }
    SpecLoad load;
    REQUIRE_NOTHROW(load = spec_from_json_text(doc.dump()));
    if (!load.ok()) ++rejected;
    for (const auto& issue : load.errors) REQUIRE_FALSE(issue.message.empty());
  }
  CHECK(rejected > 1000);  // the mutations do hit validation
}

TEST_CASE("truncated and corrupted text gives issues, never exceptions") {
  const std::string text = spec_to_json_text(testing::rich_spec());
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string doc = text.substr(0, rng() % text.size());
    if (i % 2) {
      doc = text;
      for (int k = 0; k < 3; ++k) doc[rng() % doc.size()] = static_cast<char>(rng() % 256);
    }
    SpecLoad load;
    REQUIRE_NOTHROW(load = spec_from_json_text(doc));
    if (!load.ok()) REQUIRE_FALSE(load.errors[0].message.empty());
  }
}

TEST_CASE("deeply nested element annotations are refused, not recursed into") {
  std::string doc =
      R"({"format": "remora-spec/1", "functions": [{"name": "f", "params": [{"name": "p", "type": "int *", "direction": "in", "kind": "buffer", "size": "1", )";
  const int depth = 40;  // under the document's depth bound, over the element bound
  for (int i = 0; i < depth; ++i) doc += "\"element\": {";
  doc += "\"kind\": \"value\"";
  for (int i = 0; i < depth; ++i) doc += "}";
  doc += "}]}]}";
  SpecLoad load;
  REQUIRE_NOTHROW(load = spec_from_json_text(doc));
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("nested more than 16 levels") != std::string::npos);
}

TEST_CASE("100k nested arrays or objects anywhere are refused by a linear pre-scan") {
  const int depth = 100000;
  std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  for (const std::string& deep : {arrays, objects}) {
    for (const std::string& doc :
         {deep, R"({"format": "remora-spec/1", "functions": [{"name": "f", "params": )" + deep + "}]}",
          R"({"format": "remora-spec/1", "types": [{"name": "t", "evidence": [{"says": )" + deep + "}]}]}"}) {
      SpecLoad load;
      REQUIRE_NOTHROW(load = spec_from_json_text(doc));
      REQUIRE_FALSE(load.ok());
      CHECK(load.errors[0].message.find("nested more than 64 levels") != std::string::npos);
    }
  }
  // Brackets inside strings do not count; 64 levels still load.
  std::string in_string = "{\"a\": \"" + std::string(100, '[') + "\\\"" + std::string(100, '{') + "\"}";
  SpecIssues issues;
  CHECK(parse_json_text(in_string, issues));
  CHECK(issues.errors.empty());
  CHECK_FALSE(json_too_deep(std::string(64, '[') + std::string(64, ']')));
  CHECK(json_too_deep(std::string(65, '[') + std::string(65, ']')) == std::size_t{64});
}
