// Which installed shared library implements an API: the one whose dynamic symbol
// table defines the most of the spec's functions. Evidence from the system, not a
// naming convention ("cl.h" is implemented by libOpenCL.so.1, not libcl.so.1).
#pragma once

#include <string>
#include <vector>

namespace remora::inference {

struct LibraryMatch {
  std::string path;    // the file that was read
  std::string soname;  // its DT_SONAME (the file name when it has none)
  std::size_t matched = 0;  // API functions it defines
  std::size_t exported = 0; // functions it defines in all
};

// Libraries under the system library folders and next to each header's folder
// (`<include>/../lib64`, `../lib`), best first: most API functions defined, then
// the larger share of its exports being API functions (the API's own library
// rather than a driver that also implements it). Libraries defining none are left out.
// Where libraries are looked for: the system library folders, then, per header, the
// folders a toolkit keeps beside its include folder (lib64, lib, lib64/stubs...).
std::vector<std::string> candidate_folders(const std::vector<std::string>& headers);

std::vector<LibraryMatch> rank_libraries(const std::vector<std::string>& functions,
                                         const std::vector<std::string>& headers);

}  // namespace remora::inference
