// Small text helpers shared by the evidence producers and the CLI.
// Header text is UTF-8 (CUDA comments contain non-ASCII): nothing here ever
// cuts a string in the middle of a code point.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace remora::inference {

// Replaces invalid UTF-8 sequences with '?', so JSON export never fails.
std::string sanitize_utf8(std::string_view text);

// At most max_bytes bytes, cut at a code point boundary, "..." appended when cut.
std::string utf8_truncate(std::string_view text, std::size_t max_bytes);

// Collapses runs of whitespace into one space and trims both ends.
std::string collapse_whitespace(std::string_view text);

std::string to_lower(std::string_view text);

// The sentence of `text` (ended by ". ") that holds byte `at`, at most 200 bytes: the
// words a rule quotes as its reason.
std::string sentence_around(std::string_view text, std::size_t at);

// Splits an identifier into lower-case words: "num_events_in_wait_list" ->
// {num, events, in, wait, list}; "devPtr" -> {dev, ptr}; "pStream" -> {p, stream}.
std::vector<std::string> identifier_words(std::string_view identifier);

// "/usr/include/CL/cl.h" -> "cl.h"
std::string base_name(std::string_view path);

}  // namespace remora::inference
