// Builds the generated interposer with the system C++ compiler and caches it,
// keyed by a hash of the generated source and the compile command.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "remora/trace/interposer.h"
#include "subprocess.h"

namespace remora::trace {
namespace fs = std::filesystem;
namespace {

std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return bool(out.flush());
}

// True if `word` occurs in `line` as a whole identifier.
bool mentions(const std::string& line, const std::string& word) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t pos = line.find(word); pos != std::string::npos; pos = line.find(word, pos + 1)) {
    bool left = pos == 0 || !ident(line[pos - 1]);
    bool right = pos + word.size() >= line.size() || !ident(line[pos + word.size()]);
    if (left && right) return true;
  }
  return false;
}

// Functions an error line of the compiler names (whatever quotes its locale uses).
std::set<std::string> functions_blamed(const std::string& output, const std::vector<std::string>& names,
                                       const spec::Spec& spec) {
  std::set<std::string> blamed;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("error") == std::string::npos) continue;
    for (const auto& name : names)
      if (mentions(line, spec.find_function(name)->exported_symbol()) || mentions(line, name)) blamed.insert(name);
  }
  return blamed;
}

std::string first_lines(const std::string& text, int n) {
  std::istringstream in(text);
  std::string line, out;
  for (int i = 0; i < n && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/remora";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/remora";
  return (fs::temp_directory_path() / "remora-cache").string();
}

BuiltInterposer build_interposer(const spec::Spec& spec, const BuildOptions& options,
                                 spec::Diagnostics& diagnostics, const spec::Progress& progress) {
  BuiltInterposer built;
  spec::Spec effective = spec;
  if (!options.headers.empty()) effective.api.headers = options.headers;
  if (effective.api.headers.empty()) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, "", 0,
                           "the spec names no header (api.headers); pass --header HEADER.h so the interposer "
                           "can take each function's signature from it"});
    return built;
  }
  std::string compiler = options.compiler;
  if (compiler.empty()) compiler = std::getenv("CXX") && *std::getenv("CXX") ? std::getenv("CXX") : "c++";

  std::vector<std::string> flags = {"-std=c++17", "-O1", "-fPIC", "-shared", "-w",
                                    "-fvisibility=hidden", "-pthread"};
  for (const auto& dir : effective.api.include_dirs) flags.push_back("-I" + dir);
  for (const auto& dir : options.include_dirs) flags.push_back("-I" + dir);
  for (const auto& d : effective.api.defines) flags.push_back("-D" + d);
  for (const auto& d : options.defines) flags.push_back("-D" + d);

  InterposerSource source = generate_interposer_source(effective);
  std::string key_text = source.text + "\n" + compiler;
  for (const auto& f : flags) key_text += " " + f;
  std::string key = hex(fnv1a(key_text, fnv1a(std::to_string(kInterposerGeneratorVersion))));

  fs::path cache = options.cache_dir.empty() ? fs::path(default_cache_dir()) : fs::path(options.cache_dir);
  fs::path dir = cache / "interposers" / key;
  fs::path lib = dir / "libremora-interposer.so";
  fs::path manifest = dir / "manifest.txt";
  std::error_code ec;

  // One build per key at a time: concurrent `remora trace` runs wait and reuse it.
  fs::create_directories(cache / "interposers", ec);
  int lock_fd = ::open((cache / "interposers" / (key + ".lock")).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd >= 0) flock(lock_fd, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) close(fd);
    }
  } unlock{lock_fd};

  // Cached: the manifest lists the wrapped functions in index order, then skipped ones.
  if (!options.force_rebuild && fs::exists(lib, ec) && fs::exists(manifest, ec)) {
    std::ifstream in(manifest);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("fn ", 0) == 0) built.functions.push_back(line.substr(3));
      else if (line.rfind("skip ", 0) == 0) built.skipped.push_back(line.substr(5));
    }
    built.library = lib.string();
    built.from_cache = built.ok = true;
    return built;
  }

  if (options.force_rebuild) fs::remove_all(dir, ec);
  fs::create_directories(cache / "interposers", ec);
  fs::path work = cache / "interposers" / (key + ".tmp." + std::to_string(getpid()));
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, work.string(), 0,
                           "cannot create the interposer cache folder (" + ec.message() +
                               "); set XDG_CACHE_HOME to a writable folder"});
    return built;
  }

  // Functions the header does not declare (or declares differently) are left out and
  // reported, instead of failing the whole trace.
  std::set<std::string> exclude;
  CapturedRun run;
  for (int attempt = 0; attempt < 4; ++attempt) {
    if (attempt > 0) source = generate_interposer_source(effective, exclude);
    if (progress && !progress("building interposer", attempt, 0)) return built;
    write_file(work / "interposer.cpp", source.text);
    std::vector<std::string> argv = {compiler};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back((work / "interposer.cpp").string());
    argv.push_back("-o");
    argv.push_back((work / "libremora-interposer.so").string());
    argv.push_back("-ldl");
    run = run_capture(argv);
    if (run.exit_code == 0) break;
    std::set<std::string> blamed = functions_blamed(run.output, source.functions, effective);
    std::size_t before = exclude.size();
    exclude.insert(blamed.begin(), blamed.end());
    if (exclude.size() == before) break;  // no progress: a real build problem
  }
  if (run.exit_code != 0) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, (work / "interposer.cpp").string(), 0,
                           "building the interposer failed (" + compiler +
                               "); check that the spec's headers, include_dirs and defines compile "
                               "(or pass --header/-I/-D):\n" +
                               first_lines(run.output, 30)});
    return built;
  }
  std::string manifest_text;
  for (const auto& f : source.functions) manifest_text += "fn " + f + "\n";
  for (const auto& s : source.skipped) manifest_text += "skip " + s + "\n";
  write_file(work / "manifest.txt", manifest_text);
  fs::rename(work, dir, ec);
  if (ec) {  // another build won the race; use its result
    fs::remove_all(work, ec);
  }
  for (const auto& s : source.skipped)
    diagnostics.push_back({spec::Diagnostic::Severity::Note, "", 0, "not traced: " + s});
  built.library = lib.string();
  built.functions = source.functions;
  built.skipped = source.skipped;
  built.ok = fs::exists(lib, ec);
  if (!built.ok)
    diagnostics.push_back({spec::Diagnostic::Severity::Error, lib.string(), 0,
                           "the interposer was built but is missing from the cache; retry with --rebuild"});
  return built;
}

}  // namespace remora::trace
