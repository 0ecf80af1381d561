// Internal: reads the fields of one JSON object into model fields, turning every
// type mismatch or unknown spelling into an issue that names where it is, what
// was found and what is allowed. Unknown keys become warnings (typo guard).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "remora/spec/json_fragments.h"

namespace remora::spec::detail {

// "in, out, inout" for any model enum, from its to_string table.
template <class E>
std::string allowed_values() {
  std::string out;
  for (int i = 0; i < 64; ++i) {
    std::string_view name = to_string(static_cast<E>(i));
    if (name == "?") break;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string json_type_name(const Json& j);

class ObjectReader {
 public:
  // `what` names the object for messages ("parameter", "function").
  ObjectReader(const Json& j, std::string where, SpecIssues& issues, std::string what);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  bool is_object() const { return obj_ != nullptr; }
  const std::string& where() const { return where_; }
  SpecIssues& issues() { return issues_; }

  // Marks `key` as understood; nullptr when absent or null.
  const Json* get(const char* key);
  bool has(const char* key) const;

  void read(const char* key, std::string& out);
  void read(const char* key, bool& out);
  void read(const char* key, double& out);
  void read(const char* key, long long& out);
  void read(const char* key, std::vector<std::string>& out);
  void read(const char* key, std::optional<std::string>& out);
  void read(const char* key, std::optional<bool>& out);

  // Enumerations spelled as strings.
  template <class E>
  bool read_enum(const char* key, E& out, std::optional<E> (*parse)(std::string_view)) {
    std::optional<E> v;
    read_enum(key, v, parse);
    if (v) out = *v;
    return v.has_value();
  }
  template <class E>
  void read_enum(const char* key, std::optional<E>& out,
                 std::optional<E> (*parse)(std::string_view)) {
    const Json* j = get(key);
    if (!j) return;
    if (!j->is_string()) {
      type_error(key, "a string", *j);
      return;
    }
    auto s = j->get<std::string>();
    out = parse(s);
    if (!out)
      issues_.error(where_, "unknown " + std::string(key) + " \"" + s +
                                "\" (allowed: " + allowed_values<E>() + ")");
  }

  void type_error(const char* key, const char* expected, const Json& found);

 private:
  const Json* obj_ = nullptr;
  std::string where_;
  SpecIssues& issues_;
  std::string what_;
  std::set<std::string> known_;
};

}  // namespace remora::spec::detail
