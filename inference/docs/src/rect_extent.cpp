// Pitched rectangles: a host pointer the call reads or writes as a 2D/3D block inside a
// larger array, described by an origin, an extent and row/slice pitches. The pointer's
// size is the offset of the block's last byte plus one, which the parameter descriptions
// give piece by piece (OpenCL's clEnqueueReadBufferRect):
//   "host_origin defines the (x, y, z) offset in the memory region pointed to by ptr.
//    The offset in bytes is computed as host_origin[2] x host_slice_pitch +
//    host_origin[1] x host_row_pitch + host_origin[0]."
//   "host_row_pitch is the length of each row in bytes to be used for the memory region
//    pointed to by ptr. If host_row_pitch is 0, host_row_pitch is computed as region[0]."
//   "If host_slice_pitch is 0, host_slice_pitch is computed as region[1] x host_row_pitch."
// The origin's formula applied to the last element of the block (origin[k] + extent[k] - 1
// in every dimension), plus one byte, is the extent; each pitch is `(p == 0 ? default : p)`,
// exactly what the sentence says. Every piece must be there, with the same pointer named
// by the origin and by every pitch: a rectangle of a memory object (a handle) sizes nothing.
#include "rect_extent.h"

#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

struct Factor {
  std::string name;
  int index = -1;  // name[index], or -1 for a plain name
};
using Term = std::vector<Factor>;
using Formula = std::vector<Term>;  // a sum of products

// Parses "a[2] times b + a[1] x c plus a[0]" (also '*', '+', U+00D7) up to the end of the
// sentence; nullopt on anything else (a division, a constant, words).
std::optional<Formula> parse_formula(std::string_view s) {
  Formula f(1);
  bool want_factor = true;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ') {
      ++i;
      continue;
    }
    if (c == '.' || c == ',' || c == ';') break;
    if (!want_factor && (c == '*' || c == '+')) {
      if (c == '+') f.emplace_back();
      want_factor = true, ++i;
      continue;
    }
    if (!want_factor && s.substr(i, 2) == "\xc3\x97") {  // U+00D7 multiplication sign
      want_factor = true, i += 2;
      continue;
    }
    if (!is_ident_char(c) || std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    std::size_t end = i;
    while (end < s.size() && is_ident_char(s[end])) ++end;
    std::string word(s.substr(i, end - i));
    i = end;
    if (!want_factor && (word == "times" || word == "plus")) {
      if (word == "plus") f.emplace_back();
      want_factor = true;
      continue;
    }
    if (!want_factor) return std::nullopt;
    Factor factor{word, -1};
    if (i < s.size() && s[i] == '[') {
      std::size_t close = s.find(']', i);
      if (close == std::string_view::npos || close == i + 1 || close > i + 3) return std::nullopt;
      factor.index = 0;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(s[k]))) return std::nullopt;
        factor.index = factor.index * 10 + (s[k] - '0');
      }
      i = close + 1;
    }
    f.back().push_back(std::move(factor));
    want_factor = false;
  }
  if (want_factor) return std::nullopt;
  return f;
}

// The formula after "computed as" (or "calculated as", "given by") in a sentence.
std::optional<Formula> formula_after(const Sentence& s) {
  std::string lower = to_lower(s.text);
  for (std::string_view lead : {"computed as ", "calculated as ", "given by "}) {
    std::size_t at = lower.find(lead);
    if (at != std::string::npos)
      return parse_formula(std::string_view(s.text).substr(at + lead.size()));
  }
  return std::nullopt;
}

bool mentions(const Sentence& s, const std::string& name) {
  for (const auto& m : s.mentions)
    if (m.name == name) return true;
  return false;
}

// Components of the first "(x, y, z)" tuple of the sentence: 3; 0 if none.
int tuple_arity(std::string_view text) {
  std::size_t open = text.find('(');
  std::size_t close = open == std::string_view::npos ? open : text.find(')', open);
  if (close == std::string_view::npos || close - open > 80) return 0;
  int n = 1;
  for (char ch : text.substr(open + 1, close - open - 1)) n += ch == ',';
  return n;
}

