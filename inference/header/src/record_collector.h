// Reads a struct/union definition into ParsedTypes: the record with its
// members (typed, with offsets), and the records defined inside it.
#pragma once

#include <clang-c/Index.h>

#include <string>
#include <vector>

#include "remora/inference/header_model.h"

namespace remora::inference {

// `name`: how the spec names the record (record_name_of, or a name the caller
// chose for an untagged one). Appends the record, then the records nested in it
// (named ones by their tag; untagged field types as "<record>.<field>").
void collect_record(CXCursor definition, const std::string& name, const std::string& file, int line,
                    std::vector<ParsedType>& out);

}  // namespace remora::inference
