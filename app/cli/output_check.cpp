#include "output_check.h"

#include <unistd.h>

#include <filesystem>

namespace remora::cli {

namespace fs = std::filesystem;

std::string why_cannot_write(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  if (fs::is_directory(p, ec)) return path + " is a folder: name a file in it";
  fs::path folder = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) return "the folder " + folder.string() + " does not exist: create it first";
  if (fs::exists(p, ec) ? access(path.c_str(), W_OK) != 0 : access(folder.c_str(), W_OK | X_OK) != 0)
    return "permission denied for " + path + ": choose a path you may write";
  return "";
}

}  // namespace remora::cli
