#include <catch2/catch.hpp>

#include "docs_test_support.h"
#include "remora/inference/docs/claims.h"

using namespace remora;
using namespace remora::docs_test;
using spec::Direction;

namespace {
spec::Spec query_spec() {
  spec::Spec s;
  s.functions.push_back(function("wgtQuery", "int",
                                 {param("w", "wgt_t"), param("props", "const int *"), param("value", "void *"),
                                  param("value_size", "size_t"), param("count_ret", "size_t *"),
                                  param("state", "int *")}));
  s.types.push_back(handle_type("wgt_t"));
  return s;
}
}  // namespace

TEST_CASE("'is a pointer to memory where ... will be returned' says out - quoting the sentence") {
  auto s = query_spec();
  auto d = mine(s, "q.adoc",
                refpage("wgtQuery", "Query a widget",
                        "  * _value_ is a pointer to memory where the answer\n    will be returned.\n"
                        "  * _count_ret_ returns the number of answers.\n"
                        "  * _props_ specifies a list of properties.\n"
                        "  * _state_ on input, the old state; on output, the new state."));
  CHECK(d.empty());
  auto* out = find_docs_evidence(param_of(s, "wgtQuery", "value").evidence,
                                 [](const auto& says) { return says.direction == Direction::Out; });
  REQUIRE(out);
  CHECK(out->why == "\"value is a pointer to memory where the answer will be returned.\"");
  CHECK(out->location.ends_with("q.adoc:3"));
  CHECK(out->weight >= 0.8);
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "count_ret").evidence,
                           [](const auto& says) { return says.direction == Direction::Out; }));
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "props").evidence,
                           [](const auto& says) { return says.direction == Direction::In; }));
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "state").evidence,
                           [](const auto& says) { return says.direction == Direction::InOut; }));
}

TEST_CASE("direction is not claimed for scalars - handles or const pointees said to be returned") {
  auto s = query_spec();
  mine(s, "q.adoc",
       refpage("wgtQuery", "Query a widget",
               "  * _w_ returns nothing useful.\n  * _value_size_ specifies the size.\n"
               "  * _props_ returns values through a table."));
  for (const char* p : {"w", "value_size", "props"})
    CHECK_FALSE(find_docs_evidence(param_of(s, "wgtQuery", p).evidence,
                                   [](const auto& says) { return says.direction == Direction::Out; }));
}

TEST_CASE("markdown [out] tags are explicit direction evidence") {
  auto s = query_spec();
  mine(s, "q.md", "## wgtQuery\n\n- [out] `state`: the state.\n- `value` (in,out): the value.\n");
  auto* e = find_docs_evidence(param_of(s, "wgtQuery", "state").evidence,
                               [](const auto& says) { return says.direction == Direction::Out; });
  REQUIRE(e);
  CHECK(e->weight >= 0.9);
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "value").evidence,
                           [](const auto& says) { return says.direction == Direction::InOut; }));
}

TEST_CASE("terse reference styles without a verb read like prose") {
  auto s = query_spec();
  mine(s, "q.md",
       "## wgtQuery\n\n### Parameters\n\n- `value` (void *): Pointer to memory where the answer is returned.\n"
       "- `value_size` - Size in bytes of `value`.\n- `props`: Array of properties, terminated with 0.\n");
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "value").evidence,
                           [](const auto& says) { return says.direction == Direction::Out; }));
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "value").evidence,
                           [](const auto& says) { return says.size == std::optional<std::string>("value_size"); }));
  CHECK(find_docs_evidence(param_of(s, "wgtQuery", "props").evidence,
                           [](const auto& says) { return says.size == std::optional<std::string>("terminated(props)"); }));
  CHECK(remora::inference::docs::normalized_predicate(": pointer to x") == "is a pointer to x");
  CHECK(remora::inference::docs::normalized_predicate("(size_t) - array of n") == "is an array of n");
  CHECK(remora::inference::docs::normalized_predicate("returns the count") == "returns the count");
}
