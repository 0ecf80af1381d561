// Remora runtime: the process's own memory mappings, as /proc/self/maps lists them (in
// address order). One parser for the guest's two readers: readable_bytes() (how far a
// buffer of unknown size may be read) and the shm shared pages (which memory may be
// adopted, which pieces of a dropped adoption are still mapped).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace remora::mappings {

// One line of /proc/self/maps.
struct Mapping {
  std::uint64_t start = 0, end = 0, offset = 0, inode = 0;
  std::string perms, path;

  bool readable() const { return !perms.empty() && perms[0] == 'r'; }
};

// Calls visit(m) for each mapping in address order until it returns false. Readers that
// need only the mappings around one address stop early: this runs on the path of calls.
template <typename Visit>
void for_each(Visit visit) {
  FILE* f = std::fopen("/proc/self/maps", "re");
  if (!f) return;
  char line[4096];
  while (std::fgets(line, sizeof line, f)) {
    char perms[8] = {};
    unsigned long long start, end, offset, inode;
    int path_at = 0;
    if (std::sscanf(line, "%llx-%llx %7s %llx %*s %llu %n", &start, &end, perms, &offset, &inode, &path_at) < 5)
      continue;
    Mapping m;
    m.start = start;
    m.end = end;
    m.offset = offset;
    m.inode = inode;
    m.perms = perms;
    if (path_at > 0) m.path = line + path_at;
    while (!m.path.empty() && (m.path.back() == '\n' || m.path.back() == ' ')) m.path.pop_back();
    if (!visit(static_cast<const Mapping&>(m))) break;
  }
  std::fclose(f);
}

inline std::vector<Mapping> read_all() {
  std::vector<Mapping> out;
  for_each([&](const Mapping& m) {
    out.push_back(m);
    return true;
  });
  return out;
}

}  // namespace remora::mappings
