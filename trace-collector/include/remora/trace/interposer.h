// Generating and building the LD_PRELOAD interposer for an API from its spec.
//
// The interposer is one C++ file: the embedded runtime (runtime/*.h) plus one
// exported wrapper per supported, non-variadic function. Wrappers take their
// exact signature from the vendor header (decltype of the declared function),
// so a header-only inferred spec is enough and no C type is re-spelled.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::trace {

// Bumped whenever generated code changes meaning; part of the cache key.
inline constexpr int kInterposerGeneratorVersion = 1;

struct InterposerSource {
  std::string text;                       // the C++ translation unit
  std::vector<std::string> functions;     // spec function names, in wrapper index order
  std::vector<std::string> skipped;       // "name: reason" for functions left out
};

// `exclude`: spec function names to leave out (e.g. not declared by the header).
InterposerSource generate_interposer_source(const spec::Spec& spec, const std::set<std::string>& exclude = {});

struct BuildOptions {
  std::vector<std::string> include_dirs;  // added to the spec's include_dirs
  std::vector<std::string> defines;       // added to the spec's defines
  std::vector<std::string> headers;       // replace the spec's headers when non-empty
  std::string cache_dir;                  // default: $XDG_CACHE_HOME/remora or ~/.cache/remora
  std::string compiler;                   // default: $CXX or c++
  bool force_rebuild = false;
};

struct BuiltInterposer {
  std::string library;                 // path of the .so to LD_PRELOAD
  std::vector<std::string> functions;  // wrapper index -> spec function name
  std::vector<std::string> skipped;    // "name: reason"
  bool from_cache = false;
  bool ok = false;
};

// Builds (or reuses) the interposer. Errors go to diagnostics with what to do next.
BuiltInterposer build_interposer(const spec::Spec& spec, const BuildOptions& options,
                                 spec::Diagnostics& diagnostics, const spec::Progress& progress = {});

std::string default_cache_dir();

}  // namespace remora::trace
