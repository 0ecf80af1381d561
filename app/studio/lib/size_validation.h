// Live validation of size expressions typed by the reviewer: the expression
// must parse (parse_size_expr) and may only name parameters of the function.
#pragma once

#include <QString>
#include <QStringList>

#include "remora/spec/model.h"

namespace remora::studio {

// "" when valid, else a message that points at the problem:
// "column 7: expected ')' after argument of min".
QString size_expression_error(const QString& text, const spec::Function& f);

// Parameter names of `f` (for completion).
QStringList parameter_names(const spec::Function& f);

}  // namespace remora::studio
