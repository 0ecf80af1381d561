// Buffer sizes: "X specifies the size in bytes of memory pointed to by P",
// "N is the number of entries in P", "P is an array of N ...", "the buffer
// that P points to must be ... N bytes", "the list is terminated with 0".
#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

bool sizeable(const ParamFacts* p) { return p && p->pointer && !p->callback; }
bool counter(const ParamFacts* p) { return p && p->integer; }

// A counter by its name (num_x, count, x_size, len): enum-typed selectors are not.
bool count_like_name(std::string_view name) {
  std::string n = to_lower(name);
  for (std::string_view w : {"num", "count", "size", "len", "cnt", "cb", "nelem", "length", "bytes"})
    if (n.find(w) != std::string::npos) return true;
  return n.size() == 1;
}

// Components of the first "(x, y, z)" tuple: 3; 0 if none.
int tuple_arity(std::string_view text) {
  std::size_t open = text.find('(');
  std::size_t close = open == std::string_view::npos ? open : text.find(')', open);
  if (close == std::string_view::npos || close - open > 80) return 0;
  std::string_view inner = text.substr(open + 1, close - open - 1);
  int n = 1;
  for (char ch : inner) n += ch == ',';
  return n;
}

void claim_size(Claims& out, const SentenceContext& c, const ParamFacts& target, std::string expr, spec::SizeUnit unit,
                double weight) {
  spec::AnnotationPatch p;
  p.size = std::move(expr);
  p.size_unit = unit;
  p.kind = spec::Kind::Buffer;  // anything with a size is a buffer (a sized char array too)
  add_claim(out, c, target.name, p, weight);
}

// First mention after byte offset `from` that satisfies `pred`.
template <class Pred>
const ParamMention* first_after(const SentenceContext& c, std::size_t from, Pred pred) {
  for (const auto& m : c.mentions)
    if (m.begin >= from && pred(m.param)) return &m;
  return nullptr;
}

// The counter a sentence is about: the leading subject if it is an integer.
const ParamFacts* leading_counter(const SentenceContext& c) {
  if (c.subject_leads() && counter(c.subject())) return c.subject();
  return nullptr;
}

bool terminated_list(std::string_view lower) {
  return has_any_phrase(lower, {"terminated with 0", "terminated with zero", "terminated by 0", "terminated by zero",
                                "terminated with the special property 0", "zero-terminated", "0-terminated",
                                "terminated with a 0", "terminated by a 0", "list is terminated with",
                                "terminated with a zero", "terminated by a zero"});
}

}  // namespace

