// Stream-state structs (z_stream, lzma_stream): the caller owns the struct, the
// library keeps its state behind a private member and finds it through the
// struct's address on later calls. Recognised from the fused members: an input
// cursor and an output cursor (buffer members sized by sibling members,
// `next_in`/`avail_in`, `next_out`/`avail_out`) beside a library-owned member (an
// opaque pointer: to a type the header never defines). A function whose only
// parameter points to such a struct and whose name says it ends (`lzma_end`,
// `deflateEnd`) or releases something ends the state: `deallocates`.
#include <cctype>
#include <string>
#include <vector>

#include "remora/inference/fusion.h"
#include "remora/spec/ctype.h"

namespace remora::inference {

namespace {

bool is_cursor(const spec::StructField& f, spec::Direction d) {
  return f.ann.kind == spec::Kind::Buffer && f.ann.direction == d && !f.ann.size.empty();
}

bool is_library_owned(const spec::StructField& f) {
  return f.ann.kind == spec::Kind::Opaque && !f.ctype.empty() && spec::is_pointer(f.ctype);
}

bool has_human_say(const std::vector<spec::Evidence>& evidence) {
  for (const auto& e : evidence)
    if (e.source == spec::EvidenceSource::Human) return true;
  return false;
}

bool has_evidence(const std::vector<spec::Evidence>& evidence, const std::string& why) {
  for (const auto& e : evidence)
    if (e.why == why) return true;
  return false;
}

// Lower-case words of an identifier: lzma_end -> lzma end, BZ2_bzCompressEnd -> bz2 bz compress end.
std::vector<std::string> words(const std::string& name) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (c == '_' || (upper && !cur.empty() && !std::isupper(static_cast<unsigned char>(name[i - 1])))) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (c == '_') continue;
    }
    cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool name_ends_state(const std::string& function) {
  std::vector<std::string> w = words(function);
  if (w.empty()) return false;
  if (w.back() == "end") return true;
  for (const auto& x : w)
    if (x == "release" || x == "destroy" || x == "free" || x == "delete" || x == "close" || x == "dispose") return true;
  return false;
}

// The record a parameter points to (one pointer level, through typedefs), "" if none.
std::string pointed_record(const spec::Param& p) {
  if (p.ctype.empty()) return "";
  const spec::CType* to = spec::pointee_of(p.ctype);
  if (!to) return "";
  const spec::CType& r = spec::bare(*to);
  return r.kind == spec::CTypeKind::Record ? r.name : "";
}

}  // namespace

void mark_stream_states(spec::Spec& spec) {
  std::vector<std::string> states;
  for (auto& t : spec.types) {
    if (t.kind != spec::TypeKind::Struct) continue;
    if (has_human_say(t.evidence)) {  // a reviewer decided
      if (t.state) states.push_back(t.name);
      continue;
    }
    const spec::StructField *in = nullptr, *out = nullptr, *owned = nullptr;
    for (const auto& f : t.fields) {
      if (!in && is_cursor(f, spec::Direction::In)) in = &f;
      if (!out && is_cursor(f, spec::Direction::Out)) out = &f;
      if (!owned && is_library_owned(f)) owned = &f;
    }
    t.state = in && out && owned;
    if (!t.state) continue;
    states.push_back(t.name);
    std::string why = "input cursor '" + in->name + "' (" + in->ann.size + "), output cursor '" + out->name + "' (" +
                      out->ann.size + ") and library-owned '" + owned->name +
                      "': a stream state the library keeps between calls through the struct's address";
    if (!has_evidence(t.evidence, why)) {
      spec::Evidence e;
      e.source = spec::EvidenceSource::Header;
      e.weight = 0.8;
      e.why = why;
      t.evidence.push_back(std::move(e));
    }
  }
  if (states.empty()) return;
  for (auto& f : spec.functions) {
    if (f.params.size() != 1 || !name_ends_state(f.name)) continue;
    spec::Param& p = f.params[0];
    std::string record = pointed_record(p);
    bool state = false;
    for (const auto& s : states) state |= s == record;
    if (!state) continue;
    std::string why = "the name says it ends or releases, and '" + p.name + "' is the stream state " + record +
                      " it takes: the library's state behind it ends here";
    if (has_evidence(p.evidence, why)) continue;
    spec::Evidence e;
    e.source = spec::EvidenceSource::Header;
    e.weight = 0.7;
    e.why = why;
    e.says.deallocates = true;
    p.evidence.push_back(std::move(e));
    fuse_param(p);
  }
}

}  // namespace remora::inference
