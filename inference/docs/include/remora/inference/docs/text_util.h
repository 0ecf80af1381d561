// Small text helpers shared by the readers and extractors. No regex: the
// corpus is megabytes and std::regex is far too slow for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace remora::inference::docs {

bool is_ident_start(char c);
bool is_ident_char(char c);
bool is_identifier(std::string_view s);
std::string to_lower(std::string_view s);
std::string collapse_spaces(std::string_view s);
std::string_view trim(std::string_view s);

// An identifier's words of three letters or more, lower case: "cl_command_queue" ->
// {command, queue}; "memObj" -> {mem, obj}; "hStream" -> {stream}.
std::vector<std::string> name_parts(std::string_view name);

// Position of `phrase` in `text` on word boundaries at or after `from`, or npos.
// Both should already be lower case.
std::size_t find_phrase(std::string_view text, std::string_view phrase, std::size_t from = 0);
bool has_phrase(std::string_view text, std::string_view phrase);

// `text.find(needle, from)` limited to matches starting within `window` bytes of `from`,
// so hostile input (an opening mark never closed) cannot make a scan quadratic.
std::size_t find_within(std::string_view text, std::string_view needle, std::size_t from, std::size_t window);
bool has_any_phrase(std::string_view text, std::initializer_list<std::string_view> phrases);

// Lower-case text after a name that says it is the API's own spelling of NULL:
// " is z_null", " is vk_null_handle" (" are z_null" of several).
bool names_null_constant(std::string_view after);

// Cut `text` to at most `max_bytes`, at a word boundary and never inside a
// UTF-8 code point, appending "..." when cut.
std::string shorten_utf8(std::string_view text, std::size_t max_bytes);

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Splits a paragraph into sentences; returns [begin, end) byte ranges.
struct Range {
  std::size_t begin = 0, end = 0;
};
std::vector<Range> split_sentences(std::string_view paragraph);

// Decodes the common HTML/XML entities (&amp; &lt; &gt; &quot; &apos; &nbsp; &#N; &#xN;).
std::string decode_entities(std::string_view s);

// Maps byte offsets of a joined paragraph back to source lines.
class LineMap {
 public:
  void mark(std::size_t offset, int line) { marks_.push_back({offset, line}); }
  int line_at(std::size_t offset) const;

 private:
  struct Mark {
    std::size_t offset;
    int line;
  };
  std::vector<Mark> marks_;
};

}  // namespace remora::inference::docs
