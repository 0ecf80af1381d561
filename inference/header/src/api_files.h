// Which files of a translation unit belong to the API: the headers the user
// named, those an --api-dir / --api-glob filter selects, and the neighbours in
// the named headers' folders (which lend types and macros, and functions only
// when an umbrella header declares none of its own).
#pragma once

#include <string>
#include <vector>

#include "remora/inference/header_parser.h"

namespace remora::inference {

enum class FileRole {
  Given,      // named by the user: its functions are the API
  Selected,   // chosen by --api-dir / --api-glob: its functions are the API
  Neighbour,  // in a named header's folder: lends types and macros
  Other,      // the C library, other toolkits: nothing is taken from it
  Excluded,   // --exclude: nothing is taken from it
};

class ApiFiles {
 public:
  // `given` are the user's headers (any spelling); `filter` the selection.
  ApiFiles(const std::vector<std::string>& given, const ApiFilter& filter);

  // The role of a file, by the path libclang reports for it.
  FileRole role_of(const std::string& path) const;

  bool is_given(const std::string& path) const;

  // Headers in the folder of `path` lend types and macros too (the folder of a
  // header --api-glob selected: its neighbours declare the types it uses).
  void add_neighbour_folder_of(const std::string& path);
  const std::vector<std::string>& given() const { return given_; }
  const std::vector<std::string>& spelled() const { return spelled_; }  // as the user wrote them

 private:
  std::vector<std::string> given_;  // canonical paths
  std::vector<std::string> spelled_;
  std::vector<std::string> folders_;   // their folders, with a trailing '/'
  std::vector<std::string> api_dirs_;  // canonical, with a trailing '/'
  ApiFilter filter_;
};

// Shell-style glob ('*', '?', '[...]'); '*' also crosses '/'. A pattern without
// '/' is matched against the file name only.
bool path_matches_glob(const std::string& pattern, const std::string& path);

// The canonical absolute spelling of a path ("" stays "").
std::string canonical_path(const std::string& path);

}  // namespace remora::inference