const ParamDoc* doc_of(const DocSection& section, const std::string& name) {
  for (const auto& p : section.params)
    if (p.name == name) return &p;
  return nullptr;
}

int arity_of(const ParamDoc& doc) {
  for (const auto& s : doc.sentences)
    if (int n = tuple_arity(s.text); n >= 2) return n;
  return 0;
}

struct Rect {
  const ParamFacts* target = nullptr;
  std::string origin, extent;
  Formula offset;                          // the origin's offset formula
  std::map<std::string, Formula> pitches;  // pitch -> its default when 0
  const Sentence* offset_sentence = nullptr;
};

// A pitch's value as the call uses it: `(p == 0 ? default : p)`, defaults expanded.
std::string effective_pitch(const Rect& r, const std::string& pitch, int depth) {
  if (depth > 4) return "";
  std::string d;
  for (const Term& t : r.pitches.at(pitch)) {
    std::string product;
    for (const Factor& f : t) {
      std::string factor = f.index >= 0 ? f.name + "[" + std::to_string(f.index) + "]"
                                        : effective_pitch(r, f.name, depth + 1);
      if (factor.empty()) return "";
      product += (product.empty() ? "" : " * ") + factor;
    }
    d += (d.empty() ? "" : " + ") + product;
  }
  return "(" + pitch + " == 0 ? " + d + " : " + pitch + ")";
}

// The pointer the origin's offset sentence places the rectangle in, and its formula.
bool read_origin(const DocSection& section, const FunctionFacts& facts, const ParamFacts& origin,
                 Rect& r) {
  const ParamDoc* doc = doc_of(section, origin.name);
  if (!doc) return false;
  for (const auto& s : doc->sentences) {
    std::string lower = to_lower(s.text);
    if (!has_phrase(lower, "offset")) continue;
    for (const auto& m : s.mentions) {
      const ParamFacts* p = facts.find(m.name);
      if (!p || p == &origin || !p->pointer || p->pointee_integer || p->pointee_handle ||
          p->callback)
        continue;
      if (r.target && r.target != p) return false;  // two pointers: not one rectangle
      r.target = p;
    }
    if (has_phrase(lower, "bytes") && !r.offset_sentence)
      if (auto f = formula_after(s)) r.offset = *f, r.offset_sentence = &s;
  }
  if (!r.target || !r.offset_sentence) return false;
  // Each term: origin[k] times at most one by-value integer (a pitch); one term without.
  std::set<int> seen;
  int unpitched = 0;
  for (const Term& t : r.offset) {
    int origins = 0;
    for (const Factor& f : t) {
      if (f.name == origin.name && f.index >= 0 && seen.insert(f.index).second) {
        ++origins;
        continue;
      }
      const ParamFacts* p = facts.find(f.name);
      if (!p || !p->integer || p->pointer || f.index >= 0 || r.pitches.count(f.name)) return false;
      r.pitches[f.name] = {};
    }
    if (origins != 1 || t.size() > 2) return false;
    unpitched += t.size() == 1;
  }
  return unpitched == 1;
}

