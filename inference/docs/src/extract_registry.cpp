// Registry declarations: `len` names the element count of an array parameter
// ("num_entries", "null-terminated", "count,null-terminated", "pInfo->count",
// or latexmath with its C form in `altlen`); `optional` says whether NULL is
// accepted (weaker under `noautovalidity`, where the prose sets the rules); a
// count pointer that sizes an array the call fills is read and written. In a
// registry that marks its arrays with `len`, a typed pointer without one points to
// exactly one element (vkCreateComputePipelines' pAllocator beside its arrays,
// vkCreateDescriptorPool's pDescriptorPool beside a create-info with a count).
#include "claim_helpers.h"
#include "registry_len.h"

namespace remora::inference::docs {

void extract_registry(const RegistryCommand& cmd, const FunctionFacts& fn, Claims& out,
                      std::deque<Sentence>& storage, bool registry_marks_arrays) {
  bool positional = cmd.params.size() == fn.params.size();
  auto target_of = [&](std::size_t i) -> const ParamFacts* {
    const RegistryParam& rp = cmd.params[i];
    const ParamFacts* target = fn.find(rp.name);
    if (!target && positional) target = &fn.params[i];  // renamed, same position
    return target;
  };
  // A registry name of a parameter -> the header's parameter.
  SiblingLookup sibling = [&](std::string_view name) -> std::optional<LenSibling> {
    for (std::size_t i = 0; i < cmd.params.size(); ++i) {
      if (cmd.params[i].name != name) continue;
      const ParamFacts* p = target_of(i);
      if (!p) return std::nullopt;
      if (p->integer || p->pointee_integer) return LenSibling{p->name, p->pointee_integer, true};
      if (p->pointer) return LenSibling{p->name, false, false};  // `pInfo` of `pInfo->count`
      return std::nullopt;
    }
    return std::nullopt;
  };

  bool marks_arrays = registry_marks_arrays;
  for (const RegistryParam& rp : cmd.params) marks_arrays = marks_arrays || !rp.len.empty();

  for (std::size_t i = 0; i < cmd.params.size(); ++i) {
    const RegistryParam& rp = cmd.params[i];
    const ParamFacts* target = target_of(i);
    if (!target) continue;
    bool single = marks_arrays && rp.len.empty() && target->pointer && !target->void_pointer &&
                  !target->char_pointer;
    if (rp.len.empty() && rp.optional.empty() && !single) continue;
    Sentence decl;
    decl.text = describe_registry_declaration(rp);
    decl.file = cmd.file;
    decl.line = rp.line;
    storage.push_back(std::move(decl));
    const Sentence* sentence = &storage.back();
    auto claim = [&](const std::string& param, spec::AnnotationPatch p, double w) {
      out.push_back(Claim{param, std::move(p), w, sentence, {}, {}});
    };
    if (single) {
      spec::AnnotationPatch one;
      one.kind = spec::Kind::Element;
      claim(target->name, one, 0.75);  // the registry states every array; weighs over name guesses
    }
    if (target->pointer) {
      LenTarget t{target->name, target->char_pointer, target->void_pointer};
      if (auto c = claim_from_len(rp, t, sibling, /*allow_arrow=*/true))
        claim(target->name, c->says, c->weight);
      // vkEnumeratePhysicalDevices(instance, uint32_t *pPhysicalDeviceCount, VkPhysicalDevice
      // *pPhysicalDevices): the count goes in as the array's capacity and comes back as the number
      // written.
      std::string count = split_commas(rp.len).front();
      if (auto n = sibling(count); n && n->count && n->pointee_integer && !target->const_pointee) {
        spec::AnnotationPatch inout;
        inout.direction = spec::Direction::InOut;
        inout.kind = spec::Kind::Element;
        claim(n->name, inout, 0.7);
      }
    }
    if (!rp.optional.empty()) {
      std::string first = split_commas(rp.optional).front();
      if (first == "true" || first == "false") {
        spec::AnnotationPatch p;
        p.nullable = first == "true";
        double weight = first == "true" ? 0.8 : 0.5;
        if (rp.noautovalidity) weight *= 0.6;  // the prose states when it may be NULL
        if (target->pointer || target->handle || target->callback) claim(target->name, p, weight);
      }
    }
  }
}

}  // namespace remora::inference::docs
