// One spec over several vendor libraries (CUDA: libcudart, libcuda, libcublas): which
// library exports each function, read from the libraries' dynamic symbol tables. The
// server resolves each function in its own library; the guest answers to every soname.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

// A library named on the command line: its soname and, when its file was found, what it exports.
struct LibraryExports {
  std::string soname;                  // DT_SONAME (a name given as a soname is kept as given)
  std::string path;                    // the file read ("" when none was found)
  std::vector<std::string> functions;  // defined, default-version function symbols, sorted
};

// `name` is a soname (looked up as a file of that name, else a file declaring it as
// DT_SONAME: a toolkit's stubs/libcuda.so is libcuda.so.1, in the folders of
// `candidate_folders`) or a path to the library file.
LibraryExports read_library_exports(const std::string& name,
                                    const std::vector<std::string>& headers);

// Sets each function's `library` to the first of `libraries` (api.library first) that
// exports its symbol, when that is not api.library; functions none exports stay with
// api.library. Adds every library's soname (and its "lib*.so" link name) to api.sonames.
// Notes say how many functions each library took and which exports were unreadable.
void assign_function_libraries(spec::Spec& spec, const std::vector<LibraryExports>& libraries,
                               spec::Diagnostics& diagnostics);

}  // namespace remora::inference
