// Test helpers: small specs built by hand, and an OpenCL spec built from the
// corpus's registry (cl.xml) so docs tests do not depend on the header stage.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "remora/inference/docs/registry_xml_reader.h"
#include "remora/spec/model.h"

namespace remora::docs_test {

inline spec::Param param(std::string name, std::string type) {
  spec::Param p;
  p.name = std::move(name);
  p.type = std::move(type);
  return p;
}

inline spec::Function function(std::string name, std::string ret, std::vector<spec::Param> params) {
  spec::Function f;
  f.name = std::move(name);
  f.ret.type = std::move(ret);
  f.params = std::move(params);
  return f;
}

inline spec::Type handle_type(std::string name) {
  spec::Type t;
  t.name = std::move(name);
  t.kind = spec::TypeKind::Handle;
  return t;
}

inline std::string shared_dir() { return REMORA_SHARED_DIR; }
inline std::string opencl_docs_dir() { return shared_dir() + "/corpus/opencl-docs"; }
inline bool have_opencl_docs() { return std::filesystem::exists(opencl_docs_dir() + "/cl.xml"); }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every command of cl.xml as a spec function (names and C types only, no annotations).
inline spec::Spec opencl_spec_from_registry() {
  spec::Spec s;
  spec::Diagnostics d;
  std::string path = opencl_docs_dir() + "/cl.xml";
  auto read = inference::docs::read_registry_xml(read_text(path), path, d);
  for (const auto& h : read.handle_types) s.types.push_back(handle_type(h));
  for (const auto& cmd : read.commands) {
    if (s.find_function(cmd.name)) continue;
    std::vector<spec::Param> params;
    for (const auto& p : cmd.params) params.push_back(param(p.name, p.type));
    s.functions.push_back(function(cmd.name, cmd.return_type, std::move(params)));
  }
  for (std::string integer : {"cl_uint", "cl_int", "cl_ulong", "cl_bool", "cl_bitfield"}) {
    spec::Type t;
    t.name = integer;
    t.kind = spec::TypeKind::Alias;
    t.underlying = "int32_t";
    s.types.push_back(t);
  }
  return s;
}

template <class Pred>
const spec::Evidence* find_docs_evidence(const std::vector<spec::Evidence>& list, Pred pred) {
  for (const auto& e : list)
    if (e.source == spec::EvidenceSource::Docs && pred(e.says)) return &e;
  return nullptr;
}

}  // namespace remora::docs_test

namespace remora::docs_test {

// Writes `content` to a fresh file under the build tree and returns its path.
inline std::string write_temp(const std::string& name, const std::string& content) {
  static int counter = 0;
  auto dir = std::filesystem::path(REMORA_BINARY_DIR) / "tests-docs-tmp" / std::to_string(::getpid()) /
             std::to_string(counter++);
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

}  // namespace remora::docs_test

#include "remora/inference/docs_evidence.h"

namespace remora::docs_test {

// Runs docs mining on one in-memory document.
inline spec::Diagnostics mine(spec::Spec& s, const std::string& file_name, const std::string& content) {
  spec::Diagnostics d;
  inference::add_docs_evidence(s, {write_temp(file_name, content)}, d);
  return d;
}

// A one-function refpage around `body`.
inline std::string refpage(const std::string& name, const std::string& desc, const std::string& body) {
  return "[open,refpage='" + name + "',desc='" + desc + "',type='protos']\n--\n" + body + "\n--\n";
}

inline const spec::Param& param_of(const spec::Spec& s, std::string_view fn, std::string_view p) {
  const spec::Function* f = s.find_function(fn);
  if (!f || !f->find_param(p)) throw std::runtime_error("test spec lacks " + std::string(fn) + "." + std::string(p));
  return *f->find_param(p);
}

}  // namespace remora::docs_test
