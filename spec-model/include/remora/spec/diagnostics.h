// Diagnostics and progress reporting shared by every pipeline stage.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace remora::spec {

struct Diagnostic {
  enum class Severity { Note, Warning, Error } severity = Severity::Warning;
  std::string file;  // "" if not about a file
  int line = 0;      // 0 if unknown
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

std::string format_diagnostic(const Diagnostic& d);

// Progress of a long operation: stage name, units done, units total (0 if unknown).
// Returning false asks the operation to cancel as soon as it safely can.
using Progress = std::function<bool(std::string_view stage, long long done, long long total)>;

}  // namespace remora::spec
