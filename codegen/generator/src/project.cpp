// Writes the generated CMake project: CMakeLists.txt, guest/, server/, runtime/.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "elf_versions.h"
#include "emit.h"
#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"

namespace remora::codegen {
namespace fs = std::filesystem;

namespace {

// "libOpenCL.so.1" -> {"libOpenCL", ".so.1"}.
std::pair<std::string, std::string> split_soname(const std::string& soname) {
  auto pos = soname.find(".so");
  if (pos == std::string::npos) return {soname, ".so"};
  return {soname.substr(0, pos), soname.substr(pos)};
}

// The real file of every library the spec names: a --real-lib of that soname (the file's
// own, else its name), the spec's library given by --real-lib alone, else the one the
// system folders hold ("" when none is found).
std::map<std::string, std::string> real_library_files(const spec::Spec& spec, const GenerateOptions& options) {
  std::map<std::string, std::string> given;  // soname -> file
  for (const auto& path : options.real_libraries) {
    auto image = elf::ElfImage::open(path);
    std::string soname = image ? elf::soname(*image) : "";
    given[soname.empty() ? fs::path(path).filename().string() : soname] = path;
  }
  if (!options.real_library.empty()) given[spec.api.library] = options.real_library;
  std::map<std::string, std::string> files;
  for (const auto& lib : spec.libraries()) files[lib] = given.count(lib) ? given[lib] : find_library(lib);
  return files;
}

// The first is the guest's own soname; the others are symlinks to it. A spec spanning
// several libraries answers to each (libcudart.so.13, libcuda.so.1, libcublas.so.13):
// the dynamic loader maps one file reached under several names once (same inode), so a
// program linked against all of them gets one guest, one connection and one set of
// objects (`ldd` lists the first soname only).
// The real library's own soname (DT_SONAME) is one more: programs record that name when
// linked, and it may differ from the name the spec gives (Debian's libbz2.so.1 is a link
// to a file whose soname is libbz2.so.1.0, which is what /usr/bin/bzip2 asks for).
std::vector<std::string> guest_sonames(const spec::Spec& spec, const std::map<std::string, std::string>& real_files) {
  std::vector<std::string> names = spec.api.sonames;
  if (names.empty() && !spec.api.library.empty()) names.push_back(spec.api.library);
  for (const auto& lib : spec.libraries())
    if (std::find(names.begin(), names.end(), lib) == names.end()) names.push_back(lib);
  if (names.empty()) names.push_back("lib" + lower_name(spec.api.name) + ".so");
  for (const auto& [lib, path] : real_files) {
    std::unique_ptr<elf::ElfImage> image = path.empty() ? nullptr : elf::ElfImage::open(path);
    const std::string real = image ? elf::soname(*image) : "";
    if (!real.empty() && real.find('/') == std::string::npos &&
        std::find(names.begin(), names.end(), real) == names.end())
      names.push_back(real);
  }
  return names;
}

// Each function exported under its own library's version nodes, read from the real file
// of every library the spec names (real_library_files).
std::string merged_version_script(const spec::Spec& spec, const std::map<std::string, std::string>& real_files,
                                  const StackPlan& plan, std::vector<std::string>& read_from) {
  SymbolVersions merged;
  for (const auto& lib : spec.libraries()) {
    const std::string& path = real_files.at(lib);
    if (path.empty()) continue;
    SymbolVersions v = read_symbol_versions(path);
    if (v.nodes.empty()) continue;
    read_from.push_back(path);
    for (const auto& node : v.nodes)
      if (std::none_of(merged.nodes.begin(), merged.nodes.end(),
                       [&](const auto& n) { return n.name == node.name; }))
        merged.nodes.push_back(node);
    std::vector<std::string> exported;
    for (const auto& fp : plan.functions)
      if (spec.library_of(*fp.fn) == lib) exported.push_back(fp.fn->exported_symbol());
    if (plan.module && lib == spec.libraries().front())
      exported.insert(exported.end(), plan.module->exports.begin(), plan.module->exports.end());
    for (const auto& sym : exported)
      if (auto it = v.version_of.find(sym); it != v.version_of.end())
        merged.version_of[sym] = it->second;
  }
  std::vector<std::string> exported;
  for (const auto& fp : plan.functions) exported.push_back(fp.fn->exported_symbol());
  if (plan.module)
    exported.insert(exported.end(), plan.module->exports.begin(), plan.module->exports.end());
  return version_script(merged, exported);
}

std::string cmake_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '$') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string emit_cmake(const spec::Spec& spec, const GenerateOptions& opt, const StackPlan& plan,
                       const std::vector<std::string>& sonames, bool has_version_script) {
  auto [base, suffix] = split_soname(sonames[0]);
  std::string api = lower_name(spec.api.name);
  std::ostringstream o;
  o << "# Remoting stack for " << spec.api.name << ", generated by `remora generate`.\n"
    << "# Build:  cmake -S . -B build && cmake --build build\n"
    << "# Server: build/server/" << server_program_name(spec) << " --listen unix:/tmp/remora-" << api
    << ".sock --lib /path/to/the/real/" << (spec.api.library.empty() ? sonames[0] : spec.api.library) << "\n"
    << "# Guest:  LD_LIBRARY_PATH=$PWD/build/guest ./program   (REMORA_SERVER=unix:PATH|shm:PATH|tcp:HOST:PORT|vsock:CID:PORT|virtio-serial:NAME)\n"
    << "cmake_minimum_required(VERSION 3.16)\n"
    << "project(remora_" << api << "_stack LANGUAGES CXX)\n\n"
    << "set(CMAKE_CXX_STANDARD 20)\n"
    << "set(CMAKE_CXX_STANDARD_REQUIRED ON)\n"
    << "set(CMAKE_POSITION_INDEPENDENT_CODE ON)\n"
    << "if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)\n"
    << "  set(CMAKE_BUILD_TYPE Release)\n"
    << "endif()\n"
    << "# The API's header is compiled as `remora infer` read it, without NDEBUG: a header may\n"
    << "# declare functions only then (sqlite3.h's sqlite3_mutex_held), and the spec has them.\n"
    << "foreach(config RELEASE RELWITHDEBINFO MINSIZEREL)\n"
    << "  string(REPLACE \"-DNDEBUG\" \"\" CMAKE_CXX_FLAGS_${config} \"${CMAKE_CXX_FLAGS_${config}}\")\n"
    << "endforeach()\n"
    << "find_package(Threads REQUIRED)\n\n";
  o << "set(API_INCLUDE_DIRS";
  for (const auto& d : spec.api.include_dirs) {
    fs::path p(d);
    if (p.is_relative() && !opt.spec_dir.empty()) p = fs::absolute(fs::path(opt.spec_dir) / p).lexically_normal();
    o << " " << cmake_quote(p.string());
  }
  o << ")\nset(API_DEFINES";
  for (const auto& d : spec.api.defines) o << " " << cmake_quote(d);
  o << ")\n"
    << "# Deprecated vendor entry points are forwarded like any other, so their warnings are off.\n"
    << "set(REMORA_FLAGS -Wall -Wextra -Wno-deprecated-declarations -fvisibility=hidden -fvisibility-inlines-hidden)\n\n"
    << "add_library(remora_transport OBJECT runtime/remora_transport.cpp)\n"
    << "target_compile_options(remora_transport PRIVATE ${REMORA_FLAGS})\n"
    << "target_sources(remora_transport PRIVATE runtime/remora_shm_transport.cpp runtime/remora_delay_stream.cpp runtime/remora_vsock_transport.cpp\n"
    << "  runtime/remora_virtio_serial_transport.cpp runtime/remora_mux.cpp runtime/remora_auth.cpp)\n\n"
    << "# Guest library: stands in for the vendor library (" << sonames[0] << ").\n"
    << "add_library(remora_guest SHARED guest/guest.cpp runtime/remora_guest.cpp $<TARGET_OBJECTS:remora_transport>)\n"
    << "target_include_directories(remora_guest PRIVATE runtime ${API_INCLUDE_DIRS})\n"
    << "target_compile_definitions(remora_guest PRIVATE ${API_DEFINES})\n"
    << "target_compile_options(remora_guest PRIVATE ${REMORA_FLAGS})\n"
    << "target_link_libraries(remora_guest PRIVATE Threads::Threads)\n"
    << "target_link_options(remora_guest PRIVATE -Wl,--no-undefined -Wl,-soname," << sonames[0]
    << (has_version_script ? " -Wl,--version-script=${CMAKE_CURRENT_SOURCE_DIR}/guest/exports.map" : "") << ")\n"
    << "set_target_properties(remora_guest PROPERTIES PREFIX \"\" OUTPUT_NAME " << cmake_quote(base)
    << " SUFFIX " << cmake_quote(suffix) << "\n"
    << "  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/guest)\n";
  for (std::size_t i = 1; i < sonames.size(); ++i)
    o << "add_custom_command(TARGET remora_guest POST_BUILD COMMAND ${CMAKE_COMMAND} -E create_symlink "
      << sonames[0] << " ${CMAKE_BINARY_DIR}/guest/" << sonames[i] << ")\n";
  if (plan.module) {
    const RuntimeModule& m = *plan.module;
    o << "# The " << m.id << " runtime module: " << m.what << ".\n";
    o << "target_sources(remora_guest PRIVATE";
    for (const auto& f : m.guest_sources) o << " runtime/" << f;
    o << ")\n";
    for (const auto& d : m.include_dirs) o << "target_include_directories(remora_guest PRIVATE runtime/" << d << ")\n";
  }
  o << "\n# API server: loads the real library in one worker process per guest.\n"
    << "add_executable(remora_server server/server.cpp runtime/remora_server.cpp runtime/remora_sandbox.cpp\n"
    << "  $<TARGET_OBJECTS:remora_transport>)\n"
    << "target_include_directories(remora_server PRIVATE runtime ${API_INCLUDE_DIRS})\n"
    << "target_compile_definitions(remora_server PRIVATE ${API_DEFINES})\n"
    << "target_compile_options(remora_server PRIVATE ${REMORA_FLAGS})\n"
    << "target_link_libraries(remora_server PRIVATE ${CMAKE_DL_LIBS} Threads::Threads)\n"
    << "set_target_properties(remora_server PROPERTIES OUTPUT_NAME " << server_program_name(spec) << "\n"
    << "  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/server)\n";
  if (plan.module) {
    o << "target_sources(remora_server PRIVATE";
    for (const auto& f : plan.module->server_sources) o << " runtime/" << f;
    o << ")\n";
    for (const auto& d : plan.module->include_dirs) o << "target_include_directories(remora_server PRIVATE runtime/" << d << ")\n";
  }
  o << "\n# remora-guestd: the VM-side relay of the virtio-serial:NAME transport (API-independent).\n"
    << "add_executable(remora_guestd runtime/remora_guestd_main.cpp $<TARGET_OBJECTS:remora_transport>)\n"
    << "target_include_directories(remora_guestd PRIVATE runtime)\n"
    << "target_compile_options(remora_guestd PRIVATE ${REMORA_FLAGS})\n"
    << "target_link_libraries(remora_guestd PRIVATE Threads::Threads)\n"
    << "set_target_properties(remora_guestd PROPERTIES OUTPUT_NAME remora-guestd\n"
    << "  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/guestd)\n";
  return o.str();
}

// Writes only when the content changed, so rebuilding a regenerated project is quick.
bool write_if_changed(const fs::path& path, const std::string& text, std::string& error) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    error = "cannot create " + path.parent_path().string() + ": " + ec.message();
    return false;
  }
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (old == text) return true;
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    error = "cannot write " + path.string();
    return false;
  }
  return true;
}

