// Finds documentation files under the user's paths and reads each with the
// reader its format needs. Bad files become warnings, never exceptions.
#pragma once

#include <string>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/inference/docs/markdown_reader.h"

namespace remora::inference::docs {

struct DocumentFile {
  std::string path;
  bool explicit_file = false;  // named directly (not found by walking a folder)
};

// Files to read: named files as they are, folders walked recursively (sorted,
// documentation extensions only). Missing paths are reported.
std::vector<DocumentFile> collect_document_files(const std::vector<std::string>& paths,
                                                 spec::Diagnostics& diagnostics);

// Reads and parses one file (format detected).
DocumentRead load_document(const DocumentFile& file, const FunctionNamePredicate& is_function,
                           spec::Diagnostics& diagnostics);

}  // namespace remora::inference::docs
