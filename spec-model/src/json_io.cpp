// Whole remora-spec/1 documents: text and files. Loading never throws; saving
// is atomic (temporary file in the same directory, fsync, rename) so an
// interrupted save never leaves a half-written spec behind.
#include "remora/spec/json_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "remora/spec/json_fragments.h"

namespace remora::spec {
namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot save spec to " + path + ": " + what + ": " +
                           std::strerror(errno));
}

}  // namespace

SpecLoad spec_from_json_text(const std::string& text) {
  SpecLoad out;
  SpecIssues issues;
  try {
    if (auto json = parse_json_text(text, issues)) {
      out.spec = spec_from_json(*json, issues);
      validate_spec_into(out.spec, issues);
    }
  } catch (const std::exception& e) {  // safety net: the readers should not throw
    issues.error("", std::string("internal error while reading the spec: ") + e.what());
  }
  out.errors = std::move(issues.errors);
  out.warnings = std::move(issues.warnings);
  return out;
}

SpecLoad load_spec_file(const std::string& path) {
  auto fail = [&](const std::string& message) {
    SpecLoad out;
    out.errors.push_back({"", message});
    return out;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return fail(path + " is a directory; give the path of a remora-spec/1 JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open spec file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(path + " is empty; expected a remora-spec/1 JSON document");
  SpecLoad out = spec_from_json_text(text.str());
  // Name the file in document-level issues so the message stands alone.
  for (auto* list : {&out.errors, &out.warnings})
    for (auto& issue : *list) issue.where = issue.where.empty() ? path : path + ": " + issue.where;
  return out;
}

std::string spec_to_json_text(const Spec& spec, int indent) {
  return spec_to_json(spec).dump(indent) + "\n";
}

void save_spec_file(const Spec& spec, const std::string& path) {
  std::string text = spec_to_json_text(spec);
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw_errno("cannot create a temporary file in " + directory_of(path), path);
  auto cleanup = [&] {
    ::close(fd);
    ::unlink(tmp.c_str());
  };
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      cleanup();
      errno = saved;
      throw_errno("write failed", path);
    }
    written += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, 0644);  // mkstemp creates 0600; a spec is an ordinary document
  if (::fsync(fd) != 0) {
    int saved = errno;
    cleanup();
    errno = saved;
    throw_errno("fsync failed", path);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    throw_errno("rename failed", path);
  }
  // Make the rename itself durable.
  int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace remora::spec
