// The inference pipeline: header facts -> evidence (header, docs, traces) -> fusion.
// The CLI (`remora infer`) and the studio both call this; neither re-implements it.
#pragma once

#include <string>
#include <vector>

#include "remora/inference/docs/member_claims.h"
#include "remora/inference/header_parser.h"
#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

struct InferOptions {
  std::string header;                     // path of the vendor header (the first, when several)
  std::vector<std::string> extra_headers; // more headers of the same API (one spec for all)
  ApiFilter filter;                       // which headers an umbrella pulls in belong to the API
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> defines;       // -D NAME[=VALUE]
  std::vector<std::string> docs;          // files or folders (format detected)
  std::vector<std::string> traces;        // trace databases (SQLite)
  std::string api_name;                   // default: derived from the header file name
  std::string library;  // vendor library soname, e.g. "libOpenCL.so.1" (or its path)
  // More vendor libraries when the API spans several (sonames or paths): each function
  // is assigned to the first of library, extra_libraries that exports it (Function::library).
  std::vector<std::string> extra_libraries;
  // Without `library`: read the installed libraries' exports to find the one
  // defining the API's functions (about 0.3 s); off: guess lib<name>.so.1.
  bool find_library = true;
  // A header with parse errors fails inference (its types may be wrong)
  // unless this is set: then each function whose prototype held an error is
  // marked unsupported with the error as the reason.
  bool keep_going = false;
  bool use_header_evidence = true;        // ablation switches
  bool use_docs_evidence = true;
  bool use_trace_evidence = true;
};

struct InferResult {
  spec::Spec spec;
  spec::Diagnostics diagnostics;
  // What registries say about struct members (vk.xml), per struct and field:
  // the hook for struct-field annotations (types[].fields[]), which apply them.
  std::vector<docs::MemberClaim> member_claims;
  bool ok = false;  // false: the header could not be parsed (cleanly, without keep_going): diagnostics say why
};

InferResult infer_spec(const InferOptions& options, const spec::Progress& progress = {});

// Re-run fusion only (after evidence or human decisions changed). Confirmed and
// edited annotations keep their human values.
void refuse_spec(spec::Spec& spec);

}  // namespace remora::inference
