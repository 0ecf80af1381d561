// The annotation fields fusion decides, each with how to read a claim from an
// AnnotationPatch and how to write the chosen value back (private to fusion).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::inference::fusion_fields {

struct Field {
  std::string name;
  bool is_flag = false;  // boolean flag: a lone weak claim does not lower confidence
  std::function<std::optional<std::string>(const spec::AnnotationPatch&)> read;
  std::function<void(spec::Annotation&, const std::string&)> write;
};

// Per-value fields of a parameter or return value.
const std::vector<Field>& value_fields();

std::string sync_spelling(const spec::Sync& s);
spec::Sync sync_from_spelling(const std::string& s);

}  // namespace remora::inference::fusion_fields