// Every pitch describes memory of the same pointer and says what 0 means; the defaults
// name one extent array and other pitches only.
bool read_pitches(const DocSection& section, const FunctionFacts& facts, Rect& r) {
  for (auto& [pitch, def] : r.pitches) {
    const ParamDoc* doc = doc_of(section, pitch);
    if (!doc) return false;
    bool same_memory = false, has_default = false;
    std::string zero = "if " + to_lower(pitch) + " is ";
    for (const auto& s : doc->sentences) {
      same_memory = same_memory || mentions(s, r.target->name);
      std::string lower = to_lower(s.text);
      std::size_t at = lower.find(zero);
      if (at == std::string::npos || has_default) continue;
      std::string_view rest = std::string_view(lower).substr(at + zero.size());
      if (!starts_with_any(rest, {"0,", "0 ", "zero", "equal to 0", "set to 0"})) continue;
      if (auto f = formula_after(s)) def = *f, has_default = true;
    }
    if (!same_memory || !has_default) return false;
  }
  for (const auto& [pitch, def] : r.pitches)
    for (const Term& t : def)
      for (const Factor& f : t) {
        if (f.index < 0) {
          if (!r.pitches.count(f.name) || f.name == pitch) return false;
          continue;
        }
        const ParamFacts* p = facts.find(f.name);
        if (!p || !p->pointee_integer || f.name == r.origin) return false;
        if (!r.extent.empty() && r.extent != f.name) return false;
        r.extent = f.name;
      }
  return !r.extent.empty();
}

}  // namespace

std::size_t add_rect_extents(const DocSection& section, const FunctionFacts& facts,
                             spec::Function& fn) {
  std::size_t added = 0;
  for (const auto& origin : facts.params) {
    if (!origin.pointee_integer) continue;
    Rect r;
    r.origin = origin.name;
    if (!read_origin(section, facts, origin, r) || !read_pitches(section, facts, r)) continue;
    // The origin and the extent are tuples of the same components ("(x, y, z)", "(width,
    // height, depth)") that cover every index the formulas use.
    const ParamDoc* origin_doc = doc_of(section, r.origin);
    const ParamDoc* extent_doc = doc_of(section, r.extent);
    int arity = origin_doc ? arity_of(*origin_doc) : 0;
    if (!extent_doc || arity == 0 || arity_of(*extent_doc) != arity) continue;
    bool in_range = true;
    for (const Term& t : r.offset)
      for (const Factor& f : t) in_range = in_range && f.index < arity;
    if (!in_range) continue;

    std::string size;
    for (const Term& t : r.offset) {
      std::string term;
      for (const Factor& f : t) {
        if (f.name != r.origin) continue;
        std::string k = "[" + std::to_string(f.index) + "]";
        term = t.size() == 1 ? r.origin + k + " + " + r.extent + k
                             : "(" + r.origin + k + " + " + r.extent + k + " - 1)";
      }
      for (const Factor& f : t)
        if (f.name != r.origin) {
          std::string pitch = effective_pitch(r, f.name, 0);
          if (pitch.empty())
            term.clear();
          else
            term += " * " + pitch;
        }
      if (term.empty()) {
        size.clear();
        break;
      }
      size += (size.empty() ? "" : " + ") + term;
    }
    spec::Param* target = size.empty() ? nullptr : fn.find_param(r.target->name);
    if (!target) continue;
    spec::Evidence e;
    e.source = spec::EvidenceSource::Docs;
    e.says.kind = spec::Kind::Buffer;
    e.says.size = size;
    e.says.size_unit = spec::SizeUnit::Bytes;
    e.weight = 0.75;
    // The note says what the quote means; both fit the usual bound on a why (240 bytes).
    std::string note = ": the offset of the " + r.extent +
                       " block's last byte, plus one (a pitch of 0 as its default)";
    // The call touches only the block: the bytes before the origin and between rows and
    // slices belong to the program. A pointer the call may write (not const) is therefore
    // inout, so the stack sends those bytes and they come back unchanged instead of being
    // overwritten with whatever the server's copy held.
    if (!r.target->const_pointee) {
      e.says.direction = spec::Direction::InOut;
      note += "; inout: only the block is written";
    }
    e.why = "\"" +
            shorten_utf8(r.offset_sentence->text, note.size() < 200 ? 238 - note.size() : 38) +
            "\"" + note;
    e.location = r.offset_sentence->file + ":" + std::to_string(r.offset_sentence->line);
    target->evidence.push_back(std::move(e));
    ++added;
  }
  return added;
}

}  // namespace remora::inference::docs
