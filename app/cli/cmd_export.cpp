// `remora export PROJECT -o SPEC.json`: writes the spec held in a .remora
// project (with the studio's review in it) as remora-spec/1 JSON, for tools and
// version control that want a text file.
#include <cstdio>
#include <exception>
#include <filesystem>

#include "args.h"
#include "commands.h"
#include "remora/spec/json_io.h"
#include "spec_source.h"

namespace remora::cli {

namespace {

const char* kUsage =
    "usage: remora export PROJECT.remora -o SPEC.json [--quiet]\n\n"
    "Writes the spec of a project (model, evidence and review status, as the studio\n"
    "saved it) as a remora-spec/1 JSON file. Every command that reads a spec also\n"
    "reads the project directly; export is for files you diff, commit or hand on.\n\n"
    "options:\n"
    "  -o, --output FILE  the JSON spec to write (replaced atomically)\n"
    "  -q, --quiet        do not print the spec's warnings\n\n"
    "exit codes: 0 written, 1 the project could not be read or the file not written,\n"
    "2 bad usage\n";

}  // namespace

int cmd_export(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ParsedArgs p =
      parse_args(args, {{"--output", "-o", true, false}, {"--quiet", "-q", false, false}});
  if (p.error.empty() && p.positional.size() != 1) p.error = "give exactly one project file";
  if (p.error.empty() && !p.has("--output")) p.error = "-o SPEC.json is required";
  if (!p.error.empty()) {
    std::fprintf(stderr, "remora export: %s\n\n%s", p.error.c_str(), kUsage);
    return 2;
  }
  const std::string& from = p.positional[0];
  const std::string to = p.get("--output");
  std::error_code ec;
  if (std::filesystem::equivalent(from, to, ec)) {
    std::fprintf(stderr, "remora export: %s is the input; choose another output file\n",
                 to.c_str());
    return 2;
  }
  spec::SpecLoad load = load_spec_source(from);
  if (!p.has("--quiet"))
    for (const auto& w : load.warnings)
      std::fprintf(stderr, "warning: %s\n", spec::format_issue(w).c_str());
  if (!load.ok()) {
    for (const auto& e : load.errors)
      std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
    std::fprintf(stderr, "remora export: nothing written; %s is not a usable spec (see above)\n",
                 from.c_str());
    return 1;
  }
  try {
    spec::save_spec_file(load.spec, to);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "remora export: %s\n", e.what());
    return 1;
  }
  std::printf("Exported %s (%zu functions) from %s to %s\n", load.spec.api.name.c_str(),
              load.spec.functions.size(), from.c_str(), to.c_str());
  return 0;
}

}  // namespace remora::cli
