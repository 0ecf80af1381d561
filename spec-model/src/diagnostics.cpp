// Text form of a diagnostic, in the "file:line: severity: message" shape that
// editors and CI logs recognise.
#include "remora/spec/diagnostics.h"

namespace remora::spec {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    if (d.line > 0) out += ":" + std::to_string(d.line);
    out += ": ";
  }
  switch (d.severity) {
    case Diagnostic::Severity::Note:
      out += "note: ";
      break;
    case Diagnostic::Severity::Warning:
      out += "warning: ";
      break;
    case Diagnostic::Severity::Error:
      out += "error: ";
      break;
  }
  out += d.message;
  return out;
}

}  // namespace remora::spec
