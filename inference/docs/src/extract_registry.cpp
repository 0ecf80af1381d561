// Registry declarations: `len` names the element count of an array parameter
// ("num_entries", "null-terminated", "count,null-terminated"); `optional`
// says whether NULL is accepted.
#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

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

}  // namespace

void extract_registry(const RegistryCommand& cmd, const FunctionFacts& fn, Claims& out,
                      std::deque<Sentence>& storage) {
  bool positional = cmd.params.size() == fn.params.size();
  for (std::size_t i = 0; i < cmd.params.size(); ++i) {
    const RegistryParam& rp = cmd.params[i];
    const ParamFacts* target = fn.find(rp.name);
    if (!target && positional) target = &fn.params[i];  // renamed, same position
    if (!target) continue;
    if (rp.len.empty() && rp.optional.empty()) continue;
    Sentence decl;
    decl.text = "registry: " + rp.type + " " + rp.name;
    if (!rp.len.empty()) decl.text += " len=\"" + rp.len + "\"";
    if (!rp.optional.empty()) decl.text += " optional=\"" + rp.optional + "\"";
    decl.file = cmd.file;
    decl.line = rp.line;
    storage.push_back(std::move(decl));
    const Sentence* sentence = &storage.back();
    auto claim = [&](spec::AnnotationPatch p, double w) { out.push_back(Claim{target->name, std::move(p), w, sentence}); };
    if (!rp.len.empty()) {
      std::vector<std::string> parts = split_commas(rp.len);
      const std::string& count = parts.front();
      bool terminated_elements = parts.size() > 1 && parts[1] == "null-terminated";
      if (count == "null-terminated" && target->char_pointer) {
        spec::AnnotationPatch p;
        p.kind = spec::Kind::String;
        claim(p, 0.85);
      } else if (const ParamFacts* n = fn.find(count); n && (n->integer || n->pointee_integer)) {
        spec::AnnotationPatch p;
        p.kind = spec::Kind::Buffer;
        p.size = n->pointee_integer ? "*" + n->name : n->name;
        p.size_unit = target->void_pointer ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements;
        if (terminated_elements) p.element_kind = spec::Kind::String;
        claim(p, 0.85);
      } else if (std::size_t arrow = count.find("->"); arrow != std::string::npos &&
                                                       fn.find(trim(std::string_view(count).substr(0, arrow)))) {
        // len="pCreateInfo->enabledLayerCount": a count held in a struct the call reads
        spec::AnnotationPatch p;
        p.kind = spec::Kind::Buffer;
        p.size = count;
        p.size_unit = target->void_pointer ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements;
        claim(p, 0.8);
      } else if (count == "null-terminated" || count == "0-terminated") {
        spec::AnnotationPatch p;
        p.kind = spec::Kind::Buffer;
        p.size = "terminated(" + target->name + ")";
        p.size_unit = spec::SizeUnit::Elements;
        claim(p, 0.8);
      }
    }
    if (!rp.optional.empty()) {
      std::string first = split_commas(rp.optional).front();
      if (first == "true" || first == "false") {
        spec::AnnotationPatch p;
        p.nullable = first == "true";
        if (target->pointer || target->handle || target->callback) claim(p, first == "true" ? 0.8 : 0.5);
      }
    }
  }
}

}  // namespace remora::inference::docs
