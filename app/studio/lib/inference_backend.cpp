#include "inference_backend.h"

#include <exception>

#ifdef REMORA_STUDIO_HAS_INFERENCE
#include "remora/inference/missing_sources.h"
#include "remora/inference/pipeline.h"
#endif

namespace remora::studio {

bool inference_available() {
#ifdef REMORA_STUDIO_HAS_INFERENCE
  return true;
#else
  return false;
#endif
}

InferOutcome run_inference(const spec::ProjectSettings& settings, const QString& api_name,
                           const spec::Progress& progress) {
  InferOutcome out;
#ifdef REMORA_STUDIO_HAS_INFERENCE
  inference::InferOptions options;
  options.header = settings.header;
  options.extra_headers = settings.extra_headers;
  options.filter.dirs = settings.api_dirs;
  options.filter.globs = settings.api_globs;
  options.filter.excludes = settings.excludes;
  options.include_dirs = settings.include_dirs;
  options.defines = settings.defines;
  options.docs = settings.docs;
  options.traces = settings.traces;
  options.library = settings.library;
  options.api_name = api_name.toStdString();
  bool cancelled = false;
  auto watch = [&](std::string_view stage, long long done, long long total) {
    if (progress && !progress(stage, done, total)) cancelled = true;
    return !cancelled;
  };
  try {
    auto result = inference::infer_spec(options, watch);
    out.diagnostics = std::move(result.diagnostics);
    out.cancelled = cancelled;
    out.ok = result.ok && !cancelled;
    out.spec = std::move(result.spec);
    if (cancelled) {
      out.error = QStringLiteral("Inference was cancelled; nothing was changed.");
    } else if (!result.ok) {
      QString why;
      for (const auto& d : out.diagnostics)
        if (d.severity == spec::Diagnostic::Severity::Error)
          why += QString::fromStdString(spec::format_diagnostic(d)) + "\n";
      out.error = QStringLiteral("The header could not be parsed:\n%1Check the include directories and defines.")
                      .arg(why.isEmpty() ? QStringLiteral("(no diagnostics)\n") : why);
    }
  } catch (const std::exception& e) {
    out.error = QStringLiteral("Inference failed: %1").arg(QString::fromUtf8(e.what()));
  }
#else
  (void)settings;
  (void)api_name;
  (void)progress;
  out.error = QStringLiteral(
      "This build of Remora Studio has no inference pipeline (remora_inference was not built).\n"
      "Import a spec JSON instead (File > Import Spec JSON), or rebuild with inference/pipeline.");
#endif
  return out;
}

QStringList keep_evidence_of_missing_sources(const spec::ProjectSettings& settings, const spec::Spec& before,
                                             const QString& project, spec::Spec& fresh) {
  QStringList warnings;
#ifdef REMORA_STUDIO_HAS_INFERENCE
  for (const auto& d : inference::keep_evidence_of_missing_sources(settings, before, project.toStdString(), fresh))
    warnings << QString::fromStdString(spec::format_diagnostic(d));
#else
  (void)settings;
  (void)before;
  (void)project;
  (void)fresh;
#endif
  return warnings;
}

std::optional<spec::Param> refused_param(const spec::Spec& spec, const spec::Function& f, const std::string& param) {
#ifdef REMORA_STUDIO_HAS_INFERENCE
  const spec::Param* original = f.find_param(param);
  if (!original || original->evidence.empty()) return std::nullopt;
  spec::Spec one;
  one.api = spec.api;
  one.types = spec.types;
  one.functions.push_back(f);
  one.functions.front().find_param(param)->status = spec::ReviewStatus::Inferred;
  try {
    inference::refuse_spec(one);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const spec::Param* fused = one.functions.front().find_param(param);
  if (!fused) return std::nullopt;
  return *fused;
#else
  (void)spec;
  (void)f;
  (void)param;
  return std::nullopt;
#endif
}

}  // namespace remora::studio
