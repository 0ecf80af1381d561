// Small builders for hand-made specs in the generator tests: one parameter, one function.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "remora/spec/model.h"

inline remora::spec::Param param(const std::string& name, const std::string& type, remora::spec::Kind kind,
                                 remora::spec::Direction dir = remora::spec::Direction::In,
                                 const std::string& size = "") {
  remora::spec::Param p;
  p.name = name;
  p.type = type;
  p.ann.kind = kind;
  p.ann.direction = dir;
  p.ann.size = size;
  return p;
}

inline remora::spec::Function function(const std::string& name, const std::string& ret,
                                       std::vector<remora::spec::Param> params) {
  remora::spec::Function f;
  f.name = name;
  f.ret.type = ret;
  f.params = std::move(params);
  return f;
}

// A status type: `success` when the call worked, `error` when it cannot be made.
inline remora::spec::Type status_type(const std::string& name, const std::string& success, const std::string& error) {
  remora::spec::Type t;
  t.name = name;
  t.kind = remora::spec::TypeKind::Status;
  t.success = success;
  t.error = error;
  return t;
}
