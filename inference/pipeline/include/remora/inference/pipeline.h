// The inference pipeline: header facts -> evidence (header, docs, traces) -> fusion.
// The CLI (`remora infer`) and the studio both call this; neither re-implements it.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

struct InferOptions {
  std::string header;                     // path of the vendor header
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> defines;       // -D NAME[=VALUE]
  std::vector<std::string> docs;          // files or folders (format detected)
  std::vector<std::string> traces;        // trace databases (SQLite)
  std::string api_name;                   // default: derived from the header file name
  std::string library;                    // vendor library soname, e.g. "libOpenCL.so.1"
  bool use_header_evidence = true;        // ablation switches
  bool use_docs_evidence = true;
  bool use_trace_evidence = true;
};

struct InferResult {
  spec::Spec spec;
  spec::Diagnostics diagnostics;
  bool ok = false;  // false: the header could not be parsed at all (diagnostics say why)
};

InferResult infer_spec(const InferOptions& options, const spec::Progress& progress = {});

// Re-run fusion only (after evidence or human decisions changed). Confirmed and
// edited annotations keep their human values.
void refuse_spec(spec::Spec& spec);

}  // namespace remora::inference
