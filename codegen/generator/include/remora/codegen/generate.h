// Generates the para-virtual remoting stack (guest library + API server +
// runtime, as a self-contained CMake project) from a remora spec.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::codegen {

struct GenerateOptions {
  std::string out_dir;
  // Directory relative include_dirs of the spec are resolved against (the spec file's folder).
  std::string spec_dir;
  // The real vendor library, read for its symbol versions; "" = look up api.library
  // in the system library folders. Optional: without it the guest exports unversioned symbols.
  std::string real_library;
  // More real libraries when the spec spans several (Function::library), each matched to
  // the spec's libraries by its DT_SONAME.
  std::vector<std::string> real_libraries;
};

struct GenerateReport {
  int supported = 0;                     // functions with a real remote implementation
  std::vector<std::string> unsupported;  // "name: reason" for each stubbed function
  std::vector<std::string> warnings;
  // "name: why" for each function that aborts the program when it cannot be made
  // (its return type has no error value): stubs among them abort when called.
  std::vector<std::string> aborting;
  // "function.param (type)": pointer parameters passed as raw addresses (kind opaque,
  // or a pointer annotated as a plain value); wrong if the library dereferences them.
  std::vector<std::string> raw_addresses;
  // Per vendor library of the spec (api.library first): its functions remoted and stubbed.
  struct LibraryCount {
    std::string soname;
    int supported = 0, unsupported = 0;
  };
  std::vector<LibraryCount> by_library;
  std::vector<std::string> files;        // written, relative to out_dir
  std::string guest_library;             // "libOpenCL.so.1"
  std::string server_program;            // "opencl-server"
  unsigned long long fingerprint = 0;
  std::string symbol_versions_from;  // libraries whose symbol versions the guest copies ("" none)
};

// Writes the project into options.out_dir. Returns false with `error` set when
// nothing usable could be written (unwritable folder, empty spec).
bool generate_stack(const spec::Spec& spec, const GenerateOptions& options, GenerateReport& report,
                    std::string& error, const spec::Progress& progress = {});

// The runtime sources embedded in this build of remora (codegen/runtime/).
struct EmbeddedFile {
  const char* path;
  const char* text;
};
const std::vector<EmbeddedFile>& runtime_files();
// Support libraries runtime modules compile into a stack (support/cuda, support/elf),
// written as runtime/support/... only into stacks whose runtime module needs them.
const std::vector<EmbeddedFile>& support_files();

}  // namespace remora::codegen
