// Returned data: a function that returns a pointer to constant data (`const void *`, a
// `const float *`) hands the program memory to read, not an address to pass back. Over a
// remoting stack that memory is the server's, so the program must get the bytes. Their
// size is often a sibling's answer: the same arguments, an integer result named as the
// size of this one (`sqlite3_column_blob(stmt, i)` / `sqlite3_column_bytes(stmt, i)`,
// `git_blob_rawcontent(blob)` / `git_blob_rawsize(blob)`), which the stack asks after the
// call: `query(sibling, args...)`. Or the call itself writes the size into an out
// parameter named for one (`unsigned char *sqlite3_serialize(db, schema, sqlite3_int64
// *piSize, flags)`, `float *samples(obj, size_t *count)`): `*piSize`, read after the call.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/text_util.h"
#include "name_patterns.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

using spec::AnnotationPatch;
using spec::Direction;
using spec::Kind;

// A place between two words of an identifier: at an end, beside '_', from lower to upper
// case, between a letter and a digit.
bool word_boundary(const std::string& s, std::size_t i) {
  if (i == 0 || i >= s.size()) return true;
  auto c = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (s[i - 1] == '_' || s[i] == '_') return true;
  if (std::islower(c(i - 1)) && std::isupper(c(i))) return true;
  return std::isdigit(c(i - 1)) != std::isdigit(c(i));
}

struct NameDifference {
  std::string mine, theirs;  // what is left of each name, lower case, a leading '_' dropped
  std::size_t shared = 0;    // characters of the common prefix and suffix
};

// What tells `a` from `b` once their common prefix and suffix are gone. `whole_words`:
// the cut falls between words (`sqlite3_column_blob` / `sqlite3_column_bytes` -> "blob",
// "bytes", not "lob", "ytes"); else anywhere (`git_blob_rawcontent` / `git_blob_rawsize`
// -> "content", "size").
NameDifference name_difference(const std::string& a, const std::string& b, bool whole_words) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  while (whole_words && prefix > 0 && !(word_boundary(a, prefix) && word_boundary(b, prefix)))
    --prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  while (whole_words && suffix > 0 &&
         !(word_boundary(a, a.size() - suffix) && word_boundary(b, b.size() - suffix)))
    --suffix;
  auto rest = [&](const std::string& s) {
    std::string r = s.substr(prefix, s.size() - prefix - suffix);
    if (!r.empty() && r.front() == '_') r.erase(0, 1);
    return to_lower(r);
  };
  return {rest(a), rest(b), prefix + suffix};
}

bool counts_bytes(const std::string& word) {
  return word == "bytes" || word == "nbytes" || word == "numbytes" || word == "bytecount" ||
         word == "bytesize" || word == "sizeinbytes";
}

bool names_a_size(const std::string& word) {
  return counts_bytes(word) || word == "size" || word == "length" || word == "len" ||
         word == "count";
}

// Constant data the program reads: `const void`, or constant numbers. Characters (char,
// and the one-byte integers text is often spelled with: `const unsigned char *`) are left
// to the string rules; records and pointers are not bytes to copy.
bool returns_constant_data(const TypeInfo& ret) {
  if (!ret.is_pointer() || !ret.pointee || !ret.pointee->is_const || ret.pointee->is_handle)
    return false;
  const TypeInfo& p = *ret.pointee;
  return p.shape == TypeShape::Void || (p.shape == TypeShape::Integer && p.size_bytes > 1) ||
         p.shape == TypeShape::Floating;
}

bool same_parameters(const ParsedFunction& a, const ParsedFunction& b) {
  if (a.params.size() != b.params.size()) return false;
  for (std::size_t i = 0; i < a.params.size(); ++i)
    if (a.params[i].type.spelling != b.params[i].type.spelling) return false;
  return true;
}

bool one_word(const std::string& s) {
  for (std::size_t i = 1; i < s.size(); ++i)
    if (word_boundary(s, i)) return false;
  return !s.empty();
}

// Declared together: in one header, a few declarations apart, and under one comment (the
// parser gives the functions of a group the comment above it, or none; none at all in a
// header without comments): sqlite3_column_blob ... sqlite3_column_bytes share one, while
// sqlite3_column_name16, under another, is not sized by sqlite3_column_bytes16.
bool declared_together(const ParsedHeader& header, std::size_t a, std::size_t b) {
  constexpr std::size_t kMostApart = 12;
  if (a > b) std::swap(a, b);
  const ParsedFunction& first = header.functions[a];
  if (b - a > kMostApart || first.path != header.functions[b].path) return false;
  for (std::size_t k = a + 1; k <= b; ++k) {
    const DocComment& d = header.functions[k].doc;
    bool none = d.body.empty() && d.brief.empty();
    if (!none && (d.body != first.doc.body || d.brief != first.doc.brief)) return false;
  }
  return true;
}

