#include "registry_len.h"

#include "remora/inference/docs/text_util.h"
#include "remora/spec/size_expr.h"

namespace remora::inference::docs {

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    out.emplace_back(trim(s.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

std::string describe_registry_declaration(const RegistryParam& rp) {
  std::string text = "registry: " + rp.type + " " + rp.name;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) text += std::string(" ") + key + "=\"" + value + "\"";
  };
  add("len", rp.len);
  add("altlen", rp.altlen);
  add("optional", rp.optional);
  add("externsync", rp.externsync);
  if (rp.noautovalidity) add("noautovalidity", "true");
  return text;
}

std::optional<LenClaim> claim_from_len(const RegistryParam& rp, const LenTarget& target,
                                       const SiblingLookup& sibling, bool allow_arrow) {
  if (rp.len.empty()) return std::nullopt;
  std::vector<std::string> parts = split_commas(rp.len);
  const std::string& count = parts.front();
  bool terminated_elements = parts.size() > 1 && parts[1] == "null-terminated";
  spec::SizeUnit unit = target.void_pointer ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements;
  auto buffer = [&](std::string size, double weight) {
    LenClaim c;
    c.says.kind = spec::Kind::Buffer;
    c.says.size = std::move(size);
    c.says.size_unit = unit;
    if (terminated_elements) c.says.element_kind = spec::Kind::String;
    c.weight = weight;
    return c;
  };

  if (count == "null-terminated" && target.char_pointer) {
    LenClaim c;
    c.says.kind = spec::Kind::String;
    c.weight = 0.85;
    return c;
  }
  if (std::optional<LenSibling> n = sibling(count); n && n->count)
    return buffer(n->pointee_integer ? "*" + n->name : n->name, 0.85);
  if (std::size_t arrow = count.find("->"); allow_arrow && arrow != std::string::npos &&
                                            sibling(trim(std::string_view(count).substr(0, arrow))))
    return buffer(
        count,
        0.8);  // len="pCreateInfo->enabledLayerCount": a count held in a struct the call reads
  if (count == "null-terminated" || count == "0-terminated") {
    LenClaim c;
    c.says.kind = spec::Kind::Buffer;
    c.says.size = "terminated(" + target.name + ")";
    c.says.size_unit = spec::SizeUnit::Elements;
    c.weight = 0.8;
    return c;
  }
  // len="latexmath:[\lceil{\mathit{samples} \over 32}\rceil]" altlen="(samples + 31) / 32":
  // the C form, usable when it only names siblings.
  if (!rp.altlen.empty()) {
    spec::SizeExprParse parsed = spec::parse_size_expr(rp.altlen);
    if (!parsed) return std::nullopt;
    for (const auto& name : spec::size_expr_params(*parsed.expr))
      if (auto n = sibling(name); !n || !n->count)
        return std::nullopt;  // a constant (2*VK_UUID_SIZE): no value here
    return buffer(spec::print_size_expr(*parsed.expr), 0.8);
  }
  return std::nullopt;
}

}  // namespace remora::inference::docs