void extract_size(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;
  std::string_view l = c.lower;

  // 1. "<counter> ... size (in bytes) of (memory|...) pointed to by P" / "number of <things> in P".
  if (const ParamFacts* n = leading_counter(c)) {
    std::size_t size_at = find_phrase(l, "size");
    std::size_t number_at = find_phrase(l, "number of");
    bool bytes_phrase = has_phrase(l, "bytes");
    std::size_t anchor = std::min(size_at, number_at);
    if (anchor != std::string_view::npos) {
      const ParamMention* target = first_after(c, anchor, sizeable);
      if (target && target->param != n) {
        std::string_view between = l.substr(anchor, target->begin - anchor);
        bool explicit_link = has_any_phrase(between, {"pointed to by", "referenced by", "in", "of", "listed in",
                                                      "added to", "stored in", "specified in", "that can be"});
        bool size_word = size_at != std::string_view::npos && size_at <= anchor;
        spec::SizeUnit unit = has_phrase(between, "bytes") || (size_word && target->param->void_pointer)
                                  ? spec::SizeUnit::Bytes
                                  : spec::SizeUnit::Elements;
        if (explicit_link) {
          bool points = has_phrase(between, "pointed to by") || l.substr(target->end).starts_with(" points to");
          claim_size(out, c, *target->param, n->name, unit, points ? 0.85 : 0.75);
          return;
        }
      } else if (!target && bytes_phrase && size_at != std::string_view::npos && c.mentions.size() == 1) {
        // "size is the size in bytes of data being read or written": the one untyped buffer.
        const ParamFacts* only = nullptr;
        int buffers = 0;
        for (const auto& p : c.fn.params)
          if (p.void_pointer && !p.pointer_to_pointer) ++buffers, only = &p;
        if (buffers == 1 && has_any_phrase(l, {"data", "buffer", "memory"}) &&
            !has_any_phrase(l, {"object", "region", "image"}))
          claim_size(out, c, *only, n->name, spec::SizeUnit::Bytes, 0.45);
        return;
      }
    }
  }

  // 2. "P is an array of N ..." / "P is a list of N ..." / "P points to N ...".
  if (c.subject_leads() && sizeable(c.subject())) {
    std::string_view pred = c.predicate();
    for (std::string_view lead : {"is an array of ", "is a list of ", "is a pointer to an array of ",
                                  "is a pointer to a list of ", "points to an array of ", "points to a list of ",
                                  "is an array containing ", "specifies an array of ", "specifies a list of "}) {
      if (!pred.starts_with(lead)) continue;
      std::string_view rest = pred.substr(lead.size());
      for (const auto& m : c.mentions) {
        std::string name = to_lower(m.param->name);
        if (m.param == c.subject() || !counter(m.param) || !rest.starts_with(name)) continue;
        if (rest.size() > name.size() && is_ident_char(rest[name.size()])) continue;
        claim_size(out, c, *c.subject(), m.param->name,
                   has_phrase(rest.substr(name.size(), 12), "bytes") ? spec::SizeUnit::Bytes : spec::SizeUnit::Elements,
                   0.8);
        return;
      }
    }
    // "origin defines the (x, y, z) offset": one element per component.
    if (c.subject()->pointee_integer &&
        starts_with_any(pred, {"defines the (", "is the (", "specifies the (", "gives the (", "contains the ("})) {
      int arity = tuple_arity(pred);
      if (arity >= 2 && arity <= 8) {
        claim_size(out, c, *c.subject(), std::to_string(arity), spec::SizeUnit::Elements, 0.7);
        return;
      }
    }
    // 3. 0-terminated property lists.
    if (!c.subject()->char_pointer && terminated_list(l)) {
      claim_size(out, c, *c.subject(), "terminated(" + c.subject()->name + ")", spec::SizeUnit::Elements, 0.75);
      return;
    }
  }
  if (!c.subject_leads() && terminated_list(l) && c.subject() && sizeable(c.subject()) && !c.subject()->char_pointer) {
    // "The list is terminated with 0." continuing the item about the subject.
    claim_size(out, c, *c.subject(), "terminated(" + c.subject()->name + ")", spec::SizeUnit::Elements, 0.7);
    return;
  }

  // 4. "_P_ and _N_ specify ..." items pairing one buffer with one counter.
  if (c.subjects.size() == 2 && c.subject_leads()) {
    const ParamFacts* a = c.subjects[0];
    const ParamFacts* b = c.subjects[1];
    if (sizeable(b) && counter(a)) std::swap(a, b);
    if (sizeable(a) && counter(b) && (count_like_name(b->name) || has_phrase(l, "number of"))) {
      claim_size(out, c, *a, b->name, spec::SizeUnit::Elements, 0.55);
      return;
    }
  }

  // 5. "P is a pointer to a T structure": sizeof(T) bytes behind an untyped pointer.
  for (const auto& m : c.mentions) {
    if (!m.param->void_pointer) continue;
    std::string_view after = l.substr(m.end);
    for (std::string_view lead : {" is a pointer to a ", " is a pointer to an ", " points to a ", " points to an "}) {
      if (!after.starts_with(lead)) continue;
      std::string_view rest = std::string_view(c.sentence.text).substr(m.end + lead.size());
      std::size_t n = 0;
      while (n < rest.size() && is_ident_char(rest[n])) ++n;
      std::string_view type = rest.substr(0, n);
      if (is_identifier(type) && rest.substr(n).starts_with(" structure")) {
        claim_size(out, c, *m.param, "sizeof(" + std::string(type) + ")", spec::SizeUnit::Bytes, 0.7);
        return;
      }
    }
  }

  // 6. Co-mention: one buffer, one counter, "size" and "bytes" ("the buffer that P points to
  //    must be greater than or equal to N bytes").
  if (has_phrase(l, "bytes") && (has_phrase(l, "size") || has_phrase(l, "points to"))) {
    const ParamFacts* buffer = nullptr;
    const ParamFacts* count = nullptr;
    int buffers = 0, counts = 0;
    for (const auto& m : c.mentions) {
      if (sizeable(m.param) && m.param != buffer) ++buffers, buffer = m.param;
      if (counter(m.param) && m.param != count) ++counts, count = m.param;
    }
    if (buffers == 1 && counts == 1 && !has_phrase(l, "returns") && !has_phrase(l, "offset"))
      claim_size(out, c, *buffer, count->name, spec::SizeUnit::Bytes, 0.55);
  }
}

}  // namespace remora::inference::docs
