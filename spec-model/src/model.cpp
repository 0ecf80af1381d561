#include "remora/spec/model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace remora::spec {
namespace {

template <class E, std::size_t N>
std::string_view name_of(E value, const std::array<std::pair<E, std::string_view>, N>& table) {
  for (const auto& [e, s] : table)
    if (e == value) return s;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(std::string_view s, const std::array<std::pair<E, std::string_view>, N>& table) {
  for (const auto& [e, n] : table)
    if (n == s) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<Direction, std::string_view>, 3> kDirections{{
    {Direction::In, "in"}, {Direction::Out, "out"}, {Direction::InOut, "inout"}}};
constexpr std::array<std::pair<Kind, std::string_view>, 9> kKinds{{
    {Kind::Value, "value"}, {Kind::Handle, "handle"}, {Kind::Buffer, "buffer"},
    {Kind::Element, "element"}, {Kind::String, "string"}, {Kind::Callback, "callback"},
    {Kind::Userdata, "userdata"}, {Kind::Opaque, "opaque"}, {Kind::Chain, "chain"}}};
constexpr std::array<std::pair<SizeUnit, std::string_view>, 2> kUnits{{
    {SizeUnit::Bytes, "bytes"}, {SizeUnit::Elements, "elements"}}};
constexpr std::array<std::pair<ReviewStatus, std::string_view>, 4> kStatuses{{
    {ReviewStatus::Inferred, "inferred"}, {ReviewStatus::Confirmed, "confirmed"},
    {ReviewStatus::Edited, "edited"}, {ReviewStatus::Unsupported, "unsupported"}}};
constexpr std::array<std::pair<EvidenceSource, std::string_view>, 4> kSources{{
    {EvidenceSource::Header, "header"}, {EvidenceSource::Docs, "docs"},
    {EvidenceSource::Trace, "trace"}, {EvidenceSource::Human, "human"}}};
constexpr std::array<std::pair<TypeKind, std::string_view>, 6> kTypeKinds{{
    {TypeKind::Handle, "handle"}, {TypeKind::Status, "status"}, {TypeKind::Enum, "enum"},
    {TypeKind::Struct, "struct"}, {TypeKind::Callback, "callback"}, {TypeKind::Alias, "alias"}}};

template <class T>
auto find_by_name(T& items, std::string_view n) -> decltype(&items[0]) {
  for (auto& item : items)
    if (item.name == n) return &item;
  return nullptr;
}

}  // namespace

std::string_view to_string(Direction v) { return name_of(v, kDirections); }
std::string_view to_string(Kind v) { return name_of(v, kKinds); }
std::string_view to_string(SizeUnit v) { return name_of(v, kUnits); }
std::string_view to_string(ReviewStatus v) { return name_of(v, kStatuses); }
std::string_view to_string(EvidenceSource v) { return name_of(v, kSources); }
std::string_view to_string(TypeKind v) { return name_of(v, kTypeKinds); }
std::optional<Direction> direction_from_string(std::string_view s) { return value_of(s, kDirections); }
std::optional<Kind> kind_from_string(std::string_view s) { return value_of(s, kKinds); }
std::optional<SizeUnit> size_unit_from_string(std::string_view s) { return value_of(s, kUnits); }
std::optional<ReviewStatus> review_status_from_string(std::string_view s) { return value_of(s, kStatuses); }
std::optional<EvidenceSource> evidence_source_from_string(std::string_view s) { return value_of(s, kSources); }
std::optional<TypeKind> type_kind_from_string(std::string_view s) { return value_of(s, kTypeKinds); }

std::string describe(const Sync& sync) {
  switch (sync.mode) {
    case Sync::Mode::Sync: return "sync";
    case Sync::Mode::Async: return "async";
    case Sync::Mode::AsyncIf: return "async_if(" + sync.condition + ")";
  }
  return "sync";
}

bool AnnotationPatch::empty() const { return *this == AnnotationPatch{}; }

bool creates_handle(const Function& f) {
  if (f.ret.ann.kind == Kind::Handle && f.ret.ann.allocates) return true;
  for (const Param& p : f.params) {
    const Annotation& a = p.ann;
    bool writes = a.direction == Direction::Out || a.direction == Direction::InOut;
    bool handle = a.kind == Kind::Handle || (a.element && a.element->kind == Kind::Handle);
    if (a.allocates && writes && handle) return true;
  }
  return false;
}

const Param* Function::find_param(std::string_view n) const { return find_by_name(params, n); }
Param* Function::find_param(std::string_view n) { return find_by_name(params, n); }
const Function* Spec::find_function(std::string_view n) const { return find_by_name(functions, n); }
Function* Spec::find_function(std::string_view n) { return find_by_name(functions, n); }
const Type* Spec::find_type(std::string_view n) const { return find_by_name(types, n); }
Type* Spec::find_type(std::string_view n) { return find_by_name(types, n); }

std::vector<std::string> Spec::libraries() const {
  std::vector<std::string> out;
  if (!api.library.empty()) out.push_back(api.library);
  for (const auto& f : functions)
    if (!f.library.empty() && std::find(out.begin(), out.end(), f.library) == out.end())
      out.push_back(f.library);
  return out;
}
const StructField* Type::find_field(std::string_view n) const { return find_by_name(fields, n); }
StructField* Type::find_field(std::string_view n) { return find_by_name(fields, n); }

void apply(Annotation& target, const AnnotationPatch& patch) {
  if (patch.direction) target.direction = *patch.direction;
  if (patch.kind) target.kind = *patch.kind;
  if (patch.size) target.size = *patch.size;
  if (patch.size_unit) target.size_unit = *patch.size_unit;
  if (patch.nullable) target.nullable = *patch.nullable;
  if (patch.element_kind) {
    if (!target.element) target.element = Box<Annotation>(Annotation{});
    target.element->kind = *patch.element_kind;
  }
  if (patch.element_direction || patch.element_size || patch.element_size_unit) {
    if (!target.element) target.element = Box<Annotation>(Annotation{});
    if (patch.element_direction) target.element->direction = *patch.element_direction;
    if (patch.element_size) target.element->size = *patch.element_size;
    if (patch.element_size_unit) target.element->size_unit = *patch.element_size_unit;
  }
  if (patch.allocates) target.allocates = *patch.allocates;
  if (patch.deallocates) target.deallocates = *patch.deallocates;
  if (patch.may_hold_handles) target.may_hold_handles = *patch.may_hold_handles;
}

namespace {
// What a parameter and a struct member both carry beyond their name and type.
template <class From, class To>
void copy_reviewed(const From& from, To& to) {
  to.ctype = from.ctype;
  to.ann = from.ann;
  to.confidence = from.confidence;
  to.status = from.status;
  to.evidence = from.evidence;
  to.conflicts = from.conflicts;
}
}  // namespace

Param as_param(const StructField& field) {
  Param p;
  p.name = field.name;
  p.type = field.type;
  copy_reviewed(field, p);
  return p;
}

StructField as_field(const Param& param) {
  StructField f(param.name, param.type);
  copy_reviewed(param, f);
  return f;
}

}  // namespace remora::spec