std::string emit_readme(const spec::Spec& spec, const StackPlan& plan, const GenerateReport& report) {
  std::ostringstream o;
  o << "# Remoting stack for " << spec.api.name << "\n\n"
    << "Generated by `remora generate`; regenerate rather than edit.\n\n"
    << "    cmake -S . -B build && cmake --build build\n"
    << "    build/server/" << report.server_program << " --listen unix:/tmp/remora-" << lower_name(spec.api.name)
    << ".sock --lib /path/to/real/" << (spec.api.library.empty() ? report.guest_library : spec.api.library) << "\n"
    << "    LD_LIBRARY_PATH=$PWD/build/guest ./program\n\n"
    << "The guest finds the server through `REMORA_SERVER` (unix:PATH, shm:PATH, tcp:HOST:PORT, vsock:CID:PORT or virtio-serial:NAME through `build/guestd/remora-guestd`), then `server=ADDR` in\n"
    << "`$XDG_CONFIG_HOME/remora/" << lower_name(spec.api.name) << ".conf` or `/etc/remora/"
    << lower_name(spec.api.name) << ".conf`, else `unix:/tmp/remora-" << lower_name(spec.api.name) << ".sock`.\n\n"
    << "On tcp: and vsock: the server requires its key (`--key FILE`, default `$XDG_CONFIG_HOME/remora/"
    << lower_name(spec.api.name) << ".key`, created at first start; `--no-auth` to turn it off): give guests a copy "
    << "(mode 0600) with `REMORA_KEY_FILE=PATH` or `key=PATH` in the conf file.\n\n"
    << "Limits: one connection per guest process (calls from several threads are serialized).\n\n";
  if (plan.module) o << "Runtime module `" << plan.module->id << "` (chosen by the library, " << plan.module->library_stem
                     << "): " << plan.module->what << ".\n\n";
  o << report.supported << " functions are remoted; " << report.unsupported.size() << " return an error:\n\n";
  for (const auto& u : report.unsupported) o << "- " << u << "\n";
  (void)plan;
  return o.str();
}

}  // namespace

