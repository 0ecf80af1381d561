#include "json_object_reader.h"

#include <limits>

namespace remora::spec::detail {

std::string json_type_name(const Json& j) {
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

ObjectReader::ObjectReader(const Json& j, std::string where, SpecIssues& issues, std::string what)
    : where_(std::move(where)), issues_(issues), what_(std::move(what)) {
  if (j.is_object())
    obj_ = &j;
  else
    issues_.error(where_, what_ + " must be a JSON object, found " + json_type_name(j));
}

ObjectReader::~ObjectReader() {
  if (!obj_) return;
  for (const auto& [key, value] : obj_->items())
    if (!known_.count(key))
      issues_.warning(where_, "unknown field \"" + key + "\" in " + what_ + " (ignored)");
}

const Json* ObjectReader::get(const char* key) {
  known_.insert(key);
  if (!obj_) return nullptr;
  auto it = obj_->find(key);
  if (it == obj_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool ObjectReader::has(const char* key) const {
  if (!obj_) return false;
  auto it = obj_->find(key);
  return it != obj_->end() && !it->is_null();
}

void ObjectReader::type_error(const char* key, const char* expected, const Json& found) {
  issues_.error(where_,
                std::string(key) + " must be " + expected + ", found " + json_type_name(found));
}

void ObjectReader::read(const char* key, std::string& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_string())
    out = j->get<std::string>();
  else
    type_error(key, "a string", *j);
}

void ObjectReader::read(const char* key, std::optional<std::string>& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_string())
    out = j->get<std::string>();
  else
    type_error(key, "a string", *j);
}

void ObjectReader::read(const char* key, bool& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_boolean())
    out = j->get<bool>();
  else
    type_error(key, "true or false", *j);
}

void ObjectReader::read(const char* key, std::optional<bool>& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_boolean())
    out = j->get<bool>();
  else
    type_error(key, "true or false", *j);
}

void ObjectReader::read(const char* key, double& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_number())
    out = j->get<double>();
  else
    type_error(key, "a number", *j);
}

void ObjectReader::read(const char* key, long long& out) {
  const Json* j = get(key);
  if (!j) return;
  if (j->is_number_unsigned()) {
    auto v = j->get<unsigned long long>();
    if (v > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
      issues_.error(where_, std::string(key) + " " + std::to_string(v) + " is too large");
    else
      out = static_cast<long long>(v);
  } else if (j->is_number_integer()) {
    out = j->get<long long>();
  } else {
    type_error(key, "an integer", *j);
  }
}

void ObjectReader::read(const char* key, std::vector<std::string>& out) {
  const Json* j = get(key);
  if (!j) return;
  if (!j->is_array()) {
    type_error(key, "an array of strings", *j);
    return;
  }
  out.clear();
  for (const auto& item : *j) {
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      type_error(key, "an array of strings", item);
      return;
    }
  }
}

}  // namespace remora::spec::detail
