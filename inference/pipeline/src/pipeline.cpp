#include "remora/inference/pipeline.h"

#include "api_info.h"
#include "remora/inference/docs_evidence.h"
#include "remora/inference/doxygen_evidence.h"
#include "remora/inference/fusion.h"
#include "remora/inference/header_parser.h"
#include "remora/inference/header_rules.h"
#include "remora/inference/trace_evidence.h"

namespace remora::inference {

namespace {

// Stages and their share of the work, for progress reporting.
enum Stage { kParse, kHeaderRules, kDocs, kTraces, kFusion, kStageCount };

bool report(const spec::Progress& progress, const char* stage, Stage done, spec::Diagnostics& diagnostics) {
  if (!progress || progress(stage, done, kStageCount)) return true;
  diagnostics.push_back({spec::Diagnostic::Severity::Warning, "", 0,
                         std::string("inference cancelled during ") + stage + "; nothing was inferred"});
  return false;
}

}  // namespace

InferResult infer_spec(const InferOptions& options, const spec::Progress& progress) {
  InferResult result;
  if (!report(progress, "parsing header", kParse, result.diagnostics)) return result;

  HeaderParseOptions parse_options{options.header, options.include_dirs, options.defines, ""};
  HeaderParse parsed = parse_header(parse_options);
  result.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.ok) return result;

  if (options.use_header_evidence) recognise_struct_handles(parsed.header);
  result.spec = spec_skeleton(parsed.header);
  result.spec.api = api_info_for(options, result.diagnostics);

  if (!report(progress, "header rules", kHeaderRules, result.diagnostics)) return result;
  if (options.use_header_evidence) add_header_evidence(result.spec, parsed.header);
  if (options.use_docs_evidence) add_doxygen_evidence(result.spec, parsed.header);

  if (!report(progress, "documentation", kDocs, result.diagnostics)) return result;
  if (options.use_docs_evidence && !options.docs.empty())
    add_docs_evidence(result.spec, options.docs, result.diagnostics, progress);

  if (!report(progress, "traces", kTraces, result.diagnostics)) return result;
  if (options.use_trace_evidence)
    for (const auto& trace : options.traces) add_trace_evidence(result.spec, trace, result.diagnostics, progress);

  if (!report(progress, "fusion", kFusion, result.diagnostics)) return result;
  fuse_spec(result.spec);
  report(progress, "done", kStageCount, result.diagnostics);
  result.ok = true;
  return result;
}

void refuse_spec(spec::Spec& spec) { fuse_spec(spec); }

}  // namespace remora::inference
