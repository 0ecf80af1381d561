// Structs of another library that the API's functions take by address (the C library's
// FILE): objects of the calling process (rules_internal.h, is_foreign_record).
#include <cctype>

#include "rules_internal.h"

namespace remora::inference {

namespace {

std::string record_tag(const TypeInfo& record) {
  std::string tag = record.record_name;
  for (const char* prefix : {"struct ", "union "})
    if (tag.rfind(prefix, 0) == 0) tag = tag.substr(std::string(prefix).size());
  return tag;
}

}  // namespace

bool is_foreign_record(const ParsedHeader& header, const TypeInfo& record) {
  std::string tag = record_tag(record);
  bool reserved = tag.size() > 1 && tag[0] == '_' &&
                  (tag[1] == '_' || std::isupper(static_cast<unsigned char>(tag[1])));
  if (!reserved) return false;
  const ParsedType* t = header.find_type(tag);
  if (!t && !record.typedef_name.empty()) t = header.find_type(record.typedef_name);
  if (!t) return true;
  for (const ParsedFunction& f : header.functions)
    if (f.file == t->file) return false;
  return true;
}

}  // namespace remora::inference
