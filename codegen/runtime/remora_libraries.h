// The vendor libraries a server loads. One spec may span several (the CUDA runtime,
// driver and cuBLAS: libcudart.so.13, libcuda.so.1, libcublas.so.13); each function is
// resolved in its own library, and each `--lib` names the file of one of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace remora::server {

// "SONAME=PATH" says which of the spec's libraries the file is; a plain PATH is matched
// by its file name.
struct LibraryArg {
  std::string soname;  // "" when not said
  std::string path;
};

inline LibraryArg parse_library_arg(const std::string& arg) {
  auto eq = arg.find('=');
  // A '/' before the '=' means a path that holds one, not a soname.
  if (eq == std::string::npos || arg.find('/') < eq) return {"", arg};
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// "libcuda.so.1" -> "libcuda": a toolkit's stubs/libcuda.so stands for libcuda.so.1.
inline std::string library_stem(const std::string& name) {
  std::string base =
      name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1);
  return base.substr(0, base.find(".so"));
}

// Which of `sonames` each --lib is (the soname it says, else its file's name, else the
// same stem); `paths` gets one entry per soname ("" = not given). A single --lib that
// names none of them is the first library (a one-library spec served from a file of
// another name: libpocl.so for libOpenCL.so.1). Returns "" or why the arguments are wrong.
inline std::string assign_libraries(const std::vector<std::string>& args,
                                    const char* const* sonames, std::uint32_t count,
                                    std::vector<std::string>& paths) {
  paths.assign(count, "");
  std::string known;
  for (std::uint32_t i = 0; i < count; ++i) known += std::string(i ? ", " : "") + sonames[i];
  for (const auto& arg : args) {
    LibraryArg lib = parse_library_arg(arg);
    if (lib.path.empty()) return "--lib " + arg + ": no path";
    std::string file = lib.path.substr(
        lib.path.find_last_of('/') == std::string::npos ? 0 : lib.path.find_last_of('/') + 1);
    int index = -1;
    for (std::uint32_t i = 0; i < count && index < 0; ++i)
      if (lib.soname.empty() ? file == sonames[i] : lib.soname == sonames[i])
        index = static_cast<int>(i);
    for (std::uint32_t i = 0; i < count && index < 0 && lib.soname.empty(); ++i)
      if (library_stem(file) == library_stem(sonames[i])) index = static_cast<int>(i);
    if (index < 0 && lib.soname.empty() && args.size() == 1 && count > 0) index = 0;
    if (index < 0)
      return "--lib " + arg + ": which library is it? This stack serves " + known +
             " (say SONAME=PATH)";
    if (!paths[index].empty())
      return "--lib " + arg + ": " + sonames[index] + " is already " + paths[index];
    paths[index] = lib.path;
  }
  return "";
}

}  // namespace remora::server
