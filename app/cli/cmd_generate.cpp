// `remora generate --spec SPEC.json -o OUTDIR`: writes the remoting stack project.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "remora/codegen/generate.h"
#include "remora/inference/fusion.h"
#include "remora/spec/json_io.h"
#include "spec_source.h"

namespace remora::cli {

namespace {

// "reason: name" lines grouped by reason: "reason (N): a, b, c".
void print_grouped(const std::vector<std::string>& items) {
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const auto& item : items) {
    auto colon = item.find(": ");
    by_reason[colon == std::string::npos ? "" : item.substr(colon + 2)].push_back(item.substr(0, colon));
  }
  for (const auto& [reason, names] : by_reason) {
    std::string line;
    for (const auto& n : names) line += (line.empty() ? "" : ", ") + n;
    std::printf("    - %s (%zu): %s\n", reason.c_str(), names.size(), line.c_str());
  }
}

// What the user should look at before running anything: the spec's unreviewed
// parameters, the pointers passed as raw addresses, the calls that abort on failure.
void print_risks(const spec::Spec& spec, const codegen::GenerateReport& report) {
  int review = 0, params = 0;
  for (const auto& f : spec.functions)
    for (const auto& p : f.params) {
      ++params;
      if (inference::needs_review(p)) ++review;
    }
  std::printf("  %d of %d parameter(s) are below the review threshold (confidence < %.1f or conflicting\n"
              "    evidence): check them with `remora show SPEC` (marked <- review) before trusting the stack\n",
              review, params, inference::kReviewThreshold);
  std::printf("  %zu pointer parameter(s) are passed as raw addresses (opaque: the library must never dereference them):\n",
              report.raw_addresses.size());
  for (const auto& r : report.raw_addresses) std::printf("    - %s\n", r.c_str());
  std::printf("  %zu function(s) ABORT the program when a call cannot be made (their return type has no error\n"
              "    value: set `error` on the type, or on a plain number's return, to return one instead):\n",
              report.aborting.size());
  print_grouped(report.aborting);
}

void usage(std::FILE* to) {
  std::fprintf(to,
               "usage: remora generate --spec SPEC -o OUTDIR [--real-lib PATH]... [--quiet]\n\n"
               "Writes a self-contained CMake project: guest/ (the stand-in vendor library),\n"
               "server/ (<api>-server --listen ADDR --lib REAL-LIB), runtime/. Build it with\n"
               "  cmake -S OUTDIR -B OUTDIR/build && cmake --build OUTDIR/build\n"
               "--real-lib PATH: the real vendor library, read only for its symbol versions\n"
               "  (default: api.library looked up in the system library folders). A spec spanning\n"
               "  several libraries takes one per library, matched by soname.\n"
               "SPEC is a remora-spec/1 JSON file or a .remora project (the studio's review).\n"
               "exit codes: 0 generated, 1 the spec is unusable or writing failed, 2 bad usage\n");
}

}  // namespace

int cmd_generate(const Args& args) {
  if (wants_help(args)) {
    usage(stdout);
    return 0;
  }
  ParsedArgs p = parse_args(args, {{"--spec", "-s", true, false},
                                   {"--output", "-o", true, false},
                                   {"--real-lib", "", true, true},
                                   {"--quiet", "-q", false, false}});
  if (!p.error.empty()) {
    std::fprintf(stderr, "remora generate: %s\n", p.error.c_str());
    usage(stderr);
    return 2;
  }
  std::string spec_path = p.get("--spec", p.positional.empty() ? "" : p.positional[0]);
  std::string out_dir = p.get("--output");
  if (spec_path.empty() || out_dir.empty()) {
    std::fprintf(stderr, "remora generate: both --spec and -o are required\n");
    usage(stderr);
    return 2;
  }
  spec::SpecLoad load = load_spec_source(spec_path);
  for (const auto& w : load.warnings)
    if (!p.has("--quiet")) std::fprintf(stderr, "warning: %s\n", spec::format_issue(w).c_str());  // names the file
  if (!load.ok()) {
    for (const auto& e : load.errors)
      std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
    std::fprintf(stderr, "remora generate: the spec is unusable; fix the errors above (or re-run `remora infer`)\n");
    return 1;
  }
  codegen::GenerateOptions opt;
  opt.out_dir = out_dir;
  opt.spec_dir = std::filesystem::absolute(spec_path).parent_path().string();
  // One --real-lib is api.library's file (whatever its name); several are told apart by soname.
  const auto& real_libs = p.all("--real-lib");
  if (real_libs.size() == 1)
    opt.real_library = real_libs.front();
  else
    opt.real_libraries = real_libs;
  codegen::GenerateReport report;
  std::string error;
  if (!codegen::generate_stack(load.spec, opt, report, error)) {
    std::fprintf(stderr, "remora generate: %s\n", error.c_str());
    return 1;
  }
  for (const auto& w : report.warnings)
    if (!p.has("--quiet")) std::fprintf(stderr, "remora generate: warning: %s\n", w.c_str());
  std::printf("Generated the %s remoting stack in %s\n", load.spec.api.name.c_str(), out_dir.c_str());
  std::printf("  guest library: %s   server: %s   spec fingerprint: %016llx\n", report.guest_library.c_str(),
              report.server_program.c_str(), report.fingerprint);
  std::printf("  %d function(s) remoted, %zu stubbed (they fail with the return type's error value, or abort):\n",
              report.supported, report.unsupported.size());
  for (const auto& u : report.unsupported) std::printf("    - %s\n", u.c_str());
  if (report.by_library.size() > 1) {
    std::printf("  by library:");
    for (const auto& l : report.by_library)
      std::printf(" %s %d remoted, %d stubbed;", l.soname.c_str(), l.supported, l.unsupported);
    std::printf("\n");
  }
  print_risks(load.spec, report);
  if (!report.symbol_versions_from.empty())
    std::printf("  symbol versions copied from %s\n", report.symbol_versions_from.c_str());
  std::printf("Build: cmake -S %s -B %s/build && cmake --build %s/build\n", out_dir.c_str(), out_dir.c_str(),
              out_dir.c_str());
  return 0;
}

}  // namespace remora::cli
