// The words of a function name as the naming rules read them, with an API
// prefix glued to a lower-case verb split off ("gzclose" -> {gz, close}).
#pragma once

#include <string>

#include "name_patterns.h"
#include "remora/inference/header_model.h"

namespace remora::inference {

// identifier_words(name), except that a first word made of a prefix and a verb the
// naming rules know ("gzopen", "gzclose") is split in two when at least three
// functions of the header start with that prefix: zlib's gz* family names its
// verbs without a case change, and its lifecycle (gzopen ... gzclose) must still
// read as open/close.
names::Words function_words(const ParsedHeader& header, const std::string& name);

}  // namespace remora::inference
