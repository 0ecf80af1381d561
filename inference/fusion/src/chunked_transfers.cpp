// Chunked transfers: a call that moves a data buffer into or out of a range of an object
// (clEnqueueWriteBuffer(queue, buffer, blocking, offset, size, ptr, ...)) gives the same
// result as several calls on consecutive sub-ranges, so the generated stack may split a
// large one and overlap the transport carrying one piece (the guest's copy, over shm)
// with the library copying the one before, in both directions.
// That is only true when the prototype itself addresses the range. Recognised from the
// fused annotations and the prototype, never from the function's name:
//   - a data buffer (in or out, raw elements, no `when`) sized by exactly one by-value
//     integer parameter `size` (its whole size expression);
//   - a by-value integer parameter whose name says it is an offset, right next to `size`,
//     and not the range start of another size next to it that sizes no buffer (in
//     clEnqueueFillBuffer(.., pattern, pattern_size, offset, size, ..) `offset` starts the
//     range `size` describes, while `pattern_size` sizes the pattern: no split);
//   - a handle parameter: the object the offset points into;
//   - a status or no return value: the pieces' results combine into one (a count
//     returned, as pread's, would not).
// Exactly one such (buffer, size, offset) triple, or nothing. Evidence and confidence go
// into `chunk` for the reviewer; a human decision on it is never recomputed.
#include <cctype>
#include <string>
#include <vector>

#include "remora/inference/fusion.h"
#include "remora/spec/ctype.h"

namespace remora::inference {

namespace {

// Lower-case words of an identifier: dstOffset -> dst offset, buffer_offset -> buffer offset.
std::vector<std::string> name_words(const std::string& name) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = std::isupper(static_cast<unsigned char>(c));
    if (c == '_' ||
        (upper && !cur.empty() && !std::isupper(static_cast<unsigned char>(name[i - 1])))) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (c == '_') continue;
    }
    cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool has_word(const std::string& name, std::initializer_list<const char*> wanted) {
  for (const auto& w : name_words(name))
    for (const char* x : wanted)
      if (w == x) return true;
  return false;
}

bool is_offset_name(const std::string& name) {
  return has_word(name, {"offset", "offs"});
}
bool is_size_name(const std::string& name) {
  return has_word(name, {"size", "count", "length", "len", "bytes", "num", "nbytes"});
}

// An integer passed by value (typed model first; older specs without ctype: the kind).
bool by_value_integer(const spec::Param& p) {
  if (p.ann.kind != spec::Kind::Value) return false;
  return p.ctype.empty() || spec::is_integer_like(p.ctype);
}

std::string trimmed(const std::string& t) {
  auto b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
}

// Some buffer of the call is sized by `name` (alone or as an identifier of an expression).
bool sizes_a_buffer(const spec::Function& f, const std::string& name) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (const auto& p : f.params) {
    if (p.ann.kind != spec::Kind::Buffer) continue;
    const std::string& e = p.ann.size;
    for (std::size_t i = 0; i < e.size();) {
      if (!ident(e[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < e.size() && ident(e[j])) ++j;
      if (e.compare(i, j - i, name) == 0 && j - i == name.size()) return true;
      i = j;
    }
  }
  return false;
}

bool returns_status_or_nothing(const spec::Spec& spec, const spec::Function& f) {
  const spec::CType& rt = f.ret.ctype;
  if (f.ret.type == "void" || (!rt.empty() && spec::bare(rt).kind == spec::CTypeKind::Void))
    return true;
  const spec::Type* t = spec.find_type(trimmed(f.ret.type));
  return t && (t->kind == spec::TypeKind::Status || !t->success.empty());
}

// Raw data: not handles, strings or nested buffers in each element.
bool raw_data_buffer(const spec::Param& p) {
  if (p.ann.kind != spec::Kind::Buffer) return false;
  if (p.ann.direction != spec::Direction::In && p.ann.direction != spec::Direction::Out)
    return false;
  if (!p.when.empty() || p.ann.retain == "object" || !p.ann.shadow.empty()) return false;
  return !p.ann.element || p.ann.element->kind == spec::Kind::Value;
}

std::optional<spec::Chunking> find_chunking(const spec::Spec& spec, const spec::Function& f) {
  if (!f.supported || f.variadic || !returns_status_or_nothing(spec, f)) return std::nullopt;
  bool has_object = false;
  for (const auto& p : f.params) has_object |= p.ann.kind == spec::Kind::Handle;
  if (!has_object) return std::nullopt;
  std::vector<spec::Chunking> found;
  for (const auto& buffer : f.params) {
    if (!raw_data_buffer(buffer)) continue;
    const std::string size_name = trimmed(buffer.ann.size);
    std::size_t s = f.params.size();
    for (std::size_t i = 0; i < f.params.size(); ++i)
      if (f.params[i].name == size_name) s = i;
    if (s == f.params.size() || !by_value_integer(f.params[s])) continue;
    for (std::size_t o : {s - 1, s + 1}) {
      if (o >= f.params.size()) continue;  // s - 1 wraps when s == 0
      const spec::Param& offset = f.params[o];
      if (!by_value_integer(offset) || !is_offset_name(offset.name)) continue;
      // The offset's other neighbour is a size of its own that sizes no buffer: the
      // offset starts that range, not the buffer's.
      const std::size_t other = o < s ? o - 1 : o + 1;
      if (other < f.params.size() && by_value_integer(f.params[other]) &&
          is_size_name(f.params[other].name) && !sizes_a_buffer(f, f.params[other].name))
        continue;
      spec::Chunking c;
      c.buffer = buffer.name;
      c.size = size_name;
      c.offset = offset.name;
      c.confidence = 0.7;
      c.why = "'" + offset.name + "' (an integer named as an offset, by value) is next to '" +
              size_name + "', the by-value integer that alone sizes the " +
              (buffer.ann.direction == spec::Direction::In ? "input" : "output") +
              " data buffer '" + buffer.name +
              "'; the call works on an object (a handle) and returns " +
              (f.ret.type == "void" ? "nothing" : "a status") +
              ": a range can be moved as several calls on consecutive sub-ranges";
      found.push_back(std::move(c));
    }
  }
  if (found.size() != 1) return std::nullopt;  // none, or ambiguous: no claim
  return found.front();
}

}  // namespace

void mark_chunked_transfers(spec::Spec& spec) {
  for (auto& f : spec.functions) {
    if (f.chunk && f.chunk->status != spec::ReviewStatus::Inferred) continue;  // a reviewer decided
    f.chunk = find_chunking(spec, f);
  }
}

}  // namespace remora::inference
