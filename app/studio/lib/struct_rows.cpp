#include "struct_rows.h"

#include "annotation_text.h"
#include "remora/spec/ctype.h"

namespace remora::studio {

namespace {
// A struct's members, or a callback type's arguments ("callback T": what the library
// passes the program's function), reviewed as the parameters of one row.
const QString kPrefix = QStringLiteral("struct ");
const QString kCallbackPrefix = QStringLiteral("callback ");
}  // namespace

QString struct_row_name(const spec::Type& type) {
  return (type.kind == spec::TypeKind::Callback ? kCallbackPrefix : kPrefix) + qs(type.name);
}
bool is_struct_row(const QString& name) {
  return name.startsWith(kPrefix) || name.startsWith(kCallbackPrefix);
}
bool is_struct_row(const spec::Function& row) {
  return is_struct_row(qs(row.name));
}
QString struct_type_name(const QString& row_name) {
  if (row_name.startsWith(kPrefix)) return row_name.mid(kPrefix.size());
  if (row_name.startsWith(kCallbackPrefix)) return row_name.mid(kCallbackPrefix.size());
  return QString();
}

bool field_reviewable(const spec::StructField& field) {
  if (!field.evidence.empty() || field.status != spec::ReviewStatus::Inferred) return true;
  // Value members are copied with their struct: nothing to decide.
  return !field.ctype.empty() && spec::needs_marshalling(field.ctype);
}

std::optional<spec::Function> struct_row(const spec::Type& type) {
  if (type.kind != spec::TypeKind::Struct && type.kind != spec::TypeKind::Callback) return std::nullopt;
  spec::Function row;
  row.name = struct_row_name(type).toStdString();
  row.ret.type = type.kind == spec::TypeKind::Callback ? "callback" : type.record.empty() ? "struct" : type.record;
  // No function-level annotation to review: the row is "settled" at that level,
  // so only its members count (needs review, awaiting confirmation).
  row.status = spec::ReviewStatus::Confirmed;
  row.confidence = 1.0;
  row.supported = true;
  for (const auto& field : type.fields)
    if (field_reviewable(field)) row.params.push_back(spec::as_param(field));
  if (row.params.empty()) return std::nullopt;
  return row;
}

std::vector<spec::Function> struct_rows(const spec::Spec& spec) {
  std::vector<spec::Function> rows;
  for (const auto& type : spec.types)
    if (auto row = struct_row(type)) rows.push_back(std::move(*row));
  return rows;
}

void apply_struct_row(const spec::Function& row, spec::Type& type) {
  for (const auto& p : row.params) {
    spec::StructField* field = type.find_field(p.name);
    if (!field) continue;
    field->ann = p.ann;
    field->confidence = p.confidence;
    field->status = p.status;
    field->evidence = p.evidence;
    field->conflicts = p.conflicts;
  }
}

spec::Function all_fields_as_function(const spec::Type& type) {
  spec::Function f;
  f.name = struct_row_name(type).toStdString();
  for (const auto& field : type.fields) f.params.push_back(spec::as_param(field));
  return f;
}

}  // namespace remora::studio
