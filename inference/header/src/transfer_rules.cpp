// Transfer-direction rule: a copy whose direction is an enum parameter with
// constants named "<Host|Device>To<Host|Device>" (cudaMemcpyKind, hipMemcpyKind,
// ...) reads host memory only from a host source and writes host memory only
// to a host destination; device addresses pass through untouched. Expressed as
// conditional (`when`) annotations on the source and destination pointers.
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

struct Transfer {
  std::string constant;
  bool from_host = false;
  bool to_host = false;
};

// "cudaMemcpyHostToDevice" -> {from_host: true, to_host: false}.
std::optional<Transfer> transfer_of(const std::string& constant) {
  names::Words w = identifier_words(constant);
  for (std::size_t i = 1; i + 1 < w.size(); ++i) {
    if (w[i] != "to") continue;
    const std::string& from = w[i - 1];
    const std::string& to = w[i + 1];
    bool known = (from == "host" || from == "device") && (to == "host" || to == "device");
    if (known) return Transfer{constant, from == "host", to == "host"};
  }
  return std::nullopt;
}

const ParsedType* enum_type_of(const ParsedHeader& header, const TypeInfo& t) {
  std::string name = t.typedef_name.empty() ? t.spelling : t.typedef_name;
  if (name.rfind("enum ", 0) == 0) name = name.substr(5);
  const ParsedType* found = header.find_type(name);
  return found && !found->constants.empty() ? found : nullptr;
}

bool is_void_pointer(const TypeInfo& t) {
  return t.is_pointer() && !t.is_handle && t.pointee && t.pointee->shape == TypeShape::Void;
}

spec::AnnotationPatch host_or_device(bool host, spec::Direction host_direction) {
  spec::AnnotationPatch p;
  p.kind = host ? spec::Kind::Buffer : spec::Kind::Opaque;
  p.direction = host ? host_direction : spec::Direction::In;
  return p;
}

}  // namespace

void add_transfer_rules(const FunctionContext& c, spec::Function& f) {
  const ParsedFunction& parsed = c.parsed;
  std::optional<std::size_t> kind_param, src, dst;
  std::vector<Transfer> transfers;
  for (std::size_t i = 0; i < parsed.params.size(); ++i) {
    const TypeInfo& t = parsed.params[i].type;
    if (t.shape == TypeShape::Enum && !kind_param) {
      if (const ParsedType* e = enum_type_of(c.header, t)) {
        std::vector<Transfer> found;
        for (const auto& constant : e->constants)
          if (auto tr = transfer_of(constant.name)) found.push_back(*tr);
        if (found.size() >= 2) {
          kind_param = i;
          transfers = found;
        }
      }
    } else if (is_void_pointer(t) && !names::is_code_address_name(parsed.params[i].name)) {
      if (t.pointee->is_const && !src) src = i;
      else if (!t.pointee->is_const && !dst) dst = i;
    }
  }
  // cudaMemcpyToSymbol has a host-or-device source only (the other side is a symbol).
  if (!kind_param || (!src && !dst)) return;

  const std::string& kind_name = parsed.params[*kind_param].name;
  std::vector<std::pair<std::size_t, bool>> sides;
  if (src) sides.push_back({*src, true});
  if (dst) sides.push_back({*dst, false});
  for (auto [index, is_source] : sides) {
    spec::Param& p = f.params[index];
    for (const Transfer& tr : transfers) {
      bool host = is_source ? tr.from_host : tr.to_host;
      spec::When when;
      when.condition = kind_name + " == " + tr.constant;
      when.overrides = host_or_device(host, is_source ? spec::Direction::In : spec::Direction::Out);
      // The host side's extent is the copy's byte count (the base is an address, unsized).
      if (auto link = c.sizes.find(index); host && link != c.sizes.end() && !link->second.through_pointer &&
                                           link->second.field.empty()) {
        when.overrides.size = parsed.params[link->second.size_param].name;
        when.overrides.size_unit = spec::SizeUnit::Bytes;
      }
      p.when.push_back(when);
    }
    // Unconditionally the pointer is only an address: which memory it is in is known
    // per call (the kind), and for the kinds not listed (device to device, "default":
    // the pointer's own memory decides) its bytes must not be copied as host memory.
    p.evidence.push_back(header_evidence(
        host_or_device(false, spec::Direction::In), 0.7,
        "'" + kind_name + "' names the copy direction (" + transfers.front().constant +
            ", ...): when this side is host memory it is a " + (is_source ? "source buffer read" : "destination buffer written") +
            " by the call, when it is device memory the address passes through (see 'when')",
        c.location(parsed.params[index].line)));
  }
}

}  // namespace remora::inference
