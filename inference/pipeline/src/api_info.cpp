#include "api_info.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace remora::inference {

namespace fs = std::filesystem;

std::string include_spelling(const std::string& header,
                             const std::vector<std::string>& include_dirs) {
  std::error_code ec;
  fs::path path = fs::weakly_canonical(fs::absolute(header, ec), ec);
  std::vector<std::string> roots = include_dirs;
  roots.push_back("/usr/include");
  roots.push_back("/usr/local/include");
  std::string best;
  for (const auto& root : roots) {
    fs::path r = fs::weakly_canonical(fs::absolute(root, ec), ec);
    std::string prefix = r.string();
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    std::string p = path.string();
    if (p.rfind(prefix, 0) == 0) {
      std::string relative = p.substr(prefix.size());
      if (best.empty() || relative.size() < best.size()) best = relative;
    }
  }
  return best.empty() ? path.filename().string() : best;
}

spec::ApiInfo api_info_for(const InferOptions& options, spec::Diagnostics& diagnostics) {
  spec::ApiInfo api;
  std::string stem = fs::path(options.header).stem().string();
  api.name = options.api_name.empty() ? stem : options.api_name;
  api.include_dirs = options.include_dirs;
  // Generated code includes every header the user named (an umbrella stands
  // for what it includes).
  std::vector<std::string> headers{options.header};
  headers.insert(headers.end(), options.extra_headers.begin(), options.extra_headers.end());
  for (const auto& header : headers) {
    std::string spelling = include_spelling(header, options.include_dirs);
    if (std::find(api.headers.begin(), api.headers.end(), spelling) != api.headers.end()) continue;
    api.headers.push_back(spelling);
    // A header outside the default include paths needs its folder on the path
    // of whatever compiles against the spec (/usr/local/cuda/include).
    if (spelling.find('/') != std::string::npos) continue;
    std::error_code ec;
    // As the user spelled it (keeps /usr/local/cuda rather than its versioned target).
    std::string folder = fs::absolute(header, ec).parent_path().lexically_normal().string();
    std::string real = fs::weakly_canonical(folder, ec).string();
    bool system = real == "/usr/include" || real == "/usr/local/include";
    bool listed = false;
    for (const auto& dir : api.include_dirs)
      listed = listed || fs::weakly_canonical(fs::absolute(dir, ec), ec).string() == real;
    if (!system && !listed) api.include_dirs.push_back(folder);
  }
  api.defines = options.defines;
  if (!options.library.empty()) {
    api.library = options.library;
  } else {
    // A guess: lib<name>.so.1. Said out loud because the guest installs under it.
    std::string lower;
    for (char c : api.name)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    api.library = "lib" + lower + ".so.1";
    diagnostics.push_back({spec::Diagnostic::Severity::Warning, "", 0,
                           "no --library given: guessed '" + api.library +
                               "' as the vendor library; pass --library SONAME if that is wrong"});
  }
  api.sonames = {api.library};
  auto so = api.library.find(".so");
  if (so != std::string::npos && so + 3 < api.library.size())
    api.sonames.push_back(api.library.substr(0, so + 3));
  return api;
}

}  // namespace remora::inference
