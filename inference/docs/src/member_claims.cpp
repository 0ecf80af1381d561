#include "remora/inference/docs/member_claims.h"

#include "registry_len.h"
#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {

namespace {

int pointer_depth(const std::string& type) {
  int depth = 0;
  for (char c : type) depth += c == '*';
  return depth;
}

// "const char *", "char *const *" ... spelled with `base` as the pointee.
bool pointee_is(const std::string& type, std::string_view base) {
  std::string_view t = type;
  if (t.starts_with("const ")) t.remove_prefix(6);
  return t.starts_with(base) && t.size() > base.size() &&
         (t[base.size()] == ' ' || t[base.size()] == '*');
}

}  // namespace

std::vector<MemberClaim> member_claims(const RegistryStruct& s) {
  std::vector<MemberClaim> out;
  SiblingLookup sibling = [&](std::string_view name) -> std::optional<LenSibling> {
    for (const auto& m : s.members)
      if (m.name == name) return LenSibling{m.name, false, pointer_depth(m.type) == 0};
    return std::nullopt;
  };
  for (const RegistryParam& m : s.members) {
    int depth = pointer_depth(m.type);
    if (depth == 0) continue;
    auto claim = [&](spec::AnnotationPatch says, double weight) {
      out.push_back({s.name, m.name, std::move(says), weight,
                     "\"" + describe_registry_declaration(m) + "\"",
                     s.file + ":" + std::to_string(m.line)});
    };
    bool char_pointer = depth == 1 && pointee_is(m.type, "char");
    bool void_pointer = depth == 1 && pointee_is(m.type, "void");
    if (auto c = claim_from_len(m, LenTarget{m.name, char_pointer, void_pointer}, sibling,
                                /*allow_arrow=*/false)) {
      claim(c->says, c->weight);
    } else if (m.len.empty() && depth == 1 && !char_pointer && !void_pointer) {
      // `const VkApplicationInfo *pApplicationInfo`: no count, so one object.
      spec::AnnotationPatch one;
      one.kind = spec::Kind::Element;
      claim(one, 0.6);
    }
    // A struct only the API fills (returnedonly) is written through; a const
    // pointee is only read.
    bool const_pointee = m.type.rfind("const ", 0) == 0;
    if (s.returned_only || (const_pointee && (!void_pointer || !m.len.empty()))) {
      spec::AnnotationPatch direction;
      direction.direction = s.returned_only ? spec::Direction::Out : spec::Direction::In;
      claim(direction, s.returned_only ? 0.6 : 0.5);
    }
    if (!m.optional.empty()) {
      std::string first = split_commas(m.optional).front();
      if (first == "true" || first == "false") {
        spec::AnnotationPatch nullable;
        nullable.nullable = first == "true";
        claim(nullable, (first == "true" ? 0.8 : 0.5) * (m.noautovalidity ? 0.6 : 1.0));
      }
    }
  }
  return out;
}

}  // namespace remora::inference::docs