bool generate_stack(const spec::Spec& spec, const GenerateOptions& options, GenerateReport& report,
                    std::string& error, const spec::Progress& progress) {
  if (spec.api.name.empty()) {
    error = "the spec has no api.name";
    return false;
  }
  if (spec.api.headers.empty()) {
    error = "the spec lists no api.headers; the generated code must include the vendor header";
    return false;
  }
  // A spec is input, not code: names and type spellings that would reach the
  // generated sources as code are refused here, even for an in-memory spec
  // (predicates are parsed by the plan; what it cannot parse is not remoted).
  if (auto issues = spec::validate_generated_names(spec); !issues.empty()) {
    error = "the spec names something that is not a C name (" + std::to_string(issues.size()) + " problem" +
            (issues.size() == 1 ? "" : "s") + "): " + spec::format_issue(issues[0]);
    return false;
  }
  if (progress && !progress("plan", 0, 4)) return false;
  StackPlan plan = make_plan(spec);
  report = GenerateReport{};
  report.fingerprint = plan.fingerprint;
  report.warnings = plan.warnings;
  for (const auto& fp : plan.functions) {
    if (fp.supported) ++report.supported;
    else report.unsupported.push_back(fp.fn->name + ": " + fp.reason);
    if (fp.fail == FailMode::Abort) report.aborting.push_back(fp.fn->name + ": " + fp.fail_why);
    if (!fp.supported) continue;
    for (const auto& pp : fp.params)
      if (pp.raw_address) report.raw_addresses.push_back(fp.fn->name + "." + pp.name + " (" + pp.param->type + ")");
  }
  for (const auto& lib : spec.libraries()) report.by_library.push_back({lib, 0, 0});
  for (const auto& fp : plan.functions)
    for (auto& l : report.by_library)
      if (l.soname == spec.library_of(*fp.fn)) ++(fp.supported ? l.supported : l.unsupported);
  const auto real_files = real_library_files(spec, options);
  const auto sonames = guest_sonames(spec, real_files);
  report.guest_library = sonames[0];
  report.server_program = server_program_name(spec);
  fs::path out(options.out_dir);
  std::vector<std::pair<std::string, std::string>> files;
  if (progress && !progress("guest", 1, 4)) return false;
  files.emplace_back("guest/guest.cpp", emit_guest_source(plan));
  if (progress && !progress("server", 2, 4)) return false;
  files.emplace_back("server/server.cpp", emit_server_source(plan));
  // Export under the real libraries' symbol versions when they can be found here.
  std::vector<std::string> read_from;
  std::string script = merged_version_script(spec, real_files, plan, read_from);
  if (!script.empty()) {
    files.emplace_back("guest/exports.map", script);
    for (const auto& r : read_from)
      report.symbol_versions_from += (report.symbol_versions_from.empty() ? "" : ", ") + r;
  }
  files.emplace_back("CMakeLists.txt", emit_cmake(spec, options, plan, sonames, !script.empty()));
  files.emplace_back("README.md", emit_readme(spec, plan, report));
  for (const auto& f : runtime_files()) files.emplace_back(std::string("runtime/") + f.path, f.text);
  if (plan.module)
    for (const auto& f : support_files()) files.emplace_back(std::string("runtime/") + f.path, f.text);
  if (progress && !progress("write", 3, 4)) return false;
  for (const auto& [rel, text] : files) {
    if (!write_if_changed(out / rel, text, error)) return false;
    report.files.push_back(rel);
  }
  if (progress) progress("done", 4, 4);
  return true;
}

}  // namespace remora::codegen
