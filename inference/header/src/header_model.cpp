#include "remora/inference/header_model.h"

namespace remora::inference {

const ParsedMacro* ParsedHeader::find_macro(const std::string& name) const {
  for (const auto& m : macros)
    if (m.name == name) return &m;
  return nullptr;
}

const ParsedType* ParsedHeader::find_type(const std::string& name) const {
  for (const auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

const ParsedFunction* ParsedHeader::find_function(const std::string& name) const {
  for (const auto& f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace remora::inference
