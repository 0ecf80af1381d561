#include "optional_handles.h"

#include <map>

#include "name_patterns.h"
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {
namespace {

struct Uses {
  int by_value = 0;       // by-value parameters of the type, outside release calls
  int default_null = 0;   // of which the C++ declaration defaults to NULL
};

bool releases(const ParsedFunction& f) { return names::releases_object(identifier_words(f.name)); }

}  // namespace

void add_optional_handle_evidence(spec::Spec& spec, const ParsedHeader& header) {
  std::map<std::string, Uses> uses;
  for (const ParsedFunction& f : header.functions) {
    if (releases(f)) continue;
    for (const ParsedParam& p : f.params) {
      if (!p.type.is_handle) continue;
      Uses& u = uses[p.type.typedef_name];
      ++u.by_value;
      if (p.defaults_to_null) ++u.default_null;
    }
  }
  for (const ParsedFunction& f : header.functions) {
    spec::Function* fn = spec.find_function(f.name);
    if (!fn || fn->params.size() != f.params.size() || releases(f)) continue;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const ParsedParam& p = f.params[i];
      if (!p.type.is_handle || p.defaults_to_null) continue;
      const Uses& u = uses[p.type.typedef_name];
      if (u.default_null < 3 || 4 * u.default_null < u.by_value) continue;  // 3 and a quarter: not a lone default
      spec::AnnotationPatch nullable;
      nullable.nullable = true;
      fn->params[i].evidence.push_back(header_evidence(
          nullable, 0.5,
          "'" + p.type.typedef_name + "' defaults to NULL in " + std::to_string(u.default_null) + " of the " +
              std::to_string(u.by_value) + " declarations that take it (C++ default arguments): NULL is a value the "
              "API gives a meaning (a default object)",
          f.file + ":" + std::to_string(p.line)));
    }
  }
}

}  // namespace remora::inference