// The sibling whose integer result sizes what `f` returns, and whether it counts bytes:
// the same parameters, declared with it, its name f's but for one word that names a size
// (`sqlite3_column_text16` -> `sqlite3_column_bytes16`). Of several, the one whose name
// shares the most with f's.
const ParsedFunction* size_sibling(const ParsedHeader& header, std::size_t fi, bool& bytes) {
  const ParsedFunction& f = header.functions[fi];
  const ParsedFunction* best = nullptr;
  std::size_t best_shared = 0;
  for (std::size_t gi = 0; gi < header.functions.size(); ++gi) {
    const ParsedFunction& g = header.functions[gi];
    if (gi == fi || g.ret.shape != TypeShape::Integer || g.ret.is_handle ||
        !same_parameters(f, g) || !declared_together(header, fi, gi))
      continue;
    for (bool whole_words : {true, false}) {
      NameDifference d = name_difference(f.name, g.name, whole_words);
      if (!names_a_size(d.theirs) || names_a_size(d.mine) || !one_word(d.mine) ||
          d.shared < best_shared + (best ? 1 : 0))
        continue;
      best = &g;
      best_shared = d.shared;
      bytes = counts_bytes(d.theirs) || f.ret.pointee->shape == TypeShape::Void;
    }
  }
  return best;
}

// Text spelled with bytes: a pointer to constant one-byte integers (`const unsigned char *`,
// which C APIs use for UTF-8) returned by a function whose name ends in a word for text
// (`sqlite3_value_text`): a NUL-terminated string, as `const char *` is.
bool returns_named_text(const ParsedFunction& f) {
  const TypeInfo& ret = f.ret;
  if (!ret.is_pointer() || !ret.pointee || !ret.pointee->is_const || ret.pointee->is_handle) return false;
  if (ret.pointee->shape != TypeShape::Integer || ret.pointee->size_bytes != 1) return false;
  const std::vector<std::string> words = identifier_words(f.name);
  if (words.empty()) return false;
  const std::string last = to_lower(words.back());
  return last == "text" || last == "string" || last == "str";
}

// Data a pointer return may hand the program when the call sizes it: bytes (`void`, one-byte
// integers other than `char`, which the string rules read) or numbers, constant or not.
bool returns_sizable_data(const TypeInfo& ret) {
  if (!ret.is_pointer() || !ret.pointee || ret.pointee->is_handle) return false;
  const TypeShape s = ret.pointee->shape;
  return s == TypeShape::Void || s == TypeShape::Integer || s == TypeShape::Floating;
}

// The one out parameter the call writes the returned data's size into: a pointer to a
// writable integer named for a size (`piSize`, `out_len`, `count`). Several such
// parameters leave the size unknown.
const ParsedParam* size_out_parameter(const ParsedFunction& f) {
  const ParsedParam* found = nullptr;
  for (const auto& p : f.params) {
    if (!is_count_output(p) || p.type.pointee->is_handle) continue;
    if (found) return nullptr;
    found = &p;
  }
  return found;
}

}  // namespace

void add_returned_data_evidence(const FunctionContext& c, spec::Function& f) {
  const ParsedFunction& parsed = c.parsed;
  auto add = [&](const AnnotationPatch& says, double weight, const std::string& why) {
    f.evidence.push_back(header_evidence(says, weight, why, c.location(parsed.line)));
  };
  if (returns_named_text(parsed)) {
    AnnotationPatch text;
    text.direction = Direction::Out;
    text.kind = Kind::String;
    add(text, 0.6,
        "returns '" + parsed.ret.spelling + "' from a function named for text ('" + parsed.name +
            "'): a NUL-terminated string in one-byte units");
    return;
  }
  if (f.params.size() != parsed.params.size()) return;
  AnnotationPatch data;
  data.direction = Direction::Out;
  data.kind = Kind::Buffer;
  if (const ParsedParam* n = returns_sizable_data(parsed.ret) ? size_out_parameter(parsed) : nullptr) {
    const bool bytes = names::names_bytes(n->name) || parsed.ret.pointee->shape == TypeShape::Void ||
                       parsed.ret.pointee->size_bytes == 1;
    data.size = "*" + n->name;
    data.size_unit = bytes ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements;
    add(data, 0.6,
        "returns '" + parsed.ret.spelling + "', data in the library's memory, and writes its size into '" + n->name +
            "' (its only writable integer named for a size): " + (bytes ? "bytes" : "elements") +
            " read after the call");
    return;
  }
  if (!returns_constant_data(parsed.ret)) return;
  bool bytes = false;
  const ParsedFunction* sibling = nullptr;
  for (std::size_t at = 0; at < c.header.functions.size() && !sibling; ++at)
    if (&c.header.functions[at] == &parsed) sibling = size_sibling(c.header, at, bytes);
  if (!sibling) {
    add(data, 0.5,
        "returns '" + parsed.ret.spelling +
            "': constant data the program reads, in the library's memory (no function of the "
            "header gives its "
            "size: set one to remote it)");
    return;
  }
  std::string expr = "query(" + sibling->name;
  for (const auto& p : f.params) expr += ", " + p.name;
  data.size = expr + ")";
  data.size_unit = bytes ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements;
  add(data, 0.6,
      "returns '" + parsed.ret.spelling + "': constant data the program reads; '" + sibling->name +
          "' takes the same arguments and returns an integer named as its size (" +
          (bytes ? "bytes" : "elements") + "), asked after the call");
}

}  // namespace remora::inference
