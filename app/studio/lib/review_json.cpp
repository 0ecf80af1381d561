#include "review_json.h"

#include <nlohmann/json.hpp>

#include "remora/spec/json_io.h"

namespace remora::studio {

namespace {
// Serialize a one-function spec and pick the function object out of it.
nlohmann::json function_object(const spec::Function& f) {
  spec::Spec mini;
  mini.api.name = "snapshot";
  mini.functions.push_back(f);
  auto doc = nlohmann::json::parse(spec::spec_to_json_text(mini, -1), nullptr, false);
  if (doc.is_discarded() || !doc.contains("functions") || doc["functions"].empty()) return {};
  return doc["functions"][0];
}
}  // namespace

std::string param_snapshot_json(const spec::Function& f, const spec::Param& p) {
  spec::Function only = f;
  only.params = {p};
  auto fn = function_object(only);
  if (!fn.contains("params") || fn["params"].empty()) return "{}";
  return fn["params"][0].dump();
}

std::string function_snapshot_json(const spec::Function& f) {
  spec::Function only = f;
  only.params.clear();
  auto fn = function_object(only);
  fn.erase("params");
  return fn.dump();
}

}  // namespace remora::studio
