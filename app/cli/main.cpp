// `remora`: the command-line front end. Dispatches to one subcommand.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const remora::cli::Args&);
  const char* summary;
};

const Command kCommands[] = {
    {"infer", remora::cli::cmd_infer, "infer a remoting spec from a header (+ docs, traces)"},
    {"show", remora::cli::cmd_show, "print annotated prototypes from a spec"},
    {"explain", remora::cli::cmd_explain, "print the evidence behind an annotation"},
    {"generate", remora::cli::cmd_generate, "generate the remoting stack (guest + server)"},
    {"export", remora::cli::cmd_export, "write a .remora project's spec as JSON"},
    {"diff", remora::cli::cmd_diff, "list the annotation changes between two specs"},
    {"score", remora::cli::cmd_score, "precision/recall of a spec against a truth spec"},
    {"trace", remora::cli::cmd_trace, "run a program under the interposer, record calls"},
    {"trace-summary", remora::cli::cmd_trace_summary, "summarize a trace database"},
    {"cuda-kernels", remora::cli::cmd_cuda_kernels,
     "list the kernels and parameter layouts nvcc embedded"},
};

void print_usage(std::FILE* to) {
  std::fprintf(to,
               "usage: remora <command> [options]\n\n"
               "Remora infers an API-remoting spec from a vendor C API and generates\n"
               "a para-virtual stack (guest library + API server) from it.\n\n"
               "commands:\n");
  for (const auto& c : kCommands) std::fprintf(to, "  %-14s %s\n", c.name, c.summary);
  std::fprintf(to,
               "\nRun 'remora <command> --help' for the options of one command.\n"
               "Results go to stdout; progress, warnings and errors to stderr.\n\n"
               "exit codes: 0 success, 1 the command failed (its message says why), 2 bad usage\n"
               "            (unknown command or option); 'remora trace' returns the traced\n"
               "            program's exit code once it ran.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    print_usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("remora 0.1.0\n");
    return 0;
  }
  remora::cli::Args args(argv + 2, argv + argc);
  for (const auto& c : kCommands)
    if (name == c.name) return c.run(args);
  std::fprintf(stderr, "remora: unknown command '%s'\n\n", name.c_str());
  print_usage(stderr);
  return 2;
}
