#include "size_validation.h"

#include <algorithm>

#include "annotation_text.h"
#include "remora/spec/c_names.h"
#include "remora/spec/size_expr.h"

namespace remora::studio {

QString size_expression_error(const QString& text, const spec::Function& f) {
  if (text.trimmed().isEmpty()) return {};
  const std::string source = text.toStdString();
  auto parsed = spec::parse_size_expr(source);
  if (!parsed) {
    if (!parsed.error) return QStringLiteral("not a valid size expression");
    return QStringLiteral("column %1: %2").arg(parsed.error->position + 1).arg(qs(parsed.error->message));
  }
  // In the condition of `c ? a : b` a name may be an API constant (CblasRowMajor).
  const std::vector<std::string> constants = spec::size_expr_condition_only_names(*parsed.expr);
  for (const auto& name : spec::size_expr_params(*parsed.expr)) {
    if (f.find_param(name)) continue;
    if (std::find(constants.begin(), constants.end(), name) != constants.end() && spec::is_c_identifier(name))
      continue;
    return QStringLiteral("'%1' is not a parameter of %2 (parameters: %3)")
        .arg(qs(name), qs(f.name), parameter_names(f).join(QStringLiteral(", ")));
  }
  return {};
}

QStringList parameter_names(const spec::Function& f) {
  QStringList names;
  for (const auto& p : f.params) names << qs(p.name);
  return names;
}

}  // namespace remora::studio
