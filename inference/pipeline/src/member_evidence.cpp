#include "member_evidence.h"

#include <unordered_map>

#include "remora/spec/size_expr.h"

namespace remora::inference {

namespace {

spec::StructField* find_field(spec::Type& t, const std::string& name) {
  for (auto& f : t.fields)
    if (f.name == name) return &f;
  return nullptr;
}

// A size the struct can evaluate: it parses and names only sibling members.
bool size_over_siblings(spec::Type& t, const std::string& size) {
  spec::SizeExprParse parsed = spec::parse_size_expr(size);
  if (!parsed) return false;
  for (const auto& name : spec::size_expr_params(*parsed.expr))
    if (!find_field(t, name)) return false;
  return true;
}

}  // namespace

void add_member_evidence(spec::Spec& spec, const std::vector<docs::MemberClaim>& claims) {
  std::unordered_map<std::string, spec::Type*> structs;
  for (auto& t : spec.types)
    if (t.kind == spec::TypeKind::Struct) structs.emplace(t.name, &t);
  for (const auto& c : claims) {
    auto it = structs.find(c.type);
    if (it == structs.end()) continue;
    spec::StructField* field = find_field(*it->second, c.field);
    if (!field) continue;
    if (c.says.size && !size_over_siblings(*it->second, *c.says.size)) continue;
    field->evidence.push_back({spec::EvidenceSource::Docs, c.says, c.weight, c.why, c.location});
  }
}

}  // namespace remora::inference
