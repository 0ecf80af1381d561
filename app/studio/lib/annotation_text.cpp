#include "annotation_text.h"

#include <QStringList>

namespace remora::studio {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString annotation_summary(const spec::Annotation& ann) {
  QStringList parts;
  const bool pointer_like = ann.kind == spec::Kind::Buffer || ann.kind == spec::Kind::Element ||
                            ann.kind == spec::Kind::String;
  if (pointer_like) parts << qs(spec::to_string(ann.direction));
  QString kind = qs(spec::to_string(ann.kind));
  if (!ann.size.empty()) kind += QStringLiteral("[%1]").arg(qs(ann.size));
  if (ann.kind == spec::Kind::Buffer && !ann.size.empty() && ann.size_unit == spec::SizeUnit::Bytes)
    kind += QStringLiteral(" bytes");
  if (ann.element) kind += QStringLiteral(" of %1").arg(qs(spec::to_string(ann.element->kind)));
  parts << kind;
  if (ann.nullable) parts << QStringLiteral("nullable");
  if (ann.allocates) parts << QStringLiteral("allocates");
  if (ann.deallocates) parts << QStringLiteral("deallocates");
  if (ann.may_hold_handles) parts << QStringLiteral("may hold handles");
  if (ann.retain == "object") parts << QStringLiteral("kept by its object");
  else if (ann.retain == "command") parts << QStringLiteral("kept until its command completes");
  if (!ann.points_into.empty()) parts << QStringLiteral("points into %1").arg(qs(ann.points_into));
  if (!ann.error.empty()) parts << QStringLiteral("fails with %1").arg(qs(ann.error));
  return parts.join(QStringLiteral(" · "));
}

QString patch_summary(const spec::AnnotationPatch& p) {
  QStringList parts;
  if (p.direction) parts << QStringLiteral("direction=%1").arg(qs(spec::to_string(*p.direction)));
  if (p.kind) parts << QStringLiteral("kind=%1").arg(qs(spec::to_string(*p.kind)));
  if (p.size) parts << QStringLiteral("size=%1").arg(qs(*p.size));
  if (p.size_unit) parts << QStringLiteral("unit=%1").arg(qs(spec::to_string(*p.size_unit)));
  if (p.nullable) parts << QStringLiteral("nullable=%1").arg(*p.nullable ? "yes" : "no");
  if (p.element_kind) parts << QStringLiteral("element=%1").arg(qs(spec::to_string(*p.element_kind)));
  if (p.element_direction) parts << QStringLiteral("element direction=%1").arg(qs(spec::to_string(*p.element_direction)));
  if (p.element_size) parts << QStringLiteral("element size=%1").arg(qs(*p.element_size));
  if (p.element_size_unit) parts << QStringLiteral("element unit=%1").arg(qs(spec::to_string(*p.element_size_unit)));
  if (p.allocates) parts << QStringLiteral("allocates=%1").arg(*p.allocates ? "yes" : "no");
  if (p.deallocates) parts << QStringLiteral("deallocates=%1").arg(*p.deallocates ? "yes" : "no");
  if (p.may_hold_handles) parts << QStringLiteral("may hold handles=%1").arg(*p.may_hold_handles ? "yes" : "no");
  if (p.sync) parts << QStringLiteral("sync=%1").arg(sync_text(*p.sync));
  if (p.barrier) parts << QStringLiteral("barrier=%1").arg(*p.barrier ? "yes" : "no");
  if (p.cacheable) parts << QStringLiteral("cacheable=%1").arg(qs(*p.cacheable));
  if (p.in_order) parts << QStringLiteral("in_order=%1").arg(qs(*p.in_order));
  if (p.changes_if) parts << QStringLiteral("changes if %1").arg(qs(*p.changes_if));
  return parts.isEmpty() ? QStringLiteral("(no claim)") : parts.join(QStringLiteral(", "));
}

QString sync_text(const spec::Sync& sync) {
  switch (sync.mode) {
    case spec::Sync::Mode::Sync: return QStringLiteral("sync");
    case spec::Sync::Mode::Async: return QStringLiteral("async");
    case spec::Sync::Mode::AsyncIf: return QStringLiteral("async if %1").arg(qs(sync.condition));
  }
  return {};
}

QString prototype_text(const spec::Function& f) {
  QStringList params;
  for (const auto& p : f.params) params << QStringLiteral("%1 %2").arg(qs(p.type), qs(p.name));
  if (f.variadic) params << QStringLiteral("...");
  return QStringLiteral("%1 %2(%3)").arg(qs(f.ret.type), qs(f.name), params.join(QStringLiteral(", ")));
}

QString struct_text(const spec::Function& row) {
  QStringList fields;
  for (const auto& p : row.params) fields << QStringLiteral("%1 %2;").arg(qs(p.type), qs(p.name));
  return QStringLiteral("%1 { %2 }").arg(qs(row.name), fields.join(QLatin1Char(' ')));
}

}  // namespace remora::studio
