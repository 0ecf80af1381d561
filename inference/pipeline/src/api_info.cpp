#include "api_info.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "function_libraries.h"
#include "library_guess.h"

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

namespace {

// The installed library defining the most of the API's functions; else a guess,
// said out loud because the guest library installs under that name.
std::string library_from_system(const InferOptions& options, const std::vector<std::string>& headers,
                                 const std::vector<std::string>& functions, const std::string& api_name,
                                 spec::Diagnostics& diagnostics) {
  auto ranked = options.find_library ? rank_libraries(functions, headers) : std::vector<LibraryMatch>{};
  // A library defining a handful of the names (libc's `open` for an API with an
  // `open`) is no evidence: require a quarter of the API.
  if (!ranked.empty() && ranked.front().matched * 4 >= functions.size()) {
    const LibraryMatch& best = ranked.front();
    std::string why = "library " + best.soname + ": it defines " + std::to_string(best.matched) + " of the " +
                      std::to_string(functions.size()) + " functions (" + best.path + ")";
    for (std::size_t i = 1; i < ranked.size() && i < 3; ++i)
      if (ranked[i].matched * 10 >= functions.size() && ranked[i].soname != best.soname)
        why += "; " + ranked[i].soname + " defines " + std::to_string(ranked[i].matched);
    why += ". Pass --library SONAME to choose another";
    diagnostics.push_back({spec::Diagnostic::Severity::Note, "", 0, why});
    return best.soname;
  }
  std::string lower;
  for (char c : api_name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string guess = "lib" + lower + ".so.1";
  diagnostics.push_back({spec::Diagnostic::Severity::Warning, "", 0,
                         "no installed library defines the API's functions and no --library was given: guessed '" +
                             guess + "' as the vendor library; pass --library SONAME if that is wrong"});
  return guess;
}

}  // namespace

spec::ApiInfo api_info_for(const InferOptions& options, const std::vector<std::string>& functions,
                           spec::Diagnostics& diagnostics) {
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
  if (options.library.find('/') != std::string::npos)
    api.library = read_library_exports(options.library, headers).soname;  // a path: its DT_SONAME
  else if (!options.library.empty())
    api.library = options.library;
  else
    api.library = library_from_system(options, headers, functions, api.name, diagnostics);
  api.sonames = {api.library};
  auto so = api.library.find(".so");
  if (so != std::string::npos && so + 3 < api.library.size())
    api.sonames.push_back(api.library.substr(0, so + 3));
  return api;
}

}  // namespace remora::inference
